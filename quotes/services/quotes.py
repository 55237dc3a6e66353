"""Every write to a quote document: creation with its number, the header, the working lines, the cached totals and
approval check after each edit, and the status workflow with its frozen revisions.

Each transition is a QuoteTransition row (who, when, comment) and an event on the customer's timeline, written in
the same transaction. Sent revisions are immutable: only a draft's working lines change, and editing a sent quote
goes through `quote_revise`, which starts the next revision.
"""

from __future__ import annotations

from dataclasses import dataclass

from datetime import date, timedelta
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.events import event_record
from core.numbering import number_next
from crm.services.customers import customer_ensure_live
from quotes.errors import QuoteError
from quotes.models import (
    ApprovalState, LineKind, Quote, QuoteLine, QuoteRevision, QuoteStatus, QuoteTransition, sell_price_from_cost,
)
from quotes.services.pricing import pricing_settings_ensure
from quotes.totals import LineInput, QuoteArithmeticError, quote_totals

HEADER_FIELDS = ("title", "introduction", "contact", "site", "owner", "valid_until", "tax_rate", "terms")
LINE_FIELDS = ("kind", "description", "part_number", "supplier_name", "product", "quantity", "unit", "unit_cost",
               "unit_price", "markup_percent", "discount_percent", "is_optional", "alternative_group",
               "alternative_chosen", "recurrence", "internal_note")

# from -> the statuses a person may move it to (send, accept ... have their own services that use this table)
TRANSITIONS = {
    QuoteStatus.DRAFT: {QuoteStatus.SENT, QuoteStatus.CANCELLED},
    QuoteStatus.SENT: {QuoteStatus.VIEWED, QuoteStatus.ACCEPTED, QuoteStatus.REJECTED, QuoteStatus.EXPIRED,
                       QuoteStatus.CANCELLED, QuoteStatus.DRAFT},
    QuoteStatus.VIEWED: {QuoteStatus.ACCEPTED, QuoteStatus.REJECTED, QuoteStatus.EXPIRED, QuoteStatus.CANCELLED,
                         QuoteStatus.DRAFT},
    QuoteStatus.ACCEPTED: {QuoteStatus.CANCELLED},  # a manager, with a reason
    QuoteStatus.REJECTED: set(), QuoteStatus.EXPIRED: set(), QuoteStatus.CANCELLED: set(),
}


def _record(quote: Quote, kind: str, acting_user, **data) -> None:
    event_record(kind=kind, actor=acting_user, subject=quote, customer_id=quote.customer_id,
                 data={"ref": quote.reference, "title": quote.title, **data})


def _transition(quote: Quote, to_status: str, acting_user, comment: str = "", revision: int | None = None) -> None:
    previous = quote.status
    if to_status not in TRANSITIONS[previous]:
        raise QuoteError(_("A quote that is %(from)s cannot become %(to)s.") % {
            "from": QuoteStatus(previous).label.lower(), "to": QuoteStatus(to_status).label.lower()})
    quote.status = to_status
    quote.save(update_fields=["status", "revision", "updated_at"])
    QuoteTransition.objects.create(quote=quote, from_status=previous, to_status=to_status,
                                   revision=revision or quote.revision,
                                   actor=acting_user if getattr(acting_user, "is_authenticated", False) else None,
                                   comment=comment)
    _record(quote, "quotes.quote_status_changed", acting_user, revision=revision or quote.revision, comment=comment,
            **{"from": str(QuoteStatus(previous).label), "to": str(QuoteStatus(to_status).label)})


# ----------------------------------------------------------------------------------------------------- header

@transaction.atomic
def quote_create(*, customer, acting_user, title: str, contact=None, site=None, introduction: str = "",
                 owner=None, today: date | None = None) -> Quote:
    """A new draft numbered Q-<year>-<n> from the tenant's gap-free counter, with the tenant's currency, VAT rate,
    validity and terms copied onto it (later changes to the settings do not alter quotes already written)."""
    customer_ensure_live(customer)
    for related, label in ((contact, _("contact")), (site, _("site"))):
        if related is not None and related.customer_id != customer.pk:
            raise QuoteError(_("That %(what)s belongs to another customer.") % {"what": label})
    today = today or timezone.localdate()
    pricing = pricing_settings_ensure()
    tenant = connection.tenant
    quote = Quote(customer=customer, contact=contact, site=site, title=title.strip(), introduction=introduction,
                  owner=owner or (acting_user if getattr(acting_user, "is_authenticated", False) else None),
                  valid_until=today + timedelta(days=pricing.quote_validity_days), currency=tenant.currency,
                  tax_rate=tenant.default_tax_rate, terms=pricing.terms, year=today.year,
                  created_by=acting_user if getattr(acting_user, "is_authenticated", False) else None)
    quote.full_clean(exclude=["number", "year"])
    quote.number = number_next(series=f"quotes.quote.{today.year}")
    quote.save()
    _record(quote, "quotes.quote_created", acting_user)
    return quote


@transaction.atomic
def quote_duplicate(*, quote: Quote, acting_user, customer=None, title: str = "", contact=None, site=None,
                    introduction: str | None = None, today: date | None = None) -> Quote:
    """A new draft (its own number, R1, today's validity, currency, VAT rate and terms) with a copy of the working
    lines, for the same customer or another one. The copy is independent: editing it never touches the original."""
    customer = customer or quote.customer
    copy = quote_create(customer=customer, acting_user=acting_user, title=title or quote.title, contact=contact,
                        site=site, introduction=quote.introduction if introduction is None else introduction,
                        today=today)
    columns = [field if field != "product" else "product_id" for field in LINE_FIELDS]
    lines = [QuoteLine(quote=copy, position=line.position, **{column: getattr(line, column) for column in columns})
             for line in quote.lines.order_by("position", "id")]
    QuoteLine.objects.bulk_create(lines)
    quote_recalculate(quote=copy)
    _record(copy, "quotes.quote_duplicated", acting_user, source=quote.reference, lines=len(lines))
    return copy


LOCK_FIELDS = ("status", "revision", "approval", "approval_reasons", "tax_rate")


def _lock_editable(quote: Quote) -> None:
    """Take the quote's row lock until the transaction ends and re-read what another request may have changed since
    this copy was loaded: edits of one quote run one at a time (two fields saved at once never undo each other),
    and none lands after the quote was sent (quote_send takes the same lock)."""
    locked = Quote.objects.select_for_update().only(*LOCK_FIELDS).get(pk=quote.pk)
    for field in LOCK_FIELDS:
        setattr(quote, field, getattr(locked, field))
    _ensure_editable(quote)


def _ensure_editable(quote: Quote) -> None:
    if not quote.is_editable:
        raise QuoteError(_("%(ref)s R%(rev)s was sent and cannot change: revise it to start R%(next)s.")
                         % {"ref": quote.reference, "rev": quote.revision, "next": quote.revision + 1})


@transaction.atomic
def quote_update(*, quote: Quote, acting_user, changes: dict) -> Quote:
    _lock_editable(quote)
    for name, label in (("contact", _("contact")), ("site", _("site"))):  # as quote_create: the customer's own
        if changes.get(name) is not None and changes[name].customer_id != quote.customer_id:
            raise QuoteError(_("That %(what)s belongs to another customer.") % {"what": label})
    changed = [field for field in HEADER_FIELDS if field in changes and getattr(quote, field) != changes[field]]
    for field in changed:
        setattr(quote, field, changes[field])
    if changed:
        quote.full_clean()
        quote.save(update_fields=[*changed, "updated_at"])  # only what this edit changed: never a stale copy
        quote_recalculate(quote=quote)
    return quote


# ------------------------------------------------------------------------------------------------------ lines

def _line_fields(fields: dict) -> dict:
    unknown = set(fields) - set(LINE_FIELDS)
    if unknown:
        raise TypeError(f"not line fields: {sorted(unknown)}")
    return fields


def _apply_markup(line: QuoteLine, pricing) -> None:
    if line.markup_percent is not None and line.kind == LineKind.ITEM:
        line.unit_price = sell_price_from_cost(cost=Decimal(line.unit_cost), markup_percent=Decimal(line.markup_percent),
                                               rounding=pricing.rounding)


def _save_line(line: QuoteLine, pricing=None) -> QuoteLine:
    _apply_markup(line, pricing or pricing_settings_ensure())
    try:
        # the field validators say it in words; the database enforces the rest (constraints, foreign keys)
        line.full_clean(exclude=["quote", "product"], validate_constraints=False)
    except ValidationError as error:
        raise QuoteError(" ".join(f"{QuoteLine._meta.get_field(name).verbose_name}: {' '.join(messages)}"
                                  if name != "__all__" else " ".join(messages)
                                  for name, messages in error.message_dict.items())) from error
    line.save()
    return line


@transaction.atomic
def line_add(*, quote: Quote, acting_user, fields: dict | None = None, after: QuoteLine | None = None) -> QuoteLine:
    """A new line (blank unless `fields` say otherwise) after `after`, or at the end."""
    _lock_editable(quote)
    lines = list(quote.lines.order_by("position", "id"))
    index = lines.index(after) + 1 if after is not None and after in lines else len(lines)
    line = QuoteLine(quote=quote, **_line_fields(fields or {}))
    lines.insert(index, line)
    _save_line(line)
    _renumber(lines)
    quote_recalculate(quote=quote)
    return line


@transaction.atomic
def line_add_from_product(*, quote: Quote, acting_user, product, after: QuoteLine | None = None,
                          quantity: Decimal = Decimal(1)) -> QuoteLine:
    """Part number, description, supplier, unit, cost and list price copied from the catalogue (the quote keeps its
    own copy: later catalogue price changes never alter a written quote)."""
    return line_add(quote=quote, acting_user=acting_user, after=after, fields={
        "product": product, "part_number": product.part_number[:40], "description": product.description,
        "supplier_name": product.supplier.name[:60], "unit": product.unit, "unit_cost": product.cost_price,
        "unit_price": product.list_price, "quantity": quantity})


@transaction.atomic
def line_update(*, line: QuoteLine, acting_user, changes: dict) -> QuoteLine:
    quote = line.quote
    _lock_editable(quote)
    line.refresh_from_db()  # the other fields as the request before this one left them
    for field, value in _line_fields(changes).items():
        setattr(line, field, value)
    if "unit_price" in changes and "markup_percent" not in changes:
        line.markup_percent = None  # a typed price wins over the markup
    pricing = pricing_settings_ensure()
    _save_line(line, pricing)
    quote_recalculate(quote=quote, pricing=pricing)
    return line


@transaction.atomic
def line_delete(*, line: QuoteLine, acting_user) -> dict:
    """Remove a line; returns what `line_restore` needs to put it back (the builder's undo)."""
    quote = line.quote
    _lock_editable(quote)
    saved = {field: getattr(line, field if field != "product" else "product_id") for field in LINE_FIELDS}
    saved["position"] = line.position
    line.delete()
    _renumber(list(quote.lines.order_by("position", "id")))
    quote_recalculate(quote=quote)
    return saved


@transaction.atomic
def line_restore(*, quote: Quote, acting_user, saved: dict) -> QuoteLine:
    _lock_editable(quote)
    fields = {key: value for key, value in saved.items() if key not in ("position", "product")}
    line = QuoteLine(quote=quote, product_id=saved.get("product"), **fields)
    lines = list(quote.lines.order_by("position", "id"))
    lines.insert(min(max(saved.get("position", len(lines) + 1) - 1, 0), len(lines)), line)  # positions count from 1
    _save_line(line)
    _renumber(lines)
    quote_recalculate(quote=quote)
    return line


@transaction.atomic
def line_duplicate(*, line: QuoteLine, acting_user) -> QuoteLine:
    fields = {field: getattr(line, field) for field in LINE_FIELDS}
    return line_add(quote=line.quote, acting_user=acting_user, fields=fields, after=line)


@transaction.atomic
def line_move(*, quote: Quote, acting_user, ordered_ids: list[int]) -> None:
    """The builder's new order (every line id, once). Anything else is refused: nothing is silently dropped."""
    _lock_editable(quote)
    lines = {line.pk: line for line in quote.lines.all()}
    if sorted(ordered_ids) != sorted(lines):
        raise QuoteError(_("The quote changed while you were moving lines: reload it and try again."))
    _renumber([lines[pk] for pk in ordered_ids])
    quote_recalculate(quote=quote)


@transaction.atomic
def line_shift(*, line: QuoteLine, acting_user, up: bool) -> bool:
    """Move one place up or down, from the keyboard or a button. An item swaps with its neighbour (crossing into the
    next section if it is at an edge); a section heading moves with its items, past the whole neighbouring section.
    Returns False when there is nowhere to go (already first or last)."""
    quote = line.quote
    _lock_editable(quote)
    lines = list(quote.lines.order_by("position", "id"))
    if line.kind == LineKind.SECTION:
        blocks, current = [], []
        for each in lines:
            if each.kind == LineKind.SECTION and current:
                blocks.append(current)
                current = []
            current.append(each)
        blocks.append(current)
        index = next(i for i, block in enumerate(blocks) if block[0].pk == line.pk)
        other = index - 1 if up else index + 1
        # the lines before the first heading belong to no section: a section never moves above them
        if other < 0 or other >= len(blocks) or blocks[other][0].kind != LineKind.SECTION:
            return False
        blocks[index], blocks[other] = blocks[other], blocks[index]
        ordered = [each for block in blocks for each in block]
    else:
        index = next(i for i, each in enumerate(lines) if each.pk == line.pk)
        other = index - 1 if up else index + 1
        if other < 0 or other >= len(lines):
            return False
        lines[index], lines[other] = lines[other], lines[index]
        ordered = lines
    _renumber(ordered)
    quote_recalculate(quote=quote)
    return True


def _renumber(lines: list[QuoteLine]) -> None:
    changed = []
    for position, line in enumerate(lines, start=1):
        if line.position != position:
            line.position = position
            changed.append(line)
    QuoteLine.objects.bulk_update(changed, ["position"])


# ----------------------------------------------------------------------------------------------------- totals

def line_inputs(lines) -> list[LineInput]:
    """The builder's rows as the arithmetic sees them: each item belongs to the heading above it."""
    inputs, section = [], None
    for line in lines:
        if line.kind == LineKind.SECTION:
            section = line.pk
            continue
        inputs.append(LineInput(
            key=line.pk, quantity=Decimal(line.quantity), unit_price=Decimal(line.unit_price),
            unit_cost=Decimal(line.unit_cost), discount_percent=Decimal(line.discount_percent), section=section,
            optional=line.is_optional, alternative_group=line.alternative_group,
            alternative_chosen=line.alternative_chosen, recurrence=line.recurrence))
    return inputs


@dataclass(frozen=True)
class Recalculated:
    """What the last recalculation read and computed, kept on the quote (`quote.recalculated`) so that the page
    answering the same request shows them without reading the lines and settings again."""

    lines: list
    totals: object
    pricing: object


def quote_recalculate(*, quote: Quote, pricing=None):
    """Recompute the cached totals and whether a manager must approve before sending (the tenant's rules)."""
    pricing = pricing or pricing_settings_ensure()
    lines = list(quote.lines.order_by("position", "id"))
    try:
        totals = quote_totals(line_inputs(lines), tax_rate=Decimal(quote.tax_rate))
    except QuoteArithmeticError as error:
        raise QuoteError(str(error)) from error
    quote.net_total, quote.tax_total, quote.grand_total = totals.one_off.net, totals.one_off.tax, totals.one_off.total
    quote.monthly_total = totals.recurring["monthly"].net if "monthly" in totals.recurring else Decimal("0.00")
    quote.annual_total = totals.recurring["annual"].net if "annual" in totals.recurring else Decimal("0.00")
    quote.margin_percent = totals.one_off.margin_percent
    reasons = approval_reasons(quote=quote, totals=totals, pricing=pricing, lines=lines)
    if reasons != quote.approval_reasons or (reasons and quote.approval == ApprovalState.NOT_NEEDED) or (
            not reasons and quote.approval):
        # any edit that changes what needs approving asks again; an approved quote edited stays approved only if
        # the reasons are exactly the ones the manager saw
        quote.approval = ApprovalState.PENDING if reasons else ApprovalState.NOT_NEEDED
        quote.approval_reasons = reasons
    quote.save(update_fields=["net_total", "tax_total", "grand_total", "monthly_total", "annual_total",
                              "margin_percent", "approval", "approval_reasons", "updated_at"])
    quote.recalculated = Recalculated(lines=lines, totals=totals, pricing=pricing)
    return totals


def approval_reasons(*, quote: Quote, totals, pricing=None, lines=None) -> list[str]:
    pricing = pricing or pricing_settings_ensure()
    reasons = []
    margin = totals.one_off.margin_percent
    if pricing.approval_margin_below_percent is not None and margin is not None \
            and margin < pricing.approval_margin_below_percent:
        reasons.append(_("Margin %(margin)s %% is below %(limit)s %%.") % {
            "margin": margin, "limit": pricing.approval_margin_below_percent})
    if pricing.approval_discount_above_percent is not None:
        top = max((Decimal(line.discount_percent) for line in (quote.lines.all() if lines is None else lines)),
                  default=Decimal(0))
        if top > pricing.approval_discount_above_percent:
            reasons.append(_("A line is discounted %(discount)s %%, above %(limit)s %%.") % {
                "discount": top.normalize(), "limit": pricing.approval_discount_above_percent})
    if pricing.approval_total_above is not None and totals.one_off.net > pricing.approval_total_above:
        reasons.append(_("The total %(total)s is above %(limit)s.") % {
            "total": totals.one_off.net, "limit": pricing.approval_total_above})
    return reasons


def _builder_link(quote: Quote) -> str:
    from django.urls import reverse

    return reverse("quotes:quote_builder", args=[quote.pk])


@transaction.atomic
def quote_approval_request(*, quote: Quote, acting_user) -> int:
    """Ask the managers (and admins) to approve: each gets a live notification saying why. Returns how many."""
    from accounts.roles import Role
    from core.notifications import notify_role

    if quote.approval != ApprovalState.PENDING:
        raise QuoteError(_("This quote does not need approval."))
    message = _("%(who)s asks you to approve %(ref)s “%(title)s”: %(reasons)s") % {
        "who": acting_user, "ref": quote.reference, "title": quote.title, "reasons": " ".join(quote.approval_reasons)}
    notified = [notification for role in (Role.MANAGER, Role.ADMIN)
                for notification in notify_role(role=role, message=message, link=_builder_link(quote), level="warning")
                if notification.recipient_id != getattr(acting_user, "pk", None)]
    _record(quote, "quotes.quote_approval_requested", acting_user, reasons=quote.approval_reasons)
    return len(notified)


@transaction.atomic
def quote_approve(*, quote: Quote, acting_user, approve: bool, comment: str = "") -> Quote:
    """A manager's decision, with a comment; the quote's owner is told at once (live notification)."""
    from core.notifications import notify_user

    if quote.approval != ApprovalState.PENDING:
        raise QuoteError(_("This quote is not waiting for approval."))
    quote.approval = ApprovalState.APPROVED if approve else ApprovalState.REJECTED
    quote.save(update_fields=["approval", "updated_at"])
    _record(quote, "quotes.quote_approved" if approve else "quotes.quote_approval_refused", acting_user,
            comment=comment, reasons=quote.approval_reasons)
    if quote.owner_id and quote.owner_id != getattr(acting_user, "pk", None) and quote.owner.is_active:
        values = {"who": acting_user, "ref": quote.reference, "comment": f" — {comment}" if comment else ""}
        message = (_("%(who)s approved %(ref)s: it can be sent.%(comment)s") if approve
                   else _("%(who)s refused to approve %(ref)s.%(comment)s")) % values
        notify_user(user=quote.owner, message=message, link=_builder_link(quote),
                    level="success" if approve else "warning")
    return quote


# --------------------------------------------------------------------------------------------------- workflow

def _snapshot(quote: Quote) -> dict:
    lines = list(quote.lines.order_by("position", "id"))
    totals = quote_totals(line_inputs(lines), tax_rate=Decimal(quote.tax_rate))

    def money(value):
        return None if value is None else str(value)

    snapshot = {
        "reference": quote.reference, "revision": quote.revision, "title": quote.title,
        "introduction": quote.introduction, "customer": quote.customer.name,
        "contact": str(quote.contact) if quote.contact_id else "", "site": str(quote.site) if quote.site_id else "",
        "valid_until": quote.valid_until.isoformat(), "currency": quote.currency, "tax_rate": str(quote.tax_rate),
        "terms": quote.terms,
        "lines": [{"id": line.pk, "kind": line.kind, "description": line.description, "part_number": line.part_number,
                   "supplier_name": line.supplier_name, "quantity": str(line.quantity), "unit": line.unit,
                   "unit_cost": str(line.unit_cost), "unit_price": str(line.unit_price),
                   "discount_percent": str(line.discount_percent), "is_optional": line.is_optional,
                   "alternative_group": line.alternative_group, "alternative_chosen": line.alternative_chosen,
                   "recurrence": line.recurrence,
                   "net": money(totals.lines[line.pk].net) if line.pk in totals.lines else None,
                   "counted": totals.lines[line.pk].counted if line.pk in totals.lines else None}
                  for line in lines],
        "totals": {"net": money(totals.one_off.net), "discount": money(totals.one_off.discount),
                   "tax": money(totals.one_off.tax), "total": money(totals.one_off.total),
                   "margin_percent": money(totals.one_off.margin_percent), "optional": money(totals.optional_net),
                   "recurring": {period: {"net": money(t.net), "tax": money(t.tax), "total": money(t.total)}
                                 for period, t in totals.recurring.items()}},
    }
    snapshot.update(_snapshot_addresses(quote))
    return snapshot


def _snapshot_addresses(quote: Quote) -> dict:
    """What the PDF prints under "Prepared for" and "Site", frozen with the rest (later address edits leave it)."""
    from crm.models import AddressKind

    email = quote.contact.emails.order_by("-is_primary", "id").first() if quote.contact_id else None
    addresses = {(address.kind, address.is_default): address for address in quote.customer.addresses.order_by("-id")}
    billing = addresses.get((AddressKind.BILLING, True)) or addresses.get((AddressKind.PRIMARY, True))
    site = quote.site if quote.site_id else None
    return {"contact_email": email.address if email else "",
            "customer_address": billing.lines if billing else [],
            "site_lines": ([site.label] if site.label else []) + site.lines if site else []}


def quote_snapshot(*, quote: Quote) -> dict:
    """The working lines as they would be frozen now: the PDF's draft preview draws this, and the comparison of a
    draft with what was sent."""
    return _snapshot(quote)


@transaction.atomic
def quote_send(*, quote: Quote, acting_user, now=None, draw_pdf: bool = True) -> QuoteRevision:
    """Freeze the working lines as revision R<n> and mark the quote sent (the email is sent by its own service).
    The revision's PDF is drawn by a task on commit (`draw_pdf=False`: the caller's own task draws it)."""
    quote = Quote.objects.select_for_update().get(pk=quote.pk)
    if quote.status != QuoteStatus.DRAFT:
        raise QuoteError(_("Only a draft can be sent; revise a sent quote first."))
    if not quote.lines.filter(kind=LineKind.ITEM).exists():
        raise QuoteError(_("Add at least one line before sending."))
    if quote.approval == ApprovalState.PENDING:
        raise QuoteError(_("A manager must approve this quote before it is sent: %(reasons)s")
                         % {"reasons": " ".join(quote.approval_reasons)})
    if quote.approval == ApprovalState.REJECTED:
        raise QuoteError(_("A manager refused this quote: change it so that it no longer needs approval, or ask again."))
    revision = QuoteRevision.objects.create(quote=quote, number=quote.revision, snapshot=_snapshot(quote),
                                            sent_at=now or timezone.now(),
                                            sent_by=acting_user if getattr(acting_user, "is_authenticated", False) else None)
    _transition(quote, QuoteStatus.SENT, acting_user)
    if draw_pdf:
        from core.transactions import on_commit_in_this_schema
        from quotes.tasks import quote_revision_pdf

        on_commit_in_this_schema(lambda: quote_revision_pdf.delay(revision.pk))
    return revision


@transaction.atomic
def quote_revise(*, quote: Quote, acting_user) -> Quote:
    """Start the next revision from the last one sent: the quote is a draft again, earlier revisions stay as sent."""
    if quote.status not in (QuoteStatus.SENT, QuoteStatus.VIEWED):
        raise QuoteError(_("Only a sent quote can be revised."))
    quote.revision += 1
    quote.approval = ApprovalState.NOT_NEEDED
    _transition(quote, QuoteStatus.DRAFT, acting_user, comment=_("Revision R%(n)s started") % {"n": quote.revision})
    quote_recalculate(quote=quote)
    return quote


@transaction.atomic
def quote_accept(*, quote: Quote, acting_user, revision: int | None = None, comment: str = "") -> Quote:
    """Accept one sent revision (the latest unless named); the other revisions are superseded."""
    revision_row = quote.revisions.filter(number=revision or quote.revisions.order_by("-number").values_list(
        "number", flat=True).first() or 0).first()
    if revision_row is None:
        raise QuoteError(_("There is no sent revision to accept."))
    if quote.status == QuoteStatus.DRAFT and revision_row.number < quote.revision:
        quote.revision = revision_row.number  # accepting an earlier live revision abandons the draft of the next
        quote.status = QuoteStatus.SENT
    quote.revisions.exclude(pk=revision_row.pk).update(is_superseded=True)
    # the accepted revision's snapshot is the document of record; `quote.revision` stays the latest one written
    _transition(quote, QuoteStatus.ACCEPTED, acting_user, revision=revision_row.number,
                comment=comment or _("R%(n)s accepted") % {"n": revision_row.number})
    return quote


@transaction.atomic
def quote_mark_viewed(*, quote: Quote, comment: str = "") -> bool:
    """The customer opened a sent quote for the first time (the portal): sent becomes viewed, once. False when the
    quote was not waiting in "sent" (already viewed, answered, being revised)."""
    quote = Quote.objects.select_for_update().get(pk=quote.pk)
    if quote.status != QuoteStatus.SENT:
        return False
    _transition(quote, QuoteStatus.VIEWED, None, comment=comment)
    return True


@transaction.atomic
def quote_reject(*, quote: Quote, acting_user, comment: str = "") -> Quote:
    _transition(quote, QuoteStatus.REJECTED, acting_user, comment=comment)
    return quote


@transaction.atomic
def quote_cancel(*, quote: Quote, acting_user, reason: str = "", is_manager: bool = False) -> Quote:
    if quote.status == QuoteStatus.ACCEPTED:
        if not is_manager:
            raise QuoteError(_("Only a manager can cancel an accepted quote."))
        if not reason.strip():
            raise QuoteError(_("Say why an accepted quote is cancelled."))
    _transition(quote, QuoteStatus.CANCELLED, acting_user, comment=reason)
    return quote


def quotes_expire_due(*, today: date | None = None) -> int:
    """The daily beat job: sent or viewed quotes past their valid-until date expire, each with its history."""
    today = today or timezone.localdate()
    count = 0
    for quote in Quote.objects.filter(status__in=(QuoteStatus.SENT, QuoteStatus.VIEWED), valid_until__lt=today):
        with transaction.atomic():
            _transition(quote, QuoteStatus.EXPIRED, None, comment=_("Past its valid-until date"))
        count += 1
    return count

