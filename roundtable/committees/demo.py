"""The seed's committee paper as demo data (idempotent)."""

import datetime

from django.db import transaction

from participants.models import Department
from workshops.models import Concept

from .models import AgendaItem, Paper
from .services import PRESENTABLE_CONCEPT_STATUSES, paper_set_concepts

RESOLUTION_PROPOSAL = (
    "Der Ausschuss für soziale Angelegenheiten und soziale Beschäftigungsförderung nimmt den "
    "Verwaltungsvorschlag zum weiteren Vorgehen zustimmend zur Kenntnis."
)
PRELIMINARY_REMARKS = """\
Am 03.03.2004 wurde der Tag der Integration des Rhein-Sieg-Kreises erstmalig durchgeführt. \
Diese Veranstaltung bildete den Auftakt zur geplanten Einrichtung eines Runden Tisches zur \
Integration von Ausländern und Aussiedlern.

Zur Vorbereitung der Einrichtung eines Runden Tisches ist es erforderlich, dass eine \
verwaltungsinterne Abstimmung mit allen möglichen betroffenen Bereichen erfolgt. Insbesondere \
werden beteiligt: Ordnungsamt, Schulamt, Jugendamt, Gesundheitsamt, \
Gleichstellungsbeauftragte und Polizeiverwaltung.

Des Weiteren ist beabsichtigt, mit den Beteiligten eine Ideenwerkstatt zu kommunizieren. Da \
sowohl die Organisation als auch die genauen Aufgaben des Runden Tisches nicht detailliert \
festgelegt sind, können alle Beteiligten ihre Vorschläge im Rahmen dieser Veranstaltung zum \
Thema Integration einbringen.

Die in der Ideenwerkstatt gesammelten Vorschläge werden in einem Workshop unter Beteiligung der \
in der Integrationsarbeit tätigen Personen und Organisationen behandelt. Daraus folgen konkrete \
Konzepte für die Ausgestaltung der Arbeit im Rahmen des Runden Tisches. Die erzielten \
Ergebnisse werden anschließend den politischen Gremien präsentiert und bei Zustimmung in enger \
Zusammenarbeit mit den Organisationen sowie den Städten und Gemeinden vor Ort umgesetzt."""
PARTICIPATING = [
    "Ordnungsamt",
    "Schulamt",
    "Jugendamt",
    "Gesundheitsamt",
    "Gleichstellungsbeauftragte",
    "Polizeiverwaltung",
]


@transaction.atomic
def seed_committees(*, shift_days: int = 0, by=None) -> Paper | None:
    """The paper of 09.09.2004 for TO-Pkt. 5, with whatever concepts the demo has."""
    agenda_item = (
        AgendaItem.objects.filter(
            number="5", title="Runder Tisch zur Integration von Ausländern und Aussiedlern"
        )
        .order_by("meeting__starts_at")
        .first()
    )
    issuing = Department.objects.filter(number="50.3").first()
    if agenda_item is None or issuing is None:
        return None
    paper, _created = Paper.objects.update_or_create(
        agenda_item=agenda_item,
        defaults={
            "department": issuing,
            "date": datetime.date(2004, 9, 9) + datetime.timedelta(days=shift_days),
            "resolution_proposal": RESOLUTION_PROPOSAL,
            "preliminary_remarks": PRELIMINARY_REMARKS,
            "created_by": by,
        },
    )
    paper.participating_departments.set(Department.objects.filter(name__in=PARTICIPATING))
    if not paper.concept_links.exists():
        presentable = Concept.objects.filter(status__in=PRESENTABLE_CONCEPT_STATUSES)
        paper_set_concepts(paper=paper, concepts=presentable.order_by("position", "id"), by=by)
    return paper
