"""Whole-page caching for hot, read-mostly pages (the idea list), per user and language.

A cached page is stored with the current *generation*: a random token that every write
to the portal's data replaces (``post_save``, ``post_delete`` and ``m2m_changed`` of any
model but the bookkeeping ones below, and ``invalidate()`` after a ``QuerySet.update()``).
So a page is never served after a change that it does not show yet; nothing has to know which
page shows what. The token is read before the page's data, and replaced again when the
writing transaction commits, so a page rendered from data that was still being changed
is not taken for the new token. Generation and page come in one round trip.

The cache holds a page without its CSRF token (the one secret in it); each answer gets
the requesting session's token. Pages with messages, with a one-time form key, or
anything but a 200 are not cached. Every middleware still runs on a cached answer
(session, CSRF cookie, security headers): only the view is skipped.

Measured with ``python -m bench list-page`` (docs/benchmarks.md).
"""

import functools
import hashlib
import logging
import re
import uuid

from django.contrib.messages import get_messages
from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.utils import timezone, translation

log = logging.getLogger(__name__)

GENERATION_KEY = "pagecache:generation"
TIMEOUT_SECONDS = 15 * 60  # a safety net; invalidation does the real work
CSRF_PLACEHOLDER = "{csrf-token-of-this-request}"
CSRF_PLACEHOLDER_BYTES = CSRF_PLACEHOLDER.encode()
# where templates put the token: hidden form fields and htmx's request headers
CSRF_TOKEN = re.compile(
    r'(?:name="csrfmiddlewaretoken" value="|"X-CSRFToken": ")([A-Za-z0-9]{32,})"'
)
ONE_TIME_MARKERS = ('name="idempotency_key"',)

# writes that no cached page shows; most of them happen on every request or every few
# seconds and would otherwise empty the cache all the time
BOOKKEEPING_MODELS = frozenset(
    {
        "sessions.Session",
        "roundtable.WorkerHeartbeat",
        "operations.IdempotencyKey",
        "axes.AccessAttempt",
        "axes.AccessLog",
        "axes.AccessFailureLog",
        "committees.ReportDownload",
    }
)


def _new_token() -> str:
    return uuid.uuid4().hex


def generation() -> str:
    token = cache.get(GENERATION_KEY)
    if token is None:
        cache.add(GENERATION_KEY, _new_token(), timeout=None)
        token = cache.get(GENERATION_KEY)
    return token


def replace_generation() -> None:
    try:
        cache.set(GENERATION_KEY, _new_token(), timeout=None)
    except Exception:  # a write must not fail because the cache is away
        log.warning("page cache: could not replace the generation", exc_info=True)


def invalidate() -> None:
    """Forget every cached page: now, and again when the current transaction commits."""
    replace_generation()
    connection = transaction.get_connection()
    if connection.in_atomic_block and not any(
        entry[1] is replace_generation for entry in connection.run_on_commit
    ):  # once per transaction, however many rows it writes
        transaction.on_commit(replace_generation, robust=True)


def _on_write(sender, **kwargs) -> None:
    if sender._meta.label in BOOKKEEPING_MODELS or kwargs.get("action", "").startswith("pre_"):
        return
    invalidate()


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
    if stored is not None and stored[0] == token:
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
            try:
                token, page = _lookup(key)
            except Exception:
                log.warning("page cache: not reachable, rendering %s", name, exc_info=True)
                return view(request, *args, **kwargs)
            if page is not None:
                response = HttpResponse(
                    page.replace(CSRF_PLACEHOLDER_BYTES, get_token(request).encode())
                )
                response["X-Page-Cache"] = "hit"
                return response
            response = view(request, *args, **kwargs)
            stored = _storable(response)
            if stored is not None:
                try:
                    cache.set(key, (token, stored), timeout=TIMEOUT_SECONDS)
                except Exception:
                    log.warning("page cache: could not store %s", name, exc_info=True)
            return response

        return wrapper

    return decorator
