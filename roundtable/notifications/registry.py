"""What the apps above tell this one in their ``AppConfig.ready``: which of their models may
be followed (and who may see an object), and where a person's calendar events come from.
So this floor serves ideas, workshops and committees without importing any of them."""

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.db.models import Model


@dataclass(frozen=True)
class Followable:
    model: type[Model]
    #: the permission (``<app_label>.view_<model>``) a follower needs for the object
    view_permission: str

    @property
    def label(self) -> str:
        return self.model._meta.label_lower


_followables: dict[str, Followable] = {}
#: name -> function(user) that returns the CalendarEntry objects the user may see
_calendar_sources: dict[str, Callable] = {}


def register_followable(model: type[Model], *, view_permission: str) -> None:
    followable = Followable(model=model, view_permission=view_permission)
    _followables[followable.label] = followable


def followable(label: str) -> Followable | None:
    """The registration of ``label`` (``"ideas.idea"``), or None if it cannot be followed."""
    return _followables.get(label)


def followable_for(obj: Model) -> Followable | None:
    return _followables.get(obj._meta.label_lower)


def register_calendar_source(name: str, entries_for: Callable[..., Iterable]) -> None:
    """``entries_for(user)`` returns the calendar entries ``user`` is invited to or may see."""
    _calendar_sources[name] = entries_for


def calendar_sources() -> list[Callable]:
    return [_calendar_sources[name] for name in sorted(_calendar_sources)]
