"""The cross-tenant and permission harness: every URL of the tenant site and API, every role, both tenants."""

from __future__ import annotations

import pytest
from django.urls import reverse

from accounts.roles import ROLE_PERMISSIONS, Role
from tests.harness.registry import all_specs, tenant_url_names

SPECS = all_specs()
SIGN_IN = "/accounts/sign-in/"


def _request(client, spec, kwargs):
    url = reverse(spec.name, kwargs=kwargs or None)
    return getattr(client, spec.method)(url, spec.data() if spec.method == "post" else None)


def test_every_tenant_url_has_a_spec_and_every_spec_a_url():
    # given
    names = set(tenant_url_names())
    # then
    missing = sorted(names - set(SPECS))
    stale = sorted(set(SPECS) - names)
    assert missing == [], f"URLs with no harness spec (add one in <app>/tests/url_specs.py): {missing}"
    assert stale == [], f"Specs for URLs that no longer exist: {stale}"


STAFF_SPECS = {name: spec for name, spec in SPECS.items() if not spec.portal}  # portal: tests/test_portal_harness.py


@pytest.mark.parametrize("spec", STAFF_SPECS.values(), ids=str)
def test_anonymous_visitors_are_sent_to_sign_in_or_refused(spec, anon_client1):
    # given
    kwargs = spec.kwargs() if spec.kwargs else None
    # when
    response = _request(anon_client1, spec, kwargs)
    # then
    if spec.public:
        assert response.status_code < 500
        assert not (response.status_code == 302 and response["Location"].startswith(SIGN_IN + "?next="))
        assert response.status_code != 403
    elif spec.api:
        assert response.status_code == 401
    else:
        assert response.status_code == 302
        assert response["Location"].startswith(SIGN_IN + "?next=")


@pytest.mark.parametrize("spec", [s for s in STAFF_SPECS.values() if s.has_objects], ids=str)
def test_objects_of_another_tenant_answer_404(spec, tenant1, tenant2, in_tenant, admin_user, client_for):
    # given an object in test2 and an admin (every permission) of test1
    with in_tenant(tenant2):
        kwargs = spec.kwargs()
    client = client_for(admin_user)
    # when
    response = _request(client, spec, kwargs)
    # then
    assert response.status_code == 404, f"{spec} answered {response.status_code} for another tenant's object"


@pytest.mark.parametrize("role", Role.values)
@pytest.mark.parametrize("spec", [s for s in STAFF_SPECS.values() if not s.public], ids=str)
def test_each_role_gets_exactly_what_the_role_table_allows(spec, role, tenant1, make_user, client_for):
    # given
    user = make_user(role=role)
    kwargs = spec.kwargs() if spec.kwargs else None
    allowed = spec.permission is None or spec.permission in ROLE_PERMISSIONS[role]
    # when
    response = _request(client_for(user), spec, kwargs)
    # then
    if allowed:
        assert response.status_code < 400 or response.status_code in spec.allowed_extra_statuses, (
            f"{role} should reach {spec} but got {response.status_code}"
        )
    else:
        assert response.status_code == 403, f"{role} must be refused {spec} but got {response.status_code}"


def test_a_session_from_one_tenant_host_is_unknown_on_another(tenant1, admin_user, client_for):
    # given a client signed in on test1
    client = client_for(admin_user)
    assert client.get("/").status_code == 200
    # when the same cookie jar is sent to test2's host
    response = client.get("/", HTTP_HOST="test2.localhost")
    # then test2 sees an anonymous visitor
    assert response.status_code == 302
    assert response["Location"].startswith(SIGN_IN)
