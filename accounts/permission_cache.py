"""Permission sets per role group (and per user, for the rare direct grant) kept in the cache, so a signed-in page
does not run Django's two permission queries on every request.

Isolation: cache keys go through the project's KEY_FUNCTION (django_tenants.cache.make_key), which prefixes the
current schema, so group 3 of tenant A and group 3 of tenant B are different entries.

Freshness: every way a cached set can change deletes its entry, at once and again on commit (a concurrent request
may have cached the old committed set in between): a group's permissions changing (either side of the m2m), a
group deleted, a user's direct permissions changing, any Permission or ContentType saved or deleted (all entries of
the schema). A set read inside a transaction that is not yet committed is used but never stored.

Who belongs to which group is not cached: the user's groups are read once per request (one query, which also
answers `User.role`), so a role change takes effect on the user's next request. See docs/adr/0009.
"""

from __future__ import annotations

from django.core.cache import cache
from django.db import connection, transaction

TIMEOUT = 24 * 60 * 60  # entries are invalidated explicitly; the timeout only bounds what a lost delete could cost
namespace = "perms"  # tests switch it per test: their rolled-back transactions never run the deletes


def _group_key(group_id: int) -> str:
    return f"{namespace}:group:{group_id}"


def _user_key(user_id: int) -> str:
    return f"{namespace}:user:{user_id}"


def _committed() -> bool:
    """True when what this connection reads is committed data (autocommit, or only a test case's own atomic)."""
    return not any(not getattr(block, "_from_testcase", False) for block in connection.atomic_blocks)


def user_groups(user) -> list:
    """The user's groups, fetched once per user instance and shared with `user.groups.all()` (so `User.role`
    costs no further query). The related manager drops this copy when the user's groups change."""
    prefetched = getattr(user, "_prefetched_objects_cache", None)
    if prefetched is None or "groups" not in prefetched:
        groups = user.groups.all()
        list(groups)  # evaluate: the queryset keeps its rows
        user._prefetched_objects_cache = {**(prefetched or {}), "groups": groups}
    return list(user._prefetched_objects_cache["groups"])


def permission_sets(user) -> tuple[set[str], set[str]]:
    """(from the user's groups, granted to the user directly): what ModelBackend's `_get_group_permissions` and
    `_get_user_permissions` would return. Warm: the user's groups (one query) and one cache read. Cold: one more
    query for whatever is missing, both kinds at once (Django itself runs two)."""
    from django.contrib.auth.models import Permission
    from django.db.models import BigIntegerField, Value

    group_ids = [group.pk for group in user_groups(user)]
    keys = {_group_key(group_id): group_id for group_id in group_ids}
    user_key = _user_key(user.pk)
    found = cache.get_many([*keys, user_key])
    missing_groups = [group_id for key, group_id in keys.items() if key not in found]
    computed_groups: dict[int, set[str]] = {group_id: set() for group_id in missing_groups}
    computed_user: set[str] | None = None if user_key in found else set()
    if missing_groups or computed_user is not None:
        columns = ("content_type__app_label", "codename")
        from_groups = (Permission.objects.filter(group__in=missing_groups)
                       .values_list("group__id", *columns).order_by())
        direct = (Permission.objects.filter(user=user)
                  .annotate(no_group=Value(0, output_field=BigIntegerField()))
                  .values_list("no_group", *columns).order_by())
        if missing_groups and computed_user is not None:
            rows = from_groups.union(direct, all=True)
        else:
            rows = from_groups if missing_groups else direct
        for group_id, app_label, codename in rows:
            (computed_user if group_id == 0 else computed_groups[group_id]).add(f"{app_label}.{codename}")
        if _committed():
            entries = {_group_key(group_id): sorted(value) for group_id, value in computed_groups.items()}
            if computed_user is not None:
                entries[user_key] = sorted(computed_user)
            cache.set_many(entries, TIMEOUT)
    from_groups_names: set[str] = set()
    for key in keys:
        from_groups_names.update(found[key] if key in found else computed_groups[keys[key]])
    return from_groups_names, set(found[user_key]) if computed_user is None else computed_user


def _forget(keys: list[str]) -> None:
    if not keys:
        return
    cache.delete_many(keys)
    transaction.on_commit(lambda: cache.delete_many(keys))


def forget_groups(group_ids) -> None:
    _forget([_group_key(group_id) for group_id in group_ids])


def forget_users(user_ids) -> None:
    _forget([_user_key(user_id) for user_id in user_ids])


def forget_all() -> None:
    """Every entry of the current schema (a permission or content type changed under the sets)."""
    from django.contrib.auth.models import Group

    from accounts.models import User

    forget_groups(Group.objects.values_list("pk", flat=True))
    forget_users(User.user_permissions.through.objects.values_list("user_id", flat=True).distinct())


# Signal receivers (connected in AccountsConfig.ready) ----------------------------------------------------------------

def on_group_permissions_changed(sender, instance, action, reverse, pk_set, **kwargs):
    from django.contrib.auth.models import Group

    if not action.startswith("post_") and action != "pre_clear":
        return
    if not reverse:  # group.permissions.add/remove/set/clear
        forget_groups([instance.pk])
    elif action == "pre_clear":  # permission.group_set.clear(): the groups are gone by post_clear
        forget_groups(Group.objects.filter(permissions=instance).values_list("pk", flat=True))
    else:  # permission.group_set.add/remove
        forget_groups(pk_set or [])


def on_user_permissions_changed(sender, instance, action, reverse, pk_set, **kwargs):
    from accounts.models import User

    if not action.startswith("post_") and action != "pre_clear":
        return
    if not reverse:
        forget_users([instance.pk])
    elif action == "pre_clear":
        forget_users(User.objects.filter(user_permissions=instance).values_list("pk", flat=True))
    else:
        forget_users(pk_set or [])


def on_group_deleted(sender, instance, **kwargs):
    forget_groups([instance.pk])


def on_permission_or_content_type_changed(sender, **kwargs):
    forget_all()
