"""JSON log lines carrying the request id, tenant and user of the request that wrote them."""

from __future__ import annotations

import contextvars
import json
import logging
from datetime import UTC, datetime

request_id_var: contextvars.ContextVar[str] = contextvars.ContextVar("request_id", default="-")
tenant_var: contextvars.ContextVar[str] = contextvars.ContextVar("tenant", default="-")
user_var: contextvars.ContextVar[str] = contextvars.ContextVar("user_id", default="-")

# Keys whose values must never reach a log line, whatever a caller passes in `extra`.
SECRET_KEYS = {"password", "token", "secret", "authorization", "api_key", "refresh", "access", "cookie"}


class RequestContextFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = request_id_var.get()
        record.tenant = tenant_var.get()
        record.user_id = user_var.get()
        return True


class JsonFormatter(logging.Formatter):
    STANDARD = set(vars(logging.makeLogRecord({}))) | {"message", "asctime", "request_id", "tenant", "user_id"}

    def format(self, record: logging.LogRecord) -> str:
        payload = {
            "ts": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "msg": record.getMessage(),
            "request_id": getattr(record, "request_id", "-"),
            "tenant": getattr(record, "tenant", "-"),
            "user_id": getattr(record, "user_id", "-"),
        }
        for key, value in vars(record).items():
            if key in self.STANDARD or key.startswith("_"):
                continue
            payload[key] = "[redacted]" if key.lower() in SECRET_KEYS else value
        if record.exc_info:
            payload["exc"] = self.formatException(record.exc_info)
        return json.dumps(payload, default=str)
