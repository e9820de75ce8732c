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
