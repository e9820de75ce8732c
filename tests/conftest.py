import contextlib
import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path
from urllib.parse import quote

import pytest
from django.conf import settings
from django.db import connection

from participants.models import Role

from .factories import UserFactory

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


# --- the page cache outlives each test's database: start every test without it --------


@pytest.fixture(autouse=True)
def _page_cache_forgotten():
    from roundtable.operations import pagecache

    pagecache.forget_everything()


@pytest.fixture
def django_capture_on_commit_callbacks(django_capture_on_commit_callbacks):
    """pytest-django's fixture, without the page cache's own callback: the tests count
    what a service queues (e-mails, tasks), not the cache's bookkeeping."""
    from roundtable.operations import pagecache

    @contextlib.contextmanager
    def capture(**kwargs):
        with django_capture_on_commit_callbacks(**kwargs) as callbacks:
            yield callbacks
        callbacks[:] = [c for c in callbacks if c.__module__ != pagecache.__name__]

    return capture


# --- the phase a test's steps need ------------------------------------------------


@pytest.fixture
def phases_open(db):
    """Today is in a phase that opens the workshop work, the committee work and the
    implementation (the phases' own rules are tested in tests/timeline)."""
    from .factories import phase_open_today

    return phase_open_today()


def open_phases_for(request) -> None:
    """For a conftest's autouse fixture: a database test of steps bound to a phase runs
    in a phase that opens them."""
    if request.node.get_closest_marker("django_db") is not None or {
        "db",
        "transactional_db",
    } & set(request.fixturenames):
        request.getfixturevalue("phases_open")


# --- users in each role ----------------------------------------------------------


@pytest.fixture
def staff_user(db):
    return UserFactory(username="mitarbeiter", role=Role.STAFF)


@pytest.fixture
def moderator(db):
    return UserFactory(username="moderation", role=Role.MODERATOR)


@pytest.fixture
def committee_member(db):
    return UserFactory(username="ausschuss", role=Role.COMMITTEE)


@pytest.fixture
def administrator(db):
    return UserFactory(username="admin", role=Role.ADMIN)


@pytest.fixture
def role_users(staff_user, moderator, committee_member, administrator):
    return {
        "staff": staff_user,
        "moderator": moderator,
        "committee": committee_member,
        "admin": administrator,
    }


# --- a real Celery worker process --------------------------------------------------


def requires_postgres():
    return pytest.mark.skipif(
        not settings.USES_POSTGRES,
        reason="needs PostgreSQL: set DATABASE_URL=postgres://... (make test does in CI)",
    )


def _database_url_of_test_db() -> str:
    s = connection.settings_dict
    if s["ENGINE"].endswith("sqlite3"):
        return f"sqlite:///{s['NAME']}"
    auth = quote(s["USER"] or "")
    if s.get("PASSWORD"):
        auth += ":" + quote(s["PASSWORD"])
    host = s.get("HOST") or "127.0.0.1"
    port = s.get("PORT") or 5432
    return f"postgres://{auth}@{host}:{port}/{s['NAME']}"


class WorkerProcess:
    """A ``celery worker`` subprocess on the test database and the test broker."""

    def __init__(self, log_dir: Path):
        self.hostname = f"test-{uuid.uuid4().hex[:8]}@localhost"
        self.log_path = log_dir / f"worker-{self.hostname.split('@')[0]}.log"
        self.process: subprocess.Popen | None = None
        self.env = {
            **os.environ,
            "DATABASE_URL": _database_url_of_test_db(),
            "CELERY_TASK_ALWAYS_EAGER": "false",
            "PYTHONUNBUFFERED": "1",
        }

    def start(self, *, wait: bool = True, extra_args: list[str] | None = None) -> None:
        from roundtable.operations.models import WorkerHeartbeat

        WorkerHeartbeat.objects.filter(hostname=self.hostname).delete()
        log = open(self.log_path, "ab")  # noqa: SIM115 - closed with the process
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "roundtable",
                "worker",
                "--loglevel",
                "INFO",
                "--concurrency",
                "1",
                "--hostname",
                self.hostname,
                "--without-gossip",
                "--without-mingle",
                *(extra_args or []),
            ],
            cwd=ROOT,
            env=self.env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        if wait:
            self.wait_ready()

    def wait_ready(self, timeout: float = 60) -> None:
        from roundtable.operations.models import WorkerHeartbeat

        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if WorkerHeartbeat.objects.filter(hostname=self.hostname).exists():
                return
            if self.process.poll() is not None:
                break
            time.sleep(0.2)
        raise RuntimeError(f"worker did not start; log:\n{self.log_path.read_text()[-4000:]}")

    def stop(self, timeout: float = 30) -> None:
        """Warm shutdown (SIGTERM), as an operator stops a worker."""
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout)
            except subprocess.TimeoutExpired:
                self.kill()
        self.process = None

    def kill(self) -> None:
        """SIGKILL the worker and its pool children, as a crash would."""
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(10)
        self.process = None

    def log(self) -> str:
        return self.log_path.read_text() if self.log_path.exists() else ""


@pytest.fixture
def worker(transactional_db, tmp_path):
    """A real worker process. Redis (or the filesystem broker) is purged first, so
    nothing left by an earlier test is delivered."""
    from roundtable.celery import app

    app.control.purge()
    process = WorkerProcess(tmp_path)
    process.start()
    yield process
    process.stop()


# --- real Chromium ------------------------------------------------------------


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    if not Path(CHROMIUM).exists():
        pytest.skip(f"Chromium not installed at {CHROMIUM} (apt-get install chromium)")
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": [
            "--no-sandbox",
            "--headless",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--no-first-run",
            "--disable-sync",
        ],
    }


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    return {**browser_context_args, "locale": "de-DE", "timezone_id": "Europe/Berlin"}


@pytest.fixture
def csp_violations(page):
    """Collects Content-Security-Policy violations the page reports in its console."""
    found: list[str] = []
    page.on(
        "console",
        lambda msg: (
            found.append(msg.text)
            if "Content Security Policy" in msg.text or "Content-Security-Policy" in msg.text
            else None
        ),
    )
    return found


def login(page, live_server, username: str, password: str) -> None:
    """Logs in through the real login form."""
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Benutzername").fill(username)
    page.get_by_label("Passwort").fill(password)
    page.get_by_role("button", name="Anmelden").click()
    page.wait_for_url(lambda url: "/accounts/login/" not in url)


def assert_accessible(page) -> None:
    """axe-core finds no WCAG 2.1 A/AA violation on the page as it is now."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page, options={"runOnly": {"type": "tag", "values": WCAG_TAGS}})
    assert results.violations_count == 0, f"{page.url}\n{results.generate_report()}"
