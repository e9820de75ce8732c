"""Middleware of the portal's infrastructure.

- ``RequestBodyLimitMiddleware`` refuses a body larger than ``MAX_REQUEST_BODY_BYTES``
  (413) from its declared length, before anything reads it: the application is bounded
  without a proxy too (``make run``). A body without a length (chunked) is never read
  by Django at all.
- ``AnonymousPostRateLimitMiddleware`` bounds what visitors without a session can make
  the portal store (sessions, feedback, login attempts): ``ANONYMOUS_POST_RATE`` per
  client address (django-ratelimit; the address as ``security.client_address`` knows it).
- ``IdempotencyMiddleware``: idempotent POSTs. A form (hidden field ``idempotency_key``)
  or a client (header ``Idempotency-Key``) names its submission with a UUID; the view runs
  in one transaction with the key's row. A repeated submission with the same key (the
  user pressed "send" again after an error, a client retried) is answered like the first
  one instead of being stored twice. It reads the form only in ``process_view``, listed
  after ``CsrfViewMiddleware``: a request that fails the CSRF check never has its body
  parsed (or a multipart upload written to disk).
"""

import uuid

from django.conf import settings
from django.db import IntegrityError, transaction
from django.http import HttpResponse, HttpResponseRedirect
from django.template import loader
from django.utils.translation import gettext as _
from django_ratelimit.core import is_ratelimited

from .models import IdempotencyKey
from .security import ratelimit_key

FIELD = "idempotency_key"
HEADER = "HTTP_IDEMPOTENCY_KEY"


def _page(template: str, status: int) -> HttpResponse:
    # no request context: the context processors would ask the database
    return HttpResponse(loader.render_to_string(template), status=status)


class RequestBodyLimitMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > settings.MAX_REQUEST_BODY_BYTES:
            return _page("413.html", 413)
        return self.get_response(request)


class AnonymousPostRateLimitMiddleware:
    """Listed after ``AuthenticationMiddleware``: it asks whether someone is logged in."""

    GROUP = "anonymous-post"

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if (
            request.method == "POST"
            and not request.user.is_authenticated
            and is_ratelimited(
                request,
                group=self.GROUP,
                key=ratelimit_key,
                rate=settings.ANONYMOUS_POST_RATE,
                increment=True,
            )
        ):
            response = _page("429.html", 429)
            response["Retry-After"] = "60"
            return response
        return self.get_response(request)


def _key_of(request) -> uuid.UUID | None:
    raw = request.META.get(HEADER)
    if raw is None and request.content_type in (
        "application/x-www-form-urlencoded",
        "multipart/form-data",
    ):
        raw = request.POST.get(FIELD)
    if not raw:
        return None
    try:
        return uuid.UUID(str(raw).strip())
    except ValueError:
        return None


def _replay(row: IdempotencyKey) -> HttpResponse:
    if row.location:
        response = HttpResponseRedirect(row.location)
    else:
        response = HttpResponse(
            _("Diese Eingabe wurde bereits gespeichert."),
            status=409,
            content_type="text/plain; charset=utf-8",
        )
    response["Idempotent-Replay"] = "true"
    return response


class IdempotencyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view, args, kwargs):
        """Runs after the CSRF check passed (a refused request never gets here), and
        runs the view itself, inside the key's transaction."""
        if request.method != "POST":
            return None
        key = _key_of(request)
        if key is None:
            return None
        user = request.user if request.user.is_authenticated else None
        lookup = {"key": key, "user": user, "path": request.path[:500]}
        with transaction.atomic():
            try:
                with transaction.atomic():
                    row = IdempotencyKey.objects.create(**lookup)
            except IntegrityError:
                # done before (or right now by a twin request, which we waited for)
                return _replay(IdempotencyKey.objects.get(**lookup))
            response = view(request, *args, **kwargs)
            if response.status_code >= 400:
                transaction.set_rollback(True)  # nothing of a failed attempt is kept
                return response
            if not 300 <= response.status_code < 400:
                # not a POST/redirect/GET success (a form shown again with errors, an
                # htmx fragment): the key may be used again
                row.delete()
                return response
            row.status_code = response.status_code
            row.location = response.get("Location", "")[:2000]
            row.save(update_fields=["status_code", "location"])
        return response
