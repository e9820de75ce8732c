"""Idempotent POSTs: a form (hidden field ``idempotency_key``) or a client (header
``Idempotency-Key``) names its submission with a UUID; the view runs in one
transaction with the key's row. A repeated submission with the same key (the user
pressed "send" again after an error, a client retried) is answered like the first
one instead of being stored twice.
"""

import uuid

from django.db import IntegrityError, transaction
from django.http import HttpResponse, HttpResponseRedirect
from django.utils.translation import gettext as _

from .models import IdempotencyKey

FIELD = "idempotency_key"
HEADER = "HTTP_IDEMPOTENCY_KEY"


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
        if request.method != "POST":
            return self.get_response(request)
        key = _key_of(request)
        if key is None:
            return self.get_response(request)
        user = request.user if request.user.is_authenticated else None
        lookup = {"key": key, "user": user, "path": request.path[:500]}
        with transaction.atomic():
            try:
                with transaction.atomic():
                    row = IdempotencyKey.objects.create(**lookup)
            except IntegrityError:
                # done before (or right now by a twin request, which we waited for)
                return _replay(IdempotencyKey.objects.get(**lookup))
            response = self.get_response(request)
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
