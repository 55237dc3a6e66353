from django.apps import AppConfig


class HelpdeskConfig(AppConfig):
    name = "helpdesk"
    verbose_name = "Helpdesk"

    def ready(self):
        from django.utils.translation import gettext_lazy as _

        from core.navigation import Section, register_section
        from core.notifications import live_topic_register
        from core.seeding import register_tenant_seeder
        from helpdesk.services.seed import helpdesk_seed
        from helpdesk import event_kinds  # noqa: F401 - registers how helpdesk events read
        from helpdesk.permissions import VIEW_CONTRACTS, VIEW_TICKETS

        register_tenant_seeder("helpdesk.defaults", helpdesk_seed)
        live_topic_register(topic="tickets", permission=VIEW_TICKETS)
        register_section(Section("tickets", _("Tickets"), "helpdesk:ticket_list", "life-preserver", VIEW_TICKETS, 30))
        register_section(Section("email_in", _("Email in"), "helpdesk:inbound_list", "envelope", VIEW_TICKETS, 31))
        register_section(Section("contracts", _("Contracts"), "helpdesk:contract_list", "file-earmark-text",
                                 VIEW_CONTRACTS, 35))
