import contextlib
import os
import uuid
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from playwright.sync_api import expect

from bench.harness import CeleryWorker, database_url
from participants.models import Role

from .factories import UserFactory

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


# --- the page cache outlives each test's database: start every test without it --------


_DATABASE_FIXTURES = {"db", "transactional_db", "live_server", "django_db_reset_sequences"}


@pytest.fixture(autouse=True)
def _page_cache_forgotten(request):
    """The page cache's generations live in the database: tests without one need none."""
    if not (
        request.node.get_closest_marker("django_db")
        or _DATABASE_FIXTURES & set(request.fixturenames)
    ):
        return
    request.getfixturevalue("_django_db_helper")
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


@pytest.fixture(autouse=True)
def _rate_limits_of_this_test(settings):
    """Rate-limit counters live in the cache for a minute: each test counts afresh."""
    settings.RATELIMIT_CACHE_PREFIX = f"rl:{uuid.uuid4().hex[:8]}:"


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
def external_member(db):
    """Invited from an organisation: submits, supports, comments, sees nothing internal."""
    from .factories import OrganisationFactory

    user = UserFactory(username="extern", role=Role.EXTERNAL)
    user.profile.organisation = OrganisationFactory(name="Caritasverband Rhein-Sieg e. V.")
    user.profile.save()
    return user


@pytest.fixture
def role_users(staff_user, moderator, committee_member, administrator, external_member):
    return {
        "staff": staff_user,
        "moderator": moderator,
        "committee": committee_member,
        "admin": administrator,
        "external": external_member,
    }


# --- a real Celery worker process --------------------------------------------------


def requires_postgres():
    return pytest.mark.skipif(
        not settings.USES_POSTGRES,
        reason="needs PostgreSQL: set DATABASE_URL=postgres://... (make test does in CI)",
    )


def _database_url_of_test_db() -> str:
    return database_url(connection.settings_dict)


def process_environment(**extra: str) -> dict[str, str]:
    """What a process started by a test runs with: this test run's environment (its
    ``VAR_DIR``, broker and Redis key prefix: one per xdist worker) on the test database."""
    return {
        **os.environ,
        "DATABASE_URL": _database_url_of_test_db(),
        "CELERY_TASK_ALWAYS_EAGER": "false",
        **extra,
    }


@pytest.fixture
def worker(transactional_db, tmp_path):
    """A real worker process (``bench.harness.CeleryWorker``: ``start``, ``stop``, ``kill``,
    ``env``, ``log()``) on the test database and the test broker, ready when the test
    starts. The broker is purged first, so nothing left by an earlier test is delivered."""
    from roundtable.celery import app

    app.control.purge()
    process = CeleryWorker(
        env=process_environment(), log_path=tmp_path / "worker.log", name="test", concurrency=1
    )
    process.start()
    yield process
    process.stop()


# --- real Chromium ------------------------------------------------------------


# expect(...) waits for what a page shows; a machine busy with other tests (pytest -n)
# may take longer than Playwright's default of 5 s to get there.
expect.set_options(timeout=15_000)


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
