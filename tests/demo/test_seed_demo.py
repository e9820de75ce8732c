import datetime

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

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
