"""Sending e-mail: every message of the portal goes through here, with a subject on one
clean line (see ``text.one_line``)."""

from collections.abc import Iterable

from django.conf import settings
from django.core.mail import send_mail, send_mass_mail

from .text import one_line


def mail_send(*, subject: str, body: str, to: list[str]) -> int:
    return send_mail(one_line(subject), body, settings.DEFAULT_FROM_EMAIL, to, fail_silently=False)


def mail_send_many(messages: Iterable[tuple[str, str, list[str]]]) -> int:
    """Several messages over one connection: (subject, body, recipients) each."""
    return send_mass_mail(
        [
            (one_line(subject), body, settings.DEFAULT_FROM_EMAIL, to)
            for subject, body, to in messages
        ],
        fail_silently=False,
    )
