"""Logging in and resetting the password: the parts Django's auth views leave to the
project. The reset e-mail goes through the outbox, so a mail server that is away
costs the person a few minutes, not an error page."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.tokens import default_token_generator
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _

from roundtable.operations import outbox


def password_reset_request(*, users) -> int:
    """Queues a reset e-mail for each of ``users`` (Django's form chose them: active,
    with a password of the portal, with this e-mail address)."""
    from .tasks import password_reset_send_task

    count = 0
    for user in users:
        outbox.enqueue(password_reset_send_task, kwargs={"user_id": user.pk})
        count += 1
    return count


def password_reset_send(*, user_id: int) -> bool:
    user = get_user_model().objects.filter(pk=user_id, is_active=True).first()
    if user is None or not user.email or not user.has_usable_password():
        return False  # erased, deactivated or moved to the directory meanwhile
    path = reverse(
        "password_reset_confirm",
        kwargs={
            "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
            "token": default_token_generator.make_token(user),
        },
    )
    with translation.override(settings.LANGUAGE_CODE):
        subject = _("Passwort zurücksetzen – Runder Tisch Integration")
        body = render_to_string(
            "registration/password_reset_email.txt",
            {
                "user": user,
                "url": settings.PORTAL_BASE_URL + path,
                "hours": settings.PASSWORD_RESET_TIMEOUT // 3600,
            },
        )
    send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [user.email])
    return True
