"""`make bench`: seed a large tenant, then measure the pages that matter under concurrent load.

For each page: p50/p95 latency seen by concurrent clients on loopback against a real uvicorn server (so it is the
server time plus a negligible local hop), throughput, the CPU the server's processes spent per request (from /proc:
unlike latencies it does not grow when other work shares the machine), and the SQL statements the page runs
(measured in-process, not counting django-tenants' `SET search_path`). Later features add their pages to PAGES.
The load generator costs about 0.7 ms of CPU per request (measured), so sharing the cores with it is fair.
"""

from __future__ import annotations

import http.client
import os
import socket
import statistics
import subprocess
import sys
import time
from importlib import import_module

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django_tenants.utils import schema_context, tenant_context

from ccs.asgi_handler import max_in_flight_from_environment
from tenants.models import Plan, Tenant

BENCH_SLUG = "bench"
BENCH_HOST = f"{BENCH_SLUG}.{settings.BASE_DOMAIN}"
ADMIN_EMAIL = "admin@bench.example.com"



def bench_pages(tenant) -> list[tuple]:
    """(label, path) — pages seen by a signed-in admin of the large tenant — or (label, path, form) for an htmx
    POST. Later features add theirs."""
    from crm.bench import crm_bench_pages
    from helpdesk.bench import helpdesk_bench_pages
    from quotes.bench import quotes_bench_pages
    from quotes.bench_documents import quotes_bench_document_pages

    with tenant_context(tenant):
        document_pages = quotes_bench_document_pages()

    return [
        ("Dashboard", "/"),
        ("Users, page 1", "/users/"),
        ("Users, search", "/users/?q=user-12"),
        ("Users, page 100", "/users/?page=100"),
        ("Notifications", "/notifications/"),
        *crm_bench_pages(tenant),
        *quotes_bench_pages(tenant),
        *document_pages,
        *helpdesk_bench_pages(tenant),
        ("API: me", "/api/v1/me/"),
        ("Health check", "/healthz"),
    ]


def _tree_cpu_seconds(pid: int) -> float:
    """CPU time (user + system) of a process and its descendants, from /proc (Linux; 0 elsewhere).

    The server's own CPU per request does not depend on what else the machine runs, unlike latencies: these
    machines are shared, and a busy neighbour can double every p50 while the work per request stays the same."""
    tick = os.sysconf("SC_CLK_TCK")
    parents, cpu = {}, {}
    try:
        entries = [entry for entry in os.listdir("/proc") if entry.isdigit()]
    except OSError:
        return 0.0
    for entry in entries:
        try:
            with open(f"/proc/{entry}/stat") as stat:
                fields = stat.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        parents[int(entry)] = int(fields[1])
        cpu[int(entry)] = (int(fields[11]) + int(fields[12])) / tick
    tree, grew = {pid}, True
    while grew:
        children = {child for child, parent in parents.items() if parent in tree} - tree
        tree |= children
        grew = bool(children)
    return sum(cpu.get(member, 0.0) for member in tree)


class Command(BaseCommand):
    help = "Seed a large tenant and measure page latency (p50/p95) under concurrent load and queries per page."

    def add_arguments(self, parser):
        parser.add_argument("--users", type=int, default=5000)
        parser.add_argument("--events", type=int, default=20000)
        parser.add_argument("--requests", type=int, default=200, help="requests per page")
        parser.add_argument("--concurrency", type=int, default=8)
        parser.add_argument("--customers", type=int, default=10000)
        parser.add_argument("--port", type=int, default=0)
        parser.add_argument("--workers", type=int, default=2, help="uvicorn worker processes")
        parser.add_argument("--products", type=int, default=100_000)
        parser.add_argument("--quotes", type=int, default=20_000)
        parser.add_argument("--import-rows", type=int, default=100_000, help="rows of the price-list import timed")
        parser.add_argument("--only", default="",
                            help="measure only the pages whose label contains one of these comma-separated texts "
                                 "(case-insensitive), and "
                                 "skip the import and provisioning timings: for checking one change quickly")
        parser.add_argument("--no-comparison", action="store_true",
                            help="skip measuring django-helpdesk side by side (core/bench_comparison.py)")

    def handle(self, *args, **options):
        self._load_at_start = ", ".join(f"{value:.2f}" for value in os.getloadavg())
        tenant = self._seed(options["users"], options["events"])
        from crm.bench import crm_bench_contacts, crm_bench_opportunities, crm_bench_seed

        with tenant_context(tenant):
            crm_bench_seed(stdout=self.stdout, customers=options["customers"])
            crm_bench_contacts(stdout=self.stdout)
            crm_bench_opportunities(stdout=self.stdout)
            from quotes.bench import quotes_bench_seed

            quotes_bench_seed(stdout=self.stdout, products=options["products"])
            from quotes.bench_documents import quotes_bench_documents_seed

            quotes_bench_documents_seed(stdout=self.stdout, quotes=options["quotes"])
            from helpdesk.bench import helpdesk_bench_seed

            helpdesk_bench_seed(stdout=self.stdout)
        self._analyze(tenant)
        pages = bench_pages(tenant)
        only = options["only"].lower()
        if only:
            wanted = [part.strip() for part in only.split(",") if part.strip()]
            pages = [page for page in pages if any(part in page[0].lower() for part in wanted)]
            search_timing, import_timing, provision_seconds = None, None, None
            options["no_comparison"] = True
        else:
            from quotes.bench import quotes_search_timing

            search_timing = quotes_search_timing(tenant)
            import_timing = self._import_timing(tenant, options["import_rows"])
            provision_seconds = self._provision_timing()
        queries = self._queries_per_page(tenant, pages)
        session_key = self._session(tenant)
        server, port = self._start_server(options["port"], options["workers"])
        try:
            rows = []
            for label, path, *form in pages:
                cpu_before = _tree_cpu_seconds(server.pid)
                latencies, errors = self._load(port, path, session_key, options["requests"], options["concurrency"],
                                               form[0] if form else None)
                latencies["cpu_ms"] = (_tree_cpu_seconds(server.pid) - cpu_before) * 1000 / (options["requests"]
                                                                                         + options["concurrency"])
                rows.append((label, path, latencies, errors, queries[path]))
            # An estimator at work on their quotes: the quote pages also measured with one client, no other load
            solo = [(label, path, self._load(port, path, session_key, options["requests"], 1,
                                             form[0] if form else None)[0])
                    for label, path, *form in pages if label.startswith(("Quotes,", "Quote builder"))]
        finally:
            server.terminate()
            server.wait(timeout=10)
        self._report(rows, options, provision_seconds, search_timing, import_timing, solo)
        if not options["no_comparison"]:
            from core.bench_comparison import helpdesk_comparison

            helpdesk_comparison(ccs_rows=rows, options=options, stdout=self.stdout)

    # Seeding ------------------------------------------------------------------------------------------------
    def _seed(self, users: int, events: int) -> Tenant:
        from accounts.models import User
        from accounts.roles import Role
        from core.models import Event, Notification

        with schema_context("public"):
            tenant = Tenant.objects.filter(schema_name=BENCH_SLUG).first()
            if tenant is None:
                from tenants.services import tenant_provision

                tenant = tenant_provision(slug=BENCH_SLUG, name="Bench Networks Ltd", plan=Plan.ENTERPRISE,
                                          admin_email=ADMIN_EMAIL, admin_password="bench-" + os.urandom(6).hex()).tenant
        with tenant_context(tenant):
            existing = User.objects.count()
            if existing < users:
                self.stdout.write(f"seeding {users - existing} users ...")
                from django.contrib.auth.hashers import make_password
                from django.contrib.auth.models import Group

                password = make_password(None)
                batch = [User(email=f"user-{index}@bench.example.com", first_name=f"User{index}", last_name="Bench",
                              password=password) for index in range(existing, users)]
                with transaction.atomic():
                    created = User.objects.bulk_create(batch, batch_size=1000)
                    group = Group.objects.get(name=Role.READ_ONLY)  # a big team, mostly people who look things up
                    through = User.groups.through
                    through.objects.bulk_create([through(user_id=u.pk, group_id=group.pk) for u in created], batch_size=2000)
            admin = User.objects.get(email=ADMIN_EMAIL)
            if Event.objects.count() < events:
                self.stdout.write(f"seeding {events} events and notifications ...")
                with transaction.atomic():
                    Event.objects.bulk_create([Event(kind="user.profile_changed", actor=admin, data={"fields": ["phone"]})
                                               for _ in range(events)], batch_size=2000)
                    Notification.objects.bulk_create([Notification(recipient=admin, message=f"Bench notification {i}")
                                                      for i in range(2000)], batch_size=2000)
        return tenant

    def _analyze(self, tenant) -> None:
        """VACUUM ANALYZE the seeded tables, as autovacuum does in production (bulk inserts leave no statistics, and
        a machine with autovacuum off never gathers them). ANALYZE alone is not enough: rows bulk-inserted into a
        GIN index wait in its pending list, which every trigram search then reads from end to end (a customer
        search measured 40 ms instead of 2.6 ms), and without statistics the planner guesses 5 rows for a
        10,000-row table and picks sorts and scans that no real deployment would run."""
        with connection.cursor() as cursor:
            cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = %s", [tenant.schema_name])
            for (table,) in cursor.fetchall():
                cursor.execute(f'VACUUM (ANALYZE) "{tenant.schema_name}"."{table}"')

    def _import_timing(self, tenant, rows: int) -> dict[str, dict[str, float]]:
        from accounts.models import User
        from quotes.bench import quotes_import_timing

        with tenant_context(tenant):
            admin = User.objects.get(email=ADMIN_EMAIL)
        timings = {}
        for file_format in ("csv", "xlsx"):
            self.stdout.write(f"timing a {rows:,}-row price-list import ({file_format}) ...")
            timings[file_format] = quotes_import_timing(tenant, acting_user=admin, rows=rows, file_format=file_format)
        return timings

    def _provision_timing(self) -> float:
        from tenants.services import tenant_provision

        slug = "bench-provision"
        with schema_context("public"):
            leftover = Tenant.objects.filter(schema_name=slug).first()
            if leftover:
                leftover.delete(force_drop=True)
            result = tenant_provision(slug=slug, name="Provisioning timing", admin_email="p@bench.example.com",
                                      admin_password="bench-" + os.urandom(6).hex())
            result.tenant.delete(force_drop=True)
        return result.seconds

    # Measuring ----------------------------------------------------------------------------------------------
    def _queries_per_page(self, tenant, pages) -> dict[str, int]:
        from accounts.models import User

        client = Client(HTTP_HOST=BENCH_HOST)
        with tenant_context(tenant):  # the session row must live in the tenant's schema
            client.force_login(User.objects.get(email=ADMIN_EMAIL))
        counts = {}
        for _label, path, *form in pages:
            if form:
                from core.benchload import form_body

                def fetch(path=path, body=form_body(form[0], 0)):
                    return client.post(path, body, content_type="application/x-www-form-urlencoded",
                                       HTTP_HX_REQUEST="true")
            else:
                def fetch(path=path):
                    return client.get(path)
            fetch()  # warm caches that are per process
            with CaptureQueriesContext(connection) as context:
                response = fetch()
            assert response.status_code == 200, (path, response.status_code)
            counts[path] = sum(1 for q in context.captured_queries if not q["sql"].startswith("SET search_path"))
        connection.set_schema_to_public()
        return counts

    def _session(self, tenant) -> str:
        from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY

        from accounts.models import User

        with tenant_context(tenant):
            admin = User.objects.get(email=ADMIN_EMAIL)
            store = import_module(settings.SESSION_ENGINE).SessionStore()
            store[SESSION_KEY] = str(admin.pk)
            store[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
            store[HASH_SESSION_KEY] = admin.get_session_auth_hash()
            store.create()
            return store.session_key

    def _start_server(self, port: int, workers: int):
        if not port:
            with socket.socket() as probe:
                probe.bind(("127.0.0.1", 0))
                port = probe.getsockname()[1]
        # Measure what production runs: DEBUG off, hashed static files served by whitenoise.
        env = {**os.environ, "LOG_LEVEL": "WARNING", "DJANGO_DEBUG": "0", "DATABASE_URL": settings.DATABASE_URL,
               "REDIS_URL": settings.REDIS_URL, "BASE_DOMAIN": settings.BASE_DOMAIN}
        env["SECRET_KEY"] = settings.SECRET_KEY  # the session we made is signed with it
        env["CCS_SKIP_SETTINGS_CHECK"] = "1"  # a bench is not a deployment: no SMTP or encryption key needed
        env["SECURE_SSL_REDIRECT"] = "0"  # plain http on loopback
        subprocess.run([sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"], env=env, check=True,
                       cwd=settings.BASE_DIR)
        server = subprocess.Popen(
            [sys.executable, "-m", "uvicorn", "ccs.asgi:application", "--host", "127.0.0.1", "--port", str(port),
             "--workers", str(workers), "--log-level", "warning", "--no-access-log"],
            env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
                conn.request("GET", "/healthz")
                if conn.getresponse().status == 200:
                    return server, port
            except OSError:
                time.sleep(0.2)
        server.kill()
        raise RuntimeError("the bench server did not start")

    def _load(self, port, path, session_key, total, concurrency, form=None):
        from core.benchload import bench_load

        headers = {"Host": BENCH_HOST, "Cookie": f"{settings.SESSION_COOKIE_NAME}={session_key}"}
        return bench_load(port=port, paths=[path], headers=headers, total=total, concurrency=concurrency, form=form)

    def _report(self, rows, options, provision_seconds, search_timing=None, import_timing=None, solo=()):
        lines = [
            f"CCS {settings.VERSION} bench: tenant `{BENCH_SLUG}` with {options['users']} users, {options['customers']} customers "
            f"(30,000 contacts, 2,000 opportunities), {options['products']:,} products "
            f"{options['quotes']:,} quotes, and {options['events']} events plus 200,000 customer events (2,000 on one customer); "
            f"{options['requests']} requests per page, {options['concurrency']} concurrent clients, uvicorn with "
            f"{options['workers']} workers, each running at most {max_in_flight_from_environment()} requests at once "
            f"(WEB_MAX_IN_FLIGHT, ADR 0020).",
            "",
            "| page | server p50 ms | server p95 ms | client p50 ms | client p95 ms | req/s | server CPU ms/req | queries | errors |",
            "|---|---:|---:|---:|---:|---:|---:|---:|---:|",
        ]

        def p95(values):
            return values[max(int(len(values) * 0.95) - 1, 0)]

        for label, path, timings, errors, queries in rows:
            server, client = timings["server"], timings["client"]
            lines.append(
                f"| {label} (`{path}`) | {statistics.median(server):.1f} | {p95(server):.1f} | "
                f"{statistics.median(client):.1f} | {p95(client):.1f} | {timings['throughput']:.0f} | "
                f"{timings['cpu_ms']:.1f} | {queries} | {errors} |"
            )
        if provision_seconds is not None:
            lines += ["", f"Tenant provisioning (schema, migrations, roles, first admin): {provision_seconds:.2f} s"]
        lines += ["", f"Load average (1, 5, 15 min) at the start: {self._load_at_start}; at the end: "
                  f"{', '.join(f'{value:.2f}' for value in os.getloadavg())} (other work on the machine inflates "
                  "latencies, not the server CPU per request)."]
        if solo:
            lines += ["", "The quote pages with one client (an estimator at work, nothing else running; goals: a field "
                          "save of a 200-line quote < 50 ms p95 server time, the list of 20,000 quotes < 150 ms p95):",
                      "", "| page | server p50 ms | server p95 ms | client p95 ms |", "|---|---:|---:|---:|"]
            lines += [f"| {label} | {statistics.median(t['server']):.1f} | {p95(t['server']):.1f} | "
                      f"{p95(t['client']):.1f} |" for label, _path, t in solo]
        if search_timing:
            lines += ["", f"Product search on {options['products']:,} products (the builder's first 20 results, "
                          "in-process, no load; goal < 50 ms):", "",
                      "| query | p50 ms | p95 ms | matching products |", "|---|---:|---:|---:|"]
            lines += [f"| `{query}` | {p50:.1f} | {p95:.1f} | {matches:,} |"
                      for query, (p50, p95, matches, _shown) in search_timing.items()]
        if import_timing:
            lines += ["", f"Price-list import of {options['import_rows']:,} rows (half updates of existing products "
                          "with new prices, half new products of a new supplier; upload, dry run and apply as the "
                          "worker runs them, in-process; goal < 60 s):", "",
                      "| file | total s | upload s | dry run s | apply s |", "|---|---:|---:|---:|---:|"]
            lines += [f"| {file_format.upper()} | {t['total']:.1f} | {t['upload']:.1f} | {t['check']:.1f} | "
                      f"{t['apply']:.1f} |" for file_format, t in import_timing.items()]
        report = "\n".join(lines)
        settings.LOCAL_DIR.mkdir(exist_ok=True)
        (settings.LOCAL_DIR / ("bench-only.md" if options["only"] else "bench.md")).write_text(report + "\n")
        self.stdout.write(report)
        if any(errors for *_rest, errors, _queries in rows):
            raise SystemExit(1)
