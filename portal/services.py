"""Every write of the customer portal: access (invite, change, revoke), one-time links and passwords, and what a
contact does in the portal (open a quote, answer it, open, reply to, close and rate tickets).

Quote and ticket changes go through the quotes and helpdesk services (the contact is the requester, the actor is
"no staff user"); this module adds the portal's own evidence rows and events, in the same transaction.
"""

from __future__ import annotations

import hashlib
import json
import secrets
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal

from django.conf import settings
from django.db import transaction
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _, gettext_lazy

from core.email import email_send
from core.events import event_record
from core.models import NotificationLevel
from core.notifications import live_signal, notify_user
from portal.errors import PortalError, PortalTokenInvalid, QuoteClosed
from portal.models import (
    PortalAccess, PortalScope, PortalToken, PortalTokenPurpose, QuoteDecision, QuoteResponse, TicketRating,
)

TOKEN_LIFETIMES = {
    PortalTokenPurpose.INVITATION: lambda: timedelta(days=settings.PORTAL_INVITATION_VALID_DAYS),
    PortalTokenPurpose.SIGN_IN: lambda: timedelta(minutes=settings.PORTAL_SIGN_IN_LINK_MINUTES),
    PortalTokenPurpose.PASSWORD_RESET: lambda: timedelta(minutes=settings.PORTAL_PASSWORD_RESET_MINUTES),
}
TOKEN_URL_NAMES = {
    PortalTokenPurpose.INVITATION: "portal:invitation",
    PortalTokenPurpose.SIGN_IN: "portal:link_sign_in",
    PortalTokenPurpose.PASSWORD_RESET: "portal:password_reset_confirm",
}
SECTION_LABELS = {"quotes": gettext_lazy("quotes"), "tickets": gettext_lazy("tickets"), "contracts": gettext_lazy("contracts")}


def _sees(access: PortalAccess) -> str:
    sections = ", ".join(str(SECTION_LABELS[name]) for name in access.sections) or _("nothing")
    scope = _("only their own") if access.scope == PortalScope.OWN else _("whole company")
    return f"{sections} ({scope})"


def _record(*, kind: str, access: PortalAccess, acting_user=None, subject=None, **data) -> None:
    """A portal event on the customer's timeline. Without a staff actor, the contact's name is shown instead."""
    if acting_user is None:
        data["by_contact"] = access.contact.full_name
    event_record(kind=kind, actor=acting_user, subject=subject or access, customer_id=access.contact.customer_id,
                 data={"contact": access.contact.full_name, "email": access.email, **data})


def _tenant():
    from django.db import connection

    return connection.tenant


# --------------------------------------------------------------------------------------------- one-time links

def _token_issue(*, access: PortalAccess, purpose: str, base_url: str) -> PortalToken:
    """A fresh link; earlier unused links of the same purpose stop working (they expire now)."""
    now = timezone.now()
    access.tokens.filter(purpose=purpose, used_at__isnull=True, expires_at__gt=now).update(expires_at=now)
    raw = secrets.token_urlsafe(32)
    token = PortalToken.objects.create(access=access, purpose=purpose, token_hash=PortalToken.hash_token(raw),
                                       expires_at=now + TOKEN_LIFETIMES[purpose]())
    link = base_url.rstrip("/") + reverse(TOKEN_URL_NAMES[purpose], kwargs={"token": raw},
                                          urlconf=settings.ROOT_URLCONF)
    tenant = _tenant()
    subjects = {
        PortalTokenPurpose.INVITATION: _("%(company)s invites you to its customer portal"),
        PortalTokenPurpose.SIGN_IN: _("Your sign-in link for the %(company)s customer portal"),
        PortalTokenPurpose.PASSWORD_RESET: _("Reset your %(company)s customer portal password"),
    }
    token.email_message = email_send(
        to=access.email, subject=subjects[purpose] % {"company": tenant.name},
        template=f"portal/email/{purpose}",
        context={"access": access, "contact": access.contact, "link": link, "tenant": tenant,
                 "valid_days": settings.PORTAL_INVITATION_VALID_DAYS,
                 "valid_minutes": int(TOKEN_LIFETIMES[purpose]().total_seconds() // 60)})
    token.save(update_fields=["email_message"])
    return token


def token_check(*, token: str, purpose: str) -> PortalToken:
    """The live token behind a link, or PortalTokenInvalid saying why it no longer works."""
    row = (PortalToken.objects.select_related("access__contact__customer")
           .filter(token_hash=PortalToken.hash_token(token), purpose=purpose).first())
    if row is None:
        raise PortalTokenInvalid(_("This link is not valid."))
    if row.used_at is not None:
        raise PortalTokenInvalid(_("This link has already been used. Sign in, or ask for a new link."))
    if not row.access.is_live:
        raise PortalTokenInvalid(_("Your access to this portal was revoked. Contact %(company)s if you need it "
                                   "again.") % {"company": _tenant().name})
    if row.expires_at <= timezone.now():
        raise PortalTokenInvalid(_("This link has expired. Ask for a new one."))
    return row


def _token_use(*, token: str, purpose: str) -> PortalAccess:
    row = token_check(token=token, purpose=purpose)
    row = PortalToken.objects.select_for_update(of=("self",)).select_related("access__contact").get(pk=row.pk)
    if row.used_at is not None:
        raise PortalTokenInvalid(_("This link has already been used. Sign in, or ask for a new link."))
    row.used_at = timezone.now()
    row.save(update_fields=["used_at"])
    return row.access


# --------------------------------------------------------------------------------------------------- access

def _check_email(*, contact, email: str, exclude_pk=None) -> str:
    email = email.strip().lower()
    if not contact.emails.annotate(lower=Lower("address")).filter(lower=email).exists():
        raise PortalError(_("Choose one of %(name)s's email addresses.") % {"name": contact.full_name})
    clash = PortalAccess.objects.filter(email__iexact=email, revoked_at__isnull=True).exclude(pk=exclude_pk)
    if clash.exists():
        raise PortalError(_("%(email)s already signs in to the portal for another contact.") % {"email": email})
    return email


@transaction.atomic
def access_invite(*, contact, email: str, can_see_quotes: bool, can_see_tickets: bool, can_see_contracts: bool,
                  scope: str, acting_user, base_url: str) -> PortalAccess:
    """Give a contact portal access and email them a one-time link to set a password. Inviting a contact whose
    access was revoked gives it back (same row, new link); inviting an invited contact sends a fresh link."""
    from crm.services.customers import customer_ensure_live

    customer_ensure_live(contact.customer)
    if scope not in PortalScope.values:
        raise PortalError(_("Choose whether they see their whole company or only their own items."))
    if not (can_see_quotes or can_see_tickets or can_see_contracts):
        raise PortalError(_("Choose at least one thing they may see: quotes, tickets or contracts."))
    access = PortalAccess.objects.select_for_update().filter(contact=contact).first()
    if access is not None and access.is_live and access.activated_at:
        raise PortalError(_("%(name)s already has portal access.") % {"name": contact.full_name})
    email = _check_email(contact=contact, email=email, exclude_pk=access.pk if access else None)
    now = timezone.now()
    if access is None:
        access = PortalAccess(contact=contact)
    elif not access.is_live:
        access.session_version += 1
        access.password = ""
        access.activated_at = None
    access.email = email
    access.can_see_quotes, access.can_see_tickets, access.can_see_contracts = (
        can_see_quotes, can_see_tickets, can_see_contracts)
    access.scope = scope
    access.invited_by = acting_user
    access.invited_at = now
    access.revoked_at = None
    access.revoked_by = None
    access.save()
    _token_issue(access=access, purpose=PortalTokenPurpose.INVITATION, base_url=base_url)
    _record(kind="portal.access_invited", access=access, acting_user=acting_user, sees=_sees(access))
    return access


@transaction.atomic
def access_update(*, access: PortalAccess, acting_user, can_see_quotes: bool, can_see_tickets: bool,
                  can_see_contracts: bool, scope: str) -> PortalAccess:
    """What the contact sees changes on their next click (every portal request reads the access row)."""
    if not access.is_live:
        raise PortalError(_("This access was revoked: invite the contact again."))
    if scope not in PortalScope.values:
        raise PortalError(_("Choose whether they see their whole company or only their own items."))
    if not (can_see_quotes or can_see_tickets or can_see_contracts):
        raise PortalError(_("Choose at least one thing they may see, or revoke the access."))
    access.can_see_quotes, access.can_see_tickets, access.can_see_contracts = (
        can_see_quotes, can_see_tickets, can_see_contracts)
    access.scope = scope
    access.save(update_fields=["can_see_quotes", "can_see_tickets", "can_see_contracts", "scope"])
    _record(kind="portal.access_changed", access=access, acting_user=acting_user, sees=_sees(access))
    return access


@transaction.atomic
def access_resend(*, access: PortalAccess, acting_user, base_url: str) -> PortalAccess:
    if not access.is_live:
        raise PortalError(_("This access was revoked: invite the contact again."))
    if access.activated_at:
        raise PortalError(_("%(name)s has already set a password; they can ask for a sign-in link or a password "
                            "reset on the portal's sign-in page.") % {"name": access.contact.full_name})
    _token_issue(access=access, purpose=PortalTokenPurpose.INVITATION, base_url=base_url)
    return access


@transaction.atomic
def access_revoke(*, access: PortalAccess, acting_user) -> PortalAccess:
    """Ends every live session (the session version moves on) and every unused link, at once."""
    access = PortalAccess.objects.select_for_update(of=("self",)).select_related("contact").get(pk=access.pk)
    if not access.is_live:
        return access
    now = timezone.now()
    access.revoked_at = now
    access.revoked_by = acting_user
    access.session_version += 1
    access.save(update_fields=["revoked_at", "revoked_by", "session_version"])
    access.tokens.filter(used_at__isnull=True, expires_at__gt=now).update(expires_at=now)
    _record(kind="portal.access_revoked", access=access, acting_user=acting_user)
    return access


# ---------------------------------------------------------------------------------------- passwords, sign-in

def access_for_email(*, email: str) -> PortalAccess | None:
    return (PortalAccess.objects.select_related("contact__customer")
            .filter(email__iexact=email.strip(), revoked_at__isnull=True).first())


def revoked_access_matching(*, email: str, password: str) -> PortalAccess | None:
    """A revoked access whose password this is: the sign-in page then says clearly that access was revoked."""
    for access in PortalAccess.objects.filter(email__iexact=email.strip(), revoked_at__isnull=False):
        if access.check_password(password):
            return access
    return None


def _password_validate(*, access: PortalAccess, password: str) -> None:
    from django.contrib.auth import password_validation
    from django.core.exceptions import ValidationError

    from accounts.models import User

    probe = User(email=access.email, first_name=access.contact.first_name, last_name=access.contact.last_name)
    try:
        password_validation.validate_password(password, probe)
    except ValidationError as error:
        raise PortalError(" ".join(error.messages)) from None


@transaction.atomic
def password_set_with_token(*, token: str, purpose: str, password: str) -> PortalAccess:
    """The invitation's or the reset link's new password. A reset ends the other sessions (version moves on)."""
    row = token_check(token=token, purpose=purpose)
    _password_validate(access=row.access, password=password)
    access = _token_use(token=token, purpose=purpose)
    access.set_password(password)
    fields = ["password"]
    if purpose == PortalTokenPurpose.PASSWORD_RESET:
        access.session_version += 1
        fields.append("session_version")
    if access.activated_at is None:
        access.activated_at = timezone.now()
        fields.append("activated_at")
        _record(kind="portal.access_activated", access=access)
    access.save(update_fields=fields)
    return access


@transaction.atomic
def password_change(*, access: PortalAccess, current: str, new: str) -> PortalAccess:
    if not access.check_password(current):
        raise PortalError(_("Your current password is not right."))
    _password_validate(access=access, password=new)
    access.set_password(new)
    access.session_version += 1  # other browsers are signed out; the caller signs this one in again
    access.save(update_fields=["password", "session_version"])
    return access


@transaction.atomic
def sign_in_with_link(*, token: str) -> PortalAccess:
    access = _token_use(token=token, purpose=PortalTokenPurpose.SIGN_IN)
    if access.activated_at is None:
        access.activated_at = timezone.now()
        access.save(update_fields=["activated_at"])
        _record(kind="portal.access_activated", access=access)
    return access


@transaction.atomic
def link_request(*, email: str, purpose: str, base_url: str) -> PortalToken | None:
    """"Email me a sign-in link" / "Forgot your password": sends a link when the address has live access; says
    nothing either way (the page answers the same, so it does not reveal who has access)."""
    access = access_for_email(email=email)
    if access is None:
        return None
    return _token_issue(access=access, purpose=purpose, base_url=base_url)


def access_signed_in(*, access: PortalAccess) -> None:
    PortalAccess.objects.filter(pk=access.pk).update(last_sign_in_at=timezone.now())


# ------------------------------------------------------------------------------------------------------ quotes

@dataclass(frozen=True)
class QuoteChoice:
    """What the contact picked on a revision, already checked against it."""

    optional: tuple[int, ...]
    alternatives: dict[str, int]

    def as_json(self) -> dict:
        return {"optional": sorted(self.optional), "alternatives": dict(sorted(self.alternatives.items()))}


def document_hash(*, snapshot: dict, choice: QuoteChoice) -> str:
    """SHA-256 of the exact revision snapshot and the options, as canonical JSON (sorted keys, no spaces, UTF-8)."""
    payload = json.dumps({"snapshot": snapshot, "selection": choice.as_json()}, sort_keys=True,
                         separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def quote_answerable(*, quote, revision, answered: bool | None = None) -> None:
    """Raise QuoteClosed unless the contact may still accept or reject this revision (`answered`: whether a portal
    answer exists, when the caller already knows)."""
    from quotes.models import QuoteStatus

    if answered is None:
        answered = QuoteResponse.objects.filter(quote=quote).exists()
    if answered or quote.status == QuoteStatus.ACCEPTED:
        raise QuoteClosed(_("This quote has already been answered and can no longer be changed here."))
    if quote.status not in (QuoteStatus.SENT, QuoteStatus.VIEWED):
        raise QuoteClosed({
            QuoteStatus.REJECTED: _("This quote was rejected and can no longer be changed here."),
            QuoteStatus.EXPIRED: _("This quote has expired. Ask us for a new one."),
            QuoteStatus.CANCELLED: _("This quote was withdrawn."),
            QuoteStatus.DRAFT: _("We are preparing a new version of this quote; you will receive it shortly."),
        }.get(quote.status, _("This quote can no longer be answered here.")))
    if revision.number != quote.revision or revision.is_superseded:
        raise QuoteClosed(_("A newer version of this quote was sent: answer that one."))
    if quote.valid_until < timezone.localdate():
        raise QuoteClosed(_("This quote has expired. Ask us for a new one."))


@transaction.atomic
def quote_viewed(*, access: PortalAccess, quote, revision) -> bool:
    """The first time a contact opens a sent quote, it becomes "viewed" (staff see it live and on the timeline)."""
    from quotes.services.quotes import quote_mark_viewed

    if not quote_mark_viewed(quote=quote, comment=_("Opened in the portal by %(name)s") % {
            "name": access.contact.full_name}):
        return False
    _record(kind="portal.quote_viewed", access=access, subject=quote, ref=quote.reference, revision=revision.number)
    _quote_signal(quote)
    return True


def _quote_signal(quote) -> None:
    live_signal(topic="quotes", signals=["quotes-changed", f"quote-{quote.pk}-changed"])


def _owner_told(*, quote, access: PortalAccess, response: QuoteResponse, total: str) -> None:
    owner = quote.owner
    if owner is None or not owner.is_active:
        return
    link = reverse("quotes:quote_builder", kwargs={"pk": quote.pk}, urlconf=settings.ROOT_URLCONF)
    values = {"name": response.full_name or access.contact.full_name, "ref": quote.reference,
              "revision": response.revision, "total": total, "reason": response.reason}
    if response.decision == QuoteDecision.ACCEPTED:
        message = _("%(name)s accepted %(ref)s R%(revision)s in the portal (%(total)s).") % values
        level = NotificationLevel.SUCCESS
    else:
        message = _("%(name)s rejected %(ref)s R%(revision)s in the portal: %(reason)s") % values
        level = NotificationLevel.WARNING
    notify_user(user=owner, message=message, link=link, level=level)
    tenant = _tenant()
    email_send(to=owner.email, subject=message, template="portal/email/quote_answered",
               context={"quote": quote, "response": response, "contact": access.contact, "tenant": tenant,
                        "message": message, "total": total,
                        "link": f"https://{tenant.schema_name}.{settings.BASE_DOMAIN}{link}"})


def _quote_answer(*, access, quote, revision, decision, choice, totals_json, ip_address, user_agent, **fields):
    return QuoteResponse.objects.create(
        quote=quote, revision=revision.number, decision=decision, contact=access.contact, access=access,
        selection=choice.as_json(), totals=totals_json,
        document_hash=document_hash(snapshot=revision.snapshot, choice=choice),
        ip_address=ip_address or None, user_agent=(user_agent or "")[:500], **fields)


@transaction.atomic
def quote_accept(*, access: PortalAccess, quote, revision, choice: QuoteChoice, totals_json: dict, full_name: str,
                 position: str, terms_accepted: bool, ip_address: str, user_agent: str) -> QuoteResponse:
    from quotes.models import Quote
    from quotes.services.quotes import quote_accept as quotes_accept

    quote = Quote.objects.select_for_update(of=("self",)).select_related("owner").get(pk=quote.pk)
    quote_answerable(quote=quote, revision=revision)
    full_name, position = full_name.strip(), position.strip()
    if not full_name or not position:
        raise PortalError(_("Type your full name and your position to accept."))
    if not terms_accepted:
        raise PortalError(_("Tick the box to accept the terms."))
    response = _quote_answer(access=access, quote=quote, revision=revision, decision=QuoteDecision.ACCEPTED,
                             choice=choice, totals_json=totals_json, ip_address=ip_address, user_agent=user_agent,
                             full_name=full_name[:150], position=position[:150], terms_accepted=True)
    total = f"{quote.currency} {totals_json.get('total', '')}"
    quotes_accept(quote=quote, acting_user=None, revision=revision.number,
                  comment=_("Accepted in the portal by %(name)s, %(position)s (%(total)s)") % {
                      "name": full_name, "position": position, "total": total})
    _record(kind="portal.quote_accepted", access=access, subject=quote, ref=quote.reference,
            revision=revision.number, total=total, signed_as=full_name, position=position,
            hash=response.document_hash)
    _quote_signal(quote)
    _owner_told(quote=quote, access=access, response=response, total=total)
    return response


@transaction.atomic
def quote_reject(*, access: PortalAccess, quote, revision, choice: QuoteChoice, totals_json: dict, reason: str,
                 ip_address: str, user_agent: str) -> QuoteResponse:
    from quotes.models import Quote
    from quotes.services.quotes import quote_reject as quotes_reject

    quote = Quote.objects.select_for_update(of=("self",)).select_related("owner").get(pk=quote.pk)
    quote_answerable(quote=quote, revision=revision)
    reason = reason.strip()
    if not reason:
        raise PortalError(_("Tell us why you are rejecting this quote."))
    response = _quote_answer(access=access, quote=quote, revision=revision, decision=QuoteDecision.REJECTED,
                             choice=choice, totals_json=totals_json, ip_address=ip_address, user_agent=user_agent,
                             full_name=access.contact.full_name[:150], reason=reason)
    quotes_reject(quote=quote, acting_user=None,
                  comment=_("Rejected in the portal by %(name)s: %(reason)s") % {
                      "name": access.contact.full_name, "reason": reason})
    _record(kind="portal.quote_rejected", access=access, subject=quote, ref=quote.reference,
            revision=revision.number, reason=reason)
    _quote_signal(quote)
    _owner_told(quote=quote, access=access, response=response, total=f"{quote.currency} {totals_json.get('total', '')}")
    return response


# ----------------------------------------------------------------------------------------------------- tickets

PORTAL_PRIORITIES = ("low", "medium", "high")  # "urgent" is the team's call, not the customer's


@transaction.atomic
def ticket_open(*, access: PortalAccess, subject: str, description: str, priority: str, site=None, files=()):
    from helpdesk.errors import HelpdeskError
    from helpdesk.models import TicketSource
    from helpdesk.services.conversation import attachment_add, attachment_check
    from helpdesk.services.tickets import ticket_create

    if not subject.strip():
        raise PortalError(_("Give the ticket a subject."))
    if priority not in PORTAL_PRIORITIES:
        raise PortalError(_("Choose a priority: low, medium or high."))
    contact = access.contact
    if site is not None and site.customer_id != contact.customer_id:
        raise PortalError(_("Choose one of your company's sites."))
    try:
        for upload in files:
            attachment_check(upload)
        ticket = ticket_create(customer=contact.customer, acting_user=None, subject=subject, description=description,
                               contact=contact, site=site, priority=priority, source=TicketSource.PORTAL)
        for upload in files:
            attachment_add(ticket=ticket, acting_user=None, upload=upload)
    except HelpdeskError as error:
        raise PortalError(str(error)) from error
    _record(kind="portal.ticket_opened", access=access, subject=ticket, ref=ticket.reference)
    return ticket


@transaction.atomic
def ticket_reply(*, access: PortalAccess, ticket, body: str, files=()):
    from helpdesk.errors import HelpdeskError
    from helpdesk.models import TicketStatus
    from helpdesk.services.conversation import comment_add_from_contact

    if ticket.status == TicketStatus.CLOSED:
        raise PortalError(_("This ticket is closed. Open a new one if you need more help."))
    try:
        return comment_add_from_contact(ticket=ticket, contact=access.contact, body=body, files=files)
    except HelpdeskError as error:
        raise PortalError(str(error)) from error


@transaction.atomic
def ticket_close(*, access: PortalAccess, ticket):
    from helpdesk.models import TicketStatus
    from helpdesk.services.tickets import ticket_status_change

    if ticket.status == TicketStatus.CLOSED:
        raise PortalError(_("This ticket is already closed."))
    ticket_status_change(ticket=ticket, status=TicketStatus.CLOSED, acting_user=None)
    _record(kind="portal.ticket_closed", access=access, subject=ticket, ref=ticket.reference)
    return ticket


@transaction.atomic
def ticket_rate(*, access: PortalAccess, ticket, score: int, comment: str = "") -> TicketRating:
    from helpdesk.models.ticket import DONE_STATUSES
    from helpdesk.services.tickets import ticket_signal

    if ticket.status not in DONE_STATUSES:
        raise PortalError(_("You can rate a ticket once it is resolved."))
    if not 1 <= int(score) <= 5:
        raise PortalError(_("Choose a rating from 1 to 5."))
    if TicketRating.objects.filter(ticket=ticket).exists():
        raise PortalError(_("This ticket has already been rated. Thank you!"))
    rating = TicketRating.objects.create(ticket=ticket, contact=access.contact, score=int(score),
                                         comment=comment.strip())
    _record(kind="portal.ticket_rated", access=access, subject=ticket, ref=ticket.reference, score=rating.score)
    ticket_signal(ticket)
    return rating


def money_json(value: Decimal | None) -> str | None:
    return None if value is None else str(value)
