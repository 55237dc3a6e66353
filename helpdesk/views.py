"""Ticket pages. Thin: parse, call a service or selector, render the page or the partial htmx asked for."""

from __future__ import annotations

from functools import cache

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.access import staff_view
from accounts.models import User
from core.models import Event, OutboundEmail
from crm.errors import CrmError
from crm.selectors import customer_get_for_user, customer_pick
from helpdesk import permissions, selectors
from helpdesk.errors import HelpdeskError
from helpdesk.forms import (
    SAVED_VIEWS, BulkForm, CommentForm, TicketFilterForm, TicketForm, TimeEntryForm, agent_choices,
)
from helpdesk.models import Attachment, CannedResponse, Ticket, TicketPriority, TicketStatus
from helpdesk.services import conversation, tickets as services
from helpdesk.services.emails import ticket_topic
from helpdesk.ticket_rows_html import TicketRows

TICKETS_PER_PAGE = 25
HISTORY_LIMIT = 100
THREAD_WINDOW = 60  # a long conversation opens on its latest messages; the rest load on request


def _list_context(request):
    filter_form = TicketFilterForm(request.GET or None)
    filters = filter_form.filters()
    tickets = selectors.ticket_list(filters=filters, user=request.user).only(*TicketRows.COLUMNS)
    page = Paginator(tickets, TICKETS_PER_PAGE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return {
        "filter_form": filter_form, "filters": filters, "page": page, "query": query.urlencode(),
        "saved_views": SAVED_VIEWS.items(), "agents": filter_form.agents, "statuses": TicketStatus.choices,
        "bulk_actions": BulkForm.ACTIONS, "can_work": request.user.has_perm(permissions.WORK_TICKETS),
        "list_url": request.get_full_path(),
    }


@staff_view(permissions.VIEW_TICKETS)
def ticket_list(request):
    context = _list_context(request)
    if request.htmx and request.htmx.target == "ticket-table":
        return render(request, "helpdesk/ticket_list.html#ticket-table", context)
    return render(request, "helpdesk/ticket_list.html", context)


@require_POST
@staff_view(permissions.WORK_TICKETS)
def ticket_bulk(request):
    form = BulkForm(request.POST)
    back = reverse("helpdesk:ticket_list") + ("?" + request.POST["query"] if request.POST.get("query") else "")
    if not form.is_valid():
        messages.error(request, _("Tick at least one ticket and choose what to do."))
        return redirect(back)
    action = form.cleaned_data["action"]
    value = {"assign": form.cleaned_data["assignee"], "status": form.cleaned_data["status"]}.get(action)
    if action == "status" and not value:
        messages.error(request, _("Choose the new status."))
        return redirect(back)
    count = services.ticket_bulk(tickets=form.cleaned_data["tickets"], acting_user=request.user, action=action,
                                 value=value)
    messages.success(request, _("%(count)d tickets updated.") % {"count": count})
    return redirect(back)


@staff_view(permissions.WORK_TICKETS)
def ticket_create(request):
    """Choose the customer first (search), then the ticket form offers that customer's contacts and sites."""
    customer_id = request.GET.get("customer") or request.POST.get("customer")
    if not customer_id or not str(customer_id).isdigit():
        search = request.GET.get("q", "").strip()
        matches = customer_pick(search=search)
        if request.htmx:
            return render(request, "crm/partials/customer_picker.html#customer-matches",
                          {"matches": matches, "q": search, "pick_url": request.path})
        return render(request, "helpdesk/ticket_new.html", {"matches": matches, "q": search})
    customer = customer_get_for_user(user=request.user, pk=int(customer_id))
    form = TicketForm(request.POST or None, customer=customer,
                      initial={"contact": customer.contacts.filter(is_primary=True).first()})
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        tags = data.pop("tags", [])
        try:
            ticket = services.ticket_create(customer=customer, acting_user=request.user, tags=tags, **data)
        except (HelpdeskError, CrmError) as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("%(ref)s was opened.") % {"ref": ticket.reference})
            return redirect("helpdesk:ticket_detail", pk=ticket.pk)
    return render(request, "helpdesk/ticket_form.html", {"form": form, "customer": customer, "ticket": None},
                  status=422 if form.errors else 200)


def _detail_context(request, ticket, comment_form=None, time_form=None):
    """What the page and its fragments draw. The costly parts are callables the template calls (once) when it draws
    them, so an htmx refresh of the conversation reads nothing of the side panel and the other way round."""
    events = (Event.objects.filter(subject_type__model="ticket", subject_type__app_label="helpdesk",
                                   subject_id=str(ticket.pk)).select_related("actor").order_by("-created_at", "-id"))
    time_entries = cache(lambda: list(ticket.time_entries.select_related("user")[:50]))
    return {
        "ticket": ticket,
        "conversation": cache(lambda: selectors.ticket_conversation(
            ticket=ticket, latest=None if request.GET.get("all") else THREAD_WINDOW)),
        "comment_form": comment_form or cache(lambda: CommentForm(ticket=ticket)),
        "time_form": time_form or cache(TimeEntryForm), "time_entries": time_entries,
        "time_total": cache(lambda: sum(entry.minutes for entry in time_entries())),
        "attachments": ticket.attachments.filter(comment__isnull=True),
        "history": events[:HISTORY_LIMIT], "statuses": TicketStatus.choices, "priorities": TicketPriority.choices,
        "agents": cache(agent_choices), "canned_responses": CannedResponse.objects.all(),
        "emails": OutboundEmail.objects.filter(topic=ticket_topic(ticket)).order_by("-created_at")[:20],
        "can_work": request.user.has_perm(permissions.WORK_TICKETS),
    }


@staff_view(permissions.VIEW_TICKETS)
def ticket_detail(request, pk):
    ticket = selectors.ticket_get_for_user(user=request.user, pk=pk)
    context = _detail_context(request, ticket)
    if request.htmx and request.htmx.target in {"ticket-conversation", "ticket-side"}:
        return render(request, f"helpdesk/ticket_detail.html#{request.htmx.target}", context)
    return render(request, "helpdesk/ticket_detail.html", context)


@staff_view(permissions.WORK_TICKETS)
def ticket_edit(request, pk):
    ticket = selectors.ticket_get_for_user(user=request.user, pk=pk)
    editable = Ticket.objects.get(pk=ticket.pk)  # the form edits a copy; the service compares with the stored row
    form = TicketForm(request.POST or None, instance=editable, customer=ticket.customer)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        tags = data.pop("tags", None)
        try:
            services.ticket_update(ticket=ticket, acting_user=request.user, changes=data, tags=tags)
        except HelpdeskError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Saved."))
            return redirect("helpdesk:ticket_detail", pk=ticket.pk)
    return render(request, "helpdesk/ticket_form.html", {"form": form, "customer": ticket.customer, "ticket": ticket},
                  status=422 if form.errors else 200)


def _side(request, ticket):
    ticket = selectors.ticket_get_for_user(user=request.user, pk=ticket.pk)
    if request.htmx:
        return render(request, "helpdesk/ticket_detail.html#ticket-side", _detail_context(request, ticket))
    return redirect("helpdesk:ticket_detail", pk=ticket.pk)


@require_POST
@staff_view(permissions.WORK_TICKETS)
def ticket_status(request, pk):
    ticket = selectors.ticket_get_for_user(user=request.user, pk=pk)
    try:
        services.ticket_status_change(ticket=ticket, status=request.POST.get("status", ""), acting_user=request.user)
    except HelpdeskError as error:
        messages.error(request, str(error))
    return _side(request, ticket)


@require_POST
@staff_view(permissions.WORK_TICKETS)
def ticket_priority(request, pk):
    ticket = selectors.ticket_get_for_user(user=request.user, pk=pk)
    try:
        services.ticket_priority_change(ticket=ticket, priority=request.POST.get("priority", ""), acting_user=request.user)
    except HelpdeskError as error:
        messages.error(request, str(error))
    return _side(request, ticket)


@require_POST
@staff_view(permissions.WORK_TICKETS)
def ticket_assign(request, pk):
    ticket = selectors.ticket_get_for_user(user=request.user, pk=pk)
    value = request.POST.get("assignee", "")
    if value == "me":
        assignee = request.user
    elif value.isdigit():
        assignee = User.objects.filter(pk=int(value), is_active=True).first()
        if assignee is None:
            raise Http404
    else:
        assignee = None
    services.ticket_assign(ticket=ticket, assignee=assignee, acting_user=request.user)
    return _side(request, ticket)


@require_POST
@staff_view(permissions.WORK_TICKETS)
def comment_create(request, pk):
    ticket = selectors.ticket_get_for_user(user=request.user, pk=pk)
    form = CommentForm(request.POST, request.FILES, ticket=ticket)
    if form.is_valid():
        try:
            conversation.comment_add(ticket=ticket, acting_user=request.user, body=form.cleaned_data["body"],
                                     is_internal=form.cleaned_data["is_internal"], parent=form.cleaned_data["parent"],
                                     files=request.FILES.getlist("files"))
        except HelpdeskError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Note added.") if form.cleaned_data["is_internal"] else _("Reply sent."))
            if not request.htmx:
                return redirect("helpdesk:ticket_detail", pk=ticket.pk)
            # a fresh reply box, and the thread with the new message (out of band)
            ticket = selectors.ticket_get_for_user(user=request.user, pk=pk)
            return render(request, "helpdesk/ticket_detail.html#reply-sent", _detail_context(request, ticket))
    context = _detail_context(request, ticket, comment_form=form)
    template = "helpdesk/ticket_detail.html#reply-form" if request.htmx else "helpdesk/ticket_detail.html"
    return render(request, template, context, status=422)


@require_POST
@staff_view(permissions.WORK_TICKETS)
def time_entry_create(request, pk):
    ticket = selectors.ticket_get_for_user(user=request.user, pk=pk)
    form = TimeEntryForm(request.POST)
    if form.is_valid():
        try:
            conversation.time_entry_add(ticket=ticket, acting_user=request.user, **form.cleaned_data)
        except HelpdeskError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Time logged."))
            if not request.htmx:
                return redirect("helpdesk:ticket_detail", pk=ticket.pk)
            return render(request, "helpdesk/ticket_detail.html#time-logged", _detail_context(request, ticket))
    template = "helpdesk/ticket_detail.html#time-form" if request.htmx else "helpdesk/ticket_detail.html"
    return render(request, template, _detail_context(request, ticket, time_form=form), status=422)


@staff_view(permissions.VIEW_TICKETS)
def attachment_download(request, pk, attachment_pk):
    """Files are only ever served here: the ticket must be visible to the user, in this tenant."""
    ticket = selectors.ticket_get_for_user(user=request.user, pk=pk)
    attachment = Attachment.objects.filter(ticket=ticket, pk=attachment_pk).first()
    if attachment is None:
        raise Http404
    try:
        handle = attachment.file.open("rb")
    except FileNotFoundError as error:
        raise Http404 from error
    inline = attachment.content_type in {"image/png", "image/jpeg", "image/gif", "image/webp", "application/pdf"}
    response = FileResponse(handle, as_attachment=not inline, filename=attachment.file_name,
                            content_type=attachment.content_type if inline else "application/octet-stream")
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "sandbox"
    return response


@staff_view(permissions.WORK_TICKETS)
def canned_response_fill(request, pk):
    """The reply box's text with a canned response's placeholders filled in for this ticket."""
    ticket = selectors.ticket_get_for_user(user=request.user, pk=pk)
    response = CannedResponse.objects.filter(pk=request.GET.get("canned") or 0).first()
    form = CommentForm(ticket=ticket, initial={
        "body": conversation.canned_response_render(response=response, ticket=ticket, agent=request.user) if response else ""})
    return render(request, "helpdesk/ticket_detail.html#reply-body", {"comment_form": form, "ticket": ticket})


@staff_view(permissions.VIEW_TICKETS)
def customer_ticket_tab(request, pk):
    customer = customer_get_for_user(user=request.user, pk=pk)
    tickets = Ticket.objects.filter(customer=customer).select_related("assignee").order_by("-created_at", "-id")
    page = Paginator(tickets, 20).get_page(request.GET.get("page"))
    if not request.htmx:
        return redirect(reverse("crm:customer_detail", kwargs={"pk": customer.pk}) + "#tickets")
    return render(request, "helpdesk/customer_tickets.html", {
        "customer": customer, "page": page, "can_work": request.user.has_perm(permissions.WORK_TICKETS)})
