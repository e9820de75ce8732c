"""The events the apps above tell of (each in its own service, in its own transaction):
who hears what, and nobody twice."""

import pytest

from ideas import services as idea_services
from ideas.models import Idea
from participants.models import Role
from roundtable.committees import services as committee_services
from roundtable.committees.models import Decision, Report
from roundtable.notifications import services
from roundtable.notifications.models import Kind, Notification
from tests.committees.factories import paper_with_concepts
from tests.factories import DepartmentFactory, IdeaFactory, ParticipationFactory, UserFactory
from tests.workshops.factories import ConceptFactory
from workshops import services as workshop_services

pytestmark = pytest.mark.django_db


def _told(kind=None):
    rows = Notification.objects.select_related("recipient")
    if kind:
        rows = rows.filter(kind=kind)
    return {(n.recipient.username, n.message) for n in rows}


def test_a_comment_reaches_the_followers_and_a_reply_the_one_answered(staff_user, moderator):
    author = UserFactory(username="autorin")
    follower = UserFactory(username="folgt")
    idea = IdeaFactory(author=author, title="Sprachcafé")
    services.follow(user=author, target=idea)
    services.follow(user=follower, target=idea)
    comment = idea_services.comment_create(idea=idea, author=staff_user, text="Gute Idee!")
    name = staff_user.get_full_name()
    assert _told(Kind.COMMENT) == {
        ("autorin", f"{name} hat die Idee „Sprachcafé“ kommentiert."),
        ("folgt", f"{name} hat die Idee „Sprachcafé“ kommentiert."),
    }
    assert Notification.objects.get(recipient=follower).link.endswith(f"#kommentar-{comment.pk}")
    Notification.objects.all().delete()
    idea_services.comment_create(idea=idea, author=moderator, text="Danke!", parent=comment)
    assert _told(Kind.COMMENT) == {
        (
            "mitarbeiter",
            f"{moderator.get_full_name()} hat auf Ihren Kommentar zur Idee „Sprachcafé“ geantwortet.",
        ),
        ("autorin", f"{moderator.get_full_name()} hat die Idee „Sprachcafé“ kommentiert."),
        ("folgt", f"{moderator.get_full_name()} hat die Idee „Sprachcafé“ kommentiert."),
    }


def test_a_status_change_reaches_the_author_and_the_followers(moderator):
    author = UserFactory(username="autorin")
    follower = UserFactory(username="folgt")
    idea = IdeaFactory(author=author, title="Sprachcafé")  # the author does not follow it
    services.follow(user=follower, target=idea)
    idea_services.idea_status_change(
        idea=idea, by=moderator, to_status=Idea.Status.ACCEPTED, public_feedback="Schön!"
    )
    assert _told() == {
        (
            "autorin",
            "Ihre Idee „Sprachcafé“ hat jetzt den Status „angenommen“; die Moderation hat "
            "Ihnen geantwortet.",
        ),
        ("folgt", "Die Idee „Sprachcafé“, der Sie folgen, hat jetzt den Status „angenommen“."),
    }
    assert set(Notification.objects.values_list("detail", flat=True)) == {"Schön!"}


def test_an_idea_taken_into_a_concept_is_one_notification_naming_the_concept(moderator):
    author = UserFactory(username="autorin")
    idea = IdeaFactory(author=author, title="Sprachcafé", status=Idea.Status.SUBMITTED)
    concept = workshop_services.concept_create(title="Begegnung", by=moderator)
    workshop_services.idea_move(idea=idea, concept=concept, version=0, by=moderator)
    assert _told() == {
        ("autorin", "Ihre Idee „Sprachcafé“ ist in das Konzept „Begegnung“ übernommen.")
    }
    notification = Notification.objects.get()
    assert notification.kind == Kind.IDEA_IN_CONCEPT
    assert notification.link == concept.get_absolute_url()
    # moved within the same concept: nothing new to tell
    workshop_services.idea_move(idea=idea, concept=concept, version=1, position=0, by=moderator)
    assert Notification.objects.count() == 1


def test_sign_off_is_requested_from_the_departments_contacts(moderator):
    with_contact = DepartmentFactory(name="Jugendamt")
    without_contact = DepartmentFactory(name="Schulamt")
    contact = UserFactory(username="kontakt")
    ParticipationFactory(department=with_contact).contacts.add(contact)
    UserFactory(username="kollege", role__department=with_contact)  # not the contact
    member = UserFactory(username="schulamt", role__department=without_contact)
    concept = ConceptFactory(title="Sprachförderung")
    concept.responsible_departments.set([with_contact, without_contact])
    workshop_services.concept_set_status(concept=concept, status="in_coordination", by=moderator)
    told = _told(Kind.SIGNOFF_REQUESTED)
    assert {username for username, _text in told} == {"kontakt", "schulamt"}
    assert "Bitte zeichnen Sie das Konzept „Sprachförderung“ für Ihr Amt mit." in {
        t for _u, t in told
    }
    assert Notification.objects.filter(recipient=member).get().link.endswith("/mitzeichnen/")


def test_a_finished_report_reaches_followers_who_may_read_it_and_who_asked(
    committee_member, staff_user, moderator, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    paper = paper_with_concepts(concepts=1, ideas_per_concept=1)
    services.follow(user=staff_user, target=paper)  # a public paper; reports are not for staff
    services.follow(user=moderator, target=paper)
    report = Report.objects.create(paper=paper, version=1, requested_by=committee_member)
    committee_services.report_generate(report_id=report.pk)
    told = Notification.objects.filter(kind=Kind.REPORT_READY)
    assert {n.recipient for n in told} == {committee_member, moderator}
    assert "(Version 1) ist fertig." in told.first().message
    assert told.first().link == paper.get_absolute_url()
    # the task running again tells nobody again
    committee_services.report_generate(report_id=report.pk)
    assert told.count() == 2


def test_a_decision_reaches_each_idea_author_once_and_followers_who_may_see_it(moderator):
    paper = paper_with_concepts(concepts=2, ideas_per_concept=2)
    concepts = [link.concept for link in paper.concept_links.all()]
    ideas = [link.idea for c in concepts for link in c.idea_links.all()]
    author = UserFactory(username="autorin")
    Idea.objects.filter(pk__in=[ideas[0].pk, ideas[2].pk]).update(author=author)
    concept_follower = UserFactory(username="konzept")
    services.follow(user=concept_follower, target=concepts[1])
    services.follow(user=author, target=paper)
    committee_services.paper_submit(paper=paper, by=moderator)  # decided is what was submitted
    committee_services.decision_record(
        agenda_item=paper.agenda_item,
        text="Der Ausschuss stimmt zu.",
        result=Decision.Result.APPROVED,
        by=moderator,
    )
    told = Notification.objects.filter(kind=Kind.DECISION)
    assert told.filter(recipient=author).count() == 1
    mine = told.get(recipient=author)
    assert "mit Ihrer Idee" in mine.message and "zugestimmt" in mine.message
    assert mine.detail == "Der Ausschuss stimmt zu."
    assert told.get(recipient=concept_follower).message.endswith(
        f"zum Konzept „{concepts[1].title}“: zugestimmt"
    )
    authors = Idea.objects.filter(pk__in=[i.pk for i in ideas]).values_list("author", flat=True)
    other_authors = {a for a in authors if a != author.pk}
    assert len(other_authors) == 2
    assert other_authors <= {n.recipient_id for n in told}


def test_a_non_public_decision_reaches_only_those_who_may_see_it(moderator, committee_member):
    paper = paper_with_concepts(concepts=1, ideas_per_concept=1)
    paper.agenda_item.is_public = False
    paper.agenda_item.save()
    staff_author = paper.concept_links.get().concept.idea_links.get().idea.author
    services.follow(user=committee_member, target=paper)
    committee_services.paper_submit(paper=paper, by=moderator)
    committee_services.decision_record(
        agenda_item=paper.agenda_item,
        text="Vertagt.",
        result=Decision.Result.DEFERRED,
        by=moderator,
    )
    told = {n.recipient for n in Notification.objects.filter(kind=Kind.DECISION)}
    assert committee_member in told and staff_author not in told


def test_meeting_invitations_go_to_the_committee_members_with_the_calendar(moderator):
    from roundtable.committees.services import meeting_invitations_send
    from tests.factories import MeetingFactory

    member = UserFactory(username="kreistag", role=Role.COMMITTEE)
    UserFactory(username="andere")
    meeting = MeetingFactory(place="Kreishaus")
    assert meeting_invitations_send(meeting=meeting, by=moderator) == 1
    notification = Notification.objects.get()
    assert notification.recipient == member and notification.kind == Kind.INVITATION
    assert notification.message.startswith("Einladung: Sitzung „")
    [attachment] = notification.attachments
    assert attachment["method"] == "REQUEST"
    assert f"UID:meeting-{meeting.pk}@" in attachment["content"]


def test_a_moved_meeting_updates_the_invited_calendars(moderator):
    import datetime
    import re

    from roundtable.committees.services import meeting_invitations_send, meeting_update
    from tests.factories import MeetingFactory

    UserFactory(username="kreistag", role=Role.COMMITTEE)
    meeting = MeetingFactory(place="Kreishaus")
    # not invited yet: a change tells nobody
    meeting = meeting_update(meeting=meeting, by=moderator, place="Kreishaus, Raum 1")
    assert meeting.invitations_updated == 0 and not Notification.objects.exists()
    meeting_invitations_send(meeting=meeting, by=moderator)
    first = Notification.objects.get()
    # the same place and time again: nothing to tell
    meeting = meeting_update(meeting=meeting, by=moderator, place="Kreishaus, Raum 1")
    assert meeting.invitations_updated == 0 and Notification.objects.count() == 1
    later = meeting.starts_at + datetime.timedelta(hours=2, seconds=5)
    meeting = meeting_update(meeting=meeting, by=moderator, starts_at=later, place="Sitzungssaal")
    assert meeting.invitations_updated == 1
    update = Notification.objects.exclude(pk=first.pk).get()
    assert update.detail == "Sitzungssaal"
    [attachment] = update.attachments
    assert attachment["method"] == "REQUEST"
    assert "LOCATION:Sitzungssaal" in attachment["content"]

    def sequence(notification):
        return int(re.search(r"SEQUENCE:(\d+)", notification.attachments[0]["content"])[1])

    assert sequence(update) > sequence(first)  # the calendar takes the change over
