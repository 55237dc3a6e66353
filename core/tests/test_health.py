import pytest
from django.core.exceptions import ImproperlyConfigured

from ccs.config import check_required_settings, parse_database_url


def test_healthz_reports_every_component_and_the_version(client, db):
    # /healthz answers on any host, even one that is no tenant
    response = client.get("/healthz", HTTP_HOST="10.0.0.5")
    body = response.json()
    assert response.status_code == 200
    assert body["status"] == "ok" and body["version"] == "0.1.0"
    assert {name: check["ok"] for name, check in body["checks"].items()} == {"database": True, "redis": True, "celery_broker": True}


def test_healthz_is_503_when_redis_is_unreachable(client, db, settings):
    settings.REDIS_URL = "redis://127.0.0.1:1/0"
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:1/0"
    response = client.get("/healthz")
    body = response.json()
    assert response.status_code == 503
    assert body["status"] == "unavailable"
    assert (body["checks"]["database"]["ok"], body["checks"]["redis"]["ok"], body["checks"]["celery_broker"]["ok"]) == (True, False, False)


def test_requests_carry_a_request_id(client, db):
    assert len(client.get("/healthz")["X-Request-ID"]) == 32
    assert client.get("/healthz", HTTP_X_REQUEST_ID="abc-123")["X-Request-ID"] == "abc-123"


def test_production_refuses_to_start_without_its_settings(monkeypatch):
    for name in ("SECRET_KEY", "FIELD_ENCRYPTION_KEY", "DATABASE_URL", "REDIS_URL", "BASE_DOMAIN", "DEFAULT_FROM_EMAIL", "EMAIL_HOST"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("SECRET_KEY", "x" * 50)
    monkeypatch.delenv("CCS_SKIP_SETTINGS_CHECK", raising=False)
    with pytest.raises(ImproperlyConfigured) as error:
        check_required_settings(debug=False)
    assert "FIELD_ENCRYPTION_KEY, DATABASE_URL, REDIS_URL, BASE_DOMAIN, DEFAULT_FROM_EMAIL, EMAIL_HOST" in str(error.value)
    check_required_settings(debug=True)  # development needs none of them


def test_database_url_parsing():
    config = parse_database_url("postgres://app:s%40cret@db.internal:6543/ccs_prod?sslmode=require")
    assert (config["USER"], config["PASSWORD"], config["HOST"], config["PORT"], config["NAME"]) == (
        "app", "s@cret", "db.internal", "6543", "ccs_prod")
    assert config["OPTIONS"]["sslmode"] == "require"
    assert config["OPTIONS"]["pool"]["max_size"] == 10
    assert config["ENGINE"] == "django_tenants.postgresql_backend"


def test_log_lines_are_json_with_request_context_and_no_secrets():
    import json
    import logging

    from ccs.logging import JsonFormatter, RequestContextFilter, request_id_var

    token = request_id_var.set("req-1")
    try:
        record = logging.makeLogRecord({"name": "x", "levelname": "INFO", "msg": "signed in", "password": "hunter2", "email": "a@b.c"})
        RequestContextFilter().filter(record)
        line = json.loads(JsonFormatter().format(record))
    finally:
        request_id_var.reset(token)
    assert line["request_id"] == "req-1" and line["msg"] == "signed in"
    assert line["password"] == "[redacted]" and line["email"] == "a@b.c"


def test_money_formatting_is_exact():
    from decimal import Decimal

    from core.templatetags.core_tags import money

    assert (money(Decimal("12345.5")), money(Decimal("0.005")), money(0), money("x")) == ("12,345.50", "0.01", "0.00", "x")
