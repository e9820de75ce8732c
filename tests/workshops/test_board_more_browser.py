""" "Mehr laden" on the district-wide board in real Chromium: by keyboard, the column
grows by 25 cards, the address keeps it, and the focus stays in the column."""

import pytest

from ideas.models import Idea
from participants.models import Role
from tests.conftest import assert_accessible, login
from tests.factories import TEST_PASSWORD, IdeaFactory, UserFactory
from workshops.selectors import BOARD_PAGE

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_more_cards_by_keyboard(page, live_server, csp_violations):
    page.set_default_timeout(20_000)
    UserFactory(username="moderation", role=Role.MODERATOR)
    IdeaFactory.create_batch(BOARD_PAGE + 4, status=Idea.Status.ACCEPTED)
    login(page, live_server, "moderation", TEST_PASSWORD)
    page.goto(f"{live_server.url}/workshops/board/")
    ungrouped = page.locator('.board-list[data-concept=""] .board-card')
    assert ungrouped.count() == BOARD_PAGE
    # (Chromium puts a space between the link's text and its hidden part: the dash reads
    # the same either way)
    more = page.get_by_role("link", name="Mehr laden (4 weitere Ideen) – Nicht gruppiert")
    more.focus()
    page.keyboard.press("Enter")
    page.wait_for_function(
        "n => document.querySelectorAll('.board-list[data-concept=\"\"] .board-card').length === n",
        arg=BOARD_PAGE + 4,
    )
    assert f"shown={2 * BOARD_PAGE}" in page.url
    # no more to load: the focus is on the column's last card
    assert page.evaluate("document.activeElement.name") == "idea"
    assert page.evaluate("document.activeElement.closest('.board-list').dataset.concept") == ""
    assert_accessible(page)
    assert csp_violations == []
