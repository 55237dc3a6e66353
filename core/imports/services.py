"""The import engine: every kind of import goes upload → match columns → dry run → apply, the same way.

The dry run and the apply both run in Celery (eagerly in tests) and report progress live to the user who started
them. The apply is one transaction: a row that fails rolls everything back, so nothing is ever half-imported.
"""

from __future__ import annotations

import logging
from collections import Counter
from datetime import timedelta

from django.core.cache import cache
from django.db import connection, transaction
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from core.imports.readers import Table, table_read
from core.imports.registry import RowCheck, importer_get, mapping_guess
from core.models import DuplicateMode, ImportJob, ImportStatus
from core.notifications import notify_user, push_html_now, user_group_name

logger = logging.getLogger(__name__)

SAMPLE_ROWS = 8
PROGRESS_STEPS = 40  # live updates per run, whatever the file's size
PROGRESS_TTL = 3600


class ImportRefused(Exception):
    """An import step that cannot happen now (wrong state, bad mapping); the message is for the user."""


class RowRejected(Exception):
    def __init__(self, check: RowCheck):
        super().__init__(check.row)
        self.check = check


def _options(importer, chosen: dict | None, current: dict | None = None) -> dict[str, bool]:
    """The importer's options, each a bool: what was chosen, else what was saved, else the default."""
    options = {**importer.option_defaults(), **(current or {})}
    for name in options:
        if chosen is not None and name in chosen:
            options[name] = bool(chosen[name])
    return options


def import_job_create(*, kind: str, acting_user, file_name: str, content: bytes,
                      options: dict | None = None) -> ImportJob:
    """Read the file once to refuse what cannot be imported, and guess which column is which field."""
    importer = importer_get(kind)
    table = table_read(content=content, file_name=file_name, max_rows=importer.max_rows)
    return ImportJob.objects.create(
        kind=kind, file_name=file_name[:200], content=content, headers=table.headers,
        sample_rows=[cells for _number, cells in table.rows[:SAMPLE_ROWS]], row_count=len(table.rows),
        mapping=mapping_guess(importer=importer, headers=table.headers), created_by=acting_user,
        options=_options(importer, options),
    )


def import_job_check(*, job: ImportJob, mapping: dict[str, int], duplicate_mode: str,
                     options: dict | None = None) -> ImportJob:
    """Save the column matching (and the importer's options, when given) and start the dry run."""
    if job.is_running or job.status in (ImportStatus.APPLIED, ImportStatus.CANCELLED):
        raise ImportRefused(_("This import is %(status)s: it cannot be checked again.") % {"status": job.get_status_display().lower()})
    importer = importer_get(job.kind)
    known = {item.name for item in importer.fields}
    mapping = {name: index for name, index in mapping.items() if name in known and 0 <= index < len(job.headers)}
    missing = [str(item.label) for item in importer.fields if item.required and item.name not in mapping]
    if missing:
        raise ImportRefused(_("Choose a column for: %(fields)s.") % {"fields": ", ".join(missing)})
    if duplicate_mode not in DuplicateMode.values:
        raise ImportRefused(_("Choose what to do with duplicates."))
    job.mapping, job.duplicate_mode, job.status = mapping, duplicate_mode, ImportStatus.CHECKING
    job.options = _options(importer, options, job.options)
    job.counts, job.problems, job.duplicates, job.failure, job.notes = {}, [], [], "", []
    job.save(update_fields=["mapping", "duplicate_mode", "status", "counts", "problems", "duplicates", "failure",
                            "options", "notes"])
    _schedule("import_job_check", job)
    return job


def import_job_apply(*, job: ImportJob, skip_bad_rows: bool) -> ImportJob:
    """Start the real import after a dry run; refused while bad rows remain unless the user chose to skip them."""
    if job.status != ImportStatus.CHECKED:
        raise ImportRefused(_("Check the file before importing it."))
    if job.counts.get("error") and not skip_bad_rows:
        raise ImportRefused(_("%(count)d rows have errors: fix the file and upload it again, or choose to skip them.")
                           % {"count": job.counts["error"]})
    job.status, job.skip_bad_rows = ImportStatus.APPLYING, skip_bad_rows
    job.save(update_fields=["status", "skip_bad_rows"])
    _schedule("import_job_apply", job)
    return job


def import_job_cancel(*, job: ImportJob) -> ImportJob:
    if job.is_running or job.status == ImportStatus.APPLIED:
        raise ImportRefused(_("This import cannot be cancelled now."))
    job.status, job.content = ImportStatus.CANCELLED, b""
    job.save(update_fields=["status", "content"])
    return job


def _schedule(task_name: str, job: ImportJob) -> None:
    from core import tasks

    cache.delete(progress_key(job.pk))  # a new run starts from zero, not from the last run's 100 %
    from core.transactions import on_commit_in_this_schema

    task = getattr(tasks, task_name)
    on_commit_in_this_schema(lambda: task.delay(job_id=job.pk))


# ----------------------------------------------------------------------------------------------- the two runs

def _rows(job: ImportJob) -> Table:
    return table_read(content=bytes(job.content), file_name=job.file_name, max_rows=importer_get(job.kind).max_rows)


def _values(job: ImportJob, cells: list[str]) -> dict[str, str]:
    return {name: (cells[index] if index < len(cells) else "") for name, index in job.mapping.items()}


class _Progress:
    """Live progress for the page: a cached figure (read by the page's fallback poll) and a websocket push.

    `steps` is how many passes over the rows the run makes (a bulk apply checks every row, then writes them):
    `done` counts row-steps, the page shows the share of the whole run and the rows it stands for."""

    def __init__(self, job: ImportJob, phase: str, steps: int = 1):
        self.job, self.phase, self.total, self.steps = job, phase, job.row_count, steps
        self.every = max(1, self.total * steps // PROGRESS_STEPS)
        self.last = -1

    def __call__(self, done: int, force: bool = False) -> None:
        if not force and (done % self.every or done == self.last):
            return
        self.last = done
        units = self.total * self.steps
        percent = 100 if not units else min(100, round(done * 100 / units))
        done = min(self.total, round(done / self.steps))
        cache.set(progress_key(self.job.pk), {"done": done, "percent": percent, "phase": self.phase}, PROGRESS_TTL)
        if self.job.created_by_id:
            html = render_to_string("core/import_job.html#progress-bar", {
                "job": self.job, "progress": {"done": done, "percent": percent, "phase": self.phase}, "oob": True})
            push_html_now(group=user_group_name(schema=connection.schema_name, user_id=self.job.created_by_id), html=html)


def progress_key(job_id: int) -> str:
    return f"import-progress:{job_id}"


def import_job_check_run(*, job_id: int) -> None:
    """The dry run: check every row, count what would happen, keep every bad row with its reasons."""
    job = ImportJob.objects.select_related("created_by").get(pk=job_id)
    if job.status != ImportStatus.CHECKING:
        return
    importer = importer_get(job.kind)
    progress = _Progress(job, "check")
    try:
        table = _rows(job)
        context = importer.prepare(job=job)
        counts: Counter = Counter()
        problems, duplicates = [], []
        for done, (number, cells) in enumerate(table.rows, start=1):
            check = importer.check_row(row=number, values=_values(job, cells), context=context,
                                       duplicate_mode=job.duplicate_mode)
            _tally(check, counts, problems, duplicates)
            progress(done)
    except Exception as error:  # a broken run must say so on the page, not hang in "checking"
        logger.exception("import check failed", extra={"job_id": job_id})
        _fail(job, _("The check stopped: %(error)s") % {"error": _describe(error)})
        return
    progress(len(table.rows), force=True)
    job.counts, job.problems, job.duplicates = dict(counts), problems, duplicates
    job.notes = [str(note) for note in importer.notes(context=context)]
    job.status, job.checked_at = ImportStatus.CHECKED, timezone.now()
    job.save(update_fields=["counts", "problems", "duplicates", "notes", "status", "checked_at"])
    _push_panel(job)


def _tally(check: RowCheck, counts: Counter, problems: list, duplicates: list) -> None:
    if check.errors:
        counts["error"] += 1
        problems.append({"row": check.row, "errors": check.errors})
        return
    counts[check.action] += 1
    if check.matches or check.note:
        duplicates.append({"row": check.row, "matches": check.matches, "action": check.action, "note": check.note})


def import_job_apply_run(*, job_id: int) -> None:
    """The real import, in one transaction. Rows are checked again (the data may have moved since the dry run)."""
    job = ImportJob.objects.select_related("created_by").get(pk=job_id)
    if job.status != ImportStatus.APPLYING:
        return
    importer = importer_get(job.kind)
    progress = _Progress(job, "apply", steps=2 if importer.bulk else 1)
    counts: Counter = Counter()
    problems: list = []
    try:
        table = _rows(job)
        with transaction.atomic():
            context = importer.prepare(job=job)
            good: list[RowCheck] = []
            for done, (number, cells) in enumerate(table.rows, start=1):
                check = importer.check_row(row=number, values=_values(job, cells), context=context,
                                           duplicate_mode=job.duplicate_mode)
                if check.errors:
                    if not job.skip_bad_rows:
                        raise RowRejected(check)
                    counts["error"] += 1
                    problems.append({"row": check.row, "errors": check.errors})
                elif importer.bulk:
                    good.append(check)
                else:
                    counts[importer.apply_row(check=check, context=context, acting_user=job.created_by)] += 1
                progress(done)
            if importer.bulk:
                rows = len(table.rows)
                counts.update(importer.apply_bulk(checks=good, context=context, acting_user=job.created_by,
                                                  progress=lambda written: progress(rows + written)))
    except RowRejected as rejected:
        _fail(job, _("Row %(row)d: %(errors)s Nothing was imported.")
              % {"row": rejected.check.row, "errors": " ".join(rejected.check.errors)})
        return
    except Exception as error:
        logger.exception("import apply failed", extra={"job_id": job_id})
        _fail(job, _("The import stopped: %(error)s Nothing was imported.") % {"error": _describe(error)})
        return
    progress(len(table.rows) * progress.steps, force=True)
    job.counts, job.problems = dict(counts), problems
    job.status, job.finished_at, job.content = ImportStatus.APPLIED, timezone.now(), b""
    job.save(update_fields=["counts", "problems", "status", "finished_at", "content"])
    _push_panel(job)
    if job.created_by:
        notify_user(user=job.created_by, link=job_url(job), level="success",
                    message=_("%(file)s imported: %(summary)s.") % {"file": job.file_name, "summary": summary_text(job)})


def _describe(error: Exception) -> str:
    text = str(error).strip() or error.__class__.__name__
    return text if text.endswith(".") else text + "."


def _fail(job: ImportJob, message: str) -> None:
    job.status, job.failure, job.finished_at = ImportStatus.FAILED, message[:500], timezone.now()
    job.save(update_fields=["status", "failure", "finished_at"])
    _push_panel(job)
    if job.created_by:
        notify_user(user=job.created_by, link=job_url(job), level="danger",
                    message=_("%(file)s was not imported: %(reason)s") % {"file": job.file_name, "reason": message[:200]})


def _push_panel(job: ImportJob) -> None:
    """Make the watching page fetch its status panel again (a fetch, not a push of the panel: its forms need the
    viewer's CSRF token, which a worker does not have)."""
    if not job.created_by_id:
        return
    from core.imports.views import job_panel_context

    html = render_to_string("core/import_job.html#refresh-trigger", {**job_panel_context(job), "oob": True})
    push_html_now(group=user_group_name(schema=connection.schema_name, user_id=job.created_by_id), html=html)


def job_url(job: ImportJob) -> str:
    from django.urls import reverse

    return reverse(f"{importer_get(job.kind).url_name}_job", args=[job.pk])


def summary_text(job: ImportJob) -> str:
    counts = job.counts or {}
    parts = [
        _("%(n)d created") % {"n": counts.get("create", 0)},
        _("%(n)d updated") % {"n": counts.get("update", 0)},
        importer_get(job.kind).skip_summary % {"n": counts.get("skip", 0)},
    ]
    if counts.get("error"):
        parts.append(_("%(n)d bad rows left out") % {"n": counts["error"]})
    return ", ".join(parts)


def import_jobs_prune(*, older_than_days: int = 30) -> int:
    """Old jobs keep their report but not their file; very old ones go entirely."""
    cutoff = timezone.now() - timedelta(days=older_than_days)
    ImportJob.objects.filter(created_at__lt=timezone.now() - timedelta(days=2)).exclude(content=b"").exclude(
        status__in=(ImportStatus.CHECKING, ImportStatus.APPLYING)).update(content=b"")
    deleted, _by_model = ImportJob.objects.filter(created_at__lt=cutoff).delete()
    return deleted

