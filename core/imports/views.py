"""Import pages, the same for every kind: `import_urls(importer, ...)` gives an app its routes, each guarded by the
importer's permission (so the URL harness sees it), and every job lookup stays inside that kind."""

from __future__ import annotations

import csv
import io

from django import forms
from django.contrib import messages
from django.core.cache import cache
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from accounts.access import staff_view
from core.imports import services
from core.imports.readers import MAX_FILE_BYTES, ImportFileError
from core.imports.registry import Importer, importer_get
from core.models import DuplicateMode, ImportJob, ImportStatus

PROBLEMS_PER_PAGE = 50
JOBS_PER_PAGE = 10


class UploadForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("CSV or Excel file"),
                           help_text=gettext_lazy("The first row holds the column names. Up to 20 MB."),
                           widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx,.txt,.tsv"}))

    def __init__(self, *args, importer: Importer, **kwargs):
        super().__init__(*args, **kwargs)
        for option in importer.options:  # the importer's yes/no choices, e.g. "create unknown suppliers"
            self.fields[f"option_{option.name}"] = forms.BooleanField(
                label=option.label, help_text=option.help, required=False, initial=option.default)

    def options(self) -> dict[str, bool]:
        return {name.removeprefix("option_"): value for name, value in self.cleaned_data.items()
                if name.startswith("option_")}

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_FILE_BYTES:
            raise forms.ValidationError(_("The file is larger than 20 MB: split it into smaller files."))
        return upload


def import_job_get(*, importer: Importer, pk: int) -> ImportJob:
    """Jobs of this kind only: a job of another kind (or tenant) is the same 404 as a missing one."""
    job = ImportJob.objects.select_related("created_by").filter(kind=importer.kind, pk=pk).defer("content").first()
    if job is None:
        raise Http404
    return job


def job_panel_context(job: ImportJob, request=None) -> dict:
    importer = importer_get(job.kind)
    fields = [{"field": item, "column": job.mapping.get(item.name)} for item in importer.fields]
    options = [{"option": option, "checked": bool((job.options or {}).get(option.name, option.default))}
               for option in importer.options]
    progress = cache.get(services.progress_key(job.pk)) if job.is_running else None
    problems_page = Paginator(job.problems or [], PROBLEMS_PER_PAGE).get_page(request.GET.get("problems") if request else 1)
    counts = job.counts or {}
    return {
        "job": job, "importer": importer, "fields": fields, "columns": list(enumerate(job.headers)),
        "options": options, "notes": job.notes or [],
        "progress": progress or {"done": 0, "percent": 0, "phase": "check" if job.status == ImportStatus.CHECKING else "apply"},
        "problems_page": problems_page, "duplicates": (job.duplicates or [])[:100],
        "duplicate_modes": DuplicateMode.choices, "counts": counts,
        "good_rows": counts.get("create", 0) + counts.get("update", 0),
        "summary": services.summary_text(job), "urls": _urls(importer, job),
        "can_check": job.status in (ImportStatus.UPLOADED, ImportStatus.CHECKED, ImportStatus.FAILED),
    }


def _urls(importer: Importer, job: ImportJob | None = None) -> dict:
    prefix = importer.url_name
    urls = {"start": reverse(f"{prefix}"), "template": reverse(f"{prefix}_template"), "back": importer.back_url()}
    if job is not None:
        for name in ("job", "check", "apply", "cancel", "panel"):
            urls[name] = reverse(f"{prefix}_{name}", args=[job.pk])
    return urls


def import_urls(importer: Importer, *, prefix: str) -> list:
    """Routes for one importer under `prefix` (e.g. "customers/import/"), named after `importer.url_name`."""
    name = importer.url_name.split(":", 1)[1]
    guard = staff_view(importer.permission)

    @guard
    def start(request):
        form = UploadForm(request.POST or None, request.FILES or None, importer=importer)
        if request.method == "POST" and form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                job = services.import_job_create(kind=importer.kind, acting_user=request.user,
                                                 file_name=upload.name, content=upload.read(), options=form.options())
            except ImportFileError as error:
                form.add_error("file", str(error))
            else:
                return redirect(services.job_url(job))
        jobs = Paginator(ImportJob.objects.filter(kind=importer.kind).select_related("created_by").defer("content"),
                         JOBS_PER_PAGE).get_page(request.GET.get("page"))
        return render(request, "core/import_start.html",
                      {"importer": importer, "form": form, "page": jobs, "urls": _urls(importer)},
                      status=400 if form.errors else 200)

    @guard
    def template(request):
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow([str(item.label) for item in importer.fields])
        writer.writerows(importer.template_rows)
        response = HttpResponse(buffer.getvalue(), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{importer.kind}-template.csv"'
        return response

    @guard
    def job_page(request, pk):
        job = import_job_get(importer=importer, pk=pk)
        context = job_panel_context(job, request)
        if request.htmx and request.htmx.target == "problems":
            return render(request, "core/import_job.html#problems", context)
        return render(request, "core/import_job.html", context)

    @guard
    def panel(request, pk):
        """The fallback poll while a run is going (the websocket usually gets there first)."""
        job = import_job_get(importer=importer, pk=pk)
        return render(request, "core/import_job.html#job-panel", job_panel_context(job, request))

    @guard
    @require_POST
    def check(request, pk):
        job = import_job_get(importer=importer, pk=pk)
        mapping = {}
        for item in importer.fields:
            value = request.POST.get(f"map_{item.name}", "")
            if value.isdigit():
                mapping[item.name] = int(value)
        options = {option.name: request.POST.get(f"option_{option.name}") == "on" for option in importer.options}
        try:
            services.import_job_check(job=job, mapping=mapping, options=options,
                                      duplicate_mode=request.POST.get("duplicate_mode", DuplicateMode.SKIP))
        except services.ImportRefused as error:
            # Keep what the user chose: show the page again with their matching, not the saved one.
            job.mapping, job.options = mapping, options
            job.duplicate_mode = request.POST.get("duplicate_mode", job.duplicate_mode)
            context = job_panel_context(job, request)
            context["mapping_error"] = str(error)
            return render(request, "core/import_job.html", context, status=400)
        return redirect(services.job_url(job))

    @guard
    @require_POST
    def apply(request, pk):
        job = import_job_get(importer=importer, pk=pk)
        try:
            services.import_job_apply(job=job, skip_bad_rows=request.POST.get("skip_bad_rows") == "on")
        except services.ImportRefused as error:
            messages.error(request, str(error))
        return redirect(services.job_url(job))

    @guard
    @require_POST
    def cancel(request, pk):
        job = import_job_get(importer=importer, pk=pk)
        try:
            services.import_job_cancel(job=job)
            messages.success(request, _("Import cancelled: nothing was imported."))
        except services.ImportRefused as error:
            messages.error(request, str(error))
            return redirect(services.job_url(job))
        return redirect(_urls(importer)["start"])

    return [
        path(prefix, start, name=name),
        path(f"{prefix}template.csv", template, name=f"{name}_template"),
        path(f"{prefix}<int:pk>/", job_page, name=f"{name}_job"),
        path(f"{prefix}<int:pk>/panel/", panel, name=f"{name}_panel"),
        path(f"{prefix}<int:pk>/check/", check, name=f"{name}_check"),
        path(f"{prefix}<int:pk>/apply/", apply, name=f"{name}_apply"),
        path(f"{prefix}<int:pk>/cancel/", cancel, name=f"{name}_cancel"),
    ]
