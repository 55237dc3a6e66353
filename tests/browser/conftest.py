"""End-to-end browser tests: the real app (uvicorn + a real Celery worker) on a fresh database, driven by Chromium.

Run them in their own pytest invocation (STACK_NOTES, "Browser tests": pytest-playwright's event loop breaks
pytest-asyncio tests that run after it in the same process), as scripts/test.sh does:

    .venv/bin/pytest -q tests/browser -p no:cacheprovider

Needs PostgreSQL and Redis (DATABASE_URL / REDIS_URL from the environment or .env: their host, port and credentials
are kept, the database becomes `ccs_e2e` and the Redis db 5; override with CCS_E2E_DATABASE / CCS_E2E_REDIS_DB) and
Debian's Chromium at /usr/bin/chromium (or CCS_CHROMIUM). The `ccs_e2e` database is left in place after the run for
post-mortems; the next run drops it. Runs against the same database and Redis db take turns (a file lock in the
temp directory): a second `make test` started meanwhile waits instead of dropping the first one's database and
stealing its Celery tasks.

What the fixtures here give a test:

- `ccs_server` (session): a fresh database `ccs_e2e` (dropped and re-created), `manage.py bootstrap`, then
  `uvicorn ccs.asgi:application` and `celery -A ccs worker --pool solo` as subprocesses with their own Redis db,
  cache/channels prefixes and an email directory. `ccs_server.public_url` is `http://localhost:<port>`,
  `ccs_server.tenant_url("acme")` is `http://acme.localhost:<port>` (Chromium resolves *.localhost; Python does not:
  use `ccs_server.http_get(path, host=...)` from Python). When a test fails, the tail of both processes' logs
  written during that test is added to its report.
- `mailbox`: the emails the worker delivered (Django's file backend): `mailbox.wait_for("jane@example.com")` returns
  the newest message to that address; `message.url(contains="/invitation/")` picks a link out of its text.
- Every Playwright page of a test (from `page`, `context` or `new_context()`) is watched by `browser_guard`: a
  console error, an uncaught page error, a failed request or a response with status >= 400 fails the test, unless
  the test allows it first: `browser_guard.allow(r"//nope\\.localhost:\\d+/", status=404)` or the marker
  `@pytest.mark.allow_http_errors((r"regex", 404), ...)`.
- On failure, a screenshot and the HTML of every open page are saved under `test-artifacts/<test>/`.
- `wait_for_live(page)` (fixture): waits until the page's live websocket (htmx ws extension) is open.
"""

from __future__ import annotations

import email
import email.policy
import fcntl
import hashlib
import http.client
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlparse, urlunparse

import pytest
from playwright.sync_api import expect

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS_DIR = ROOT / "test-artifacts"
E2E_DATABASE = os.environ.get("CCS_E2E_DATABASE", "ccs_e2e")
E2E_REDIS_DB = os.environ.get("CCS_E2E_REDIS_DB", "5")
CHROMIUM = os.environ.get("CCS_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage",
]
STARTUP_TIMEOUT_S = 45
LOCK_TIMEOUT_S = 600
LOG_EXCERPT_CHARS = 12_000
# Set by htmx's ws extension (the event bubbles to document); see wait_for_live().
LIVE_INIT_SCRIPT = (
    "document.addEventListener('htmx:wsOpen', function () { window.__ccsLiveOpen = true; });"
    "document.addEventListener('htmx:wsClose', function () { window.__ccsLiveOpen = false; });"
)

SERVER_KEY = pytest.StashKey["CcsServer"]()
GUARD_KEY = pytest.StashKey["BrowserGuard"]()
LOG_MARKS_KEY = pytest.StashKey[dict]()


def pytest_configure(config):
    config.addinivalue_line(
        "markers",
        "allow_http_errors(*rules): (url_regex, status) pairs a browser test expects, e.g. (r'/missing/', 404)",
    )
    # pytest-playwright 0.10's own `base_url` fixture trips this pytest 9 deprecation: not ours to fix.
    config.addinivalue_line(
        "filterwarnings", "ignore:Session-scoped fixtures defined as instance methods:pytest.PytestRemovedIn10Warning"
    )


# Environment ----------------------------------------------------------------------------------------------------

def _configured(name: str, default: str) -> str:
    """A variable from the real environment, else from the git-ignored .env, else `default` (as settings do)."""
    if os.environ.get(name):
        return os.environ[name]
    env_file = ROOT / ".env"
    if env_file.exists():
        from dotenv import dotenv_values

        value = dotenv_values(env_file).get(name)
        if value:
            return value
    return default


def _with_path(url: str, path: str) -> str:
    parsed = urlparse(url)
    return urlunparse(parsed._replace(path=path))


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _db_params(database_url: str) -> dict:
    from urllib.parse import unquote

    parsed = urlparse(database_url)
    params = {
        "host": parsed.hostname or "127.0.0.1",
        "port": parsed.port or 5432,
        "user": unquote(parsed.username or "postgres"),
    }
    if parsed.password:
        params["password"] = unquote(parsed.password)
    return params


def _take_turn(env: dict):
    """An exclusive lock per (database, Redis db): concurrent runs of these tests would drop each other's database
    and their workers would take each other's tasks. Returns the open lock file; closing it releases the lock."""
    key = hashlib.sha256(f"{env['DATABASE_URL']}|{env['REDIS_URL']}".encode()).hexdigest()[:16]
    handle = open(Path(tempfile.gettempdir()) / f"ccs-e2e-{key}.lock", "w")
    deadline = time.monotonic() + LOCK_TIMEOUT_S
    while True:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return handle
        except BlockingIOError:
            if time.monotonic() > deadline:
                handle.close()
                pytest.fail(f"another run of the browser tests held {handle.name} for {LOCK_TIMEOUT_S} s", pytrace=False)
            time.sleep(0.5)


def _recreate_database(database_url: str, name: str) -> None:
    import psycopg
    from psycopg import sql

    with psycopg.connect(dbname="postgres", autocommit=True, connect_timeout=5, **_db_params(database_url)) as conn:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


# The running application ----------------------------------------------------------------------------------------

@dataclass
class CcsServer:
    port: int
    env: dict = field(repr=False)  # holds SECRET_KEY and the operator's password: keep it out of reports
    workdir: Path
    email_dir: Path = field(repr=False)
    processes: dict = field(default_factory=dict, repr=False)  # name -> Popen
    logs: dict = field(default_factory=dict, repr=False)  # name -> Path

    @property
    def public_url(self) -> str:
        return f"http://localhost:{self.port}"

    def tenant_host(self, slug: str) -> str:
        return f"{slug}.localhost:{self.port}"

    def tenant_url(self, slug: str) -> str:
        return f"http://{self.tenant_host(slug)}"

    def http_get(self, path: str, host: str | None = None, timeout: float = 5) -> tuple[int, bytes]:
        """GET from Python: connect to 127.0.0.1 and send the Host header (Python does not resolve *.localhost)."""
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout)
        try:
            connection.request("GET", path, headers={"Host": host or f"localhost:{self.port}"})
            response = connection.getresponse()
            return response.status, response.read()
        finally:
            connection.close()

    def start(self, name: str, command: list[str]) -> None:
        log_path = self.workdir / f"{name}.log"
        handle = open(log_path, "wb")
        self.logs[name] = log_path
        # A session of its own, so stopping it also stops anything it spawned (its process group).
        self.processes[name] = subprocess.Popen(
            command, cwd=ROOT, env=self.env, stdout=handle, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
            start_new_session=True,
        )
        handle.close()

    def check_alive(self) -> None:
        for name, process in self.processes.items():
            if process.poll() is not None:
                raise RuntimeError(
                    f"{name} exited with code {process.returncode} during the browser tests. Its log:\n"
                    + self.log_text(name)
                )

    def wait_until_healthy(self) -> None:
        deadline = time.monotonic() + STARTUP_TIMEOUT_S
        last = "no answer yet"
        while time.monotonic() < deadline:
            self.check_alive()
            try:
                status, body = self.http_get("/healthz", timeout=2)
            except OSError as error:
                last = repr(error)
            else:
                if status == 200:
                    return
                last = f"HTTP {status}: {body[:300]!r}"
            time.sleep(0.1)
        raise RuntimeError(f"/healthz did not answer 200 within {STARTUP_TIMEOUT_S} s ({last}).\n"
                           + "\n".join(f"----- {name} log -----\n{self.log_text(name)}" for name in self.logs))

    def log_size(self, name: str) -> int:
        try:
            return self.logs[name].stat().st_size
        except OSError:
            return 0

    def log_contains(self, name: str, text: str, since: int = 0) -> bool:
        try:
            with open(self.logs[name], "rb") as handle:
                handle.seek(since)
                return text.encode() in handle.read()
        except OSError:
            return False

    def log_text(self, name: str, since: int = 0) -> str:
        """What process `name` logged from byte `since` on (the last LOG_EXCERPT_CHARS of it)."""
        try:
            with open(self.logs[name], "rb") as handle:
                handle.seek(since)
                text = handle.read().decode("utf-8", "replace")
        except OSError as error:
            return f"({name} log unreadable: {error})"
        if len(text) > LOG_EXCERPT_CHARS:
            text = f"... ({len(text) - LOG_EXCERPT_CHARS} characters left out)\n" + text[-LOG_EXCERPT_CHARS:]
        return text

    def stop(self) -> None:
        for name, process in reversed(list(self.processes.items())):
            if process.poll() is None:
                try:
                    os.killpg(process.pid, signal.SIGTERM)
                except ProcessLookupError:
                    continue
        for name, process in self.processes.items():
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                try:
                    os.killpg(process.pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
                process.wait(timeout=5)


def _e2e_env(port: int, email_dir: Path, media_dir: Path, run_id: str) -> dict:
    env = dict(os.environ)
    # pytest-django set these for the in-process test settings: the servers must run the real settings.
    for name in ("DJANGO_SETTINGS_MODULE", "CCS_TESTING", "TEST_DATABASE_NAME"):
        env.pop(name, None)
    database_url = _with_path(_configured("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/ccs"), f"/{E2E_DATABASE}")
    redis_url = _with_path(_configured("REDIS_URL", "redis://127.0.0.1:6379/0"), f"/{E2E_REDIS_DB}")
    env.update({
        "DJANGO_SETTINGS_MODULE": "ccs.settings",
        "DATABASE_URL": database_url,
        "REDIS_URL": redis_url,
        "DJANGO_DEBUG": "1",
        "BASE_DOMAIN": "localhost",
        "SECRET_KEY": secrets.token_urlsafe(48),
        "EMAIL_BACKEND": "file",
        "EMAIL_FILE_PATH": str(email_dir),
        "MEDIA_ROOT": str(media_dir),
        "PUBLIC_PORT": str(port),
        "CACHE_KEY_PREFIX": f"ccs-e2e-{run_id}",
        "CHANNELS_PREFIX": f"ccs-e2e-{run_id}",
        "SYSTEM_ADMIN_EMAIL": "operator@e2e.example.com",
        "SYSTEM_ADMIN_PASSWORD": secrets.token_urlsafe(18),
        "CELERY_TASK_ALWAYS_EAGER": "0",
        "SECURE_SSL_REDIRECT": "0",
        "LOG_LEVEL": "WARNING",
        "PYTHONUNBUFFERED": "1",
    })
    return env


@pytest.fixture(scope="session")
def ccs_server(pytestconfig) -> CcsServer:
    run_id = secrets.token_hex(4)
    workdir = Path(tempfile.mkdtemp(prefix=f"ccs-e2e-{run_id}-"))
    email_dir, media_dir = workdir / "email", workdir / "media"
    email_dir.mkdir()
    media_dir.mkdir()
    port = _free_port()
    server = CcsServer(port=port, env=_e2e_env(port, email_dir, media_dir, run_id), workdir=workdir, email_dir=email_dir)
    turn = _take_turn(server.env)
    try:
        _recreate_database(server.env["DATABASE_URL"], E2E_DATABASE)
        # bootstrap runs with DEBUG off: under DEBUG it would write the e2e operator's credentials over the
        # developer's .local/system-admin-credentials.txt. Nothing else it does depends on DEBUG.
        bootstrap_env = {**server.env, "DJANGO_DEBUG": "0", "CCS_SKIP_SETTINGS_CHECK": "1"}
        bootstrap = subprocess.run(
            [sys.executable, "manage.py", "bootstrap", "-v", "0"], cwd=ROOT, env=bootstrap_env,
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, timeout=180,
        )
        if bootstrap.returncode != 0:
            pytest.fail(f"manage.py bootstrap failed ({bootstrap.returncode}):\n"
                        + bootstrap.stdout.decode(errors="replace"), pytrace=False)

        pytestconfig.stash[SERVER_KEY] = server
        server.start("celery", [sys.executable, "-m", "celery", "-A", "ccs", "worker", "-l", "warning",
                                "--concurrency", "1", "--pool", "solo", "--without-gossip", "--without-mingle",
                                "--without-heartbeat", "--hostname", f"e2e-{run_id}@%h"])
        server.start("uvicorn", [sys.executable, "-m", "uvicorn", "ccs.asgi:application", "--host", "127.0.0.1",
                                 "--port", str(port), "--log-level", "warning", "--no-access-log"])
        server.wait_until_healthy()
        yield server
    finally:
        server.stop()
        pytestconfig.stash[SERVER_KEY] = None
        shutil.rmtree(workdir, ignore_errors=True)
        turn.close()


@pytest.fixture(autouse=True)
def _server_log_marks(request):
    """Remember where the server logs were when the test started, so a failure report shows only its part."""
    server = request.config.stash.get(SERVER_KEY, None)
    request.node.stash[LOG_MARKS_KEY] = {name: server.log_size(name) for name in server.logs} if server else {}
    yield
    if server is not None:
        server.check_alive()


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    if not report.failed:
        return
    guard = item.stash.get(GUARD_KEY, None)
    if guard is not None and report.when == "call":
        unreported = guard.new_problems()  # the test failed before the guard could raise them
        if unreported:
            report.sections.append(("browser problems", "\n".join(unreported)))
    server = item.config.stash.get(SERVER_KEY, None)
    if server is None:
        return
    marks = item.stash.get(LOG_MARKS_KEY, {})
    for name in server.logs:
        text = server.log_text(name, since=marks.get(name, 0))
        if text.strip():
            report.sections.append((f"{name} log during this test", text))


# Email ----------------------------------------------------------------------------------------------------------

@dataclass
class SentEmail:
    to: str
    subject: str
    body: str
    path: Path

    def urls(self) -> list[str]:
        return re.findall(r"https?://[^\s<>\"')]+", self.body)

    def url(self, contains: str = "") -> str:
        matches = [url for url in self.urls() if contains in url]
        assert matches, f"no link containing {contains!r} in the email to {self.to}:\n{self.body}"
        return matches[-1]


class Mailbox:
    """Emails written by Django's file backend (one file per connection, messages separated by a line of 79 '-')."""

    SEPARATOR = re.compile(rb"^-{79}$", re.MULTILINE)

    def __init__(self, directory: Path):
        self.directory = directory

    def messages(self) -> list[SentEmail]:
        """Every message, newest file first."""
        found = []
        files = sorted(self.directory.glob("*.log"), key=lambda path: path.stat().st_mtime_ns, reverse=True)
        for path in files:
            chunks = [chunk.strip() for chunk in self.SEPARATOR.split(path.read_bytes())]
            for chunk in reversed([chunk for chunk in chunks if chunk]):
                message = email.message_from_bytes(chunk, policy=email.policy.default)
                part = message.get_body(preferencelist=("plain", "html"))
                body = part.get_content() if part is not None else ""
                found.append(SentEmail(to=str(message["To"]), subject=str(message["Subject"]), body=body, path=path))
        return found

    def newest_to(self, address: str) -> SentEmail | None:
        for message in self.messages():
            if address.lower() in message.to.lower():
                return message
        return None

    def wait_for(self, address: str, timeout: float = 20) -> SentEmail:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            message = self.newest_to(address)
            if message is not None:
                return message
            time.sleep(0.1)
        raise AssertionError(f"no email to {address} arrived in {self.directory} within {timeout} s "
                             f"(is the Celery worker running? see its log in the report)")


@pytest.fixture
def mailbox(ccs_server) -> Mailbox:
    return Mailbox(ccs_server.email_dir)


# Playwright -----------------------------------------------------------------------------------------------------

# Two shared cores and a real stack: give page assertions more than Playwright's 5 s default.
expect.set_options(timeout=10_000)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: install Debian's Chromium with `apt-get install -y chromium` "
                    "(never `playwright install`), or point CCS_CHROMIUM at a Chromium binary.", pytrace=False)
    return {"headless": True, **browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_ARGS}


class BrowserGuard:
    """Collects what goes wrong in the pages of one test; `allow()` what the test expects."""

    def __init__(self):
        self.problems: list[str] = []
        self.allowed: list[tuple[re.Pattern, int | None]] = []
        self.reported = 0
        self.pages: list = []

    def allow(self, url_regex: str, status: int | None = None) -> None:
        """Responses whose URL matches `url_regex` (re.search) with `status` (any status >= 400 when None) are
        expected; so are the browser's matching "Failed to load resource" console errors."""
        self.allowed.append((re.compile(url_regex), status))

    def _is_allowed(self, url: str, status: int | None) -> bool:
        return any(rx.search(url) and (expected is None or status is None or expected == status)
                   for rx, expected in self.allowed)

    def watch_context(self, context) -> None:
        context.on("page", self.watch_page)
        for page in context.pages:
            self.watch_page(page)

    def watch_page(self, page) -> None:
        self.pages.append(page)
        page.on("console", lambda message: self._on_console(page, message))
        page.on("pageerror", lambda error: self.problems.append(f"uncaught JavaScript error on {page.url}: {error}"))
        page.on("requestfailed", self._on_request_failed)
        page.on("response", self._on_response)

    def _on_console(self, page, message) -> None:
        if message.type != "error":
            return
        location = message.location or {}
        url = location.get("url", "")
        if message.text.startswith("Failed to load resource") and url and self._is_allowed(url, None):
            return
        where = f" ({url}:{location.get('lineNumber')})" if url else ""
        self.problems.append(f"console error on {page.url}: {message.text}{where}")

    def _on_request_failed(self, request) -> None:
        # ERR_ABORTED is the browser cancelling a load itself (the page navigated away meanwhile), not a failure.
        if self._is_allowed(request.url, None) or request.failure == "net::ERR_ABORTED":
            return
        self.problems.append(f"request failed: {request.method} {request.url}: {request.failure}")

    def _on_response(self, response) -> None:
        if response.status >= 400 and not self._is_allowed(response.url, response.status):
            self.problems.append(f"HTTP {response.status} for {response.request.method} {response.url}")

    def settle(self) -> None:
        """Let Playwright deliver the events already emitted (the sync API dispatches them during calls)."""
        for page in self.pages:
            if not page.is_closed():
                try:
                    page.evaluate("0")
                except Exception:  # noqa: BLE001 - a page that is navigating or closing has nothing more to say
                    pass

    def new_problems(self) -> list[str]:
        fresh = self.problems[self.reported:]
        self.reported = len(self.problems)
        return fresh

    @staticmethod
    def message(problems: list[str]) -> str:
        return "the browser reported problems (allow expected ones with browser_guard.allow()):\n  " + "\n  ".join(problems)


@pytest.fixture(autouse=True)
def browser_guard(request) -> BrowserGuard:
    guard = BrowserGuard()
    marker = request.node.get_closest_marker("allow_http_errors")
    for rule in marker.args if marker else ():
        if isinstance(rule, (tuple, list)):
            guard.allow(*rule)
        else:
            guard.allow(rule)
    request.node.stash[GUARD_KEY] = guard
    return guard


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item):
    result = yield
    guard = item.stash.get(GUARD_KEY, None)
    if guard is not None and guard.pages:
        guard.settle()
        problems = guard.new_problems()
        if problems:
            pytest.fail(BrowserGuard.message(problems), pytrace=False)
    return result


def _artifact_folder(nodeid: str) -> Path:
    name = re.sub(r"[^A-Za-z0-9._-]+", "-", nodeid.replace("tests/browser/", "")).strip("-")[:150]
    return ARTIFACTS_DIR / name


def _save_page_artifacts(nodeid: str, contexts) -> None:
    folder = _artifact_folder(nodeid)
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True, exist_ok=True)
    for c_index, context in enumerate(contexts, start=1):
        for p_index, page in enumerate(context.pages, start=1):
            stem = folder / f"context{c_index}-page{p_index}"
            try:
                page.screenshot(path=f"{stem}.png", full_page=True, timeout=5000)
            except Exception as error:  # noqa: BLE001 - keep going: the HTML may still be there
                stem.with_suffix(".screenshot-error.txt").write_text(str(error))
            try:
                stem.with_suffix(".html").write_text(f"<!-- {page.url} -->\n" + page.content())
            except Exception as error:  # noqa: BLE001
                stem.with_suffix(".html-error.txt").write_text(str(error))


@pytest.fixture
def new_context(new_context, browser_guard, request):
    """pytest-playwright's `new_context`, with every page watched and screenshots + HTML kept on failure."""
    contexts = []

    def make(**kwargs):
        context = new_context(**kwargs)
        context.set_default_timeout(10_000)
        context.add_init_script(LIVE_INIT_SCRIPT)
        browser_guard.watch_context(context)
        contexts.append(context)
        return context

    yield make

    open_contexts = [context for context in contexts if context.pages]
    browser_guard.settle()
    late_problems = browser_guard.new_problems()
    rep_call = getattr(request.node, "rep_call", None)
    failed = rep_call is None or rep_call.failed
    if (failed or late_problems) and open_contexts:
        _save_page_artifacts(request.node.nodeid, open_contexts)
    if late_problems and not failed:
        pytest.fail(BrowserGuard.message(late_problems), pytrace=False)


@pytest.fixture(scope="session")
def wait_for_live():
    """`wait_for_live(page)`: wait until the page's live channel (the htmx ws extension's websocket) is open.
    Only pages of contexts made by `new_context`/`context`/`page` carry the init script that makes this visible."""

    def wait(page, timeout: float = 10_000) -> None:
        page.wait_for_function("window.__ccsLiveOpen === true", timeout=timeout)

    return wait


@pytest.fixture(scope="session")
def ccs_version() -> str:
    """The version the app shows (footer, /healthz): the VERSION file at the repository root."""
    return (ROOT / "VERSION").read_text().strip()


# Shared steps of the browser tests -------------------------------------------------------------------------------

# Remembers every value an import's progress bar showed, so a test can tell it moved (add with page.add_init_script).
IMPORT_PROGRESS_SCRIPT = """
window.__progress = [];
new MutationObserver(() => {
  document.querySelectorAll('[id^=import-progress-] .progress').forEach(bar => {
    const value = bar.getAttribute('aria-valuenow');
    if (window.__progress[window.__progress.length - 1] !== value) window.__progress.push(value);
  });
}).observe(document, {subtree: true, childList: true, attributes: true});
"""


def provision_and_sign_in(ccs_server, page, *, slug: str, name: str, email: str, password: str) -> str:
    """A new company (manage.py create_tenant) whose first admin signs in on `page`; returns the tenant's base URL."""
    import subprocess
    import sys

    from playwright.sync_api import expect

    result = subprocess.run(
        [sys.executable, "manage.py", "create_tenant", "--slug", slug, "--name", name,
         "--admin-email", email, "--admin-password", password],
        cwd=ROOT, env=ccs_server.env, capture_output=True, text=True, timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    base = ccs_server.tenant_url(slug)
    page.goto(f"{base}/accounts/sign-in/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(f"{base}/")
    return base
