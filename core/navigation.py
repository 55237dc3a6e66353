"""The sidebar: each section that exists, shown only to those allowed to open it (no dead links).

Later apps append their sections with `register_section` in their AppConfig.ready().
"""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import reverse
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Section:
    key: str
    label: str
    url_name: str
    icon: str
    permission: str | None
    order: int


_sections: dict[str, Section] = {}


def register_section(section: Section) -> None:
    _sections[section.key] = section


def sections_for(user, current_path: str) -> list[dict]:
    visible = []
    for section in sorted(_sections.values(), key=lambda s: s.order):
        if section.permission and not user.has_perm(section.permission):
            continue
        url = reverse(section.url_name)
        active = current_path == url if url == "/" else current_path.startswith(url)
        visible.append({"key": section.key, "label": section.label, "url": url, "icon": section.icon, "active": active})
    return visible


register_section(Section("dashboard", _("Dashboard"), "core:dashboard", "speedometer2", "core.view_dashboard", 0))
register_section(Section("users", _("Users"), "accounts:user_list", "people", "accounts.view_users", 900))
register_section(Section("settings", _("Settings"), "tenants:settings", "gear", "tenants.change_settings", 950))
