"""Anonymous traffic is bounded (finding 5) and bodies are never parsed before the CSRF
check, nor accepted above the configured size (finding 6)."""

import io
import re
from datetime import timedelta

import pytest
from django.conf import settings
from django.contrib.sessions.models import Session
from django.core.handlers.wsgi import WSGIHandler
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from roundtable.operations.tasks import sessions_clear
from roundtable.privacy.models import AccessibilityFeedback

pytestmark = pytest.mark.django_db


class CountingStream(io.RawIOBase):
    """A request body of ``size`` bytes that counts how much of it was read."""

    def __init__(self, size: int):
        self.size = size
        self.read_bytes = 0

    def readable(self):
        return True

    def readinto(self, buffer):
        n = min(len(buffer), self.size - self.read_bytes)
        buffer[:n] = b"a" * n
        self.read_bytes += n
        return n


def _wsgi_post(path: str, size: int, **extra) -> tuple[str, CountingStream]:
    """A POST through the real WSGI handler (CSRF enforced, no cookies)."""
    stream = CountingStream(size)
    environ = {
        "REQUEST_METHOD": "POST",
        "PATH_INFO": path,
        "SERVER_NAME": "127.0.0.1",
        "SERVER_PORT": "80",
        "REMOTE_ADDR": "192.0.2.10",
        "wsgi.url_scheme": "http",
        "wsgi.input": io.BufferedReader(stream),
        "CONTENT_TYPE": "multipart/form-data; boundary=xyz",
        "CONTENT_LENGTH": str(size),
        **extra,
    }
    status = []
    response = WSGIHandler()(environ, lambda s, headers, exc_info=None: status.append(s))
    b"".join(response)
    response.close()
    return status[0], stream


@pytest.mark.parametrize("path", ["/healthz", "/accounts/login/", "/ideen/neu/"])
def test_a_post_failing_the_csrf_check_is_not_read(path):
    """Finding 6: the idempotency middleware parsed the body (and wrote an upload to
    disk) before the CSRF check refused the request."""
    status, stream = _wsgi_post(path, 5 * 1024 * 1024)
    assert status.startswith(("403", "405"))
    assert stream.read_bytes == 0


def test_a_body_over_the_limit_is_refused_unread_with_a_german_page():
    status, stream = _wsgi_post("/ideen/neu/", settings.MAX_REQUEST_BODY_BYTES + 1)
    assert status.startswith("413")
    assert stream.read_bytes == 0
    response = Client().post(
        "/accounts/login/",
        data=b"x",
        content_type="text/plain",
        CONTENT_LENGTH=str(settings.MAX_REQUEST_BODY_BYTES + 1),
    )
    assert response.status_code == 413
    assert "Die gesendeten Daten sind zu groß" in response.content.decode()


def _draft_owner_of(user) -> str:
    client = Client()
    client.force_login(user)
    body = client.get(reverse("ideas:create")).content.decode()
    found = re.search(r'name="draft_owner" value="([^"]+)"', body)
    return found.group(1) if found else ""  # the form's token: the worst case is a valid one


def test_a_thousand_anonymous_posts_leave_the_session_table_bounded(moderator):
    """Finding 5: each anonymous POST to the idea form kept its draft in a new session;
    now ANONYMOUS_POST_RATE per address lets a few through, the rest get 429."""
    owner = _draft_owner_of(moderator)
    before = Session.objects.count()
    statuses: dict[int, int] = {}
    for n in range(1000):
        response = Client().post(  # no cookies: every request a new visitor
            reverse("ideas:create"),
            {"title": f"Idee {n}", "description": "x" * 2000, "draft_owner": owner},
            REMOTE_ADDR="198.51.100.7",
            HTTP_X_FORWARDED_FOR=f"10.1.{n // 250}.{n % 250}",  # forged: not believed
        )
        statuses[response.status_code] = statuses.get(response.status_code, 0) + 1
    print(f"1,000 anonymous POSTs: {statuses}, sessions +{Session.objects.count() - before}")
    # a fixed window per minute: a run that crosses the window's edge gets two windows' worth
    allowed = 2 * int(settings.ANONYMOUS_POST_RATE.split("/")[0])
    assert statuses.get(302, 0) <= allowed
    assert statuses[429] >= 1000 - allowed
    assert Session.objects.count() - before <= allowed
    refused = Client().post(reverse("ideas:create"), {}, REMOTE_ADDR="198.51.100.7")
    assert refused.status_code == 429
    assert "Zu viele Anfragen" in refused.content.decode()
    assert refused["Retry-After"] == "60"
    # another address is not affected
    assert Client().post(reverse("ideas:create"), {}, REMOTE_ADDR="198.51.100.8").status_code == 302


def test_anonymous_feedback_is_rate_limited_too():
    url = reverse("privacy:accessibility_statement")
    for _ in range(100):
        Client().post(url, {"message": "Kontrast zu gering"}, REMOTE_ADDR="198.51.100.9")
    assert AccessibilityFeedback.objects.count() <= int(settings.ANONYMOUS_POST_RATE.split("/")[0])


def test_logged_in_posts_are_not_limited_by_the_anonymous_rate(client, staff_user):
    client.force_login(staff_user)
    for _ in range(40):
        response = client.post(reverse("set_language"), {"language": "de", "next": "/"})
        assert response.status_code == 302


def test_clearsessions_runs_daily_and_removes_expired_sessions():
    entry = settings.CELERY_BEAT_SCHEDULE["operations-sessions-clear"]
    assert entry["task"] == sessions_clear.name
    Session.objects.create(
        session_key="x" * 32, session_data="", expire_date=timezone.now() - timedelta(days=1)
    )
    sessions_clear()
    assert not Session.objects.filter(session_key="x" * 32).exists()
