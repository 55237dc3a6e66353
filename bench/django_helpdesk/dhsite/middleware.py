import time


class ServerTimingMiddleware:
    """The same header as CCS's RequestIdMiddleware: the whole middleware stack and view, in milliseconds."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        started = time.perf_counter()
        response = self.get_response(request)
        timing = f"app;dur={(time.perf_counter() - started) * 1000:.1f}"
        queue_ms = getattr(request, "queue_ms", None)  # set by the ASGI handler when the request waited its turn
        response["Server-Timing"] = timing if queue_ms is None else f"{timing}, queue;dur={queue_ms:.1f}"
        return response
