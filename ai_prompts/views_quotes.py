"""The AI panels of the quote builder (Build with AI, Review with AI, Translate) and the ticket reply translation.

Every quote action needs the right to change quotes *and* to use AI, on a draft: the panels only appear then, and
the views check it again. Reading a panel needs only the right to see quotes. Nothing here writes to a quote except
the two "apply" views, which go through ai_prompts/services/features.py and from there the quote services.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.access import staff_view
from ai_prompts import permissions
from ai_prompts.errors import AiError
from ai_prompts.features.registry import feature_get
from ai_prompts.features.translation import LANGUAGES
from ai_prompts.models import AiJob, JobStatus
from ai_prompts.views import _panel, _start

QUOTE_CHANGE = "quotes.change_quotes"
TICKET_WORK = "helpdesk.work_tickets"
MAX_JOB_DESCRIPTION = 4000
MAX_QUESTION = 1000


def _require_ai(request) -> None:
    """The second permission of every quote AI action (the first is checked by the decorator): every role that may
    change quotes may use AI (accounts/roles.py), so this refuses only a role table changed against that rule."""
    if not request.user.has_perm(permissions.USE_AI):
        raise PermissionDenied


def _refuse(request, feature, subject, message, job=None):
    messages.error(request, message)
    return _panel(request, feature, subject.pk, subject, job=job, status=422)


def _not_a_draft(quote) -> str:
    return _("%(ref)s R%(rev)s was sent and cannot change: revise it first.") % {"ref": quote.reference,
                                                                                   "rev": quote.revision}


def _done_job(feature, subject, job_pk, user) -> AiJob:
    jobs = AiJob.objects.filter(pk=job_pk, feature=feature.key, subject_id=subject.pk, status=JobStatus.DONE)
    if feature.per_user:
        jobs = jobs.filter(requested_by=user)
    job = jobs.first()
    if job is None:
        raise Http404
    return job


def _lines_and_panel(request, quote, feature, job, *, failed: bool = False) -> HttpResponse:
    """The builder's lines and totals (the request's target) with the AI panel swapped out of band."""
    from quotes.views.documents import _builder_context

    if failed:  # a write that was rolled back may have left what it computed on the object: read the lines again
        quote.__dict__.pop("recalculated", None)
    quote.refresh_from_db()
    lines = render_to_string("quotes/quote_builder.html#lines-and-totals", _builder_context(request, quote),
                             request=request)
    context = feature.panel_context(job=job, subject_id=quote.pk, user=request.user, subject=quote)
    panel = render_to_string(feature.panel_template, {**context, "oob": True}, request=request)
    response = HttpResponse(lines + panel, status=422 if failed else 200)
    if not failed:
        response["HX-Trigger"] = f"quote-{quote.pk}-changed"
    return response


# Build with AI ---------------------------------------------------------------------------------------------------

@staff_view("quotes.view_quotes")
def quote_build(request, pk):
    feature = feature_get("quote_build")
    quote = feature.subject_for_user(request.user, pk)
    return _panel(request, feature, quote.pk, quote)


@require_POST
@staff_view(QUOTE_CHANGE)
def quote_build_run(request, pk):
    _require_ai(request)
    feature = feature_get("quote_build")
    quote = feature.subject_for_user(request.user, pk)
    description = request.POST.get("description", "").strip()
    if not quote.is_editable:
        return _refuse(request, feature, quote, _not_a_draft(quote))
    if len(description) < 10:
        return _refuse(request, feature, quote, _("Describe the job in a sentence or two first: what, how many, "
                                                  "where, and any labour."))
    return _start(request, feature, quote.pk, quote, input={"description": description[:MAX_JOB_DESCRIPTION]})


@require_POST
@staff_view(QUOTE_CHANGE)
def quote_build_insert(request, pk, job_pk):
    """Insert the ticked lines of the preview: the builder's lines block is the target, the panel comes along."""
    from ai_prompts.services.features import quote_build_insert as insert
    from quotes.errors import QuotesError

    _require_ai(request)
    feature = feature_get("quote_build")
    quote = feature.subject_for_user(request.user, pk)
    job = _done_job(feature, quote, job_pk, request.user)
    try:
        indexes = [int(value) for value in request.POST.getlist("line")]
    except ValueError:
        indexes = [-1]
    try:
        count = insert(job=job, quote=quote, indexes=indexes, acting_user=request.user)
    except (AiError, QuotesError) as error:
        messages.error(request, str(error))
        return _lines_and_panel(request, quote, feature, job, failed=True)
    messages.success(request, _("%(n)s line(s) inserted.") % {"n": count})
    job.refresh_from_db()
    return _lines_and_panel(request, quote, feature, job)


# Review with AI --------------------------------------------------------------------------------------------------

@staff_view("quotes.view_quotes")
def quote_review(request, pk):
    feature = feature_get("quote_review")
    quote = feature.subject_for_user(request.user, pk)
    return _panel(request, feature, quote.pk, quote)


@require_POST
@staff_view(QUOTE_CHANGE)
def quote_review_run(request, pk):
    _require_ai(request)
    feature = feature_get("quote_review")
    quote = feature.subject_for_user(request.user, pk)
    if not quote.lines.exists():
        return _refuse(request, feature, quote, _("Add some lines first: there is nothing to review yet."))
    return _start(request, feature, quote.pk, quote)


@require_POST
@staff_view(QUOTE_CHANGE)
def quote_review_ask(request, pk):
    """A follow-up question about the latest review: the review and the earlier exchange go with it."""
    _require_ai(request)
    feature = feature_get("quote_review")
    quote = feature.subject_for_user(request.user, pk)
    question = request.POST.get("question", "").strip()
    latest = AiJob.objects.filter(feature=feature.key, subject_id=quote.pk, status=JobStatus.DONE).first()
    if latest is None:
        return _refuse(request, feature, quote, _("Run the review first, then ask about it."))
    if not question:
        return _refuse(request, feature, quote, _("Type your question about the review."))
    return _start(request, feature, quote.pk, quote, input={
        "question": question[:MAX_QUESTION], "state": latest.output, "review_job": latest.pk})


# Translate a quote -----------------------------------------------------------------------------------------------

@staff_view("quotes.view_quotes")
def quote_translate(request, pk):
    feature = feature_get("quote_translate")
    quote = feature.subject_for_user(request.user, pk)
    return _panel(request, feature, quote.pk, quote)


@require_POST
@staff_view(QUOTE_CHANGE)
def quote_translate_run(request, pk):
    _require_ai(request)
    feature = feature_get("quote_translate")
    quote = feature.subject_for_user(request.user, pk)
    language = request.POST.get("language", "")
    if not quote.is_editable:
        return _refuse(request, feature, quote, _not_a_draft(quote))
    if language not in LANGUAGES:
        return _refuse(request, feature, quote, _("Choose the language to translate into."))
    return _start(request, feature, quote.pk, quote, input={"language": language})


@require_POST
@staff_view(QUOTE_CHANGE)
def quote_translate_apply(request, pk, job_pk):
    """Apply one item (`item`) or every item not yet applied (`all`), through the quote services (drafts only)."""
    from ai_prompts.services.features import quote_translation_apply
    from quotes.errors import QuotesError

    _require_ai(request)
    feature = feature_get("quote_translate")
    quote = feature.subject_for_user(request.user, pk)
    job = _done_job(feature, quote, job_pk, request.user)
    ids = None if request.POST.get("all") else request.POST.getlist("item")
    try:
        count = quote_translation_apply(job=job, quote=quote, ids=ids, acting_user=request.user)
    except (AiError, QuotesError) as error:
        messages.error(request, str(error))
        return _lines_and_panel(request, quote, feature, job, failed=True)
    messages.success(request, _("%(n)s translated item(s) applied.") % {"n": count})
    job.refresh_from_db()
    return _lines_and_panel(request, quote, feature, job)


# Translate a ticket reply ----------------------------------------------------------------------------------------

@require_POST
@staff_view(TICKET_WORK)
def ticket_reply_translate(request, pk):
    """The reply draft typed so far, into the chosen language: the panel offers the translation for the reply box
    and keeps the draft."""
    _require_ai(request)
    feature = feature_get("ticket_reply_translate")
    ticket = feature.subject_for_user(request.user, pk)
    text = request.POST.get("body", "").strip()
    language = request.POST.get("language", "")
    if not text:
        return _refuse(request, feature, ticket, _("Type your reply first: the AI translates what you wrote."))
    if language not in LANGUAGES:
        return _refuse(request, feature, ticket, _("Choose the language to translate into."))
    return _start(request, feature, ticket.pk, ticket, input={"text": text[:8000], "language": language})
