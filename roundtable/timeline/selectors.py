import datetime
import threading

from django.db.models import QuerySet
from django.utils import timezone

from .models import Phase

CAPABILITIES = (
    "allows_idea_submission",
    "allows_workshop_work",
    "allows_committee_work",
    "allows_implementation",
)


def phase_list() -> QuerySet[Phase]:
    return Phase.objects.order_by("start", "end")


def phase_current(*, day: datetime.date | None = None) -> Phase | None:
    day = day or timezone.localdate()
    return phase_list().filter(start__lte=day, end__gte=day).first()


# The phases open on a day, remembered for the rest of one request only: a page asks
# several times (the navigation's and the page's permission checks), the answer cannot
# change in between. Outside a request (tasks, services called from the shell) every
# call asks the database. Set by ``request_started``, dropped by ``request_finished`` and
# by any write to a phase (roundtable.timeline.apps).
_request = threading.local()


def request_memo_start(**kwargs) -> None:
    _request.open_phases = {}


def request_memo_end(**kwargs) -> None:
    _request.open_phases = None


def request_memo_forget(**kwargs) -> None:
    memo = getattr(_request, "open_phases", None)
    if memo:
        memo.clear()


def _open_phases(day: datetime.date) -> list[Phase]:
    memo = getattr(_request, "open_phases", None)
    if memo is None:
        return list(phase_list().filter(start__lte=day, end__gte=day))
    if day not in memo:
        memo[day] = list(phase_list().filter(start__lte=day, end__gte=day))
    return memo[day]


def phase_allowing(capability: str, *, day: datetime.date | None = None) -> Phase | None:
    """The open phase that allows ``capability`` on ``day`` (today), if any."""
    if capability not in CAPABILITIES:
        raise ValueError(f"unknown phase capability {capability!r}")
    day = day or timezone.localdate()
    return next((p for p in _open_phases(day) if getattr(p, capability)), None)


def phase_next_allowing(capability: str, *, day: datetime.date | None = None) -> Phase | None:
    day = day or timezone.localdate()
    return phase_list().filter(start__gt=day, **{capability: True}).first()


def phase_last_allowing(capability: str, *, day: datetime.date | None = None) -> Phase | None:
    day = day or timezone.localdate()
    return phase_list().filter(end__lt=day, **{capability: True}).order_by("-end").first()
