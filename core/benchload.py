"""The load generator `make bench` uses for every page, CCS's and django-helpdesk's alike.

A *view* is what one user's page view costs: its paths fetched one after the other by one client, each over a new
loopback connection. `concurrency` clients run `total` views; client time is the whole view, server time the sum
of the `Server-Timing: app;dur=...` headers (both servers set it in their outermost middleware; the time a request
waited for its turn before it, `queue;dur=...`, is not server time but is part of client time).
"""

from __future__ import annotations

import http.client
import time
from concurrent.futures import ThreadPoolExecutor
from urllib.parse import urlencode

from django.conf import settings

# A fixed CSRF secret for the bench's own POSTs: the cookie and the header carry the same value, as a browser's do.
BENCH_CSRF_TOKEN = "benchcsrftoken0benchcsrftoken012"


def server_timing(header: str, metric: str) -> float:
    """The `dur` of one metric of a `Server-Timing` header ("app;dur=12.5, queue;dur=3.0"), 0 when absent."""
    for entry in header.split(","):
        name, _sep, params = entry.strip().partition(";")
        if name == metric:
            for param in params.split(";"):
                key, _eq, value = param.strip().partition("=")
                if key == "dur":
                    return float(value)
    return 0.0


def form_body(form: dict, index: int) -> str:
    """The urlencoded body of view number `index`: a list value alternates (so each save really changes a field)."""
    return urlencode({name: value[index % len(value)] if isinstance(value, list) else value
                      for name, value in form.items()})


def bench_load(*, port: int, paths: list[str], headers: dict[str, str], total: int, concurrency: int,
               form: dict | None = None):
    """Return ({"client": sorted ms, "server": sorted ms, "throughput": views per second}, views that failed).

    With `form`, each path is POSTed as htmx does (HX-Request, the CSRF token in a header and its cookie)."""
    if form is not None:
        headers = {**headers, "HX-Request": "true", "Content-Type": "application/x-www-form-urlencoded",
                   "X-CSRFToken": BENCH_CSRF_TOKEN,
                   "Cookie": f"{headers.get('Cookie', '')}; {settings.CSRF_COOKIE_NAME}={BENCH_CSRF_TOKEN}"}

    def one(index):
        started = time.perf_counter()
        server_ms, ok = 0.0, True
        for path in paths:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            if form is None:
                conn.request("GET", path, headers=headers)
            else:
                conn.request("POST", path, body=form_body(form, index), headers=headers)
            response = conn.getresponse()
            response.read()
            conn.close()
            server_ms += server_timing(response.getheader("Server-Timing", ""), "app")
            ok = ok and response.status == 200
        return time.perf_counter() - started, ok, server_ms

    for warm in range(concurrency):
        _seconds, ok, _server = one(warm)
        if not ok:
            raise RuntimeError(f"{paths} did not answer 200 on the bench server")
    with ThreadPoolExecutor(concurrency) as pool:
        started = time.perf_counter()
        results = list(pool.map(one, range(total)))
        elapsed = time.perf_counter() - started
    return {
        "client": sorted(seconds * 1000 for seconds, _ok, _server in results),
        "server": sorted(server for _seconds, _ok, server in results),
        "throughput": total / elapsed,
    }, sum(1 for _seconds, ok, _server in results if not ok)
