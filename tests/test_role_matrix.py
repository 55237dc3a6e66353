"""The whole role table, pinned. Changing who may do what is a deliberate act: update this table with it."""

from django.contrib.auth.models import Group

from accounts.roles import ROLE_PERMISSIONS, Role, all_declared_permissions

EXPECTED = {
    #                               Admin  Manager Sales  Support ReadOnly
    "core.view_dashboard":         (True,  True,   True,  True,   True),
    "accounts.view_users":         (True,  True,   False, False,  False),
    "accounts.manage_users":       (True,  False,  False, False,  False),
    "tenants.change_settings":     (True,  False,  False, False,  False),
    "crm.view_customers":          (True,  True,   True,  True,   True),
    "crm.change_customers":        (True,  True,   True,  False,  False),
    "crm.archive_customers":       (True,  True,   False, False,  False),
    "crm.merge_customers":         (True,  True,   False, False,  False),
    "crm.export_customers":        (True,  True,   True,  False,  False),
    "crm.manage_sectors":          (True,  True,   False, False,  False),
    "crm.import_customers":        (True,  True,   False, False,  False),
    "helpdesk.view_tickets":       (True,  True,   True,  True,   True),
    "helpdesk.work_tickets":       (True,  True,   True,  True,   False),
    "helpdesk.manage_helpdesk":    (True,  True,   False, False,  False),
    "helpdesk.view_contracts":     (True,  True,   True,  True,   True),
    "helpdesk.manage_contracts":   (True,  True,   False, False,  False),
    "quotes.view_quotes":          (True,  True,   True,  True,   True),
    "quotes.change_quotes":        (True,  True,   True,  False,  False),
    "quotes.approve_quotes":       (True,  True,   False, False,  False),
    "quotes.view_catalogue":       (True,  True,   True,  True,   True),
    "quotes.change_catalogue":     (True,  True,   True,  False,  False),
    "quotes.manage_pricing":       (True,  True,   False, False,  False),
    "quotes.change_pricing_settings": (True, True,  False, False,  False),
    "portal.manage_portal_access": (True,  True,   True,  True,   False),
    "quotes.import_price_list":    (True,  True,   False, False,  False),
    "ai_prompts.use_ai":           (True,  True,   True,  True,   False),
    "ai_prompts.manage_ai":        (True,  False,  False, False,  False),
}
ROLES = [Role.ADMIN, Role.MANAGER, Role.SALES, Role.SUPPORT, Role.READ_ONLY]


def test_the_role_table_matches_the_pinned_matrix():
    for permission, grants in EXPECTED.items():
        for role, granted in zip(ROLES, grants, strict=True):
            assert (permission in ROLE_PERMISSIONS[role]) is granted, f"{role} / {permission}"


def test_every_declared_permission_is_in_the_matrix_and_granted_to_admin():
    declared = all_declared_permissions()
    assert declared == set(EXPECTED)
    assert ROLE_PERMISSIONS[Role.ADMIN] == frozenset(declared)


def test_the_groups_of_a_tenant_grant_exactly_the_role_table(tenant1):
    for role in ROLES:
        group = Group.objects.get(name=role)
        granted = {f"{p.content_type.app_label}.{p.codename}" for p in group.permissions.select_related("content_type")}
        assert granted == set(ROLE_PERMISSIONS[role]), role


def test_users_hold_the_permissions_of_their_role(make_user, tenant1):
    sales = make_user(role=Role.SALES)
    admin = make_user(role=Role.ADMIN)
    assert sales.has_perm("core.view_dashboard") and not sales.has_perm("accounts.view_users")
    assert sales.has_perm("crm.change_customers") and not sales.has_perm("crm.archive_customers")
    assert admin.has_perm("accounts.manage_users") and admin.has_perm("tenants.change_settings")
