"""Writes of the timeline: moderation plans the phases and what each one opens."""

import datetime

from django.db import transaction
from django.utils.text import slugify

from .models import Phase


def _unique_key(name: str) -> str:
    base = slugify(name)[:40] or "phase"
    key, n = base, 1
    while Phase.objects.filter(key=key).exists():
        n += 1
        key = f"{base}-{n}"
    return key


@transaction.atomic
def phase_create(
    *,
    name: str,
    start: datetime.date,
    end: datetime.date,
    by,
    description: str = "",
    **capabilities: bool,
) -> Phase:
    phase = Phase(name=name.strip(), description=description.strip(), start=start, end=end)
    for capability, value in capabilities.items():
        _set_capability(phase, capability, value)
    phase.key = _unique_key(phase.name)
    phase._history_user = by
    phase.full_clean()
    phase.save()
    return phase


@transaction.atomic
def phase_update(
    *,
    phase: Phase,
    name: str,
    start: datetime.date,
    end: datetime.date,
    by,
    description: str = "",
    **capabilities: bool,
) -> Phase:
    phase = Phase.objects.select_for_update().get(pk=phase.pk)
    phase.name = name.strip()
    phase.description = description.strip()
    phase.start, phase.end = start, end
    for capability, value in capabilities.items():
        _set_capability(phase, capability, value)
    phase._history_user = by
    phase.full_clean()
    phase.save()
    return phase


def _set_capability(phase: Phase, capability: str, value: bool) -> None:
    from .selectors import CAPABILITIES

    if capability not in CAPABILITIES:
        raise TypeError(f"unknown phase capability {capability!r}")
    setattr(phase, capability, bool(value))
