import time


class ServerTimingMiddleware:
    """The same header as CCS's RequestIdMiddleware: the whole middleware stack and view, in milliseconds."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        started = time.perf_counter()
        response = self.get_response(request)
        response["Server-Timing"] = f"app;dur={(time.perf_counter() - started) * 1000:.1f}"
        return response
