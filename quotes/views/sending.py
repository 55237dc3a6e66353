"""Sending a quote: the email dialog, the delivery state on the builder, and the PDFs (a sent revision's, stored;
a draft's preview, drawn on request). Thin: the rules live in quotes/services/sending.py."""

from __future__ import annotations

from django.contrib import messages
from django.core.files.storage import default_storage
from django.db import connection
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django.views.decorators.vary import vary_on_headers
from django_htmx.http import HttpResponseClientRedirect

from accounts.access import staff_view
from quotes import permissions
from quotes.errors import QuotesError
from quotes.models import QuoteStatus
from quotes.selectors.sending import quote_email_get, quote_email_panel
from quotes.services import sending as services
from quotes.views.documents import quote_get

FIELDS = ("to", "cc", "subject", "message")


@vary_on_headers("HX-Request")
@staff_view(permissions.CHANGE_QUOTES)
def quote_send(request, pk):
    """The send dialog (a page without JavaScript): to, cc, subject and message, then freeze and email."""
    quote = quote_get(pk=pk)
    errors = []
    if request.method == "POST":
        values = {field: request.POST.get(field, "") for field in FIELDS}
        try:
            sent = services.quote_email_send(quote=quote, acting_user=request.user, to=values["to"],
                                             cc=services.parse_copies(values["cc"]), subject=values["subject"],
                                             message=values["message"])
        except QuotesError as error:
            errors.append(str(error))
        else:
            messages.success(request, _("%(ref)s R%(n)s is sent and frozen; the email to %(to)s is on its way.")
                             % {"ref": quote.reference, "n": sent.revision.number, "to": sent.message.to})
            url = reverse("quotes:quote_builder", kwargs={"pk": quote.pk})
            return HttpResponseClientRedirect(url) if request.htmx else redirect(url)
    else:
        values = services.quote_email_defaults(quote=quote, acting_user=request.user)
    context = {"quote": quote, "values": values, "errors": errors, "is_draft": quote.status == QuoteStatus.DRAFT,
               "recipients": services.quote_recipients(quote=quote)}
    template = "quotes/quote_send.html#send-form" if request.htmx else "quotes/quote_send.html"
    return render(request, template, context, status=422 if errors else 200)


@staff_view(permissions.VIEW_QUOTES)
def quote_emails(request, pk):
    """The builder's Emails card, polled while an email is on its way."""
    quote = quote_get(pk=pk)
    if not request.htmx:
        return redirect("quotes:quote_builder", pk=quote.pk)
    return render(request, "quotes/partials/quote_emails.html", {
        "quote": quote, "email_panel": quote_email_panel(quote=quote),
        "can_act": request.user.has_perm(permissions.CHANGE_QUOTES)})


@require_POST
@staff_view(permissions.CHANGE_QUOTES)
def quote_email_resend(request, pk, email_pk):
    quote = quote_get(pk=pk)
    sent = quote_email_get(quote=quote, pk=email_pk)
    if sent is None:
        raise Http404
    try:
        services.quote_email_resend(sent=sent, acting_user=request.user)
    except QuotesError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("The email to %(to)s is queued again.") % {"to": sent.message.to})
    return redirect("quotes:quote_builder", pk=quote.pk)


def _pdf_response(content: bytes, *, file_name: str, download: bool) -> HttpResponse:
    """A quote PDF is tens of KB: one plain response (a streamed file only earns its keep for large files)."""
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'{"attachment" if download else "inline"}; filename="{file_name}"'
    response["Cache-Control"] = "private, no-store"
    return response


def revision_pdf_response(request, revision) -> HttpResponse:
    """A sent revision's PDF, as stored (drawn now if the task has not run yet), inline or (`?download`) as a file.
    Only through views like this: the file sits under the tenant's folder of the media storage, never served by URL.
    The staff page and the customer portal both answer with it, each after its own access check."""
    document = services.revision_pdf_ensure(revision=revision)
    if not document.file.name.startswith(f"tenants/{connection.schema_name}/"):
        raise Http404
    with default_storage.open(document.file.name, "rb") as handle:
        content = handle.read()
    response = _pdf_response(content, file_name=services.revision_pdf_file_name(revision),
                             download="download" in request.GET)
    response["X-Content-Type-Options"] = "nosniff"
    return response


@staff_view(permissions.VIEW_QUOTES)
def revision_pdf(request, pk, number):
    quote = quote_get(pk=pk)
    revision = quote.revisions.select_related("quote").filter(number=number).first()
    if revision is None:
        raise Http404
    return revision_pdf_response(request, revision)


@staff_view(permissions.VIEW_QUOTES)
def quote_pdf_preview(request, pk):
    """The working lines as a PDF stamped DRAFT. A quote that is not a draft shows its latest sent revision."""
    quote = quote_get(pk=pk)
    if quote.status != QuoteStatus.DRAFT:
        latest = quote.revisions.order_by("-number").values_list("number", flat=True).first()
        if latest is not None:
            return redirect("quotes:revision_pdf", pk=quote.pk, number=latest)
    try:
        rendered = services.quote_pdf_preview(quote=quote)
    except QuotesError as error:
        messages.error(request, str(error))
        return redirect("quotes:quote_builder", pk=quote.pk)
    return _pdf_response(rendered.content, file_name=f"{quote.reference}-R{quote.revision}-DRAFT.pdf",
                         download="download" in request.GET)
