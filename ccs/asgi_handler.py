"""Django's ASGI handler with a cap on the requests each server process works on at once (ADR 0020).

Django runs every synchronous view of an ASGI request in a thread of its own, so a process holding eight requests
runs eight threads that take turns on one GIL. Each of them then waits for the others at every database round
trip (a thread that gives up the GIL for I/O waits up to the 5 ms switch interval to get it back), the caches are
cold at every switch, and every request's time stretches to that of the whole group. With the cap, the requests
beyond it wait in the event loop, before Django sees them, exactly as requests wait for a free worker in a WSGI
server: the ones admitted run at full speed and leave sooner. The wait is reported in the `Server-Timing` header
(`queue`), next to the time Django spent (`app`, set by `ccs.middleware.RequestIdMiddleware`).

Only the work inside Django is capped: reading the request body and sending the response (file downloads, slow
clients) happen outside it, and websockets do not go through this handler at all.
"""

from __future__ import annotations

import asyncio
import os
import time

import django
from django.core.handlers.asgi import ASGIHandler


def max_in_flight_from_environment() -> int:
    """`WEB_MAX_IN_FLIGHT` (default 2): requests one process runs at once; 0 means no cap (Django's own behaviour)."""
    try:
        value = int(os.environ.get("WEB_MAX_IN_FLIGHT", "2"))
    except ValueError:
        raise ValueError("WEB_MAX_IN_FLIGHT must be a whole number (0 for no cap)") from None
    if value < 0:
        raise ValueError("WEB_MAX_IN_FLIGHT must be 0 or more")
    return value


class BoundedASGIHandler(ASGIHandler):
    def __init__(self, max_in_flight: int):
        super().__init__()
        self.max_in_flight = max_in_flight
        self._semaphore: asyncio.Semaphore | None = None  # made on first use, inside the server's event loop

    async def run_get_response(self, request):
        if not self.max_in_flight:
            return await super().run_get_response(request)
        if self._semaphore is None:
            self._semaphore = asyncio.Semaphore(self.max_in_flight)
        arrived = time.perf_counter()
        async with self._semaphore:
            request.queue_ms = (time.perf_counter() - arrived) * 1000
            return await super().run_get_response(request)


def get_bounded_asgi_application(max_in_flight: int | None = None) -> BoundedASGIHandler:
    """What `django.core.asgi.get_asgi_application` does, with the cap."""
    django.setup(set_prefix=False)
    return BoundedASGIHandler(max_in_flight_from_environment() if max_in_flight is None else max_in_flight)
