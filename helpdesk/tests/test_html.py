"""The helpdesk markup drawn in Python: the same words, dates, URLs and escaping the templates wrote."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.template import Context, Template
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.functional import Promise

from crm.models import Contact
from helpdesk.conversation_html import ConversationCards
from core.rows_html import Dates
from helpdesk.html_common import SlaBadges
from helpdesk.models import Comment, InboundMessage, Ticket
from helpdesk.selectors import ticket_conversation
from helpdesk.services import conversation
from helpdesk.tests.factories import make_ticket
from helpdesk.ticket_rows_html import TicketRows
from tests.html_validity import assert_valid_html

MOMENTS = [datetime(2026, 1, 5, 9, 7, tzinfo=ZoneInfo("UTC")), datetime(2026, 7, 31, 23, 59, 30, 123, tzinfo=ZoneInfo("UTC")),
           datetime(2027, 12, 1, 0, 0, tzinfo=ZoneInfo("UTC"))]


@pytest.mark.parametrize("language,zone", [("en-gb", "UTC"), ("de", "Europe/Berlin"), ("fr", "America/New_York")])
def test_dates_read_as_the_date_filter_writes_them(language, zone):
    template = Template('{{ d|date:"c" }}|{{ d|date:"j M Y H:i" }}|{{ d|date:"j M H:i" }}|{{ d|date:"D j M H:i" }}')
    with translation.override(language), timezone.override(zone):
        dates = Dates()
        for moment in MOMENTS:
            expected = template.render(Context({"d": moment}))
            written = "|".join([dates.iso(moment), dates.day_month_year_time(moment), dates.day_month_time(moment),
                                dates.weekday_day_month_time(moment)])
            assert written == expected


@pytest.mark.parametrize("state,css,word", [("breached", "text-bg-danger", "Breached"), ("at_risk", "text-bg-warning", "At risk"),
                                             ("paused", "text-bg-secondary", "Paused"), ("met", "text-bg-success", "Met"),
                                             ("on_track", "text-bg-light border", "On track")])
def test_the_sla_badge_shows_the_state_and_the_deadline_while_the_clock_runs(state, css, word):
    due = MOMENTS[0]
    ticket = Ticket(sla_state=state, sla_due_at=due, status="open")
    badge = SlaBadges().badge(ticket)
    assert badge.startswith(f'<span class="badge {css}" data-testid="sla-state">{word}</span>')
    assert (' <time datetime="2026-01-05T09:07:00+00:00">Mon 5 Jan 09:07</time>' in badge) is (state != "paused")
    assert SlaBadges().badge(Ticket(sla_state="", sla_due_at=due, status="closed")) == ""


@pytest.fixture
def thread(admin_user, settings, tmp_path):
    """A reply with two files, an internal note under it, a contact's message and an emailed one with more text."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.MEDIA_ROOT = tmp_path
    admin_user.first_name = "Ada <b>"
    admin_user.save()
    ticket = make_ticket(acting_user=admin_user)
    start = timezone.now() + timedelta(seconds=1)
    reply = conversation.comment_add(ticket=ticket, acting_user=admin_user, body='Try <script>alert("x")</script> & go',
                                     now=start, files=[SimpleUploadedFile("a<b>.txt", b"x" * 2048, "text/plain"),
                                                       SimpleUploadedFile("c&d.pdf", b"%PDF", "application/pdf")])
    conversation.comment_add(ticket=ticket, acting_user=admin_user, body="Checked", is_internal=True, parent=reply,
                             now=start + timedelta(minutes=1))
    contact = Contact.objects.create(customer=ticket.customer, first_name="Zoë", last_name="O'Neil")
    conversation.comment_add_from_contact(ticket=ticket, contact=contact, body="Thanks",
                                          now=start + timedelta(minutes=2))
    emailed = Comment.objects.create(ticket=ticket, author_email="x@example.com", body="Short",
                                     created_at=start + timedelta(minutes=3))
    InboundMessage.objects.create(message_id="<m@example.com>", outcome="appended", ticket=ticket, comment=emailed,
                                  full_text="Short\n> <quoted> & more")
    return ticket, ticket_conversation(ticket=ticket, latest=60).thread


def test_the_cards_escape_what_people_typed(thread):
    ticket, items = thread
    html = ConversationCards(ticket_pk=ticket.pk, can_work=True).all(items)
    assert "<script>" not in html and "Try &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; go" in html
    assert "<strong>Ada &lt;b&gt; Admin</strong>" in html and 'data-reply-label="Ada &lt;b&gt; Admin"' in html
    assert "<strong>Zoë O&#x27;Neil</strong>" in html and "a&lt;b&gt;.txt" in html and "c&amp;d.pdf" in html
    assert ('<div class="text-body-secondary" style="white-space: pre-line">Short\n&gt; &lt;quoted&gt; &amp; more</div>'
            in html)
    assert_valid_html(html, fragment=True)


def test_the_cards_keep_the_thread_order_depth_styling_badges_and_files(thread):
    ticket, items = thread
    html = ConversationCards(ticket_pk=ticket.pk, can_work=True).all(items)
    reply, note, contact_message, emailed = items
    positions = [html.index(f'id="comment-{comment.pk}"') for comment in (reply, note, contact_message, emailed)]
    assert positions == sorted(positions)
    assert (f'<article class="card mb-2 border-warning bg-warning-subtle" style="margin-left: calc(1 * 1.5rem)" '
            f'data-testid="comment" id="comment-{note.pk}">') in html
    assert f'<article class="card mb-2 " style="margin-left: calc(0 * 1.5rem)" data-testid="comment" id="comment-{reply.pk}">' in html
    assert html.count('<span class="badge text-bg-warning ms-1">Internal note</span>') == 1
    assert html.count('<span class="badge text-bg-info ms-1">Customer</span>') == 2  # the contact and the email
    assert html.count("</i> in reply</span>") == 1
    attachment = Comment.objects.get(pk=reply.pk).attachments.order_by("id").first()
    url = reverse("helpdesk:attachment_download", args=[ticket.pk, attachment.pk])
    assert (f'<li class="list-inline-item"><a href="{url}"><i class="bi bi-paperclip" aria-hidden="true"></i> a&lt;b&gt;.txt'
            f'</a> <span class="text-body-secondary">(2.0\xa0KB)</span></li>') in html
    assert html.count('data-testid="comment-full-email"') == 1
    moment = Template('{{ d|date:"c" }}">{{ d|date:"j M Y H:i" }}').render(Context({"d": reply.created_at}))
    assert f'<time class="text-body-secondary" datetime="{moment}</time>' in html
    assert html.count("data-reply-to=") == 4


def test_people_who_cannot_work_tickets_get_no_reply_buttons(thread):
    ticket, items = thread
    html = ConversationCards(ticket_pk=ticket.pk, can_work=False).all(items)
    assert html.count('data-testid="comment"') == 4 and "data-reply-to" not in html and "Reply to this" not in html


def test_ticket_rows_escape_translate_and_link(admin_user):
    # given
    assigned = make_ticket(acting_user=admin_user, subject="Printer <offline> & stuck", assignee=admin_user,
                           priority="urgent")
    assigned.customer.name = "Smith & <Sons>"
    assigned.customer.save()
    alone = make_ticket(acting_user=admin_user, subject="Nobody's")
    tickets = list(Ticket.objects.select_related("customer", "assignee", "contact").order_by("id"))
    # when
    html = TicketRows(can_work=True).all(tickets)
    # then
    link = reverse("helpdesk:ticket_detail", args=[assigned.pk])
    assert (f'<td><a href="{link}" class="fw-semibold">T-000001</a> Printer &lt;offline&gt; &amp; stuck</td>' in html)
    assert '<td class="small">Smith &amp; &lt;Sons&gt;</td>' in html
    assert '<td><span class="badge priority-urgent">Urgent</span></td>' in html
    assert f'<td class="small">{admin_user}</td>' in html and '<td class="small">Unassigned</td>' in html
    assert (f'<input class="form-check-input" type="checkbox" name="tickets" value="{alone.pk}" '
            f'aria-label="Select T-000002">') in html
    assert html.count('data-testid="ticket-row"') == 2 and "Nobody&#x27;s" in html
    opened = Template('{{ d|date:"c" }}">{{ d|date:"j M H:i" }}').render(Context({"d": alone.created_at}))
    assert f'<time datetime="{opened}</time>' in html
    assert "checkbox" not in TicketRows(can_work=False).all(tickets)
    rows = TicketRows(can_work=True)  # labels translated once per page, not lazy strings translated at every row
    assert not any(isinstance(label, Promise) for label in [*rows.priorities.values(), *rows.statuses.values()])
