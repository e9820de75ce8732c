import datetime

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError

from roundtable.implementation import services
from roundtable.implementation.models import Measure, MeasureNotice, ProgressNote
from roundtable.notifications.models import Kind, Notification
from tests.factories import OrganisationFactory
from tests.workshops.factories import ConceptFactory
from workshops.models import Concept

pytestmark = pytest.mark.django_db
S = Measure.Status


def test_measure_create_for_adopted_concept(measure, adopted_concept, troisdorf):
    assert measure.concept == adopted_concept
    assert list(measure.municipalities.all()) == [troisdorf]
    assert measure.status == S.PLANNED and measure.progress == 0
    assert measure.history.count() == 1
    assert measure.history.first().history_user.username == "moderation"


@pytest.mark.parametrize(
    "status", [Concept.Status.DRAFT, Concept.Status.SUBMITTED, Concept.Status.REJECTED]
)
def test_measure_create_refuses_undecided_concept(moderator, jugendamt, status):
    concept = ConceptFactory(status=status)
    with pytest.raises(ValidationError, match="beschlossene Konzepte"):
        services.measure_create(
            concept=concept, title="Kurs", responsible_department=jugendamt, by=moderator
        )
    assert not Measure.objects.exists()


@pytest.mark.parametrize("role", ["staff", "committee"])
def test_measure_create_needs_moderation(role_users, adopted_concept, jugendamt, role):
    with pytest.raises(PermissionDenied):
        services.measure_create(
            concept=adopted_concept,
            title="Kurs",
            responsible_department=jugendamt,
            by=role_users[role],
        )


def test_administrator_may_create(administrator, adopted_concept, jugendamt):
    measure = services.measure_create(
        concept=adopted_concept,
        title="Hausaufgabenhilfe",
        responsible_department=jugendamt,
        by=administrator,
    )
    assert measure.responsible == jugendamt


def test_exactly_one_responsible(moderator, adopted_concept, jugendamt):
    with pytest.raises(ValidationError):
        services.measure_create(concept=adopted_concept, title="Kurs", by=moderator)
    with pytest.raises(ValidationError):
        services.measure_create(
            concept=adopted_concept,
            title="Kurs",
            responsible_department=jugendamt,
            responsible_organisation=OrganisationFactory(),
            by=moderator,
        )


def test_end_not_before_start(moderator, adopted_concept, jugendamt):
    with pytest.raises(ValidationError):
        services.measure_create(
            concept=adopted_concept,
            title="Kurs",
            responsible_department=jugendamt,
            starts_on=datetime.date(2005, 6, 1),
            ends_on=datetime.date(2005, 5, 1),
            by=moderator,
        )


def test_measure_update(measure, moderator, jugendamt, staff_user):
    services.measure_update(
        measure=measure,
        by=moderator,
        title="Deutschkurse für Mütter und Väter",
        responsible_department=jugendamt,
        municipalities=[],
    )
    measure.refresh_from_db()
    assert measure.title == "Deutschkurse für Mütter und Väter"
    assert measure.responsible == jugendamt
    assert measure.municipalities.count() == 0
    assert measure.history.count() == 2
    with pytest.raises(PermissionDenied):
        services.measure_update(
            measure=measure, by=staff_user, title="x", responsible_department=jugendamt
        )


def test_status_flow_moves_concept_and_notifies_authors(
    measure, moderator, adopted_concept, eager_celery, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.measure_set_status(
            measure=measure, status=S.STARTED, progress=30, note="Erster Kurs läuft", by=moderator
        )
    measure.refresh_from_db()
    adopted_concept.refresh_from_db()
    assert measure.status == S.STARTED and measure.progress == 30
    assert adopted_concept.status == Concept.Status.IN_IMPLEMENTATION
    authors = {link.idea.author.email for link in adopted_concept.idea_links.all()}
    assert len(mail.outbox) == len(authors) == 2
    assert {m.to[0] for m in mail.outbox} == authors
    assert "hat begonnen" in mail.outbox[0].subject
    assert f"/umsetzung/massnahmen/{measure.pk}/" in mail.outbox[0].body

    with django_capture_on_commit_callbacks(execute=True):
        services.measure_set_status(measure=measure, status=S.DONE, by=moderator)
    measure.refresh_from_db()
    adopted_concept.refresh_from_db()
    assert measure.progress == 100
    assert adopted_concept.status == Concept.Status.IMPLEMENTED
    assert len(mail.outbox) == 4
    assert "umgesetzt" in mail.outbox[-1].subject
    assert list(
        ProgressNote.objects.filter(measure=measure).values_list("progress", flat=True)
    ) == [
        100,
        30,
    ]


def test_notification_is_written_once(measure, moderator, adopted_concept):
    assert services.measure_notify(measure=measure, kind="started", by=moderator) is True
    assert services.measure_notify(measure=measure, kind="started", by=moderator) is False
    authors = {link.idea.author for link in adopted_concept.idea_links.all()}
    told = Notification.objects.filter(kind=Kind.MEASURE)
    assert {n.recipient for n in told} == authors and told.count() == 2
    assert MeasureNotice.objects.get(measure=measure, kind="started").sent_at is not None


def test_a_status_that_goes_back_and_forth_tells_once(measure, moderator):
    services.measure_set_status(measure=measure, status=S.STARTED, by=moderator)
    services.measure_set_status(measure=measure, status=S.PLANNED, by=moderator)
    services.measure_set_status(measure=measure, status=S.STARTED, by=moderator)
    assert Notification.objects.filter(kind=Kind.MEASURE).count() == 2  # two authors, once


def test_notification_queued_only_after_commit(
    measure, moderator, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.measure_set_status(measure=measure, status=S.STARTED, by=moderator)
    assert len(callbacks) == 2  # one e-mail for each of the two authors
    assert mail.outbox == []


def test_progress_change_without_status_change_does_not_notify(
    measure, moderator, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.measure_set_status(measure=measure, status=S.PLANNED, progress=10, by=moderator)
    assert callbacks == []
    measure.refresh_from_db()
    assert measure.progress == 10


@pytest.mark.parametrize(
    ("start", "target"),
    [(S.PLANNED, S.DONE), (S.DONE, S.PLANNED), (S.CANCELLED, S.DONE), (S.CANCELLED, S.STARTED)],
)
def test_forbidden_transitions(measure, moderator, start, target):
    Measure.objects.filter(pk=measure.pk).update(status=start)
    with pytest.raises(ValidationError):
        services.measure_set_status(measure=measure, status=target, by=moderator)


def test_progress_out_of_range(measure, moderator):
    with pytest.raises(ValidationError):
        services.measure_set_status(measure=measure, status=S.PLANNED, progress=101, by=moderator)


@pytest.mark.parametrize("role", ["staff", "committee"])
def test_status_needs_moderation(measure, role_users, role):
    with pytest.raises(PermissionDenied):
        services.measure_set_status(measure=measure, status=S.STARTED, by=role_users[role])


def test_cancelled_measure_does_not_block_implemented(
    measure, moderator, adopted_concept, jugendamt, eager_celery
):
    other = services.measure_create(
        concept=adopted_concept, title="Zweite", responsible_department=jugendamt, by=moderator
    )
    services.measure_set_status(measure=other, status=S.CANCELLED, by=moderator)
    services.measure_set_status(measure=measure, status=S.STARTED, by=moderator)
    services.measure_set_status(measure=measure, status=S.DONE, by=moderator)
    adopted_concept.refresh_from_db()
    assert adopted_concept.status == Concept.Status.IMPLEMENTED


def test_milestones(measure, moderator, staff_user):
    milestone = services.milestone_add(
        measure=measure, title="Räume vereinbart", due_on=datetime.date(2005, 7, 1), by=moderator
    )
    services.milestone_set_done(
        milestone=milestone, by=moderator, done_on=datetime.date(2005, 6, 20)
    )
    milestone.refresh_from_db()
    assert milestone.done_on == datetime.date(2005, 6, 20)
    with pytest.raises(PermissionDenied):
        services.milestone_add(
            measure=measure, title="x", due_on=datetime.date(2005, 7, 1), by=staff_user
        )
