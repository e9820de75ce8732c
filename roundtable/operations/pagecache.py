"""Whole-page caching for hot, read-mostly pages (the idea list), per user and language.

A cached page is stored with the current *generation*: a counter in the database that
every write to the portal's data bumps (``post_save``, ``post_delete`` and
``m2m_changed`` of any model but the bookkeeping ones below, and ``invalidate()`` after a
``QuerySet.update()``), in the writing transaction and again once it has committed. A
page is served only under the generation the database has now, so it is never older
than the last committed write, whatever happened to Redis (a stall that swallowed an
invalidation, a restart, lost data): Redis holds the pages, the database the truth.
The generation is read before the page's data: a page rendered while a write was still
open is stored under a generation that the write's commit makes old. The hit path reads
it with the user (``participants.backends``: no query of its own), and so are the
generations of the groups (``generation_group``); only a process that
dies between a commit and the bump after it can leave a page too old, until the next
write or ``TIMEOUT_SECONDS``.

The cache holds a page without its CSRF token (the one secret in it): a random
placeholder, new for every stored page, stands in its place, and each answer gets the
requesting session's token. Nothing a user typed can be the placeholder. Pages with
messages, with a one-time form key or a CSP nonce, or anything but a 200 are not cached.
Every middleware still runs on a cached answer (session, CSRF cookie, security headers):
only the view is skipped. A cache that is away
(``roundtable.operations.cache.FailOpenRedisCache``) is a miss: the page is rendered.

Measured with ``python -m bench list-page`` (docs/benchmarks.md).
"""

import functools
import hashlib
import logging
import re
import secrets

from django.contrib.messages import get_messages
from django.core.cache import cache
from django.db import connection, transaction
from django.db.models import F
from django.db.models.signals import (
    m2m_changed,
    post_delete,
    post_migrate,
    post_save,
    pre_migrate,
)
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.utils import timezone, translation

from .models import PageCacheGeneration

logger = logging.getLogger(__name__)

TIMEOUT_SECONDS = 15 * 60  # a safety net; invalidation does the real work
SEQUENCE = "operations_pagecache_seq"  # PostgreSQL: the main generation (migration 0004)
# where templates put the token: hidden form fields and htmx's request headers
CSRF_TOKEN = re.compile(
    r'(?:name="csrfmiddlewaretoken" value="|"X-CSRFToken": ")([A-Za-z0-9]{32,})"'
)
# what belongs to one answer only: a form's one-time key, a script's CSP nonce
ONE_TIME_MARKERS = ('name="idempotency_key"', ' nonce="')

# writes that no cached page shows; most of them happen on every request or every few
# seconds and would otherwise empty the cache all the time
BOOKKEEPING_MODELS = frozenset(
    {
        "sessions.Session",
        "operations.WorkerHeartbeat",
        "operations.OutboxMessage",
        "operations.IdempotencyKey",
        "operations.PageCacheGeneration",
        "axes.AccessAttempt",
        "axes.AccessLog",
        "axes.AccessFailureLog",
        "committees.ReportDownload",
        # no cached page shows them: the bell is loaded by htmx (notifications:bell)
        "notifications.Notification",
        "notifications.Follow",
        "notifications.DeliverySetting",
        "notifications.CalendarFeed",
    }
)


def _uses_sequence(group: str) -> bool:
    return not group and connection.vendor == "postgresql"


def generation_sql() -> str:
    """SQL that reads the main generation: for a subquery of another query (the user's,
    ``participants.backends``), so that a cached page costs no query of its own."""
    if _uses_sequence(""):
        return f"SELECT last_value FROM {SEQUENCE}"  # noqa: S608 - a constant
    table = PageCacheGeneration._meta.db_table
    return f"SELECT value FROM {table} WHERE name = ''"  # noqa: S608 - a constant


def groups_sql() -> str:
    """SQL that reads the generations of all groups as one text (``name=value;...``): for
    a subquery of the user's query, like ``generation_sql``."""
    table = PageCacheGeneration._meta.db_table
    if connection.vendor == "postgresql":
        joined = "string_agg(name || '=' || value::text, ';')"
    else:
        joined = "group_concat(name || '=' || value, ';')"
    return f"SELECT {joined} FROM {table} WHERE name <> ''"  # noqa: S608 - constants


def _groups_read_with_user(request) -> dict[str, str]:
    """The groups' generations as read with the user at the start of the request."""
    if request is None:
        return {}
    found = getattr(request, "_pagecache_groups", None)
    if found is None:
        text = getattr(getattr(request, "user", None), "pagecache_groups", None) or ""
        found = dict(item.split("=", 1) for item in text.split(";") if "=" in item)
        request._pagecache_groups = found
    return found


def generation(group: str = "", *, request=None) -> str:
    """The current generation of everything (or of ``group``, see ``generation_group``).
    With ``request``, the one read with its user (no query of its own) where there is one:
    read before the page's data, it makes a page rendered during a write old at once."""
    if request is not None:
        if not group:
            return _current_generation(request)
        found = _groups_read_with_user(request).get(group)
        if found is not None:
            return found
    if _uses_sequence(group):
        with connection.cursor() as cursor:
            cursor.execute(generation_sql())
            return str(cursor.fetchone()[0])
    value = PageCacheGeneration.objects.filter(name=group).values_list("value", flat=True).first()
    if value is None:  # a new group (or a test database emptied): from a random start
        row, _created = PageCacheGeneration.objects.get_or_create(
            name=group, defaults={"value": secrets.randbits(40)}
        )
        value = row.value
    return str(value)


def _bumper(group: str):
    """The function that gives ``group`` (``""``: everything) a new generation: one object
    per group, so that a transaction queues it once however many rows it writes."""

    def bump() -> None:
        if _uses_sequence(group):
            with connection.cursor() as cursor:
                cursor.execute("SELECT nextval(%s)", [SEQUENCE])
        elif not PageCacheGeneration.objects.filter(name=group).update(value=F("value") + 1):
            generation(group)  # no row yet: make one (from a random start)

    return bump


# group name -> model labels (see generation_group); group name -> its bumper
_groups: dict[str, frozenset[str]] = {}
_bumpers = {"": _bumper("")}


def generation_group(group: str, *models) -> None:
    """A generation of its own for what shows only ``models`` (a form's choice lists, say):
    bumped by writes to them only, so it outlives the writes to everything else. Call
    it from an ``AppConfig.ready`` so that every process (web, worker) knows the group."""
    _groups[group] = frozenset(model._meta.label for model in models)
    _bumpers[group] = _bumper(group)


def invalidate(*groups: str) -> None:
    """Make every cached page (and the generations of ``groups``) old: now, in the current
    transaction, and again when it commits."""
    in_transaction = transaction.get_connection().in_atomic_block
    for group in ("", *groups):
        bump = _bumpers[group]
        bump()
        if in_transaction and not any(
            entry[1] is bump for entry in transaction.get_connection().run_on_commit
        ):
            transaction.on_commit(bump, robust=True)


def forget_everything() -> None:
    """New generations for all, far from the old ones: nothing cached before is served
    again (tests use this: the cache outlives each test's database, whose rollback may
    take a generation back to a value it had before)."""
    jump = secrets.randbits(32) + 1
    for group in _bumpers:
        if _uses_sequence(group):
            with connection.cursor() as cursor:
                cursor.execute("SELECT setval(%s, nextval(%s) + %s)", [SEQUENCE, SEQUENCE, jump])
        else:
            generation(group)  # the row exists
            PageCacheGeneration.objects.filter(name=group).update(value=F("value") + jump)


_migrating = False  # data migrations write before the generations' table exists


def _on_write(sender, **kwargs) -> None:
    label = sender._meta.label
    if _migrating or label in BOOKKEEPING_MODELS or kwargs.get("action", "").startswith("pre_"):
        return
    invalidate(*(group for group, labels in _groups.items() if label in labels))


def _migrations_started(**kwargs) -> None:
    global _migrating
    _migrating = True


def _migrations_done(**kwargs) -> None:
    global _migrating
    _migrating = False


def connect_signals() -> None:
    for signal in (post_save, post_delete, m2m_changed):
        signal.connect(_on_write, dispatch_uid=f"pagecache-{id(signal)}")
    pre_migrate.connect(_migrations_started, dispatch_uid="pagecache-pre-migrate")
    post_migrate.connect(_migrations_done, dispatch_uid="pagecache-post-migrate")


def _key(request, name: str) -> str:
    path = hashlib.sha256(request.get_full_path().encode()).hexdigest()[:32]
    htmx = getattr(request, "htmx", None)
    variant = "boosted" if htmx and htmx.boosted else ("htmx" if htmx else "page")
    return ":".join(
        [
            "pagecache",
            name,
            translation.get_language() or "",
            str(request.user.pk),
            timezone.localdate().isoformat(),  # phases open and close by date
            variant,
            path,
        ]
    )


def _current_generation(request) -> str:
    """The main generation, as read with the user at the start of the request."""
    value = getattr(request.user, "pagecache_generation", None)
    return str(value) if value is not None else generation()


def _lookup(request, key: str) -> tuple[str, tuple[str, bytes] | None]:
    """The current generation, and the page (placeholder, content) stored under ``key``
    if it was stored in that generation."""
    token = _current_generation(request)
    stored = cache.get(key)
    if stored is not None and len(stored) == 3 and stored[0] == token:
        return token, (stored[1], stored[2])
    return token, None


def _cacheable(request) -> bool:
    return (
        request.method == "GET"
        and request.user.is_authenticated
        and not len(get_messages(request))  # shown once, by this page's render
    )


def _storable(response) -> tuple[str, bytes] | None:
    """The page with its CSRF token replaced by a new random placeholder (and that
    placeholder), or None if it must not be kept."""
    if response.status_code != 200 or response.streaming or response.cookies:
        return None
    stored = _storable_text(response.content.decode(response.charset))
    if stored is None:
        return None
    placeholder, text = stored
    return placeholder, text.encode(response.charset)


def _storable_text(text: str) -> tuple[str, str] | None:
    """``text`` with its CSRF token replaced by a new random placeholder (and that
    placeholder), or None if it must not be kept."""
    if any(marker in text for marker in ONE_TIME_MARKERS):
        return None
    tokens = set(CSRF_TOKEN.findall(text))
    if len(tokens) > 1:
        return None
    placeholder = f"csrf-{secrets.token_hex(16)}"
    if tokens:
        text = text.replace(tokens.pop(), placeholder)
    return placeholder, text


def cached_per_user(name: str):
    """Caches a GET view's page per user, language, day and URL until the next write."""

    def decorator(view):
        @functools.wraps(view)
        def wrapper(request, *args, **kwargs):
            if not _cacheable(request):
                return view(request, *args, **kwargs)
            key = _key(request, name)
            token, found = _lookup(request, key)
            if found is not None:
                placeholder, page = found
                response = HttpResponse(
                    page.replace(placeholder.encode(), get_token(request).encode())
                )
                response["X-Page-Cache"] = "hit"
                return response
            response = view(request, *args, **kwargs)
            stored = _storable(response)
            if stored is not None:
                cache.set(key, (token, *stored), timeout=TIMEOUT_SECONDS)
            return response

        return wrapper

    return decorator


def versioned(key: str, *, compute, group: str = "", timeout: int = TIMEOUT_SECONDS, request=None):
    """``compute()``'s value kept under ``key`` until the next write to the models of
    ``group`` (see ``generation_group``; "" is every write). With ``request``, the
    generation is the one read with its user."""
    token = generation(group, request=request)
    stored = cache.get(key)
    if stored is not None and len(stored) == 2 and stored[0] == token:
        return stored[1]
    value = compute()
    cache.set(key, (token, value), timeout=timeout)
    return value


def shared_per_url(request, name: str, *, render, variant: str = ""):
    """``render()``'s value (a page's parts that are the same for every reader: no user's
    own data, no CSRF token, no message) kept per URL, language, day and ``variant`` until
    the next write to the portal's data, as whole pages are; the first reader after a write
    renders it, the others share it. Each reader fills in what is their own."""
    htmx = getattr(request, "htmx", None)
    kind = "boosted" if htmx and htmx.boosted else ("htmx" if htmx else "page")
    digest = hashlib.sha256(request.get_full_path().encode()).hexdigest()[:32]
    key = ":".join(
        [
            "pagecache:shared",
            name,
            translation.get_language() or "",
            timezone.localdate().isoformat(),
            kind,
            variant,
            digest,
        ]
    )
    token = _current_generation(request)
    stored = cache.get(key)
    if stored is not None and len(stored) == 2 and stored[0] == token:
        return stored[1]
    value = render()
    cache.set(key, (token, value), timeout=TIMEOUT_SECONDS)
    return value


def frame_per_user(request, name: str, *, group: str, render) -> str:
    """The *frame* of a page (``render()``: everything but its data, which the page leaves
    holes for), kept per user, language, day, path and query (without ``page``) until a
    write to the models of ``group`` (see ``generation_group``), not to everything: a
    list's frame (header, navigation, filters) outlives the writes to the list's data,
    which the page then fills in from its own, finer caches. Not kept where the whole
    page would not be (messages, one-time keys)."""
    if not _cacheable(request):
        return render()
    query = request.GET.copy()
    query.pop("page", None)
    digest = hashlib.sha256(f"{request.path}?{query.urlencode()}".encode()).hexdigest()[:32]
    key = ":".join(
        [
            "pagecache:frame",
            name,
            translation.get_language() or "",
            str(request.user.pk),
            timezone.localdate().isoformat(),
            digest,
        ]
    )
    token = generation(group, request=request)
    stored = cache.get(key)
    if stored is not None and len(stored) == 3 and stored[0] == token:
        return stored[2].replace(stored[1], get_token(request))
    text = render()
    storable = _storable_text(text)
    if storable is not None:
        cache.set(key, (token, *storable), timeout=TIMEOUT_SECONDS)
    return text
