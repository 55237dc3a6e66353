"""The conversation selector: thread order from a light query, full rows only for the visible window."""

import random
from datetime import timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from crm.models import Contact
from helpdesk.models import Comment, InboundMessage
from helpdesk.selectors import ticket_conversation, ticket_thread_order
from helpdesk.services import conversation
from helpdesk.tests.factories import make_ticket


def _thread_order_as_before(rows):
    """The recursive walk the page used before the window (an oracle for the iterative one)."""
    known = {pk for pk, _ in rows}
    children = {}
    for pk, parent_id in rows:
        children.setdefault(parent_id if parent_id in known else None, []).append(pk)
    order = []

    def walk(parent_id, depth):
        for pk in children.get(parent_id, []):
            order.append((pk, min(depth, 4)))
            walk(pk, depth + 1)

    walk(None, 0)
    return order


def test_replies_sit_under_their_parent_at_any_depth_and_orphans_start_a_thread():
    # given: 1 ← 2 ← 4 ← 6 ← 7 ← 8 ← 9 (deep), 3 top level, 5 answers 1, 10 answers a comment that is not there
    rows = [(1, None), (2, 1), (3, None), (4, 2), (5, 1), (6, 4), (7, 6), (8, 7), (9, 8), (10, 999)]
    # when
    order = ticket_thread_order(rows)
    # then
    assert order == [(1, 0), (2, 1), (4, 2), (6, 3), (7, 4), (8, 4), (9, 4), (5, 1), (3, 0), (10, 0)]


def test_the_thread_order_is_the_one_the_page_had_before_for_random_trees():
    randomizer = random.Random(7)
    for size in (0, 1, 5, 50, 300):
        # given: each comment answers an earlier one, nothing, or (rarely) a comment of another ticket
        rows = []
        for pk in range(1, size + 1):
            choice = randomizer.random()
            parent = None if choice < 0.3 or pk == 1 else (10_000 if choice > 0.95 else randomizer.randint(1, pk - 1))
            rows.append((pk, parent))
        # when / then
        assert ticket_thread_order(rows) == _thread_order_as_before(rows)


def test_a_chain_of_a_thousand_replies_needs_no_recursion():
    rows = [(1, None)] + [(pk, pk - 1) for pk in range(2, 1001)]
    order = ticket_thread_order(rows)
    assert [pk for pk, _ in order] == list(range(1, 1001)) and order[-1] == (1000, 4)


def test_the_window_is_the_latest_messages_in_thread_order_in_two_queries(admin_user, assert_queries):
    # given: 30 messages, some of them replies to earlier ones, two with files
    ticket = make_ticket(acting_user=admin_user)
    start = timezone.now() + timedelta(seconds=1)
    made = []
    for number in range(30):
        parent = made[number // 3] if number % 3 == 2 else None
        files = [SimpleUploadedFile(f"log-{number}.txt", b"x" * number, "text/plain"),
                 SimpleUploadedFile(f"more-{number}.txt", b"y", "text/plain")] if number in (20, 28) else []
        made.append(conversation.comment_add(ticket=ticket, acting_user=admin_user, body=f"Message {number}",
                                             is_internal=True, parent=parent, files=files,
                                             now=start + timedelta(minutes=number)))
    everything = ticket_conversation(ticket=ticket)
    # when
    with assert_queries(2):
        window = ticket_conversation(ticket=ticket, latest=10)
        labels = [message.author_label for message in window.thread]
    # then
    assert len(everything.thread) == 30 and everything.earlier_count == 0 and len(labels) == 10
    assert window.earlier_count == 20
    expected = [(message.pk, message.depth) for message in everything.thread][20:]
    assert [(message.pk, message.depth) for message in window.thread] == expected
    with_files = {message.body: [a["file_name"] for a in message.attachments] for message in everything.thread
                  if message.attachments}
    assert with_files == {"Message 20": ["log-20.txt", "more-20.txt"], "Message 28": ["log-28.txt", "more-28.txt"]}
    assert ticket_conversation(ticket=ticket, latest=100).earlier_count == 0


def test_messages_carry_their_authors_label_and_the_text_of_the_email_they_came_from(admin_user, make_user):
    # given: a message by each kind of author, and one that came by email with more text than it kept
    ticket = make_ticket(acting_user=admin_user)
    agent = make_user(first_name="", last_name="", email="nameless@test1.example.com")
    contact = Contact.objects.create(customer=ticket.customer, first_name="Ann", last_name="Lee")
    emailed = Comment.objects.create(ticket=ticket, author_contact=contact, body="New part")
    InboundMessage.objects.create(message_id="<one@example.com>", outcome="appended", ticket=ticket, comment=emailed,
                                  full_text="New part\n> old part", raw=b"big")
    Comment.objects.create(ticket=ticket, author_email="who@example.com", body="Typed in the portal")
    Comment.objects.create(ticket=ticket, body="Nobody known")
    Comment.objects.create(ticket=ticket, author=admin_user, body="By an agent")
    Comment.objects.create(ticket=ticket, author=agent, body="By an agent without a name")
    # when
    thread = ticket_conversation(ticket=ticket, latest=60).thread
    # then: the label is the one the model gives
    comments = {comment.pk: comment for comment in Comment.objects.filter(ticket=ticket)}
    assert [message.author_label for message in thread] == [
        "Ann Lee", "who@example.com", "Customer", "Ada Admin", "nameless@test1.example.com"]
    assert all(message.author_label == comments[message.pk].author_label for message in thread)
    assert [message.email_text for message in thread] == ["New part\n> old part", None, None, None, None]


def test_an_empty_conversation_costs_one_query(admin_user, assert_queries):
    ticket = make_ticket(acting_user=admin_user)
    with assert_queries(1):
        result = ticket_conversation(ticket=ticket, latest=60)
    assert (result.thread, result.earlier_count) == ([], 0)
