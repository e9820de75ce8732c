"""Workshops as calendar entries (roundtable.notifications.calendar): for the .ics of a
workshop, the invitations and a person's subscription feed."""

import datetime

from django.utils import timezone
from django.utils.translation import gettext as _

from roundtable.notifications.calendar import CalendarEntry

#: how far back a subscription feed reaches
FEED_PAST = datetime.timedelta(days=180)


def workshop_calendar_entry(workshop) -> CalendarEntry:
    return CalendarEntry(
        key=f"workshop-{workshop.pk}",
        sequence=workshop.sequence,
        summary=_("Workshop: %(title)s") % {"title": workshop.title},
        starts_at=workshop.starts_at,
        ends_at=workshop.ends_at,
        location=workshop.place,
        description=workshop.agenda,
        link=workshop.get_absolute_url(),
        cancelled=workshop.is_cancelled,
        modified=workshop.modified,
    )


def workshop_entries_for(user) -> list[CalendarEntry]:
    """The workshops ``user`` is invited to (moderation: all), from half a year ago on."""
    from .selectors import workshop_list

    workshops = workshop_list(user=user).filter(starts_at__gte=timezone.now() - FEED_PAST)
    return [workshop_calendar_entry(workshop) for workshop in workshops]
