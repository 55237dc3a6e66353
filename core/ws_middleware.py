"""Websocket authentication: the tenant comes from the Host header, the user from the session *in that schema*.

Unknown hosts close with 4404, suspended tenants with 4403, anonymous users with 4401 — before the socket is
accepted, so nothing is ever sent on them. A session cookie from another tenant's host finds no session row
in this schema and therefore no user.
"""

from __future__ import annotations

from types import SimpleNamespace

from channels.db import database_sync_to_async
from django.conf import settings
from django.contrib.auth import get_user
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django_tenants.utils import get_public_schema_name, get_tenant_domain_model, remove_www
from importlib import import_module

CLOSE_UNKNOWN_TENANT = 4404
CLOSE_SUSPENDED = 4403
CLOSE_ANONYMOUS = 4401


def _header(scope, name: bytes) -> str:
    for key, value in scope.get("headers", []):
        if key == name:
            return value.decode("latin-1")
    return ""


def _cookie(scope, name: str) -> str:
    for part in _header(scope, b"cookie").split(";"):
        key, _, value = part.strip().partition("=")
        if key == name:
            return value
    return ""


def resolve_tenant_and_user(host: str, session_key: str):
    """Runs in one worker thread: look up the tenant in public, then the session and user in the tenant schema."""
    hostname = remove_www(host.split(":")[0].lower())
    connection.set_schema_to_public()
    domain = get_tenant_domain_model().objects.select_related("tenant").filter(domain=hostname).first()
    if domain is None or domain.tenant.schema_name == get_public_schema_name():
        return None, AnonymousUser()
    tenant = domain.tenant
    connection.set_tenant(tenant)
    store = import_module(settings.SESSION_ENGINE).SessionStore(session_key or None)
    user = get_user(SimpleNamespace(session=store))
    return tenant, user


async def _deny(send, code: int) -> None:
    await send({"type": "websocket.close", "code": code})


class TenantWebsocketMiddleware:
    def __init__(self, inner):
        self.inner = inner

    async def __call__(self, scope, receive, send):
        if scope["type"] != "websocket":
            return await self.inner(scope, receive, send)
        tenant, user = await database_sync_to_async(resolve_tenant_and_user)(
            _header(scope, b"host"), _cookie(scope, settings.SESSION_COOKIE_NAME)
        )
        if tenant is None:
            return await _deny(send, CLOSE_UNKNOWN_TENANT)
        if tenant.is_suspended:
            return await _deny(send, CLOSE_SUSPENDED)
        if not user.is_authenticated:
            return await _deny(send, CLOSE_ANONYMOUS)
        return await self.inner({**scope, "tenant": tenant, "user": user}, receive, send)
