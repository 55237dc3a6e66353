"""AI work runs here, never in a request: thin tasks that load a row and call a service."""

from __future__ import annotations

from celery import shared_task

from ai_prompts.models import AiJob, JobStatus


@shared_task(name="ai_prompts.job_run")
def ai_job_run(job_id: int) -> str:
    from ai_prompts.services.jobs import ai_job_execute

    job = AiJob.objects.filter(pk=job_id, status=JobStatus.PENDING).first()
    if job is None:  # already finished (a redelivered message) or gone
        return "skipped"
    return ai_job_execute(job=job).status
