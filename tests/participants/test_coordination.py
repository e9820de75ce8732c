import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from participants import selectors, services
from participants.models import DepartmentParticipation
from participants.rules import is_moderator_or_admin
from tests.factories import ParticipationFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_participation_set_records_who_and_when(moderator):
    participation = ParticipationFactory()
    contact = UserFactory()
    before = timezone.now()
    services.participation_set(
        participation=participation,
        status=DepartmentParticipation.Status.CONFIRMED,
        note="Ansprechpartnerin für Schulfragen",
        contacts=[contact],
        by=moderator,
    )
    participation.refresh_from_db()
    assert participation.status == "confirmed"
    assert participation.set_by == moderator
    assert participation.set_at >= before
    assert list(participation.contacts.all()) == [contact]
    assert participation.history.count() == 2  # created + changed


def test_coordination_page_in_constant_queries(client, staff_user, django_assert_num_queries):
    client.force_login(staff_user)
    for _ in range(3):
        ParticipationFactory().contacts.add(UserFactory())
    with CaptureQueriesContext(connection) as small:
        client.get("/beteiligte/abstimmung/")
    for _ in range(12):
        ParticipationFactory().contacts.add(UserFactory(), UserFactory())
    with django_assert_num_queries(len(small.captured_queries)):
        response = client.get("/beteiligte/abstimmung/")
    assert response.status_code == 200


def test_coordination_summary_counts_every_status():
    ParticipationFactory(status="confirmed")
    ParticipationFactory(status="confirmed")
    ParticipationFactory(status="declined")
    assert selectors.coordination_summary() == {"invited": 0, "confirmed": 2, "declined": 1}


def test_moderator_edits_participation_through_the_form(client, moderator):
    participation = ParticipationFactory()
    client.force_login(moderator)
    url = f"/beteiligte/abstimmung/{participation.pk}/bearbeiten/"
    response = client.post(url, {"status": "declined", "note": "Keine Kapazität", "contacts": []})
    assert response.status_code == 302
    participation.refresh_from_db()
    assert participation.status == "declined"
    assert participation.note == "Keine Kapazität"


def test_invalid_status_keeps_the_note_and_says_why(client, moderator):
    participation = ParticipationFactory()
    client.force_login(moderator)
    url = f"/beteiligte/abstimmung/{participation.pk}/bearbeiten/"
    response = client.post(url, {"status": "vielleicht", "note": "Mein langer Text"})
    assert response.status_code == 200
    content = response.content.decode()
    assert "Mein langer Text" in content
    assert "Bitte eine gültige Auswahl treffen" in content


def test_unknown_participation_is_404(client, moderator):
    client.force_login(moderator)
    assert client.get("/beteiligte/abstimmung/999/bearbeiten/").status_code == 404


@pytest.mark.parametrize(
    ("role", "allowed"),
    [("staff", False), ("moderator", True), ("committee", False), ("admin", True)],
)
def test_who_may_change_the_coordination(role_users, role, allowed):
    assert is_moderator_or_admin(role_users[role]) is allowed
    assert role_users[role].has_perm("participants.change_departmentparticipation") is allowed
    assert role_users[role].has_perm("participants.view_coordination") is True


# --- the departments answer themselves; moderators ask, see and remind -----------------------


@pytest.fixture
def schulamt(db):
    from tests.factories import DepartmentFactory

    participation = ParticipationFactory(department=DepartmentFactory(number="40", name="Schulamt"))
    contact = UserFactory(username="kbraun", email="k.braun@rhein-sieg-kreis.example")
    participation.contacts.add(contact)
    return participation, contact


def test_moderator_asks_the_contact_persons_by_email(
    client,
    moderator,
    schulamt,
    mailoutbox,
    eager_celery,
    django_capture_on_commit_callbacks,
    settings,
):
    settings.PORTAL_BASE_URL = "https://runder-tisch.rhein-sieg-kreis.example"
    participation, contact = schulamt
    client.force_login(moderator)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/beteiligte/abstimmung/{participation.pk}/anfragen/", follow=True)
    assert "Die Anfrage an „40 Schulamt“ wird per E-Mail verschickt." in response.content.decode()
    [mail] = mailoutbox
    assert mail.to == ["k.braun@rhein-sieg-kreis.example"]
    assert mail.subject == "Bitte um Beteiligung von „40 Schulamt“ am Runden Tisch"
    assert (
        f"https://runder-tisch.rhein-sieg-kreis.example/beteiligte/abstimmung/{participation.pk}/antworten/"
        in mail.body
    )
    request = participation.requests.get()
    assert request.kind == "request" and request.recipients == [contact.email]

    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/beteiligte/abstimmung/{participation.pk}/anfragen/")
    assert mailoutbox[1].subject.startswith("Erinnerung: Beteiligung von „40 Schulamt“")
    page = client.get("/beteiligte/abstimmung/").content.decode()
    assert "(2-mal)" in page


def test_a_department_without_contact_person_is_not_asked_but_named(client, moderator, schulamt):
    from tests.factories import DepartmentFactory

    ParticipationFactory(department=DepartmentFactory(number="53", name="Gesundheitsamt"))
    client.force_login(moderator)
    response = client.post("/beteiligte/abstimmung/anfragen/", follow=True)
    content = response.content.decode()
    assert "1 Amt wird per E-Mail angefragt bzw. erinnert." in content
    assert "Ohne benannte Ansprechperson nicht angefragt: 53 Gesundheitsamt." in content


def test_the_request_task_running_twice_sends_once_and_not_after_an_answer(
    moderator, schulamt, mailoutbox
):
    participation, contact = schulamt
    first = services.participation_request(participation=participation, by=moderator)
    assert services.participation_request_send(request_id=first.pk)
    assert not services.participation_request_send(request_id=first.pk)
    second = services.participation_request(participation=participation, by=moderator)
    services.participation_answer(
        participation=participation, by=contact, status="confirmed", note=""
    )
    assert not services.participation_request_send(request_id=second.pk)
    assert len(mailoutbox) == 1


def test_the_contact_person_confirms_for_the_department(client, schulamt):
    participation, contact = schulamt
    client.force_login(contact)
    home = client.get("/").content.decode()
    assert f"/beteiligte/abstimmung/{participation.pk}/antworten/" in home
    response = client.post(
        f"/beteiligte/abstimmung/{participation.pk}/antworten/",
        {"status": "confirmed", "note": "Frau Braun und Herr Yilmaz kümmern sich."},
    )
    assert response.status_code == 302
    participation.refresh_from_db()
    assert participation.status == "confirmed"
    assert participation.set_by == contact
    assert participation.note == "Frau Braun und Herr Yilmaz kümmern sich."
    assert (
        f"/beteiligte/abstimmung/{participation.pk}/antworten/"
        not in client.get("/").content.decode()
    )


def test_declining_needs_a_reason_and_keeps_what_was_typed(client, schulamt):
    participation, contact = schulamt
    client.force_login(contact)
    response = client.post(
        f"/beteiligte/abstimmung/{participation.pk}/antworten/", {"status": "declined", "note": " "}
    )
    assert "Bitte schreiben Sie kurz, warum Ihr Amt absagt." in response.content.decode()
    participation.refresh_from_db()
    assert participation.status == "invited"
    response = client.post(
        f"/beteiligte/abstimmung/{participation.pk}/antworten/",
        {"status": "vielleicht", "note": "Text"},
    )
    assert "Bitte eine gültige Auswahl treffen" in response.content.decode()
    assert "Text" in response.content.decode()


def test_only_the_departments_contact_persons_answer(client, schulamt, staff_user, moderator):
    participation, _contact = schulamt
    for user in (staff_user, moderator):
        client.force_login(user)
        url = f"/beteiligte/abstimmung/{participation.pk}/antworten/"
        assert client.get(url).status_code == 403
        assert client.post(url, {"status": "confirmed"}).status_code == 403
    participation.refresh_from_db()
    assert participation.status == "invited"


def test_moderators_see_the_answers(client, moderator, schulamt):
    participation, contact = schulamt
    services.participation_answer(
        participation=participation, by=contact, status="declined", note="Keine Kapazität 2005."
    )
    client.force_login(moderator)
    content = client.get("/beteiligte/abstimmung/").content.decode()
    assert "Keine Kapazität 2005." in content
    assert contact.get_full_name() in content
    assert "Erinnern" not in content  # answered: nobody to remind


def test_external_members_are_not_offered_as_contact_persons(client, moderator, external_member):
    participation = ParticipationFactory()
    client.force_login(moderator)
    content = client.get(f"/beteiligte/abstimmung/{participation.pk}/bearbeiten/").content.decode()
    assert external_member.get_full_name() not in content
