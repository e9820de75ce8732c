"""Committee meetings as calendar entries (roundtable.notifications.calendar): for the
.ics of a meeting, the invitations and a person's subscription feed.

Meetings are edited in the portal (``services.meeting_update``, which sends the invited
members the change) and may still be in the admin, whose saves no service sees; so
SEQUENCE is derived from the row itself: the seconds from its creation to its last change,
plus the portal's changes of time or place. It grows with every save, and a calendar takes
over whatever changed."""

import datetime

from django.utils import timezone
from django.utils.translation import gettext as _

from roundtable.notifications.calendar import CalendarEntry

#: how far back a subscription feed reaches
FEED_PAST = datetime.timedelta(days=180)


def meeting_sequence(meeting) -> int:
    seconds = max(0, int((meeting.modified - meeting.created).total_seconds()))
    return seconds + meeting.calendar_changes


def meeting_calendar_entry(meeting, *, agenda_items=None) -> CalendarEntry:
    """``agenda_items``: the public items to list in the description (None: none)."""
    lines = [
        _("TO-Pkt. %(number)s: %(title)s") % {"number": item.number, "title": item.title}
        for item in (agenda_items or [])
    ]
    return CalendarEntry(
        key=f"meeting-{meeting.pk}",
        sequence=meeting_sequence(meeting),
        summary=_("Sitzung: %(committee)s") % {"committee": meeting.committee.name},
        starts_at=meeting.starts_at,
        ends_at=meeting.ends_at,
        location=meeting.place,
        description="\n".join(lines),
        link=meeting.get_absolute_url(),
        modified=meeting.modified,
    )


def meeting_entries_for(user) -> list[CalendarEntry]:
    """The meetings ``user`` may see (with their public agenda items), from half a year
    ago on."""
    from .selectors import meetings_for_calendar

    if not user.has_perm("committees.view_meeting"):
        return []
    return [
        meeting_calendar_entry(meeting, agenda_items=meeting.public_agenda_items)
        for meeting in meetings_for_calendar(since=timezone.now() - FEED_PAST)
    ]
