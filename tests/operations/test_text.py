"""Control characters on input, in exports and in e-mail subjects (finding 11)."""

import pytest
from django.core import mail
from django.urls import reverse

from ideas import services
from ideas.models import Comment, Idea
from roundtable.notifications import services as notifications
from roundtable.notifications.models import Notification
from roundtable.operations.text import clean_text, one_line
from tests.factories import IdeaFactory, TopicFactory

ESC = "\x1b"


def test_clean_text_keeps_tab_and_newlines_and_drops_other_control_characters():
    assert clean_text(f"Zeile 1\r\nZeile 2\rZeile 3\n\tEingerückt{ESC}[31m\x00\x7f\x85") == (
        "Zeile 1\nZeile 2\nZeile 3\n\tEingerückt[31m"
    )
    assert clean_text("Titel\r\nmit\tUmbruch", multiline=False) == "Titel mit Umbruch"


def test_one_line_turns_every_break_and_control_character_into_a_space():
    assert one_line("Ihre Idee „A\rB\nC\u2028D“:\x1b erledigt ") == "Ihre Idee „A B C D“: erledigt"


@pytest.mark.django_db
def test_forms_store_text_without_control_characters(client, moderator):
    topic = TopicFactory()
    client.force_login(moderator)
    response = client.post(
        reverse("ideas:create"),
        {
            "title": f"Sprach{ESC}café\r\nim Rathaus",
            "description": f"Absatz eins.\r\n\r\nAbsatz{ESC}[2J zwei.\x07",
            "topic": topic.pk,
            "submitted_for": "",
        },
    )
    assert response.status_code == 302
    idea = Idea.objects.get()
    assert idea.title == "Sprachcafé im Rathaus"
    assert idea.description == "Absatz eins.\n\nAbsatz[2J zwei."
    client.post(reverse("ideas:comment_create", args=[idea.pk]), {"text": f"Gut{ESC}!\r\nJa."})
    assert Comment.objects.get().text == "Gut!\nJa."


@pytest.mark.django_db
def test_a_title_with_a_carriage_return_still_gets_its_status_email(moderator, staff_user):
    """The subject cleanup replaced only LF: a CR in a (stored) title made the status
    e-mail fail with BadHeaderError, and the author heard nothing."""
    idea = IdeaFactory(author=staff_user, title="Elterncafé\rSiegburg\x1b")
    services.idea_status_change(idea=idea, by=moderator, to_status="accepted")
    notification = Notification.objects.get(recipient=staff_user)
    assert notifications.notification_email_send(notification_id=notification.pk) is True
    (message,) = mail.outbox
    assert "\r" not in message.subject and ESC not in message.subject
    assert "Elterncafé Siegburg" in message.subject


@pytest.mark.django_db
def test_control_characters_stored_earlier_do_not_reach_the_csv(client, staff_user):
    IdeaFactory(title=f"Alt{ESC}[31mrot")
    client.force_login(staff_user)
    response = client.get(reverse("ideas:export_csv"))
    content = b"".join(response.streaming_content).decode()
    assert ESC not in content
    assert "Alt[31mrot" in content
