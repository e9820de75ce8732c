"""Invitations of people outside the administration: from the moderator's form to the
person's first login, the link's whole life (expired, resent, revoked, used), and the
CSV import (a preview with a message per bad row, all or nothing)."""

import datetime
import re

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from freezegun import freeze_time

from participants import invitations
from participants.invitations import InvitationData
from participants.models import Invitation, Role
from tests.factories import MunicipalityFactory, OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db
User = get_user_model()
LINK = re.compile(r"https?://\S+/beteiligte/einladung/\S+/")
NEW_PASSWORD = "Sprachcafé-am-Markt-2005"


@pytest.fixture
def caritas(db):
    return OrganisationFactory(name="Caritasverband Rhein-Sieg e. V.")


@pytest.fixture
def troisdorf(db):
    return MunicipalityFactory(name="Troisdorf")


def _invite(by, *, email="a.demir@caritas.example", name="Ayşe Demir", role=Role.EXTERNAL, **kw):
    return invitations.invitation_create(
        by=by, data=InvitationData(name=name, email=email, role=role, **kw)
    )


def _link_in(message) -> str:
    found = LINK.search(message.body)
    assert found, message.body
    return found.group(0)


def _path(url: str) -> str:
    return "/" + url.split("/", 3)[3]


# --- inviting ----------------------------------------------------------------------------


def test_moderator_invites_and_the_email_carries_an_absolute_single_use_link(
    client,
    moderator,
    caritas,
    mailoutbox,
    eager_celery,
    django_capture_on_commit_callbacks,
    settings,
):
    settings.PORTAL_BASE_URL = "https://runder-tisch.rhein-sieg-kreis.example"
    client.force_login(moderator)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/beteiligte/einladungen/neu/",
            {
                "name": "Ayşe Demir",
                "email": "a.demir@caritas.example",
                "affiliation": f"o{caritas.pk}",
                "role": Role.EXTERNAL,
            },
        )
    assert response.status_code == 302
    invitation = Invitation.objects.get()
    assert (invitation.role, invitation.organisation, invitation.invited_by) == (
        Role.EXTERNAL,
        caritas,
        moderator,
    )
    assert invitation.status == Invitation.Status.PENDING
    assert invitation.expires_at - invitation.created == datetime.timedelta(days=14)
    [mail] = mailoutbox
    assert mail.to == ["a.demir@caritas.example"]
    assert mail.subject == "Einladung zum Portal des Runden Tisches Integration"
    assert "Guten Tag Ayşe Demir" in mail.body
    assert "„Caritasverband Rhein-Sieg e. V.“" in mail.body
    assert _link_in(mail).startswith("https://runder-tisch.rhein-sieg-kreis.example/beteiligte/")
    assert "https://runder-tisch.rhein-sieg-kreis.example/datenschutz/" in mail.body
    assert not mail.alternatives  # plain text
    invitation.refresh_from_db()
    assert invitation.mailed_at is not None


def test_the_send_task_running_twice_sends_one_email(moderator, caritas, mailoutbox):
    invitation = _invite(moderator, organisation=caritas)
    assert invitations.invitation_send(invitation_id=invitation.pk, nonce=invitation.nonce)
    assert not invitations.invitation_send(invitation_id=invitation.pk, nonce=invitation.nonce)
    assert len(mailoutbox) == 1


def test_a_resend_before_the_first_email_went_out_sends_only_the_new_link(
    moderator, caritas, mailoutbox
):
    invitation = _invite(moderator, organisation=caritas)
    first_nonce = invitation.nonce
    invitation = invitations.invitation_resend(invitation=invitation, by=moderator)
    assert not invitations.invitation_send(invitation_id=invitation.pk, nonce=first_nonce)
    assert invitations.invitation_send(invitation_id=invitation.pk, nonce=invitation.nonce)
    assert len(mailoutbox) == 1


def test_moderation_invites_external_members_and_committee_members_only(moderator, caritas):
    assert invitations.invitable_roles(moderator) == [Role.EXTERNAL, Role.COMMITTEE]
    with pytest.raises(ValidationError, match="nur in diese Rollen"):
        _invite(moderator, role=Role.ADMIN)
    _invite(moderator, email="h.kraemer@kreistag.example", role=Role.COMMITTEE)


def test_the_form_offers_only_the_roles_one_may_give(client, moderator, administrator):
    client.force_login(moderator)
    content = client.get("/beteiligte/einladungen/neu/").content.decode()
    assert 'value="committee"' in content and 'value="admin"' not in content
    client.force_login(administrator)
    assert 'value="admin"' in client.get("/beteiligte/einladungen/neu/").content.decode()


def test_staff_and_external_members_cannot_invite(role_users):
    for role in ("staff", "committee", "external"):
        with pytest.raises(PermissionDenied):
            _invite(role_users[role], email=f"{role}@example.org", role=Role.EXTERNAL)


def test_an_external_member_belongs_to_an_organisation_or_municipality(client, moderator, caritas):
    client.force_login(moderator)
    response = client.post(
        "/beteiligte/einladungen/neu/",
        {"name": "Ohne Zuordnung", "email": "ohne@example.org", "role": Role.EXTERNAL},
    )
    content = response.content.decode()
    assert response.status_code == 200
    assert "Externe Mitwirkende gehören zu einer Organisation oder einer Stadt/Gemeinde." in content
    assert 'value="ohne@example.org"' in content  # nothing typed is lost
    assert not Invitation.objects.exists()


def test_an_address_with_an_account_or_an_open_invitation_is_refused(moderator, caritas):
    UserFactory(username="mara", email="m.schneider@rhein-sieg-kreis.example")
    with pytest.raises(ValidationError, match="gibt es schon ein Konto"):
        _invite(moderator, email="M.Schneider@rhein-sieg-kreis.example", organisation=caritas)
    _invite(moderator, organisation=caritas)
    with pytest.raises(ValidationError, match="noch offen"):
        _invite(moderator, email="A.Demir@Caritas.example", organisation=caritas)


def test_a_tampered_choice_is_a_form_error_not_a_500(client, moderator):
    client.force_login(moderator)
    for value in ["o99999999999999999999999", "x1", "m987654321"]:
        response = client.post(
            "/beteiligte/einladungen/neu/",
            {"name": "X", "email": "x@example.org", "role": Role.EXTERNAL, "affiliation": value},
        )
        assert response.status_code == 200
        assert "Bitte eine gültige Auswahl treffen" in response.content.decode()


# --- accepting --------------------------------------------------------------------------------


def _accept_url(invitation) -> str:
    return f"/beteiligte/einladung/{invitations.invitation_token(invitation=invitation)}/"


def _accept_data(**overrides):
    return {
        "first_name": "Ayşe",
        "last_name": "Demir",
        "password1": NEW_PASSWORD,
        "password2": NEW_PASSWORD,
        "privacy": "on",
        **overrides,
    }


def test_accepting_sets_the_password_confirms_privacy_and_logs_in(client, moderator, caritas):
    invitation = _invite(moderator, organisation=caritas)
    url = _accept_url(invitation)
    page = client.get(url)
    assert page.status_code == 200
    assert "a.demir@caritas.example" in page.content.decode()

    response = client.post(url, _accept_data())
    assert response.status_code == 302 and response["Location"] == "/"
    user = User.objects.select_related("profile").get(username="a.demir@caritas.example")
    assert client.get("/").context["user"] == user
    assert user.check_password(NEW_PASSWORD)
    assert (user.first_name, user.last_name, user.email) == (
        "Ayşe",
        "Demir",
        "a.demir@caritas.example",
    )
    assert (user.profile.role, user.profile.organisation) == (Role.EXTERNAL, caritas)
    invitation.refresh_from_db()
    assert invitation.status == Invitation.Status.ACCEPTED
    assert invitation.accepted_user == user and invitation.privacy_accepted_at is not None

    client.logout()
    again = client.get(url)
    assert again.status_code == 410
    assert "Diese Einladung wurde bereits angenommen." in again.content.decode()
    assert client.post(url, _accept_data()).status_code == 410
    assert User.objects.filter(email__iexact="a.demir@caritas.example").count() == 1
    # and the password works at the login page
    login = client.post(
        "/accounts/login/", {"username": "a.demir@caritas.example", "password": NEW_PASSWORD}
    )
    assert login.status_code == 302


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"password1": "kurz", "password2": "kurz"}, "Dieses Passwort ist zu kurz."),
        (
            {"password1": "12345678901234", "password2": "12345678901234"},
            "Dieses Passwort ist komplett numerisch.",
        ),
        ({"password2": "etwas-ganz-anderes-2005"}, "Die beiden Passwörter stimmen nicht überein."),
        ({"privacy": ""}, "Bitte bestätigen Sie, dass Sie die Datenschutzerklärung gelesen haben."),
    ],
)
def test_a_weak_password_or_missing_consent_says_why_and_keeps_the_names(
    client, moderator, caritas, data, message
):
    invitation = _invite(moderator, organisation=caritas)
    response = client.post(_accept_url(invitation), _accept_data(first_name="Ayşe Gül", **data))
    content = response.content.decode()
    assert response.status_code == 200
    assert message in content
    assert 'value="Ayşe Gül"' in content
    assert not User.objects.filter(username="a.demir@caritas.example").exists()


def test_an_expired_link_says_so_and_a_resent_one_works(client, moderator, caritas, mailoutbox):
    with freeze_time("2004-10-01 09:00:00+02:00"):
        invitation = _invite(moderator, organisation=caritas)
        old_url = _accept_url(invitation)
    with freeze_time("2004-10-15 09:01:00+02:00"):
        response = client.get(old_url)
        assert response.status_code == 410
        assert "Dieser Einladungslink ist abgelaufen." in response.content.decode()
        assert Invitation.objects.expired().get() == invitation
        invitation = invitations.invitation_resend(invitation=invitation, by=moderator)
        new_url = _accept_url(invitation)
        replaced = client.get(old_url)
        assert replaced.status_code == 410
        assert "inzwischen ein neuer Link verschickt" in replaced.content.decode()
        assert client.get(new_url).status_code == 200
        assert invitation.send_count == 2


def test_a_revoked_link_says_so(client, moderator, caritas):
    invitation = _invite(moderator, organisation=caritas)
    url = _accept_url(invitation)
    invitations.invitation_revoke(invitation=invitation, by=moderator)
    response = client.get(url)
    assert response.status_code == 410
    assert "Diese Einladung wurde zurückgezogen." in response.content.decode()
    with pytest.raises(ValidationError):
        invitations.invitation_resend(invitation=invitation, by=moderator)


@pytest.mark.parametrize("token", ["gibt-es-nicht", "1.abc:1tXyZ:falsch", "9" * 40])
def test_a_broken_link_says_so(client, token):
    response = client.get(f"/beteiligte/einladung/{token}/")
    assert response.status_code == 404
    assert "Dieser Einladungslink ist ungültig." in response.content.decode()


def test_a_logged_in_person_is_asked_to_log_out_first(client, staff_user, moderator, caritas):
    invitation = _invite(moderator, organisation=caritas)
    client.force_login(staff_user)
    response = client.get(_accept_url(invitation))
    assert "Bitte melden Sie sich zuerst ab" in response.content.decode()
    assert client.post(_accept_url(invitation), _accept_data()).status_code == 200
    assert not User.objects.filter(username="a.demir@caritas.example").exists()


# --- the moderators' list ------------------------------------------------------------------------


def test_the_list_shows_invited_accepted_expired_and_revoked(client, moderator, caritas, troisdorf):
    with freeze_time(timezone.now() - datetime.timedelta(days=20)):
        _invite(moderator, email="alt@example.org", name="Alte Einladung", organisation=caritas)
    _invite(moderator, email="offen@example.org", name="Offene Einladung", municipality=troisdorf)
    revoked = _invite(
        moderator, email="weg@example.org", name="Zurückgezogen", organisation=caritas
    )
    invitations.invitation_revoke(invitation=revoked, by=moderator)
    accepted = _invite(moderator, email="da@example.org", name="Angenommen", organisation=caritas)
    invitations.invitation_accept(
        token=invitations.invitation_token(invitation=accepted),
        first_name="An",
        last_name="Genommen",
        password=NEW_PASSWORD,
    )
    client.force_login(moderator)
    content = client.get("/beteiligte/einladungen/").content.decode()
    for text in ["eingeladen (1)", "angenommen (1)", "abgelaufen (1)", "zurückgezogen (1)"]:
        assert text in content
    assert content.count("Erneut senden") == 2  # the open one and the expired one
    expired = client.get("/beteiligte/einladungen/?status=expired").content.decode()
    assert "Alte Einladung" in expired and "Offene Einladung" not in expired
    found = client.get("/beteiligte/einladungen/?q=troisdorf").content.decode()
    assert "Offene Einladung" in found and "Alte Einladung" not in found


def test_the_list_needs_the_same_queries_for_many_invitations(
    client, moderator, caritas, django_assert_num_queries
):
    client.force_login(moderator)
    _invite(moderator, email="eins@example.org", organisation=caritas)
    with CaptureQueriesContext(connection) as small:
        client.get("/beteiligte/einladungen/")
    for n in range(15):
        _invite(moderator, email=f"person{n}@example.org", organisation=caritas)
    with django_assert_num_queries(len(small.captured_queries)):
        assert client.get("/beteiligte/einladungen/").status_code == 200


def test_resend_and_revoke_from_the_list(
    client, moderator, caritas, mailoutbox, eager_celery, django_capture_on_commit_callbacks
):
    invitation = _invite(moderator, organisation=caritas)
    client.force_login(moderator)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/beteiligte/einladungen/{invitation.pk}/erneut/", follow=True)
    assert "der alte Link gilt nicht mehr" in response.content.decode()
    assert len(mailoutbox) == 1
    response = client.post(f"/beteiligte/einladungen/{invitation.pk}/zurueckziehen/", follow=True)
    assert "wurde zurückgezogen" in response.content.decode()
    response = client.post(f"/beteiligte/einladungen/{invitation.pk}/zurueckziehen/", follow=True)
    assert "kann nicht zurückgezogen werden" in response.content.decode()


def test_old_invitations_without_an_account_are_purged(moderator, caritas):
    with freeze_time(timezone.now() - datetime.timedelta(days=120)):
        _invite(moderator, email="alt@example.org", organisation=caritas)
        revoked = _invite(moderator, email="weg@example.org", organisation=caritas)
        invitations.invitation_revoke(invitation=revoked, by=moderator)
    _invite(moderator, email="neu@example.org", organisation=caritas)
    assert invitations.invitation_purge(days=90) == 2
    assert list(Invitation.objects.values_list("email", flat=True)) == ["neu@example.org"]


# --- the CSV import ---------------------------------------------------------------------------------

GOOD_CSV = (
    "Name;E-Mail;Organisation;Rolle\n"
    "Ayşe Demir;a.demir@caritas.example;Caritasverband Rhein-Sieg e. V.;external\n"
    "Peter Lange;integration@troisdorf.example;Troisdorf;Externe Mitwirkende\n"
    "Helga Krämer;h.kraemer@kreistag.example;;committee\n"
)


def test_csv_preview_sends_nothing_and_confirming_invites_everyone(
    client,
    moderator,
    caritas,
    troisdorf,
    mailoutbox,
    eager_celery,
    django_capture_on_commit_callbacks,
):
    client.force_login(moderator)
    preview = client.post("/beteiligte/einladungen/csv/", {"text": GOOD_CSV, "action": "preview"})
    content = preview.content.decode()
    assert "3 Einladungen sind bereit" in content
    assert "3 Einladungen senden" in content
    assert not Invitation.objects.exists() and not mailoutbox

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/beteiligte/einladungen/csv/", {"text": GOOD_CSV, "action": "send"})
    assert response.status_code == 302
    invited = {i.email: i for i in Invitation.objects.all()}
    assert invited["a.demir@caritas.example"].organisation == caritas
    assert invited["integration@troisdorf.example"].municipality == troisdorf
    assert invited["h.kraemer@kreistag.example"].role == Role.COMMITTEE
    assert sorted(m.to[0] for m in mailoutbox) == sorted(invited)


def test_csv_preview_says_what_is_wrong_with_each_bad_row(client, moderator, caritas, troisdorf):
    UserFactory(username="vorhanden", email="vorhanden@example.org")
    text = (
        "Ayşe Demir;a.demir@caritas.example;Caritasverband Rhein-Sieg e. V.;external\n"
        "Kein Verein;k@example.org;Verein, den es nicht gibt;external\n"
        "Falsche Adresse;keine-adresse;Troisdorf;external\n"
        "Doppelt;A.Demir@caritas.example;Troisdorf;external\n"
        "Schon da;vorhanden@example.org;Troisdorf;external\n"
        "Zu wenig;nur@zwei.example\n"
        "Chefin;chefin@example.org;Troisdorf;Administration\n"
        "Unbekannt;u@example.org;Troisdorf;Bürgermeisterin\n"
    )
    client.force_login(moderator)
    content = client.post(
        "/beteiligte/einladungen/csv/", {"text": text, "action": "preview"}
    ).content.decode()
    for message in [
        "„Verein, den es nicht gibt“ ist weder eine Organisation noch eine Stadt oder Gemeinde",
        "„keine-adresse“ ist keine gültige E-Mail-Adresse.",
        "Die Adresse steht schon in Zeile 1.",
        "Für diese E-Mail-Adresse gibt es schon ein Konto im Portal.",
        "Die Zeile hat 2 Spalten, erwartet werden 4",
        "Sie können nur in diese Rollen einladen",
        "Unbekannte Rolle „Bürgermeisterin“",
        "7 Zeilen können so nicht eingeladen werden",
    ]:
        assert message in content, message
    assert "Einladungen senden" not in content
    assert "Verein, den es nicht gibt;external" in content  # the lines stay to be corrected
    # sending anyway (a crafted request) invites nobody
    response = client.post("/beteiligte/einladungen/csv/", {"text": text, "action": "send"})
    assert "Es wurde niemand eingeladen" in response.content.decode()
    assert not Invitation.objects.exists()


def test_csv_all_or_nothing_when_a_row_went_bad_after_the_preview(
    client,
    moderator,
    caritas,
    troisdorf,
    mailoutbox,
    eager_celery,
    django_capture_on_commit_callbacks,
):
    client.force_login(moderator)
    client.post("/beteiligte/einladungen/csv/", {"text": GOOD_CSV, "action": "preview"})
    _invite(moderator, email="integration@troisdorf.example", municipality=troisdorf)  # meanwhile
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/beteiligte/einladungen/csv/", {"text": GOOD_CSV, "action": "send"})
    content = response.content.decode()
    assert "Es wurde niemand eingeladen" in content
    assert "An diese Adresse ging schon am" in content
    assert Invitation.objects.count() == 1 and not mailoutbox


def test_csv_from_excel_file_in_windows_1252_with_commas(client, moderator, caritas):
    from django.core.files.uploadedfile import SimpleUploadedFile

    raw = "Jürgen Weiß,j.weiss@caritas.example,Caritasverband Rhein-Sieg e. V.,,\r\n".encode(
        "cp1252"
    )
    client.force_login(moderator)
    response = client.post(
        "/beteiligte/einladungen/csv/",
        {"file": SimpleUploadedFile("liste.csv", raw, "text/csv"), "action": "preview"},
    )
    content = response.content.decode()
    assert "Jürgen Weiß" in content
    assert "1 Einladung ist bereit" in content  # empty role: an external member
    assert "Jürgen Weiß,j.weiss@caritas.example" in content  # the file's lines, to correct


def test_csv_that_is_empty_or_too_long_says_so(client, moderator):
    client.force_login(moderator)
    response = client.post("/beteiligte/einladungen/csv/", {"text": "  ", "action": "preview"})
    assert "Bitte wählen Sie eine CSV-Datei oder fügen Sie Zeilen ein." in response.content.decode()
    text = "".join(f"P {n};p{n}@example.org;Troisdorf;external\n" for n in range(501))
    response = client.post("/beteiligte/einladungen/csv/", {"text": text, "action": "preview"})
    assert "Höchstens 500 Einladungen auf einmal" in response.content.decode()
