"""Workshops and meetings as iCalendar (RFC 5545, the ``icalendar`` library): one event
for download, an invitation (``METHOD:REQUEST``) or its cancellation (``METHOD:CANCEL``,
RFC 5546), and a person's subscription feed, in the forms Outlook and Thunderbird read.

Times are local times of Europe/Berlin with a VTIMEZONE by rule (as Outlook writes it),
so an event keeps its wall-clock time across the change to and from summer time. The UID
is stable per event (``workshop-12@portal-host``); SEQUENCE grows with every change a
calendar must take over, so an update replaces the event instead of adding one.
"""

import datetime
from dataclasses import dataclass
from email.utils import parseaddr
from zoneinfo import ZoneInfo

import icalendar
from django.conf import settings
from django.utils import timezone

from .links import absolute_url, portal_host

TZID = "Europe/Berlin"
PRODID = "-//Rhein-Sieg-Kreis//Runder Tisch Integration//DE"
#: an event without an end is shown as taking two hours
DEFAULT_DURATION = datetime.timedelta(hours=2)
#: how often a subscribed calendar should look again
REFRESH = datetime.timedelta(hours=1)


@dataclass(frozen=True)
class CalendarEntry:
    """One event as calendars see it; the apps make these from workshops and meetings."""

    key: str  # unique and stable in the portal, e.g. "workshop-12"
    sequence: int
    summary: str
    starts_at: datetime.datetime
    ends_at: datetime.datetime | None = None
    location: str = ""
    description: str = ""
    link: str = ""  # a path in the portal or an absolute address
    cancelled: bool = False
    modified: datetime.datetime | None = None

    @property
    def uid(self) -> str:
        return f"{self.key}@{portal_host()}"

    @property
    def end(self) -> datetime.datetime:
        return self.ends_at or self.starts_at + DEFAULT_DURATION


@dataclass(frozen=True)
class Attendee:
    name: str
    email: str


def _vtimezone() -> icalendar.Timezone:
    """Europe/Berlin by rule: summer time from the last Sunday in March, 2:00, to the
    last Sunday in October, 3:00 (valid since 1996)."""
    zone = icalendar.Timezone()
    zone.add("tzid", TZID)
    zone.add("x-lic-location", TZID)
    summer = icalendar.TimezoneDaylight()
    summer.add("tzname", "CEST")
    summer.add("tzoffsetfrom", datetime.timedelta(hours=1))
    summer.add("tzoffsetto", datetime.timedelta(hours=2))
    summer.add("dtstart", datetime.datetime(1970, 3, 29, 2, 0, 0))
    summer.add("rrule", {"freq": "yearly", "bymonth": 3, "byday": "-1SU"})
    winter = icalendar.TimezoneStandard()
    winter.add("tzname", "CET")
    winter.add("tzoffsetfrom", datetime.timedelta(hours=2))
    winter.add("tzoffsetto", datetime.timedelta(hours=1))
    winter.add("dtstart", datetime.datetime(1970, 10, 25, 3, 0, 0))
    winter.add("rrule", {"freq": "yearly", "bymonth": 10, "byday": "-1SU"})
    zone.add_component(summer)
    zone.add_component(winter)
    return zone


def _local(moment: datetime.datetime) -> datetime.datetime:
    return timezone.localtime(moment, ZoneInfo(TZID)).replace(microsecond=0)


def _utc(moment: datetime.datetime) -> datetime.datetime:
    return moment.astimezone(datetime.UTC).replace(microsecond=0)


def _organizer() -> icalendar.vCalAddress:
    name, address = parseaddr(settings.DEFAULT_FROM_EMAIL)
    organizer = icalendar.vCalAddress(f"mailto:{address or 'noreply@localhost'}")
    organizer.params["cn"] = icalendar.vText(name or "Runder Tisch Integration")
    return organizer


def _vevent(
    entry: CalendarEntry, *, method: str | None, attendee: Attendee | None, now
) -> icalendar.Event:
    cancelled = entry.cancelled or method == "CANCEL"
    event = icalendar.Event()
    event.add("uid", entry.uid)
    event.add("dtstamp", now)
    event.add("sequence", entry.sequence)
    event.add("dtstart", _local(entry.starts_at))
    event.add("dtend", _local(entry.end))
    event.add("summary", entry.summary)
    if entry.location:
        event.add("location", entry.location)
    url = absolute_url(entry.link)
    description = "\n\n".join(part for part in (entry.description, url) if part)
    if description:
        event.add("description", description)
    if url:
        event.add("url", url)
    event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    event.add("transp", "OPAQUE")
    if entry.modified:
        event.add("last-modified", _utc(entry.modified))
    if method in ("REQUEST", "CANCEL"):
        event.add("organizer", _organizer())
        if attendee is not None:
            address = icalendar.vCalAddress(f"mailto:{attendee.email}")
            address.params["cn"] = icalendar.vText(attendee.name)
            address.params["role"] = icalendar.vText("REQ-PARTICIPANT")
            address.params["partstat"] = icalendar.vText("NEEDS-ACTION")
            # the answer is given in the portal, not by a reply e-mail to the organiser
            address.params["rsvp"] = icalendar.vText("FALSE")
            event.add("attendee", address)
    return event


def calendar_bytes(
    entries,
    *,
    method: str | None = None,
    name: str = "",
    attendee: Attendee | None = None,
) -> bytes:
    """An iCalendar object with ``entries``. ``method``: None (a download or a feed),
    "PUBLISH", "REQUEST" (an invitation or its update) or "CANCEL"."""
    calendar = icalendar.Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    if method:
        calendar.add("method", method)
    if name:
        calendar.add("name", name)
        calendar.add("x-wr-calname", name)
        calendar.add("x-wr-timezone", TZID)
        calendar.add("refresh-interval", REFRESH, parameters={"value": "DURATION"})
        calendar.add("x-published-ttl", icalendar.vDuration(REFRESH))
    calendar.add_component(_vtimezone())
    now = _utc(timezone.now())
    for entry in entries:
        calendar.add_component(_vevent(entry, method=method, attendee=attendee, now=now))
    return calendar.to_ical()


def calendar_attachment(entry: CalendarEntry, *, method: str, attendee: Attendee) -> dict:
    """An invitation (REQUEST) or cancellation (CANCEL) for one person, in the form of a
    notification's attachment (see ``services.notify``)."""
    return {
        "name": "absage.ics" if method == "CANCEL" else "einladung.ics",
        "type": "text/calendar",
        "method": method,
        "content": calendar_bytes([entry], method=method, attendee=attendee).decode(),
    }
