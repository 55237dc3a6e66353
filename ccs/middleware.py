"""Cross-cutting request plumbing: request ids, the host-independent health check, the access log."""

from __future__ import annotations

import logging
import re
import time
import uuid

from django.db import connection
from django.http import JsonResponse

from ccs.logging import request_id_var, tenant_var, user_var

access_log = logging.getLogger("ccs.access")
REQUEST_ID_PATTERN = re.compile(r"^[A-Za-z0-9._-]{1,64}$")


class RequestIdMiddleware:
    """Take the caller's X-Request-ID when it is sane, else make one; echo it back and put it on every log line."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        incoming = request.headers.get("X-Request-ID", "")
        request.request_id = incoming if REQUEST_ID_PATTERN.match(incoming) else uuid.uuid4().hex
        token = request_id_var.set(request.request_id)
        started = time.perf_counter()
        try:
            response = self.get_response(request)
        finally:
            request_id_var.reset(token)
        response["X-Request-ID"] = request.request_id
        timing = f"app;dur={(time.perf_counter() - started) * 1000:.1f}"
        queue_ms = getattr(request, "queue_ms", None)  # set by ccs.asgi_handler when the request waited its turn
        response["Server-Timing"] = timing if queue_ms is None else f"{timing}, queue;dur={queue_ms:.1f}"
        return response


class HealthCheckMiddleware:
    """Answer /healthz before tenant routing, so load balancers can probe any host name (or a bare IP)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path in {"/healthz", "/healthz/"}:
            from core.health import health_report

            report = health_report()
            return JsonResponse(report, status=200 if report["status"] == "ok" else 503)
        return self.get_response(request)


class AccessLogMiddleware:
    """One structured line per request, after tenant and user are known."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        started = time.perf_counter()
        tenant_token = tenant_var.set(getattr(connection, "schema_name", "-"))
        user = getattr(request, "user", None)
        user_token = user_var.set(str(user.pk) if user is not None and user.is_authenticated else "-")
        try:
            response = self.get_response(request)
            duration_ms = round((time.perf_counter() - started) * 1000, 1)
            access_log.info(
                "request",
                extra={"method": request.method, "path": request.path, "status": response.status_code,
                       "duration_ms": duration_ms},
            )
            return response
        finally:
            tenant_var.reset(tenant_token)
            user_var.reset(user_token)


class HtmxMessagesMiddleware:
    """htmx requests swap a fragment, not the page: deliver pending flash messages as out-of-band toasts."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if not getattr(request, "htmx", False) or response.status_code in (301, 302, 303) or response.streaming:
            return response
        if "text/html" not in response.get("Content-Type", "") or "HX-Redirect" in response:
            return response
        from django.contrib.messages import get_messages
        from django.template.loader import render_to_string

        pending = list(get_messages(request))  # iterating marks them as shown
        if not pending:
            return response
        html = render_to_string("partials/messages_oob.html", {"messages": pending})
        response.content = response.content + html.encode()
        return response
