"""iCalendar as Outlook and Thunderbird read it: VTIMEZONE by rule, stable UIDs,
SEQUENCE, METHOD for invitations and cancellations."""

import datetime
from zoneinfo import ZoneInfo

import icalendar
import pytest

from roundtable.notifications.calendar import (
    Attendee,
    CalendarEntry,
    calendar_attachment,
    calendar_bytes,
)

BERLIN = ZoneInfo("Europe/Berlin")


def _entry(**kwargs) -> CalendarEntry:
    values = {
        "key": "workshop-7",
        "sequence": 3,
        "summary": "Workshop: Runder Tisch – Größere Räume",
        "starts_at": datetime.datetime(2026, 7, 1, 10, 0, tzinfo=BERLIN),
        "ends_at": datetime.datetime(2026, 7, 1, 16, 0, tzinfo=BERLIN),
        "location": "Kreishaus Siegburg, Sitzungssaal",
        "description": "1. Begrüßung\n2. Vorschläge",
        "link": "/workshops/7/",
    }
    values.update(kwargs)
    return CalendarEntry(**values)


def _event(data: bytes):
    calendar = icalendar.Calendar.from_ical(data)
    [event] = calendar.walk("VEVENT")
    return calendar, event


@pytest.mark.parametrize(
    ("starts", "text"),
    [
        (
            datetime.datetime(2026, 7, 1, 10, 0, tzinfo=BERLIN),
            "DTSTART;TZID=Europe/Berlin:20260701T100000",
        ),
        (
            datetime.datetime(2026, 1, 15, 10, 0, tzinfo=BERLIN),
            "DTSTART;TZID=Europe/Berlin:20260115T100000",
        ),
        # stored in UTC, shown at the Berlin wall-clock time
        (
            datetime.datetime(2026, 7, 1, 8, 0, tzinfo=datetime.UTC),
            "DTSTART;TZID=Europe/Berlin:20260701T100000",
        ),
    ],
)
def test_times_are_berlin_wall_clock_times_with_a_vtimezone(starts, text):
    data = calendar_bytes([_entry(starts_at=starts, ends_at=None)])
    assert text in data.decode()
    calendar, event = _event(data)
    [zone] = calendar.walk("VTIMEZONE")
    assert str(zone["TZID"]) == "Europe/Berlin"
    rules = {c.name: c for c in zone.subcomponents}
    assert rules["DAYLIGHT"]["RRULE"]["BYMONTH"] == [3]
    assert rules["STANDARD"]["RRULE"]["BYMONTH"] == [10]
    # the same moment, whatever the reader's zone; two hours when no end is known
    assert event.decoded("DTSTART") == starts
    assert event.decoded("DTEND") - event.decoded("DTSTART") == datetime.timedelta(hours=2)


def test_an_event_carries_uid_sequence_umlauts_and_an_absolute_link(settings):
    settings.PORTAL_BASE_URL = "https://runder-tisch.rhein-sieg-kreis.example"
    data = calendar_bytes([_entry()], name="Runder Tisch Integration")
    assert b"\r\n" in data  # RFC 5545 line ends
    calendar, event = _event(data)
    assert str(calendar["PRODID"]).startswith("-//Rhein-Sieg-Kreis//")
    assert str(calendar["VERSION"]) == "2.0"
    assert "METHOD" not in calendar
    assert str(calendar["X-WR-CALNAME"]) == "Runder Tisch Integration"
    assert str(event["UID"]) == "workshop-7@runder-tisch.rhein-sieg-kreis.example"
    assert event["SEQUENCE"] == 3
    assert str(event["SUMMARY"]) == "Workshop: Runder Tisch – Größere Räume"
    assert str(event["LOCATION"]) == "Kreishaus Siegburg, Sitzungssaal"
    assert str(event["URL"]) == "https://runder-tisch.rhein-sieg-kreis.example/workshops/7/"
    assert "1. Begrüßung" in str(event["DESCRIPTION"])
    assert str(event["STATUS"]) == "CONFIRMED"


def test_the_uid_is_the_same_in_every_export():
    first = _event(calendar_bytes([_entry(sequence=0)]))[1]
    second = _event(calendar_bytes([_entry(sequence=5, summary="Anders")], method="REQUEST"))[1]
    assert first["UID"] == second["UID"]


def test_an_invitation_is_a_request_with_organizer_and_the_one_attendee(settings):
    settings.DEFAULT_FROM_EMAIL = "Runder Tisch Integration <runder-tisch@rhein-sieg-kreis.example>"
    attachment = calendar_attachment(
        _entry(), method="REQUEST", attendee=Attendee(name="Aylin Demir", email="aylin@example.org")
    )
    assert attachment["name"] == "einladung.ics" and attachment["method"] == "REQUEST"
    calendar, event = _event(attachment["content"].encode())
    assert str(calendar["METHOD"]) == "REQUEST"
    assert str(event["ORGANIZER"]) == "mailto:runder-tisch@rhein-sieg-kreis.example"
    assert str(event["ATTENDEE"]) == "mailto:aylin@example.org"
    assert event["ATTENDEE"].params["CN"] == "Aylin Demir"
    assert event["ATTENDEE"].params["RSVP"] == "FALSE"  # answered in the portal


def test_a_cancellation_is_a_cancel_with_status_cancelled():
    attachment = calendar_attachment(
        _entry(sequence=4), method="CANCEL", attendee=Attendee(name="A", email="a@example.org")
    )
    assert attachment["name"] == "absage.ics"
    calendar, event = _event(attachment["content"].encode())
    assert str(calendar["METHOD"]) == "CANCEL"
    assert str(event["STATUS"]) == "CANCELLED"
    assert event["SEQUENCE"] == 4


def test_a_cancelled_event_stays_in_a_feed_marked_cancelled():
    _calendar, event = _event(calendar_bytes([_entry(cancelled=True)], name="Feed"))
    assert str(event["STATUS"]) == "CANCELLED"
