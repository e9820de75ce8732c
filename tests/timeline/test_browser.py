"""Every page this work added, in real Chromium with axe: no WCAG 2.1 A/AA violation,
no Content Security Policy violation."""

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone

from participants.models import Department
from roundtable.committees import services as committee_services
from roundtable.committees.models import Committee, Meeting
from roundtable.demo.seed import seed_demo
from roundtable.timeline.models import Phase
from tests.conftest import assert_accessible, login
from workshops import services as workshop_services
from workshops.models import Concept, ConceptSignoff

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "Barrierefrei-2005!"


@pytest.fixture
def world():
    """The demo, in the phase of concepts and committees (the implementation waits),
    with a changed agreed concept and a submitted paper that can be corrected."""
    seed_demo(password=PASSWORD, open_phase="konzept-und-gremien")
    moderator = get_user_model().objects.get(username="moderation")
    ordnungsamt = Department.objects.get(name="Ordnungsamt")
    concept = workshop_services.concept_create(
        title="Begegnungscafé für Familien",
        summary="Ein Café im Familienzentrum, zweimal im Monat.",
        responsible_departments=[ordnungsamt],
        by=moderator,
    )
    workshop_services.concept_set_status(concept=concept, status="in_coordination", by=moderator)
    ConceptSignoff.objects.create(
        concept=concept, department=ordnungsamt, decision="agrees", signed_at=timezone.now()
    )
    workshop_services.concept_set_status(
        concept=concept, status="coordinated", by=None, check=False
    )
    workshop_services.concept_update(
        concept=concept, summary="Ein Café im Familienzentrum, jeden Freitag.", by=moderator
    )
    meeting = Meeting.objects.get()
    item = committee_services.agenda_item_create(
        meeting=meeting, number="6", title="Begegnungscafé", by=moderator
    )
    paper = committee_services.paper_create(
        agenda_item=item,
        department=Department.objects.get(number="50.3"),
        date=timezone.localdate(),
        resolution_proposal="Der Ausschuss nimmt Kenntnis.",
        by=moderator,
    )
    committee_services.paper_submit(paper=paper, by=moderator)
    return {
        "concept": concept,
        "meeting": meeting,
        "item": item,
        "paper": paper,
        "phase": Phase.objects.get(key="workshop"),
        "committee": Committee.objects.get(short_name="Sozialausschuss"),
    }


def _check(page, live_server, url: str) -> None:
    response = page.goto(f"{live_server.url}{url}")
    assert response.status in (200, 403), f"{url}: {response.status}"
    assert_accessible(page)


def test_new_pages_have_no_accessibility_violations(page, live_server, world, csp_violations):
    login(page, live_server, "moderation", PASSWORD)
    for url in [
        reverse("timeline:phase_create"),
        reverse("timeline:phase_edit", args=[world["phase"].pk]),
        reverse("workshops:concept_versions", args=[world["concept"].pk]),
        reverse("workshops:concept_detail", args=[world["concept"].pk]),
        reverse("committees:meeting_create"),
        reverse("committees:meeting_edit", args=[world["meeting"].pk]),
        reverse("committees:meeting_detail", args=[world["meeting"].pk]),
        reverse("committees:agenda_item_create", args=[world["meeting"].pk]),
        reverse("committees:agenda_item_edit", args=[world["item"].pk]),
        reverse("committees:paper_detail", args=[world["paper"].pk]),
        reverse("committees:paper_correct", args=[world["paper"].pk]),
        reverse("committees:committee_detail", args=[world["committee"].pk]),
        # the implementation waits for its phase: the page says when it opens
        reverse("implementation:measure_create"),
    ]:
        _check(page, live_server, url)
    assert page.get_by_text("Dieser Schritt gehört zur Umsetzung. Sie öffnet am").is_visible()
    page.get_by_role("button", name="Abmelden").click()

    login(page, live_server, "mitarbeiter", PASSWORD)  # signs for the Ordnungsamt
    _check(page, live_server, reverse("workshops:concept_signoff", args=[world["concept"].pk]))
    assert page.get_by_text("Geändert seit der abgestimmten Fassung 1").is_visible()
    page.get_by_role("button", name="Abmelden").click()

    login(page, live_server, "admin", PASSWORD)
    for url in [
        reverse("committees:committee_create"),
        reverse("committees:committee_edit", args=[world["committee"].pk]),
        reverse("committees:committee_members", args=[world["committee"].pk]),
    ]:
        _check(page, live_server, url)
    assert csp_violations == []
    assert Concept.objects.get(pk=world["concept"].pk).status == "in_coordination"
