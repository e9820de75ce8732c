"""DSGVO: export, erasure with pseudonymisation, retention, legal pages and feedback."""

import json
from datetime import timedelta

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.files.base import ContentFile
from django.utils import timezone

from ideas.models import Attachment, Comment, Idea, Support
from participants.models import Profile, Role
from roundtable.privacy.models import AccessibilityFeedback, ErasureRecord, LegalPage
from roundtable.privacy.services import retention_apply, user_erase
from roundtable.privacy.tasks import accessibility_feedback_send, privacy_retention_sweep
from tests.factories import (
    TEST_PASSWORD,
    DepartmentFactory,
    IdeaFactory,
    ParticipationFactory,
    UserFactory,
)
from tests.workshops.factories import ConceptFactory, WorkshopFactory
from workshops.models import ConceptSignoff

User = get_user_model()
pytestmark = pytest.mark.django_db


@pytest.fixture
def person(db):
    user = UserFactory(username="erika", first_name="Erika", last_name="Mustermann")
    Profile.objects.filter(user=user).update(phone="02241 13-4711", function="Sachbearbeiterin")
    return user


@pytest.fixture
def contributions(person, moderator):
    idea = IdeaFactory(author=person, title="Elterncafé in Troisdorf", description="Treffen\nmit ß")
    other = IdeaFactory(author=moderator)
    comment = Comment.objects.create(idea=other, author=person, text="Gute Idee – üben wir!")
    Support.objects.create(idea=other, user=person)
    Attachment.objects.create(
        idea=idea,
        file=ContentFile(b"%PDF-1.4 test", name="plan.pdf"),
        original_name="plan.pdf",
        content_type="application/pdf",
        size=13,
        uploaded_by=person,
    )
    workshop = WorkshopFactory()
    workshop.participants.add(person)
    workshop.attendees.add(person)
    department = DepartmentFactory()
    signoff = ConceptSignoff.objects.create(
        concept=ConceptFactory(workshop=workshop),
        department=department,
        decision=ConceptSignoff.Decision.AGREES,
        remarks="Einverstanden.",
        signed_by=person,
        signed_at=timezone.now(),
    )
    participation = ParticipationFactory(department=department)
    participation.contacts.add(person)
    return {
        "idea": idea,
        "other": other,
        "comment": comment,
        "workshop": workshop,
        "signoff": signoff,
        "participation": participation,
    }


# --- export ------------------------------------------------------------------------


def test_user_downloads_their_data_as_json(client, person, contributions):
    client.force_login(person)
    response = client.get("/meine-daten/export.json")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["Cache-Control"] == "no-store"
    data = json.loads(response.content)
    assert data["profile"]["email"] == "erika@example.org"
    assert data["profile"]["phone"] == "02241 13-4711"
    assert data["profile"]["last_name"] == "Mustermann"
    assert [i["title"] for i in data["ideas"]] == ["Elterncafé in Troisdorf"]
    assert data["ideas"][0]["description"] == "Treffen\nmit ß"
    assert [c["text"] for c in data["comments"]] == ["Gute Idee – üben wir!"]
    assert [s["idea_id"] for s in data["supports"]] == [contributions["other"].pk]
    assert data["attachments"][0]["original_name"] == "plan.pdf"
    assert data["attachments"][0]["size"] == 13
    workshop = data["workshops"][0]
    assert (workshop["invited"], workshop["attended"], workshop["as_moderator"]) == (
        True,
        True,
        False,
    )
    assert data["signoffs"][0]["remarks"] == "Einverstanden."
    # every row pointing at the person is listed, whatever app it belongs to
    assert (
        str(contributions["participation"].pk)
        in data["references"]["participants.DepartmentParticipation.contacts"]
    )


def test_export_needs_no_query_per_row(
    client, person, contributions, django_assert_max_num_queries
):
    for n in range(5):
        IdeaFactory(author=person, title=f"Idee {n}")
        Comment.objects.create(idea=contributions["other"], author=person, text=f"K {n}")
    client.force_login(person)
    client.get("/meine-daten/export.json")  # warm up the session
    with django_assert_max_num_queries(60) as captured:
        client.get("/meine-daten/export.json")
    few = len(captured)
    for n in range(10):
        IdeaFactory(author=person, title=f"Noch eine Idee {n}")
    with django_assert_max_num_queries(few):
        client.get("/meine-daten/export.json")


def test_the_export_does_not_contain_other_peoples_data(client, person, contributions, moderator):
    client.force_login(person)
    data = json.loads(client.get("/meine-daten/export.json").content)
    assert moderator.email not in json.dumps(data)


# --- erasure ---------------------------------------------------------------------------


def test_user_erases_their_own_account(client, person, contributions):
    client.force_login(person)
    assert client.get("/meine-daten/").status_code == 200
    # without the confirmation nothing happens
    response = client.post("/meine-daten/loeschen/", {})
    assert response.status_code == 200
    assert User.objects.get(pk=person.pk).is_active
    response = client.post("/meine-daten/loeschen/", {"confirm": "on"})
    assert response.status_code == 302
    assert response["Location"] == "/datenschutz/"
    # logged out, and the old password no longer works
    assert client.get("/").status_code == 302
    response = client.post("/accounts/login/", {"username": "erika", "password": TEST_PASSWORD})
    assert response.status_code == 200  # the form again: no login
    _assert_erased(person, contributions)
    record = ErasureRecord.objects.get()
    assert record.reason == ErasureRecord.Reason.OWN_REQUEST


def _assert_erased(person, contributions):
    user = User.objects.get(pk=person.pk)
    assert user.username.startswith("geloescht-")
    assert user.get_full_name() == "Gelöschte Person"
    assert user.email == ""
    assert not user.is_active
    assert not user.has_usable_password()
    assert not Profile.objects.filter(user=user).exists()
    assert not contributions["participation"].contacts.filter(pk=user.pk).exists()
    # the round table's record stays whole, under the pseudonym
    idea = Idea.objects.get(pk=contributions["idea"].pk)
    assert idea.author_id == user.pk
    assert idea.title == "Elterncafé in Troisdorf"
    assert Comment.objects.get(pk=contributions["comment"].pk).author_id == user.pk
    assert Support.objects.filter(user=user).count() == 1
    assert contributions["workshop"].attendees.filter(pk=user.pk).exists()
    assert ConceptSignoff.objects.get(pk=contributions["signoff"].pk).signed_by_id == user.pk
    # nothing personal is left in what the portal would export
    from roundtable.privacy.selectors import personal_data_export

    dumped = json.dumps(personal_data_export(user=user), ensure_ascii=False)
    for personal in ("Erika", "Mustermann", "erika@example.org", "4711", "Sachbearbeiterin"):
        assert personal not in dumped


def test_erased_author_is_shown_as_deleted_person(client, person, contributions, moderator):
    user_erase(user=person, reason=ErasureRecord.Reason.OWN_REQUEST)
    client.force_login(moderator)
    html = client.get(f"/ideen/{contributions['idea'].pk}/").content.decode()
    assert "Gelöschte Person" in html
    assert "Mustermann" not in html
    html = client.get(f"/ideen/{contributions['other'].pk}/").content.decode()
    assert "Gute Idee – üben wir!" in html
    assert "Mustermann" not in html


def test_erasure_ends_every_session_of_the_person(client, person):
    client.force_login(person)
    assert client.get("/").status_code == 200
    user_erase(user=person, reason=ErasureRecord.Reason.ADMINISTRATOR)
    assert client.get("/").status_code == 302


def test_erasure_is_idempotent(person):
    first = user_erase(user=person, reason=ErasureRecord.Reason.OWN_REQUEST)
    second = user_erase(user=person, reason=ErasureRecord.Reason.OWN_REQUEST)
    assert first.pk == second.pk
    assert ErasureRecord.objects.count() == 1


def test_administrator_exports_and_erases_any_user(client, administrator, person, contributions):
    client.force_login(administrator)
    response = client.get("/datenschutz/personen/", {"q": "Muster"})
    assert response.status_code == 200
    assert "erika" in response.content.decode()
    data = json.loads(client.get(f"/datenschutz/personen/{person.pk}/export.json").content)
    assert data["profile"]["username"] == "erika"
    response = client.post(f"/datenschutz/personen/{person.pk}/loeschen/", {"confirm": "on"})
    assert response.status_code == 302
    _assert_erased(person, contributions)
    record = ErasureRecord.objects.get()
    assert (record.reason, record.erased_by) == (ErasureRecord.Reason.ADMINISTRATOR, administrator)


@pytest.mark.parametrize("role", ["staff", "moderator", "committee"])
def test_only_administrators_manage_other_peoples_data(client, role_users, role, person):
    client.force_login(role_users[role])
    assert client.get("/datenschutz/personen/").status_code == 403
    assert client.get(f"/datenschutz/personen/{person.pk}/export.json").status_code == 403
    response = client.post(f"/datenschutz/personen/{person.pk}/loeschen/", {"confirm": "on"})
    assert response.status_code == 403
    assert User.objects.get(pk=person.pk).is_active


def test_unknown_user_is_404_for_the_administrator(client, administrator):
    client.force_login(administrator)
    assert client.get("/datenschutz/personen/999999/export.json").status_code == 404


# --- retention -------------------------------------------------------------------------


def test_retention_task_is_scheduled():
    entry = settings.CELERY_BEAT_SCHEDULE["privacy-retention"]
    assert entry["task"] == "roundtable.privacy.tasks.privacy_retention_sweep"
    from roundtable.celery import app

    assert entry["task"] in app.tasks


def test_retention_erases_inactive_accounts_only(person, contributions, settings):
    settings.PRIVACY_RETENTION_DAYS = 365
    now = timezone.now()
    User.objects.filter(pk=person.pk).update(last_login=now - timedelta(days=366))
    recent = UserFactory(username="aktiv")
    User.objects.filter(pk=recent.pk).update(last_login=now - timedelta(days=364))
    never = UserFactory(username="nie-angemeldet")
    User.objects.filter(pk=never.pk).update(last_login=None, date_joined=now - timedelta(days=400))
    new = UserFactory(username="neu")
    User.objects.filter(pk=new.pk).update(last_login=None, date_joined=now - timedelta(days=3))
    superuser = UserFactory(username="root", role=Role.ADMIN)
    User.objects.filter(pk=superuser.pk).update(last_login=now - timedelta(days=999))

    assert privacy_retention_sweep() == 2  # the Celery task, run in this process
    _assert_erased(person, contributions)
    assert not User.objects.get(pk=never.pk).is_active
    for kept in (recent, new, superuser):
        assert User.objects.get(pk=kept.pk).is_active
    assert ErasureRecord.objects.filter(reason=ErasureRecord.Reason.RETENTION).count() == 2
    # a second run finds nothing more to do
    assert retention_apply() == 0


def test_retention_zero_keeps_everything(person, settings):
    settings.PRIVACY_RETENTION_DAYS = 0
    User.objects.filter(pk=person.pk).update(last_login=timezone.now() - timedelta(days=5000))
    assert retention_apply() == 0
    assert User.objects.get(pk=person.pk).is_active


# --- legal pages ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "title"),
    [
        ("/datenschutz/", "Datenschutzerklärung"),
        ("/impressum/", "Impressum"),
        ("/barrierefreiheit/", "Erklärung zur Barrierefreiheit"),
    ],
)
def test_legal_pages_are_open_without_login(client, path, title):
    response = client.get(path)
    assert response.status_code == 200
    html = response.content.decode()
    assert f"<h1>{title}</h1>" in html
    assert "Rhein-Sieg-Kreis" in html


def test_legal_pages_are_linked_from_every_page(client, staff_user):
    for path in ("/accounts/login/", "/datenschutz/"):
        html = client.get(path).content.decode()
        for link in ('href="/datenschutz/"', 'href="/impressum/"', 'href="/barrierefreiheit/"'):
            assert link in html, (path, link)
    client.force_login(staff_user)
    html = client.get("/").content.decode()
    for link in ('href="/datenschutz/"', 'href="/impressum/"', 'href="/barrierefreiheit/"'):
        assert link in html
    assert 'href="/meine-daten/"' in html
    assert 'href="/datenschutz/personen/"' not in html


def test_administrator_edits_a_legal_page_and_text_is_escaped(client, administrator):
    client.force_login(administrator)
    page = LegalPage.objects.get(kind="impressum")
    response = client.post(
        f"/admin/privacy/legalpage/{page.pk}/change/",
        {
            "kind": "impressum",
            "title": "Impressum",
            "body": "## Kontakt\nZeile <b>eins</b>\n\nZwei",
        },
    )
    assert response.status_code == 302
    client.logout()
    html = client.get("/impressum/").content.decode()
    assert "<h2>Kontakt</h2>" in html
    assert "<p>Zeile &lt;b&gt;eins&lt;/b&gt;</p>" in html
    assert "<p>Zwei</p>" in html


def test_accessibility_feedback_is_stored_and_emailed(
    client, settings, django_capture_on_commit_callbacks
):
    settings.PRIVACY_ACCESSIBILITY_FEEDBACK_EMAIL = "barrierefreiheit@rhein-sieg-kreis.example"
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = client.post(
            "/barrierefreiheit/",
            {"message": "Das Diagramm hat keinen Alternativtext.", "page": "/ideen/", "email": ""},
        )
    assert response.status_code == 302
    assert len(callbacks) == 1  # the e-mail task is queued after the commit
    feedback = AccessibilityFeedback.objects.get()
    assert feedback.message == "Das Diagramm hat keinen Alternativtext."
    assert accessibility_feedback_send(feedback.pk) is True
    assert accessibility_feedback_send(feedback.pk) is False  # runs twice, sends once
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["barrierefreiheit@rhein-sieg-kreis.example"]
    assert "Alternativtext" in mail.outbox[0].body
    assert "/ideen/" in mail.outbox[0].body


def test_accessibility_feedback_needs_a_message(client):
    response = client.post("/barrierefreiheit/", {"message": "", "email": "kein-mail"})
    assert response.status_code == 200
    assert AccessibilityFeedback.objects.count() == 0
    assert "is-invalid" in response.content.decode()
