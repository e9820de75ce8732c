import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError

from ideas.models import Idea, IdeaStatusChange
from participants.models import Role
from tests.factories import DepartmentFactory, IdeaFactory, ParticipationFactory, UserFactory
from workshops import services
from workshops.models import Concept, ConceptIdea, ConceptSignoff, IdeaBoardState, SignoffReminder

from .factories import ConceptFactory, WorkshopFactory

pytestmark = pytest.mark.django_db


def test_workshop_create_sets_relations_and_moderator(moderator):
    dept = DepartmentFactory(name="Gesundheitsamt")
    ideas = IdeaFactory.create_batch(2)
    workshop = services.workshop_create(
        title="Workshop Sprache",
        starts_at="2005-01-20T10:00:00+01:00",
        departments=[dept],
        ideas=ideas,
        by=moderator,
    )
    assert list(workshop.moderators.all()) == [moderator]
    assert list(workshop.departments.all()) == [dept]
    assert set(workshop.ideas.all()) == set(ideas)


def test_workshop_create_can_take_all_ungrouped_ideas(moderator):
    open_idea = IdeaFactory()
    rejected = IdeaFactory(status=Idea.Status.REJECTED)
    grouped = IdeaFactory()
    services.concept_create(title="K", ideas=[grouped], by=moderator)
    workshop = services.workshop_create(
        title="W", starts_at="2005-01-20T10:00:00+01:00", include_ungrouped_ideas=True, by=moderator
    )
    assert set(workshop.ideas.all()) == {open_idea}
    assert rejected not in workshop.ideas.all()


def test_grouping_keeps_idea_and_sets_status_and_ungrouping_restores_it(moderator):
    idea = IdeaFactory(status=Idea.Status.ACCEPTED, support_count=3, comment_count=2)
    concept = services.concept_create(title="Sprachkurse", by=moderator)
    services.concept_add_ideas(concept=concept, ideas=[idea], by=moderator)
    idea.refresh_from_db()
    assert idea.status == Idea.Status.IN_CONCEPT
    assert idea.concept_link.concept == concept
    assert (idea.support_count, idea.comment_count) == (3, 2)
    change = IdeaStatusChange.objects.get(idea=idea)
    assert (change.from_status, change.to_status, change.changed_by) == (
        Idea.Status.ACCEPTED,
        Idea.Status.IN_CONCEPT,
        moderator,
    )
    services.concept_remove_idea(concept=concept, idea=idea, by=moderator)
    idea.refresh_from_db()
    assert idea.status == Idea.Status.ACCEPTED
    assert not ConceptIdea.objects.filter(idea=idea).exists()
    assert IdeaStatusChange.objects.filter(idea=idea).count() == 2


def test_grouping_a_submitted_idea_accepts_it_first(moderator, django_capture_on_commit_callbacks):
    idea = IdeaFactory(status=Idea.Status.SUBMITTED)
    concept = services.concept_create(title="Sprachkurse", by=moderator)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.idea_move(idea=idea, concept=concept, version=0, by=moderator)
    steps = list(IdeaStatusChange.objects.filter(idea=idea).values_list("from_status", "to_status"))
    assert steps == [
        (Idea.Status.SUBMITTED, Idea.Status.ACCEPTED),
        (Idea.Status.ACCEPTED, Idea.Status.IN_CONCEPT),
    ]
    assert callbacks  # the ideas app tells the author after commit


def test_grouping_a_submitted_idea_sends_its_author_one_e_mail(
    moderator, settings, django_capture_on_commit_callbacks
):
    from django.core import mail

    from roundtable.celery import app as celery_app

    idea = IdeaFactory(status=Idea.Status.SUBMITTED, author__email="autorin@example.org")
    concept = services.concept_create(title="Sprachkurse", by=moderator)
    eager = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = True
    try:
        with django_capture_on_commit_callbacks(execute=True):
            services.idea_move(idea=idea, concept=concept, version=0, by=moderator)
    finally:
        celery_app.conf.task_always_eager = eager
    assert [m.to for m in mail.outbox] == [["autorin@example.org"]]
    # one mail that names the concept, not a second one for the status on the way
    assert "in das Konzept „Sprachkurse“ übernommen" in mail.outbox[0].subject
    assert f"/workshops/konzepte/{concept.pk}/" in mail.outbox[0].body


def test_idea_move_orders_positions_and_bumps_version(moderator):
    a, b, c = IdeaFactory.create_batch(3)
    concept = services.concept_create(title="K", ideas=[a, b], by=moderator)
    state = services.idea_move(idea=c, concept=concept, position=0, version=0, by=moderator)
    assert state.version == 1
    order = list(concept.idea_links.order_by("position").values_list("idea_id", flat=True))
    assert order == [c.pk, a.pk, b.pk]
    # move a to the end within the concept
    version = IdeaBoardState.objects.get(idea=a).version
    services.idea_move(idea=a, concept=concept, position=99, version=version, by=moderator)
    order = list(concept.idea_links.order_by("position").values_list("idea_id", flat=True))
    assert order == [c.pk, b.pk, a.pk]
    # back to ungrouped
    services.idea_move(idea=b, concept=None, version=1, by=moderator)
    assert not ConceptIdea.objects.filter(idea=b).exists()
    assert IdeaBoardState.objects.get(idea=b).version == 2


def test_idea_move_in_front_of_another_idea(moderator):
    a, b, c = IdeaFactory.create_batch(3)
    concept = services.concept_create(title="K", ideas=[a, b], by=moderator)
    services.idea_move(idea=c, concept=concept, before=b.pk, version=0, by=moderator)
    order = list(concept.idea_links.order_by("position").values_list("idea_id", flat=True))
    assert order == [a.pk, c.pk, b.pk]
    # an idea that is not (or no longer) in the concept: to the end
    version = IdeaBoardState.objects.get(idea=a).version
    services.idea_move(idea=a, concept=concept, before=a.pk, version=version, by=moderator)
    order = list(concept.idea_links.order_by("position").values_list("idea_id", flat=True))
    assert order == [c.pk, b.pk, a.pk]


def test_stale_move_is_refused_with_a_german_message(moderator):
    idea = IdeaFactory(title="Deutschkurs für Mütter")
    first = services.concept_create(title="Erstes", by=moderator)
    second = services.concept_create(title="Zweites", by=moderator)
    services.idea_move(idea=idea, concept=first, version=0, by=moderator)
    with pytest.raises(services.StaleMove) as error:
        services.idea_move(idea=idea, concept=second, version=0, by=moderator)
    assert "inzwischen" in error.value.message and "Deutschkurs für Mütter" in error.value.message
    assert ConceptIdea.objects.get(idea=idea).concept == first


def test_idea_move_into_workshop_concept_treats_idea_in_workshop(moderator):
    workshop = WorkshopFactory()
    concept = services.concept_create(title="K", workshop=workshop, by=moderator)
    idea = IdeaFactory()
    services.idea_move(idea=idea, concept=concept, version=0, by=moderator)
    assert idea in workshop.ideas.all()


def test_locked_concept_refuses_new_ideas(moderator):
    concept = ConceptFactory(status=Concept.Status.ADOPTED)
    with pytest.raises(ValidationError):
        services.idea_move(idea=IdeaFactory(), concept=concept, version=0, by=moderator)


def test_concept_create_with_measures_and_update(moderator):
    dept = DepartmentFactory()
    concept = services.concept_create(
        title="Sprachförderung",
        measures=["Kurse planen", "", "Räume finden"],
        responsible_departments=[dept],
        by=moderator,
    )
    assert list(concept.measures.values_list("text", flat=True)) == ["Kurse planen", "Räume finden"]
    services.concept_update(
        concept=concept, title="Sprachförderung 2005", measures=["Nur eins"], by=moderator
    )
    concept.refresh_from_db()
    assert concept.title == "Sprachförderung 2005"
    assert concept.measures.count() == 1
    assert concept.history.count() >= 2
    assert concept.history.first().history_user == moderator


def test_concept_update_sets_its_ideas(moderator):
    a, b = IdeaFactory.create_batch(2, status=Idea.Status.ACCEPTED)
    concept = services.concept_create(title="K", ideas=[a], by=moderator)
    services.concept_update(concept=concept, title="K2", ideas=[b], by=moderator)
    a.refresh_from_db()
    b.refresh_from_db()
    assert a.status == Idea.Status.ACCEPTED and not hasattr(a, "concept_link")
    assert b.status == Idea.Status.IN_CONCEPT and b.concept_link.concept == concept


def test_concept_update_is_all_or_nothing(moderator):
    """An idea that cannot move (its concept is closed) leaves the concept as it was:
    title, measures and ideas."""
    mine, closed_ones = IdeaFactory.create_batch(2, status=Idea.Status.ACCEPTED)
    concept = services.concept_create(
        title="Sprachförderung", measures=["Kurse planen"], ideas=[mine], by=moderator
    )
    closed = services.concept_create(title="Beschlossen", ideas=[closed_ones], by=moderator)
    Concept.objects.filter(pk=closed.pk).update(status=Concept.Status.ADOPTED)
    with pytest.raises(ValidationError):
        services.concept_update(
            concept=concept,
            title="Sprachförderung 2005",
            measures=["Nur eins"],
            ideas=[closed_ones],
            by=moderator,
        )
    concept.refresh_from_db()
    assert concept.title == "Sprachförderung"
    assert list(concept.measures.values_list("text", flat=True)) == ["Kurse planen"]
    assert list(concept.idea_links.values_list("idea_id", flat=True)) == [mine.pk]
    mine.refresh_from_db()
    assert mine.status == Idea.Status.IN_CONCEPT


def test_status_transitions(moderator):
    concept = ConceptFactory()
    with pytest.raises(ValidationError):  # no responsible department yet
        services.concept_set_status(
            concept=concept, status=Concept.Status.IN_COORDINATION, by=moderator
        )
    concept.responsible_departments.add(DepartmentFactory())
    services.concept_set_status(
        concept=concept, status=Concept.Status.IN_COORDINATION, by=moderator
    )
    with pytest.raises(ValidationError):  # not all departments agreed
        services.concept_set_status(
            concept=concept, status=Concept.Status.COORDINATED, by=moderator
        )
    with pytest.raises(ValidationError):  # no jump
        services.concept_set_status(concept=concept, status=Concept.Status.ADOPTED, by=moderator)
    concept.refresh_from_db()
    assert concept.status == Concept.Status.IN_COORDINATION


def _concept_in_coordination(*departments):
    concept = ConceptFactory(status=Concept.Status.IN_COORDINATION)
    concept.responsible_departments.set(departments)
    return concept


def test_signoff_by_contact_and_member_reaches_coordinated_only_when_all_agree():
    health = DepartmentFactory(name="Gesundheitsamt")
    school = DepartmentFactory(name="Schulamt")
    contact = UserFactory(role=Role.STAFF)
    ParticipationFactory(department=health).contacts.add(contact)
    member = UserFactory(role=Role.STAFF, role__department=school)
    concept = _concept_in_coordination(health, school)

    services.signoff_record(
        concept=concept, department=health, decision=ConceptSignoff.Decision.AGREES, by=contact
    )
    concept.refresh_from_db()
    assert concept.status == Concept.Status.IN_COORDINATION
    services.signoff_record(
        concept=concept,
        department=school,
        decision=ConceptSignoff.Decision.OBJECTS,
        remarks="Räume fehlen.",
        by=member,
    )
    concept.refresh_from_db()
    assert concept.status == Concept.Status.IN_COORDINATION
    services.signoff_record(
        concept=concept,
        department=school,
        decision=ConceptSignoff.Decision.AGREES_WITH_REMARKS,
        remarks="Räume in der Schule am Nachmittag.",
        by=member,
    )
    concept.refresh_from_db()
    assert concept.status == Concept.Status.COORDINATED
    assert ConceptSignoff.objects.filter(concept=concept).count() == 2


def test_signoff_objection_needs_reason_and_stranger_is_refused():
    health = DepartmentFactory(name="Gesundheitsamt")
    member = UserFactory(role=Role.STAFF, role__department=health)
    concept = _concept_in_coordination(health)
    with pytest.raises(ValidationError):
        services.signoff_record(
            concept=concept, department=health, decision=ConceptSignoff.Decision.OBJECTS, by=member
        )
    stranger = UserFactory(role=Role.STAFF, role__department=DepartmentFactory())
    with pytest.raises(PermissionDenied):
        services.signoff_record(
            concept=concept, department=health, decision=ConceptSignoff.Decision.AGREES, by=stranger
        )


def test_signoff_reminder_mails_missing_departments_once(
    moderator, django_capture_on_commit_callbacks
):
    health = DepartmentFactory(name="Gesundheitsamt")
    school = DepartmentFactory(name="Schulamt")
    contact = UserFactory(role=Role.STAFF, email="kontakt@gesundheitsamt.example")
    ParticipationFactory(department=health).contacts.add(contact)
    UserFactory(role=Role.STAFF, role__department=school, email="schule@example.org")
    concept = _concept_in_coordination(health, school)
    services.signoff_record(
        concept=concept,
        department=school,
        decision=ConceptSignoff.Decision.AGREES,
        by=school.members.get().user,
    )
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        reminder = services.signoff_remind(concept=concept, by=moderator)
    assert len(callbacks) == 1  # the task is queued only after commit
    services.signoff_reminder_send(reminder_id=reminder.pk)
    services.signoff_reminder_send(reminder_id=reminder.pk)  # idempotent
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["kontakt@gesundheitsamt.example"]
    assert "Gesundheitsamt" in mail.outbox[0].body
    assert SignoffReminder.objects.get().sent_at is not None


def test_concept_workflow_state_offers_the_manual_steps_only(moderator):
    from workshops import selectors

    concept = ConceptFactory(status=Concept.Status.IN_COORDINATION)
    dept = DepartmentFactory()
    concept.responsible_departments.add(dept)
    state = selectors.concept_workflow_state(concept=concept, user=moderator)
    assert state["transitions"] == [Concept.Status.DRAFT]
    assert state["signoff"]["missing"] == [dept]
    assert state["my_departments"] == []
    submitted = ConceptFactory(status=Concept.Status.SUBMITTED)
    state = selectors.concept_workflow_state(concept=submitted, user=moderator)
    # the committee's decision sets these, not a button
    assert state["transitions"] == []
