"""The e-mails of notifications: one at once, or the daily digest. Each has a plain-text
part and an HTML part, absolute links (PORTAL_BASE_URL) and a link to the person's
settings; attachments (an invitation's .ics) go with them."""

from email.mime.application import MIMEApplication
from email.mime.text import MIMEText

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.text import Truncator
from django.utils.translation import ngettext

from roundtable.operations.text import one_line

from .links import absolute_url
from .models import Notification


def _headers(settings_url: str) -> dict[str, str]:
    return {
        # no out-of-office answers to an address nobody reads (RFC 3834, Outlook)
        "Auto-Submitted": "auto-generated",
        "X-Auto-Response-Suppress": "All",
        "List-Unsubscribe": f"<{settings_url}>",
    }


def _attachment_part(attachment: dict):
    maintype, _slash, subtype = attachment.get("type", "text/plain").partition("/")
    if maintype == "text":
        part = MIMEText(attachment["content"], subtype or "plain", "utf-8")
        if attachment.get("method"):
            part.set_param("method", attachment["method"])
    else:
        part = MIMEApplication(attachment["content"].encode(), subtype or "octet-stream")
    part.add_header("Content-Disposition", "attachment", filename=attachment["name"])
    return part


def _item(notification: Notification) -> dict:
    return {
        "message": notification.message,
        "detail": notification.detail,
        "url": absolute_url(notification.link) if notification.link else "",
        "created": notification.created,
    }


def _message(*, user, subject: str, template: str, context: dict, attachments=()):
    settings_url = absolute_url(reverse("notifications:settings"))
    context = {
        "user": user,
        "name": user.get_full_name() or user.get_username(),
        "settings_url": settings_url,
        "portal_url": absolute_url("/"),
        **context,
    }
    message = EmailMultiAlternatives(
        subject=Truncator(one_line(subject)).chars(150),
        body=render_to_string(f"notifications/email/{template}.txt", context),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[user.email],
        headers=_headers(settings_url),
    )
    message.attach_alternative(
        render_to_string(f"notifications/email/{template}.html", context), "text/html"
    )
    for attachment in attachments:
        message.attach(_attachment_part(attachment))
    return message


def notification_message(notification: Notification) -> EmailMultiAlternatives:
    with translation.override(settings.LANGUAGE_CODE):
        return _message(
            user=notification.recipient,
            subject=notification.message,
            template="notification",
            context={"item": _item(notification)},
            attachments=notification.attachments,
        )


def digest_message(user, notifications: list[Notification]) -> EmailMultiAlternatives:
    with translation.override(settings.LANGUAGE_CODE):
        count = len(notifications)
        subject = ngettext(
            "Runder Tisch Integration: %(count)d neue Benachrichtigung",
            "Runder Tisch Integration: %(count)d neue Benachrichtigungen",
            count,
        ) % {"count": count}
        return _message(
            user=user,
            subject=subject,
            template="digest",
            context={
                "items": [_item(n) for n in notifications],
                "count": count,
                "list_url": absolute_url(reverse("notifications:list")),
            },
            attachments=[a for n in notifications for a in n.attachments],
        )
