from django.contrib.auth.models import Group, Permission
from django.core.cache import cache
from django.db import transaction

from accounts import permission_cache
from accounts.models import User
from accounts.roles import ROLE_PERMISSIONS, Role


def _fresh(user) -> User:
    """A new instance, as the next request loads it (no per-instance permission memo)."""
    return User.objects.get(pk=user.pk)


def _permission(name: str) -> Permission:
    app_label, codename = name.split(".")
    return Permission.objects.get(content_type__app_label=app_label, codename=codename)


def test_a_warm_cache_saves_the_two_permission_queries(admin_client1, assert_queries):
    # given the dashboard seen once: the user's groups, then (one query) their permissions and the user's own (the dashboard includes the contracts MRR/ARR aggregate and the customer rating average)
    with assert_queries(10):
        assert admin_client1.get("/").status_code == 200
    # when / then: the user's groups are still read (they are not cached), the two permission queries are not
    with assert_queries(9):
        assert admin_client1.get("/").status_code == 200


def test_a_cached_permission_set_of_one_tenant_is_never_used_in_another(tenant1, tenant2, in_tenant, make_user):
    # given a read-only user in tenant 2
    with in_tenant(tenant2):
        reader = make_user(role=Role.READ_ONLY, email="reader@test2.example.com")
        group_id = Group.objects.get(name=Role.READ_ONLY).pk
        assert not _fresh(reader).has_perm("accounts.manage_users")
    # and, in tenant 1, a cache entry under the same group id that grants managing users
    cache.set(permission_cache._group_key(group_id), ["accounts.manage_users"])
    assert cache.get(permission_cache._group_key(group_id)) == ["accounts.manage_users"]
    # when tenant 2 checks the user's permissions
    with in_tenant(tenant2):
        allowed = _fresh(reader).has_perm("accounts.manage_users")
        # then tenant 1's entry is not seen: the key carries the schema
        assert not allowed
        assert cache.get(permission_cache._group_key(group_id)) == sorted(ROLE_PERMISSIONS[Role.READ_ONLY])


def test_changing_a_groups_permissions_takes_effect_on_the_next_request(tenant1, make_user):
    # given a Sales user whose role's permissions are cached
    user = make_user(role=Role.SALES)
    group = Group.objects.get(name=Role.SALES)
    assert _fresh(user).has_perm("crm.export_customers")
    assert cache.get(permission_cache._group_key(group.pk)) is not None
    # when the role loses a permission, then gains another, from either side of the relation
    group.permissions.remove(_permission("crm.export_customers"))
    # then
    assert not _fresh(user).has_perm("crm.export_customers")
    _permission("crm.merge_customers").group_set.add(group)
    assert _fresh(user).has_perm("crm.merge_customers")
    _permission("crm.merge_customers").group_set.clear()
    assert not _fresh(user).has_perm("crm.merge_customers")
    group.permissions.set([_permission("core.view_dashboard")])
    assert _fresh(user).get_all_permissions() == {"core.view_dashboard"}


def test_a_role_change_and_a_direct_grant_take_effect_on_the_next_request(tenant1, make_user):
    # given a read-only user, checked once (sets cached)
    user = make_user(role=Role.READ_ONLY)
    assert not _fresh(user).has_perm("crm.change_customers")
    # when they become Sales / get a direct grant / the group is deleted
    user.groups.set([Group.objects.get(name=Role.SALES)])
    assert _fresh(user).has_perm("crm.change_customers")
    user.user_permissions.add(_permission("accounts.manage_users"))
    assert _fresh(user).has_perm("accounts.manage_users")
    user.user_permissions.clear()
    assert not _fresh(user).has_perm("accounts.manage_users")
    Group.objects.get(name=Role.SALES).delete()
    assert not _fresh(user).has_perm("crm.change_customers")


def test_a_set_read_inside_an_uncommitted_transaction_is_not_stored(tenant1, make_user):
    # given a user whose sets are not cached
    user = make_user(role=Role.SALES)
    group = Group.objects.get(name=Role.SALES)
    # when their permissions are read inside a transaction that rolls back its change
    try:
        with transaction.atomic():
            group.permissions.clear()
            assert not _fresh(user).has_perm("crm.view_customers")
            raise RuntimeError
    except RuntimeError:
        pass
    # then nothing from inside it was cached, and the committed permissions hold
    assert cache.get(permission_cache._group_key(group.pk)) is None
    assert _fresh(user).has_perm("crm.view_customers")


def test_inactive_users_and_superusers_keep_djangos_rules(tenant1, make_user):
    inactive = make_user(role=Role.ADMIN, is_active=False)
    assert _fresh(inactive).get_all_permissions() == set()
    superuser = make_user(role=Role.READ_ONLY, is_superuser=True)
    assert _fresh(superuser).get_all_permissions() == {
        f"{app}.{codename}" for app, codename in Permission.objects.values_list("content_type__app_label", "codename")}
