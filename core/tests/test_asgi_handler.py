"""The ASGI handler's cap on requests in flight per process (ccs/asgi_handler.py, ADR 0020).

The requests go through the real handler with a real event loop; the view is a slow synchronous view of this
module (its URLconf), and only the request-id middleware runs, so no database or tenant is involved."""

from __future__ import annotations

import asyncio
import threading
import time

import pytest
from django.http import HttpResponse
from django.test import override_settings
from django.urls import path

from ccs.asgi_handler import BoundedASGIHandler, max_in_flight_from_environment
from core.benchload import server_timing

_lock = threading.Lock()
_running = {"now": 0, "most": 0}


def slow_view(request):
    with _lock:
        _running["now"] += 1
        _running["most"] = max(_running["most"], _running["now"])
    time.sleep(0.15)
    with _lock:
        _running["now"] -= 1
    return HttpResponse("done")


urlpatterns = [path("slow/", slow_view)]


def _scope():
    return {"type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": "GET", "scheme": "http",
            "path": "/slow/", "raw_path": b"/slow/", "query_string": b"", "root_path": "",
            "headers": [(b"host", b"testserver")], "client": ("127.0.0.1", 5000), "server": ("testserver", 80)}


async def _one(handler):
    sent = []
    delivered = asyncio.Event()

    async def receive():
        if not sent:
            sent.append("body")
            return {"type": "http.request", "body": b"", "more_body": False}
        await delivered.wait()  # the client stays connected until the answer is out
        return {"type": "http.disconnect"}

    messages = []

    async def send(message):
        messages.append(message)
        if message["type"] == "http.response.body" and not message.get("more_body"):
            delivered.set()

    await handler(_scope(), receive, send)
    start = next(message for message in messages if message["type"] == "http.response.start")
    headers = {name.decode().lower(): value.decode() for name, value in start["headers"]}
    return start["status"], headers


def _run_together(max_in_flight: int, requests: int = 4):
    _running.update(now=0, most=0)
    with override_settings(ROOT_URLCONF=__name__, MIDDLEWARE=["ccs.middleware.RequestIdMiddleware"],
                           ALLOWED_HOSTS=["testserver"]):
        handler = BoundedASGIHandler(max_in_flight)

        async def all_of_them():
            return await asyncio.gather(*(_one(handler) for _ in range(requests)))

        return asyncio.run(all_of_them())


def test_given_a_cap_of_one_when_four_requests_arrive_together_then_django_runs_them_one_at_a_time():
    answers = _run_together(1)

    assert [status for status, _headers in answers] == [200, 200, 200, 200]
    assert _running["most"] == 1
    queued = sorted(server_timing(headers["server-timing"], "queue") for _status, headers in answers)
    assert queued[0] < 50  # the first went straight in
    assert queued[-1] >= 3 * 150 * 0.9  # the last waited for the three before it
    assert all(server_timing(headers["server-timing"], "app") >= 150 * 0.9 for _status, headers in answers)


def test_given_a_cap_of_two_then_at_most_two_run_at_once():
    answers = _run_together(2)

    assert [status for status, _headers in answers] == [200, 200, 200, 200]
    assert _running["most"] == 2


def test_given_no_cap_then_django_runs_them_all_at_once_as_it_does_by_default():
    answers = _run_together(0)

    assert _running["most"] == 4
    assert all("queue" not in headers["server-timing"] for _status, headers in answers)


@pytest.mark.parametrize(("value", "expected"), [(None, 2), ("1", 1), ("0", 0), ("8", 8)])
def test_the_cap_comes_from_web_max_in_flight(monkeypatch, value, expected):
    if value is None:
        monkeypatch.delenv("WEB_MAX_IN_FLIGHT", raising=False)
    else:
        monkeypatch.setenv("WEB_MAX_IN_FLIGHT", value)
    assert max_in_flight_from_environment() == expected


@pytest.mark.parametrize("value", ["two", "-1", "1.5"])
def test_a_bad_web_max_in_flight_is_refused_with_its_name(monkeypatch, value):
    monkeypatch.setenv("WEB_MAX_IN_FLIGHT", value)
    with pytest.raises(ValueError, match="WEB_MAX_IN_FLIGHT"):
        max_in_flight_from_environment()


@pytest.mark.parametrize(("header", "metric", "expected"), [
    ("app;dur=12.5", "app", 12.5),
    ("app;dur=12.5, queue;dur=3.0", "queue", 3.0),
    ("app;dur=12.5, queue;dur=3.0", "app", 12.5),
    ("app;desc=\"x\";dur=7", "app", 7.0),
    ("", "app", 0.0),
    ("app;dur=1", "queue", 0.0),
])
def test_server_timing_reads_one_metric(header, metric, expected):
    assert server_timing(header, metric) == expected
