"""Workshop invitations with the calendar entry, their updates and cancellations; the
invited people's answers; the moderators' list of answers and the attendance list."""

import datetime

import icalendar
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from roundtable.notifications.models import Kind, Notification
from tests.factories import UserFactory
from tests.workshops.factories import WorkshopFactory
from workshops import selectors, services
from workshops.models import Workshop, WorkshopResponse

pytestmark = pytest.mark.django_db

SOON = timezone.now() + datetime.timedelta(days=14)


def _calendar_of(notification):
    [attachment] = notification.attachments
    calendar = icalendar.Calendar.from_ical(attachment["content"])
    [event] = calendar.walk("VEVENT")
    return str(calendar["METHOD"]), event


def _create(moderator, participants, **kwargs):
    values = {
        "title": "Workshop „Sprache und Begegnung“",
        "starts_at": SOON,
        "place": "Kreishaus Siegburg",
        "agenda": "1. Begrüßung",
        "participants": participants,
        "by": moderator,
    }
    values.update(kwargs)
    return services.workshop_create(**values)


def _update(workshop, moderator, **fields):
    workshop = Workshop.objects.get(pk=workshop.pk)
    for name, value in fields.items():
        if name != "participants":
            setattr(workshop, name, value)  # as the form does before the service runs
    return services.workshop_update(workshop=workshop, by=moderator, **fields)


def test_the_invited_get_an_invitation_with_a_request_for_their_calendar(moderator):
    aylin = UserFactory(username="aylin", first_name="Aylin", last_name="Demir")
    jonas = UserFactory(username="jonas")
    workshop = _create(moderator, [aylin, jonas])
    told = Notification.objects.filter(kind=Kind.INVITATION)
    assert {n.recipient for n in told} == {aylin, jonas}  # the moderator made it: not told
    notification = told.get(recipient=aylin)
    assert notification.message.startswith(
        "Einladung: Workshop „Workshop „Sprache und Begegnung““ am"
    )
    assert "Kreishaus Siegburg" in notification.detail
    method, event = _calendar_of(notification)
    assert method == "REQUEST"
    assert str(event["UID"]).startswith(f"workshop-{workshop.pk}@")
    assert event["SEQUENCE"] == 0
    assert str(event["ATTENDEE"]) == f"mailto:{aylin.email}"


def test_a_changed_date_is_sent_as_an_update_with_a_higher_sequence(moderator):
    aylin = UserFactory(username="aylin")
    workshop = _create(moderator, [aylin])
    Notification.objects.all().delete()
    _update(workshop, moderator, minutes="Protokoll folgt.")  # nothing a calendar shows
    assert not Notification.objects.exists()
    _update(workshop, moderator, starts_at=SOON + datetime.timedelta(hours=2))
    workshop.refresh_from_db()
    assert workshop.sequence == 1
    notification = Notification.objects.get()
    assert notification.message.startswith("Geänderter Termin: Workshop")
    method, event = _calendar_of(notification)
    assert (method, event["SEQUENCE"]) == ("REQUEST", 1)
    assert event.decoded("DTSTART") == (SOON + datetime.timedelta(hours=2)).replace(microsecond=0)


def test_the_newly_invited_get_the_invitation_and_the_removed_a_cancellation(moderator):
    aylin, jonas = UserFactory(username="aylin"), UserFactory(username="jonas")
    workshop = _create(moderator, [aylin])
    Notification.objects.all().delete()
    _update(workshop, moderator, participants=[jonas])
    jonas_told = Notification.objects.get(recipient=jonas)
    assert jonas_told.message.startswith("Einladung:")
    assert _calendar_of(jonas_told)[0] == "REQUEST"
    aylin_told = Notification.objects.get(recipient=aylin)
    assert "ist zurückgenommen" in aylin_told.message
    assert _calendar_of(aylin_told)[0] == "CANCEL"


def test_a_cancelled_workshop_sends_everyone_a_cancellation(moderator, client):
    aylin = UserFactory(username="aylin")
    by_department = UserFactory(username="amt")
    workshop = _create(moderator, [aylin])
    WorkshopResponse.objects.create(
        workshop=workshop, user=by_department, answer="accepted", answered_at=timezone.now()
    )
    Notification.objects.all().delete()
    client.force_login(moderator)
    page = client.get(reverse("workshops:workshop_cancel", args=[workshop.pk])).content.decode()
    assert "wird abgesagt" in page
    response = client.post(
        reverse("workshops:workshop_cancel", args=[workshop.pk]), {"reason": "Der Saal fällt aus."}
    )
    assert response.status_code == 302
    workshop.refresh_from_db()
    assert workshop.is_cancelled and workshop.sequence == 1
    told = Notification.objects.all()
    assert {n.recipient for n in told} == {aylin, by_department}
    for notification in told:
        assert notification.message.startswith("Abgesagt: Workshop")
        assert notification.detail == "Der Saal fällt aus."
        method, event = _calendar_of(notification)
        assert (method, str(event["STATUS"]), event["SEQUENCE"]) == ("CANCEL", "CANCELLED", 1)
    page = client.get(workshop.get_absolute_url()).content.decode()
    assert "Dieser Workshop ist abgesagt." in page


def test_the_invited_answer_in_the_portal_and_may_change_their_mind(client, moderator):
    aylin = UserFactory(username="aylin")
    workshop = _create(moderator, [aylin])
    client.force_login(aylin)
    page = client.get(workshop.get_absolute_url()).content.decode()
    assert "Ihre Teilnahme" in page and "Zusagen" in page
    url = reverse("workshops:workshop_respond", args=[workshop.pk])
    response = client.post(url, {"answer": "accepted"}, follow=True)
    assert "Vielen Dank, Sie haben zugesagt." in response.content.decode()
    client.post(url, {"answer": "declined"})
    assert WorkshopResponse.objects.get(workshop=workshop, user=aylin).answer == "declined"
    response = client.post(url, {"answer": "vielleicht"}, follow=True)
    assert "Bitte sagen Sie zu oder ab." in response.content.decode()


def test_who_is_not_invited_cannot_answer(client, moderator, staff_user):
    workshop = _create(moderator, [])
    client.force_login(staff_user)
    url = reverse("workshops:workshop_respond", args=[workshop.pk])
    assert client.post(url, {"answer": "accepted"}).status_code == 404
    assert not WorkshopResponse.objects.exists()


def test_no_answer_after_the_start_or_for_a_cancelled_workshop(moderator):
    from django.core.exceptions import ValidationError

    aylin = UserFactory(username="aylin")
    past = WorkshopFactory(starts_at=timezone.now() - datetime.timedelta(hours=1))
    past.participants.add(aylin)
    with pytest.raises(ValidationError):
        services.workshop_respond(workshop=past, user=aylin, answer="accepted")
    workshop = _create(moderator, [aylin])
    services.workshop_cancel(workshop=workshop, by=moderator)
    with pytest.raises(ValidationError):
        services.workshop_respond(workshop=workshop, user=aylin, answer="accepted")


def test_moderation_sees_the_answers_counted_and_prints_the_list(client, moderator):
    aylin = UserFactory(username="aylin", first_name="Aylin", last_name="Demir")
    jonas = UserFactory(username="jonas", first_name="Jonas", last_name="Becker")
    open_ = UserFactory(username="offen", first_name="Olga", last_name="Zimmer")
    workshop = _create(moderator, [aylin, jonas, open_])
    services.workshop_respond(workshop=workshop, user=aylin, answer="accepted")
    services.workshop_respond(workshop=workshop, user=jonas, answer="declined")
    attendance = selectors.workshop_attendance(workshop=workshop)
    assert (attendance.accepted, attendance.declined, attendance.open) == (1, 1, 1)
    assert [row.person.username for row in attendance.rows] == ["jonas", "aylin", "offen"]
    client.force_login(moderator)
    page = client.get(workshop.get_absolute_url()).content.decode()
    assert "1 zugesagt · 1 abgesagt · 1 ohne Antwort" in page
    response = client.get(reverse("workshops:workshop_attendance", args=[workshop.pk]))
    page = response.content.decode()
    assert "Teilnahmeliste" in page and "Demir, Aylin" in page and "Unterschrift" in page
    assert "css/attendance.css" in page and "js/print.js" in page
    assert "<style" not in page and "onclick" not in page  # CSP: no inline CSS or JS


def test_the_attendance_list_queries_do_not_grow_with_people(
    client, moderator, django_assert_num_queries
):
    workshop = _create(moderator, [UserFactory() for _ in range(2)])
    client.force_login(moderator)
    url = reverse("workshops:workshop_attendance", args=[workshop.pk])
    with CaptureQueriesContext(connection) as small:
        client.get(url)
    workshop.participants.add(*[UserFactory() for _ in range(6)])
    with django_assert_num_queries(len(small.captured_queries)):
        client.get(url)


def test_the_workshop_as_a_calendar_file(client, moderator, staff_user):
    workshop = _create(moderator, [staff_user])
    client.force_login(staff_user)
    response = client.get(reverse("workshops:workshop_ics", args=[workshop.pk]))
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert "attachment" in response["Content-Disposition"]
    calendar = icalendar.Calendar.from_ical(response.content)
    assert str(calendar["METHOD"]) == "PUBLISH"
    other = UserFactory(username="nicht-eingeladen")
    client.force_login(other)
    assert client.get(reverse("workshops:workshop_ics", args=[workshop.pk])).status_code == 404


def test_the_feed_holds_the_invited_workshops_and_the_visible_meetings(moderator, staff_user):
    from roundtable.notifications.selectors import calendar_entries_for
    from tests.factories import MeetingFactory

    mine = _create(moderator, [staff_user], title="Eingeladen")
    _create(moderator, [], title="Nicht eingeladen")
    MeetingFactory()
    keys = [entry.key for entry in calendar_entries_for(user=staff_user)]
    assert f"workshop-{mine.pk}" in keys
    assert sum(key.startswith("workshop-") for key in keys) == 1
    assert sum(key.startswith("meeting-") for key in keys) == 1
    assert len(calendar_entries_for(user=moderator)) == 3  # moderation sees every workshop
