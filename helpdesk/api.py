"""Tickets in the integration API: the same services, selectors and permissions as the pages."""

from __future__ import annotations

from django.urls import reverse
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, serializers, status
from rest_framework.exceptions import ValidationError
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.models import User
from accounts.api_permissions import requires
from crm.errors import CrmError
from crm.models import Address, Contact, Customer, Tag
from crm.selectors import customer_get_for_user
from helpdesk import permissions, selectors
from helpdesk.errors import HelpdeskError
from helpdesk.forms import SORTS, TicketFilterForm
from helpdesk.models import (
    Attachment, Comment, SlaPolicy, SupportContract, Ticket, TicketCategory, TicketPriority, TicketSource, TicketStatus,
    TimeEntry,
)
from quotes.models import Quote
from helpdesk.services import conversation, tickets as services
from helpdesk.services.settings import POLICY_FIELDS, sla_policy_save

VIEW, WORK, MANAGE = permissions.VIEW_TICKETS, permissions.WORK_TICKETS, permissions.MANAGE_HELPDESK


class TicketSerializer(serializers.ModelSerializer):
    reference = serializers.CharField(read_only=True)
    customer_name = serializers.CharField(source="customer.name", read_only=True)
    assignee_name = serializers.CharField(source="assignee.full_name", read_only=True, default=None)
    tags = serializers.SlugRelatedField(slug_field="name", many=True, read_only=True)

    class Meta:
        model = Ticket
        fields = ["id", "reference", "number", "subject", "description", "customer", "customer_name", "contact", "site",
                  "type", "category", "priority", "status", "assignee", "assignee_name", "source", "tags", "contract", "quote",
                  "created_at", "updated_at", "sla_policy", "sla_state", "response_due_at", "resolution_due_at",
                  "first_responded_at", "resolved_at", "closed_at"]
        read_only_fields = fields


class TicketWriteSerializer(serializers.Serializer):
    customer = serializers.PrimaryKeyRelatedField(queryset=Customer.objects.all(), required=False)
    subject = serializers.CharField(max_length=200, required=False)
    description = serializers.CharField(required=False, allow_blank=True)
    contact = serializers.PrimaryKeyRelatedField(queryset=Contact.objects.all(), allow_null=True, required=False)
    site = serializers.PrimaryKeyRelatedField(queryset=Address.objects.all(), allow_null=True, required=False)
    type = serializers.ChoiceField(choices=Ticket._meta.get_field("type").choices, required=False)
    category = serializers.PrimaryKeyRelatedField(queryset=TicketCategory.objects.all(), allow_null=True, required=False)
    contract = serializers.PrimaryKeyRelatedField(
        queryset=SupportContract.objects.all(), allow_null=True, required=False,
        help_text="The customer's support contract; left out on create, the customer's contract in force")
    quote = serializers.PrimaryKeyRelatedField(queryset=Quote.objects.all(), allow_null=True, required=False,
                                               help_text="A quote of the same customer the ticket relates to")
    priority = serializers.ChoiceField(choices=TicketPriority.choices, required=False)
    status = serializers.ChoiceField(choices=TicketStatus.choices, required=False)
    assignee = serializers.PrimaryKeyRelatedField(queryset=User.objects.filter(is_active=True), allow_null=True,
                                                  required=False)
    source = serializers.ChoiceField(choices=TicketSource.choices, required=False)
    tags = serializers.SlugRelatedField(slug_field="name", many=True, queryset=Tag.objects.all(), required=False)


FILTERS = [
    OpenApiParameter("view", str, enum=["mine", "unassigned", "breaching", "open", "all"]),
    OpenApiParameter("q", str, description="Number (T-000123), subject or customer name"),
    OpenApiParameter("status", str, enum=TicketStatus.values), OpenApiParameter("priority", str, enum=TicketPriority.values),
    OpenApiParameter("assignee", str, description="me, none or a user id"), OpenApiParameter("customer", int),
    OpenApiParameter("sla_state", str), OpenApiParameter("sort", str, enum=list(SORTS)), OpenApiParameter("page", int),
]


def _domain_errors(call):
    try:
        return call()
    except (HelpdeskError, CrmError) as error:
        raise ValidationError({"detail": str(error)}) from None


class TicketListCreate(generics.GenericAPIView):
    permission_classes = [requires(VIEW, WORK)]
    serializer_class = TicketSerializer

    @extend_schema(parameters=FILTERS, responses=TicketSerializer(many=True))
    def get(self, request):
        filters = TicketFilterForm(request.query_params or None).filters()
        page = self.paginate_queryset(selectors.ticket_list(filters=filters, user=request.user))
        return self.get_paginated_response(TicketSerializer(page, many=True).data)

    @extend_schema(request=TicketWriteSerializer, responses={201: TicketSerializer})
    def post(self, request):
        serializer = TicketWriteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        if "customer" not in data or not data.get("subject"):
            raise ValidationError({"detail": "customer and subject are required."})
        data.pop("status", None)
        customer = customer_get_for_user(user=request.user, pk=data.pop("customer").pk)
        data.setdefault("source", TicketSource.API)
        ticket = _domain_errors(lambda: services.ticket_create(customer=customer, acting_user=request.user,
                                                               tags=data.pop("tags", []), **data))
        return Response(TicketSerializer(ticket).data, status=status.HTTP_201_CREATED)


class TicketDetail(APIView):
    """PATCH edits fields; status, priority and assignee go through their own services (history, SLA, emails)."""

    permission_classes = [requires(VIEW, WORK)]

    @extend_schema(responses=TicketSerializer)
    def get(self, request, pk):
        return Response(TicketSerializer(selectors.ticket_get_for_user(user=request.user, pk=pk)).data)

    @extend_schema(request=TicketWriteSerializer, responses=TicketSerializer)
    def patch(self, request, pk):
        ticket = selectors.ticket_get_for_user(user=request.user, pk=pk)
        serializer = TicketWriteSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        data.pop("customer", None)
        data.pop("source", None)

        def apply():
            if "status" in data:
                services.ticket_status_change(ticket=ticket, status=data.pop("status"), acting_user=request.user)
            if "priority" in data:
                services.ticket_priority_change(ticket=ticket, priority=data.pop("priority"), acting_user=request.user)
            if "assignee" in data:
                services.ticket_assign(ticket=ticket, assignee=data.pop("assignee"), acting_user=request.user)
            services.ticket_update(ticket=ticket, acting_user=request.user, changes=data, tags=data.pop("tags", None))

        _domain_errors(apply)
        return Response(TicketSerializer(selectors.ticket_get_for_user(user=request.user, pk=pk)).data)


class CommentSerializer(serializers.ModelSerializer):
    author_name = serializers.CharField(source="author_label", read_only=True)

    class Meta:
        model = Comment
        fields = ["id", "parent", "author", "author_contact", "author_email", "author_name", "body", "is_internal",
                  "message_id", "created_at"]
        read_only_fields = ["author", "author_contact", "author_email", "message_id", "created_at"]


class CommentListCreate(generics.GenericAPIView):
    permission_classes = [requires(VIEW, WORK)]
    serializer_class = CommentSerializer

    @extend_schema(responses=CommentSerializer(many=True))
    def get(self, request, pk):
        ticket = selectors.ticket_get_for_user(user=request.user, pk=pk)
        page = self.paginate_queryset(ticket.comments.select_related("author", "author_contact").order_by("created_at", "id"))
        return self.get_paginated_response(CommentSerializer(page, many=True).data)

    @extend_schema(request=CommentSerializer, responses={201: CommentSerializer})
    def post(self, request, pk):
        ticket = selectors.ticket_get_for_user(user=request.user, pk=pk)
        serializer = CommentSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        parent = serializer.validated_data.get("parent")
        comment = _domain_errors(lambda: conversation.comment_add(
            ticket=ticket, acting_user=request.user, body=serializer.validated_data["body"],
            is_internal=serializer.validated_data.get("is_internal", False), parent=parent))
        return Response(CommentSerializer(comment).data, status=status.HTTP_201_CREATED)


class AttachmentSerializer(serializers.ModelSerializer):
    download_url = serializers.SerializerMethodField()
    file = serializers.FileField(write_only=True)

    class Meta:
        model = Attachment
        fields = ["id", "comment", "file", "file_name", "content_type", "size", "created_at", "download_url"]
        read_only_fields = ["comment", "file_name", "content_type", "size", "created_at"]

    def get_download_url(self, attachment) -> str:
        return reverse("helpdesk:attachment_download", args=[attachment.ticket_id, attachment.pk])


class AttachmentListCreate(generics.GenericAPIView):
    """Upload as multipart/form-data (`file`); downloads go through the page's permission-checked URL."""

    permission_classes = [requires(VIEW, WORK)]
    serializer_class = AttachmentSerializer
    parser_classes = [MultiPartParser, FormParser]

    @extend_schema(responses=AttachmentSerializer(many=True))
    def get(self, request, pk):
        ticket = selectors.ticket_get_for_user(user=request.user, pk=pk)
        page = self.paginate_queryset(ticket.attachments.order_by("created_at", "id"))
        return self.get_paginated_response(AttachmentSerializer(page, many=True).data)

    @extend_schema(request=AttachmentSerializer, responses={201: AttachmentSerializer})
    def post(self, request, pk):
        ticket = selectors.ticket_get_for_user(user=request.user, pk=pk)
        serializer = AttachmentSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        attachment = _domain_errors(lambda: conversation.attachment_add(
            ticket=ticket, acting_user=request.user, upload=serializer.validated_data["file"]))
        return Response(AttachmentSerializer(attachment).data, status=status.HTTP_201_CREATED)


class TimeEntrySerializer(serializers.ModelSerializer):
    class Meta:
        model = TimeEntry
        fields = ["id", "user", "minutes", "billable", "note", "spent_on", "created_at"]
        read_only_fields = ["user", "created_at"]


class TimeEntryListCreate(generics.GenericAPIView):
    permission_classes = [requires(VIEW, WORK)]
    serializer_class = TimeEntrySerializer

    @extend_schema(responses=TimeEntrySerializer(many=True))
    def get(self, request, pk):
        ticket = selectors.ticket_get_for_user(user=request.user, pk=pk)
        page = self.paginate_queryset(ticket.time_entries.all())
        return self.get_paginated_response(TimeEntrySerializer(page, many=True).data)

    @extend_schema(request=TimeEntrySerializer, responses={201: TimeEntrySerializer})
    def post(self, request, pk):
        ticket = selectors.ticket_get_for_user(user=request.user, pk=pk)
        serializer = TimeEntrySerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        entry = _domain_errors(lambda: conversation.time_entry_add(ticket=ticket, acting_user=request.user,
                                                                   **serializer.validated_data))
        return Response(TimeEntrySerializer(entry).data, status=status.HTTP_201_CREATED)


class SlaPolicySerializer(serializers.ModelSerializer):
    class Meta:
        model = SlaPolicy
        fields = ["id", "name", "is_default", *[field for field in POLICY_FIELDS if field != "name"]]
        read_only_fields = ["is_default"]


class SlaPolicyListCreate(generics.GenericAPIView):
    permission_classes = [requires(VIEW, MANAGE)]
    serializer_class = SlaPolicySerializer

    @extend_schema(responses=SlaPolicySerializer(many=True))
    def get(self, request):
        page = self.paginate_queryset(SlaPolicy.objects.all())
        return self.get_paginated_response(SlaPolicySerializer(page, many=True).data)

    @extend_schema(request=SlaPolicySerializer, responses={201: SlaPolicySerializer})
    def post(self, request):
        serializer = SlaPolicySerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        policy = _domain_errors(lambda: sla_policy_save(policy=None, acting_user=request.user,
                                                        fields=dict(serializer.validated_data)))
        return Response(SlaPolicySerializer(policy).data, status=status.HTTP_201_CREATED)


class SlaPolicyDetail(APIView):
    permission_classes = [requires(VIEW, MANAGE)]

    def _policy(self, pk) -> SlaPolicy:
        from django.http import Http404

        policy = SlaPolicy.objects.filter(pk=pk).first()
        if policy is None:
            raise Http404
        return policy

    @extend_schema(responses=SlaPolicySerializer)
    def get(self, request, pk):
        return Response(SlaPolicySerializer(self._policy(pk)).data)

    @extend_schema(request=SlaPolicySerializer, responses=SlaPolicySerializer)
    def patch(self, request, pk):
        policy = self._policy(pk)
        serializer = SlaPolicySerializer(policy, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        policy = _domain_errors(lambda: sla_policy_save(policy=policy, acting_user=request.user,
                                                        fields=dict(serializer.validated_data)))
        return Response(SlaPolicySerializer(policy).data)
