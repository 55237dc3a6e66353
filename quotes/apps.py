from django.apps import AppConfig


class QuotesConfig(AppConfig):
    name = "quotes"
    verbose_name = "Quotes"

    def ready(self):
        from django.utils.translation import gettext_lazy as _

        from core.email import register_email_failure_handler
        from core.navigation import Section, register_section
        from core.seeding import register_tenant_seeder
        from quotes import event_kinds  # noqa: F401 - registers how catalogue events read
        from quotes import imports  # noqa: F401 - registers the price-list importer (the worker needs it too)
        from quotes.permissions import VIEW_CATALOGUE
        from quotes.services.pricing import pricing_settings_ensure
        from quotes.services.sending import quote_email_failed

        register_tenant_seeder("quotes.pricing_settings", pricing_settings_ensure)
        register_email_failure_handler("quotes.quote:", quote_email_failed)
        register_section(Section("quotes", _("Quotes"), "quotes:quote_list", "file-earmark-text",
                                 "quotes.view_quotes", 25))
        register_section(Section("catalogue", _("Catalogue"), "quotes:product_list", "box-seam", VIEW_CATALOGUE, 30))
