"""Called by CCS's `manage.py bench`: migrate, collect static, seed, sign in, count queries; print JSON.

The load itself is generated from CCS's process with the same code as CCS's pages (core/benchload.py), against
this project served by uvicorn.
"""

from __future__ import annotations

import json
import re
from importlib import import_module

from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from dhsite.seed import dh_bench_seed, dh_database_create

# What the page's DataTables script asks for on first display (helpdesk/templates/helpdesk/ticket_list.html):
# page 1 with the user's page length, the default order, no search.
DATATABLES_QUERY = "draw=1&start=0&length={length}&search%5Bvalue%5D=&search%5Bregex%5D=false"


class Command(BaseCommand):
    help = "Prepare the django-helpdesk comparison for make bench and print its pages as JSON."

    def handle(self, *args, **options):
        dh_database_create()
        call_command("migrate", verbosity=0)
        call_command("collectstatic", interactive=False, verbosity=0)
        seeded = dh_bench_seed(stdout=self.stderr)
        admin = seeded["admin"]

        store = import_module(settings.SESSION_ENGINE).SessionStore()
        store[SESSION_KEY] = str(admin.pk)
        store[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
        store[HASH_SESSION_KEY] = admin.get_session_auth_hash()
        store.create()

        client = Client()
        client.force_login(admin)
        html = client.get("/tickets/").content.decode()
        match = re.search(r'"url": "(/datatables_ticket_list/[^"]+)"', html)
        if not match:
            raise RuntimeError("django-helpdesk's ticket list no longer names its datatables URL")
        length = admin.usersettings_helpdesk.tickets_per_page
        data_path = f"{match.group(1)}?{DATATABLES_QUERY.format(length=length)}"
        pages = [
            {"label": "Ticket list (50,000 tickets)", "paths": ["/tickets/", data_path]},
            {"label": "Ticket page (200 comments)", "paths": [f"/tickets/{seeded['heavy_ticket_id']}/"]},
        ]
        for page in pages:
            page["queries"] = []
            for path in page["paths"]:
                client.get(path)  # warm per-process caches, as CCS's bench does
                with CaptureQueriesContext(connection) as context:
                    response = client.get(path)
                if response.status_code != 200:
                    raise RuntimeError(f"{path} answered {response.status_code}")
                page["queries"].append(len(context.captured_queries))
        self.stdout.write(json.dumps({"session_cookie": settings.SESSION_COOKIE_NAME, "session_key": store.session_key,
                                      "pages": pages}))
