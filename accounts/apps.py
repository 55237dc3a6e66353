from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = "Accounts"

    def ready(self):
        from django.contrib.auth.models import Group, Permission
        from django.contrib.contenttypes.models import ContentType
        from django.db.models.signals import m2m_changed, post_delete, post_save

        from accounts import permission_cache
        from accounts.models import User
        from accounts.services import roles_sync

        m2m_changed.connect(permission_cache.on_group_permissions_changed, sender=Group.permissions.through,
                            dispatch_uid="permission_cache_group_permissions")
        m2m_changed.connect(permission_cache.on_user_permissions_changed, sender=User.user_permissions.through,
                            dispatch_uid="permission_cache_user_permissions")
        post_delete.connect(permission_cache.on_group_deleted, sender=Group, dispatch_uid="permission_cache_group")
        for model in (Permission, ContentType):
            for signal in (post_save, post_delete):
                signal.connect(permission_cache.on_permission_or_content_type_changed, sender=model,
                               dispatch_uid=f"permission_cache_{model.__name__}_{signal is post_save}")
        from core.seeding import register_tenant_seeder

        register_tenant_seeder("accounts.roles", roles_sync)
