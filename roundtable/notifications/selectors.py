"""Reads of the notifications app."""

import hmac
from collections.abc import Iterable

from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.db.models import Model, Q, QuerySet
from django.urls import reverse
from django.utils.crypto import salted_hmac

from . import registry
from .calendar import CalendarEntry
from .links import absolute_url
from .models import DEFAULT_DELIVERY, CalendarFeed, DeliverySetting, Follow, Kind, Notification

FEED_SALT = "roundtable.notifications.calendar-feed"


# --- notifications ------------------------------------------------------------------


def unread_count(*, user) -> int:
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()


def notification_list(*, user, unread_only: bool = False) -> QuerySet[Notification]:
    notifications = Notification.objects.filter(recipient=user).select_related("actor")
    if unread_only:
        notifications = notifications.filter(read_at__isnull=True)
    return notifications.order_by("-created", "-id")


# --- follows ----------------------------------------------------------------------


def _target_q(targets: Iterable[Model]) -> Q:
    query = Q(pk__in=[])
    for target in targets:
        if target is not None:
            content_type = ContentType.objects.get_for_model(target)
            query |= Q(target_type=content_type, target_id=str(target.pk))
    return query


def followers_of(*targets: Model) -> QuerySet:
    """The active people who follow any of ``targets``."""
    follows = Follow.objects.filter(_target_q(targets)).values("user_id")
    return get_user_model().objects.filter(pk__in=follows, is_active=True)


def is_following(*, user, target: Model) -> bool:
    if not user.is_authenticated:
        return False
    return Follow.objects.filter(_target_q([target]), user=user).exists()


def follows_of(*, user) -> list[Follow]:
    """What ``user`` follows, with the objects (one query per kind of object)."""
    follows = list(
        Follow.objects.filter(user=user).select_related("target_type").prefetch_related("target")
    )
    return [follow for follow in follows if follow.target is not None]


# --- delivery -----------------------------------------------------------------------


def delivery_choices(*, user) -> dict[str, str]:
    """Kind -> delivery for ``user``, the defaults filled in."""
    chosen = dict(DeliverySetting.objects.filter(user=user).values_list("kind", "delivery"))
    return {kind: chosen.get(kind, DEFAULT_DELIVERY[kind]) for kind in Kind.values}


def deliveries_for(*, user_ids: Iterable[int], kind: str) -> dict[int, str]:
    """User id -> the delivery each chose for ``kind`` (the default where none)."""
    user_ids = list(user_ids)
    chosen = dict(
        DeliverySetting.objects.filter(user_id__in=user_ids, kind=kind).values_list(
            "user_id", "delivery"
        )
    )
    return {pk: chosen.get(pk, DEFAULT_DELIVERY[kind]) for pk in user_ids}


# --- calendars ----------------------------------------------------------------------


def calendar_feed_token(feed: CalendarFeed) -> str:
    return salted_hmac(FEED_SALT, f"{feed.user_id}:{feed.nonce}", algorithm="sha256").hexdigest()[
        :40
    ]


def calendar_feed_url(feed: CalendarFeed) -> str:
    path = reverse(
        "notifications:calendar_feed",
        kwargs={"user_id": feed.user_id, "token": calendar_feed_token(feed)},
    )
    return absolute_url(path)


def calendar_feed_check(*, user_id: int, token: str) -> CalendarFeed | None:
    """The feed whose address this is, or None. The token is compared in constant time,
    and compared even when there is no feed, so the answer's timing tells nothing."""
    feed = (
        CalendarFeed.objects.select_related("user", "user__profile")
        .filter(user_id=user_id, user__is_active=True)
        .first()
    )
    expected = calendar_feed_token(feed or CalendarFeed(user_id=user_id, nonce="-"))
    matches = hmac.compare_digest(expected.encode(), token.encode())
    return feed if feed is not None and matches else None


def calendar_entries_for(*, user) -> list[CalendarEntry]:
    """Every event ``user`` is invited to or may see, from every registered source."""
    entries = [entry for source in registry.calendar_sources() for entry in source(user)]
    return sorted(entries, key=lambda entry: (entry.starts_at, entry.key))
