"""What a phase opens: the gates of the workshop, committee and implementation work.

Every app above the timeline builds its rules from these predicates and calls
``phase_require`` in its services, so an action outside its phase is refused the same
way by a page, a form and a service, with a German message saying when it opens.
"""

import datetime
from contextlib import contextmanager
from contextvars import ContextVar

import rules
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import Phase
from .selectors import phase_allowing, phase_last_allowing, phase_next_allowing

#: The capabilities that gate steps of the process (idea submission has its own page).
WORKSHOP_WORK = "allows_workshop_work"
COMMITTEE_WORK = "allows_committee_work"
IMPLEMENTATION = "allows_implementation"
GATED = (WORKSHOP_WORK, COMMITTEE_WORK, IMPLEMENTATION)

_assumed_open: ContextVar[bool] = ContextVar("phases_assumed_open", default=False)
#: (capability, day) → open, for one request (see PhaseCacheMiddleware): a page asks the
#: rules many times, the phases are read once.
_request_cache: ContextVar[dict | None] = ContextVar("phase_request_cache", default=None)


class PhaseClosed(ValidationError):
    """An action was asked for outside the phase that allows it."""

    def __init__(self, capability: str, message: str):
        super().__init__(message, code="phase_closed")
        self.capability = capability


def capability_label(capability: str) -> str:
    return str(Phase._meta.get_field(capability).verbose_name)


def phase_is_open(capability: str, *, day: datetime.date | None = None) -> bool:
    if _assumed_open.get():
        return True
    day = day or timezone.localdate()
    cache = _request_cache.get()
    if cache is not None and (capability, day) in cache:
        return cache[capability, day]
    is_open = phase_allowing(capability, day=day) is not None
    if cache is not None:
        cache[capability, day] = is_open
    return is_open


class PhaseCacheMiddleware:
    """Each request reads the phases once, however often its page asks the rules."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = _request_cache.set({})
        try:
            return self.get_response(request)
        finally:
            _request_cache.reset(token)


@contextmanager
def phases_assumed_open():
    """Rules evaluated inside see every phase open: tells "not your role" apart from
    "not now" (see ``phase_refusal``)."""
    token = _assumed_open.set(True)
    try:
        yield
    finally:
        _assumed_open.reset(token)


def phase_closed_message(capability: str, *, day: datetime.date | None = None) -> str | None:
    """None while a phase allowing ``capability`` is open; else when it opens (or closed)."""
    if capability not in GATED:
        raise ValueError(f"not a gated capability: {capability!r}")
    if phase_is_open(capability, day=day):
        return None
    what = capability_label(capability)
    upcoming = phase_next_allowing(capability, day=day)
    if upcoming is not None:
        return _(
            "Dieser Schritt gehört zur %(what)s. Sie öffnet am %(start)s mit der Phase "
            "„%(phase)s“ (bis %(end)s)."
        ) % {
            "what": what,
            "start": f"{upcoming.start:%d.%m.%Y}",
            "end": f"{upcoming.end:%d.%m.%Y}",
            "phase": upcoming.name,
        }
    last = phase_last_allowing(capability, day=day)
    if last is not None:
        return _(
            "Dieser Schritt gehört zur %(what)s. Sie ist abgeschlossen: Die Phase „%(phase)s“ "
            "endete am %(end)s."
        ) % {"what": what, "phase": last.name, "end": f"{last.end:%d.%m.%Y}"}
    return _(
        "Dieser Schritt gehört zur %(what)s. Das Zeitraster sieht dafür zurzeit keine Phase vor."
    ) % {"what": what}


def phase_require(capability: str) -> None:
    """Raises ``PhaseClosed`` (a ValidationError with the message) outside the phase."""
    message = phase_closed_message(capability)
    if message is not None:
        raise PhaseClosed(capability, message)


def phase_refusal(user, perm: str, capability: str, obj=None) -> str | None:
    """The phase's message when only the phase keeps ``user`` from ``perm``; None when the
    user may (or may never, whatever the phase: then it is no phase question)."""
    message = phase_closed_message(capability)
    if message is None:
        return None
    with phases_assumed_open():
        return message if user.has_perm(perm, obj) else None


workshop_work_open = rules.predicate(
    lambda: phase_is_open(WORKSHOP_WORK), name="workshop_work_open"
)
committee_work_open = rules.predicate(
    lambda: phase_is_open(COMMITTEE_WORK), name="committee_work_open"
)
implementation_open = rules.predicate(
    lambda: phase_is_open(IMPLEMENTATION), name="implementation_open"
)
