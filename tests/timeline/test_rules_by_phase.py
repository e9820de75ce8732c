"""Every rule bound to a phase, for every role, on a day of each phase of the seed's
Zeitraster (and between them): allowed exactly when the role may and the phase is open.

The administrator here has the role without being a superuser: Django lets a superuser
pass every rule, so for them the pages and services check the phase themselves
(tests/timeline/test_views.py)."""

import pytest
from freezegun import freeze_time

from participants.models import Role
from roundtable.committees.services import paper_submit
from roundtable.timeline.gates import COMMITTEE_WORK, IMPLEMENTATION, WORKSHOP_WORK
from tests.committees.factories import paper_with_concepts
from tests.factories import DepartmentFactory, UserFactory
from tests.workshops.factories import ConceptFactory
from workshops.models import Concept

from .conftest import DAYS

MODERATION = {"moderator", "admin"}

#: perm → (the capability that opens it, the roles it is for, the object it is asked for)
GATED = {
    "workshops.use_board": (WORKSHOP_WORK, MODERATION, None),
    "workshops.add_concept": (WORKSHOP_WORK, MODERATION, None),
    "workshops.change_concept": (WORKSHOP_WORK, MODERATION, "draft_concept"),
    "workshops.change_concept_status": (WORKSHOP_WORK, MODERATION, None),
    "workshops.change_groupsuggestion": (WORKSHOP_WORK, MODERATION, None),
    "workshops.remind_conceptsignoff": (WORKSHOP_WORK, MODERATION, None),
    # the staff member belongs to the responsible department
    "workshops.add_conceptsignoff": (WORKSHOP_WORK, {"staff"}, "concept_in_coordination"),
    "committees.add_paper": (COMMITTEE_WORK, MODERATION, None),
    "committees.change_paper": (COMMITTEE_WORK, MODERATION, "draft_paper"),
    "committees.submit_paper": (COMMITTEE_WORK, MODERATION, "draft_paper"),
    "committees.correct_paper": (COMMITTEE_WORK, MODERATION, "submitted_paper"),
    "committees.add_decision": (COMMITTEE_WORK, MODERATION, None),
    "implementation.add_measure": (IMPLEMENTATION, MODERATION, None),
    "implementation.change_measure": (IMPLEMENTATION, MODERATION, None),
}

#: Not bound to a phase: planning (workshops, meetings, agendas, the phases themselves)
#: and reading.
UNGATED = {
    "workshops.add_workshop": MODERATION,
    "workshops.view_groupsuggestion": MODERATION,
    "committees.add_meeting": MODERATION,
    "committees.add_agendaitem": MODERATION,
    "committees.view_report": {"moderator", "committee", "admin"},
    "timeline.change_phase": MODERATION,
    "timeline.add_phase": MODERATION,
    "implementation.view_measure": {"staff", "moderator", "committee", "admin"},
}


@pytest.fixture
def people(db):
    department = DepartmentFactory(name="Jugendamt")
    admin = UserFactory(username="verwaltung", role=Role.ADMIN)
    admin.is_superuser = False
    admin.save()
    return {
        "staff": UserFactory(username="mitarbeiter", role=Role.STAFF, role__department=department),
        "moderator": UserFactory(username="moderation", role=Role.MODERATOR),
        "committee": UserFactory(username="ausschuss", role=Role.COMMITTEE),
        "admin": admin,
        "department": department,
    }


@pytest.fixture
def objects(people):
    in_coordination = ConceptFactory(status=Concept.Status.IN_COORDINATION)
    in_coordination.responsible_departments.add(people["department"])
    submitted = paper_with_concepts(concepts=1, ideas_per_concept=0)
    paper_submit(paper=submitted, by=people["moderator"], check=False)
    return {
        None: None,
        "draft_concept": ConceptFactory(),
        "concept_in_coordination": in_coordination,
        "draft_paper": paper_with_concepts(concepts=1, ideas_per_concept=0),
        "submitted_paper": submitted,
    }


@pytest.mark.parametrize("role", ["staff", "moderator", "committee", "admin"])
@pytest.mark.parametrize("when", list(DAYS))
def test_every_gated_rule_by_role_and_phase(seed_phases, people, objects, when, role):
    date, open_capabilities = DAYS[when]
    user = people[role]
    wrong = []
    with freeze_time(date):
        for perm, (capability, roles, obj) in GATED.items():
            expected = role in roles and capability in open_capabilities
            if user.has_perm(perm, objects[obj]) is not expected:
                wrong.append(f"{perm}: expected {expected}")
        for perm, roles in UNGATED.items():
            if user.has_perm(perm) is not (role in roles):
                wrong.append(f"{perm} (no phase): expected {role in roles}")
    assert wrong == [], f"{role} on {date} ({when}): " + "; ".join(wrong)


def test_a_flag_changed_in_the_portal_changes_the_rule(seed_phases, people):
    """What a phase opens is data: moderation switches the committee work on in the
    Workshop phase, and from then on papers can be prepared there."""
    moderator = people["moderator"]
    with freeze_time("2005-01-20"):
        assert not moderator.has_perm("committees.add_paper")
        workshop = next(p for p in seed_phases if p.key == "workshop")
        workshop.allows_committee_work = True
        workshop.save()
        assert moderator.has_perm("committees.add_paper")
