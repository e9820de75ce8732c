"""Traces: comments keep their history, administrators are bound by the comment rule,
and an edit of someone else's idea is shown with who made it (finding 8)."""

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from ideas import services
from ideas.models import Comment
from tests.factories import IdeaFactory, TopicFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def comment(staff_user):
    return services.comment_create(idea=IdeaFactory(), author=staff_user, text="Mein Kommentar.")


def test_an_administrator_cannot_rewrite_someone_elses_comment(client, administrator, comment):
    client.force_login(administrator)
    url = reverse("ideas:comment_edit", args=[comment.pk])
    assert client.get(url).status_code == 403
    assert client.post(url, {"text": "Umgeschrieben."}).status_code == 403
    with pytest.raises(PermissionDenied):
        services.comment_update(comment=comment, by=administrator, text="Umgeschrieben.")
    comment.refresh_from_db()
    assert comment.text == "Mein Kommentar."
    page = client.get(reverse("ideas:detail", args=[comment.idea_id])).content.decode()
    assert reverse("ideas:comment_edit", args=[comment.pk]) not in page


def test_an_edit_is_kept_in_the_history_and_shown(client, staff_user, comment):
    client.force_login(staff_user)
    response = client.post(
        reverse("ideas:comment_edit", args=[comment.pk]), {"text": "Besser formuliert."}
    )
    assert response.status_code == 302
    history = list(Comment.history.filter(id=comment.pk).order_by("history_date"))
    assert [h.text for h in history] == ["Mein Kommentar.", "Besser formuliert."]
    assert history[-1].history_user == staff_user
    page = client.get(reverse("ideas:detail", args=[comment.idea_id])).content.decode()
    assert "Besser formuliert." in page
    assert "bearbeitet am" in page


def test_the_page_names_who_changed_someone_elses_idea(client, staff_user, moderator):
    idea = IdeaFactory(author=staff_user, title="Sprachcafé", topic=TopicFactory())
    services.idea_status_change(idea=idea, by=moderator, to_status="in_review")
    client.force_login(staff_user)
    page = client.get(reverse("ideas:detail", args=[idea.pk])).content.decode()
    assert "bearbeitet von" not in page  # a status change is no edit of the text
    services.idea_update(
        idea=idea,
        by=moderator,
        title="Sprachcafé im Rathaus",
        description=idea.description,
        topic=idea.topic,
    )
    page = client.get(reverse("ideas:detail", args=[idea.pk])).content.decode()
    assert f"bearbeitet von {moderator.get_full_name()} am" in page
