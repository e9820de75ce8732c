"""In real Chromium: a staff member submits an idea, moderation answers with a status
change and public feedback, the staff member sees it in the bell and reads it; the
notification centre, the settings, follow buttons, invitations, answers and the
attendance list with the keyboard, each page without an axe violation."""

import re
import urllib.request
from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

from roundtable.demo.seed import seed_demo
from roundtable.notifications.models import DeliverySetting, Kind, Notification
from tests.conftest import assert_accessible, login
from workshops import services as workshop_services

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "Benachrichtigung-2004-Demo"
TITLE = "Sprachpatenschaften für Familien in Lohmar"
FEEDBACK = "Angenommen – die Volkshochschule sucht Patinnen und Paten für Lohmar."


@pytest.fixture
def seeded(transactional_db, settings, live_server):
    seed_demo(password=PASSWORD, open_phase="ideenwerkstatt")
    settings.PORTAL_BASE_URL = live_server.url


def _logout(page):
    page.get_by_role("button", name="Abmelden").click()
    page.wait_for_url("**/accounts/login/**")


def _bell(page, unread: int):
    name = f"Benachrichtigungen, {unread} ungelesen" if unread else "Benachrichtigungen"
    bell = page.get_by_role("link", name=name, exact=True)
    bell.wait_for()  # loaded by htmx after the page
    return bell


def _focused_text(page) -> str:
    return page.evaluate("document.activeElement && document.activeElement.textContent")


def test_feedback_on_my_idea_reaches_me_in_the_bell(page, live_server, seeded, csp_violations):
    staff = get_user_model().objects.get(username="mitarbeiter")
    Notification.objects.filter(recipient=staff).update(read_at=timezone.now())

    # the staff member submits an idea, and follows it by submitting it
    login(page, live_server, "mitarbeiter", PASSWORD)
    _bell(page, 0)
    page.get_by_role("navigation", name="Hauptnavigation").get_by_role(
        "link", name="Idee einreichen"
    ).click()
    page.get_by_label("Titel").fill(TITLE)
    page.get_by_label("Beschreibung").fill("Ehrenamtliche begleiten Familien beim Deutschlernen.")
    page.get_by_label("Handlungsfeld").select_option(label="Sprache")
    page.get_by_role("button", name="Idee einreichen").click()
    page.wait_for_url(re.compile(r"/ideen/\d+/\?eingereicht=1$"))
    idea_url = page.url.split("?")[0]
    assert page.get_by_role("button", name=re.compile("Sie folgen")).is_visible()
    _logout(page)

    # moderation changes the status with public feedback
    login(page, live_server, "moderation", PASSWORD)
    page.goto(idea_url)
    page.get_by_label("Neuer Status").select_option(label="angenommen")
    page.get_by_label(re.compile("Rückmeldung an die Verfasserin")).fill(FEEDBACK)
    page.get_by_role("button", name="Status ändern").click()
    page.get_by_role("status").filter(has_text="Der Status wurde geändert").wait_for()
    _logout(page)

    # the staff member sees it in the bell, on every page
    login(page, live_server, "mitarbeiter", PASSWORD)
    bell = _bell(page, 1)
    assert_accessible(page)
    page.goto(f"{live_server.url}/ideen/")  # a page from the page cache: the count is fresh
    _bell(page, 1)
    bell = _bell(page, 1)
    bell.focus()
    page.keyboard.press("Enter")
    page.wait_for_url("**/benachrichtigungen/")
    assert page.title() == "Benachrichtigungen – Runder Tisch Integration"
    item = page.locator(".notification").first
    assert f"Ihre Idee „{TITLE}“ hat jetzt den Status „angenommen“" in item.inner_text()
    assert FEEDBACK in item.inner_text()
    assert_accessible(page)

    # marked as read by keyboard: the bell and the count follow, focus stays in the list
    button = page.get_by_role("button", name=re.compile("^Als gelesen markieren"))
    button.focus()
    page.keyboard.press("Enter")
    page.get_by_role("status").filter(has_text="Als gelesen markiert.").wait_for()
    _bell(page, 0)
    assert TITLE in _focused_text(page)
    assert page.locator("#unread-summary").inner_text() == "Keine ungelesenen Benachrichtigungen."
    assert_accessible(page)

    # the message leads to the idea
    page.get_by_role("link", name=re.compile(re.escape(TITLE))).first.click()
    page.wait_for_url(idea_url)
    assert FEEDBACK in page.locator(".idea-feedback").inner_text()
    assert csp_violations == []


def test_settings_follow_and_calendar_by_keyboard(page, live_server, seeded, csp_violations):
    staff = get_user_model().objects.get(username="mitarbeiter")
    login(page, live_server, "mitarbeiter", PASSWORD)

    # follow someone else's idea with the keyboard
    page.goto(f"{live_server.url}/ideen/")
    page.get_by_role("link", name="Ausbildungspaten für Jugendliche aus Zuwandererfamilien").click()
    follow = page.get_by_role("button", name="Folgen", exact=True)
    follow.focus()
    page.keyboard.press("Enter")
    page.get_by_role("status").filter(has_text="Sie folgen jetzt").wait_for()
    assert "Sie folgen" in _focused_text(page)  # the same place, the new label
    assert_accessible(page)

    # settings: one choice per kind, by keyboard
    page.goto(f"{live_server.url}/benachrichtigungen/einstellungen/")
    assert page.title() == "Einstellungen für Benachrichtigungen – Runder Tisch Integration"
    assert_accessible(page)
    group = page.get_by_role("group", name="Kommentare und Antworten zu dem, dem ich folge")
    group.get_by_role("radio", name="nur im Portal").focus()
    page.keyboard.press("Space")
    page.get_by_role("button", name="Einstellungen speichern").focus()
    page.keyboard.press("Enter")
    page.get_by_role("status").filter(has_text="Ihre Einstellungen wurden gespeichert.").wait_for()
    assert DeliverySetting.objects.get(user=staff, kind=Kind.COMMENT).delivery == "portal"
    assert page.get_by_role(
        "link", name="Ausbildungspaten für Jugendliche aus Zuwandererfamilien"
    ).is_visible()

    # a calendar subscription: its address answers a calendar program without login
    page.get_by_role("button", name="Kalender-Abo einrichten").click()
    address = page.get_by_label("Adresse Ihres Kalender-Abos")
    address.wait_for()
    assert_accessible(page)
    feed_url = address.input_value()
    assert feed_url.startswith(live_server.url) and feed_url.endswith(".ics")
    with urllib.request.urlopen(feed_url) as response:  # noqa: S310 - the test's own server
        assert response.headers["Content-Type"] == "text/calendar; charset=utf-8"
        body = response.read().decode()
    assert "BEGIN:VCALENDAR" in body and "Sitzung: " in body
    assert csp_violations == []


def test_invitation_answer_and_attendance_list(page, live_server, seeded, csp_violations):
    users = {u.username: u for u in get_user_model().objects.all()}
    starts = (timezone.now() + timedelta(days=10)).replace(hour=10, minute=0, second=0)
    workshop = workshop_services.workshop_create(
        title="Workshop Sprache und Begegnung",
        starts_at=starts,
        ends_at=starts + timedelta(hours=4),
        place="Kreishaus Siegburg, Sitzungssaal",
        participants=[users["mitarbeiter"], users["ausschuss"]],
        by=users["moderation"],
    )

    # the invited staff member hears of it and says yes, by keyboard
    login(page, live_server, "mitarbeiter", PASSWORD)
    page.goto(f"{live_server.url}/benachrichtigungen/")
    page.get_by_role(
        "link", name=re.compile("Einladung: Workshop „Workshop Sprache und Begegnung“")
    ).click()
    page.wait_for_url(f"**/workshops/{workshop.pk}/")
    assert page.get_by_role("link", name="In den Kalender (.ics)").is_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Zusagen").focus()
    page.keyboard.press("Enter")
    page.get_by_role("status").filter(has_text="Vielen Dank, Sie haben zugesagt.").wait_for()
    assert "Sie haben zugesagt" in page.locator("#teilnahme").inner_text()
    assert_accessible(page)
    _logout(page)

    # moderation sees the answers, prints the attendance list
    login(page, live_server, "moderation", PASSWORD)
    page.goto(f"{live_server.url}/workshops/{workshop.pk}/")
    assert "1 zugesagt · 0 abgesagt · 1 ohne Antwort" in page.locator("main").inner_text()
    assert_accessible(page)
    page.get_by_role("link", name="Teilnahmeliste zum Drucken").click()
    page.wait_for_url(f"**/workshops/{workshop.pk}/teilnahmeliste/")
    assert page.title().startswith("Teilnahmeliste – ")
    assert page.get_by_role("button", name="Drucken").is_visible()  # print.js showed it
    table = page.get_by_role("table")
    assert "zugesagt" in table.inner_text() and "Unterschrift" in table.inner_text()
    assert_accessible(page)
    page.emulate_media(media="print")
    assert not page.locator(".portal-header").is_visible()
    assert not page.get_by_role("button", name="Drucken").is_visible()
    assert table.is_visible()
    page.emulate_media(media="screen")

    # cancelling it: a confirmation page, then everyone is told
    page.goto(f"{live_server.url}/workshops/{workshop.pk}/absagen/")
    assert_accessible(page)
    page.get_by_label(re.compile("Grund der Absage")).fill("Der Saal ist nicht verfügbar.")
    page.get_by_role("button", name="Workshop absagen").focus()
    page.keyboard.press("Enter")
    page.get_by_role("status").filter(has_text="Der Workshop ist abgesagt").wait_for()
    assert "Dieser Workshop ist abgesagt." in page.locator("main").inner_text()
    assert Notification.objects.filter(
        recipient=users["mitarbeiter"], text__startswith="Abgesagt:"
    ).exists()
    assert csp_violations == []
