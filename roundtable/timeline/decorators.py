"""Views whose permission depends on a phase explain a closed phase instead of a bare 403."""

from functools import wraps

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme

from .gates import phase_refusal


def _back(request) -> str:
    referer = request.headers.get("referer", "")
    if referer and url_has_allowed_host_and_scheme(
        referer, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return referer
    return reverse("timeline")


def phase_closed_response(request, message: str):
    """GET: a page saying when the step opens (403). POST: the message on the page the
    form came from (htmx follows with a full reload, so the message is shown)."""
    if request.method in ("GET", "HEAD"):
        return render(request, "timeline/phase_closed.html", {"message": message}, status=403)
    messages.error(request, message)
    target = _back(request)
    if getattr(request, "htmx", False):
        return HttpResponse(status=204, headers={"HX-Redirect": target})
    return redirect(target)


def phase_permission_required(perm: str, capability: str):
    """Like ``participants.decorators.permission_required`` (403 without the role), but a
    user whose role allows ``perm`` learns when the phase opens."""

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            # the phase first: a superuser passes every rule, but not the calendar
            message = phase_refusal(request.user, perm, capability)
            if message is not None:
                return phase_closed_response(request, message)
            if not request.user.has_perm(perm):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapped

    return decorator
