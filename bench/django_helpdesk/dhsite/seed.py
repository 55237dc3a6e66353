"""The same data sizes as CCS's bench tenant (helpdesk/bench.py), in django-helpdesk's models: bulk inserts, idempotent.

50,000 tickets over 10 queues, half of them open as in CCS (CCS: new, open, in progress, waiting / resolved, closed x3;
django-helpdesk: open x3, reopened / resolved, closed x3), 40 staff agents plus unassigned, and one ticket with 200
follow-ups, every third one private (CCS: an internal note).
"""

from __future__ import annotations

import random
import secrets
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.db import connection, transaction
from django.utils import timezone

from helpdesk.models import FollowUp, Queue, Ticket

BENCH_TICKETS = 50_000
HEAVY_FOLLOWUPS = 200
HEAVY_TITLE = "Bench heavy conversation"
QUEUES = 10
AGENTS = 40
ADMIN_USERNAME = "bench-admin"


def dh_database_create() -> None:
    """Create this project's database on CCS's PostgreSQL server when it is missing."""
    import psycopg
    from django.conf import settings
    from psycopg import sql

    db = settings.DATABASES["default"]
    params = {"host": db["HOST"], "port": db["PORT"], "user": db["USER"], "password": db["PASSWORD"] or None}
    with psycopg.connect(dbname="postgres", autocommit=True, **params) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [db["NAME"]]).fetchone():
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(db["NAME"])))


def dh_bench_seed(*, stdout=None, tickets: int = BENCH_TICKETS, followups: int = HEAVY_FOLLOWUPS) -> dict:
    """Create what is missing (smaller sizes for the tests); return the staff user and the heavy ticket's id."""
    say = stdout.write if stdout else (lambda _text: None)
    User = get_user_model()
    admin = User.objects.filter(username=ADMIN_USERNAME).first()
    if admin is None:
        # create_user (not bulk): django-helpdesk makes the user's settings row in a post_save signal
        admin = User.objects.create_user(ADMIN_USERNAME, "admin@bench.example.com", None, is_staff=True)
    for index in range(User.objects.filter(username__startswith="bench-agent-").count(), AGENTS):
        User.objects.create_user(f"bench-agent-{index}", f"agent-{index}@bench.example.com", None, is_staff=True)
    for index in range(Queue.objects.count(), QUEUES):
        Queue.objects.create(title=f"Bench queue {index}", slug=f"bench-{index}")

    existing = Ticket.objects.count()
    if existing < tickets:
        say(f"django-helpdesk: seeding {tickets - existing} tickets ...")
        rng = random.Random(5)
        queues = list(Queue.objects.values_list("pk", flat=True))
        agents = list(User.objects.filter(username__startswith="bench-agent-").values_list("pk", flat=True))
        statuses = [Ticket.OPEN_STATUS] * 3 + [Ticket.REOPENED_STATUS, Ticket.RESOLVED_STATUS] + [Ticket.CLOSED_STATUS] * 3
        now = timezone.now()
        rows = []
        for number in range(existing + 1, tickets + 1):
            created = now - timedelta(minutes=rng.randint(0, 400_000))
            rows.append(Ticket(
                title=HEAVY_TITLE if number == 1 else f"Bench ticket {number}: printer offline",
                queue_id=rng.choice(queues), created=created, modified=created,
                submitter_email=f"customer-{rng.randint(1, 5000)}@bench.example.com",
                assigned_to_id=rng.choice(agents + [None]), status=rng.choice(statuses),
                description="The printer on the second floor is offline again.", priority=rng.randint(1, 5),
                due_date=created + timedelta(hours=rng.randint(2, 90)), secret_key=secrets.token_hex(8)))
        with transaction.atomic():
            Ticket.objects.bulk_create(rows, batch_size=5000)
    heavy = Ticket.objects.get(title=HEAVY_TITLE)
    if heavy.followup_set.count() < followups:
        say(f"django-helpdesk: seeding {followups} follow-ups on one ticket ...")
        agent = User.objects.filter(username__startswith="bench-agent-").order_by("pk").first()
        with transaction.atomic():
            heavy.followup_set.all().delete()
            FollowUp.objects.bulk_create([
                FollowUp(ticket=heavy, user=agent, title="Comment", public=index % 3 != 0,
                         comment=f"Update {index}: checked the spooler and the driver.\nStill investigating.",
                         date=heavy.created + timedelta(minutes=index))
                for index in range(followups)])
    with connection.cursor() as cursor:
        cursor.execute("VACUUM (ANALYZE)")  # as autovacuum keeps a production database, and as CCS's bench does
    return {"admin": admin, "heavy_ticket_id": heavy.pk}
