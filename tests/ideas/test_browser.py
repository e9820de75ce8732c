"""The Ideenwerkstatt journey in real Chromium against the live server (and, with
PostgreSQL and Redis, a real worker): submit, find, support, comment, moderate."""

import re
import time

import pytest
from playwright.sync_api import expect

from ideas.models import Idea, IdeaStatusChange
from roundtable.demo.seed import seed_demo
from tests.conftest import assert_accessible, login

pytestmark = [pytest.mark.browser, pytest.mark.worker, pytest.mark.django_db(transaction=True)]

PASSWORD = "Ideenwerkstatt-2004-Demo"
TITLE = "<script>alert(1)</script> Sprachkurse für Mütter"
DESCRIPTION = (
    "Viele Mütter möchten Deutsch lernen, aber während der Kurse fehlt die Betreuung.\n\n"
    "Größere Räume im Familienzentrum wären ideal – Grüße aus Troisdorf."
)
OTHER = "Ausbildungspaten für Jugendliche aus Zuwandererfamilien"
FEEDBACK = "Angenommen: Die Volkshochschule prüft Kurse mit Kinderbetreuung."


@pytest.fixture
def seeded(transactional_db):
    seed_demo(password=PASSWORD, open_phase="ideenwerkstatt")


def _logout(page):
    page.get_by_role("button", name="Abmelden").click()
    page.wait_for_url("**/accounts/login/**")


def test_submit_find_support_comment_moderate(page, live_server, seeded, worker, csp_violations):
    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    login(page, live_server, "mitarbeiter", PASSWORD)
    assert_accessible(page)

    # submit, with duplicate hints while typing
    page.get_by_role("navigation", name="Hauptnavigation").get_by_role(
        "link", name="Idee einreichen"
    ).click()
    expect(page).to_have_title("Idee einreichen – Runder Tisch Integration")
    assert_accessible(page)
    page.get_by_label("Titel").fill(TITLE)
    hints = page.locator("#similar-ideas")
    hints.get_by_role(
        "link", name=re.compile("Sprachkurse für Mütter mit Kinderbetreuung")
    ).wait_for()
    page.get_by_label("Beschreibung").fill(DESCRIPTION)
    page.get_by_label("Handlungsfeld").select_option(label="Sprache")
    page.get_by_label("Frauen").check()
    page.get_by_label("Troisdorf").check()
    assert_accessible(page)
    page.get_by_role("button", name="Idee einreichen").click()
    page.wait_for_url(re.compile(r"/ideen/\d+/\?eingereicht=1$"))
    assert page.get_by_role("heading", level=1).inner_text() == TITLE
    assert "Größere Räume im Familienzentrum" in page.locator(".idea-description").inner_text()
    assert page.locator(".idea-description p").count() == 2  # paragraphs kept, no HTML
    assert_accessible(page)
    idea = Idea.objects.get(title=TITLE)

    # listed and escaped; the search updates the list in place and the URL
    page.get_by_role("navigation", name="Hauptnavigation").get_by_role("link", name="Ideen").click()
    expect(page.get_by_role("link", name=TITLE)).to_be_visible()
    assert_accessible(page)
    with page.expect_response(lambda r: "q=Sprachkurse" in r.url):
        page.get_by_role("searchbox", name="Suche").fill("Sprachkurse Mütter")
    expect(page).to_have_url(re.compile(r"q=Sprachkurse"))  # hx-push-url keeps the filter state
    page.get_by_role("status").filter(has_text="gefunden").wait_for()
    expect(page.get_by_role("link", name=TITLE)).to_be_visible()
    assert page.get_by_role("link", name=OTHER).count() == 0
    assert_accessible(page)
    page.reload()  # bookmarkable
    assert page.get_by_role("searchbox", name="Suche").input_value() == "Sprachkurse Mütter"

    # support another idea (htmx) and comment on it
    page.goto(f"{live_server.url}/ideen/")
    page.get_by_role("link", name=OTHER).click()
    assert_accessible(page)
    page.get_by_role("button", name="Unterstützen").click()
    page.get_by_role("button", name=re.compile("zurücknehmen")).wait_for()
    assert "1 Unterstützung" in page.locator(".support-box").inner_text()
    assert page.get_by_role("status").filter(has_text="Sie unterstützen diese Idee.").count() == 1
    assert_accessible(page)
    page.get_by_label("Ihr Kommentar").fill(
        "Die Handwerkskammer in Siegburg würde mitmachen – schöne Idee!"
    )
    page.get_by_role("button", name="Kommentar senden").click()
    page.wait_for_url(re.compile(r"#kommentar-\d+$"))
    assert "Handwerkskammer in Siegburg" in page.locator(".comment-text").first.inner_text()
    assert_accessible(page)
    _logout(page)

    # moderation accepts it with feedback from the queue
    login(page, live_server, "moderation", PASSWORD)
    page.get_by_role("navigation", name="Hauptnavigation").get_by_role(
        "link", name="Moderation"
    ).click()
    expect(page).to_have_title("Moderation der Ideen – Runder Tisch Integration")
    assert_accessible(page)
    page.get_by_label(f"„{TITLE}“ auswählen").check()
    page.get_by_label("Neuer Status").select_option(label="angenommen")
    page.get_by_label("Textvorlage für die Rückmeldung").select_option(
        label="Angenommen für den Workshop"
    )
    feedback = page.get_by_label(re.compile("Rückmeldung an die Verfasserin"))
    assert "Workshop" in feedback.input_value()  # the template filled the field (ideas.js)
    feedback.fill(FEEDBACK)
    page.get_by_role("button", name="Status der ausgewählten Ideen ändern").click()
    page.get_by_role("status").filter(has_text="angenommen").wait_for()
    assert_accessible(page)
    _logout(page)

    # the author is told by e-mail (real worker, after commit) and sees the feedback
    change = IdeaStatusChange.objects.get(idea=idea)
    deadline = time.monotonic() + 30
    while change.notified_at is None and time.monotonic() < deadline:
        time.sleep(0.3)
        change.refresh_from_db()
    assert change.notified_at is not None, worker.log()[-2000:]
    login(page, live_server, "mitarbeiter", PASSWORD)
    page.goto(f"{live_server.url}/ideen/{idea.pk}/")
    assert "angenommen" in page.locator(".idea-status").inner_text()
    assert FEEDBACK in page.locator(".idea-feedback").inner_text()
    assert_accessible(page)

    assert dialogs == []  # the title never ran as a script
    assert csp_violations == []
