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
