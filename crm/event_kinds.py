"""How CRM events read on timelines. `data` carries names at the time of the change, never ids to join."""

from django.utils.translation import gettext as _

from core.event_kinds import register_kind

register_kind("crm.customer_created", lambda d: _("created the customer %(name)s (status %(status)s)") % d)
register_kind("crm.customer_changed", lambda d: _("edited %(fields)s") % {"fields": ", ".join(d.get("fields", []))})
register_kind("crm.customer_status_changed", lambda d: _("changed the status from %(from)s to %(to)s") % d)
register_kind("crm.customer_owner_changed", lambda d: _("made %(to)s the account owner (was %(from)s)") % d)
register_kind("crm.customer_archived", lambda d: _("archived the customer"))
register_kind("crm.customer_restored", lambda d: _("restored the customer"))
register_kind("crm.sector_created", lambda d: _("added the business sector %(name)s") % d)
