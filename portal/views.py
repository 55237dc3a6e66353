"""The customer portal's pages (/portal/ on the tenant host). Thin: who is signed in comes from `portal_view`, reads
from portal/selectors.py, writes from portal/services.py. `request.user` is never read here."""

from __future__ import annotations

from decimal import Decimal

from django.contrib import messages
from django.core.files.storage import default_storage
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.errors import LoginLocked
from accounts.throttle import client_address, login_failure_record, login_failures_clear, login_lock_check
from portal import selectors, services
from portal.access import portal_access_current, portal_sign_in, portal_sign_out, portal_view, REVOKED
from portal.errors import PortalError, PortalTokenInvalid
from portal.forms import EmailForm, PasswordChangeForm, RatingForm, ReplyForm, SetPasswordForm, SignInForm, TicketForm
from portal.models import PortalTokenPurpose, QuoteResponse
from quotes.totals import LineInput, QuoteArithmeticError, Selection, quote_totals

PER_PAGE = 20
THROTTLE_SCOPE = "portal"
LINK_THROTTLE_SCOPE = "portal-link"


def _base_url(request) -> str:
    return f"{request.scheme}://{request.get_host()}"


def _next_url(request) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target.startswith("/portal/") and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return reverse("portal:home")


# ------------------------------------------------------------------------------------------------ signing in

def sign_in(request):
    """Email and password, locked for a while after repeated failures (the staff mechanism, its own counters)."""
    current = portal_access_current(request)
    if current not in (None, REVOKED):
        return redirect(_next_url(request))
    form = SignInForm(request.POST or None, initial={"email": request.GET.get("email", "")})
    if request.method == "POST" and form.is_valid():
        email, password = form.cleaned_data["email"].lower(), form.cleaned_data["password"]
        address = client_address(request)
        try:
            login_lock_check(email=email, address=address, scope=THROTTLE_SCOPE)
        except LoginLocked as locked:
            form.add_error(None, str(locked))
        else:
            access = services.access_for_email(email=email)
            if access is not None and access.check_password(password):
                login_failures_clear(email=email, address=address, scope=THROTTLE_SCOPE)
                portal_sign_in(request, access)
                return redirect(_next_url(request))
            if access is None and services.revoked_access_matching(email=email, password=password):
                return render(request, "portal/revoked.html", status=403)
            login_failure_record(email=email, address=address, scope=THROTTLE_SCOPE)
            try:
                login_lock_check(email=email, address=address, scope=THROTTLE_SCOPE)
            except LoginLocked as locked:
                form.add_error(None, str(locked))
            else:
                form.add_error(None, _("That email and password do not match a portal account here."))
    return render(request, "portal/sign_in.html", {"form": form, "next": _next_url(request)},
                  status=422 if form.errors else 200)


@require_POST
def sign_out(request):
    portal_sign_out(request)
    messages.success(request, _("You are signed out."))
    return redirect("portal:sign_in")


def _link_request(request, *, purpose: str, template: str):
    """Links are sent at most LOGIN_FAILURE_LIMIT times per address and client in the lockout window (the sign-in
    throttle with its own counters), so the page cannot be used to flood someone's inbox. The answer is the same
    either way."""
    form = EmailForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        email, address = form.cleaned_data["email"].lower(), client_address(request)
        try:
            login_lock_check(email=email, address=address, scope=LINK_THROTTLE_SCOPE)
        except LoginLocked:
            pass
        else:
            login_failure_record(email=email, address=address, scope=LINK_THROTTLE_SCOPE)
            services.link_request(email=email, purpose=purpose, base_url=_base_url(request))
        return render(request, "portal/link_sent.html", {"email": form.cleaned_data["email"], "purpose": purpose})
    return render(request, template, {"form": form}, status=422 if form.errors else 200)


def link_request(request):
    """"Email me a sign-in link": the same answer whether or not the address has access."""
    return _link_request(request, purpose=PortalTokenPurpose.SIGN_IN, template="portal/link_request.html")


def password_reset(request):
    return _link_request(request, purpose=PortalTokenPurpose.PASSWORD_RESET, template="portal/password_reset.html")


def _token_or_page(request, token: str, purpose: str):
    try:
        return services.token_check(token=token, purpose=purpose), None
    except PortalTokenInvalid as error:
        from portal.models import PortalToken

        if not PortalToken.objects.filter(token_hash=PortalToken.hash_token(token)).exists():
            raise Http404 from None
        return None, render(request, "portal/token_invalid.html", {"reason": str(error)}, status=410)


def link_sign_in(request, token):
    """The emailed sign-in link. Opening it shows a button: mail scanners that fetch links do not use it up."""
    row, page = _token_or_page(request, token, PortalTokenPurpose.SIGN_IN)
    if page:
        return page
    if request.method == "POST":
        try:
            access = services.sign_in_with_link(token=token)
        except PortalTokenInvalid as error:
            return render(request, "portal/token_invalid.html", {"reason": str(error)}, status=410)
        portal_sign_in(request, access)
        return redirect("portal:home")
    return render(request, "portal/link_sign_in.html", {"access": row.access})


def _set_password(request, token, purpose: str, title: str):
    row, page = _token_or_page(request, token, purpose)
    if page:
        return page
    form = SetPasswordForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            access = services.password_set_with_token(token=token, purpose=purpose,
                                                      password=form.cleaned_data["password1"])
        except PortalTokenInvalid as error:
            return render(request, "portal/token_invalid.html", {"reason": str(error)}, status=410)
        except PortalError as error:
            form.add_error("password1", str(error))
        else:
            portal_sign_in(request, access)
            messages.success(request, _("Your password is set. Welcome, %(name)s.") % {
                "name": access.contact.first_name})
            return redirect("portal:home")
    return render(request, "portal/set_password.html", {"form": form, "access": row.access, "title": title},
                  status=422 if form.errors else 200)


def invitation(request, token):
    return _set_password(request, token, PortalTokenPurpose.INVITATION, _("Set your password"))


def password_reset_confirm(request, token):
    return _set_password(request, token, PortalTokenPurpose.PASSWORD_RESET, _("Choose a new password"))


def logo(request):
    """The tenant's logo for the portal's pages (the sign-in page too, so no sign-in needed)."""
    from tenants.branding import logo_content_type

    tenant = request.tenant
    logo_file = tenant.logo
    if not logo_file or not logo_file.name.startswith(f"{tenant.schema_name}/") \
            or not default_storage.exists(logo_file.name):
        raise Http404
    response = FileResponse(default_storage.open(logo_file.name, "rb"), content_type=logo_content_type(logo_file.name))
    response["Cache-Control"] = "private, max-age=3600"
    response["Content-Security-Policy"] = "default-src 'none'"
    return response


# --------------------------------------------------------------------------------------------- home, account

@portal_view()
def home(request):
    access = request.portal_access
    context = {"access": access}
    if access.can_see_quotes:
        from quotes.models import QuoteStatus

        context["quotes_waiting"] = selectors.quote_list_for_access(access=access).filter(
            status__in=(QuoteStatus.SENT, QuoteStatus.VIEWED)).count()
    if access.can_see_tickets:
        from helpdesk.models.ticket import OPEN_STATUSES

        context["tickets_open"] = selectors.ticket_list_for_access(access=access).filter(
            status__in=OPEN_STATUSES).count()
    if access.can_see_contracts:
        from helpdesk.models.contract import LIVE_STATUSES

        context["contracts_live"] = selectors.contract_list_for_access(access=access).filter(
            status__in=LIVE_STATUSES).count()
    return render(request, "portal/home.html", context)


@portal_view()
def account(request):
    access = request.portal_access
    form = PasswordChangeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.password_change(access=access, current=form.cleaned_data["current"],
                                     new=form.cleaned_data["password1"])
        except PortalError as error:
            form.add_error(None, str(error))
        else:
            access.refresh_from_db()
            portal_sign_in(request, access)
            messages.success(request, _("Your password was changed. Other browsers were signed out."))
            return redirect("portal:account")
    return render(request, "portal/account.html", {"access": access, "form": form}, status=422 if form.errors else 200)


# ------------------------------------------------------------------------------------------------------ quotes

@portal_view("quotes")
def quote_list(request):
    access = request.portal_access
    page = Paginator(selectors.quote_list_for_access(access=access), PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "portal/quote_list.html", {"access": access, "page": page})


def _inputs(snapshot: dict) -> list[LineInput]:
    inputs, section = [], None
    for line in snapshot.get("lines", []):
        if line["kind"] == "section":
            section = line["id"]
            continue
        inputs.append(LineInput(
            key=line["id"], quantity=Decimal(line["quantity"]), unit_price=Decimal(line["unit_price"]),
            discount_percent=Decimal(line["discount_percent"]), section=section, optional=line["is_optional"],
            alternative_group=line["alternative_group"], alternative_chosen=line["alternative_chosen"],
            recurrence=line["recurrence"]))
    return inputs


def _choice(snapshot: dict, data) -> services.QuoteChoice:
    """The options the contact picked (`optional` ids, `alt-<group>` = id), checked against the revision; the quote's
    own choice for any group not given."""
    lines = [line for line in snapshot.get("lines", []) if line["kind"] != "section"]
    optional_ids = {line["id"] for line in lines if line["is_optional"]}
    groups: dict[str, list[int]] = {}
    for line in lines:
        if line["alternative_group"] and not line["is_optional"]:
            groups.setdefault(line["alternative_group"], []).append(line["id"])
    try:
        picked_optional = {int(value) for value in data.getlist("optional")} if data is not None else set()
    except ValueError:
        raise PortalError(_("That choice of options could not be read.")) from None
    if picked_optional - optional_ids:
        raise PortalError(_("That choice of options does not match this quote."))
    alternatives = {}
    for group, ids in groups.items():
        raw = data.get(f"alt-{group}") if data is not None else None
        if raw:
            if not raw.isdigit() or int(raw) not in ids:
                raise PortalError(_("That choice of options does not match this quote."))
            alternatives[group] = int(raw)
        else:
            marked = [line["id"] for line in lines if line["id"] in ids and line["alternative_chosen"]]
            alternatives[group] = (marked or ids)[0]
    return services.QuoteChoice(optional=tuple(sorted(picked_optional)), alternatives=alternatives)


def _quote_context(request, quote, revision, data=None, revisions=None) -> dict:
    snapshot = revision.snapshot
    choice = _choice(snapshot, data)
    try:
        totals = quote_totals(_inputs(snapshot), tax_rate=Decimal(snapshot["tax_rate"]),
                              selection=Selection(optional=frozenset(choice.optional), alternatives=choice.alternatives))
    except QuoteArithmeticError as error:
        raise PortalError(str(error)) from error
    rows = []
    for line in snapshot.get("lines", []):
        rows.append({"line": line, "totals": totals.lines.get(line["id"]),
                     "included": line["id"] in choice.optional,
                     "picked": choice.alternatives.get(line["alternative_group"]) == line["id"]})
    response = QuoteResponse.objects.filter(quote=quote).first()
    answerable = True
    closed_reason = ""
    try:
        services.quote_answerable(quote=quote, revision=revision, answered=response is not None)
    except PortalError as error:
        answerable, closed_reason = False, str(error)
    return {"access": request.portal_access, "quote": quote, "revision": revision, "snapshot": snapshot,
            "rows": rows, "totals": totals, "choice": choice, "answerable": answerable,
            "closed_reason": closed_reason, "response": response,
            "revisions": revisions if revisions is not None else [],
            "totals_json": {"net": str(totals.one_off.net), "tax": str(totals.one_off.tax),
                            "total": str(totals.one_off.total), "discount": str(totals.one_off.discount),
                            "recurring": {period: {"net": str(t.net), "tax": str(t.tax), "total": str(t.total)}
                                          for period, t in totals.recurring.items()}}}


def _revisions(quote, number):
    """Every sent revision (oldest first) and the one asked for (the latest when none is named)."""
    revisions = list(quote.revisions.order_by("number"))
    if not revisions:
        raise Http404
    if number in (None, ""):
        return revisions, revisions[-1]
    picked = [revision for revision in revisions if str(revision.number) == str(number)]
    if not picked:
        raise Http404
    return revisions, picked[0]


@portal_view("quotes")
def quote_detail(request, pk):
    from quotes.models import QuoteStatus

    access = request.portal_access
    quote = selectors.quote_get_for_access(access=access, pk=pk)
    revisions, revision = _revisions(quote, request.GET.get("revision"))
    if revision is revisions[-1] and quote.status == QuoteStatus.SENT:
        services.quote_viewed(access=access, quote=quote, revision=revision)
        quote.refresh_from_db(fields=["status"])
    context = _quote_context(request, quote, revision, revisions=revisions)
    return render(request, "portal/quote_detail.html", context)


@portal_view("quotes")
def quote_pdf(request, pk, number):
    """The PDF of a revision sent to the contact's company, exactly as sent (the same stored file staff see)."""
    from quotes.views.sending import revision_pdf_response

    quote = selectors.quote_get_for_access(access=request.portal_access, pk=pk)
    revision = quote.revisions.select_related("quote").filter(number=number).first()
    if revision is None:
        raise Http404
    return revision_pdf_response(request, revision)


def _answer_revision(request, quote):
    return _revisions(quote, request.POST.get("revision"))[1]



@require_POST
@portal_view("quotes")
def quote_options(request, pk):
    """The totals for the options ticked (htmx), computed on the server from the revision as sent."""
    quote = selectors.quote_get_for_access(access=request.portal_access, pk=pk)
    revision = _answer_revision(request, quote)
    try:
        context = _quote_context(request, quote, revision, request.POST)
    except PortalError as error:
        return render(request, "portal/partials/error.html", {"message": str(error)}, status=422)
    return render(request, "portal/quote_detail.html#quote-figures", {**context, "oob": True})


def _answer(request, pk, decide):
    access = request.portal_access
    quote = selectors.quote_get_for_access(access=access, pk=pk)
    revisions, revision = _revisions(quote, request.POST.get("revision"))
    try:
        context = _quote_context(request, quote, revision, request.POST, revisions=revisions)
    except PortalError as error:  # options that do not match the revision: show it as sent
        context, problem = _quote_context(request, quote, revision, revisions=revisions), error
    else:
        try:
            decide(access=access, quote=quote, revision=revision, choice=context["choice"],
                   totals_json=context["totals_json"])
        except PortalError as error:
            problem = error
            quote.refresh_from_db(fields=["status"])
        else:
            return redirect("portal:quote_detail", pk=quote.pk)
    context.update(post=request.POST, answer_error=str(problem))
    return render(request, "portal/quote_detail.html", context, status=422)


@require_POST
@portal_view("quotes")
def quote_accept(request, pk):
    def decide(**kwargs):
        services.quote_accept(full_name=request.POST.get("full_name", ""), position=request.POST.get("position", ""),
                              terms_accepted=request.POST.get("terms") == "on", ip_address=client_address(request),
                              user_agent=request.META.get("HTTP_USER_AGENT", ""), **kwargs)
        messages.success(request, _("Thank you: the quote is accepted. We will be in touch about the next steps."))

    return _answer(request, pk, decide)


@require_POST
@portal_view("quotes")
def quote_reject(request, pk):
    def decide(**kwargs):
        services.quote_reject(reason=request.POST.get("reason", ""), ip_address=client_address(request),
                              user_agent=request.META.get("HTTP_USER_AGENT", ""), **kwargs)
        messages.success(request, _("Thank you for letting us know. The quote is marked as rejected."))

    return _answer(request, pk, decide)


# ----------------------------------------------------------------------------------------------------- tickets

@portal_view("tickets")
def ticket_list(request):
    access = request.portal_access
    tickets = selectors.ticket_list_for_access(access=access)
    show = request.GET.get("show", "open")
    if show == "open":
        from helpdesk.models.ticket import OPEN_STATUSES

        tickets = tickets.filter(status__in=OPEN_STATUSES)
    page = Paginator(tickets, PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "portal/ticket_list.html", {"access": access, "page": page, "show": show})


@portal_view("tickets")
def ticket_create(request):
    access = request.portal_access
    form = TicketForm(request.POST or None, sites=selectors.site_choices_for_access(access=access))
    if request.method == "POST" and form.is_valid():
        try:
            ticket = services.ticket_open(access=access, subject=form.cleaned_data["subject"],
                                          description=form.cleaned_data["description"],
                                          priority=form.cleaned_data["priority"], site=form.cleaned_data["site"],
                                          files=request.FILES.getlist("files"))
        except PortalError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Ticket %(ref)s is open. We will reply here and by email.") % {
                "ref": ticket.reference})
            return redirect("portal:ticket_detail", pk=ticket.pk)
    return render(request, "portal/ticket_new.html", {"access": access, "form": form},
                  status=422 if form.errors else 200)


def _ticket_context(request, ticket, **extra):
    from helpdesk.models.ticket import DONE_STATUSES

    rating = getattr(ticket, "portal_rating", None)
    return {"access": request.portal_access, "ticket": ticket,
            "conversation": selectors.ticket_public_conversation(ticket=ticket),
            "opening_files": selectors.ticket_opening_files(ticket=ticket),
            "reply_form": extra.pop("reply_form", None) or ReplyForm(),
            "rating": rating, "rating_form": extra.pop("rating_form", None) or RatingForm(),
            "can_rate": ticket.status in DONE_STATUSES and rating is None,
            "can_close": ticket.status != "closed", **extra}


@portal_view("tickets")
def ticket_detail(request, pk):
    ticket = selectors.ticket_get_for_access(access=request.portal_access, pk=pk)
    return render(request, "portal/ticket_detail.html", _ticket_context(request, ticket))


@require_POST
@portal_view("tickets")
def ticket_reply(request, pk):
    ticket = selectors.ticket_get_for_access(access=request.portal_access, pk=pk)
    form = ReplyForm(request.POST)
    if form.is_valid():
        try:
            services.ticket_reply(access=request.portal_access, ticket=ticket, body=form.cleaned_data["body"],
                                  files=request.FILES.getlist("files"))
        except PortalError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Your reply was added."))
            return redirect("portal:ticket_detail", pk=ticket.pk)
    return render(request, "portal/ticket_detail.html", _ticket_context(request, ticket, reply_form=form), status=422)


@require_POST
@portal_view("tickets")
def ticket_close(request, pk):
    ticket = selectors.ticket_get_for_access(access=request.portal_access, pk=pk)
    try:
        services.ticket_close(access=request.portal_access, ticket=ticket)
    except PortalError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("The ticket is closed. You can rate how we did below."))
    return redirect("portal:ticket_detail", pk=ticket.pk)


@require_POST
@portal_view("tickets")
def ticket_rate(request, pk):
    ticket = selectors.ticket_get_for_access(access=request.portal_access, pk=pk)
    form = RatingForm(request.POST)
    if form.is_valid():
        try:
            services.ticket_rate(access=request.portal_access, ticket=ticket, score=form.cleaned_data["score"],
                                 comment=form.cleaned_data["comment"])
        except PortalError as error:
            form.add_error(None, str(error))
            messages.error(request, str(error))
        else:
            messages.success(request, _("Thank you for your rating."))
            return redirect("portal:ticket_detail", pk=ticket.pk)
    return render(request, "portal/ticket_detail.html", _ticket_context(request, ticket, rating_form=form), status=422)


@portal_view("tickets")
def attachment_download(request, pk, attachment_pk):
    """Only files of public messages (and those the customer gave) of a ticket the contact may see."""
    attachment = selectors.attachment_get_for_access(access=request.portal_access, ticket_pk=pk, pk=attachment_pk)
    try:
        handle = attachment.file.open("rb")
    except FileNotFoundError as error:
        raise Http404 from error
    inline = attachment.content_type in {"image/png", "image/jpeg", "image/gif", "image/webp", "application/pdf"}
    response = FileResponse(handle, as_attachment=not inline, filename=attachment.file_name,
                            content_type=attachment.content_type if inline else "application/octet-stream")
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "sandbox"
    return response


# --------------------------------------------------------------------------------------------------- contracts

@portal_view("contracts")
def contract_list(request):
    access = request.portal_access
    page = Paginator(selectors.contract_list_for_access(access=access), PER_PAGE).get_page(request.GET.get("page"))
    drawdowns = selectors.contract_drawdowns(contracts=list(page))
    rows = [{"contract": contract, "drawdown": drawdowns.get(contract.pk)} for contract in page]
    return render(request, "portal/contract_list.html", {"access": access, "page": page, "rows": rows})
