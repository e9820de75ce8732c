import datetime

import pytest
from freezegun import freeze_time

from roundtable.overview.selectors import timeline_build
from roundtable.timeline.selectors import (
    phase_allowing,
    phase_current,
    phase_last_allowing,
    phase_next_allowing,
)
from tests.factories import MeetingFactory, PhaseFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def seed_phases():
    d = datetime.date
    return [
        PhaseFactory(
            key="ideen", start=d(2004, 10, 1), end=d(2004, 11, 30), allows_idea_submission=True
        ),
        PhaseFactory(
            key="workshop", start=d(2005, 1, 1), end=d(2005, 2, 28), allows_workshop_work=True
        ),
    ]


@freeze_time("2004-10-15")
def test_phase_open_today_allows_what_its_data_says(seed_phases):
    assert phase_current().key == "ideen"
    assert phase_allowing("allows_idea_submission").key == "ideen"
    assert phase_allowing("allows_workshop_work") is None
    assert phase_next_allowing("allows_workshop_work").key == "workshop"


@freeze_time("2004-12-15")
def test_between_phases_nothing_is_open(seed_phases):
    assert phase_current() is None
    assert phase_allowing("allows_idea_submission") is None
    assert phase_last_allowing("allows_idea_submission").key == "ideen"


def test_unknown_capability_is_a_programming_error():
    with pytest.raises(ValueError):
        phase_allowing("allows_everything")


@freeze_time("2004-10-15")
def test_timeline_places_phases_meetings_and_today(seed_phases):
    MeetingFactory(starts_at=datetime.datetime(2004, 9, 21, 17, tzinfo=datetime.UTC))
    timeline = timeline_build()
    first, second = timeline.bars
    assert 0 < first.x < second.x < 1000
    assert first.is_current and not second.is_current
    assert timeline.meetings[0].x < first.x  # the meeting lies before the Ideenwerkstatt
    assert first.x < timeline.today.x < first.x + first.width
    assert [y.label for y in timeline.years] == ["2005"]


def test_timeline_page_shows_phases_and_meetings(client, staff_user, seed_phases):
    MeetingFactory(starts_at=datetime.datetime(2004, 9, 21, 15, tzinfo=datetime.UTC))
    client.force_login(staff_user)
    content = client.get("/zeitraster/").content.decode()
    assert "01.10.2004 – 30.11.2004" in content
    assert "21.09.2004, 17:00" in content  # German date in Europe/Berlin
    assert 'role="img"' in content


def test_phase_end_before_start_is_refused(seed_phases):
    from django.core.exceptions import ValidationError

    phase = seed_phases[0]
    phase.end = phase.start - datetime.timedelta(days=1)
    with pytest.raises(ValidationError):
        phase.full_clean()


def test_the_open_phases_are_read_once_per_request(django_assert_num_queries):
    from django.core.signals import request_finished, request_started

    from roundtable.timeline import selectors

    # what request_started and request_finished do (sending them would also close the
    # test's database connection)
    assert request_started.has_listeners() and request_finished.has_listeners()
    PhaseFactory(key="heute", allows_idea_submission=True)
    selectors.request_memo_start()
    try:
        with django_assert_num_queries(1):
            assert phase_allowing("allows_idea_submission").key == "heute"
            assert phase_allowing("allows_idea_submission").key == "heute"
            assert phase_allowing("allows_workshop_work") is None
        # a change to the phases within the request is seen
        PhaseFactory(key="workshop-heute", allows_workshop_work=True)
        assert phase_allowing("allows_workshop_work").key == "workshop-heute"
    finally:
        selectors.request_memo_end()
    with django_assert_num_queries(2):  # outside a request: every call asks
        phase_allowing("allows_idea_submission")
        phase_allowing("allows_idea_submission")
