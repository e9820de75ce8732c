"""Reads that combine the round table's apps (the project package sits on top)."""

import datetime
from dataclasses import dataclass

from django.utils import timezone

from roundtable.committees.models import Meeting
from roundtable.timeline.models import Phase
from roundtable.timeline.selectors import phase_list

WIDTH = 1000
TOP = 10
ROW = 48


CHAR_WIDTH = 8  # a generous estimate of one character at the drawing's font size


def _label_x(name: str, x: float) -> float:
    """Labels stand above their bar, from its start, moved left where they would overflow."""
    return round(max(min(x, WIDTH - len(name) * CHAR_WIDTH), 0), 1)


@dataclass(frozen=True)
class TimelineBar:
    phase: Phase
    x: float  # in units of a drawing 1000 wide
    width: float
    y: int
    is_current: bool
    label_x: float


@dataclass(frozen=True)
class TimelineMark:
    label: str
    day: datetime.date
    x: float


@dataclass(frozen=True)
class Timeline:
    start: datetime.date
    end: datetime.date
    bars: list[TimelineBar]
    meetings: list[TimelineMark]
    today: TimelineMark | None
    years: list[TimelineMark]
    height: int
    axis_y: int


def timeline_build(*, today: datetime.date | None = None) -> Timeline | None:
    """Lays out the phases and committee meetings on one time axis.

    Positions are in units of a drawing 1000 wide, so the template draws them
    as SVG attributes (no inline styles, which the Content Security Policy
    forbids).
    """
    today = today or timezone.localdate()
    phases = list(phase_list())
    meetings = list(Meeting.objects.select_related("committee").order_by("starts_at"))
    days = [p.start for p in phases] + [p.end for p in phases]
    days += [timezone.localtime(m.starts_at).date() for m in meetings]
    if not days:
        return None
    start, end = min(days), max(days)
    span = max((end - start).days, 1)
    margin = max(span // 20, 7)
    start -= datetime.timedelta(days=margin)
    end += datetime.timedelta(days=margin)
    span = (end - start).days

    def pos(day: datetime.date) -> float:
        return round(WIDTH * (day - start).days / span, 1)

    bars = []
    for row, p in enumerate(phases):
        x = pos(p.start)
        width = max(round(WIDTH * ((p.end - p.start).days + 1) / span, 1), 4)
        bars.append(
            TimelineBar(
                phase=p,
                x=x,
                width=width,
                y=TOP + row * ROW,
                is_current=p.is_open_on(today),
                label_x=_label_x(p.name, x),
            )
        )
    axis_y = TOP + len(phases) * ROW + 4
    marks = [
        TimelineMark(
            label=f"{m.committee.short_name or m.committee.name}",
            day=timezone.localtime(m.starts_at).date(),
            x=pos(timezone.localtime(m.starts_at).date()),
        )
        for m in meetings
    ]
    today_mark = TimelineMark(label="", day=today, x=pos(today)) if start <= today <= end else None
    years = [
        TimelineMark(
            label=str(year), day=datetime.date(year, 1, 1), x=pos(datetime.date(year, 1, 1))
        )
        for year in range(start.year + 1, end.year + 1)
    ]
    return Timeline(
        start=start,
        end=end,
        bars=bars,
        meetings=marks,
        today=today_mark,
        years=years,
        height=axis_y + 40,
        axis_y=axis_y,
    )
