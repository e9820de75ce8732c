"""The spreadsheet writers of ``ideas.export`` (the views' answers: tests/ideas/test_views.py)."""

import csv
import io

import pytest

from ideas import export, selectors
from ideas.models import Idea
from tests.factories import IdeaFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("value", "safe"),
    [("=1+1", "'=1+1"), ("+49", "'+49"), ("-x", "'-x"), ("@a", "'@a"), ("Kurs", "Kurs"), (3, 3)],
)
def test_csv_safe_defuses_formulas(value, safe):
    assert export.csv_safe(value) == safe


def test_xlsx_safe_drops_control_characters():
    assert export.xlsx_safe("Kurs\x00\x1b am Morgen") == "Kurs am Morgen"
    assert export.xlsx_safe("=A1\x07") == "'=A1"


def test_csv_lines_come_one_by_one(django_assert_num_queries):
    IdeaFactory(title="Sprachkurs", status=Idea.Status.ACCEPTED)
    lines = export.export_csv_lines(selectors.idea_base())
    assert next(lines) == "\ufeff"  # nothing read yet
    with django_assert_num_queries(1):
        rest = list(lines)
    rows = list(csv.reader(io.StringIO("".join(rest)), delimiter=";"))
    assert rows[0][:2] == ["ID", "Titel"]
    assert rows[1][1] == "Sprachkurs" and rows[1][8] == "angenommen"
