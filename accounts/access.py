"""The one place page views check who may do what: sign-in first, then a named permission (default deny)."""

from __future__ import annotations

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied


def staff_view(permission: str | None = None):
    """Anonymous visitors go to sign-in; signed-in users without `permission` get 403.

    The permission is also stored on the view as `required_permission`, which the URL harness reads.
    """

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if permission and not request.user.has_perm(permission):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        wrapped.required_permission = permission
        return login_required(wrapped)

    return decorator
