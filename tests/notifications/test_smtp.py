"""End to end through a real SMTP server on loopback (aiosmtpd) with Django's SMTP
backend: what arrives is what a mail program shows (headers, umlauts, the parts, the
invitation's .ics, absolute links)."""

import datetime
import email
import socket
from email import policy

import icalendar
import pytest
from aiosmtpd.controller import Controller
from django.utils import timezone

from ideas import services as idea_services
from ideas.models import Idea
from tests.factories import IdeaFactory, UserFactory
from workshops import services as workshop_services

pytestmark = pytest.mark.django_db

BASE = "https://runder-tisch.rhein-sieg-kreis.example"


class Inbox:
    def __init__(self):
        self.envelopes = []

    async def handle_DATA(self, server, session, envelope):
        self.envelopes.append(envelope)
        return "250 Message accepted for delivery"

    def messages(self):
        return [
            email.message_from_bytes(envelope.original_content, policy=policy.default)
            for envelope in self.envelopes
        ]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def smtp_server(settings):
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=_free_port())
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = controller.port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_TIMEOUT = 5
    settings.DEFAULT_FROM_EMAIL = "Runder Tisch Integration <runder-tisch@rhein-sieg-kreis.example>"
    settings.PORTAL_BASE_URL = BASE
    yield inbox
    controller.stop()


def test_a_status_change_arrives_with_umlauts_both_parts_and_absolute_links(
    smtp_server, moderator, deliver
):
    author = UserFactory(
        username="juergen",
        first_name="Jürgen",
        last_name="Müller-Lüdenscheidt",
        email="juergen.mueller@example.org",
    )
    idea = IdeaFactory(author=author, title="Größere Räume für Sprachkurse")
    with deliver():
        idea_services.idea_status_change(
            idea=idea,
            by=moderator,
            to_status=Idea.Status.ACCEPTED,
            public_feedback="Die Volkshochschule prüft Räume – Grüße aus Troisdorf.",
        )
    [envelope] = smtp_server.envelopes
    assert envelope.rcpt_tos == ["juergen.mueller@example.org"]
    [message] = smtp_server.messages()
    # Django 5.2 folds a long encoded subject right after "Subject:"; unfolded, that is a
    # leading space, which mail programs drop
    assert message["Subject"].strip() == (
        "Ihre Idee „Größere Räume für Sprachkurse“ hat jetzt den Status „angenommen“; "
        "die Moderation hat Ihnen geantwortet."
    )
    assert message["From"].addresses[0].display_name == "Runder Tisch Integration"
    assert message["To"] == "juergen.mueller@example.org"
    assert message["Auto-Submitted"] == "auto-generated"
    assert message["List-Unsubscribe"].strip() == f"<{BASE}/benachrichtigungen/einstellungen/>"
    assert message.get_content_type() == "multipart/alternative"
    plain = message.get_body(preferencelist=("plain",))
    html = message.get_body(preferencelist=("html",))
    assert plain.get_content_charset() == "utf-8"
    text = plain.get_content()
    assert "Guten Tag Jürgen Müller-Lüdenscheidt," in text
    assert "Die Volkshochschule prüft Räume – Grüße aus Troisdorf." in text
    assert f"{BASE}/ideen/{idea.pk}/" in text
    assert f"{BASE}/benachrichtigungen/einstellungen/" in text
    assert f'href="{BASE}/ideen/{idea.pk}/"' in html.get_content()


def test_a_workshop_invitation_arrives_with_its_calendar_request(smtp_server, moderator, deliver):
    person = UserFactory(
        username="aylin", first_name="Aylin", last_name="Şahin", email="aylin@example.org"
    )
    starts = timezone.now().replace(microsecond=0) + datetime.timedelta(days=10)
    with deliver():
        workshop = workshop_services.workshop_create(
            title="Begegnung und Sprache – Größe zählt",
            starts_at=starts,
            place="Kreishaus Siegburg, Sitzungssaal",
            participants=[person],
            by=moderator,
        )
    [message] = smtp_server.messages()
    assert (
        message["Subject"]
        .strip()
        .startswith("Einladung: Workshop „Begegnung und Sprache – Größe zählt“")
    )
    assert message.get_content_type() == "multipart/mixed"
    [attachment] = list(message.iter_attachments())
    assert attachment.get_content_type() == "text/calendar"
    assert attachment.get_param("method") == "REQUEST"
    assert attachment.get_filename() == "einladung.ics"
    calendar = icalendar.Calendar.from_ical(attachment.get_content())
    [event] = calendar.walk("VEVENT")
    assert str(calendar["METHOD"]) == "REQUEST"
    assert str(event["SUMMARY"]) == "Workshop: Begegnung und Sprache – Größe zählt"
    assert str(event["UID"]) == f"workshop-{workshop.pk}@runder-tisch.rhein-sieg-kreis.example"
    assert event.decoded("DTSTART") == starts
    assert str(event["URL"]) == f"{BASE}/workshops/{workshop.pk}/"
    assert event["ATTENDEE"].params["CN"] == "Aylin Şahin"
    text = message.get_body(preferencelist=("plain",)).get_content()
    assert f"{BASE}/workshops/{workshop.pk}/" in text
    assert "Kreishaus Siegburg, Sitzungssaal" in text
