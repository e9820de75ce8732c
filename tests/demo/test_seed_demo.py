import datetime

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.utils import timezone

from participants.models import Department, DepartmentParticipation, Municipality, Role
from roundtable.committees.models import AgendaItem, Committee, Meeting
from roundtable.demo.seed import PHASES, seed_demo, shift_for
from roundtable.timeline.models import Phase
from roundtable.timeline.selectors import phase_allowing

pytestmark = pytest.mark.django_db


def counts():
    return {
        model.__name__: model.objects.count()
        for model in (
            Department,
            DepartmentParticipation,
            Municipality,
            Phase,
            Committee,
            Meeting,
            AgendaItem,
            get_user_model(),
        )
    }


def test_seed_creates_the_seed_world():
    seed_demo(password="ein-langes-passwort")
    assert Department.objects.get(number="50.3").name == "Besondere soziale Aufgaben"
    for name in (
        "Ordnungsamt",
        "Schulamt",
        "Jugendamt",
        "Gesundheitsamt",
        "Gleichstellungsbeauftragte",
        "Polizeiverwaltung",
    ):
        assert DepartmentParticipation.objects.filter(department__name=name).exists(), name
    assert Municipality.objects.count() == 19
    assert Municipality.objects.filter(name="Troisdorf", kind=Municipality.Kind.CITY).exists()
    phases = list(Phase.objects.order_by("start"))
    assert [p.key for p in phases] == [p[0] for p in PHASES]
    assert phases[0].start == datetime.date(2004, 10, 1)
    assert phases[-1].end == datetime.date(2005, 6, 30)
    meeting = Meeting.objects.get(committee__name__startswith="Ausschuss für soziale")
    assert meeting.starts_at.date() == datetime.date(2004, 9, 21)
    users = get_user_model().objects.select_related("profile")
    roles = {u.username: u.profile.role for u in users}
    assert roles == {
        "mitarbeiter": Role.STAFF,
        "moderation": Role.MODERATOR,
        "ausschuss": Role.COMMITTEE,
        "admin": Role.ADMIN,
        "extern": Role.EXTERNAL,
    }
    assert users.get(username="mitarbeiter").profile.department.name == "Ordnungsamt"
    assert users.get(username="extern").profile.organisation.name.startswith("Caritasverband")
    assert users.get(username="admin").check_password("ein-langes-passwort")


def test_seed_is_idempotent():
    call_command("seed_demo")
    first = counts()
    call_command("seed_demo")
    call_command("seed_demo", "--open", "ideenwerkstatt")
    assert counts() == first


def test_generated_password_is_kept_on_rerun():
    first = seed_demo(password="")
    assert first.password_generated and first.password
    second = seed_demo(password="")
    assert second.password is None  # nothing new: logins unchanged
    user = get_user_model().objects.get(username="mitarbeiter")
    assert user.check_password(first.password)


def test_open_shifts_the_timeline_so_the_phase_is_open_today():
    seed_demo(password="x" * 12, open_phase="ideenwerkstatt")
    assert phase_allowing("allows_idea_submission").key == "ideenwerkstatt"
    seed_demo(password="x" * 12, open_phase="workshop")
    assert phase_allowing("allows_idea_submission") is None
    assert phase_allowing("allows_workshop_work").key == "workshop"
    # the meeting moves with the phases: still three weeks before the Ideenwerkstatt
    ideenwerkstatt = Phase.objects.get(key="ideenwerkstatt")
    meeting = Meeting.objects.get()
    assert (ideenwerkstatt.start - meeting.starts_at.date()).days == 10


def test_unknown_phase_is_refused():
    with pytest.raises(ValueError, match="unknown phase"):
        shift_for("nonsense")


@pytest.mark.parametrize(
    ("phase", "opened", "closed"),
    [
        (
            "ideenwerkstatt",
            ["ideas.add_idea"],
            ["workshops.use_board", "committees.add_paper", "implementation.add_measure"],
        ),
        (
            "workshop",
            ["workshops.use_board", "workshops.add_concept", "workshops.change_groupsuggestion"],
            ["ideas.add_idea", "committees.add_paper", "implementation.add_measure"],
        ),
        (
            "konzept-und-gremien",
            ["workshops.use_board", "committees.add_paper", "committees.add_decision"],
            ["implementation.add_measure"],
        ),
        (
            "einrichtung",
            ["committees.add_decision", "implementation.add_measure"],
            ["workshops.use_board", "ideas.add_idea"],
        ),
    ],
)
def test_open_opens_the_steps_of_that_phase(phase, opened, closed):
    """The demo stays explorable: ``--open PHASE`` makes that phase's steps possible
    today (for the people whose role allows them) and the others wait for theirs."""
    call_command("seed_demo", "--open", phase)
    users = get_user_model().objects
    moderator, staff = users.get(username="moderation"), users.get(username="mitarbeiter")
    for perm in opened:
        user = staff if perm == "ideas.add_idea" else moderator
        assert user.has_perm(perm), f"{phase}: {perm}"
    for perm in closed:
        user = staff if perm == "ideas.add_idea" else moderator
        assert not user.has_perm(perm), f"{phase}: {perm}"


def test_demo_paper_was_submitted_before_it_was_decided():
    from roundtable.committees.models import Decision, Paper, Report

    call_command("seed_demo", "--open", "workshop")
    paper = Paper.objects.get()
    version = paper.versions.get()
    assert version.number == 1 and version.content["concepts"]
    assert Report.objects.get(paper_version=version).variant == "pdf/a-3a"
    decision = Decision.objects.get(agenda_item=paper.agenda_item)
    assert decision.decided_on == timezone.localdate(paper.agenda_item.meeting.starts_at)
    assert paper.agenda_item.meeting.committee.name_genitive.startswith("des Ausschusses")
