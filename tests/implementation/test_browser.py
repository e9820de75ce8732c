"""One journey in real Chromium: a committee member follows an idea from the
dashboard to its measures and to a municipality's page."""

import re

import pytest
from playwright.sync_api import expect

from roundtable.demo.seed import seed_demo
from roundtable.implementation.models import Measure
from tests.conftest import assert_accessible, login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "Umsetzung-2005-Demo"


def test_committee_member_follows_an_idea_to_its_measures(page, live_server, csp_violations):
    seed_demo(password=PASSWORD, open_phase="einrichtung")
    measure = Measure.objects.get(title="Deutschkurse für Mütter in Troisdorfer Grundschulen")

    login(page, live_server, "ausschuss", PASSWORD)
    nav = page.get_by_role("navigation", name="Hauptnavigation")
    nav.get_by_role("link", name="Dashboard").click()
    expect(page).to_have_title("Dashboard – Runder Tisch Integration")
    expect(page.get_by_role("img", name="Ideen je Status")).to_be_visible()
    page.get_by_text("Ideen je Status als Tabelle").click()  # the same numbers as a table
    expect(page.get_by_role("table", name="Ideen je Status")).to_be_visible()
    assert_accessible(page)

    page.get_by_role("link", name=re.compile("Weg der Idee „Sprachkurse für Mütter")).click()
    path = page.get_by_role("region", name="Weg der Idee")
    assert "Sprachförderung für Familien" in path.inner_text()
    assert "zustimmend zur Kenntnis genommen" in path.inner_text()
    assert_accessible(page)

    path.get_by_role("link", name=measure.title).click()
    expect(page.get_by_role("heading", name=measure.title, level=1)).to_be_visible()
    assert "begonnen" in page.locator("main").inner_text()
    assert page.get_by_role("button", name="Stand speichern").count() == 0  # read only
    assert_accessible(page)

    page.get_by_role("link", name="Troisdorf").click()
    expect(page.get_by_role("heading", name="Was passiert in Troisdorf?")).to_be_visible()
    expect(page.get_by_role("link", name=measure.title)).to_be_visible()
    assert_accessible(page)
    assert csp_violations == []
