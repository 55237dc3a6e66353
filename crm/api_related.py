"""Contacts, addresses, activities and opportunities in the integration API: nested under their customer, written
through the same services (so the same events, invariants and live timeline) and guarded by the same permissions."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import generics, serializers, status
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from crm import permissions, selectors
from accounts.api_permissions import requires
from crm.errors import CrmError
from crm.forms import UK_NAMES
from crm.models import (
    UNITED_KINGDOM, Activity, Address, Contact, ContactEmail, ContactPhone, Opportunity, OpportunityStage,
)
from crm.normalise import normalise_uk_postcode
from crm.services import activities as activity_services
from crm.services import addresses as address_services
from crm.services import contacts as contact_services
from crm.services import opportunities as opportunity_services

VIEW_OR_CHANGE = requires(permissions.VIEW_CUSTOMERS, permissions.CHANGE_CUSTOMERS)


def _service(call):
    try:
        return call()
    except CrmError as error:
        raise ValidationError({"detail": str(error)}) from None


# Contacts ----------------------------------------------------------------------------------------------------

class EmailSerializer(serializers.ModelSerializer):
    class Meta:
        model = ContactEmail
        fields = ["address", "kind", "is_primary"]


class PhoneSerializer(serializers.ModelSerializer):
    class Meta:
        model = ContactPhone
        fields = ["number", "kind", "is_primary"]


class ContactSerializer(serializers.ModelSerializer):
    emails = EmailSerializer(many=True, required=False)
    phones = PhoneSerializer(many=True, required=False)
    make_primary = serializers.BooleanField(write_only=True, required=False, default=False)

    class Meta:
        model = Contact
        fields = ["id", "first_name", "last_name", "job_title", "role", "notes", "is_primary", "emails", "phones",
                  "make_primary", "created_at", "updated_at"]
        read_only_fields = ["is_primary", "created_at", "updated_at"]


class ContactListCreate(APIView):
    permission_classes = [VIEW_OR_CHANGE]

    @extend_schema(responses=ContactSerializer(many=True))
    def get(self, request, pk):
        customer = selectors.customer_get_for_user(user=request.user, pk=pk)
        return Response(ContactSerializer(customer.contacts.prefetch_related("emails", "phones"), many=True).data)

    @extend_schema(request=ContactSerializer, responses={201: ContactSerializer})
    def post(self, request, pk):
        customer = selectors.customer_get_for_user(user=request.user, pk=pk)
        serializer = ContactSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        contact = _service(lambda: contact_services.contact_create(
            customer=customer, acting_user=request.user, fields=data, emails=data.get("emails", []),
            phones=data.get("phones", []), make_primary=data.get("make_primary", False)))
        return Response(ContactSerializer(contact).data, status=status.HTTP_201_CREATED)


class ContactDetail(APIView):
    permission_classes = [VIEW_OR_CHANGE]

    def _contact(self, request, pk, contact_pk):
        customer = selectors.customer_get_for_user(user=request.user, pk=pk)
        return selectors.object_get_or_404(customer.contacts.select_related("customer"), contact_pk)

    @extend_schema(responses=ContactSerializer)
    def get(self, request, pk, contact_pk):
        return Response(ContactSerializer(self._contact(request, pk, contact_pk)).data)

    @extend_schema(request=ContactSerializer, responses=ContactSerializer)
    def patch(self, request, pk, contact_pk):
        contact = self._contact(request, pk, contact_pk)
        serializer = ContactSerializer(contact, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        emails = data.get("emails", [EmailSerializer(e).data for e in contact.emails.all()])
        phones = data.get("phones", [PhoneSerializer(p).data for p in contact.phones.all()])
        _service(lambda: contact_services.contact_update(contact=contact, acting_user=request.user, fields=data,
                                                          emails=emails, phones=phones,
                                                          make_primary=data.get("make_primary", False)))
        return Response(ContactSerializer(Contact.objects.get(pk=contact.pk)).data)

    @extend_schema(responses={204: None})
    def delete(self, request, pk, contact_pk):
        contact = self._contact(request, pk, contact_pk)
        _service(lambda: contact_services.contact_remove(contact=contact, acting_user=request.user))
        return Response(status=status.HTTP_204_NO_CONTENT)


# Addresses ---------------------------------------------------------------------------------------------------

class AddressSerializer(serializers.ModelSerializer):
    make_default = serializers.BooleanField(write_only=True, required=False, default=False)

    class Meta:
        model = Address
        fields = ["id", "kind", "label", "line1", "line2", "line3", "town", "county", "postcode", "country",
                  "is_default", "position", "make_default"]
        read_only_fields = ["is_default", "position"]

    def validate(self, attrs):
        country = (attrs.get("country") or (self.instance.country if self.instance else UNITED_KINGDOM)).strip()
        if country.lower() in UK_NAMES:
            attrs["country"] = UNITED_KINGDOM
            postcode = attrs.get("postcode", self.instance.postcode if self.instance else "")
            normalised = normalise_uk_postcode(postcode)
            if normalised is None:
                raise ValidationError({"postcode": f"“{postcode}” is not a valid UK postcode (for example B15 2TT)."})
            attrs["postcode"] = normalised
        return attrs


class AddressListCreate(APIView):
    permission_classes = [VIEW_OR_CHANGE]

    @extend_schema(responses=AddressSerializer(many=True))
    def get(self, request, pk):
        customer = selectors.customer_get_for_user(user=request.user, pk=pk)
        return Response(AddressSerializer(customer.addresses.all(), many=True).data)

    @extend_schema(request=AddressSerializer, responses={201: AddressSerializer})
    def post(self, request, pk):
        customer = selectors.customer_get_for_user(user=request.user, pk=pk)
        serializer = AddressSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        address = _service(lambda: address_services.address_create(
            customer=customer, acting_user=request.user, fields=data, make_default=data.get("make_default", False)))
        return Response(AddressSerializer(address).data, status=status.HTTP_201_CREATED)


class AddressDetail(APIView):
    permission_classes = [VIEW_OR_CHANGE]

    def _address(self, request, pk, address_pk):
        customer = selectors.customer_get_for_user(user=request.user, pk=pk)
        return selectors.object_get_or_404(customer.addresses.select_related("customer"), address_pk)

    @extend_schema(request=AddressSerializer, responses=AddressSerializer)
    def patch(self, request, pk, address_pk):
        address = self._address(request, pk, address_pk)
        serializer = AddressSerializer(address, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        _service(lambda: address_services.address_update(address=address, acting_user=request.user, fields=data,
                                                          make_default=data.get("make_default", False)))
        return Response(AddressSerializer(Address.objects.get(pk=address.pk)).data)

    @extend_schema(responses={204: None})
    def delete(self, request, pk, address_pk):
        address = self._address(request, pk, address_pk)
        _service(lambda: address_services.address_remove(address=address, acting_user=request.user))
        return Response(status=status.HTTP_204_NO_CONTENT)


# Activities --------------------------------------------------------------------------------------------------

class ActivitySerializer(serializers.ModelSerializer):
    contact = serializers.PrimaryKeyRelatedField(queryset=Contact.objects.all(), allow_null=True, required=False)
    owner = serializers.PrimaryKeyRelatedField(read_only=True)

    class Meta:
        model = Activity
        fields = ["id", "kind", "subject", "notes", "occurred_at", "duration_minutes", "contact", "outcome",
                  "follow_up_on", "owner", "completed_at", "created_at"]
        read_only_fields = ["owner", "completed_at", "created_at"]


class ActivityListCreate(generics.GenericAPIView):
    permission_classes = [VIEW_OR_CHANGE]
    serializer_class = ActivitySerializer

    @extend_schema(responses=ActivitySerializer(many=True))
    def get(self, request, pk):
        customer = selectors.customer_get_for_user(user=request.user, pk=pk)
        page = self.paginate_queryset(customer.activities.all())
        return self.get_paginated_response(ActivitySerializer(page, many=True).data)

    @extend_schema(request=ActivitySerializer, responses={201: ActivitySerializer})
    def post(self, request, pk):
        customer = selectors.customer_get_for_user(user=request.user, pk=pk)
        serializer = ActivitySerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        activity = _service(lambda: activity_services.activity_log(
            customer=customer, acting_user=request.user, fields=dict(serializer.validated_data)))
        return Response(ActivitySerializer(activity).data, status=status.HTTP_201_CREATED)


class ActivityComplete(APIView):
    permission_classes = [requires(permissions.VIEW_CUSTOMERS, permissions.CHANGE_CUSTOMERS)]

    @extend_schema(request=None, responses=ActivitySerializer)
    def post(self, request, activity_pk):
        activity = selectors.object_get_or_404(Activity.objects.select_related("customer"), activity_pk)
        activity_services.activity_complete(activity=activity, acting_user=request.user)
        return Response(ActivitySerializer(activity).data)


# Opportunities -----------------------------------------------------------------------------------------------

class OpportunitySerializer(serializers.ModelSerializer):
    customer = serializers.PrimaryKeyRelatedField(read_only=True)
    customer_name = serializers.CharField(source="customer.name", read_only=True)
    owner = serializers.PrimaryKeyRelatedField(queryset=selectors.owner_candidates(), allow_null=True, required=False)

    class Meta:
        model = Opportunity
        fields = ["id", "customer", "customer_name", "title", "value", "probability", "expected_close_on", "stage",
                  "owner", "notes", "closed_at", "created_at", "updated_at"]
        read_only_fields = ["closed_at", "created_at", "updated_at"]


class OpportunityList(generics.GenericAPIView):
    permission_classes = [requires(permissions.VIEW_CUSTOMERS)]
    serializer_class = OpportunitySerializer

    @extend_schema(responses=OpportunitySerializer(many=True))
    def get(self, request):
        opportunities = Opportunity.objects.select_related("customer").filter(customer__archived_at__isnull=True)
        if request.query_params.get("stage") in OpportunityStage.values:
            opportunities = opportunities.filter(stage=request.query_params["stage"])
        if request.query_params.get("customer", "").isdigit():
            opportunities = opportunities.filter(customer_id=int(request.query_params["customer"]))
        page = self.paginate_queryset(opportunities.order_by("expected_close_on", "id"))
        return self.get_paginated_response(OpportunitySerializer(page, many=True).data)


class OpportunityCreate(APIView):
    permission_classes = [requires(permissions.CHANGE_CUSTOMERS, permissions.CHANGE_CUSTOMERS)]

    @extend_schema(request=OpportunitySerializer, responses={201: OpportunitySerializer})
    def post(self, request, pk):
        customer = selectors.customer_get_for_user(user=request.user, pk=pk)
        serializer = OpportunitySerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        stage = data.pop("stage", OpportunityStage.QUALIFIED)
        opportunity = _service(lambda: opportunity_services.opportunity_create(
            customer=customer, acting_user=request.user, fields=data, stage=stage))
        return Response(OpportunitySerializer(opportunity).data, status=status.HTTP_201_CREATED)


class OpportunityDetail(APIView):
    permission_classes = [VIEW_OR_CHANGE]

    @extend_schema(responses=OpportunitySerializer)
    def get(self, request, opportunity_pk):
        return Response(OpportunitySerializer(selectors.object_get_or_404(
            Opportunity.objects.select_related("customer"), opportunity_pk)).data)

    @extend_schema(request=OpportunitySerializer, responses=OpportunitySerializer)
    def patch(self, request, opportunity_pk):
        opportunity = selectors.object_get_or_404(Opportunity.objects.select_related("customer"), opportunity_pk)
        serializer = OpportunitySerializer(opportunity, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        stage = data.pop("stage", None)

        def apply():
            if stage:
                opportunity_services.opportunity_move(opportunity=opportunity, stage=stage, acting_user=request.user)
            opportunity_services.opportunity_update(opportunity=opportunity, acting_user=request.user, fields=data)

        _service(apply)
        return Response(OpportunitySerializer(Opportunity.objects.select_related("customer").get(pk=opportunity.pk)).data)
