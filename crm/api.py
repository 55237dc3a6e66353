"""Customers in the integration API: the same services, selectors and permissions as the pages."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, serializers, status
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.api_permissions import requires
from crm import permissions, selectors
from crm.errors import CrmError
from crm.forms import CustomerFilterForm
from crm.models import Customer, CustomerStatus, Sector, Tag
from crm.services import customers as services


class CustomerSerializer(serializers.ModelSerializer):
    sector = serializers.PrimaryKeyRelatedField(queryset=Sector.objects.all(), allow_null=True, required=False)
    sector_name = serializers.CharField(source="sector.name", read_only=True, default=None)
    owner = serializers.PrimaryKeyRelatedField(read_only=True)
    owner_name = serializers.CharField(source="owner.full_name", read_only=True, default=None)
    tags = serializers.SlugRelatedField(slug_field="name", many=True, queryset=Tag.objects.all(), required=False)
    archived = serializers.BooleanField(source="is_archived", read_only=True)

    class Meta:
        model = Customer
        fields = ["id", "name", "status", "sector", "sector_name", "size_band", "website", "email", "phone",
                  "registration_number", "owner", "owner_name", "is_competitor", "known_facts", "lead_score", "tags",
                  "lifecycle_automation", "archived", "created_at", "updated_at"]
        read_only_fields = ["status", "created_at", "updated_at"]


class CustomerWriteSerializer(CustomerSerializer):
    status = serializers.ChoiceField(choices=CustomerStatus.choices, required=False)
    owner = serializers.PrimaryKeyRelatedField(queryset=selectors.owner_candidates(), allow_null=True, required=False)

    class Meta(CustomerSerializer.Meta):
        read_only_fields = ["created_at", "updated_at"]


FILTER_PARAMETERS = [
    OpenApiParameter("q", str, description="Search in name, email, phone, website and company number"),
    OpenApiParameter("status", str, enum=CustomerStatus.values), OpenApiParameter("sector", int),
    OpenApiParameter("owner", int), OpenApiParameter("competitor", str, enum=["yes", "no"]),
    OpenApiParameter("tag", int), OpenApiParameter("archived", bool),
    OpenApiParameter("sort", str, enum=list(selectors.SORTS)), OpenApiParameter("page", int),
]


class CustomerListCreate(generics.GenericAPIView):
    permission_classes = [requires(permissions.VIEW_CUSTOMERS, permissions.CHANGE_CUSTOMERS)]
    serializer_class = CustomerSerializer

    @extend_schema(parameters=FILTER_PARAMETERS, responses=CustomerSerializer(many=True))
    def get(self, request):
        filters = CustomerFilterForm(request.query_params or None).filters()
        page = self.paginate_queryset(selectors.customer_list(filters=filters))
        return self.get_paginated_response(CustomerSerializer(page, many=True).data)

    @extend_schema(request=CustomerWriteSerializer, responses={201: CustomerSerializer})
    def post(self, request):
        serializer = CustomerWriteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        tags, owner = data.pop("tags", []), data.pop("owner", None)
        name, status_value = data.pop("name"), data.pop("status", CustomerStatus.LEAD)
        customer = services.customer_create(acting_user=request.user, name=name, status=status_value, owner=owner,
                                            tags=tags, **data)
        body = CustomerSerializer(customer).data
        body["possible_duplicates"] = [
            {"id": found.customer.pk, "name": found.customer.name, "same": list(found.reasons)}
            for found in selectors.customer_duplicates(name=customer.name, website=customer.website,
                                                       registration_number=customer.registration_number,
                                                       exclude_pk=customer.pk)
        ]
        return Response(body, status=status.HTTP_201_CREATED)


class CustomerDetail(APIView):
    permission_classes = [requires(permissions.VIEW_CUSTOMERS, permissions.CHANGE_CUSTOMERS)]

    @extend_schema(responses=CustomerSerializer)
    def get(self, request, pk):
        return Response(CustomerSerializer(selectors.customer_get_for_user(user=request.user, pk=pk)).data)

    @extend_schema(request=CustomerWriteSerializer, responses=CustomerSerializer)
    def patch(self, request, pk):
        customer = selectors.customer_get_for_user(user=request.user, pk=pk)
        serializer = CustomerWriteSerializer(customer, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        try:
            if "status" in data:
                services.customer_status_change(customer=customer, status=data.pop("status"), acting_user=request.user)
            if "owner" in data:
                services.customer_owner_change(customer=customer, owner=data.pop("owner"), acting_user=request.user)
            tags = data.pop("tags", None)
            services.customer_update(customer=customer, acting_user=request.user, changes=data, tags=tags)
        except CrmError as error:
            raise ValidationError({"detail": str(error)}) from None
        return Response(CustomerSerializer(selectors.customer_get_for_user(user=request.user, pk=pk)).data)


class CustomerArchive(APIView):
    """POST archives the customer; DELETE on this URL restores it."""

    permission_classes = [requires(permissions.VIEW_CUSTOMERS, permissions.ARCHIVE_CUSTOMERS)]

    @extend_schema(request=None, responses=CustomerSerializer, description=str(_("Archive the customer.")))
    def post(self, request, pk):
        customer = selectors.customer_get_for_user(user=request.user, pk=pk)
        services.customer_archive(customer=customer, acting_user=request.user)
        return Response(CustomerSerializer(customer).data)

    @extend_schema(request=None, responses=CustomerSerializer, description=str(_("Restore an archived customer.")))
    def delete(self, request, pk):
        customer = selectors.customer_get_for_user(user=request.user, pk=pk)
        services.customer_restore(customer=customer, acting_user=request.user)
        return Response(CustomerSerializer(customer).data)
