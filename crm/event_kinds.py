"""How CRM events read on timelines. `data` carries names at the time of the change, never ids to join."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.event_kinds import register_kind, register_timeline_filter

for _prefix, _label in (("crm.address", gettext_lazy("Addresses")), ("crm.customer_status", gettext_lazy("Status changes")),
                        ("crm.customer_", gettext_lazy("Record changes")), ("crm.contact_", gettext_lazy("Contacts")),
                        ("crm.activity_", gettext_lazy("Activities")), ("crm.opportunity_", gettext_lazy("Opportunities"))):
    register_timeline_filter(_prefix, _label)

register_kind("crm.customer_created", lambda d: _("created the customer %(name)s (status %(status)s)") % d)
register_kind("crm.customer_changed", lambda d: _("edited %(fields)s") % {"fields": ", ".join(d.get("fields", []))})
register_kind("crm.customer_status_changed", lambda d: _("changed the status from %(from)s to %(to)s") % d)
register_kind("crm.customer_owner_changed", lambda d: _("made %(to)s the account owner (was %(from)s)") % d)
register_kind("crm.customer_archived", lambda d: _("archived the customer"))
register_kind("crm.customer_restored", lambda d: _("restored the customer"))
register_kind("crm.sector_created", lambda d: _("added the business sector %(name)s") % d)
register_kind("crm.contact_added", lambda d: _("added the contact %(name)s (%(role)s)") % d)
register_kind("crm.contact_changed", lambda d: _("edited the contact %(name)s: %(fields)s")
              % {"name": d["name"], "fields": ", ".join(d.get("fields", []))})
register_kind("crm.contact_primary_changed", lambda d: _("made %(name)s the primary contact") % d)
register_kind("crm.contact_removed", lambda d: (_("removed the contact %(name)s; %(new_primary)s is now primary") % d)
              if d.get("new_primary") else _("removed the contact %(name)s") % d)
register_kind("crm.address_added", lambda d: _("added the %(kind)s address %(summary)s") % d)
register_kind("crm.address_changed", lambda d: _("edited the address %(summary)s: %(fields)s")
              % {"summary": d["summary"], "fields": ", ".join(d.get("fields", []))})
register_kind("crm.address_removed", lambda d: _("removed the address %(summary)s") % d)
register_kind("crm.addresses_reordered", lambda d: _("reordered the address book"))


def _activity(d):
    text = _("logged a %(kind)s: %(subject)s") % {"kind": d["kind"].lower(), "subject": d["subject"]}
    if d.get("contact"):
        text += " " + _("with %(contact)s") % d
    if d.get("outcome"):
        text += f" ({d['outcome'].lower()})"
    if d.get("follow_up_on"):
        text += "; " + _("follow up on %(date)s") % {"date": d["follow_up_on"]}
    return text


register_kind("crm.activity_logged", _activity)
register_kind("crm.activity_changed", lambda d: _("edited the %(kind)s “%(subject)s” (%(fields)s)")
              % {**d, "fields": ", ".join(d.get("fields", []))})
register_kind("crm.activity_completed", lambda d: _("completed the %(kind)s “%(subject)s”")
              % {"kind": d["kind"].lower(), "subject": d["subject"]})
register_kind("crm.opportunity_created", lambda d: _("opened the opportunity “%(title)s” (value %(value)s, %(stage)s)") % d)
register_kind("crm.opportunity_changed", lambda d: _("edited the opportunity “%(title)s”: %(fields)s")
              % {"title": d["title"], "fields": ", ".join(d.get("fields", []))})
register_kind("crm.opportunity_stage_changed", lambda d: _("moved “%(title)s” from %(from)s to %(to)s") % d)
register_kind("crm.customer_merged", lambda d: _(
    "merged %(from)s into this customer (%(contacts)d contacts, %(addresses)d addresses, %(activities)d activities, "
    "%(opportunities)d opportunities moved)") % d)
register_kind("crm.customer_merged_away", lambda d: _("merged this customer into %(into)s") % d)
