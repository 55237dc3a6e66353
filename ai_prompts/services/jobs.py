"""Background AI work for pages: a job row is pending until its Celery task finishes; the result (or the failure
with its reason) is then pushed to the open pages over the websocket, rendered with the page's own partial."""

from __future__ import annotations

import logging

from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone

from ai_prompts.errors import AiError
from ai_prompts.features.registry import Feature, feature_get
from ai_prompts.models import AiJob, JobStatus
from ai_prompts.services.providers import provider_resolve
from core.notifications import push_html

logger = logging.getLogger(__name__)


def ai_job_latest(*, feature: Feature, subject_id: int | None, user=None) -> AiJob | None:
    jobs = AiJob.objects.filter(feature=feature.key, subject_id=subject_id)
    if feature.per_user:
        jobs = jobs.filter(requested_by=user)
    return jobs.select_related("call", "requested_by").first()


@transaction.atomic
def ai_job_start(*, feature: Feature, subject_id: int | None, acting_user, input: dict | None = None) -> AiJob:
    """Queue the work (on commit). Raises AiNotConfigured at once: no job is left pending for nothing."""
    provider_resolve()
    job = AiJob.objects.create(feature=feature.key, subject_id=subject_id, input=input or {}, requested_by=acting_user)
    from ai_prompts.tasks import ai_job_run

    transaction.on_commit(lambda: ai_job_run.delay(job.pk))
    return job


def ai_job_retry(*, job: AiJob, acting_user) -> AiJob:
    return ai_job_start(feature=feature_get(job.feature), subject_id=job.subject_id, acting_user=acting_user,
                        input=job.input)


def ai_job_execute(*, job: AiJob) -> AiJob:
    """Run the job's feature (in the worker): store the output or the failure, then push the panel."""
    feature = feature_get(job.feature)
    try:
        output, call = feature.execute(job)
    except AiError as error:
        job.status, job.error, job.call = JobStatus.FAILED, str(error), getattr(error, "call", None)
    except Exception:
        logger.exception("AI job crashed", extra={"job": job.pk, "feature": job.feature})
        job.status, job.error = JobStatus.FAILED, "An unexpected error stopped the AI work; it was logged."
    else:
        job.status, job.output, job.call = JobStatus.DONE, output, call
    job.finished_at = timezone.now()
    job.save(update_fields=["status", "error", "call", "output", "finished_at"])
    ai_job_push(job=job, feature=feature)
    return job


def ai_job_push(*, job: AiJob, feature: Feature) -> None:
    """To the requester's own pages: the panel itself, rendered with their permissions. To a shared group: an
    element that makes each open page reload its panel (as itself), so no one sees controls they may not use."""
    if feature.shared_panel:
        element_id, url = feature.shared_panel
        html = render_to_string("ai_prompts/partials/panel_reload.html",
                                {"element_id": element_id, "url": url(job.subject_id), "job": job})
    else:
        from django.contrib.auth.context_processors import PermWrapper

        context = feature.panel_context(job=job, subject_id=job.subject_id, user=job.requested_by)
        perms = PermWrapper(job.requested_by) if job.requested_by else None
        html = render_to_string(feature.panel_template, {**context, "oob": True, "perms": perms})
    for group in feature.push_groups(job):
        push_html(group=group, html=html)
