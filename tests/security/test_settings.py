"""The security settings an IT security officer signs off, proven against the real stack."""

import os
import secrets
import subprocess
import sys
from datetime import timedelta

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.forms import SetPasswordForm
from django.contrib.auth.hashers import make_password
from django.contrib.auth.password_validation import validate_password
from django.contrib.sessions.models import Session
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from freezegun import freeze_time

from tests.conftest import _database_url_of_test_db
from tests.factories import TEST_PASSWORD, UserFactory

ROOT = settings.BASE_DIR


def _manage(*args: str, **env: str) -> subprocess.CompletedProcess:
    dropped = ("SECRET_KEY", "PRODUCTION", "DJANGO_ALLOW_ASYNC_UNSAFE", "TESTING", "DEBUG")
    environment = {k: v for k, v in os.environ.items() if k not in dropped}
    environment.update(env)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )


# --- production settings ------------------------------------------------------------


def test_deploy_check_passes_in_production():
    result = _manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        PRODUCTION="true",
        SECRET_KEY=secrets.token_urlsafe(64),
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_deploy_check_fails_with_development_settings():
    """The check is not a rubber stamp: without PRODUCTION it warns (no HSTS, no secure cookies)."""
    result = _manage("check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode != 0
    assert "security.W004" in result.stderr + result.stdout  # HSTS
    assert "security.W012" in result.stderr + result.stdout  # session cookie not secure


def test_production_refuses_to_start_without_secret_key():
    result = _manage("check", PRODUCTION="true")
    assert result.returncode != 0
    assert "Set the SECRET_KEY environment variable" in result.stderr


def test_production_settings_values():
    code = (
        "from django.conf import settings as s;"
        "print(s.DEBUG, s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SECURE_SSL_REDIRECT,"
        " s.SECURE_HSTS_SECONDS >= 31536000, s.SECURE_REFERRER_POLICY, s.SESSION_COOKIE_HTTPONLY)"
    )
    result = _manage(
        "shell", "-c", code, PRODUCTION="true", SECRET_KEY=secrets.token_urlsafe(64), DEBUG="false"
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1].split() == [
        "False",
        "True",
        "True",
        "True",
        "True",
        "same-origin",
        "True",
    ]


@pytest.mark.django_db
def test_production_redirects_http_to_https_and_sends_hsts():
    """Run the real WSGI stack with production settings in a subprocess."""
    code = (
        "from django.test import Client;"
        "c = Client();"
        "r = c.get('/healthz', HTTP_HOST='127.0.0.1');"
        "print(r.status_code, r['Location']);"
        "r = c.get('/healthz', HTTP_HOST='127.0.0.1', HTTP_X_FORWARDED_PROTO='https');"
        "print(r.status_code in (200, 503), r.get('Strict-Transport-Security'))"
    )
    result = _manage(
        "shell",
        "-c",
        code,
        PRODUCTION="true",
        SECRET_KEY=secrets.token_urlsafe(64),
        DATABASE_URL=_database_url_of_test_db(),
    )
    assert result.returncode == 0, result.stderr
    first, second = result.stdout.strip().splitlines()[-2:]
    assert first == "301 https://127.0.0.1/healthz"
    assert second.startswith("True max-age=31536000; includeSubDomains; preload")


# --- passwords -------------------------------------------------------------------------


@pytest.mark.django_db
def test_passwords_are_hashed_with_argon2():
    user = UserFactory()
    assert user.password.startswith("argon2$argon2id$")
    assert user.check_password(TEST_PASSWORD)


@pytest.mark.django_db
def test_an_old_pbkdf2_hash_is_upgraded_to_argon2_on_login(client):
    user = UserFactory()
    user.password = make_password(TEST_PASSWORD, hasher="pbkdf2_sha256")
    user.save()
    response = client.post(
        "/accounts/login/", {"username": user.username, "password": TEST_PASSWORD}
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.password.startswith("argon2$")


@pytest.mark.parametrize("weak", ["kurz-123", "123456789012345", "qwerty123456", "erika.mueller1"])
def test_weak_passwords_are_refused(weak):
    user = get_user_model()(username="erika.mueller", first_name="Erika", last_name="Mueller")
    with pytest.raises(ValidationError):
        validate_password(weak, user)


@pytest.mark.django_db
def test_a_strong_password_is_accepted():
    """The form a user sets a password with takes it, every validator included."""
    strong = "Ideenwerkstatt im Rhein-Sieg-Kreis 2004"
    user = UserFactory(username="erika.mueller", first_name="Erika", last_name="Mueller")
    form = SetPasswordForm(user, {"new_password1": strong, "new_password2": strong})
    assert form.is_valid(), form.errors
    form.save()
    user.refresh_from_db()
    assert user.check_password(strong)
    assert user.password.startswith("argon2$")


# --- sessions ----------------------------------------------------------------------------


@pytest.mark.django_db
def test_session_ends_after_30_minutes_idle(client, staff_user):
    assert settings.SESSION_COOKIE_AGE == 30 * 60
    start = timezone.now()
    with freeze_time(start) as frozen:
        client.force_login(staff_user)
        assert client.get("/").status_code == 200
        # activity keeps the session alive beyond 30 minutes in total ...
        frozen.tick(timedelta(minutes=29))
        assert client.get("/").status_code == 200
        frozen.tick(timedelta(minutes=29))
        assert client.get("/").status_code == 200
        # ... 30 minutes without a request end it
        frozen.tick(timedelta(minutes=30, seconds=1))
        response = client.get("/")
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/")


@pytest.mark.django_db
def test_logout_ends_the_session_on_the_server(client, staff_user):
    client.post("/accounts/login/", {"username": staff_user.username, "password": TEST_PASSWORD})
    assert client.get("/").status_code == 200
    old_cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    client.post("/accounts/logout/")
    # replaying the old session cookie does not get back in
    client.cookies[settings.SESSION_COOKIE_NAME] = old_cookie
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_session_cookie_is_not_persistent():
    assert settings.SESSION_EXPIRE_AT_BROWSER_CLOSE is True
    assert "participants.middleware.SessionIdleMiddleware" in settings.MIDDLEWARE


def _session_writes(client) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get("/").status_code == 200
    return sum('UPDATE "django_session"' in q["sql"] for q in captured.captured_queries)


@pytest.mark.django_db
def test_session_is_renewed_at_most_once_a_minute(client, staff_user):
    start = timezone.now()
    with freeze_time(start) as frozen:
        client.force_login(staff_user)  # saves the session
        assert _session_writes(client) == 0
        frozen.tick(timedelta(seconds=30))
        assert _session_writes(client) == 0
        frozen.tick(timedelta(seconds=31))
        assert _session_writes(client) == 1
        expiry = Session.objects.get().expire_date
    assert expiry == start + timedelta(seconds=61 + 30 * 60)


@pytest.mark.django_db
def test_a_cookie_of_no_session_does_not_make_one(client):
    client.cookies[settings.SESSION_COOKIE_NAME] = "x" * 32  # expired long ago, or made up
    for _ in range(3):
        assert client.get("/accounts/login/").status_code == 200
    assert not Session.objects.exists()
