"""Whole-page caching for hot, read-mostly pages (the idea list), per user and language.

A cached page is stored with the current *generation*: a random token that every write
to the portal's data replaces (``post_save``, ``post_delete`` and ``m2m_changed`` of any
model but the bookkeeping ones below, and ``invalidate()`` after a ``QuerySet.update()``).
So a page is never served after a change that it does not show yet; nothing has to know which
page shows what. The token is read before the page's data, and replaced again when the
writing transaction commits, so a page rendered from data that was still being changed
is not taken for the new token. Generation and page come in one round trip.

The cache holds a page without its CSRF token (the one secret in it); each answer gets
the requesting session's token. Pages with messages, with a one-time form key or a CSP
nonce, or anything but a 200 are not cached. Every middleware still runs on a cached answer
(session, CSRF cookie, security headers): only the view is skipped. A cache that is away
(``roundtable.operations.cache.FailOpenRedisCache``) is a miss: the page is rendered.

Measured with ``python -m bench list-page`` (docs/benchmarks.md).
"""

import functools
import hashlib
import re
import uuid

from django.contrib.messages import get_messages
from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.utils import timezone, translation

GENERATION_KEY = "pagecache:generation"
TIMEOUT_SECONDS = 15 * 60  # a safety net; invalidation does the real work
CSRF_PLACEHOLDER = "{csrf-token-of-this-request}"
CSRF_PLACEHOLDER_BYTES = CSRF_PLACEHOLDER.encode()
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
        "axes.AccessAttempt",
        "axes.AccessLog",
        "axes.AccessFailureLog",
        "committees.ReportDownload",
    }
)


def _new_token() -> str:
    return uuid.uuid4().hex


def _generation_key(group: str) -> str:
    return f"{GENERATION_KEY}:{group}" if group else GENERATION_KEY


def generation(group: str = "") -> str:
    """The current token of everything (or of ``group``, see ``generation_group``)."""
    key = _generation_key(group)
    token = cache.get(key)
    if token is None:
        cache.add(key, _new_token(), timeout=None)
        token = cache.get(key)
    return token


def _replacer(group: str):
    """The function that gives ``group`` (``""``: everything) a new token: one object per
    group, so that a transaction queues it once however many rows it writes."""

    def replace() -> None:
        cache.set(_generation_key(group), _new_token(), timeout=None)

    return replace


# group name -> model labels (see generation_group); group name -> its replacer
_groups: dict[str, frozenset[str]] = {}
_replacers = {"": _replacer("")}


def generation_group(group: str, *models) -> None:
    """A generation of its own for what shows only ``models`` (a form's choice lists, say):
    replaced by writes to them only, so it outlives the writes to everything else. Call
    it from an ``AppConfig.ready`` so that every process (web, worker) knows the group."""
    _groups[group] = frozenset(model._meta.label for model in models)
    _replacers[group] = _replacer(group)


def invalidate(*groups: str) -> None:
    """Forget every cached page (and the generations of ``groups``): now, and again when
    the current transaction commits."""
    connection = transaction.get_connection()
    for group in ("", *groups):
        replace = _replacers[group]
        replace()
        if connection.in_atomic_block and not any(
            entry[1] is replace for entry in connection.run_on_commit
        ):
            transaction.on_commit(replace, robust=True)


def forget_everything() -> None:
    """New generations for all: nothing cached before is served again (tests use this,
    since the cache outlives each test's database)."""
    cache.delete_many([_generation_key(group) for group in _replacers])


def _on_write(sender, **kwargs) -> None:
    label = sender._meta.label
    if label in BOOKKEEPING_MODELS or kwargs.get("action", "").startswith("pre_"):
        return
    invalidate(*(group for group, labels in _groups.items() if label in labels))


def connect_signals() -> None:
    for signal in (post_save, post_delete, m2m_changed):
        signal.connect(_on_write, dispatch_uid=f"pagecache-{id(signal)}")


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


def _lookup(key: str) -> tuple[str, bytes | None]:
    """The current generation and the page stored under ``key`` if it was stored in
    that generation: one round trip to the cache."""
    found = cache.get_many([GENERATION_KEY, key])
    token = found.get(GENERATION_KEY) or generation()
    stored = found.get(key)
    if token is not None and stored is not None and stored[0] == token:
        return token, stored[1]
    return token, None


def _cacheable(request) -> bool:
    return (
        request.method == "GET"
        and request.user.is_authenticated
        and not len(get_messages(request))  # shown once, by this page's render
    )


def _storable(response) -> bytes | None:
    """The page with the CSRF token taken out, or None if it must not be kept."""
    if response.status_code != 200 or response.streaming or response.cookies:
        return None
    text = response.content.decode(response.charset)
    if any(marker in text for marker in ONE_TIME_MARKERS):
        return None
    tokens = set(CSRF_TOKEN.findall(text))
    if len(tokens) > 1:
        return None
    if tokens:
        text = text.replace(tokens.pop(), CSRF_PLACEHOLDER)
    return text.encode(response.charset)


def cached_per_user(name: str):
    """Caches a GET view's page per user, language, day and URL until the next write."""

    def decorator(view):
        @functools.wraps(view)
        def wrapper(request, *args, **kwargs):
            if not _cacheable(request):
                return view(request, *args, **kwargs)
            key = _key(request, name)
            token, page = _lookup(key)
            if page is not None:
                response = HttpResponse(
                    page.replace(CSRF_PLACEHOLDER_BYTES, get_token(request).encode())
                )
                response["X-Page-Cache"] = "hit"
                return response
            response = view(request, *args, **kwargs)
            stored = _storable(response)
            if stored is not None and token is not None:
                cache.set(key, (token, stored), timeout=TIMEOUT_SECONDS)
            return response

        return wrapper

    return decorator
