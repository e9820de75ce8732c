import datetime

import pytest

from roundtable.demo.seed import PHASES
from tests.factories import PhaseFactory

#: Days of the seed's Zeitraster, and what is open on each (in the seed's phases:
#: Ideenwerkstatt 10–11/2004, Workshop 01–02/2005, Konzept und Gremien 03–04/2005,
#: Einrichtung 06/2005).
DAYS = {
    "vor der Ideenwerkstatt": ("2004-09-15", set()),
    "Ideenwerkstatt": ("2004-10-15", {"allows_idea_submission"}),
    "zwischen Ideenwerkstatt und Workshop": ("2004-12-15", set()),
    "Workshop": ("2005-01-20", {"allows_workshop_work"}),
    "Konzept und Gremien": ("2005-03-15", {"allows_workshop_work", "allows_committee_work"}),
    "zwischen Gremien und Einrichtung": ("2005-05-15", set()),
    "Einrichtung": ("2005-06-15", {"allows_committee_work", "allows_implementation"}),
    "nach der Einrichtung": ("2005-08-01", set()),
}


@pytest.fixture
def seed_phases(db):
    """The seed's four phases, with what each one opens."""
    return [
        PhaseFactory(key=key, name=name, start=start, end=end, **caps)
        for key, name, start, end, caps, _description in PHASES
    ]


def day(value: str) -> datetime.date:
    return datetime.date.fromisoformat(value)
