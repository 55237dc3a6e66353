"""Email in: the mailbox settings page (Managers), and the messages that need a person (unmatched, failed)."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.access import staff_view
from crm.errors import CrmError
from crm.models import Customer
from crm.selectors import customer_get_for_user
from helpdesk import permissions
from helpdesk.errors import HelpdeskError
from helpdesk.forms import MailboxForm
from helpdesk.mail.imap import MailboxError, mailbox_test_connection
from helpdesk.mail.route import customer_for_domain, inbound_message_assign
from helpdesk.models import InboundMessage, InboundOutcome, Mailbox
from helpdesk.services.mailbox import mailbox_get, mailbox_save

MESSAGES_PER_PAGE = 25
NEEDS_A_PERSON = [InboundOutcome.UNMATCHED, InboundOutcome.FAILED]


@staff_view(permissions.MANAGE_HELPDESK)
def mailbox_settings(request):
    mailbox = mailbox_get() or Mailbox()
    form = MailboxForm(request.POST or None, instance=mailbox)
    if request.method == "POST" and form.is_valid():
        mailbox_save(mailbox=form.save(commit=False), acting_user=request.user)
        messages.success(request, _("Mailbox settings saved."))
        return redirect("helpdesk:mailbox_settings")
    return render(request, "helpdesk/mailbox_settings.html", {"form": form, "mailbox": mailbox},
                  status=422 if form.errors else 200)


@require_POST
@staff_view(permissions.MANAGE_HELPDESK)
def mailbox_test(request):
    """Try the settings as typed (the stored password when the field is blank); nothing is saved."""
    form = MailboxForm(request.POST, instance=mailbox_get() or Mailbox())
    ok, text = False, ""
    if form.is_valid():
        data = form.cleaned_data
        try:
            text = mailbox_test_connection(host=data["host"], port=data["port"], security=data["security"],
                                           username=data["username"], password=data["password"],
                                           folder=data["folder"])
            ok = True
        except MailboxError as error:
            text = str(error)
    else:
        text = _("Correct the highlighted fields first: %(fields)s") % {"fields": ", ".join(form.errors)}
    context = {"ok": ok, "text": text}
    if request.htmx:
        return render(request, "helpdesk/mailbox_settings.html#test-result", context)
    (messages.success if ok else messages.error)(request, text)
    return redirect("helpdesk:mailbox_settings")


@require_POST
@staff_view(permissions.MANAGE_HELPDESK)
def mailbox_poll_now(request):
    """Read the mailbox now instead of waiting for the beat job (in the worker: the page never waits on IMAP)."""
    from core.transactions import on_commit_in_this_schema
    from helpdesk.tasks import mailboxes_poll

    mailbox = mailbox_get()
    if mailbox is None or not mailbox.is_enabled:
        messages.error(request, _("Turn polling on and save the settings first."))
    else:
        on_commit_in_this_schema(lambda: mailboxes_poll.delay())
        messages.success(request, _("Reading the mailbox now: new messages appear under Email in within a minute."))
    return redirect("helpdesk:mailbox_settings")


@staff_view(permissions.VIEW_TICKETS)
def inbound_list(request):
    show = request.GET.get("show", "waiting")
    inbound = InboundMessage.objects.select_related("ticket").defer("raw", "full_text")
    if show == "waiting":
        inbound = inbound.filter(outcome__in=NEEDS_A_PERSON)
    query = request.GET.get("q", "").strip()
    if query:
        inbound = inbound.filter(Q(sender__icontains=query) | Q(subject__icontains=query))
    page = Paginator(inbound, MESSAGES_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "helpdesk/inbound_list.html", {
        "page": page, "show": show, "q": query,
        "mailbox": Mailbox.objects.only("last_error", "last_polled_at").order_by("id").first(),
        "can_manage": request.user.has_perm(permissions.MANAGE_HELPDESK)})


def _inbound_get(pk) -> InboundMessage:
    message = InboundMessage.objects.select_related("ticket", "assigned_by").filter(pk=pk).first()
    if message is None:
        raise Http404
    return message


@staff_view(permissions.VIEW_TICKETS)
def inbound_detail(request, pk):
    message = _inbound_get(pk)
    query = request.GET.get("q", "").strip()
    matches = (Customer.objects.filter(name__icontains=query, archived_at__isnull=True).order_by("name")[:20]
               if query else [])
    context = {"message": message, "q": query, "matches": matches,
               "suggested": customer_for_domain(message.sender) if message.outcome == InboundOutcome.UNMATCHED else None,
               "can_work": request.user.has_perm(permissions.WORK_TICKETS)}
    if request.htmx and request.htmx.target == "customer-matches":
        return render(request, "helpdesk/inbound_detail.html#customer-matches", context)
    return render(request, "helpdesk/inbound_detail.html", context)


@require_POST
@staff_view(permissions.WORK_TICKETS)
def inbound_assign(request, pk):
    message = _inbound_get(pk)
    customer_id = request.POST.get("customer", "")
    if not customer_id.isdigit():
        messages.error(request, _("Choose the customer first."))
        return redirect("helpdesk:inbound_detail", pk=message.pk)
    customer = customer_get_for_user(user=request.user, pk=int(customer_id))
    try:
        ticket = inbound_message_assign(message=message, customer=customer, acting_user=request.user)
    except (HelpdeskError, CrmError) as error:
        messages.error(request, str(error))
        return redirect("helpdesk:inbound_detail", pk=message.pk)
    messages.success(request, _("%(ref)s was opened for %(customer)s.") % {"ref": ticket.reference,
                                                                           "customer": customer.name})
    return redirect("helpdesk:ticket_detail", pk=ticket.pk)
