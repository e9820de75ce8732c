"""Login lockout behind the shipped proxy (finding 4), through a real Caddy in front of
gunicorn, with clients on different loopback addresses (127.0.0.2, 127.0.0.3)."""

import shutil

import pytest

from participants.models import Role
from tests.factories import TEST_PASSWORD, UserFactory

from .harness import Browser, Caddy, Gunicorn

pytestmark = [
    pytest.mark.worker,
    pytest.mark.skipif(not shutil.which("caddy"), reason="caddy is not installed"),
]


@pytest.fixture
def proxied(deployment_env, tmp_path):
    web = Gunicorn(env={**deployment_env, "TRUSTED_PROXY_COUNT": "1"}, tmp=tmp_path)
    caddy = Caddy(upstream_port=web.port, tmp=tmp_path)
    yield caddy
    caddy.stop()
    web.stop()


def test_one_client_cannot_lock_out_the_administrator_through_caddy(proxied):
    UserFactory(username="admin", role=Role.ADMIN)
    UserFactory(username="moderation", role=Role.MODERATOR)
    attacker = Browser(proxied.port, source="127.0.0.2")
    attacker.get("/accounts/login/")
    answers = []
    for n in range(11):  # eleven failures from one client with three usernames
        username = ["admin", "moderation", "niemand"][n % 3]
        answers.append(
            attacker.post("/accounts/login/", {"username": username, "password": "falsch"}).status
        )
    assert answers == [200] * 11, answers
    # that client typing the administrator's name wrong locks only itself out, also
    # when it forges an X-Forwarded-For for each attempt (the last entry is Caddy's) ...
    for n in range(11):
        attacker.headers["X-Forwarded-For"] = f"10.9.9.{n}"
        locked = attacker.post("/accounts/login/", {"username": "admin", "password": "falsch"})
    assert locked.status == 429
    # ... and the administrator, from their own computer, still logs in
    administrator = Browser(proxied.port, source="127.0.0.3")
    response = administrator.login("admin", TEST_PASSWORD)
    assert response.status == 302, response.body[-1500:]
    moderator = Browser(proxied.port, source="127.0.0.4")
    assert moderator.login("moderation", TEST_PASSWORD).status == 302
