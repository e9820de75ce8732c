"""The committee's work in real Chromium, as a new user does it: moderation plans the
meeting and its agenda, prepares and submits the paper; a committee member downloads
the final PDF at once; moderation records the decision, which reaches the concept and
locks the paper."""

import datetime
import hashlib
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from participants.models import Role
from roundtable.committees.models import Decision, Paper, PaperVersion
from roundtable.committees.services import paper_set_concepts
from tests.committees.conftest import SLOW_RENDER
from tests.committees.factories import CommitteeConceptFactory, PaperFactory
from tests.conftest import assert_accessible, login
from tests.factories import (
    TEST_PASSWORD,
    CommitteeFactory,
    DepartmentFactory,
    IdeaFactory,
    UserFactory,
)
from workshops.models import Concept, ConceptIdea

pytestmark = [pytest.mark.browser, pytest.mark.worker, pytest.mark.django_db(transaction=True)]

COMMITTEE = "Ausschuss für soziale Angelegenheiten und soziale Beschäftigungsförderung"
CONCEPT = "Sprachkurse für Mütter an Grundschulen – „Mama lernt Deutsch“"
IDEA = "Deutschkurs für Mütter in der Grundschule Sieglar"


def test_meeting_paper_final_pdf_and_decision_journey(
    page, live_server, worker, csp_violations, tmp_path
):
    UserFactory(username="ausschuss", role=Role.COMMITTEE, first_name="Helga", last_name="Krämer")
    UserFactory(username="moderation", role=Role.MODERATOR, first_name="Jonas", last_name="Weber")
    CommitteeFactory(
        name=COMMITTEE,
        name_genitive="des Ausschusses für soziale Angelegenheiten und soziale "
        "Beschäftigungsförderung",
        name_dative="dem Ausschuss für soziale Angelegenheiten und soziale Beschäftigungsförderung",
    )
    DepartmentFactory(number="50.3", name="Besondere soziale Aufgaben")
    concept = CommitteeConceptFactory(title=CONCEPT)
    ConceptIdea.objects.create(concept=concept, idea=IdeaFactory(title=IDEA), position=0)
    day = timezone.localdate() + datetime.timedelta(days=14)

    # moderation plans the meeting
    login(page, live_server, "moderation", TEST_PASSWORD)
    page.get_by_role("navigation", name="Hauptnavigation").get_by_role(
        "link", name="Gremien"
    ).click()
    page.get_by_role("link", name="Sitzung planen").click()
    assert_accessible(page)
    page.get_by_label("Gremium").select_option(label=COMMITTEE)
    page.get_by_label("Datum").fill(day.isoformat())
    page.get_by_label("Beginn (Uhrzeit)").fill("17:00")
    page.get_by_label("Ort").fill("Kreishaus Siegburg, Sitzungssaal")
    page.get_by_role("button", name="Speichern").click()
    assert page.get_by_text("Die Sitzung wurde angelegt.").is_visible()
    assert page.get_by_text(f"Sitzung am {day:%d.%m.%Y}, 17:00 Uhr").is_visible()
    assert_accessible(page)

    # its agenda: "hier:" typed by habit is not printed twice
    page.get_by_role("link", name="Tagesordnungspunkt anlegen").click()
    assert_accessible(page)
    page.get_by_label("TO-Pkt. (Nummer)").fill("5")
    page.get_by_label("Titel").fill("Runder Tisch zur Integration von Ausländern und Aussiedlern")
    page.get_by_label("„hier:“-Zeile").fill("hier: Weiteres Vorgehen")
    page.get_by_role("button", name="Speichern").click()
    assert page.get_by_text("hier: Weiteres Vorgehen").is_visible()
    assert page.get_by_text("hier: hier:").count() == 0

    # the paper: a draft, then submitted
    page.get_by_role("link", name="Beschlussvorlage anlegen").click()
    page.get_by_label("Federführendes Amt").select_option(label="50.3 Besondere soziale Aufgaben")
    page.get_by_label("Datum der Vorlage").fill(timezone.localdate().isoformat())
    page.get_by_label("Beschlussvorschlag").fill(
        "Der Ausschuss nimmt den Verwaltungsvorschlag zum weiteren Vorgehen zustimmend zur "
        "Kenntnis."
    )
    page.get_by_label(CONCEPT).check()
    page.get_by_role("button", name="Speichern").click()
    assert page.get_by_text("Noch nicht eingereicht.").is_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Vorlage einreichen").click()
    assert page.get_by_text("Die Vorlage ist eingereicht (Fassung 1)").is_visible()
    download = page.get_by_role("link", name="PDF herunterladen: Fassung 1 (Vorlage)")
    download.wait_for(timeout=120_000)  # rendered once, in the worker
    assert_accessible(page)
    paper = Paper.objects.get()
    assert Concept.objects.get().status == Concept.Status.SUBMITTED
    page.get_by_role("button", name="Abmelden").click()

    # a committee member downloads the final PDF at once: nothing to request, no waiting
    login(page, live_server, "ausschuss", TEST_PASSWORD)
    page.goto(f"{live_server.url}/gremien/vorlagen/{paper.pk}/")
    assert page.get_by_role("button", name="PDF anfordern").count() == 0
    link = page.get_by_role("link", name="PDF herunterladen: Fassung 1 (Vorlage)")
    assert link.is_visible()
    shown = page.locator("code").first.inner_text()
    assert_accessible(page)
    with page.expect_download() as info:
        link.click()
    target = tmp_path / info.value.suggested_filename
    info.value.save_as(target)
    assert re.fullmatch(r"Beschlussvorlage-TOP-5-Fassung-1\.pdf", target.name)
    content = target.read_bytes()
    assert content.startswith(b"%PDF-") and hashlib.sha256(content).hexdigest() == shown
    page.get_by_role("button", name="Abmelden").click()

    # the decision, in the meeting: it carries the meeting's date and locks the paper
    login(page, live_server, "moderation", TEST_PASSWORD)
    page.goto(f"{live_server.url}/gremien/sitzungen/{paper.agenda_item.meeting_id}/")
    page.get_by_role("link", name="Beschluss erfassen").click()
    assert page.get_by_text(
        f"Der Beschluss trägt das Datum der Sitzung: {day:%d.%m.%Y}."
    ).is_visible()
    page.get_by_label("zustimmend zur Kenntnis genommen").check()
    page.get_by_label("Beschlusstext").fill("Der Ausschuss nimmt zustimmend zur Kenntnis.")
    page.get_by_role("button", name="Beschluss speichern").click()
    assert page.get_by_text("Der Beschluss wurde erfasst.").is_visible()
    assert page.get_by_text(f"beschlossen am {day:%d.%m.%Y}").is_visible()
    assert_accessible(page)
    page.get_by_role("link", name=re.compile("Beschlussvorlage von 50.3")).click()
    assert page.get_by_text("Die Vorlage ist gesperrt").is_visible()
    assert page.get_by_role("link", name="Ergänzung oder Änderung einreichen").count() == 0
    assert "beschlossen" in page.get_by_role("listitem").filter(has_text=CONCEPT).inner_text()
    assert_accessible(page)

    # ... and flows back: the concept, and the idea's path
    assert Concept.objects.get().status == Concept.Status.ADOPTED
    assert Decision.objects.get().decided_on == day
    page.get_by_role("link", name=CONCEPT).click()
    assert page.get_by_text("beschlossen").first.is_visible()
    idea = ConceptIdea.objects.get().idea
    page.goto(f"{live_server.url}/umsetzung/ideen/{idea.pk}/weg/")
    assert page.get_by_text(f"zustimmend zur Kenntnis genommen ({day:%d.%m.%Y})").is_visible()
    assert PaperVersion.objects.count() == 1  # nothing submitted changed underneath
    assert csp_violations == []


def test_preview_of_a_draft_shows_its_progress(page, live_server, worker, csp_violations, tmp_path):
    """A draft's preview PDF: queued, its bar moving while the worker renders (the row is
    polled, not the broker), then the download, with the notice at the top following."""
    worker.stop()
    worker.env["SLOW_RENDER_STEP_SECONDS"] = "1"  # a slow render, so that the bar is seen
    worker.start(extra_args=SLOW_RENDER)
    UserFactory(username="ausschuss", role=Role.COMMITTEE)
    paper = PaperFactory(
        agenda_item__number="5",
        agenda_item__meeting__committee__name=COMMITTEE,
    )
    concept = CommitteeConceptFactory(title="Sprachkurse für Mütter an Grundschulen")
    ConceptIdea.objects.create(
        concept=concept, idea=IdeaFactory(title="Deutschkurs für Mütter in Sieglar"), position=0
    )
    paper_set_concepts(paper=paper, concepts=[concept], by=None)

    login(page, live_server, "ausschuss", TEST_PASSWORD)
    page.goto(f"{live_server.url}{paper.get_absolute_url()}")
    expect(page.get_by_role("heading", name="Beschlussvorlage", level=1)).to_be_visible()
    page.get_by_role("button", name="PDF anfordern").click()
    # queued, or already picked up by the worker
    expect(page.locator("#report-notice")).to_contain_text(
        re.compile(r"in der Warteschlange|wird erstellt")
    )
    progress = page.locator("progress.report-progress")
    progress.wait_for(state="attached")
    page.wait_for_function(
        "() => { const p = document.querySelector('progress.report-progress');"
        " return p && Number(p.value) >= 30; }",
        timeout=60_000,
    )
    assert_accessible(page)
    link = page.get_by_role("link", name=re.compile(r"PDF herunterladen \(Version 1"))
    link.wait_for(timeout=90_000)
    assert progress.count() == 0
    notice = page.locator("#report-notice")
    assert "ist fertig" in notice.inner_text()
    assert "Warteschlange" not in notice.inner_text()
    assert_accessible(page)
    with page.expect_download() as info:
        link.click()
    target = tmp_path / info.value.suggested_filename
    info.value.save_as(target)
    assert target.read_bytes().startswith(b"%PDF-")
