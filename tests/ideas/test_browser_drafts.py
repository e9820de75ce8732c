"""Browser drafts belong to the person who wrote them and go at logout (finding 11)."""

import pytest

from tests.conftest import login
from tests.factories import TEST_PASSWORD, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _drafts(page) -> list[str]:
    return page.evaluate(
        "Object.keys(window.localStorage).filter(k => k.indexOf('rt-draft:') === 0)"
    )


def test_a_draft_is_keyed_by_its_author_and_goes_at_logout(page, live_server):
    UserFactory(username="moderation", role="moderator")
    UserFactory(username="moderation2", role="moderator")
    login(page, live_server, "moderation", TEST_PASSWORD)
    page.goto(f"{live_server.url}/ideen/neu/")
    page.get_by_label("Titel").fill("Entwurf von Erika")
    page.get_by_label("Beschreibung").fill("Nur für Erika bestimmt.")
    drafts = _drafts(page)
    assert len(drafts) == 1 and drafts[0].startswith("rt-draft:idea-new-")
    page.get_by_role("button", name="Abmelden").click()
    page.wait_for_url("**/accounts/login/**")
    assert _drafts(page) == []
    login(page, live_server, "moderation2", TEST_PASSWORD)
    page.goto(f"{live_server.url}/ideen/neu/")
    assert page.get_by_label("Titel").input_value() == ""
    assert page.get_by_label("Beschreibung").input_value() == ""
