import datetime

import pytest

from roundtable.committees.models import Paper
from roundtable.demo.seed import seed_demo

pytestmark = pytest.mark.django_db


def test_seed_demo_makes_the_seed_paper_once():
    seed_demo(password="Zeitraster-2004-Demo")
    seed_demo(password="Zeitraster-2004-Demo")
    paper = Paper.objects.select_related("agenda_item", "department").get()
    assert paper.agenda_item.number == "5"
    assert paper.agenda_item.title == "Runder Tisch zur Integration von Ausländern und Aussiedlern"
    assert paper.agenda_item.subtitle == "Weiteres Vorgehen"
    assert str(paper.department) == "50.3 Besondere soziale Aufgaben"
    assert paper.date == datetime.date(2004, 9, 9)
    assert paper.resolution_proposal.endswith("zum weiteren Vorgehen zustimmend zur Kenntnis.")
    assert paper.preliminary_remarks.startswith("Am 03.03.2004 wurde der Tag der Integration")
    assert set(paper.participating_departments.values_list("name", flat=True)) == {
        "Ordnungsamt",
        "Schulamt",
        "Jugendamt",
        "Gesundheitsamt",
        "Gleichstellungsbeauftragte",
        "Polizeiverwaltung",
    }
