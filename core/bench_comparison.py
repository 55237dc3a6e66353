"""`make bench`'s comparison: django-helpdesk 2.6.1 measured right after CCS, same machine, same run, same load.

The comparison project lives in bench/django_helpdesk with its own virtualenv (.venv-dh, made by
bench/django_helpdesk/setup_venv.sh) and database. Its `dh_bench_prepare` command seeds the same sizes as CCS's bench
tenant, signs a staff user in and counts queries in-process; this module then serves it with uvicorn and 2 workers
(as CCS's bench serves CCS), drives it with CCS's own load generator (core/benchload.py) and appends a side-by-side
table to .local/bench.md.

django-helpdesk's ticket list is an HTML page whose DataTables script then fetches the rows as JSON: a user's view of
the list is both requests, so both are measured, one after the other per view, and their queries added up.
"""

from __future__ import annotations

import http.client
import json
import os
import socket
import statistics
import subprocess
import time

from django.conf import settings

PROJECT_DIR = settings.BASE_DIR / "bench" / "django_helpdesk"
DH_PYTHON = settings.BASE_DIR / ".venv-dh" / "bin" / "python"
DH_HOST = "127.0.0.1"

# CCS's bench pages that the comparison pairs with django-helpdesk's, by path (helpdesk/bench.py).
CCS_LIST_PATH = "/tickets/"
CCS_TICKET_LABEL = "Ticket page (200 comments)"


def _p95(values):
    return values[max(int(len(values) * 0.95) - 1, 0)]


def _p50_p95(values) -> str:
    return f"{statistics.median(values):.0f} / {_p95(values):.0f}"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _start_dh_server(env: dict[str, str]):
    port = _free_port()
    server = subprocess.Popen(
        [str(DH_PYTHON), "-m", "uvicorn", "dhsite.asgi:application", "--host", "127.0.0.1", "--port", str(port),
         "--workers", "2", "--log-level", "warning", "--no-access-log"],
        cwd=PROJECT_DIR, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            conn.request("GET", "/healthz", headers={"Host": DH_HOST})
            if conn.getresponse().status == 200:
                return server, port
        except OSError:
            time.sleep(0.2)
    server.kill()
    raise RuntimeError("the django-helpdesk bench server did not start")


def helpdesk_comparison(*, ccs_rows, options, stdout) -> None:
    """Measure django-helpdesk's ticket list and 200-follow-up ticket page; append the side-by-side table."""
    report_path = settings.LOCAL_DIR / "bench.md"
    if not DH_PYTHON.exists():
        note = ("\n## Against django-helpdesk\n\nSkipped: .venv-dh is missing "
                "(bash bench/django_helpdesk/setup_venv.sh makes it; make bench does).\n")
        with report_path.open("a") as report:
            report.write(note)
        stdout.write(note)
        return
    env = {**os.environ, "DATABASE_URL": settings.DATABASE_URL, "PYTHONDONTWRITEBYTECODE": "1"}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    stdout.write("django-helpdesk: preparing the comparison project ...")
    # its progress and any traceback go to our stderr; only the JSON plan comes back on stdout
    prepared = subprocess.run([str(DH_PYTHON), "manage.py", "dh_bench_prepare"], cwd=PROJECT_DIR, env=env,
                              check=True, stdout=subprocess.PIPE, text=True)
    plan = json.loads(prepared.stdout.strip().splitlines()[-1])
    headers = {"Host": DH_HOST, "Cookie": f"{plan['session_cookie']}={plan['session_key']}"}

    from core.benchload import bench_load

    server, port = _start_dh_server(env)
    try:
        measured = {}
        for page in plan["pages"]:
            measured[page["label"]] = bench_load(port=port, paths=page["paths"], headers=headers,
                                                 total=options["requests"], concurrency=options["concurrency"])
    finally:
        server.terminate()
        server.wait(timeout=10)

    ccs_list = next((row for row in ccs_rows if row[1] == CCS_LIST_PATH), None)
    ccs_ticket = next((row for row in ccs_rows if row[0] == CCS_TICKET_LABEL), None)
    dh_list, dh_ticket = plan["pages"]
    lines = [
        "",
        "## Against django-helpdesk",
        "",
        f"django-helpdesk 2.6.1 (Django 5.2, bench/django_helpdesk) with the same data sizes (50,000 tickets; one "
        f"ticket with 200 follow-ups), measured right after CCS in the same run on the same machine: uvicorn with "
        f"2 workers each and the same cap on requests in flight per worker (ADR 0020), DEBUG off, "
        f"{options['requests']} views per page from {options['concurrency']} concurrent "
        f"clients (core/benchload.py). django-helpdesk's list is its HTML page plus the DataTables JSON request the "
        f"page makes: both count, one after the other per view (times and queries are their sums). Client time is "
        f"wall time on loopback, waiting for a turn included; server time is each app's own Server-Timing `app` "
        f"header (whole middleware stack).",
        "",
        "| page | CCS client p50 / p95 ms | django-helpdesk client p50 / p95 ms | CCS server p50 / p95 ms | "
        "django-helpdesk server p50 / p95 ms | CCS queries | django-helpdesk queries | errors (CCS / dh) |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for label, ccs_row, dh_page in (("Ticket list, 50,000 tickets", ccs_list, dh_list),
                                    ("Ticket page, 200 comments", ccs_ticket, dh_ticket)):
        dh_timings, dh_errors = measured[dh_page["label"]]
        dh_queries = " + ".join(str(count) for count in dh_page["queries"])
        if len(dh_page["queries"]) > 1:
            dh_queries += f" = {sum(dh_page['queries'])}"
        if ccs_row is None:
            ccs_client = ccs_server = ccs_queries = ccs_errors = "—"
        else:
            _label, _path, ccs_timings, ccs_errors, ccs_queries = ccs_row
            ccs_client, ccs_server = _p50_p95(ccs_timings["client"]), _p50_p95(ccs_timings["server"])
        lines.append(f"| {label} | {ccs_client} | {_p50_p95(dh_timings['client'])} | {ccs_server} | "
                     f"{_p50_p95(dh_timings['server'])} | {ccs_queries} | {dh_queries} | {ccs_errors} / {dh_errors} |")
    lines += ["", f"django-helpdesk paths: list `{' then '.join(dh_list['paths'])}`; ticket `{dh_ticket['paths'][0]}`."]
    section = "\n".join(lines) + "\n"
    with report_path.open("a") as report:
        report.write(section)
    stdout.write(section)
    if any(measured[page["label"]][1] for page in plan["pages"]):
        raise SystemExit(1)
