from django.apps import AppConfig


class CrmConfig(AppConfig):
    name = "crm"
    verbose_name = "CRM"

    def ready(self):
        from core.navigation import Section, register_section
        from core.seeding import register_tenant_seeder
        from crm import event_kinds  # noqa: F401 - registers how CRM events read
        from crm import imports  # noqa: F401 - registers the customer importer (the worker needs it too)
        from crm.permissions import VIEW_CUSTOMERS
        from crm.services.sectors import sectors_seed

        register_tenant_seeder("crm.sectors", sectors_seed)
        from django.utils.translation import gettext_lazy as _

        register_section(Section("customers", _("Customers"), "crm:customer_list", "building", VIEW_CUSTOMERS, 10))
        register_section(Section("pipeline", _("Pipeline"), "crm:pipeline", "kanban", VIEW_CUSTOMERS, 15))
        register_section(Section("follow_ups", _("My follow-ups"), "crm:follow_ups", "check2-square", VIEW_CUSTOMERS, 20))
