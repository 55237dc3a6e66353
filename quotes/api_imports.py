"""Price-list import in the integration API: the same engine, steps and permission as the pages.

upload a file (a job) → set the column matching and run the dry run → read the report → apply → read the status.
The dry run and the apply run in the background: poll the job (`status`, `progress`) until it is `checked`,
`applied` or `failed`.
"""

from __future__ import annotations

from django.core.cache import cache
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import generics, serializers, status
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import PageNumberPagination
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.api_permissions import requires
from core.imports import services
from core.imports.readers import MAX_FILE_BYTES, ImportFileError
from core.imports.views import import_job_get
from core.models import DuplicateMode, ImportJob, ImportStatus
from quotes import permissions
from quotes.api_quotes import Conflict, ErrorSerializer
from quotes.imports import price_list_importer

IMPORTER = price_list_importer
CAN_IMPORT = requires(permissions.IMPORT_PRICE_LIST, permissions.IMPORT_PRICE_LIST)


class ImportFieldSerializer(serializers.Serializer):
    name = serializers.CharField()
    label = serializers.CharField()
    required = serializers.BooleanField()
    help = serializers.CharField()


class ImportProgressSerializer(serializers.Serializer):
    phase = serializers.ChoiceField(choices=["check", "apply"])
    done = serializers.IntegerField(help_text="rows done")
    percent = serializers.IntegerField()


class ImportJobSerializer(serializers.ModelSerializer):
    created_by = serializers.PrimaryKeyRelatedField(read_only=True)
    importable_fields = serializers.SerializerMethodField(help_text="what the columns can be matched to")
    progress = serializers.SerializerMethodField(help_text="while the dry run or the apply runs; null otherwise")
    counts = serializers.DictField(child=serializers.IntegerField(), read_only=True,
                                   help_text="rows by outcome: create, update, skip (unchanged), error")
    notes = serializers.ListField(child=serializers.CharField(), read_only=True,
                                  help_text="what the dry run says about the file as a whole")
    mapping = serializers.DictField(child=serializers.IntegerField(), read_only=True,
                                    help_text="field name → column index (0 is the first column)")
    options = serializers.DictField(child=serializers.BooleanField(), read_only=True)
    headers = serializers.ListField(child=serializers.CharField(), read_only=True)
    sample_rows = serializers.ListField(child=serializers.ListField(child=serializers.CharField()), read_only=True)

    class Meta:
        model = ImportJob
        fields = ["id", "file_name", "status", "row_count", "headers", "sample_rows", "importable_fields", "mapping",
                  "options", "counts", "notes", "failure", "progress", "skip_bad_rows", "created_by", "created_at",
                  "checked_at", "finished_at"]
        read_only_fields = fields

    @extend_schema_field(ImportFieldSerializer(many=True))
    def get_importable_fields(self, job) -> list[dict]:
        return [{"name": item.name, "label": str(item.label), "required": item.required, "help": str(item.help)}
                for item in IMPORTER.fields]

    @extend_schema_field(ImportProgressSerializer(allow_null=True))
    def get_progress(self, job) -> dict | None:
        if not job.is_running:
            return None
        return cache.get(services.progress_key(job.pk)) or {
            "phase": "check" if job.status == ImportStatus.CHECKING else "apply", "done": 0, "percent": 0}


class ImportUploadSerializer(serializers.Serializer):
    file = serializers.FileField(help_text="CSV or Excel (.xlsx), the first row holding the column names; up to 20 MB")
    create_suppliers = serializers.BooleanField(required=False, default=False,
                                                help_text="create suppliers the catalogue does not have (default: "
                                                          "report their rows as errors)")

    def validate_file(self, upload):
        if upload.size > MAX_FILE_BYTES:
            raise ValidationError(_("The file is larger than 20 MB: split it into smaller files."))
        return upload


class ImportCheckSerializer(serializers.Serializer):
    mapping = serializers.DictField(
        child=serializers.CharField(), required=False,
        help_text="field name → column index or column name; default: the columns matched automatically")
    create_suppliers = serializers.BooleanField(required=False)


class ImportApplySerializer(serializers.Serializer):
    skip_bad_rows = serializers.BooleanField(required=False, default=False,
                                             help_text="import the good rows and leave out the rows with errors")


class ProblemSerializer(serializers.Serializer):
    row = serializers.IntegerField(help_text="the row number as the spreadsheet shows it")
    errors = serializers.ListField(child=serializers.CharField())


class ProblemPagination(PageNumberPagination):
    page_size = 100


def _job(request, pk) -> ImportJob:
    return import_job_get(importer=IMPORTER, pk=pk)


def _job_response(pk, status_code=status.HTTP_200_OK) -> Response:
    return Response(ImportJobSerializer(import_job_get(importer=IMPORTER, pk=pk)).data, status=status_code)


class PriceListImportListCreate(generics.GenericAPIView):
    permission_classes = [CAN_IMPORT]
    serializer_class = ImportJobSerializer
    parser_classes = [MultiPartParser, FormParser]

    @extend_schema(parameters=[OpenApiParameter("page", int)], responses=ImportJobSerializer(many=True),
                   description=str(gettext_lazy("Price-list imports, newest first.")))
    def get(self, request):
        jobs = ImportJob.objects.filter(kind=IMPORTER.kind).defer("content").order_by("-created_at", "-id")
        return self.get_paginated_response(ImportJobSerializer(self.paginate_queryset(jobs), many=True).data)

    @extend_schema(request={"multipart/form-data": ImportUploadSerializer},
                   responses={201: ImportJobSerializer, 400: ErrorSerializer},
                   description=str(gettext_lazy("Upload a price list: nothing is imported yet. The columns are "
                                                "matched automatically where their names say what they hold.")))
    def post(self, request):
        serializer = ImportUploadSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        upload = serializer.validated_data["file"]
        try:
            job = services.import_job_create(
                kind=IMPORTER.kind, acting_user=request.user, file_name=upload.name, content=upload.read(),
                options={"create_suppliers": serializer.validated_data["create_suppliers"]})
        except ImportFileError as error:
            raise ValidationError({"file": [str(error)]}) from None
        return _job_response(job.pk, status.HTTP_201_CREATED)


class PriceListImportDetail(APIView):
    permission_classes = [CAN_IMPORT]

    @extend_schema(responses={200: ImportJobSerializer, 404: ErrorSerializer},
                   description=str(gettext_lazy("The job's status, counts and live progress.")))
    def get(self, request, pk):
        return _job_response(_job(request, pk).pk)


def _column(job: ImportJob, field: str, value: str) -> int:
    if value.strip().isdigit():
        return int(value)
    for index, header in enumerate(job.headers):
        if header.strip().lower() == value.strip().lower():
            return index
    raise ValidationError({"mapping": [_("%(field)s: there is no column “%(value)s”.") % {"field": field,
                                                                                          "value": value}]})


class PriceListImportCheck(APIView):
    permission_classes = [CAN_IMPORT]

    @extend_schema(request=ImportCheckSerializer, responses={202: ImportJobSerializer, **{
        code: ErrorSerializer for code in (400, 404, 409)}},
                   description=str(gettext_lazy("Save the column matching (and options) and start the dry run, "
                                                "which checks every row and writes nothing.")))
    def post(self, request, pk):
        job = _job(request, pk)
        serializer = ImportCheckSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        mapping = job.mapping
        if "mapping" in data:
            known = {item.name for item in IMPORTER.fields}
            unknown = sorted(set(data["mapping"]) - known)
            if unknown:
                raise ValidationError({"mapping": [_("Unknown fields: %(names)s.") % {"names": ", ".join(unknown)}]})
            mapping = {name: _column(job, name, value) for name, value in data["mapping"].items() if value != ""}
        options = {"create_suppliers": data["create_suppliers"]} if "create_suppliers" in data else None
        try:
            services.import_job_check(job=job, mapping=mapping, duplicate_mode=DuplicateMode.UPDATE, options=options)
        except services.ImportRefused as error:
            if job.is_running or job.status in (ImportStatus.APPLIED, ImportStatus.CANCELLED):
                raise Conflict(str(error)) from None
            raise ValidationError({"detail": str(error)}) from None
        return _job_response(job.pk, status.HTTP_202_ACCEPTED)


class PriceListImportReport(generics.GenericAPIView):
    permission_classes = [CAN_IMPORT]
    serializer_class = ProblemSerializer
    pagination_class = ProblemPagination

    @extend_schema(parameters=[OpenApiParameter("page", int)], responses=ProblemSerializer(many=True),
                   description=str(gettext_lazy("Every row with errors and why, in file order (the counts and "
                                                "notes are on the job).")))
    def get(self, request, pk):
        job = _job(request, pk)
        return self.get_paginated_response(ProblemSerializer(self.paginate_queryset(job.problems or []),
                                                             many=True).data)


class PriceListImportApply(APIView):
    permission_classes = [CAN_IMPORT]

    @extend_schema(request=ImportApplySerializer, responses={202: ImportJobSerializer, **{
        code: ErrorSerializer for code in (400, 404, 409)}},
                   description=str(gettext_lazy("Import a checked file, all or nothing: if any row fails, nothing "
                                                "is saved. Refused while rows have errors unless `skip_bad_rows`.")))
    def post(self, request, pk):
        job = _job(request, pk)
        serializer = ImportApplySerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            services.import_job_apply(job=job, skip_bad_rows=serializer.validated_data["skip_bad_rows"])
        except services.ImportRefused as error:
            raise Conflict(str(error)) from None
        return _job_response(job.pk, status.HTTP_202_ACCEPTED)


class PriceListImportCancel(APIView):
    permission_classes = [CAN_IMPORT]

    @extend_schema(request=None, responses={200: ImportJobSerializer, 404: ErrorSerializer, 409: ErrorSerializer},
                   description=str(gettext_lazy("Drop an import that has not been applied (its file is deleted).")))
    def post(self, request, pk):
        job = _job(request, pk)
        try:
            services.import_job_cancel(job=job)
        except services.ImportRefused as error:
            raise Conflict(str(error)) from None
        return _job_response(job.pk)
