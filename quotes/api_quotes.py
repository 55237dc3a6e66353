"""Quotes in the integration API: the list, the document with its lines and totals, the workflow actions and the
frozen revisions. Every write is a call to quotes/services/quotes.py, so the API obeys the same rules as the builder
(a sent revision never changes; only Managers approve; illegal transitions are refused with the reason).

Errors: a request the data makes invalid is a 400; one the quote's state refuses (a sent revision, an illegal
transition, a quote waiting for approval) is a 409; both carry the reason in `detail`.
"""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, serializers, status
from rest_framework.exceptions import APIException, ValidationError
from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.api_permissions import requires
from crm.errors import CrmError
from crm.models import Address, Contact, Customer
from quotes import permissions
from quotes.errors import QuotesError
from quotes.models import LineKind, Quote, QuoteLine, QuoteRevision, QuoteStatus
from quotes.selectors import quotes as selectors
from quotes.services import quotes as services
from quotes.totals import QuoteArithmeticError, quote_totals

READ_OR_CHANGE = requires(permissions.VIEW_QUOTES, permissions.CHANGE_QUOTES)
READ_OR_APPROVE = requires(permissions.VIEW_QUOTES, permissions.APPROVE_QUOTES)
MONEY = {"max_digits": 14, "decimal_places": 2, "read_only": True}


class Conflict(APIException):
    status_code = status.HTTP_409_CONFLICT
    default_detail = gettext_lazy("The quote's state does not allow this.")
    default_code = "conflict"


class ErrorSerializer(serializers.Serializer):
    detail = serializers.CharField()


ERRORS = {400: ErrorSerializer, 404: ErrorSerializer, 409: ErrorSerializer}


def service_call(quote: Quote, call, *, state_error: bool | None = None):
    """Run a service; its refusal becomes a 409 when the quote's state refused it, else a 400 with the reason."""
    try:
        return call()
    except QuotesError as error:
        conflict = state_error if state_error is not None else not quote.is_editable
        raise (Conflict(str(error)) if conflict else ValidationError({"detail": str(error)})) from None
    except CrmError as error:
        raise ValidationError({"detail": str(error)}) from None
    except DjangoValidationError as error:
        raise ValidationError(error.message_dict if hasattr(error, "error_dict") else {"detail": error.messages}) from None


# ----------------------------------------------------------------------------------------------- serializers

class PeriodTotalsSerializer(serializers.Serializer):
    net = serializers.DecimalField(**MONEY)
    discount = serializers.DecimalField(**MONEY)
    tax = serializers.DecimalField(**MONEY)
    total = serializers.DecimalField(**MONEY)
    cost = serializers.DecimalField(**MONEY)
    margin = serializers.DecimalField(**MONEY)
    margin_percent = serializers.DecimalField(max_digits=7, decimal_places=2, read_only=True, allow_null=True)


class QuoteTotalsSerializer(serializers.Serializer):
    one_off = PeriodTotalsSerializer(read_only=True)
    recurring = serializers.DictField(child=PeriodTotalsSerializer(), read_only=True,
                                      help_text="per period (monthly, annual), only the periods that have lines")
    optional_net = serializers.DecimalField(**MONEY)


class QuoteLineSerializer(serializers.ModelSerializer):
    """A line as the builder shows it, with what it adds up to (null for section headings)."""

    product = serializers.PrimaryKeyRelatedField(read_only=True)
    net = serializers.DecimalField(**MONEY, allow_null=True, default=None)
    margin = serializers.DecimalField(**MONEY, allow_null=True, default=None)
    margin_percent = serializers.DecimalField(max_digits=7, decimal_places=2, read_only=True, allow_null=True,
                                              default=None)
    counted = serializers.BooleanField(read_only=True, allow_null=True, default=None,
                                       help_text="false for optional lines and alternatives not chosen")
    section_net = serializers.DecimalField(**MONEY, allow_null=True, default=None,
                                           help_text="a section heading's subtotal")

    class Meta:
        model = QuoteLine
        fields = ["id", "position", "kind", "description", "part_number", "supplier_name", "product", "quantity",
                  "unit", "unit_cost", "unit_price", "markup_percent", "discount_percent", "is_optional",
                  "alternative_group", "alternative_chosen", "recurrence", "internal_note", "net", "margin",
                  "margin_percent", "counted", "section_net"]
        read_only_fields = ["position"]


class QuoteListSerializer(serializers.ModelSerializer):
    reference = serializers.CharField(read_only=True)
    customer_name = serializers.CharField(source="customer.name", read_only=True)
    owner_name = serializers.CharField(source="owner.full_name", read_only=True, default=None)

    class Meta:
        model = Quote
        fields = ["id", "reference", "title", "status", "revision", "approval", "customer", "customer_name", "owner",
                  "owner_name", "valid_until", "currency", "net_total", "tax_total", "grand_total", "monthly_total",
                  "annual_total", "margin_percent", "created_at", "updated_at"]
        read_only_fields = fields


class QuoteSerializer(QuoteListSerializer):
    lines = QuoteLineSerializer(many=True, read_only=True, source="api_lines")
    totals = QuoteTotalsSerializer(read_only=True, source="api_totals", allow_null=True)
    editable = serializers.BooleanField(source="is_editable", read_only=True,
                                        help_text="only a draft's lines change; revise a sent quote first")

    class Meta(QuoteListSerializer.Meta):
        fields = [*QuoteListSerializer.Meta.fields, "contact", "site", "introduction", "tax_rate", "terms",
                  "approval_reasons", "editable", "totals", "lines"]
        read_only_fields = fields


class QuoteCreateSerializer(serializers.Serializer):
    customer = serializers.PrimaryKeyRelatedField(queryset=Customer.objects.all())
    title = serializers.CharField(max_length=200)
    contact = serializers.PrimaryKeyRelatedField(queryset=Contact.objects.all(), required=False, allow_null=True)
    site = serializers.PrimaryKeyRelatedField(queryset=Address.objects.all(), required=False, allow_null=True)
    introduction = serializers.CharField(required=False, allow_blank=True, default="")


class QuoteUpdateSerializer(serializers.ModelSerializer):
    """The header of a draft. Contact and site must be the customer's own (`quote_update` checks it)."""

    class Meta:
        model = Quote
        fields = ["title", "introduction", "contact", "site", "owner", "valid_until", "tax_rate", "terms"]

    def validate(self, attrs):
        owner = attrs.get("owner")
        if owner is not None and not owner.is_active:
            raise ValidationError({"owner": [_("That user is deactivated.")]})
        return attrs


def with_totals(quote: Quote) -> Quote:
    """Attach the lines, each with its totals, and the quote's totals: computed here, on the server, as the builder
    does (the stored totals are a cache for lists)."""
    lines = selectors.quote_lines(quote=quote)
    try:
        totals = quote_totals(services.line_inputs(lines), tax_rate=Decimal(quote.tax_rate))
    except QuoteArithmeticError:
        totals = None
    for line in lines:
        line_totals = totals.lines.get(line.pk) if totals else None
        if line_totals is not None:
            line.net, line.margin = line_totals.net, line_totals.margin
            line.margin_percent, line.counted = line_totals.margin_percent, line_totals.counted
        if totals and line.kind == LineKind.SECTION:
            line.section_net = totals.sections.get(line.pk)
    quote.api_lines = lines
    quote.api_totals = None if totals is None else {
        "one_off": _period(totals.one_off),
        "recurring": {period: _period(period_totals) for period, period_totals in totals.recurring.items()},
        "optional_net": totals.optional_net,
    }
    return quote


def _period(totals) -> dict:
    return {"net": totals.net, "discount": totals.discount, "tax": totals.tax, "total": totals.total,
            "cost": totals.cost, "margin": totals.margin, "margin_percent": totals.margin_percent}


def quote_response(request, pk, status_code=status.HTTP_200_OK) -> Response:
    quote = selectors.quote_get_for_user(user=request.user, pk=pk)
    return Response(QuoteSerializer(with_totals(quote)).data, status=status_code)


# --------------------------------------------------------------------------------------------------- the list

class QuoteListTotalsSerializer(serializers.Serializer):
    currency = serializers.CharField()
    count = serializers.IntegerField()
    net_total = serializers.DecimalField(**MONEY)
    tax_total = serializers.DecimalField(**MONEY)
    grand_total = serializers.DecimalField(**MONEY)
    monthly_total = serializers.DecimalField(**MONEY)
    annual_total = serializers.DecimalField(**MONEY)


TOTAL_FIELDS = ("net_total", "tax_total", "grand_total", "monthly_total", "annual_total")


class QuotePagination(PageNumberPagination):
    """Pages of quotes, with the sums of every quote the filters found (not just this page), per currency."""

    def get_paginated_response(self, data, totals=()):
        return Response({"count": self.page.paginator.count, "next": self.get_next_link(),
                         "previous": self.get_previous_link(),
                         "totals": QuoteListTotalsSerializer(totals, many=True).data, "results": data})

    def get_paginated_response_schema(self, schema):
        response = super().get_paginated_response_schema(schema)
        money = {"type": "string", "format": "decimal", "example": "1234.50"}
        response["properties"]["totals"] = {
            "type": "array", "description": "sums of every quote found, one entry per currency",
            "items": {"type": "object", "required": ["currency", "count", *TOTAL_FIELDS], "properties": {
                "currency": {"type": "string", "example": "GBP"}, "count": {"type": "integer"},
                **{name: money for name in TOTAL_FIELDS}}}}
        return response


class QuoteFilterSerializer(serializers.Serializer):
    q = serializers.CharField(required=False, allow_blank=True, default="", max_length=200)
    status = serializers.ChoiceField(choices=QuoteStatus.choices, required=False, allow_blank=True)
    owner = serializers.CharField(required=False, allow_blank=True)
    customer = serializers.IntegerField(required=False)
    created_from = serializers.DateField(required=False)
    created_to = serializers.DateField(required=False)

    def validate_owner(self, value):
        if value and value != "me" and not value.isdigit():
            raise ValidationError(_("A user id, or “me”."))
        return value


QUOTE_FILTERS = [
    OpenApiParameter("q", str, description="A quote number (Q-2026-00042 or 2026-42), or words of the title or "
                                           "customer name; every word must match"),
    OpenApiParameter("status", str, enum=QuoteStatus.values), OpenApiParameter("owner", str,
                                                                                description="a user id, or `me`"),
    OpenApiParameter("customer", int), OpenApiParameter("created_from", str, description="YYYY-MM-DD, inclusive"),
    OpenApiParameter("created_to", str, description="YYYY-MM-DD, inclusive"), OpenApiParameter("page", int),
]


class QuoteListCreate(generics.GenericAPIView):
    permission_classes = [READ_OR_CHANGE]
    serializer_class = QuoteListSerializer
    pagination_class = QuotePagination

    @extend_schema(parameters=QUOTE_FILTERS, responses={200: QuoteListSerializer(many=True), 400: ErrorSerializer},
                   description=str(gettext_lazy("Newest first; `totals` sums every quote the filters found.")))
    def get(self, request):
        params = QuoteFilterSerializer(data=request.query_params)
        params.is_valid(raise_exception=True)
        values = params.validated_data
        owner = values.get("owner") or ""
        filters = selectors.QuoteFilters(
            search=values.get("q", ""), status=values.get("status") or "",
            owner=request.user.pk if owner == "me" else (int(owner) if owner else None),
            customer=values.get("customer"), created_from=values.get("created_from"),
            created_to=values.get("created_to"))
        quotes = selectors.quote_list(filters=filters)
        page = self.paginate_queryset(quotes)
        return self.paginator.get_paginated_response(QuoteListSerializer(page, many=True).data,
                                                     totals=selectors.quote_list_totals(quotes))

    @extend_schema(request=QuoteCreateSerializer, responses={201: QuoteSerializer, 400: ErrorSerializer},
                   description=str(gettext_lazy("A new draft numbered from the tenant's counter, with the tenant's "
                                                "currency, VAT rate, validity and terms.")))
    def post(self, request):
        serializer = QuoteCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        try:
            quote = services.quote_create(acting_user=request.user, **data)
        except (QuotesError, CrmError) as error:
            raise ValidationError({"detail": str(error)}) from None
        return quote_response(request, quote.pk, status.HTTP_201_CREATED)


class QuoteDetail(APIView):
    permission_classes = [READ_OR_CHANGE]

    @extend_schema(responses={200: QuoteSerializer, 404: ErrorSerializer})
    def get(self, request, pk):
        return quote_response(request, pk)

    @extend_schema(request=QuoteUpdateSerializer, responses={200: QuoteSerializer, **ERRORS},
                   description=str(gettext_lazy("Change the header of a draft (409 once it is sent: revise it first).")))
    def patch(self, request, pk):
        quote = selectors.quote_get_for_user(user=request.user, pk=pk)
        serializer = QuoteUpdateSerializer(quote, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        changes = dict(serializer.validated_data)
        service_call(quote, lambda: services.quote_update(quote=quote, acting_user=request.user, changes=changes))
        return quote_response(request, pk)


# ------------------------------------------------------------------------------------------------ the actions

class QuoteCommentSerializer(serializers.Serializer):
    comment = serializers.CharField(required=False, allow_blank=True, default="", max_length=2000)


class AcceptSerializer(QuoteCommentSerializer):
    revision = serializers.IntegerField(required=False, allow_null=True, min_value=1,
                                        help_text="the sent revision accepted; default: the latest")


class CancelSerializer(serializers.Serializer):
    reason = serializers.CharField(required=False, allow_blank=True, default="", max_length=2000,
                                   help_text="required to cancel an accepted quote (Managers only)")


class ApproveSerializer(QuoteCommentSerializer):
    approve = serializers.BooleanField(help_text="true approves, false refuses")


def _action(request, pk, serializer_class, call) -> Response:
    quote = selectors.quote_get_for_user(user=request.user, pk=pk)
    data = {}
    if serializer_class is not None:
        serializer = serializer_class(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
    service_call(quote, lambda: call(quote, data), state_error=True)
    return quote_response(request, pk)


ACTION_RESPONSES = {200: QuoteSerializer, **ERRORS}


class QuoteSend(APIView):
    permission_classes = [READ_OR_CHANGE]

    @extend_schema(request=None, responses=ACTION_RESPONSES,
                   description=str(gettext_lazy("Freeze the working lines as the next revision (R1, R2 …) and mark "
                                                "the quote sent. Emailing it is a separate step.")))
    def post(self, request, pk):
        return _action(request, pk, None, lambda quote, data: services.quote_send(quote=quote, acting_user=request.user))


class QuoteAccept(APIView):
    permission_classes = [READ_OR_CHANGE]

    @extend_schema(request=AcceptSerializer, responses=ACTION_RESPONSES,
                   description=str(gettext_lazy("Record the customer's acceptance of a sent revision; the others "
                                                "are superseded.")))
    def post(self, request, pk):
        return _action(request, pk, AcceptSerializer, lambda quote, data: services.quote_accept(
            quote=quote, acting_user=request.user, revision=data.get("revision"), comment=data["comment"]))


class QuoteReject(APIView):
    permission_classes = [READ_OR_CHANGE]

    @extend_schema(request=QuoteCommentSerializer, responses=ACTION_RESPONSES,
                   description=str(gettext_lazy("Record that the customer turned the quote down.")))
    def post(self, request, pk):
        return _action(request, pk, QuoteCommentSerializer, lambda quote, data: services.quote_reject(
            quote=quote, acting_user=request.user, comment=data["comment"]))


class QuoteRevise(APIView):
    permission_classes = [READ_OR_CHANGE]

    @extend_schema(request=None, responses=ACTION_RESPONSES,
                   description=str(gettext_lazy("Start the next revision of a sent quote: it becomes a draft again, "
                                                "the revisions sent stay as they were.")))
    def post(self, request, pk):
        return _action(request, pk, None, lambda quote, data: services.quote_revise(quote=quote,
                                                                                   acting_user=request.user))


class QuoteCancel(APIView):
    permission_classes = [READ_OR_CHANGE]

    @extend_schema(request=CancelSerializer, responses=ACTION_RESPONSES,
                   description=str(gettext_lazy("Cancel the quote. An accepted quote only by a Manager, with a "
                                                "reason.")))
    def post(self, request, pk):
        is_manager = request.user.has_perm(permissions.APPROVE_QUOTES)
        return _action(request, pk, CancelSerializer, lambda quote, data: services.quote_cancel(
            quote=quote, acting_user=request.user, reason=data["reason"], is_manager=is_manager))


class QuoteApprove(APIView):
    permission_classes = [READ_OR_APPROVE]

    @extend_schema(request=ApproveSerializer, responses=ACTION_RESPONSES,
                   description=str(gettext_lazy("A Manager approves (or refuses) a quote the pricing rules hold "
                                                "back; `approval_reasons` says why it needs it.")))
    def post(self, request, pk):
        return _action(request, pk, ApproveSerializer, lambda quote, data: services.quote_approve(
            quote=quote, acting_user=request.user, approve=data["approve"], comment=data["comment"]))


# ---------------------------------------------------------------------------------------------- the revisions

class QuoteRevisionSerializer(serializers.ModelSerializer):
    sent_by_name = serializers.CharField(source="sent_by.full_name", read_only=True, default=None)
    totals = serializers.JSONField(source="snapshot.totals", read_only=True)

    class Meta:
        model = QuoteRevision
        fields = ["number", "sent_at", "sent_by", "sent_by_name", "is_superseded", "totals"]
        read_only_fields = fields


class QuoteRevisionDetailSerializer(QuoteRevisionSerializer):
    snapshot = serializers.JSONField(read_only=True, help_text="header, lines and totals exactly as sent")

    class Meta(QuoteRevisionSerializer.Meta):
        fields = [*QuoteRevisionSerializer.Meta.fields, "snapshot"]
        read_only_fields = fields


class QuoteRevisionList(generics.GenericAPIView):
    permission_classes = [READ_OR_CHANGE]
    serializer_class = QuoteRevisionSerializer

    @extend_schema(parameters=[OpenApiParameter("page", int)], responses=QuoteRevisionSerializer(many=True))
    def get(self, request, pk):
        quote = selectors.quote_get_for_user(user=request.user, pk=pk)
        page = self.paginate_queryset(quote.revisions.select_related("sent_by").order_by("number"))
        return self.get_paginated_response(QuoteRevisionSerializer(page, many=True).data)


class QuoteRevisionDetail(APIView):
    permission_classes = [READ_OR_CHANGE]

    @extend_schema(responses={200: QuoteRevisionDetailSerializer, 404: ErrorSerializer})
    def get(self, request, pk, number):
        quote = selectors.quote_get_for_user(user=request.user, pk=pk)
        return Response(QuoteRevisionDetailSerializer(selectors.quote_revision_get(quote=quote, number=number)).data)
