"""Reachability of what CCS needs to serve: the database, Redis, and the Celery broker."""

from __future__ import annotations

import time

import redis
from django.conf import settings
from django.db import connection
from kombu import Connection


def _check(probe) -> dict:
    started = time.perf_counter()
    try:
        probe()
    except Exception as error:  # noqa: BLE001 - any failure makes the component unhealthy
        return {"ok": False, "error": type(error).__name__, "ms": round((time.perf_counter() - started) * 1000, 1)}
    return {"ok": True, "ms": round((time.perf_counter() - started) * 1000, 1)}


def _database():
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")


def _redis():
    client = redis.Redis.from_url(settings.REDIS_URL, socket_connect_timeout=2, socket_timeout=2)
    try:
        client.ping()
    finally:
        client.close()


def _broker():
    with Connection(settings.CELERY_BROKER_URL, connect_timeout=2) as broker:
        broker.ensure_connection(max_retries=1, timeout=2)


def health_report() -> dict:
    checks = {"database": _check(_database), "redis": _check(_redis), "celery_broker": _check(_broker)}
    return {
        "status": "ok" if all(check["ok"] for check in checks.values()) else "unavailable",
        "version": settings.VERSION,
        "checks": checks,
    }
