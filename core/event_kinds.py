"""Event kinds and how each reads in a timeline. Later apps add theirs with `register_kind`."""

from __future__ import annotations

from collections.abc import Callable

from django.utils.translation import gettext as _

_describers: dict[str, Callable[[dict], str]] = {}


def register_kind(kind: str, describe: Callable[[dict], str]) -> None:
    _describers[kind] = describe


_timeline_filters: list[tuple[str, object]] = []


def register_timeline_filter(prefix: str, label) -> None:
    """A choice in the customer timeline's "Show" menu: events whose kind starts with `prefix`."""
    if all(existing != prefix for existing, _label in _timeline_filters):
        _timeline_filters.append((prefix, label))


def timeline_filters() -> list[tuple[str, object]]:
    return list(_timeline_filters)


def event_describe(event) -> str:
    describe = _describers.get(event.kind)
    return describe(event.data) if describe else event.kind


register_kind("user.created", lambda d: _("added %(email)s as %(role)s") % d)
register_kind("user.invited", lambda d: _("invited %(email)s as %(role)s") % d)
register_kind("user.invitation_resent", lambda d: _("sent a new invitation link to %(email)s") % d)
register_kind("user.invitation_revoked", lambda d: _("withdrew the invitation to %(email)s") % d)
register_kind("user.invitation_accepted", lambda d: _("accepted the invitation and joined as %(role)s") % d)
register_kind("user.role_changed", lambda d: _("changed the role of %(email)s from %(from)s to %(to)s") % d)
register_kind("user.deactivated", lambda d: _("deactivated %(email)s") % d)
register_kind("user.reactivated", lambda d: _("reactivated %(email)s") % d)
register_kind("user.profile_changed", lambda d: _("updated their profile"))
register_kind("user.password_changed", lambda d: _("changed their password"))
register_kind("tenant.settings_changed", lambda d: _("changed the company settings (%s)") % ", ".join(d.get("fields", [])))
register_kind("tenant.provisioned", lambda d: _("created the tenant %(name)s") % d)
register_kind("tenant.suspended", lambda d: _("suspended the tenant"))
register_kind("tenant.reactivated", lambda d: _("reactivated the tenant"))
register_kind("tenant.plan_changed", lambda d: _("changed the plan from %(from)s to %(to)s") % d)
