"""One journey in real Chromium: the committee member's report, moderation's decision."""

import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from participants.models import Role
from roundtable.committees.services import paper_set_concepts
from tests.committees.conftest import SLOW_RENDER
from tests.committees.factories import CommitteeConceptFactory, PaperFactory
from tests.conftest import assert_accessible, login
from tests.factories import TEST_PASSWORD, IdeaFactory, UserFactory
from workshops.models import ConceptIdea

pytestmark = [pytest.mark.browser, pytest.mark.worker, pytest.mark.django_db(transaction=True)]

PASSWORD = TEST_PASSWORD
COMMITTEE = "Ausschuss für soziale Angelegenheiten und soziale Beschäftigungsförderung"
CONCEPT = "Sprachkurse für Mütter an Grundschulen – „Mama lernt Deutsch“"


def test_committee_report_and_decision_journey(page, live_server, worker, csp_violations, tmp_path):
    # a slow render, so that the progress bar can be watched
    worker.stop()
    worker.env["SLOW_RENDER_STEP_SECONDS"] = "1"
    worker.start(extra_args=SLOW_RENDER)
    UserFactory(username="ausschuss", role=Role.COMMITTEE)
    UserFactory(username="moderation", role=Role.MODERATOR)
    paper = PaperFactory(
        agenda_item__number="5",
        agenda_item__meeting__committee__name=COMMITTEE,
    )
    concept = CommitteeConceptFactory(title=CONCEPT)
    for number, title in enumerate(["Deutschkurs für Mütter in der Grundschule Sieglar"]):
        ConceptIdea.objects.create(concept=concept, idea=IdeaFactory(title=title), position=number)
    paper_set_concepts(paper=paper, concepts=[concept], by=None)

    login(page, live_server, "ausschuss", PASSWORD)
    nav = page.get_by_role("navigation", name="Hauptnavigation")
    nav.get_by_role("link", name="Gremien").click()
    expect(page).to_have_title("Gremien – Runder Tisch Integration")
    assert_accessible(page)
    page.get_by_role("link", name=re.compile(r"Sitzung am \d\d\.\d\d\.\d{4}")).first.click()
    expect(page.get_by_role("heading", name=re.compile("TO-Pkt. 5: Runder Tisch"))).to_be_visible()
    assert_accessible(page)

    page.get_by_role("link", name=re.compile("Beschlussvorlage von 50.3")).click()
    expect(page.get_by_role("heading", name="Beschlussvorlage", level=1)).to_be_visible()
    page.get_by_role("button", name="PDF anfordern").click()
    expect(page.get_by_text("in der Warteschlange").first).to_be_visible()
    progress = page.locator("progress.report-progress")
    progress.wait_for(state="attached")
    # the bar moves while the worker renders (the row is polled, not the broker)
    page.wait_for_function(
        "() => { const p = document.querySelector('progress.report-progress');"
        " return p && Number(p.value) >= 30; }",
        timeout=60_000,
    )
    assert_accessible(page)
    link = page.get_by_role("link", name="PDF herunterladen (Version 1)")
    link.wait_for(timeout=90_000)
    assert progress.count() == 0
    assert page.get_by_role("status").filter(has_text="fertig").count() == 1
    # the notice at the top followed the row
    notice = page.locator("#report-notice")
    assert "Das PDF (Version 1) ist fertig." in notice.inner_text()
    assert "Warteschlange" not in notice.inner_text()
    assert_accessible(page)
    with page.expect_download() as info:
        link.click()
    download = info.value
    assert re.fullmatch(r"Beschlussvorlage-TOP-5-v1\.pdf", download.suggested_filename)
    target = tmp_path / download.suggested_filename
    download.save_as(target)
    assert Path(target).read_bytes().startswith(b"%PDF-")
    page.get_by_role("button", name="Abmelden").click()

    login(page, live_server, "moderation", PASSWORD)
    page.goto(f"{live_server.url}/gremien/sitzungen/{paper.agenda_item.meeting_id}/")
    page.get_by_role("link", name="Beschluss erfassen").first.click()
    assert_accessible(page)
    assert page.locator("input[name=result]:checked").count() == 0  # the committee decides
    page.get_by_label("zustimmend zur Kenntnis genommen").check()
    page.get_by_label("Beschlusstext").fill(
        "Der Ausschuss nimmt den Verwaltungsvorschlag zum weiteren Vorgehen zustimmend zur "
        "Kenntnis."
    )
    page.get_by_role("button", name="Beschluss speichern").click()
    expect(page.get_by_text("Der Beschluss wurde erfasst.")).to_be_visible()
    expect(page.get_by_text("Beschluss: zustimmend zur Kenntnis genommen")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name=re.compile("Beschlussvorlage von 50.3")).click()
    row = page.get_by_role("listitem").filter(has_text=CONCEPT)
    assert "beschlossen" in row.inner_text()
    assert_accessible(page)
    assert csp_violations == []
