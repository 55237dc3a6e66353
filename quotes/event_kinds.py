"""How catalogue events read in the audit log. `data` carries names at the time of the change."""

from django.utils.translation import gettext as _

from core.event_kinds import register_kind

register_kind("quotes.supplier_created", lambda d: _("added the supplier %(name)s") % d)
register_kind("quotes.supplier_changed", lambda d: _("edited the supplier %(name)s") % d)
register_kind("quotes.supplier_archived", lambda d: _("archived the supplier %(name)s") % d)
register_kind("quotes.supplier_restored", lambda d: _("restored the supplier %(name)s") % d)
register_kind("quotes.product_created", lambda d: _("added the product %(part_number)s") % d)
register_kind("quotes.product_changed", lambda d: _("edited the product %(part_number)s") % d)
register_kind("quotes.product_deactivated", lambda d: _("deactivated the product %(part_number)s") % d)
register_kind("quotes.price_list_imported",
              lambda d: _("imported the price list %(file)s: %(created)s new products, %(updated)s updated, "
                          "%(price_changes)s price changes") % d)
register_kind("quotes.category_saved", lambda d: _("saved the product category %(name)s") % d)
register_kind("quotes.labour_rate_saved", lambda d: _("saved the labour rate %(name)s") % d)
register_kind("quotes.pricing_settings_changed",
              lambda d: _("changed the pricing settings: %(fields)s") % {"fields": ", ".join(d.get("fields", []))})
register_kind("quotes.quote_created", lambda d: _("started quote %(ref)s “%(title)s”") % d)
register_kind("quotes.quote_status_changed",
              lambda d: _("moved quote %(ref)s R%(revision)s from %(from)s to %(to)s") % d
              + (f" ({d['comment']})" if d.get("comment") else ""))
register_kind("quotes.quote_approved", lambda d: _("approved quote %(ref)s") % d)
register_kind("quotes.quote_approval_refused", lambda d: _("refused to approve quote %(ref)s") % d)
register_kind("quotes.quote_duplicated", lambda d: _("copied quote %(source)s into %(ref)s “%(title)s”") % d)
register_kind("quotes.quote_approval_requested", lambda d: _("asked a manager to approve quote %(ref)s") % d)
register_kind("quotes.quote_emailed",
              lambda d: _("emailed quote %(ref)s R%(revision)s to %(to)s") % d
              + (" (cc " + ", ".join(d["cc"]) + ")" if d.get("cc") else ""))
register_kind("quotes.quote_email_resent", lambda d: _("sent quote %(ref)s R%(revision)s to %(to)s again") % d)
