"""A submission sent twice with the same idempotency key is stored once; a database
that is away answers 503 with a clear request to try again."""

import uuid

import pytest
from django.db import OperationalError
from django.template import Context, Template
from django.test import RequestFactory

from ideas.models import Idea
from roundtable.operations.errors import server_error
from roundtable.operations.models import IdempotencyKey
from tests.factories import TopicFactory
from tests.ideas.conftest import open_phase  # noqa: F401 - fixture

pytestmark = pytest.mark.django_db


@pytest.fixture
def idea_form(open_phase):  # noqa: F811
    topic = TopicFactory()
    return {"title": "Elterncafé in Lohmar", "description": "Jeden Dienstag.", "topic": topic.pk}


def test_same_key_twice_stores_one_idea(client, staff_user, idea_form):
    client.force_login(staff_user)
    key = str(uuid.uuid4())
    first = client.post("/ideen/neu/", idea_form, HTTP_IDEMPOTENCY_KEY=key)
    assert first.status_code == 302
    second = client.post("/ideen/neu/", idea_form, HTTP_IDEMPOTENCY_KEY=key)
    assert second.status_code == 302
    assert second["Location"] == first["Location"]
    assert second["Idempotent-Replay"] == "true"
    assert Idea.objects.filter(title="Elterncafé in Lohmar").count() == 1


def test_key_as_hidden_form_field(client, staff_user, idea_form):
    client.force_login(staff_user)
    data = {**idea_form, "idempotency_key": str(uuid.uuid4())}
    client.post("/ideen/neu/", data)
    client.post("/ideen/neu/", data)
    assert Idea.objects.count() == 1


def test_without_a_key_every_post_counts(client, staff_user, idea_form):
    client.force_login(staff_user)
    client.post("/ideen/neu/", idea_form)
    client.post("/ideen/neu/", idea_form)
    assert Idea.objects.count() == 2


def test_a_form_with_errors_does_not_use_up_the_key(client, staff_user, idea_form):
    client.force_login(staff_user)
    key = str(uuid.uuid4())
    response = client.post("/ideen/neu/", {**idea_form, "title": ""}, HTTP_IDEMPOTENCY_KEY=key)
    assert response.status_code == 200
    response = client.post("/ideen/neu/", idea_form, HTTP_IDEMPOTENCY_KEY=key)
    assert response.status_code == 302
    assert Idea.objects.count() == 1


def test_keys_are_per_user(client, staff_user, moderator, idea_form):
    key = str(uuid.uuid4())
    client.force_login(staff_user)
    client.post("/ideen/neu/", idea_form, HTTP_IDEMPOTENCY_KEY=key)
    client.force_login(moderator)
    client.post("/ideen/neu/", idea_form, HTTP_IDEMPOTENCY_KEY=key)
    assert Idea.objects.count() == 2
    assert IdempotencyKey.objects.count() == 2


def test_a_malformed_key_is_ignored(client, staff_user, idea_form):
    client.force_login(staff_user)
    response = client.post("/ideen/neu/", idea_form, HTTP_IDEMPOTENCY_KEY="x" * 5000)
    assert response.status_code == 302
    assert IdempotencyKey.objects.count() == 0


def test_template_tag_gives_a_fresh_key_per_form():
    template = Template("{% load idempotency %}{% idempotency_field %}")
    first, second = template.render(Context()), template.render(Context())
    assert first != second
    value = first.split('value="')[1].split('"')[0]
    assert str(uuid.UUID(value)) == value


def test_database_errors_answer_503_with_a_retry_message():
    request = RequestFactory().post("/ideen/neu/")
    try:
        raise OperationalError("server closed the connection unexpectedly")
    except OperationalError:
        response = server_error(request)
    assert response.status_code == 503
    assert response["Retry-After"] == "5"
    html = response.content.decode()
    assert "Bitte in einigen Sekunden erneut versuchen" in html
    assert "erneut" in html


def test_other_errors_stay_500():
    request = RequestFactory().get("/")
    try:
        raise ValueError("bug")
    except ValueError:
        response = server_error(request)
    assert response.status_code == 500
    assert "Ein Fehler ist aufgetreten" in response.content.decode()


def test_session_lost_with_the_database_answers_503_not_400():
    """SessionMiddleware turns a failed session save into SessionInterrupted (400)."""
    from django.contrib.sessions.exceptions import SessionInterrupted

    from roundtable.operations.errors import bad_request

    request = RequestFactory().post("/ideen/neu/")
    try:
        try:
            raise OperationalError("the database system is shutting down")
        except OperationalError:
            raise SessionInterrupted("The request's session was deleted") from None
    except SessionInterrupted as exc:
        # "from None" hides the cause from tracebacks but keeps __context__
        response = bad_request(request, exc)
    assert response.status_code == 503
    assert "erneut versuchen" in response.content.decode()
    plain = bad_request(request, SessionInterrupted("deleted by logout"))
    assert plain.status_code == 400


def test_idea_and_comment_forms_carry_a_fresh_key(client, staff_user, idea_form):
    """The forms people submit after a 503 carry the key the middleware deduplicates by."""
    from tests.factories import IdeaFactory

    client.force_login(staff_user)
    first = client.get("/ideen/neu/").content.decode()
    second = client.get("/ideen/neu/").content.decode()
    key = 'name="idempotency_key" value="'
    assert key in first and key in second
    assert first.split(key)[1][:36] != second.split(key)[1][:36]
    detail = client.get(f"/ideen/{IdeaFactory().pk}/").content.decode()
    assert detail.count(key) >= 1
