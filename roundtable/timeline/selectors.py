import datetime

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


def phase_allowing(capability: str, *, day: datetime.date | None = None) -> Phase | None:
    """The open phase that allows ``capability`` on ``day`` (today), if any."""
    if capability not in CAPABILITIES:
        raise ValueError(f"unknown phase capability {capability!r}")
    day = day or timezone.localdate()
    return phase_list().filter(start__lte=day, end__gte=day, **{capability: True}).first()


def phase_next_allowing(capability: str, *, day: datetime.date | None = None) -> Phase | None:
    day = day or timezone.localdate()
    return phase_list().filter(start__gt=day, **{capability: True}).first()


def phase_last_allowing(capability: str, *, day: datetime.date | None = None) -> Phase | None:
    day = day or timezone.localdate()
    return phase_list().filter(end__lt=day, **{capability: True}).order_by("-end").first()
