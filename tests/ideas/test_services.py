import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from freezegun import freeze_time

from ideas import services
from ideas.models import Attachment, Comment, Idea, IdeaStatusChange, Support
from roundtable.notifications import services as notification_services
from roundtable.notifications.models import Kind, Notification
from tests.factories import (
    DepartmentFactory,
    IdeaFactory,
    MunicipalityFactory,
    OrganisationFactory,
    TargetGroupFactory,
    UserFactory,
)
from tests.ideas.conftest import BETWEEN, OPEN, PDF

pytestmark = pytest.mark.django_db


def _submit(author, topic, **kwargs):
    values = {
        "author": author,
        "title": "Sprachkurse für Mütter",
        "description": "Deutschkurse am Vormittag.\n\nMit Kinderbetreuung.",
        "topic": topic,
    }
    values.update(kwargs)
    return services.idea_submit(**values)


def test_submit_in_open_phase_records_phase_and_relations(staff_user, topic, phases):
    groups = [TargetGroupFactory(), TargetGroupFactory()]
    places = [MunicipalityFactory(name="Troisdorf", slug="troisdorf")]
    department = DepartmentFactory(name="Ordnungsamt")
    with freeze_time(OPEN):
        idea = _submit(
            staff_user,
            topic,
            title="  Sprachkurse für Mütter  ",
            target_groups=groups,
            municipalities=places,
            department=department,
        )
    idea.refresh_from_db()
    assert idea.title == "Sprachkurse für Mütter"
    assert idea.phase == phases["ideenwerkstatt"]
    assert idea.status == Idea.Status.SUBMITTED
    assert idea.author == staff_user
    assert set(idea.target_groups.all()) == set(groups)
    assert list(idea.municipalities.all()) == places
    assert idea.submitted_for == department


def test_submit_outside_phase_is_refused_for_staff_but_not_moderators(
    staff_user, moderator, topic, phases
):
    with freeze_time(BETWEEN):
        with pytest.raises(PermissionDenied):
            _submit(staff_user, topic)
        idea = _submit(moderator, topic)
    assert idea.phase is None
    assert Idea.objects.count() == 1


def test_submit_for_department_and_organisation_at_once_is_invalid(moderator, topic):
    with pytest.raises(ValidationError):
        _submit(
            moderator, topic, department=DepartmentFactory(), organisation=OrganisationFactory()
        )
    assert not Idea.objects.exists()


def test_submit_with_attachment_checks_type(moderator, topic):
    from tests.ideas.conftest import SVG, upload

    idea = _submit(moderator, topic, attachments=[upload("konzept.pdf", PDF)])
    attachment = idea.attachments.get()
    assert attachment.content_type == "application/pdf"
    assert attachment.original_name == "konzept.pdf"
    with pytest.raises(ValidationError):
        _submit(moderator, topic, title="Zweite Idee", attachments=[upload("bild.pdf", SVG)])
    # the whole submission was rolled back
    assert Idea.objects.count() == 1
    assert Attachment.objects.count() == 1


def test_update_by_author_until_review(staff_user, moderator, topic):
    idea = IdeaFactory(author=staff_user, topic=topic)
    services.idea_update(
        idea=idea, by=staff_user, title="Neuer Titel", description="Neu", topic=topic
    )
    idea.refresh_from_db()
    assert idea.title == "Neuer Titel"
    services.idea_status_change(idea=idea, by=moderator, to_status=Idea.Status.IN_REVIEW)
    with pytest.raises(PermissionDenied):
        services.idea_update(
            idea=idea, by=staff_user, title="Zu spät", description="x", topic=topic
        )
    idea.refresh_from_db()
    assert idea.title == "Neuer Titel"


def test_support_toggle_keeps_count(staff_user, moderator):
    idea = IdeaFactory()
    assert services.idea_support_toggle(idea=idea, user=staff_user) is True
    assert services.idea_support_toggle(idea=idea, user=moderator) is True
    assert idea.support_count == 2
    assert services.idea_support_toggle(idea=idea, user=staff_user) is False
    idea.refresh_from_db()
    assert idea.support_count == 1
    assert list(Support.objects.values_list("user", flat=True)) == [moderator.pk]


def test_comments_thread_one_level_and_count_visible(staff_user, moderator):
    idea = IdeaFactory()
    first = services.comment_create(idea=idea, author=staff_user, text="Gute Idee")
    reply = services.comment_create(idea=idea, author=moderator, text="Danke", parent=first)
    answer_to_reply = services.comment_create(
        idea=idea, author=staff_user, text="Gern", parent=reply
    )
    assert reply.parent == first
    assert answer_to_reply.parent == first  # one level only
    idea.refresh_from_db()
    assert idea.comment_count == 3
    services.comment_hide(comment=reply, by=moderator, reason="Persönliche Daten")
    idea.refresh_from_db()
    assert idea.comment_count == 2
    reply.refresh_from_db()
    assert reply.is_hidden and reply.hidden_reason == "Persönliche Daten"
    assert reply.hidden_by == moderator


def test_comment_rules(staff_user, moderator, settings):
    idea = IdeaFactory()
    other = IdeaFactory()
    with pytest.raises(ValidationError):
        services.comment_create(idea=idea, author=staff_user, text="   ")
    first = services.comment_create(idea=other, author=staff_user, text="Woanders")
    with pytest.raises(ValidationError):
        services.comment_create(idea=idea, author=staff_user, text="x", parent=first)
    with pytest.raises(PermissionDenied):
        services.comment_hide(comment=first, by=staff_user, reason="nein")
    with pytest.raises(ValidationError):
        services.comment_hide(comment=first, by=moderator, reason=" ")


def test_comment_update_only_in_window(staff_user, moderator, settings):
    settings.IDEAS_COMMENT_EDIT_MINUTES = 15
    idea = IdeaFactory()
    with freeze_time("2004-10-15 10:00:00+02:00"):
        comment = services.comment_create(idea=idea, author=staff_user, text="Tippfehler")
    with freeze_time("2004-10-15 10:10:00+02:00"):
        services.comment_update(comment=comment, by=staff_user, text="Ohne Tippfehler")
        with pytest.raises(PermissionDenied):
            services.comment_update(comment=comment, by=moderator, text="Fremd")
    with freeze_time("2004-10-15 10:20:00+02:00"), pytest.raises(PermissionDenied):
        services.comment_update(comment=comment, by=staff_user, text="Zu spät")
    comment.refresh_from_db()
    assert comment.text == "Ohne Tippfehler"


def test_status_change_keeps_history_and_mails_author_after_commit(
    staff_user, moderator, eager_tasks, django_capture_on_commit_callbacks
):
    idea = IdeaFactory(author=staff_user, title="Sprachkurse für Mütter")
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        change = services.idea_status_change(
            idea=idea,
            by=moderator,
            to_status=Idea.Status.ACCEPTED,
            public_feedback="Wird im Workshop behandelt.",
            private_remark="Mit VHS klären",
        )
    # nothing is sent before the transaction commits
    assert mail.outbox == []
    assert len(callbacks) == 1
    callbacks[0]()
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [staff_user.email]
    assert "angenommen" in message.subject
    assert "Wird im Workshop behandelt." in message.body
    assert "Mit VHS klären" not in message.body  # private remarks stay private
    assert f"/ideen/{idea.pk}/" in message.body
    idea.refresh_from_db()
    assert idea.status == Idea.Status.ACCEPTED
    assert idea.public_feedback == "Wird im Workshop behandelt."
    assert (change.from_status, change.to_status) == (Idea.Status.SUBMITTED, Idea.Status.ACCEPTED)
    # the author's notification, written with the change, is what the mail was sent from
    notification = Notification.objects.get(recipient=staff_user)
    assert notification.kind == Kind.IDEA_STATUS
    assert notification.detail == "Wird im Workshop behandelt."
    assert notification.emailed_at is not None
    # the task may run twice: the author gets one mail
    assert notification_services.notification_email_send(notification_id=notification.pk) is False
    assert len(mail.outbox) == 1


def test_status_change_rejects_invalid_transitions(moderator, staff_user):
    idea = IdeaFactory()
    with pytest.raises(ValidationError):
        services.idea_status_change(idea=idea, by=moderator, to_status=Idea.Status.SUBMITTED)
    with pytest.raises(ValidationError):
        services.idea_status_change(idea=idea, by=moderator, to_status="erfunden")
    with pytest.raises(PermissionDenied):
        services.idea_status_change(idea=idea, by=staff_user, to_status=Idea.Status.ACCEPTED)
    assert not IdeaStatusChange.objects.exists()


def test_history_of_several_changes(moderator, django_capture_on_commit_callbacks):
    idea = IdeaFactory()
    with django_capture_on_commit_callbacks(execute=False):
        services.idea_status_change(idea=idea, by=moderator, to_status=Idea.Status.IN_REVIEW)
        services.idea_status_change(
            idea=idea, by=moderator, to_status=Idea.Status.DEFERRED, public_feedback="Später"
        )
        services.idea_status_change(idea=idea, by=moderator, to_status=Idea.Status.ACCEPTED)
    steps = list(idea.status_changes.values_list("from_status", "to_status"))
    assert steps == [
        ("submitted", "in_review"),
        ("in_review", "deferred"),
        ("deferred", "accepted"),
    ]
    idea.refresh_from_db()
    assert idea.public_feedback == "Später"  # a change without feedback keeps the last one


def test_bulk_status_change_skips_what_cannot_change(
    moderator, staff_user, django_capture_on_commit_callbacks
):
    ideas = IdeaFactory.create_batch(3)
    ideas[2].status = Idea.Status.IN_CONCEPT
    ideas[2].save()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        changed, skipped = services.idea_bulk_status_change(
            ideas=ideas, by=moderator, to_status=Idea.Status.REJECTED, public_feedback="Danke"
        )
    assert len(changed) == 2
    assert [idea for idea, _reason in skipped] == [ideas[2]]
    assert len(callbacks) == 2
    assert Idea.objects.filter(status=Idea.Status.REJECTED).count() == 2
    with pytest.raises(PermissionDenied):
        services.idea_bulk_status_change(ideas=ideas, by=staff_user, to_status="accepted")


def test_joining_a_concept_straight_from_submitted_accepts_on_the_way(
    moderator, eager_tasks, django_capture_on_commit_callbacks
):
    idea = IdeaFactory(status=Idea.Status.SUBMITTED, author__email="autorin@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        steps = services.idea_join_concept(idea=idea, by=moderator)
    assert [(s.from_status, s.to_status) for s in steps] == [
        (Idea.Status.SUBMITTED, Idea.Status.ACCEPTED),
        (Idea.Status.ACCEPTED, Idea.Status.IN_CONCEPT),
    ]
    assert idea.status == Idea.Status.IN_CONCEPT  # the caller's object is up to date
    assert [m.to for m in mail.outbox] == [["autorin@example.org"]]
    assert "in Konzept übernommen" in mail.outbox[0].subject
    # joining again (another concept) records nothing
    assert services.idea_join_concept(idea=idea, by=moderator) == []


def test_leaving_a_concept_makes_the_idea_accepted_again(
    moderator, eager_tasks, django_capture_on_commit_callbacks
):
    idea = IdeaFactory(status=Idea.Status.ACCEPTED)
    with django_capture_on_commit_callbacks(execute=True):
        services.idea_join_concept(idea=idea, by=moderator)
        step = services.idea_leave_concept(idea=idea, by=moderator)
    assert (step.from_status, step.to_status) == (Idea.Status.IN_CONCEPT, Idea.Status.ACCEPTED)
    assert idea.status == Idea.Status.ACCEPTED
    assert len(mail.outbox) == 2
    assert services.idea_leave_concept(idea=idea, by=moderator) is None
    assert IdeaStatusChange.objects.filter(idea=idea).count() == 2


def test_recount_repairs_counters(staff_user):
    idea = IdeaFactory()
    Support.objects.create(idea=idea, user=staff_user)
    Comment.objects.create(idea=idea, author=staff_user, text="a")
    Comment.objects.create(idea=idea, author=staff_user, text="b", is_hidden=True)
    Idea.objects.filter(pk=idea.pk).update(support_count=99, comment_count=99)
    services.idea_recount(idea_ids=[idea.pk])
    idea.refresh_from_db()
    assert (idea.support_count, idea.comment_count) == (1, 1)


def test_author_without_email_is_not_mailed(
    moderator, eager_tasks, django_capture_on_commit_callbacks
):
    author = UserFactory(username="ohnemail", email="")
    idea = IdeaFactory(author=author)
    with django_capture_on_commit_callbacks(execute=True):
        services.idea_status_change(idea=idea, by=moderator, to_status="accepted")
    assert mail.outbox == []
    # told in the portal all the same
    assert Notification.objects.filter(recipient=author, kind=Kind.IDEA_STATUS).exists()


@pytest.mark.worker
def test_real_worker_notifies_after_commit(transactional_db, worker, staff_user, moderator):
    import time

    idea = IdeaFactory(author=staff_user)
    services.idea_status_change(
        idea=idea, by=moderator, to_status=Idea.Status.ACCEPTED, public_feedback="Angenommen"
    )
    notification = Notification.objects.get(recipient=staff_user)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        notification.refresh_from_db()
        if notification.emailed_at:
            break
        time.sleep(0.3)
    assert notification.emailed_at is not None, worker.log()[-3000:]
    assert f"To: {staff_user.email}" in worker.log()  # the worker's console mail backend
