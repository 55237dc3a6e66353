from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = "Accounts"

    def ready(self):
        from accounts.services import roles_sync
        from core.seeding import register_tenant_seeder

        register_tenant_seeder("accounts.roles", roles_sync)
