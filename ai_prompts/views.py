"""Pages of the AI platform: prompt editor, provider settings, usage, and the AI panels' endpoints."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Count, Q, Sum
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.access import staff_view
from ai_prompts import permissions
from ai_prompts.errors import AiError, PromptInvalid
from ai_prompts.features.registry import feature_get
from ai_prompts.forms import PromptForm, ProviderSettingsForm, RatingForm, UsageFilterForm
from ai_prompts.models import AiCall, AiJob, AiRating, Prompt
from ai_prompts.services import prompts as prompt_services
from ai_prompts.services.calls import tenant_monthly_budget
from ai_prompts.services.jobs import ai_job_latest, ai_job_retry, ai_job_start
from ai_prompts.services.providers import ai_configured, provider_settings_get, provider_settings_save

CALLS_PER_PAGE = 50
VERSIONS_PER_PAGE = 30


# Panels of the AI features ---------------------------------------------------------------------------------------

def _panel(request, feature, subject_id, subject=None, job=None, status=200):
    job = job or ai_job_latest(feature=feature, subject_id=subject_id, user=request.user)
    context = feature.panel_context(job=job, subject_id=subject_id, user=request.user, subject=subject)
    return render(request, feature.panel_template, context, status=status)


def _start(request, feature, subject_id, subject, input=None):
    try:
        job = ai_job_start(feature=feature, subject_id=subject_id, acting_user=request.user, input=input)
    except AiError as error:
        messages.error(request, str(error))
        return _panel(request, feature, subject_id, subject, status=422)
    return _panel(request, feature, subject_id, subject, job=job)


@staff_view("crm.view_customers")
def customer_suggestions(request, pk):
    feature = feature_get("action_suggestions")
    customer = feature.subject_for_user(request.user, pk)
    return _panel(request, feature, customer.pk, customer)


@require_POST
@staff_view(permissions.USE_AI)
def customer_suggestions_refresh(request, pk):
    feature = feature_get("action_suggestions")
    customer = feature.subject_for_user(request.user, pk)
    return _start(request, feature, customer.pk, customer)


def _job_for_user(request, pk) -> tuple:
    job = AiJob.objects.filter(pk=pk).first()
    if job is None:
        raise Http404
    feature = feature_get(job.feature)
    if not request.user.has_perm(feature.view_permission):
        raise Http404
    subject = feature.subject_for_user(request.user, job.subject_id) if job.subject_id is not None else None
    if (job.subject_id is None or feature.per_user) and job.requested_by_id != request.user.pk:
        raise Http404  # a test run, connection test or note clean-up is its author's own
    return job, feature, subject


@staff_view(None)
def job_panel(request, pk):
    """The poll fallback of a pending panel (when the websocket is down): the subject's latest job."""
    job, feature, subject = _job_for_user(request, pk)
    if job.subject_id is None or feature.per_user:
        return _panel(request, feature, job.subject_id, subject, job=job)
    return _panel(request, feature, job.subject_id, subject)


@require_POST
@staff_view(permissions.USE_AI)
def job_retry(request, pk):
    job, feature, subject = _job_for_user(request, pk)
    if not request.user.has_perm(feature.start_permission):
        from django.core.exceptions import PermissionDenied

        raise PermissionDenied
    try:
        new_job = ai_job_retry(job=job, acting_user=request.user)
    except AiError as error:
        messages.error(request, str(error))
        return _panel(request, feature, job.subject_id, subject, job=job, status=422)
    return _panel(request, feature, job.subject_id, subject, job=new_job)


@require_POST
@staff_view(permissions.USE_AI)
def call_rate(request, pk):
    call = AiCall.objects.filter(pk=pk).first()
    if call is None:
        raise Http404
    form = RatingForm(request.POST)
    if form.is_valid():
        AiRating.objects.update_or_create(call=call, user=request.user, defaults={
            "value": form.cleaned_data["value"], "comment": form.cleaned_data["comment"]})
    rating = AiRating.objects.filter(call=call, user=request.user).first()
    return render(request, "ai_prompts/partials/rating.html", {"call": call, "rating": rating, "form": form},
                  status=200 if form.is_valid() else 422)


# Prompt editor -------------------------------------------------------------------------------------------------

@staff_view(permissions.MANAGE_AI)
def prompt_list(request):
    overrides = {prompt.key: prompt for prompt in Prompt.objects.all()}
    rows = []
    for system in prompt_services.system_prompt_list():
        override = overrides.get(system.key)
        rows.append({"system": system, "override": override,
                     "effective": "tenant" if override and override.active else "system",
                     "system_newer": bool(override and override.active and override.based_on_system_version
                                          and system.version > override.based_on_system_version)})
    return render(request, "ai_prompts/prompt_list.html", {"rows": rows, "section": "prompts"})


def _system_or_404(key: str) -> Prompt:
    system = prompt_services.system_prompt_get(key=key)
    if system is None:
        raise Http404
    return system


def _override_or_404(key: str) -> Prompt:
    override = Prompt.objects.filter(key=key).first()
    if override is None:
        raise Http404
    return override


def _editor_form(request, system, override):
    source = override if override and override.active else system
    return PromptForm(request.POST or None, initial=PromptForm.initial_from(source), variables=system.variables,
                      known=prompt_services.prompt_known_variables(key=system.key))


@staff_view(permissions.MANAGE_AI)
def prompt_edit(request, key):
    system = _system_or_404(key)
    override = Prompt.objects.filter(key=key).first()
    form = _editor_form(request, system, override)
    if request.method == "POST" and form.is_valid():
        try:
            prompt_services.prompt_override_save(key=key, fields=form.prompt_fields(), acting_user=request.user,
                                                 note=form.cleaned_data["note"])
        except PromptInvalid as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Saved: the next AI call uses this prompt."))
            return redirect("ai_prompts:prompt_edit", key=key)
    test_job = AiJob.objects.filter(feature="prompt_test", requested_by=request.user).first()
    return render(request, "ai_prompts/prompt_edit.html", {
        "system": system, "override": override, "form": form, "section": "prompts",
        "using_override": bool(override and override.active), "test_job": test_job,
        "test_feature": feature_get("prompt_test"), "ai_configured": ai_configured(),
    }, status=422 if form.errors else 200)


@require_POST
@staff_view(permissions.MANAGE_AI)
def prompt_preview(request, key):
    system = _system_or_404(key)
    form = _editor_form(request, system, None)
    preview = None
    if form.is_valid():
        draft = prompt_services.ResolvedPrompt(key=key, name=form.cleaned_data["name"],
                                               system_text=form.cleaned_data["system_text"],
                                               user_template=form.cleaned_data["user_template"],
                                               variables=system.variables)
        preview = prompt_services.prompt_render(prompt=draft,
                                                variables=prompt_services.prompt_sample_variables(prompt=system))
    return render(request, "ai_prompts/prompt_edit.html#preview", {"form": form, "preview": preview},
                  status=200 if preview else 422)


@require_POST
@staff_view(permissions.MANAGE_AI)
def prompt_test_run(request, key):
    system = _system_or_404(key)
    form = _editor_form(request, system, None)
    feature = feature_get("prompt_test")
    if not form.is_valid():
        return render(request, "ai_prompts/prompt_edit.html#preview", {"form": form, "preview": None}, status=422)
    fields = form.prompt_fields()
    draft = {**fields, "key": key, "temperature": None if fields["temperature"] is None else str(fields["temperature"])}
    input = {"draft": draft, "variables": prompt_services.prompt_sample_variables(prompt=system)}
    return _start(request, feature, None, None, input=input)


@staff_view(permissions.MANAGE_AI)
def prompt_history(request, key):
    override = _override_or_404(key)
    versions = override.versions.select_related("author")
    page = Paginator(versions, VERSIONS_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "ai_prompts/prompt_history.html", {"prompt": override, "page": page, "section": "prompts"})


@staff_view(permissions.MANAGE_AI)
def prompt_diff(request, key, version):
    override = _override_or_404(key)
    newer = override.versions.filter(version=version).first()
    if newer is None:
        raise Http404
    older = override.versions.filter(version__lt=version).order_by("-version").first()
    if older is None:
        system = _system_or_404(key)
        older = system.versions.filter(version=override.based_on_system_version).first() if override.based_on_system_version else None
        if older is None:
            from ai_prompts.models import PromptVersion

            older = PromptVersion(version=0, snapshot={})
    rows = prompt_services.prompt_version_diff(older=older, newer=newer)
    return render(request, "ai_prompts/prompt_diff.html", {"prompt": override, "older": older, "newer": newer,
                                                           "rows": rows, "section": "prompts"})


@require_POST
@staff_view(permissions.MANAGE_AI)
def prompt_rollback(request, key, version):
    override = _override_or_404(key)
    if not override.versions.filter(version=version).exists():
        raise Http404
    prompt_services.prompt_rollback(prompt=override, version=version, acting_user=request.user)
    messages.success(request, _("Rolled back to version %(version)s.") % {"version": version})
    return redirect("ai_prompts:prompt_history", key=key)


@require_POST
@staff_view(permissions.MANAGE_AI)
def prompt_revert(request, key):
    override = _override_or_404(key)
    if override.active:
        prompt_services.prompt_override_revert(prompt=override, acting_user=request.user)
        messages.success(request, _("The system prompt is used again; your version stays in the history."))
    return redirect("ai_prompts:prompt_edit", key=key)


# Provider settings ---------------------------------------------------------------------------------------------

@staff_view(permissions.MANAGE_AI)
def provider_settings(request):
    row = provider_settings_get()
    form = ProviderSettingsForm(request.POST or None, initial={"base_url": row.base_url,
                                                               "default_model": row.default_model})
    if request.method == "POST" and form.is_valid():
        provider_settings_save(api_key=form.cleaned_data["api_key"] or None, base_url=form.cleaned_data["base_url"],
                               default_model=form.cleaned_data["default_model"], acting_user=request.user,
                               clear_key=form.cleaned_data["clear_key"])
        messages.success(request, _("AI provider settings saved."))
        return redirect("ai_prompts:provider_settings")
    from ai_prompts.services.providers import provider_resolve

    source = provider_resolve().source if ai_configured() else None
    feature = feature_get("connection_test")
    test_job = AiJob.objects.filter(feature=feature.key, requested_by=request.user).first()
    return render(request, "ai_prompts/provider.html", {
        "form": form, "row": row, "source": source, "section": "provider", "feature": feature, "job": test_job,
        "ai_configured": source is not None}, status=422 if form.errors else 200)


@require_POST
@staff_view(permissions.MANAGE_AI)
def provider_test(request):
    return _start(request, feature_get("connection_test"), None, None)


# Usage ---------------------------------------------------------------------------------------------------------

@staff_view(permissions.MANAGE_AI)
def usage(request):
    form = UsageFilterForm(request.GET or None)
    calls = AiCall.objects.select_related("user").annotate(
        ups=Count("ratings", filter=Q(ratings__value=1)), downs=Count("ratings", filter=Q(ratings__value=-1))).order_by("-created_at", "-id")
    if form.is_valid():
        if form.cleaned_data["outcome"]:
            calls = calls.filter(outcome=form.cleaned_data["outcome"])
        if form.cleaned_data["prompt_key"]:
            calls = calls.filter(prompt_key=form.cleaned_data["prompt_key"])
    page = Paginator(calls, CALLS_PER_PAGE).get_page(request.GET.get("page"))
    month_start = timezone.now().replace(day=1, hour=0, minute=0, second=0, microsecond=0)
    month = AiCall.objects.filter(created_at__gte=month_start).aggregate(
        calls=Count("id"), tokens_in=Sum("tokens_in"), tokens_out=Sum("tokens_out"), cost=Sum("estimated_cost"),
        failures=Count("id", filter=~Q(outcome__in=["ok", "repaired"])))
    ratings = AiRating.objects.filter(created_at__gte=month_start).aggregate(
        up=Count("id", filter=Q(value=1)), down=Count("id", filter=Q(value=-1)))
    budget, used = tenant_monthly_budget(), (month["tokens_in"] or 0) + (month["tokens_out"] or 0)
    return render(request, "ai_prompts/usage.html", {
        "form": form, "page": page, "month": month, "ratings": ratings, "budget": budget, "used": used,
        "budget_percent": min(100, round(used * 100 / budget)) if budget else None, "section": "usage",
        "query": _query_without_page(request)})


def _query_without_page(request) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


@staff_view(permissions.MANAGE_AI)
def call_detail(request, pk):
    call = AiCall.objects.select_related("user").filter(pk=pk).first()
    if call is None:
        raise Http404
    return render(request, "ai_prompts/call_detail.html", {
        "call": call, "ratings": call.ratings.select_related("user"), "section": "usage"})


# Ticket help ---------------------------------------------------------------------------------------------------

@staff_view("helpdesk.view_tickets")
def ticket_help(request, pk):
    feature = feature_get("ticket_help")
    ticket = feature.subject_for_user(request.user, pk)
    return _panel(request, feature, ticket.pk, ticket)


@require_POST
@staff_view(permissions.USE_AI)
def ticket_help_run(request, pk):
    feature = feature_get("ticket_help")
    ticket = feature.subject_for_user(request.user, pk)
    return _start(request, feature, ticket.pk, ticket)


@require_POST
@staff_view("helpdesk.work_tickets")
def ticket_help_accept(request, pk, job_pk):
    """Apply one proposal of a finished ticket-help job: the description (as an internal note beside the customer's
    text), the category or the priority. The reply is only copied into the reply box (the agent sends it)."""
    from ai_prompts.services.features import ticket_help_accept as accept

    feature = feature_get("ticket_help")
    ticket = feature.subject_for_user(request.user, pk)
    job = AiJob.objects.filter(pk=job_pk, feature="ticket_help", subject_id=ticket.pk, status="done").first()
    if job is None:
        raise Http404
    try:
        accept(job=job, ticket=ticket, what=request.POST.get("what", ""), acting_user=request.user)
    except AiError as error:
        messages.error(request, str(error))
        return _panel(request, feature, ticket.pk, ticket, job=job, status=422)
    response = _panel(request, feature, ticket.pk, ticket, job=job)
    response["HX-Trigger"] = f"ticket-{ticket.pk}-changed"
    return response


# Activity clean-up ---------------------------------------------------------------------------------------------

@require_POST
@staff_view(permissions.USE_AI)
def activity_cleanup_run(request, pk):
    feature = feature_get("activity_cleanup")
    customer = feature.subject_for_user(request.user, pk)
    notes = request.POST.get("notes", "").strip()
    if not notes:
        messages.error(request, _("Type some notes first: the AI tidies what you wrote."))
        return _panel(request, feature, customer.pk, customer, job=None, status=422)
    input = {"kind": request.POST.get("kind", "")[:20], "subject": request.POST.get("subject", "")[:200],
             "notes": notes[:8000]}
    return _start(request, feature, customer.pk, customer, input=input)


# Customer analysis ---------------------------------------------------------------------------------------------

@staff_view("crm.view_customers")
def customer_analysis(request, pk):
    feature = feature_get("customer_analysis")
    customer = feature.subject_for_user(request.user, pk)
    return _panel(request, feature, customer.pk, customer)


@require_POST
@staff_view(permissions.USE_AI)
def customer_analysis_run(request, pk):
    feature = feature_get("customer_analysis")
    customer = feature.subject_for_user(request.user, pk)
    return _start(request, feature, customer.pk, customer)


def _analysis_job(request, pk, job_pk):
    feature = feature_get("customer_analysis")
    customer = feature.subject_for_user(request.user, pk)
    job = AiJob.objects.filter(pk=job_pk, feature=feature.key, subject_id=customer.pk, status="done").first()
    if job is None:
        raise Http404
    return feature, customer, job


@require_POST
@staff_view("crm.change_customers")
def customer_analysis_apply(request, pk, job_pk):
    """Apply the analysis' lead score, or add one of its competitors as a Lead customer."""
    from ai_prompts.services.features import customer_analysis_add_competitor, customer_analysis_apply_score

    feature, customer, job = _analysis_job(request, pk, job_pk)
    try:
        if request.POST.get("what") == "score":
            customer_analysis_apply_score(job=job, customer=customer, acting_user=request.user)
            messages.success(request, _("Lead score set to %(score)s.") % {"score": job.output["lead_score"]})
        else:
            try:
                index = int(request.POST.get("competitor", ""))
            except ValueError:
                raise AiError(_("That competitor is not in the analysis.")) from None
            lead = customer_analysis_add_competitor(job=job, customer=customer, index=index, acting_user=request.user)
            messages.success(request, _("%(name)s is in your customers as a lead.") % {"name": lead.name})
    except AiError as error:
        messages.error(request, str(error))
        return _panel(request, feature, customer.pk, customer, job=job, status=422)
    return _panel(request, feature, customer.pk, customer, job=job)
