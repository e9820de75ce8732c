"""More than 10 failed logins for an account from one client address within 5 minutes lock
further attempts of that account from that address (django-axes): nobody can lock out
others. Known and unknown accounts get the same answers."""

import re
from datetime import timedelta

import pytest
from django.conf import settings
from django.utils import timezone
from freezegun import freeze_time

from tests.factories import TEST_PASSWORD

LOGIN = "/accounts/login/"
LOCKED = "Anmeldung vorübergehend gesperrt"
WRONG = "Bitte Benutzername und Passwort eingeben"


def _attempt(client, username, password="falsch-falsch", ip="10.0.0.1"):  # noqa: S107
    return client.post(LOGIN, {"username": username, "password": password}, REMOTE_ADDR=ip)


def _normalise(html: str) -> str:
    html = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", html)
    html = re.sub(r'"X-CSRFToken": "[^"]+"', "", html)
    return html


def test_settings_match_the_rule():
    assert settings.AXES_FAILURE_LIMIT == 11
    assert timedelta(minutes=5) == settings.AXES_COOLOFF_TIME
    assert settings.AXES_LOCKOUT_PARAMETERS == [["username", "ip_address"]]


@pytest.mark.django_db
@pytest.mark.parametrize("username", ["mitarbeiter", "niemand-bekannt"])
def test_ten_failures_are_answered_normally_the_eleventh_locks(client, staff_user, username):
    for n in range(10):
        response = _attempt(client, username, ip="10.0.1.1")
        assert response.status_code == 200, n
        assert WRONG in response.content.decode()
    response = _attempt(client, username, ip="10.0.1.1")
    assert response.status_code == 429
    assert LOCKED in response.content.decode()
    # further attempts from that address are locked, even with the right password ...
    response = _attempt(client, username, TEST_PASSWORD, ip="10.0.1.1")
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_nobody_locks_out_an_account_from_another_address(client, staff_user):
    """Finding 4: a lockout holds the username *and* address that failed, so typing
    someone's name wrong does not lock that person out."""
    for _ in range(11):
        response = _attempt(client, "mitarbeiter", ip="10.0.2.66")
    assert response.status_code == 429
    assert _attempt(client, "mitarbeiter", TEST_PASSWORD, ip="10.0.2.2").status_code == 302


@pytest.mark.django_db
def test_eleven_failures_with_three_usernames_lock_nobody(client, staff_user, administrator):
    """Finding 4: eleven failures from one address with three names (the reproduction),
    then the administrator with the right password logs in, from that address too."""
    for n in range(11):
        response = _attempt(client, ["admin", "mitarbeiter", "niemand"][n % 3], ip="10.0.2.1")
        assert response.status_code == 200, n
    assert _attempt(client, "admin", TEST_PASSWORD, ip="10.0.2.1").status_code == 302
    client.logout()
    assert _attempt(client, "mitarbeiter", TEST_PASSWORD, ip="10.0.2.3").status_code == 302


@pytest.mark.django_db
def test_behind_a_trusted_proxy_the_forwarded_client_counts(client, staff_user, settings):
    """With TRUSTED_PROXY_COUNT=1 every request comes from the proxy's address; the
    client is the address the proxy appended, and what a client forges before it is
    ignored."""
    settings.TRUSTED_PROXY_COUNT = 1
    for n in range(11):
        response = client.post(
            LOGIN,
            {"username": "mitarbeiter", "password": "falsch-falsch"},
            REMOTE_ADDR="172.18.0.5",
            HTTP_X_FORWARDED_FOR=f"10.9.9.{n}, 203.0.113.7",  # forged entry, then the real one
        )
    assert response.status_code == 429
    other_client = client.post(
        LOGIN,
        {"username": "mitarbeiter", "password": TEST_PASSWORD},
        REMOTE_ADDR="172.18.0.5",
        HTTP_X_FORWARDED_FOR="198.51.100.20",
    )
    assert other_client.status_code == 302


@pytest.mark.django_db
def test_known_and_unknown_accounts_get_the_same_answers(client, staff_user):
    known = [_attempt(client, "mitarbeiter", ip="10.0.3.1") for n in range(11)]
    unknown = [_attempt(client, "niemand-bekannt", ip="10.0.4.1") for n in range(11)]
    for a, b in zip(known, unknown, strict=True):
        assert a.status_code == b.status_code
    # the page differs only by the username echoed back into the form field
    first_known = _normalise(known[0].content.decode()).replace("mitarbeiter", "X")
    first_unknown = _normalise(unknown[0].content.decode()).replace("niemand-bekannt", "X")
    assert first_known == first_unknown
    assert _normalise(known[-1].content.decode()) == _normalise(unknown[-1].content.decode())
    assert "mitarbeiter" not in known[-1].content.decode()


@pytest.mark.django_db
def test_failures_older_than_five_minutes_do_not_count(client, staff_user):
    start = timezone.now()
    with freeze_time(start) as frozen:
        for _ in range(10):
            assert _attempt(client, "mitarbeiter", ip="10.0.5.1").status_code == 200
        frozen.tick(timedelta(minutes=5, seconds=1))
        assert _attempt(client, "mitarbeiter", ip="10.0.5.1").status_code == 200
        assert _attempt(client, "mitarbeiter", TEST_PASSWORD, ip="10.0.5.1").status_code == 302


@pytest.mark.django_db
def test_the_lock_ends_after_the_cool_off(client, staff_user):
    start = timezone.now()
    with freeze_time(start) as frozen:
        for _ in range(11):
            _attempt(client, "mitarbeiter", ip="10.0.6.1")
        frozen.tick(timedelta(minutes=4))
        assert _attempt(client, "mitarbeiter", TEST_PASSWORD, ip="10.0.6.1").status_code == 429
        # the locked attempt counted too: the lock lasts 5 minutes after the last attempt
        frozen.tick(timedelta(minutes=5, seconds=1))
        assert _attempt(client, "mitarbeiter", TEST_PASSWORD, ip="10.0.6.1").status_code == 302


@pytest.mark.django_db
@pytest.mark.parametrize("username", ["x" * 100_000, "a\x00b", "ü" * 151])
def test_absurd_usernames_are_a_failed_login_not_a_crash(client, username):
    client.raise_request_exception = False
    response = _attempt(client, username)
    assert response.status_code == 200  # the login form again, with an error
    assert "is-invalid" in response.content.decode() or WRONG in response.content.decode()
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_long_usernames_are_counted_under_their_first_150_characters(client):
    for n in range(11):
        response = _attempt(client, "x" * 200 + str(n), ip="10.0.7.1")
    assert response.status_code == 429
