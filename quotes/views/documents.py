"""Quote pages: the list, creating a quote for a customer, the builder (every field saved as you leave it), the
workflow actions and frozen revisions. Thin: the rules live in quotes/services/quotes.py."""

from __future__ import annotations

from datetime import date
from decimal import Decimal, InvalidOperation

from django.contrib import messages
from django.core import signing
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.access import staff_view
from crm.selectors import customer_get_for_user, customer_pick
from quotes import permissions
from quotes.errors import QuoteError, QuotesError
from quotes.models import Product, Quote, QuoteLine, QuoteStatus
from quotes.models.catalogue import ProductUnit
from quotes.models.quote import LineKind, Recurrence
from quotes.selectors.quotes import AWAITING_APPROVAL, QuoteFilters, quote_get_for_user, quote_list_totals, quote_owner_choices
from quotes.selectors.quotes import quote_list as quote_list_selector
from quotes.selectors.sending import quote_email_panel
from quotes.services import quotes as services

QUOTES_PER_PAGE = 25
UNDO_SALT = "quotes.line-undo"
DECIMAL_FIELDS = {"quantity", "unit_cost", "unit_price", "markup_percent", "discount_percent"}
TEXT_FIELDS = {"description", "part_number", "supplier_name", "alternative_group", "internal_note"}
BOOLEAN_FIELDS = {"is_optional", "alternative_chosen"}
# The checkbox, select and option-group inputs target #lines-and-totals; typed fields get out-of-band figures only.
WHOLE_BUILDER_FIELDS = {"is_optional", "alternative_chosen", "alternative_group", "recurrence"}
CHOICE_FIELDS = {"unit": ProductUnit.values, "recurrence": Recurrence.values, "kind": LineKind.values}


def quote_get(*, pk, user=None) -> Quote:
    """The pages' access helper: the API's `quote_get_for_user` (one lookup rule for both)."""
    return quote_get_for_user(user=user, pk=pk)


def _date_param(request, name: str, errors: list) -> date | None:
    raw = request.GET.get(name, "").strip()
    if not raw:
        return None
    try:
        return date.fromisoformat(raw)
    except ValueError:
        errors.append(_("“%(value)s” is not a date: use the date picker or YYYY-MM-DD.") % {"value": raw})
        return None


@staff_view(permissions.VIEW_QUOTES)
def quote_list(request):
    search, status, owner = (request.GET.get(name, "").strip() for name in ("q", "status", "owner"))
    errors = []
    created_from, created_to = _date_param(request, "from", errors), _date_param(request, "to", errors)
    quotes = quote_list_selector(filters=QuoteFilters(
        search=search, status=status, owner=request.user.pk if owner == "me" else int(owner) if owner.isdigit() else None,
        created_from=created_from, created_to=created_to))
    filtered = bool(search or status or owner or created_from or created_to)
    paginator = Paginator(quotes, QUOTES_PER_PAGE)
    sums = []
    if filtered:
        # the sum of what a search or filter lists (every page), per currency, in the query that counts them
        sums = quote_list_totals(quotes)
        paginator.count = sum(row["count"] for row in sums)
    page = paginator.get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    owners = quote_owner_choices()
    context = {"page": page, "search": search, "status": status, "statuses": [*QuoteStatus.choices, (AWAITING_APPROVAL, _("Awaiting a manager's approval"))], "owner": owner,
               "owners": [("me", _("Me")), *owners],
               "created_from": request.GET.get("from", ""), "created_to": request.GET.get("to", ""),
               "errors": errors, "sums": sums, "query": query.urlencode(),
               "can_change": request.user.has_perm(permissions.CHANGE_QUOTES)}
    if request.htmx and request.htmx.target == "quote-table":
        return render(request, "quotes/quote_list.html#quote-table", context)
    return render(request, "quotes/quote_list.html", context)


@staff_view(permissions.CHANGE_QUOTES)
def quote_create(request):
    customer_id = request.GET.get("customer") or request.POST.get("customer")
    if not customer_id or not str(customer_id).isdigit():
        search = request.GET.get("q", "").strip()
        matches = customer_pick(search=search)
        if request.htmx:
            return render(request, "crm/partials/customer_picker.html#customer-matches",
                          {"matches": matches, "q": search, "pick_url": request.path})
        return render(request, "quotes/quote_new.html", {"matches": matches, "q": search})
    customer = customer_get_for_user(user=request.user, pk=int(customer_id))
    errors, values = [], {"title": request.POST.get("title", "").strip(), "contact": request.POST.get("contact", ""),
                          "site": request.POST.get("site", ""), "introduction": request.POST.get("introduction", "")}
    if request.method != "POST":
        values["contact"] = str(customer.contacts.filter(is_primary=True).values_list("pk", flat=True).first() or "")
    if request.method == "POST":
        contact = customer.contacts.filter(pk=request.POST.get("contact") or 0).first()
        site = customer.addresses.filter(pk=request.POST.get("site") or 0).first()
        if not values["title"]:
            errors.append(_("Give the quote a title."))
        else:
            try:
                quote = services.quote_create(customer=customer, acting_user=request.user, title=values["title"],
                                              contact=contact, site=site,
                                              introduction=request.POST.get("introduction", ""))
            except QuotesError as error:
                errors.append(str(error))
            else:
                messages.success(request, _("%(ref)s started.") % {"ref": quote.reference})
                return redirect("quotes:quote_builder", pk=quote.pk)
    return render(request, "quotes/quote_form.html", {
        "customer": customer, "contacts": customer.contacts.order_by("-is_primary", "first_name"),
        "sites": customer.addresses.order_by("position"), "errors": errors, "values": values},
        status=422 if errors else 200)


def _builder_context(request, quote: Quote) -> dict:
    from quotes.services.pricing import pricing_settings_ensure

    recalculated = getattr(quote, "recalculated", None)  # this request's save already read and totalled the lines
    if recalculated is not None:
        lines, totals, floor = recalculated.lines, recalculated.totals, recalculated.pricing.margin_floor_percent
    else:
        lines = list(quote.lines.order_by("position", "id"))
        totals = services.quote_totals(services.line_inputs(lines), tax_rate=Decimal(quote.tax_rate))
        floor = pricing_settings_ensure().margin_floor_percent
    rows = []
    section_net = totals.sections
    for line in lines:
        line_totals = totals.lines.get(line.pk)
        rows.append({"line": line, "totals": line_totals, "section_net": section_net.get(line.pk),
                     "low_margin": bool(line_totals and line_totals.counted and line_totals.margin_percent is not None
                                        and line_totals.margin_percent < floor)})
    return {"quote": quote, "rows": rows, "totals": totals, "margin_floor": floor, "units": ProductUnit.choices,
            "recurrences": Recurrence.choices, "revisions": quote.revisions.order_by("number"),
            "transitions": quote.transitions.select_related("actor").order_by("-created_at")[:50],
            "can_change": request.user.has_perm(permissions.CHANGE_QUOTES) and quote.is_editable,
            "can_act": request.user.has_perm(permissions.CHANGE_QUOTES),
            "can_approve": request.user.has_perm(permissions.APPROVE_QUOTES),
            "email_panel": quote_email_panel(quote=quote)}


@staff_view(permissions.VIEW_QUOTES)
def quote_builder(request, pk):
    quote = quote_get(pk=pk)
    return render(request, "quotes/quote_builder.html", _builder_context(request, quote))


def _lines_response(request, quote, *, status=200, extra=None):
    context = {**_builder_context(request, quote), **(extra or {})}
    return render(request, "quotes/quote_builder.html#lines-and-totals", context, status=status)


def _parse(field: str, raw: str):
    if field in DECIMAL_FIELDS:
        if field == "markup_percent" and raw.strip() == "":
            return None
        try:
            return Decimal(raw.replace(",", "").strip() or "0")
        except InvalidOperation as error:
            raise QuoteError(_("“%(value)s” is not a number.") % {"value": raw}) from error
    if field in BOOLEAN_FIELDS:
        return raw in ("on", "true", "1")
    if field in CHOICE_FIELDS:
        if raw not in CHOICE_FIELDS[field]:
            raise QuoteError(_("Choose one of the listed values."))
        return raw
    if field in TEXT_FIELDS:
        return raw
    raise Http404


def _line(quote, line_pk) -> QuoteLine:
    line = quote.lines.filter(pk=line_pk).first()
    if line is None:
        raise Http404
    return line


@require_POST
@staff_view(permissions.CHANGE_QUOTES)
def line_add(request, pk):
    quote = quote_get(pk=pk)
    after = quote.lines.filter(pk=request.POST.get("after") or 0).first()
    try:
        if request.POST.get("product"):
            product = Product.objects.select_related("supplier").filter(pk=request.POST["product"]).first()
            if product is None:
                raise Http404
            services.line_add_from_product(quote=quote, acting_user=request.user, product=product, after=after)
        else:
            kind = request.POST.get("kind", LineKind.ITEM)
            services.line_add(quote=quote, acting_user=request.user, after=after,
                              fields={"kind": kind if kind in LineKind.values else LineKind.ITEM})
    except QuotesError as error:
        messages.error(request, str(error))
    quote.refresh_from_db()
    return _lines_response(request, quote)


@require_POST
@staff_view(permissions.CHANGE_QUOTES)
def line_update(request, pk, line_pk):
    """One field, saved as the user leaves it: the answer is the builder's lines and totals, swapped in place."""
    quote = quote_get(pk=pk)
    line = _line(quote, line_pk)
    field = request.POST.get("field", "")
    extra = {"line_pk": line.pk}
    try:
        services.line_update(line=line, acting_user=request.user, changes={field: _parse(field, request.POST.get("value", ""))})
        # the price input is replaced only when the server computed it (cost + markup); otherwise it is what was typed
        extra["refresh_price"] = field in ("unit_cost", "markup_percent") and line.markup_percent is not None
    except QuotesError as error:
        # The field keeps what was typed (the page never replaces inputs on a field save); the message says why.
        extra = {"line_pk": line.pk, "line_error": {"field": field, "message": str(error)}}
        quote.refresh_from_db()
    # (after a save `quote` is current: the service recalculated this very object, `line.quote is quote`)
    if field in WHOLE_BUILDER_FIELDS:
        # these change which lines count and how rows look: their inputs swap the whole lines and totals
        if "line_error" in extra:
            messages.error(request, extra["line_error"]["message"])
        return _lines_response(request, quote)
    context = {**_builder_context(request, quote), **extra}
    return render(request, "quotes/quote_builder.html#field-saved", context)


@require_POST
@staff_view(permissions.CHANGE_QUOTES)
def line_delete(request, pk, line_pk):
    quote = quote_get(pk=pk)
    try:
        saved = services.line_delete(line=_line(quote, line_pk), acting_user=request.user)
    except QuotesError as error:
        messages.error(request, str(error))
        return _lines_response(request, quote)
    quote.refresh_from_db()
    token = signing.dumps({"quote": quote.pk, "line": {k: (str(v) if v is not None else None) for k, v in saved.items()}},
                          salt=UNDO_SALT)
    return _lines_response(request, quote, extra={"undo_token": token})


@require_POST
@staff_view(permissions.CHANGE_QUOTES)
def line_undo(request, pk):
    quote = quote_get(pk=pk)
    try:
        data = signing.loads(request.POST.get("token", ""), salt=UNDO_SALT, max_age=3600)
    except signing.BadSignature as error:
        raise Http404 from error
    if data.get("quote") != quote.pk:
        raise Http404
    saved = data["line"]
    restored = {}
    for key, value in saved.items():
        if key in DECIMAL_FIELDS:
            restored[key] = None if value is None else Decimal(value)
        elif key in BOOLEAN_FIELDS:
            restored[key] = value == "True"
        elif key == "position":
            restored[key] = int(value)
        elif key == "product":
            restored[key] = int(value) if value else None
        else:
            restored[key] = value or ""
    try:
        services.line_restore(quote=quote, acting_user=request.user, saved=restored)
    except QuotesError as error:
        messages.error(request, str(error))
    quote.refresh_from_db()
    return _lines_response(request, quote)


@require_POST
@staff_view(permissions.CHANGE_QUOTES)
def line_duplicate(request, pk, line_pk):
    quote = quote_get(pk=pk)
    try:
        services.line_duplicate(line=_line(quote, line_pk), acting_user=request.user)
    except QuotesError as error:
        messages.error(request, str(error))
    quote.refresh_from_db()
    return _lines_response(request, quote)


@require_POST
@staff_view(permissions.CHANGE_QUOTES)
def line_reorder(request, pk):
    quote = quote_get(pk=pk)
    try:
        ids = [int(value) for value in request.POST.get("order", "").split(",") if value]
        services.line_move(quote=quote, acting_user=request.user, ordered_ids=ids)
    except (ValueError, QuotesError) as error:
        messages.error(request, str(error) if isinstance(error, QuotesError) else _("That order could not be read."))
    quote.refresh_from_db()
    return _lines_response(request, quote)


@require_POST
@staff_view(permissions.CHANGE_QUOTES)
def line_shift(request, pk, line_pk):
    """Move a line (or a section with its lines) one place up or down: the buttons and Alt+arrow keys."""
    quote = quote_get(pk=pk)
    line = _line(quote, line_pk)
    try:
        services.line_shift(line=line, acting_user=request.user, up=request.POST.get("direction") != "down")
    except QuotesError as error:
        messages.error(request, str(error))
    quote.refresh_from_db()
    return _lines_response(request, quote, extra={"focus_line": line.pk})


@require_POST
@staff_view(permissions.CHANGE_QUOTES)
def quote_action(request, pk):
    """send, revise, accept, reject, cancel, approve, refuse: each a service with its own rules."""
    quote = quote_get(pk=pk)
    action = request.POST.get("action", "")
    comment = request.POST.get("comment", "").strip()
    manager = request.user.has_perm(permissions.APPROVE_QUOTES)
    try:
        if action == "send":
            revision = services.quote_send(quote=quote, acting_user=request.user)
            messages.success(request, _("%(ref)s R%(n)s is sent and frozen.") % {"ref": quote.reference, "n": revision.number})
        elif action == "revise":
            services.quote_revise(quote=quote, acting_user=request.user)
            messages.success(request, _("Revision R%(n)s started.") % {"n": quote.revision})
        elif action == "accept":
            services.quote_accept(quote=quote, acting_user=request.user, comment=comment)
        elif action == "reject":
            services.quote_reject(quote=quote, acting_user=request.user, comment=comment)
        elif action == "cancel":
            services.quote_cancel(quote=quote, acting_user=request.user, reason=comment, is_manager=manager)
        elif action == "request_approval":
            count = services.quote_approval_request(quote=quote, acting_user=request.user)
            messages.success(request, _("Asked %(count)s manager(s) to approve it; you will be told here when they decide.")
                             % {"count": count})
        elif action in ("approve", "refuse"):
            if not manager:
                raise QuoteError(_("Only a manager can approve quotes."))
            services.quote_approve(quote=quote, acting_user=request.user, approve=action == "approve", comment=comment)
        else:
            raise Http404
    except QuotesError as error:
        messages.error(request, str(error))
    return redirect("quotes:quote_builder", pk=quote.pk)


@staff_view(permissions.VIEW_QUOTES)
def quote_revision(request, pk, number):
    quote = quote_get(pk=pk)
    revision = quote.revisions.filter(number=number).first()
    if revision is None:
        raise Http404
    return render(request, "quotes/quote_revision.html", {"quote": quote, "revision": revision,
                                                           "snapshot": revision.snapshot})


@staff_view(permissions.VIEW_QUOTES)
def customer_quote_tab(request, pk):
    """The Quotes tab of the customer page (loaded when the tab is first opened)."""
    from django.urls import reverse

    customer = customer_get_for_user(user=request.user, pk=pk)
    if not request.htmx:
        return redirect(reverse("crm:customer_detail", kwargs={"pk": customer.pk}) + "#quotes")
    quotes = Quote.objects.filter(customer=customer).select_related("owner").order_by("-created_at", "-id")
    page = Paginator(quotes, 20).get_page(request.GET.get("page"))
    return render(request, "quotes/customer_quotes.html", {
        "customer": customer, "page": page, "can_change": request.user.has_perm(permissions.CHANGE_QUOTES)})
