"""What the cross-tenant and permission harness needs to know about each URL of the tenant site and the API.

Every named URL pattern of `ccs.urls_tenant` must have exactly one UrlSpec, registered in
`<app>/tests/url_specs.py` (a module-level `SPECS` list). A URL without a spec fails the harness, so nothing new
escapes it. A spec says:
- `permission`: the one permission the view requires (None: any signed-in user);
- `public`: anonymous visitors may use it (sign-in, password reset, invitation link, token endpoints, docs);
- `api`: anonymous requests must get 401 rather than a redirect to sign-in;
- `kwargs`: builds the objects the URL needs *in the current schema* and returns the URL kwargs; the harness
  calls it inside test2 to prove a test1 user gets 404, and inside test1 for the role checks;
- `data`: the POST body.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path


@dataclass(frozen=True)
class UrlSpec:
    name: str
    method: str = "get"
    permission: str | None = None
    public: bool = False
    api: bool = False
    kwargs: Callable[[], dict] | None = None
    data: Callable[[], dict] = field(default=lambda: {})
    # Statuses an allowed caller may get (besides any 2xx/3xx): e.g. 401 for a token endpoint with a bad password.
    allowed_extra_statuses: tuple[int, ...] = ()
    # False when `kwargs` are not an object of the tenant (a reset-link token, the tenant's own logo).
    names_object: bool = True
    note: str = ""
    # The customer portal (/portal/): its own sign-in, so the staff checks above do not apply. For a portal spec,
    # `kwargs(contact)` builds objects belonging to that contact and its company; tests/test_portal_harness.py checks
    # that other companies' (and other tenants') objects answer 404, and, when `portal_scoped`, that a contact
    # limited to their own items gets 404 for a colleague's.
    portal: bool = False
    portal_scoped: bool = False

    @property
    def has_objects(self) -> bool:
        return self.kwargs is not None and self.names_object and not self.portal

    def __str__(self) -> str:
        return f"{self.method.upper()} {self.name}"


def all_specs() -> dict[str, UrlSpec]:
    root = Path(__file__).resolve().parents[2]
    specs: dict[str, UrlSpec] = {}
    for module_path in sorted(root.glob("*/tests/url_specs.py")) + sorted(root.glob("tests/url_specs*.py")):
        relative = module_path.relative_to(root).with_suffix("")
        module = importlib.import_module(".".join(relative.parts))
        for spec in module.SPECS:
            if spec.name in specs:
                raise AssertionError(f"Two url specs for {spec.name}")
            specs[spec.name] = spec
    return specs


def tenant_url_names() -> dict[str, str]:
    """Every named pattern of the tenant site: {'namespace:name': 'route'}. Unnamed patterns are an error."""
    from django.urls import URLPattern, URLResolver, get_resolver

    found: dict[str, str] = {}

    def walk(patterns, namespace: str, prefix: str):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                ns = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
                walk(pattern.url_patterns, ns, prefix + str(pattern.pattern))
            elif isinstance(pattern, URLPattern):
                route = prefix + str(pattern.pattern)
                if not pattern.name:
                    raise AssertionError(f"URL pattern {route!r} has no name: the harness cannot cover it")
                found[f"{namespace}{pattern.name}"] = route

    walk(get_resolver("ccs.urls_tenant").url_patterns, "", "")
    return found
