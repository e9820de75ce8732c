"""Deny by default: every URL of the portal needs a login, except a short list."""

import re

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from participants.models import DepartmentParticipation
from tests.factories import ParticipationFactory, UserFactory

#: URL names reachable without login; everything else must redirect to the login page.
OPEN_URLS = {
    "privacy_statement",
    "imprint",
    "accessibility_statement",
    "login",
    "healthz",
    "set_language",
    "password_reset",
    "password_reset_done",
    "password_reset_confirm",
    "password_reset_complete",
    "logout",
    "invitation_accept",  # the link in the invitation e-mail: the person has no account yet
    "calendar_feed",  # the subscription address is the key: calendar programs send no login
}


def iter_patterns(resolver=None, prefix="", namespace=""):
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            ns = entry.namespace or namespace
            yield from iter_patterns(entry, prefix + str(entry.pattern), ns)
        elif isinstance(entry, URLPattern):
            yield prefix + str(entry.pattern), namespace, entry.name


def concrete_path(route: str) -> str:
    """Turns a route into a requestable path (parameters get plausible values)."""
    route = route.lstrip("^").rstrip("$").replace("\\Z", "").replace("\\/", "/")
    route = re.sub(r"<uuid:\w+>", "00000000-0000-0000-0000-000000000000", route)
    route = re.sub(r"<int:\w+>", "1", route)
    route = re.sub(r"<(?:slug|str|path):?\w*>", "x", route)
    route = re.sub(r"\(\?P<\w+>[^)]*\)", "1", route)  # admin regex routes
    return "/" + route


PORTAL_URLS = [
    (route, ns, name)
    for route, ns, name in iter_patterns()
    if not route.startswith("admin/") and name not in OPEN_URLS
]


@pytest.mark.django_db
@pytest.mark.parametrize(("route", "ns", "name"), PORTAL_URLS)
def test_anonymous_is_sent_to_login(client, route, ns, name):
    path = concrete_path(route)
    response = client.get(path)
    assert response.status_code == 302, f"{path} ({ns}:{name}) answered {response.status_code}"
    assert response["Location"].startswith("/accounts/login/"), path


@pytest.mark.django_db
def test_admin_is_closed_to_anonymous(client):
    response = client.get("/admin/")
    assert response.status_code == 302
    assert "/login/" in response["Location"]


@pytest.mark.django_db
def test_account_without_role_sees_nothing(client):
    user = UserFactory(role="")
    client.force_login(user)
    assert client.get("/").status_code == 403
    assert client.get("/zeitraster/").status_code == 403


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("role", "home", "coordination", "edit", "admin"),
    [
        ("staff", 200, 200, 403, 302),
        ("moderator", 200, 200, 200, 302),
        ("committee", 200, 200, 403, 302),
        ("admin", 200, 200, 200, 200),
    ],
)
def test_foundation_pages_per_role(client, role_users, role, home, coordination, edit, admin):
    participation = ParticipationFactory()
    client.force_login(role_users[role])
    assert client.get("/").status_code == home
    assert client.get("/zeitraster/").status_code == home
    assert client.get("/beteiligte/").status_code == coordination
    assert client.get("/beteiligte/abstimmung/").status_code == coordination
    url = f"/beteiligte/abstimmung/{participation.pk}/bearbeiten/"
    assert client.get(url).status_code == edit
    assert client.get("/admin/").status_code == admin
    assert DepartmentParticipation.objects.count() == 1


@pytest.mark.django_db
def test_external_member_sees_the_portal_but_nothing_internal(client, external_member):
    participation = ParticipationFactory()
    client.force_login(external_member)
    assert client.get("/").status_code == 200
    assert client.get("/zeitraster/").status_code == 200
    assert client.get("/beteiligte/").status_code == 200  # who takes part: no people
    assert client.get("/beteiligte/abstimmung/").status_code == 403
    assert client.get(f"/beteiligte/abstimmung/{participation.pk}/bearbeiten/").status_code == 403
    assert client.get("/admin/").status_code == 302
    home = client.get("/").content.decode()
    assert "/beteiligte/abstimmung/" not in home  # neither in the navigation nor the tasks


@pytest.mark.django_db
def test_login_and_logout(client, staff_user):
    from tests.factories import TEST_PASSWORD

    response = client.post(
        "/accounts/login/", {"username": "mitarbeiter", "password": TEST_PASSWORD}
    )
    assert response.status_code == 302
    assert client.get("/").status_code == 200
    response = client.post("/accounts/logout/")
    assert response.status_code == 302
    assert client.get("/").status_code == 302


@pytest.mark.django_db
def test_failed_login_gives_a_german_message_and_keeps_the_username(client, staff_user):
    response = client.post("/accounts/login/", {"username": "mitarbeiter", "password": "falsch"})
    assert response.status_code == 200
    content = response.content.decode()
    assert "Bitte Benutzername und Passwort eingeben" in content
    assert 'value="mitarbeiter"' in content


@pytest.mark.django_db
def test_pages_are_german_by_default_and_english_on_request(client, staff_user):
    client.force_login(staff_user)
    response = client.get("/zeitraster/")
    assert '<html lang="de">' in response.content.decode()
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/zeitraster/"})
    assert response.status_code == 302
    response = client.get("/zeitraster/")
    assert '<html lang="en">' in response.content.decode()
