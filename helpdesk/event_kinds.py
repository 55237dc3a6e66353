"""How helpdesk events read on timelines (the customer's and the ticket's own history)."""

from django.utils.translation import gettext as _

from django.utils.translation import gettext_lazy

from core.event_kinds import register_kind, register_timeline_filter

register_timeline_filter("helpdesk.ticket", gettext_lazy("Tickets"))

register_kind("helpdesk.ticket_created", lambda d: _("opened ticket %(ref)s “%(subject)s” (%(priority)s)") % d)
register_kind("helpdesk.ticket_replied", lambda d: _("replied on %(ref)s") % d)
register_kind("helpdesk.ticket_noted", lambda d: _("added an internal note on %(ref)s") % d)
register_kind("helpdesk.ticket_status_changed",
              lambda d: _("changed %(ref)s from %(from)s to %(to)s") % d)
register_kind("helpdesk.ticket_priority_changed",
              lambda d: _("changed the priority of %(ref)s from %(from)s to %(to)s") % d)
register_kind("helpdesk.ticket_assigned", lambda d: _("assigned %(ref)s to %(to)s") % d)
register_kind("helpdesk.ticket_changed", lambda d: _("edited %(ref)s: %(fields)s")
              % {**d, "fields": ", ".join(d.get("fields", []))})
register_kind("helpdesk.ticket_resolved", lambda d: _("resolved %(ref)s") % d)
register_kind("helpdesk.ticket_time_logged", lambda d: _("logged %(minutes)s minutes on %(ref)s") % d)
register_kind("helpdesk.ticket_sla_changed", lambda d: _("%(ref)s: %(reason)s") % d)
register_kind("helpdesk.ticket_sla_state", lambda d: _("%(ref)s is %(state)s (%(target)s due %(due)s)") % d)
register_kind("helpdesk.attachment_added", lambda d: _("attached %(name)s to %(ref)s") % d)
register_kind("helpdesk.sla_policy_saved", lambda d: _("saved the SLA policy %(name)s") % d)
register_kind("helpdesk.sla_policy_deleted", lambda d: _("deleted the SLA policy %(name)s") % d)
register_kind("helpdesk.ticket_email_received", lambda d: _("%(sender)s replied by email on %(ref)s") % d)
register_kind("helpdesk.mailbox_changed", lambda d: _("changed the support mailbox settings: %(fields)s")
              % {"fields": ", ".join(d.get("fields", []))})
register_kind("helpdesk.contract_created", lambda d: _("created support contract “%(name)s” (%(type)s, %(start)s to %(end)s)") % d)
register_kind("helpdesk.contract_changed", lambda d: _("edited support contract “%(name)s”: %(fields)s")
              % {**d, "fields": ", ".join(d.get("fields", []))})
register_kind("helpdesk.contract_activated", lambda d: _("activated support contract “%(name)s”") % d)
register_kind("helpdesk.contract_cancelled", lambda d: _("cancelled support contract “%(name)s”: %(reason)s") % d)
register_kind("helpdesk.contract_renewed",
              lambda d: _("renewed support contract “%(name)s” from %(start)s to %(end)s at %(monthly_value)s %(currency)s a month") % d)
register_kind("helpdesk.contract_expired", lambda d: _("support contract “%(name)s” ended on %(end)s") % d)
register_kind("helpdesk.contract_pending_renewal",
              lambda d: _("support contract “%(name)s” is pending renewal (renewal date %(renewal)s)") % d)
register_kind("helpdesk.contract_renewal_reminder",
              lambda d: _("renewal reminder for “%(name)s”: %(days)s days to %(renewal)s") % d)
register_kind("helpdesk.ticket_customer_replied", lambda d: _("%(contact)s replied on %(ref)s in the portal") % d)
