"""The directory login against a real OpenLDAP ``slapd`` (tests/participants/ldap_server.py):
name, e-mail, role and department from the directory at each login; disabled or removed
people cannot log in and are deactivated at night; local accounts keep working; a
directory that is away costs directory users their login (with a clear message) and
nobody else anything."""

import contextlib
import json

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ImproperlyConfigured

from ideas.models import Idea
from participants.directory.config import parse_role_groups
from participants.directory.services import directory_accounts_check
from participants.models import Role
from roundtable.operations.health import health_check
from tests.factories import IdeaFactory, UserFactory

from .conftest import configure_directory
from .ldap_server import PASSWORD, PEOPLE, closed_port_uri, person_dn, person_entry

pytestmark = pytest.mark.django_db
User = get_user_model()


def _login(client, username, password=PASSWORD):
    return client.post("/accounts/login/", {"username": username, "password": password})


def _logged_in_as(client) -> str | None:
    response = client.get("/")
    return response.context["user"].get_username() if response.status_code == 200 else None


@pytest.fixture
def temporary_person(directory):
    """A person added for one test (and removed after it), to disable or delete."""
    uid = "zzeitweise"
    directory.add(person_entry(uid, "Zora", "Zeitweise", "Ordnungsamt", "32"))
    yield uid
    with contextlib.suppress(RuntimeError):  # the test removed it
        directory.delete(person_dn(uid, "Ordnungsamt"))


def test_staff_member_logs_in_with_the_directory_account(client, directory, kreis_departments):
    response = _login(client, "mschneider")
    assert response.status_code == 302, response.content.decode()[:2000]
    assert _logged_in_as(client) == "mschneider"
    user = User.objects.select_related("profile__department").get(username="mschneider")
    assert (user.first_name, user.last_name) == ("Mara", "Schneider")
    assert user.email == "mschneider@rhein-sieg-kreis.example"
    assert user.profile.role == Role.STAFF
    assert user.profile.department == kreis_departments["32"]
    assert user.profile.from_directory
    assert not user.has_usable_password()  # the directory's password only
    assert not user.is_staff and not user.is_superuser


@pytest.mark.parametrize(
    ("uid", "role"),
    [
        ("jweber", Role.MODERATOR),
        ("lmeyer", Role.MODERATOR),  # through a group inside rt-moderation
        ("hkraemer", Role.COMMITTEE),
        ("abecker", Role.ADMIN),
        ("kbraun", Role.STAFF),
    ],
)
def test_role_comes_from_the_directory_groups(client, directory, kreis_departments, uid, role):
    assert _login(client, uid).status_code == 302
    user = User.objects.select_related("profile").get(username=uid)
    assert user.profile.role == role
    assert user.is_superuser is (role == Role.ADMIN)
    # a name the portal does not know as a department: no department, not an error
    expected = kreis_departments.get(PEOPLE[uid][3])
    assert user.profile.department == expected


def test_each_login_takes_the_directory_as_it_is_now(client, directory, kreis_departments):
    assert _login(client, "kbraun").status_code == 302
    user = User.objects.get(username="kbraun")
    # changed in the portal by hand; the directory says otherwise
    user.profile.role = Role.ADMIN
    user.profile.department = kreis_departments["32"]
    user.profile.save()
    user.email = "falsch@example.org"
    user.save()
    directory.modify(
        f"dn: {person_dn('kbraun')}\nchangetype: modify\nreplace: mail\nmail: k.braun@rhein-sieg-kreis.example\n"
    )
    try:
        client.logout()
        assert _login(client, "kbraun").status_code == 302
    finally:
        directory.modify(
            f"dn: {person_dn('kbraun')}\nchangetype: modify\nreplace: mail\nmail: kbraun@rhein-sieg-kreis.example\n"
        )
    user = User.objects.select_related("profile").get(username="kbraun")
    assert user.email == "k.braun@rhein-sieg-kreis.example"
    assert user.profile.role == Role.STAFF
    assert user.profile.department == kreis_departments["40"]


def test_disabled_person_cannot_log_in(client, directory):
    response = _login(client, "tfischer")
    assert response.status_code == 200
    assert "Bitte Benutzername und Passwort eingeben" in response.content.decode()
    assert not User.objects.filter(username="tfischer").exists()


def test_wrong_directory_password_is_an_ordinary_failed_login(client, directory):
    response = _login(client, "mschneider", "falsch-falsch-falsch")
    content = response.content.decode()
    assert response.status_code == 200
    assert "Bitte Benutzername und Passwort eingeben" in content
    assert "nicht erreichbar" not in content


def test_local_accounts_keep_working_beside_the_directory(client, directory):
    local = UserFactory(username="eingeladen@caritas.example", role=Role.EXTERNAL)
    assert _login(client, local.username, "Ideenwerkstatt-2004!").status_code == 302
    assert _logged_in_as(client) == local.username


def test_a_local_account_of_someone_else_with_a_windows_name_is_not_taken_over(client, directory):
    """An invited member whose login name is a staff member's Windows name: the staff
    member's directory password does not open (or turn) the member's account."""
    local = UserFactory(username="mschneider", email="m.schneider@caritas.example")
    local.profile.role = Role.EXTERNAL
    local.profile.save()
    assert _login(client, "mschneider").status_code == 200  # refused, the form again
    assert _logged_in_as(client) is None
    local.refresh_from_db()
    assert local.has_usable_password() and not local.profile.from_directory
    assert local.profile.role == Role.EXTERNAL and local.email == "m.schneider@caritas.example"
    # the member's own password still works
    assert _login(client, "mschneider", "Ideenwerkstatt-2004!").status_code == 302


def test_a_former_local_account_of_the_same_person_becomes_a_directory_account(
    client, directory, kreis_departments
):
    local = UserFactory(username="kbraun", email="KBraun@rhein-sieg-kreis.example")
    assert _login(client, "kbraun").status_code == 302
    local.refresh_from_db()
    assert local.profile.from_directory and not local.has_usable_password()


def test_removed_person_cannot_log_in_and_is_deactivated_at_night(
    client, directory, temporary_person
):
    assert _login(client, temporary_person).status_code == 302
    user = User.objects.get(username=temporary_person)
    idea = IdeaFactory(author=user)
    client.logout()
    directory.delete(person_dn(temporary_person, "Ordnungsamt"))

    assert _login(client, temporary_person).status_code == 200  # refused
    result = directory_accounts_check()
    assert result["deactivated"] == 1
    user.refresh_from_db()
    assert not user.is_active
    assert user.profile.directory_deactivated_at is not None
    assert Idea.objects.filter(pk=idea.pk, author=user).exists()  # the idea stays


def test_disabled_later_is_deactivated_at_night_and_welcome_back_when_enabled(
    client, directory, temporary_person
):
    assert _login(client, temporary_person).status_code == 302
    client.logout()
    others = list(User.objects.filter(is_active=True).values_list("username", flat=True))
    dn = person_dn(temporary_person, "Ordnungsamt")
    directory.modify(
        f"dn: {dn}\nchangetype: modify\nadd: pwdAccountLockedTime\npwdAccountLockedTime: 000001010000Z\n"
    )
    assert _login(client, temporary_person).status_code == 200
    assert directory_accounts_check()["deactivated"] == 1
    assert not User.objects.get(username=temporary_person).is_active
    still_active = set(User.objects.filter(is_active=True).values_list("username", flat=True))
    assert still_active == set(others) - {temporary_person}

    directory.modify(f"dn: {dn}\nchangetype: modify\ndelete: pwdAccountLockedTime\n")
    assert _login(client, temporary_person).status_code == 302
    user = User.objects.select_related("profile").get(username=temporary_person)
    assert user.is_active
    assert user.profile.directory_deactivated_at is None


def test_nightly_check_deactivates_nobody_when_the_directory_finds_nobody(
    client, directory, settings, kreis_departments
):
    for uid in ["mschneider", "kbraun", "jweber", "lmeyer", "abecker", "hkraemer"]:
        assert _login(client, uid).status_code == 302
        client.logout()
    # a search base that exists but holds no people: everybody would be "missing"
    configure_directory(
        settings, uri=directory.uri, user_search_base="ou=Gruppen,dc=rhein-sieg-kreis,dc=de"
    )
    result = directory_accounts_check()
    assert result["refused"] is True
    assert User.objects.filter(profile__from_directory=True, is_active=False).count() == 0


def test_nightly_check_is_off_without_a_directory(settings):
    settings.AUTH_LDAP_SERVER_URI = ""
    assert directory_accounts_check() == {"configured": False, "checked": 0, "deactivated": 0}


# --- the directory is away ---------------------------------------------------------------


@pytest.fixture
def directory_away(slapd, settings, kreis_departments):
    configure_directory(settings, uri=closed_port_uri())


def test_directory_away_local_accounts_still_log_in(client, directory_away):
    local = UserFactory(username="admin", role=Role.ADMIN)
    assert _login(client, local.username, "Ideenwerkstatt-2004!").status_code == 302


def test_directory_away_directory_user_gets_a_clear_message(client, directory_away):
    response = _login(client, "mschneider")
    content = response.content.decode()
    assert response.status_code == 200
    assert "das Verzeichnis der Kreisverwaltung ist nicht erreichbar" in content
    assert 'value="mschneider"' in content  # nothing typed is lost


def test_directory_away_nightly_check_deactivates_nobody(directory_away):
    UserFactory(username="mschneider").profile.__class__.objects.filter(
        user__username="mschneider"
    ).update(from_directory=True)
    import ldap

    with pytest.raises(ldap.SERVER_DOWN):
        directory_accounts_check()
    assert User.objects.get(username="mschneider").is_active


def test_health_reports_the_directory_as_degraded_without_failing(directory_away):
    state = health_check()
    assert state["directory"]["ok"] is False
    assert state["degraded"] == ["directory"]
    core = [state[part]["ok"] for part in ("database", "broker", "worker")]
    assert state["ok"] is all(core)  # the directory does not decide


def test_health_reports_a_reachable_directory(directory, db):
    state = health_check()
    assert state["directory"] == {"ok": True}
    assert state["degraded"] == []


def test_health_leaves_the_directory_out_when_none_is_configured(db, settings):
    settings.AUTH_LDAP_SERVER_URI = ""
    assert "directory" not in health_check()


@pytest.mark.worker
def test_healthz_answers_200_with_the_directory_away(client, worker, slapd, settings):
    configure_directory(settings, uri=closed_port_uri())
    response = client.get("/healthz")
    body = json.loads(response.content)
    assert response.status_code == 200, body
    assert body["ok"] is True
    assert body["directory"]["ok"] is False
    assert body["degraded"] == ["directory"]


# --- configuration --------------------------------------------------------------------------


def test_role_groups_are_parsed_with_the_equals_signs_of_their_dns():
    groups = parse_role_groups(
        "moderator=cn=rt-moderation,ou=Gruppen,dc=rhein-sieg-kreis,dc=de; admin=cn=rt-admin,dc=x"
    )
    assert groups == {
        "moderator": "cn=rt-moderation,ou=Gruppen,dc=rhein-sieg-kreis,dc=de",
        "admin": "cn=rt-admin,dc=x",
    }
    assert parse_role_groups("") == {}


@pytest.mark.parametrize("value", ["chef=cn=x,dc=y", "moderator", "moderator="])
def test_bad_role_groups_are_refused_at_start(value):
    with pytest.raises(ImproperlyConfigured):
        parse_role_groups(value)


def test_the_environment_variables_configure_the_directory(slapd):
    """``roundtable/settings.py`` reads the ``LDAP_*`` variables (a fresh process)."""
    import os
    import subprocess
    import sys

    from .ldap_server import BASE, GROUPS, ROLE_GROUPS, SERVICE_DN, SERVICE_PASSWORD, USER_FILTER

    script = (
        "import django, json; django.setup(); from django.conf import settings as s; "
        "from participants.directory.services import directory_health; "
        "print(json.dumps([s.AUTHENTICATION_BACKENDS[-1], s.AUTH_LDAP_USER_SEARCH.filterstr, "
        "s.DIRECTORY_ROLE_GROUPS, s.DIRECTORY_DEPARTMENT_ATTRIBUTE, directory_health()]))"
    )
    env = {
        **os.environ,
        "LDAP_SERVER_URI": slapd.uri,
        "LDAP_BIND_DN": SERVICE_DN,
        "LDAP_BIND_PASSWORD": SERVICE_PASSWORD,
        "LDAP_USER_SEARCH_BASE": BASE,
        "LDAP_USER_FILTER": USER_FILTER,
        "LDAP_GROUP_SEARCH_BASE": GROUPS,
        "LDAP_ROLE_GROUPS": ROLE_GROUPS,
    }
    out = subprocess.run(
        [sys.executable, "-c", script], env=env, capture_output=True, text=True, timeout=60
    )
    assert out.returncode == 0, out.stderr
    backend, user_filter, groups, attribute, health = json.loads(
        out.stdout.strip().splitlines()[-1]
    )
    assert backend == "participants.directory.backend.DirectoryBackend"
    assert user_filter == USER_FILTER
    assert groups == parse_role_groups(ROLE_GROUPS)
    assert attribute == "departmentNumber"
    assert health == {"ok": True}

    env.pop("LDAP_SERVER_URI")
    script = "import django; django.setup(); from django.conf import settings as s; print(s.AUTHENTICATION_BACKENDS)"
    out = subprocess.run(
        [sys.executable, "-c", script], env=env, capture_output=True, text=True, timeout=60
    )
    assert "DirectoryBackend" not in out.stdout and out.returncode == 0
