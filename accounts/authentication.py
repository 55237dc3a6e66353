"""API authentication bound to the tenant host.

A token carries the schema it was issued in (`schema` claim) and is refused on every other tenant host, even
though user ids overlap between schemas. Browser calls use the session (with CSRF), which is per host anyway.
"""

from __future__ import annotations

from django.db import connection
from django.utils.translation import gettext_lazy as _
from rest_framework_simplejwt.authentication import JWTAuthentication
from rest_framework_simplejwt.exceptions import InvalidToken

SCHEMA_CLAIM = "schema"


class TenantJWTAuthentication(JWTAuthentication):
    def get_validated_token(self, raw_token):
        token = super().get_validated_token(raw_token)
        if token.get(SCHEMA_CLAIM) != connection.schema_name:
            raise InvalidToken(_("This token was not issued for this site."))
        return token


try:
    from drf_spectacular.extensions import OpenApiAuthenticationExtension

    class TenantJWTAuthenticationScheme(OpenApiAuthenticationExtension):
        target_class = "accounts.authentication.TenantJWTAuthentication"
        name = "bearerAuth"

        def get_security_definition(self, auto_schema):
            return {"type": "http", "scheme": "bearer", "bearerFormat": "JWT",
                    "description": "An access token from POST /api/v1/auth/token/, valid on the tenant host it came from."}
except ImportError:  # pragma: no cover - drf-spectacular is a dependency; the guard keeps this module importable alone
    pass
