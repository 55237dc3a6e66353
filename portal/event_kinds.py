"""How portal events read on timelines. The portal's actor is a contact, not a staff user: events carry its name in
`data["by_contact"]`, which the timeline shows in place of "CCS"."""

from django.utils.translation import gettext as _, gettext_lazy

from core.event_kinds import register_kind, register_timeline_filter

register_timeline_filter("portal.", gettext_lazy("Portal"))

register_kind("portal.access_invited", lambda d: _("invited %(contact)s (%(email)s) to the portal: %(sees)s") % d)
register_kind("portal.access_changed", lambda d: _("changed the portal access of %(contact)s: %(sees)s") % d)
register_kind("portal.access_revoked", lambda d: _("revoked the portal access of %(contact)s") % d)
register_kind("portal.access_activated", lambda d: _("set a portal password and signed in") % d)
register_kind("portal.quote_viewed", lambda d: _("opened quote %(ref)s R%(revision)s in the portal") % d)
register_kind("portal.quote_accepted",
              lambda d: _("accepted quote %(ref)s R%(revision)s in the portal (%(total)s)") % d)
register_kind("portal.quote_rejected",
              lambda d: _("rejected quote %(ref)s R%(revision)s in the portal: %(reason)s") % d)
register_kind("portal.ticket_opened", lambda d: _("opened ticket %(ref)s in the portal") % d)
register_kind("portal.ticket_closed", lambda d: _("closed ticket %(ref)s in the portal") % d)
register_kind("portal.ticket_rated", lambda d: _("rated ticket %(ref)s %(score)s/5") % d)
