"""People in real Chromium: an invited external member's whole journey (invite → e-mail →
accept by link → set password → submit an idea), the CSV import, the directory login,
the password reset and the departments' own answers. Every page: axe (WCAG 2.1 AA), no
CSP violation; forms are filled by keyboard where a person would."""

import re

import pytest
from django.core import mail

from ideas.models import Idea
from participants.models import DepartmentParticipation, Invitation, Role
from roundtable.demo.seed import seed_demo
from tests.conftest import assert_accessible, login

from .ldap_server import PASSWORD as DIRECTORY_PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "Runder-Tisch-Demo-2004"
NEW_PASSWORD = "Sprachcafé-am-Markt-2005"
LINK = re.compile(r"https?://\S+?(/beteiligte/einladung/\S+/)")
RESET_LINK = re.compile(r"https?://\S+?(/accounts/reset/\S+/)")


@pytest.fixture
def seeded(transactional_db, eager_celery, mailoutbox):
    """The demo world with the Ideenwerkstatt open today; tasks (e-mails) run inline in
    the live server, and the e-mails land in ``mail.outbox``."""
    seed_demo(password=PASSWORD, open_phase="ideenwerkstatt")
    mailoutbox.clear()  # the demo's own status e-mails


def _nav(page, name):
    page.get_by_role("navigation", name="Hauptnavigation").get_by_role("link", name=name).click()


def _logout(page):
    page.get_by_role("button", name="Abmelden").click()
    page.wait_for_url("**/accounts/login/**")


def test_invite_accept_set_password_and_submit_an_idea(page, live_server, seeded, csp_violations):
    login(page, live_server, "moderation", PASSWORD)
    _nav(page, "Einladungen")
    assert page.title() == "Einladungen – Runder Tisch Integration"
    assert_accessible(page)
    page.get_by_role("link", name="Person einladen").click()
    assert_accessible(page)
    page.get_by_label("Name").fill("Ayşe Demir")
    page.get_by_label("E-Mail-Adresse").fill("a.demir@caritas-rhein-sieg.example")
    page.get_by_label("Organisation oder Stadt/Gemeinde").select_option(
        label="Caritasverband Rhein-Sieg e. V."
    )
    page.get_by_label("Rolle").select_option(label="Externe Mitwirkende")
    page.get_by_role("button", name="Einladung senden").click()
    page.wait_for_url("**/beteiligte/einladungen/")
    status = page.get_by_role("status")
    assert "wird per E-Mail verschickt" in status.inner_text()
    assert page.get_by_role("row", name=re.compile("Ayşe Demir")).get_by_text("eingeladen").count()
    assert_accessible(page)

    # the e-mail; its link, opened while still logged in, asks to log out first
    [message] = mail.outbox
    assert message.to == ["a.demir@caritas-rhein-sieg.example"]
    path = LINK.search(message.body).group(1)
    page.goto(live_server.url + path)
    assert "Bitte melden Sie sich zuerst ab" in page.locator("main").inner_text()
    assert_accessible(page)
    page.get_by_role("main").get_by_role("button", name="Abmelden").click()
    page.wait_for_url(live_server.url + path)
    assert page.title() == "Einladung annehmen – Runder Tisch Integration"
    assert "a.demir@caritas-rhein-sieg.example" in page.locator("main").inner_text()
    assert_accessible(page)

    # by keyboard: the names are filled in, a weak password first
    page.get_by_label("Vorname").focus()
    assert page.get_by_label("Vorname").input_value() == "Ayşe"
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    page.keyboard.type("kurz")
    page.keyboard.press("Tab")
    page.keyboard.type("kurz")
    page.keyboard.press("Tab")
    page.keyboard.press("Space")  # the privacy checkbox
    page.keyboard.press("Enter")
    page.get_by_text("Dieses Passwort ist zu kurz.").wait_for()
    assert_accessible(page)  # with the error messages
    page.get_by_label(re.compile(r"^\s*Passwort\W*$")).fill(NEW_PASSWORD)
    page.get_by_label("Passwort wiederholen").fill(NEW_PASSWORD)
    checkbox = page.get_by_label("Ich habe die Datenschutzerklärung gelesen.")
    if not checkbox.is_checked():
        checkbox.check()
    page.get_by_role("button", name="Passwort festlegen und anmelden").click()
    page.wait_for_url(f"{live_server.url}/")
    assert "Willkommen beim Runden Tisch Integration!" in page.get_by_role("status").inner_text()
    assert "Externe Mitwirkende" in page.locator(".portal-user").inner_text()
    navigation = page.get_by_role("navigation", name="Hauptnavigation")
    assert navigation.get_by_role("link", name="Abstimmung").count() == 0  # internal
    assert navigation.get_by_role("link", name="Einladungen").count() == 0
    assert_accessible(page)

    # the external member submits an idea for their organisation
    _nav(page, "Idee einreichen")
    page.get_by_label("Titel").fill("Sprachcafé im Familienzentrum Troisdorf")
    page.get_by_label("Beschreibung").fill("Ehrenamtliche der Caritas bieten jeden Dienstag an.")
    page.get_by_label("Handlungsfeld").select_option(label="Sprache")
    page.get_by_role("button", name="Idee einreichen").click()
    page.wait_for_url(re.compile(r"/ideen/\d+/\?eingereicht=1$"))
    idea = Idea.objects.get(title="Sprachcafé im Familienzentrum Troisdorf")
    assert idea.author.profile.role == Role.EXTERNAL
    assert idea.organisation.name == "Caritasverband Rhein-Sieg e. V."
    assert_accessible(page)

    # the link is used up
    _logout(page)
    page.goto(live_server.url + path)
    assert "Diese Einladung wurde bereits angenommen." in page.get_by_role("alert").inner_text()
    assert_accessible(page)
    assert Invitation.objects.get().status == Invitation.Status.ACCEPTED
    assert csp_violations == []


def test_csv_import_preview_correct_and_send(page, live_server, seeded, csp_violations):
    login(page, live_server, "moderation", PASSWORD)
    page.goto(f"{live_server.url}/beteiligte/einladungen/csv/")
    assert_accessible(page)
    lines = page.get_by_label("Oder die Zeilen hier einfügen bzw. korrigieren")
    lines.fill(
        "Name;E-Mail;Organisation;Rolle\n"
        "Peter Lange;integration@troisdorf.example;Troisdorf;external\n"
        "Jana Ost;j.ost@example.org;Verein Gibtsnicht;external\n"
    )
    page.get_by_role("button", name="Prüfen (Vorschau)").click()
    page.get_by_text("1 Zeile kann so nicht eingeladen werden").wait_for()
    assert page.get_by_text("„Verein Gibtsnicht“ ist weder eine Organisation").count() == 1
    assert page.get_by_role("button", name=re.compile("Einladungen? senden")).count() == 0
    assert_accessible(page)
    # correct the line where it is and check again
    lines.fill(lines.input_value().replace("Verein Gibtsnicht", "Lohmar"))
    page.get_by_role("button", name="Erneut prüfen").click()
    page.get_by_text("2 Einladungen sind bereit").wait_for()
    assert_accessible(page)
    assert not Invitation.objects.exists() and not mail.outbox
    page.get_by_role("button", name="2 Einladungen senden").click()
    page.wait_for_url("**/beteiligte/einladungen/")
    assert "2 Einladungen werden per E-Mail verschickt." in page.get_by_role("status").inner_text()
    assert Invitation.objects.count() == 2 and len(mail.outbox) == 2
    assert csp_violations == []


def test_password_reset_pages(page, live_server, seeded, csp_violations):
    page.goto(f"{live_server.url}/accounts/login/")
    assert_accessible(page)
    page.get_by_role("link", name="Passwort vergessen?").click()
    assert page.title() == "Passwort zurücksetzen – Runder Tisch Integration"
    assert_accessible(page)
    page.get_by_label("E-Mail-Adresse").fill("extern@rhein-sieg-kreis.example")
    page.get_by_role("button", name="Link anfordern").click()
    page.get_by_role("heading", name="E-Mail unterwegs").wait_for()
    assert_accessible(page)
    [message] = mail.outbox
    path = RESET_LINK.search(message.body).group(1)
    page.goto(live_server.url + path)
    page.get_by_role("heading", name="Neues Passwort festlegen").wait_for()
    assert_accessible(page)
    page.get_by_label(re.compile(r"^\s*Neues Passwort\W*$")).fill(NEW_PASSWORD)
    page.get_by_label("Neues Passwort bestätigen").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Passwort speichern").click()
    page.get_by_role("heading", name="Passwort gespeichert").wait_for()
    assert_accessible(page)
    page.goto(live_server.url + path)  # used
    page.get_by_role("heading", name="Link ungültig").wait_for()
    assert_accessible(page)
    login(page, live_server, "extern", NEW_PASSWORD)
    assert csp_violations == []


def test_contact_person_answers_for_the_department_by_keyboard(
    page, live_server, seeded, csp_violations
):
    from django.contrib.auth import get_user_model

    schulamt = DepartmentParticipation.objects.get(department__name="Schulamt")
    schulamt.contacts.add(get_user_model().objects.get(username="mitarbeiter"))
    login(page, live_server, "mitarbeiter", PASSWORD)
    link = page.get_by_role("link", name=re.compile("Für „40 Schulamt“ die Beteiligung"))
    link.focus()
    page.keyboard.press("Enter")
    page.wait_for_url(f"**/beteiligte/abstimmung/{schulamt.pk}/antworten/")
    assert_accessible(page)
    page.get_by_label("Wir beteiligen uns (zusagen)").focus()
    page.keyboard.press("Space")
    page.keyboard.press("Tab")
    page.keyboard.type("Herr Braun kümmert sich.")
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    page.wait_for_url("**/beteiligte/abstimmung/")
    assert "beteiligt sich" in page.get_by_role("status").inner_text()
    assert_accessible(page)
    _logout(page)
    schulamt.refresh_from_db()
    assert (schulamt.status, schulamt.note) == ("confirmed", "Herr Braun kümmert sich.")

    login(page, live_server, "moderation", PASSWORD)
    _nav(page, "Abstimmung")
    row = page.get_by_role("row", name=re.compile("40 Schulamt"))
    assert "Herr Braun kümmert sich." in row.inner_text()
    assert page.get_by_role("button", name=re.compile(r"^Anfragen\s*: 51 Jugendamt")).count() == 1
    assert_accessible(page)
    page.get_by_role("button", name=re.compile(r"^Anfragen\s*: 51 Jugendamt")).click()
    page.get_by_role("status").filter(has_text="Ansprechperson").wait_for()  # none named yet
    page.get_by_role("link", name=re.compile(r"^Bearbeiten\s*: 51 Jugendamt")).click()
    page.get_by_role("heading", name="Anfragen per E-Mail").wait_for()
    assert_accessible(page)
    assert csp_violations == []


def test_directory_login_in_the_browser(
    page, live_server, directory, kreis_departments, csp_violations
):
    login(page, live_server, "mschneider", DIRECTORY_PASSWORD)
    assert "Mara Schneider · Mitarbeitende" in page.locator(".portal-user").inner_text()
    assert page.get_by_role("link", name="Passwort ändern").count() == 0  # the directory's
    assert_accessible(page)
    assert csp_violations == []


def test_directory_away_login_page_says_so(page, live_server, slapd, settings, db, csp_violations):
    from .conftest import configure_directory
    from .ldap_server import closed_port_uri

    configure_directory(settings, uri=closed_port_uri())
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Benutzername").fill("mschneider")
    page.get_by_label("Passwort").fill(DIRECTORY_PASSWORD)
    page.get_by_role("button", name="Anmelden").click()
    page.get_by_text("das Verzeichnis der Kreisverwaltung ist nicht erreichbar").wait_for()
    assert page.get_by_label("Benutzername").input_value() == "mschneider"
    assert_accessible(page)
    assert csp_violations == []
