"""Support contracts in the integration API: the same services, selectors and permissions as the pages."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, serializers, status
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.api_permissions import requires
from crm.models import Customer
from helpdesk import permissions
from helpdesk import selectors_contracts as selectors
from helpdesk.errors import HelpdeskError
from helpdesk.forms import ContractFilterForm
from helpdesk.models import ContractStatus, ContractType, SlaPolicy, SupportContract
from helpdesk.services import contracts as services


class ContractSerializer(serializers.ModelSerializer):
    customer_name = serializers.CharField(source="customer.name", read_only=True)
    renewed_from = serializers.PrimaryKeyRelatedField(read_only=True)

    class Meta:
        model = SupportContract
        fields = ["id", "customer", "customer_name", "name", "type", "status", "start_date", "end_date",
                  "term_months", "renewal_date", "auto_renew", "monthly_value", "annual_value", "currency",
                  "sla_policy", "hours_included", "hours_period", "owner", "notes", "renewed_from", "cancel_reason",
                  "created_at", "updated_at"]
        read_only_fields = fields


class ContractWriteSerializer(serializers.ModelSerializer):
    """Give the monthly or the annual value: the other is worked out. End and renewal dates default to the term."""

    customer = serializers.PrimaryKeyRelatedField(queryset=Customer.objects.all())
    sla_policy = serializers.PrimaryKeyRelatedField(queryset=SlaPolicy.objects.all(), allow_null=True,
                                                    required=False)
    activate = serializers.BooleanField(required=False, default=False, write_only=True)

    class Meta:
        model = SupportContract
        fields = ["customer", "name", "type", "start_date", "end_date", "term_months", "renewal_date", "auto_renew",
                  "monthly_value", "annual_value", "sla_policy", "hours_included", "hours_period", "owner", "notes",
                  "activate"]
        extra_kwargs = {name: {"required": False} for name in ("end_date", "renewal_date", "monthly_value",
                                                              "annual_value")}
        validators = []  # the model's CheckConstraints are enforced by the service and the database


FILTER_PARAMETERS = [
    OpenApiParameter("q", str, description="Search in contract and customer names"),
    OpenApiParameter("status", str, enum=ContractStatus.values), OpenApiParameter("type", str, enum=ContractType.values),
    OpenApiParameter("renewing", int, description="Renewal date within this many days"),
    OpenApiParameter("customer", int), OpenApiParameter("sort", str, enum=list(selectors.SORTS)),
    OpenApiParameter("page", int),
]


class ContractListCreate(generics.GenericAPIView):
    permission_classes = [requires(permissions.VIEW_CONTRACTS, permissions.MANAGE_CONTRACTS)]
    serializer_class = ContractSerializer

    @extend_schema(parameters=FILTER_PARAMETERS, responses=ContractSerializer(many=True))
    def get(self, request):
        filters = ContractFilterForm(request.query_params or None).filters()
        page = self.paginate_queryset(selectors.contract_list(filters=filters))
        return self.get_paginated_response(ContractSerializer(page, many=True).data)

    @extend_schema(request=ContractWriteSerializer, responses={201: ContractSerializer})
    def post(self, request):
        serializer = ContractWriteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        customer = data.pop("customer")
        try:
            contract = services.contract_create(customer=customer, acting_user=request.user, **data)
        except HelpdeskError as error:
            raise ValidationError({"detail": str(error)}) from None
        return Response(ContractSerializer(contract).data, status=status.HTTP_201_CREATED)


class ContractDetail(APIView):
    permission_classes = [requires(permissions.VIEW_CONTRACTS, permissions.MANAGE_CONTRACTS)]

    @extend_schema(responses=ContractSerializer)
    def get(self, request, pk):
        return Response(ContractSerializer(selectors.contract_get_for_user(user=request.user, pk=pk)).data)

    @extend_schema(request=ContractWriteSerializer, responses=ContractSerializer)
    def patch(self, request, pk):
        contract = selectors.contract_get_for_user(user=request.user, pk=pk)
        serializer = ContractWriteSerializer(contract, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        changes = dict(serializer.validated_data)
        changes.pop("activate", None)
        if "customer" in changes and changes.pop("customer") != contract.customer:
            raise ValidationError({"customer": "A contract cannot move to another customer."})
        try:
            services.contract_update(contract=contract, acting_user=request.user, changes=changes)
        except HelpdeskError as error:
            raise ValidationError({"detail": str(error)}) from None
        return Response(ContractSerializer(selectors.contract_get_for_user(user=request.user, pk=pk)).data)
