"""What a closed phase says, and that services refuse outside their phase."""

import datetime

import pytest
from freezegun import freeze_time

from participants.models import Role
from roundtable.committees.models import Decision
from roundtable.committees.services import decision_record, paper_create, paper_submit
from roundtable.implementation.services import measure_create
from roundtable.timeline.gates import (
    COMMITTEE_WORK,
    IMPLEMENTATION,
    WORKSHOP_WORK,
    PhaseClosed,
    phase_closed_message,
    phase_refusal,
    phase_require,
)
from tests.committees.factories import paper_with_concepts
from tests.factories import AgendaItemFactory, DepartmentFactory, IdeaFactory, UserFactory
from tests.workshops.factories import ConceptFactory
from workshops import services as workshop_services

pytestmark = pytest.mark.django_db

KONZEPT = "Erarbeitung eines Konzeptvorschlages und Vorstellung in den politischen Gremien"


@freeze_time("2004-10-15")
def test_before_the_phase_the_message_says_when_it_opens(seed_phases):
    assert phase_closed_message(WORKSHOP_WORK) == (
        "Dieser Schritt gehört zur Workshoparbeit. Sie öffnet am 01.01.2005 mit der Phase "
        "„Workshop“ (bis 28.02.2005)."
    )
    assert phase_closed_message(COMMITTEE_WORK).startswith(
        f"Dieser Schritt gehört zur Gremienarbeit. Sie öffnet am 01.03.2005 mit der Phase „{KONZEPT}“"
    )
    assert "01.06.2005" in phase_closed_message(IMPLEMENTATION)


@freeze_time("2005-05-15")
def test_after_the_last_phase_the_message_says_it_closed(seed_phases):
    assert phase_closed_message(WORKSHOP_WORK) == (
        "Dieser Schritt gehört zur Workshoparbeit. Sie ist abgeschlossen: Die Phase "
        f"„{KONZEPT}“ endete am 30.04.2005."
    )
    # the committee work opens again with the Einrichtung
    assert "Sie öffnet am 01.06.2005" in phase_closed_message(COMMITTEE_WORK)


def test_without_any_phase_the_message_says_so(db):
    assert phase_closed_message(IMPLEMENTATION) == (
        "Dieser Schritt gehört zur Umsetzung. Das Zeitraster sieht dafür zurzeit keine Phase vor."
    )


@freeze_time("2005-01-20")
def test_open_phase_has_no_message(seed_phases):
    assert phase_closed_message(WORKSHOP_WORK) is None
    phase_require(WORKSHOP_WORK)  # no exception
    with pytest.raises(PhaseClosed) as refused:
        phase_require(COMMITTEE_WORK)
    assert refused.value.capability == COMMITTEE_WORK
    assert "01.03.2005" in refused.value.messages[0]


@freeze_time("2004-10-15")
def test_refusal_explains_the_phase_only_to_those_whose_role_allows(seed_phases):
    staff = UserFactory(role=Role.STAFF)
    moderator = UserFactory(role=Role.MODERATOR)
    assert phase_refusal(staff, "workshops.use_board", WORKSHOP_WORK) is None
    assert "01.01.2005" in phase_refusal(moderator, "workshops.use_board", WORKSHOP_WORK)


def test_unknown_capability_is_a_programming_error(db):
    with pytest.raises(ValueError):
        phase_closed_message("allows_everything")


def _services(moderator):
    """One call of each kind of service bound to a phase (the demo passes check=False)."""
    concept = ConceptFactory()
    idea = IdeaFactory()
    paper = paper_with_concepts(concepts=1, ideas_per_concept=0)
    return {
        "Konzept anlegen": lambda: workshop_services.concept_create(title="Neu", by=moderator),
        "Konzept bearbeiten": lambda: workshop_services.concept_update(
            concept=concept, title="Geändert", by=moderator
        ),
        "Idee verschieben": lambda: workshop_services.idea_move(
            idea=idea, concept=concept, version=0, by=moderator
        ),
        "Status setzen": lambda: workshop_services.concept_set_status(
            concept=concept, status="in_coordination", by=moderator
        ),
        "Vorschläge berechnen": lambda: workshop_services.suggestion_run_request(
            workshop=None, by=moderator
        ),
        "Vorlage anlegen": lambda: paper_create(
            agenda_item=AgendaItemFactory(),
            department=DepartmentFactory(),
            date=datetime.date(2005, 3, 1),
            resolution_proposal="Zustimmung.",
            by=moderator,
        ),
        "Vorlage einreichen": lambda: paper_submit(paper=paper, by=moderator),
        "Beschluss erfassen": lambda: decision_record(
            agenda_item=paper.agenda_item,
            text="Zugestimmt.",
            result=Decision.Result.APPROVED,
            by=moderator,
        ),
        "Maßnahme anlegen": lambda: measure_create(concept=concept, title="Kurs", by=moderator),
    }


@freeze_time("2004-10-15")
def test_every_service_refuses_outside_its_phase(seed_phases, moderator):
    refused = {}
    for name, call in _services(moderator).items():
        with pytest.raises(PhaseClosed) as error:
            call()
        refused[name] = error.value.messages[0]
    assert all(message.startswith("Dieser Schritt gehört zur ") for message in refused.values())
    assert "Workshoparbeit" in refused["Idee verschieben"]
    assert "Gremienarbeit" in refused["Beschluss erfassen"]
    assert "Umsetzung" in refused["Maßnahme anlegen"]
