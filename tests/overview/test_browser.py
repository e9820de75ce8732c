"""The foundation's pages in real Chromium, logged in as each role, checked by axe."""

import re

import pytest
from playwright.sync_api import expect

from roundtable.demo.seed import seed_demo
from tests.conftest import assert_accessible, login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "Zeitraster-2004-Demo"


@pytest.fixture
def seeded(transactional_db):
    seed_demo(password=PASSWORD, open_phase="ideenwerkstatt")


@pytest.mark.parametrize("username", ["mitarbeiter", "moderation", "ausschuss", "admin"])
def test_each_role_logs_in_and_sees_accessible_pages(
    page, live_server, seeded, csp_violations, username
):
    page.goto(f"{live_server.url}/")
    assert "/accounts/login/" in page.url
    expect(page).to_have_title("Anmelden – Runder Tisch Integration")
    assert_accessible(page)

    login(page, live_server, username, PASSWORD)
    assert page.get_by_role("heading", level=1).first.inner_text().startswith("Runder Tisch")
    nav = page.get_by_role("navigation", name="Hauptnavigation")
    expect(nav.get_by_role("link", name="Zeitraster")).to_be_visible()
    assert (nav.get_by_role("link", name="Verwaltung").count() == 1) is (username == "admin")
    assert_accessible(page)

    nav.get_by_role("link", name="Zeitraster").click()
    expect(page).to_have_title("Zeitraster – Runder Tisch Integration")
    expect(page.get_by_role("img", name="Zeitraster des Runden Tisches")).to_be_visible()
    assert page.locator("tr.table-primary th").inner_text() == "Ideenwerkstatt"
    assert_accessible(page)

    nav.get_by_role("link", name="Abstimmung").click()
    ordnungsamt = page.get_by_role("row").filter(has_text="32 Ordnungsamt")
    assert "zugesagt" in ordnungsamt.inner_text()
    assert_accessible(page)
    assert csp_violations == []

    page.get_by_role("button", name="Abmelden").click()
    expect(page).to_have_url(re.compile("/accounts/login/"))


def test_moderator_records_a_department_answer_by_keyboard(page, live_server, seeded):
    login(page, live_server, "moderation", PASSWORD)
    page.goto(f"{live_server.url}/beteiligte/abstimmung/")
    page.get_by_role("link", name=re.compile(r"Bearbeiten.*40 Schulamt")).click()
    assert_accessible(page)
    page.get_by_label("zugesagt").focus()
    page.keyboard.press("Space")
    page.get_by_label("Notiz").fill("Frau Öztürk koordiniert die Schulen.")
    page.get_by_role("button", name="Speichern").press("Enter")
    page.wait_for_url("**/beteiligte/abstimmung/")
    row = page.get_by_role("row").filter(has_text="Schulamt")
    assert "zugesagt" in row.inner_text()
    assert "Frau Öztürk koordiniert die Schulen." in row.inner_text()
    assert page.get_by_role("status").inner_text().startswith("Die Beteiligung")


@pytest.mark.parametrize("width", [1280, 375])
def test_directory_leads_to_each_participant(page, live_server, seeded, csp_violations, width):
    page.set_viewport_size({"width": width, "height": 900})
    login(page, live_server, "mitarbeiter", PASSWORD)
    page.goto(f"{live_server.url}/beteiligte/")
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    organisations = page.get_by_role("region", name="Organisationen")
    assert organisations.get_by_role("link", name=re.compile(r"^integration@")).count() == 9
    assert_accessible(page)

    page.get_by_role("link", name="Caritasverband Rhein-Sieg e. V.", exact=True).click()
    assert page.get_by_role("heading", level=1).inner_text() == "Caritasverband Rhein-Sieg e. V."
    assert page.get_by_role("link", name=re.compile(r"^integration@caritasverband")).is_visible()
    assert_accessible(page)
    page.go_back()
    page.get_by_role("link", name="51 Jugendamt", exact=True).click()
    assert page.get_by_role("heading", level=1).inner_text() == "51 Jugendamt"
    page.go_back()
    page.get_by_role("link", name="Troisdorf", exact=True).click()
    assert page.get_by_role("heading", level=1).inner_text() == "Was passiert in Troisdorf?"
    assert_accessible(page)
    assert csp_violations == []
