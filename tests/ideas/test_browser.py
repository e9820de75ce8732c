"""The Ideenwerkstatt journey in real Chromium against the live server (and, with
PostgreSQL and Redis, a real worker): submit, find, support, comment, moderate."""

import re
import time

import pytest
from playwright.sync_api import expect

from ideas.models import Idea
from roundtable.demo.seed import seed_demo
from roundtable.notifications.models import Kind, Notification
from tests.conftest import assert_accessible, login
from tests.factories import TEST_PASSWORD

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
    told = Notification.objects.get(kind=Kind.IDEA_STATUS, target_id=str(idea.pk))
    deadline = time.monotonic() + 30
    while told.emailed_at is None and time.monotonic() < deadline:
        time.sleep(0.3)
        told.refresh_from_db()
    assert told.emailed_at is not None, worker.log()[-2000:]
    login(page, live_server, "mitarbeiter", PASSWORD)
    page.goto(f"{live_server.url}/ideen/{idea.pk}/")
    assert "angenommen" in page.locator(".idea-status").inner_text()
    assert FEEDBACK in page.locator(".idea-feedback").inner_text()
    assert_accessible(page)

    assert dialogs == []  # the title never ran as a script
    assert csp_violations == []


# --- the moderation queue and the list on a desktop and a phone ------------------------

LONG_ORGANISATION = "Landsmannschaft der Deutschen aus Russland, Ortsgruppe Siegburg"
TICKED = "Elterncafé in der Kindertageseinrichtung Troisdorf"


@pytest.fixture
def queue(transactional_db):
    from participants.models import Role
    from tests.factories import (
        IdeaFactory,
        OrganisationFactory,
        PhaseFactory,
        TargetGroupFactory,
        TopicFactory,
        UserFactory,
    )

    PhaseFactory(key="ideenwerkstatt-heute", name="Ideenwerkstatt", allows_idea_submission=True)
    UserFactory(username="moderation", role=Role.MODERATOR)
    topic = TopicFactory(name="Wohnen und Zusammenleben", slug="wohnen")
    organisation = OrganisationFactory(name=LONG_ORGANISATION)
    groups = [
        TargetGroupFactory(name="Aussiedlerinnen und Aussiedler", slug="aussiedler"),
        TargetGroupFactory(name="Kinder und Jugendliche", slug="kinder"),
    ]
    titles_and_statuses = [
        (TICKED, Idea.Status.SUBMITTED),
        ("Elterncafé im Familienzentrum Siegburg", Idea.Status.IN_REVIEW),
        ("Interkulturelle Elternbegleitung in Kindertageseinrichtungen", Idea.Status.IN_CONCEPT),
        ("Sprachmittlerpool für Behördengänge", Idea.Status.DEFERRED),
        ("Integrationslotsinnen und -lotsen", Idea.Status.IN_CONCEPT),
    ]
    for title, status in titles_and_statuses:
        idea = IdeaFactory(
            title=title, topic=topic, organisation=organisation, department=None, status=status
        )
        idea.target_groups.set(groups)


def _fits(page, width: int) -> None:
    """Nothing sticks out sideways: neither the page nor a table's scroll area."""
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    for scroll, client in page.evaluate(
        "[...document.querySelectorAll('.table-responsive')].map(e => [e.scrollWidth, e.clientWidth])"
    ):
        assert scroll <= client


def test_moderation_keeps_ticks_and_search_and_fits_the_screen(
    page, live_server, queue, csp_violations
):
    page.set_viewport_size({"width": 1280, "height": 900})
    login(page, live_server, "moderation", TEST_PASSWORD)
    page.goto(f"{live_server.url}/ideen/moderation/")
    _fits(page, 1280)  # the last column ("Eingereicht") is not cut off
    last = page.get_by_role("columnheader", name="Eingereicht", exact=True).bounding_box()
    assert last["x"] + last["width"] <= 1280
    assert page.get_by_label("Sortierung").input_value() == "queue"
    assert_accessible(page)

    searches = []
    page.on("request", lambda r: searches.append(r.url) if "/ideen/moderation/?" in r.url else None)
    with page.expect_response(lambda r: "q=Elterncaf" in r.url):
        page.get_by_role("searchbox", name="Suche").fill("Elterncafé")
    expect(page).to_have_url(re.compile(r"q=Elterncaf"))
    box = page.get_by_label(f"„{TICKED}“ auswählen")
    box.check()  # the search box loses the focus: no new search
    # a real change of the filters searches again and keeps what was ticked
    page.evaluate("document.getElementById('idea-results').dataset.before = 'yes'")
    with page.expect_response(lambda r: "sort=oldest" in r.url):
        page.get_by_label("Sortierung").select_option("oldest")
    page.wait_for_function("() => !document.getElementById('idea-results').dataset.before")
    assert box.is_checked()
    assert len(searches) == 2, searches

    # the bulk answer keeps the search, and counts in German
    page.get_by_label("Neuer Status").select_option(label="in Prüfung")
    page.get_by_role("button", name="Status der ausgewählten Ideen ändern").click()
    page.get_by_role("status").filter(
        has_text="1 Idee hat jetzt den Status „in Prüfung“."
    ).wait_for()
    assert "q=Elterncaf" in page.url and "sort=oldest" in page.url
    assert page.get_by_role("searchbox", name="Suche").input_value() == "Elterncafé"
    assert page.locator("#idea-results tbody tr").count() == 2  # still the search's ideas
    assert Idea.objects.get(title=TICKED).status == Idea.Status.IN_REVIEW
    assert_accessible(page)
    assert csp_violations == []


@pytest.mark.parametrize("path", ["/ideen/", "/ideen/moderation/"])
def test_idea_tables_show_the_status_on_a_phone(page, live_server, queue, csp_violations, path):
    page.set_viewport_size({"width": 375, "height": 800})
    login(page, live_server, "moderation", TEST_PASSWORD)
    page.goto(f"{live_server.url}{path}")
    _fits(page, 375)
    badges = page.locator("#idea-results .idea-status")
    assert badges.count() == 5
    for badge in badges.all():
        box = badge.bounding_box()
        assert badge.is_visible() and box["x"] >= 0 and box["x"] + box["width"] <= 375
    # what the hidden columns said is in the title cell
    row = page.locator("tr", has_text=TICKED)
    assert LONG_ORGANISATION in row.inner_text() and "0 Unterstützungen" in row.inner_text()
    assert_accessible(page)
    assert csp_violations == []
