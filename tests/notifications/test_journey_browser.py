"""In real Chromium, the whole path of an invited external member: moderation invites
her from the portal, she opens the e-mail's single-use link in a browser of her own,
sets a password, is logged in and submits an idea; moderation answers with a status
change and public feedback; she sees it in the bell, opens it and lands on her idea
with the feedback. Every new page: axe (WCAG 2.1 AA), no CSP violation."""

import re

import pytest
from django.core import mail

from ideas.models import Idea
from participants.models import Invitation, Role
from roundtable.demo.seed import seed_demo
from tests.conftest import assert_accessible, login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "Einladung-Idee-2004-Demo"
NEW_PASSWORD = "Sprachcafé-am-Markt-2005"
NAME = "Ayşe Demir"
EMAIL = "a.demir@caritas-rhein-sieg.example"
ORGANISATION = "Caritasverband Rhein-Sieg e. V."
TITLE = "Sprachcafé im Familienzentrum Troisdorf"
FEEDBACK = "Angenommen – das Familienzentrum Troisdorf stellt dienstags einen Raum."
LINK = re.compile(r"https?://\S+?(/beteiligte/einladung/\S+/)")


@pytest.fixture
def seeded(transactional_db, settings, live_server, eager_tasks, mailoutbox):
    """The demo world with the Ideenwerkstatt open today; tasks (e-mails) run inline in
    the live server, and the e-mails land in ``mail.outbox``."""
    seed_demo(password=PASSWORD, open_phase="ideenwerkstatt")
    settings.PORTAL_BASE_URL = live_server.url
    mailoutbox.clear()  # the demo's own status e-mails


def _watch_csp(page, found: list[str]) -> None:
    """What the ``csp_violations`` fixture does for ``page``, for another page."""
    page.on(
        "console",
        lambda msg: (
            found.append(msg.text)
            if "Content Security Policy" in msg.text or "Content-Security-Policy" in msg.text
            else None
        ),
    )


def _nav(page, name):
    page.get_by_role("navigation", name="Hauptnavigation").get_by_role("link", name=name).click()


def _bell(page, unread: int):
    name = f"Benachrichtigungen, {unread} ungelesen" if unread else "Benachrichtigungen"
    bell = page.get_by_role("link", name=name, exact=True)
    bell.wait_for()  # loaded by htmx after the page
    return bell


def test_invited_member_submits_an_idea_and_hears_of_its_feedback(
    page, new_context, live_server, seeded, csp_violations
):
    # 1. moderation invites an external member of the Caritas
    login(page, live_server, "moderation", PASSWORD)
    assert_accessible(page)
    _nav(page, "Einladungen")
    page.get_by_role("link", name="Person einladen").click()
    assert_accessible(page)
    page.get_by_label("Name").fill(NAME)
    page.get_by_label("E-Mail-Adresse").fill(EMAIL)
    page.get_by_label("Organisation oder Stadt/Gemeinde").select_option(label=ORGANISATION)
    page.get_by_label("Rolle").select_option(label="Externe Mitwirkende")
    page.get_by_role("button", name="Einladung senden").click()
    page.wait_for_url("**/beteiligte/einladungen/")
    assert "wird per E-Mail verschickt" in page.get_by_role("status").inner_text()
    row = page.get_by_role("row", name=re.compile(NAME))
    assert row.get_by_text("eingeladen").count() == 1
    assert_accessible(page)

    # 2. the e-mail carries the link
    [message] = mail.outbox
    assert message.to == [EMAIL]
    path = LINK.search(message.body).group(1)

    # 3. she opens it in her own browser, sets a password and is logged in
    guest = new_context().new_page()
    _watch_csp(guest, csp_violations)
    guest.goto(live_server.url + path)
    assert guest.title() == "Einladung annehmen – Runder Tisch Integration"
    assert EMAIL in guest.locator("main").inner_text()
    assert f"Sie wirken für „{ORGANISATION}“ mit." in guest.locator("main").inner_text()
    assert_accessible(guest)
    assert guest.get_by_label("Vorname").input_value() == "Ayşe"
    guest.get_by_label(re.compile(r"^\s*Passwort\W*$")).fill(NEW_PASSWORD)
    guest.get_by_label("Passwort wiederholen").fill(NEW_PASSWORD)
    guest.get_by_label("Ich habe die Datenschutzerklärung gelesen.").check()
    guest.get_by_role("button", name="Passwort festlegen und anmelden").click()
    guest.wait_for_url(f"{live_server.url}/")
    assert "Willkommen beim Runden Tisch Integration!" in guest.get_by_role("status").inner_text()
    assert "Externe Mitwirkende" in guest.locator(".portal-user").inner_text()
    _bell(guest, 0)
    assert_accessible(guest)
    assert Invitation.objects.get(email=EMAIL).status == Invitation.Status.ACCEPTED

    # ... and submits an idea for her organisation
    guest.goto(f"{live_server.url}/ideen/neu/")
    assert guest.title() == "Idee einreichen – Runder Tisch Integration"
    assert_accessible(guest)
    guest.get_by_label("Titel").fill(TITLE)
    guest.get_by_label("Beschreibung").fill("Ehrenamtliche der Caritas laden jeden Dienstag ein.")
    guest.get_by_label("Handlungsfeld").select_option(label="Sprache")
    guest.get_by_role("button", name="Idee einreichen").click()
    guest.wait_for_url(re.compile(r"/ideen/\d+/\?eingereicht=1$"))
    idea_url = guest.url.split("?")[0]
    assert guest.get_by_role("heading", level=1).inner_text() == TITLE
    assert guest.get_by_role("heading", name="Rückmeldung der Moderation").count() == 0
    assert_accessible(guest)
    idea = Idea.objects.get(title=TITLE)
    assert idea.author.email == EMAIL
    assert idea.author.profile.role == Role.EXTERNAL
    assert idea.organisation.name == ORGANISATION

    # 4. moderation changes the status, with public feedback
    page.goto(idea_url)
    assert_accessible(page)
    page.get_by_label("Neuer Status").select_option(label="angenommen")
    page.get_by_label(re.compile("Rückmeldung an die Verfasserin")).fill(FEEDBACK)
    page.get_by_role("button", name="Status ändern").click()
    page.get_by_role("status").filter(has_text="Der Status wurde geändert").wait_for()
    assert_accessible(page)

    # 5. she reloads: the bell counts it, the list says it, it leads to her idea
    guest.reload()
    bell = _bell(guest, 1)
    bell.click()
    guest.wait_for_url(f"{live_server.url}/benachrichtigungen/")
    assert guest.title() == "Benachrichtigungen – Runder Tisch Integration"
    item = guest.locator(".notification").first
    assert f"Ihre Idee „{TITLE}“ hat jetzt den Status „angenommen“" in item.inner_text()
    assert FEEDBACK in item.inner_text()
    assert_accessible(guest)
    item.get_by_role("link", name=re.compile(re.escape(TITLE))).click()
    guest.wait_for_url(idea_url)
    feedback = guest.get_by_role("region", name="Rückmeldung der Moderation")
    assert FEEDBACK in feedback.inner_text()
    _bell(guest, 0)  # opening it read it
    assert_accessible(guest)
    assert csp_violations == []
