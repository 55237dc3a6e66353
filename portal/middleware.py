"""The portal's own session: a second session cookie (`ccs_portal`, path /portal/), read only for /portal/ paths.

Staff pages never look at it (their session is `ccs_session` and `request.user`), and portal views never look at
`request.user`: neither identity can be used on the other side, even when both cookies reach the server
(docs/adr/portal-authentication.md). The store is Django's session engine, so sessions live in the tenant's schema
and the tenant-keyed cache like staff sessions.
"""

from __future__ import annotations

import time
from importlib import import_module

from django.conf import settings
from django.utils.cache import patch_vary_headers
from django.utils.http import http_date

PORTAL_PREFIX = "/portal/"


class PortalSessionMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self.engine = import_module(settings.SESSION_ENGINE)

    def __call__(self, request):
        if not request.path_info.startswith(PORTAL_PREFIX):
            return self.get_response(request)
        request.portal_session = self.engine.SessionStore(request.COOKIES.get(settings.PORTAL_SESSION_COOKIE_NAME))
        response = self.get_response(request)
        return self._save(request, response)

    def _save(self, request, response):
        session = request.portal_session
        name = settings.PORTAL_SESSION_COOKIE_NAME
        try:
            accessed, modified, empty = session.accessed, session.modified, session.is_empty()
        except AttributeError:
            return response
        if name in request.COOKIES and empty:
            response.delete_cookie(name, path=PORTAL_PREFIX, samesite=settings.SESSION_COOKIE_SAMESITE)
            patch_vary_headers(response, ("Cookie",))
            return response
        if accessed:
            patch_vary_headers(response, ("Cookie",))
        if modified and not empty and response.status_code < 500:
            session.set_expiry(settings.PORTAL_SESSION_AGE)
            session.save()
            response.set_cookie(
                name, session.session_key, max_age=settings.PORTAL_SESSION_AGE,
                expires=http_date(time.time() + settings.PORTAL_SESSION_AGE), path=PORTAL_PREFIX,
                secure=settings.SESSION_COOKIE_SECURE, httponly=True, samesite=settings.SESSION_COOKIE_SAMESITE,
            )
        return response
