"""Writes of the notifications app. The apps above call ``notify`` from their own services,
inside the transaction of the event, so a notification exists exactly when its event
does; e-mails are sent from the rows through the outbox, each once."""

import secrets
from collections.abc import Iterable

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Model
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from roundtable.operations import outbox

from . import mail, registry, selectors
from .models import CalendarFeed, Delivery, DeliverySetting, Follow, Kind, Notification

EMAIL_TASK = "roundtable.notifications.tasks.notification_email_send"
DIGEST_TASK = "roundtable.notifications.tasks.digest_send"


def _target_fields(target: Model | None) -> dict:
    if target is None:
        return {"target_type": None, "target_id": ""}
    return {
        "target_type": ContentType.objects.get_for_model(target),
        "target_id": str(target.pk),
    }


def _recipients(recipients: Iterable, actor) -> list:
    """Each active person once; not the one who caused the event."""
    seen, people = set(), []
    for person in recipients:
        if person is None or not person.is_active or person.pk in seen:
            continue
        if actor is not None and person.pk == actor.pk:
            continue
        seen.add(person.pk)
        people.append(person)
    return people


@transaction.atomic
def notify(
    *,
    recipients: Iterable,
    kind: str,
    text: str,
    params: dict | None = None,
    detail: str = "",
    link: str = "",
    target: Model | None = None,
    actor=None,
    attachments: list[dict] | None = None,
) -> list[Notification]:
    """Tells ``recipients`` of an event, in the caller's transaction.

    ``text`` is a German message id (mark it with ``gettext_noop``) with ``%(name)s``
    placeholders filled from ``params`` when shown; ``%(actor)s`` is ``actor``'s name.
    ``link`` is a path in the portal (or an absolute address). Whoever chose "sofort per
    E-Mail" for ``kind`` gets an e-mail after the commit, sent from the row once.
    """
    if kind not in Kind.values:
        raise ValueError(f"unknown kind of notification: {kind!r}")
    if not isinstance(text, str):
        raise TypeError("text must be a message id (gettext_noop), not a translated string")
    people = _recipients(recipients, actor)
    if not people:
        return []
    with translation.override(settings.LANGUAGE_CODE):  # lazy labels in the portal's language
        params = {key: str(value) for key, value in (params or {}).items()}
    deliveries = selectors.deliveries_for(user_ids=[p.pk for p in people], kind=kind)
    now = timezone.now()
    rows = Notification.objects.bulk_create(
        Notification(
            recipient=person,
            kind=kind,
            text=text,
            params=params,
            detail=detail.strip(),
            link=link,
            actor=actor,
            delivery=deliveries[person.pk],
            attachments=attachments or [],
            created=now,
            **_target_fields(target),
        )
        for person in people
    )
    for row in rows:
        if row.delivery == Delivery.IMMEDIATE and row.recipient.email:
            outbox.enqueue(
                EMAIL_TASK,
                kwargs={"notification_id": row.pk},
                key=f"notification-email:{row.pk}",
            )
    return rows


def notify_followers(
    *, target: Model, text: str, owner=None, owner_text: str = "", **fields
) -> list[Notification]:
    """Tells whoever follows ``target``; its ``owner`` (an idea's author) hears
    ``owner_text`` instead, following or not: it is about their own idea."""
    told = []
    if owner is not None:
        told += notify(recipients=[owner], text=owner_text or text, target=target, **fields)
    followers = selectors.followers_of(target)
    if owner is not None:
        followers = followers.exclude(pk=owner.pk)
    return told + notify(recipients=followers, text=text, target=target, **fields)


# --- reading -----------------------------------------------------------------------


@transaction.atomic
def notification_mark_read(*, user, notification_id: int) -> Notification:
    """Marks one of ``user``'s notifications read (DoesNotExist for anyone else's)."""
    notification = Notification.objects.select_for_update().get(pk=notification_id, recipient=user)
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])
    return notification


@transaction.atomic
def notifications_mark_all_read(*, user) -> int:
    return Notification.objects.filter(recipient=user, read_at__isnull=True).update(
        read_at=timezone.now()
    )


# --- e-mails ----------------------------------------------------------------------


@transaction.atomic
def notification_email_send(*, notification_id: int) -> bool:
    """Sends the e-mail of a notification once: the row is locked and marked in the same
    transaction, so a task that runs twice sends one mail. Returns whether it sent."""
    notification = (
        Notification.objects.select_for_update(of=("self",))
        .select_related("recipient", "actor")
        .filter(pk=notification_id)
        .first()
    )
    if notification is None or notification.emailed_at is not None:
        return False
    person = notification.recipient
    sent = False
    if person.is_active and person.email:
        mail.notification_message(notification).send()
        sent = True
    notification.emailed_at = timezone.now()
    notification.save(update_fields=["emailed_at"])
    return sent


@transaction.atomic
def digests_queue() -> int:
    """Queues one digest per person with notifications waiting for it (the beat task at
    7:00). The key makes it one per person and day, however often this runs."""
    user_ids = list(
        Notification.objects.filter(delivery=Delivery.DIGEST, emailed_at__isnull=True)
        .order_by()
        .values_list("recipient_id", flat=True)
        .distinct()
    )
    day = timezone.localdate().isoformat()
    for user_id in user_ids:
        outbox.enqueue(
            DIGEST_TASK, kwargs={"user_id": user_id}, key=f"notification-digest:{user_id}:{day}"
        )
    return len(user_ids)


@transaction.atomic
def digest_send(*, user_id: int) -> bool:
    """Sends ``user_id`` one e-mail with the waiting notifications not yet read in the
    portal; all of them are done afterwards. Returns whether a mail was sent."""
    person = get_user_model().objects.filter(pk=user_id).first()
    waiting = list(
        Notification.objects.select_for_update(of=("self",))
        .select_related("actor")
        .filter(recipient_id=user_id, delivery=Delivery.DIGEST, emailed_at__isnull=True)
        .order_by("created", "id")
    )
    if not waiting:
        return False
    unread = [n for n in waiting if n.read_at is None]
    sent = False
    if unread and person is not None and person.is_active and person.email:
        mail.digest_message(person, unread).send()
        sent = True
    Notification.objects.filter(pk__in=[n.pk for n in waiting]).update(emailed_at=timezone.now())
    return sent


# --- follows ----------------------------------------------------------------------


def follow(*, user, target: Model) -> Follow:
    """``user`` follows ``target`` (authors their ideas, say); following twice is once."""
    fields = _target_fields(target)
    try:
        with transaction.atomic():
            follow, _created = Follow.objects.get_or_create(user=user, **fields)
    except IntegrityError:  # a parallel request followed first
        follow = Follow.objects.get(user=user, **fields)
    return follow


@transaction.atomic
def unfollow(*, user, target: Model) -> bool:
    deleted, _counts = Follow.objects.filter(user=user, **_target_fields(target)).delete()
    return bool(deleted)


@transaction.atomic
def follow_toggle(*, user, target: Model) -> bool:
    """Follows ``target`` or stops following it. Returns whether ``user`` follows it now.
    Only what is registered as followable, and only what ``user`` may see."""
    followable = registry.followable_for(target)
    if followable is None or not user.has_perm(followable.view_permission, target):
        raise PermissionDenied
    if unfollow(user=user, target=target):
        return False
    follow(user=user, target=target)
    return True


# --- settings ----------------------------------------------------------------------


@transaction.atomic
def delivery_settings_save(*, user, deliveries: dict[str, str]) -> None:
    for kind, delivery in deliveries.items():
        if kind not in Kind.values or delivery not in Delivery.values:
            raise ValidationError(_("Unbekannte Einstellung."))
        DeliverySetting.objects.update_or_create(
            user=user, kind=kind, defaults={"delivery": delivery}
        )


# --- calendar subscription ------------------------------------------------------------


@transaction.atomic
def calendar_feed_renew(*, user) -> CalendarFeed:
    """Creates the person's subscription address, or replaces it: the old one stops
    working at once."""
    feed, _created = CalendarFeed.objects.update_or_create(
        user=user, defaults={"nonce": secrets.token_hex(32), "last_fetched": None}
    )
    return feed


@transaction.atomic
def calendar_feed_revoke(*, user) -> bool:
    deleted, _counts = CalendarFeed.objects.filter(user=user).delete()
    return bool(deleted)


def calendar_feed_fetched(*, feed: CalendarFeed) -> None:
    """Notes when a calendar last read the feed (at most once an hour: no write per fetch)."""
    now = timezone.now()
    if feed.last_fetched is None or (now - feed.last_fetched).total_seconds() > 3600:
        CalendarFeed.objects.filter(pk=feed.pk).update(last_fetched=now)


# --- privacy -------------------------------------------------------------------------


@transaction.atomic
def notifications_forget(*, user) -> None:
    """Removes what this app keeps about ``user`` (their erasure, roundtable.privacy)."""
    Notification.objects.filter(recipient=user).delete()
    Follow.objects.filter(user=user).delete()
    DeliverySetting.objects.filter(user=user).delete()
    CalendarFeed.objects.filter(user=user).delete()
