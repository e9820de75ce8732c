"""Pages other than the list: their query count does not grow with the data."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from ideas import services
from tests.factories import IdeaFactory, UserFactory

pytestmark = pytest.mark.django_db


def _count(client, url):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured)


def test_moderation_queue_constant(client, moderator, make_ideas):
    client.force_login(moderator)
    make_ideas(5)
    small = _count(client, reverse("ideas:moderation"))
    make_ideas(120)
    assert _count(client, reverse("ideas:moderation")) == small
    assert _count(client, reverse("ideas:moderation") + "?page=3&status=submitted") <= small + 1


def test_detail_constant_in_comments_and_history(client, staff_user, moderator):
    idea = IdeaFactory()
    client.force_login(staff_user)
    services.comment_create(idea=idea, author=staff_user, text="Eins")
    small = _count(client, reverse("ideas:detail", args=[idea.pk]))
    people = [UserFactory() for _ in range(5)]
    for n, person in enumerate(people):
        first = services.comment_create(idea=idea, author=person, text=f"Kommentar {n}")
        services.comment_create(idea=idea, author=moderator, text="Antwort", parent=first)
        services.idea_support_toggle(idea=idea, user=person)
    for status in ("in_review", "deferred", "accepted"):
        services.idea_status_change(idea=idea, by=moderator, to_status=status, public_feedback="x")
    assert _count(client, reverse("ideas:detail", args=[idea.pk])) == small
