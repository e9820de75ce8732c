"""One journey in real Chromium: moderation builds concepts on the board (mouse and
keyboard), accepts a suggestion; a department contact signs off."""

import re

import pytest

from ideas.models import Idea
from participants.models import Role
from tests.conftest import assert_accessible, login
from tests.factories import (
    TEST_PASSWORD,
    DepartmentFactory,
    IdeaFactory,
    ParticipationFactory,
    TopicFactory,
    UserFactory,
)
from workshops.models import Concept, ConceptIdea, ConceptSignoff

from .test_suggestions import SAMPLE

pytestmark = [pytest.mark.browser, pytest.mark.worker, pytest.mark.django_db(transaction=True)]

HEALTH = [
    "Gesundheitsberatung in der Muttersprache",
    "Impfaktion für Kinder",
    "Dolmetscher beim Arzt",
]
LANGUAGE = [
    "Deutschkurse für Mütter am Vormittag",
    "Sprachkurs für Aussiedler",
    "Mehr Sprachkurse in Troisdorf",
]


def drag(page, source, target) -> None:
    """A real mouse drag: press on the card, move in steps onto the column, release."""
    source.scroll_into_view_if_needed()
    box = source.bounding_box()
    goal = target.bounding_box()
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + 8)
    page.mouse.down()
    page.mouse.move(box["x"] + box["width"] / 2 + 10, box["y"] + 20, steps=5)
    page.mouse.move(goal["x"] + goal["width"] / 2, goal["y"] + goal["height"] / 2, steps=20)
    page.mouse.up()


def card(page, title):
    return page.locator(".board-card", has_text=title)


def column(page, title):
    return page.locator(
        ".board-column", has=page.get_by_role("heading", name=re.compile(re.escape(title)))
    )


def test_moderation_groups_ideas_and_department_signs_off(
    page, live_server, worker, csp_violations
):
    page.set_default_timeout(20_000)
    page.set_viewport_size({"width": 1400, "height": 1400})
    moderator = UserFactory(
        username="moderation", first_name="Jonas", last_name="Weber", role=Role.MODERATOR
    )
    health_dept = DepartmentFactory(name="Gesundheitsamt", number="53")
    contact = UserFactory(
        username="gesundheit", first_name="Petra", last_name="Lang", role=Role.STAFF
    )
    ParticipationFactory(department=health_dept).contacts.add(contact)
    topic = TopicFactory(name="Gesundheit", slug="gesundheit")
    for _pk, title, text in SAMPLE:
        IdeaFactory(title=title, description=text, topic=topic, status=Idea.Status.ACCEPTED)

    # moderation creates a workshop that treats all ungrouped ideas
    login(page, live_server, "moderation", TEST_PASSWORD)
    page.get_by_role("navigation", name="Hauptnavigation").get_by_role(
        "link", name="Workshops"
    ).click()
    page.get_by_role("link", name="Workshop anlegen").click()
    page.get_by_label("Titel").fill("Workshop Integration Januar 2005")
    page.get_by_label("Beginn").fill("2005-01-20T10:00")
    page.get_by_label("Ort").fill("Kreishaus Siegburg")
    page.get_by_label("Alle noch nicht gruppierten Ideen im Workshop behandeln").check()
    page.get_by_role("button", name="Speichern").click()
    page.get_by_role("heading", name="Workshop Integration Januar 2005", level=1).wait_for()
    page.get_by_role("link", name="Gruppierungstafel").click()
    page.get_by_role(
        "heading", name=re.compile("Gruppierungstafel: Workshop Integration")
    ).wait_for()
    assert card(page, HEALTH[0]).count() == 1
    assert_accessible(page)

    # a new concept, then two ideas dragged into it with the mouse
    page.get_by_label("Titel des neuen Konzepts").fill("Gesundheit im Alltag")
    page.get_by_role("button", name="Konzept anlegen").click()
    target = column(page, "Gesundheit im Alltag").locator(".board-list")
    target.wait_for()
    live = page.locator("#board-live")
    for title in HEALTH[:2]:
        drag(page, card(page, title), target)
        page.wait_for_function(
            "t => document.getElementById('board-live').textContent.includes(t)", arg=title
        )
        assert "verschoben" in live.text_content()
        target = column(page, "Gesundheit im Alltag").locator(".board-list")
        assert target.locator(".board-card", has_text=title).count() == 1
    concept = Concept.objects.get(title="Gesundheit im Alltag")
    assert set(
        ConceptIdea.objects.filter(concept=concept).values_list("idea__title", flat=True)
    ) == set(HEALTH[:2])

    # the third by keyboard only: select the idea, go to "Verschieben nach …", choose, press
    radio = page.get_by_role("radio", name=HEALTH[2])
    radio.focus()
    page.keyboard.press("Space")
    assert radio.is_checked()
    page.keyboard.press("Shift+Tab")
    assert page.evaluate("document.activeElement.id") == "move-submit"
    page.keyboard.press("Shift+Tab")
    assert page.evaluate("document.activeElement.id") == "move-target"
    page.keyboard.press("ArrowDown")  # first option after "Nicht gruppiert"
    assert page.locator("#move-target").input_value() == str(concept.pk)
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    page.wait_for_function(
        "t => document.getElementById('board-live').textContent.includes(t)", arg=HEALTH[2]
    )
    assert "nach „Gesundheit im Alltag“ verschoben" in live.text_content()
    assert column(page, "Gesundheit im Alltag").locator(".board-card").count() == 3
    assert Idea.objects.get(title=HEALTH[2]).status == Idea.Status.IN_CONCEPT
    assert_accessible(page)

    # suggestions, computed by the worker, accepted as a draft concept
    page.get_by_role("link", name="Vorschläge für Gruppen").click()
    page.get_by_role("button", name="Vorschläge berechnen").click()
    accept = page.get_by_role("button", name=re.compile("Als Konzept übernehmen")).first
    accept.wait_for(timeout=60_000)
    assert_accessible(page)
    language = page.locator("section.card", has_text=LANGUAGE[0])
    assert all(language.get_by_text(t).count() == 1 for t in LANGUAGE)
    language.get_by_label("Titel des Konzeptentwurfs").fill("Sprachkurse vor Ort")
    language.get_by_role("button", name=re.compile("Als Konzept übernehmen")).click()
    page.get_by_role("heading", name="Konzept bearbeiten").wait_for()
    suggested = Concept.objects.get(title="Sprachkurse vor Ort")
    assert suggested.status == Concept.Status.DRAFT
    assert set(suggested.idea_links.values_list("idea__title", flat=True)) == set(LANGUAGE)

    # the health concept goes into coordination with the Gesundheitsamt
    page.goto(f"{live_server.url}{concept.get_absolute_url()}")
    page.get_by_role("link", name="Bearbeiten").click()
    page.get_by_label("53 Gesundheitsamt").check()
    page.get_by_role("button", name="Speichern").click()
    page.get_by_role("button", name="in Abstimmung").click()
    page.get_by_text("Status: in Abstimmung").first.wait_for()
    assert page.get_by_text("fehlt noch", exact=True).count() == 1
    assert_accessible(page)
    page.get_by_role("button", name="Abmelden").click()

    # the department's contact signs off
    login(page, live_server, "gesundheit", TEST_PASSWORD)
    page.goto(f"{live_server.url}{concept.get_absolute_url()}")
    page.get_by_role("link", name="Mitzeichnen").click()
    # the only department is named, not to be picked; no vote is chosen in advance
    assert page.get_by_text("Sie zeichnen für: 53 Gesundheitsamt").is_visible()
    assert page.get_by_label("Für das Amt").count() == 0
    assert page.locator("input[name=decision]:checked").count() == 0
    page.get_by_label("stimmt zu", exact=True).check()
    page.get_by_role("button", name="Votum abgeben").click()
    page.get_by_text("Ihre Mitzeichnung wurde gespeichert.").wait_for()
    assert page.get_by_text("Status: abgestimmt").count() == 1
    assert_accessible(page)
    signoff = ConceptSignoff.objects.get(concept=concept)
    assert (signoff.department, signoff.signed_by, signoff.decision) == (
        health_dept,
        contact,
        "agrees",
    )
    assert moderator.moderated_workshops.count() == 1
    assert csp_violations == []


def test_moderation_orders_a_concepts_ideas_by_keyboard(page, live_server, csp_violations):
    from workshops import services

    page.set_default_timeout(20_000)
    moderator = UserFactory(username="moderation", role=Role.MODERATOR)
    ideas = [IdeaFactory(title=title, status=Idea.Status.ACCEPTED) for title in LANGUAGE]
    concept = services.concept_create(title="Sprachförderung", ideas=ideas, by=moderator)
    login(page, live_server, "moderation", TEST_PASSWORD)
    page.goto(f"{live_server.url}/workshops/board/")

    up = page.get_by_role("button", name=re.compile(rf"^nach oben\W+{re.escape(LANGUAGE[2])}$"))
    up.focus()
    page.keyboard.press("Enter")
    page.locator("#board-live").filter(has_text="verschoben").wait_for()
    titles = column(page, "Sprachförderung").locator(".board-card-title").all_inner_texts()
    assert titles == [LANGUAGE[0], LANGUAGE[2], LANGUAGE[1]]
    # the focus stays with the moved idea's button, ready for the next step up
    assert page.evaluate("document.activeElement.id") == f"order-up-{ideas[2].pk}"
    page.keyboard.press("Enter")
    page.locator(".board-card-title").first.filter(has_text=LANGUAGE[2]).wait_for()
    order = list(concept.idea_links.order_by("position").values_list("idea__title", flat=True))
    assert order == [LANGUAGE[2], LANGUAGE[0], LANGUAGE[1]]
    # at the top there is no way up: the focus moves to the idea's own choice field
    assert page.evaluate("document.activeElement.id") == f"pick-{ideas[2].pk}"
    assert_accessible(page)
    assert csp_violations == []


def _in_board_view(column) -> bool:
    """Whether the column is inside the visible part of the board's scroll area."""
    return column.evaluate(
        "el => { const area = el.closest('.board-columns').getBoundingClientRect();"
        " const box = el.getBoundingClientRect();"
        " return box.left >= area.left - 1 && box.right <= area.right + 1; }"
    )


def test_board_scrolls_only_inside_and_shows_the_column_that_changed(
    page, live_server, csp_violations
):
    from tests.factories import PhaseFactory
    from workshops import services

    page.set_default_timeout(20_000)
    PhaseFactory(key="workshop-heute", name="Workshop", allows_workshop_work=True)
    moderator = UserFactory(username="moderation", role=Role.MODERATOR)
    for title in LANGUAGE:
        IdeaFactory(title=title, status=Idea.Status.ACCEPTED)
    for n in range(14):
        services.concept_create(title=f"Konzept {n + 1}", by=moderator)
    page.set_viewport_size({"width": 1280, "height": 900})
    login(page, live_server, "moderation", TEST_PASSWORD)
    page.goto(f"{live_server.url}/workshops/board/")
    area = page.locator(".board-columns")
    assert area.evaluate("el => el.scrollWidth > el.clientWidth")  # the board scrolls ...
    assert page.evaluate("document.documentElement.scrollWidth") <= 1280  # ... the page not
    assert_accessible(page)

    # a new concept's column comes into view
    page.get_by_label("Titel des neuen Konzepts").fill("Sprachförderung am Ende")
    page.get_by_role("button", name="Konzept anlegen").click()
    page.locator("#board-live").filter(has_text="Sprachförderung am Ende").wait_for()
    new = column(page, "Sprachförderung am Ende")
    _wait_for(page, lambda: _in_board_view(new))

    # back to the start; a move by keyboard into it shows the column again
    area.evaluate("el => { el.scrollLeft = 0; }")
    assert not _in_board_view(new)
    page.get_by_role("radio", name=LANGUAGE[0]).check()
    page.get_by_label("Ausgewählte Idee verschieben nach …").select_option(
        label="Sprachförderung am Ende"
    )
    page.get_by_role("button", name="Verschieben", exact=True).click()
    page.locator("#board-live").filter(has_text="verschoben").wait_for()
    new = column(page, "Sprachförderung am Ende")
    _wait_for(page, lambda: _in_board_view(new))
    assert new.locator(".board-card", has_text=LANGUAGE[0]).count() == 1
    assert page.evaluate("document.documentElement.scrollWidth") <= 1280
    assert_accessible(page)

    page.set_viewport_size({"width": 375, "height": 800})
    page.reload()
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    assert_accessible(page)
    assert csp_violations == []


def _wait_for(page, condition, timeout=10.0):
    import time

    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "condition not met in time"
        page.wait_for_timeout(100)  # lets Playwright process the page's events
