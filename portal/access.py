"""The one place portal views check who is signed in and what they may see (the portal's `staff_view`).

The portal identity lives only in the portal session (`request.portal_session`, cookie `ccs_portal`, path /portal/):
`request.user` is never read here, so a staff session opens no portal page, and the portal session never makes
`request.user` a staff user, so no staff page or API answers it.
"""

from __future__ import annotations

from functools import wraps
from urllib.parse import urlencode

from django.shortcuts import redirect, render
from django.urls import reverse

from portal.models import PortalAccess

ACCESS_KEY = "portal_access_id"
VERSION_KEY = "portal_session_version"
REVOKED = "revoked"


def portal_sign_in(request, access: PortalAccess) -> None:
    """A new session key (no fixation), bound to the access and its current session version."""
    from portal.services import access_signed_in

    session = request.portal_session
    session.flush()
    session[ACCESS_KEY] = access.pk
    session[VERSION_KEY] = access.session_version
    access_signed_in(access=access)


def portal_sign_out(request) -> None:
    request.portal_session.flush()


def portal_access_current(request):
    """The signed-in access, None, or REVOKED (the session is ended in both failing cases)."""
    session = getattr(request, "portal_session", None)
    if session is None:
        return None
    access_id = session.get(ACCESS_KEY)
    if not access_id:
        return None
    access = PortalAccess.objects.select_related("contact__customer").filter(pk=access_id).first()
    if access is None:
        session.flush()
        return None
    if access.revoked_at is not None:
        session.flush()
        return REVOKED
    if session.get(VERSION_KEY) != access.session_version:  # password reset or changed elsewhere
        session.flush()
        return None
    return access


def sign_in_redirect(request):
    return redirect(reverse("portal:sign_in") + "?" + urlencode({"next": request.get_full_path()}))


def portal_view(section: str | None = None):
    """Signed-out visitors go to the portal's sign-in (and come back); a revoked access sees the revoked page;
    a section not in the access answers 403 with a clear page. The view gets `request.portal_access`."""

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            access = portal_access_current(request)
            if access is None:
                return sign_in_redirect(request)
            if access == REVOKED:
                return render(request, "portal/revoked.html", status=403)
            if section and not getattr(access, f"can_see_{section}"):
                return render(request, "portal/not_included.html", {"access": access, "section": section}, status=403)
            request.portal_access = access
            return view(request, *args, **kwargs)

        wrapped.portal_section = section
        return wrapped

    return decorator
