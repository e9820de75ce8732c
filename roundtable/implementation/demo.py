"""Demo measures for the demo concept "Sprachförderung für Familien" (idempotent).

If the concept is on the demo paper but not decided yet, the committee's decision
is recorded first (through the committees app's service), as the seed's paper
proposes: the committee takes note approvingly.
"""

import datetime

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from participants.models import Department, Municipality, Organisation
from roundtable.committees.models import Decision, Paper
from roundtable.committees.services import decision_record, paper_set_concepts, paper_submit
from workshops.models import Concept

from . import services
from .models import Measure

CONCEPT_TITLE = "Sprachförderung für Familien"
MEASURES = [
    {
        "title": "Deutschkurse für Mütter in Troisdorfer Grundschulen",
        "description": "Vormittagskurse der Volkshochschule in zwei Grundschulen, mit "
        "Kinderbetreuung im Nebenraum.",
        "organisation": "Volkshochschule Rhein-Sieg",
        "municipalities": ["Troisdorf", "Siegburg"],
        "status": Measure.Status.STARTED,
        "progress": 40,
        "note": "Der erste Kurs in Troisdorf-Sieglar läuft mit 14 Teilnehmerinnen.",
        "milestones": [("Kursräume vereinbart", 14, True), ("Zweiter Kurs beginnt", 90, False)],
    },
    {
        "title": "Hausaufgabenhilfe im Jugendzentrum Sankt Augustin",
        "description": "Ehrenamtliche helfen nachmittags bei den Hausaufgaben.",
        "department": "Jugendamt",
        "municipalities": ["Sankt Augustin"],
        "status": Measure.Status.PLANNED,
        "progress": 0,
        "note": "",
        "milestones": [("Ehrenamtliche gewonnen", 60, False)],
    },
]


def _decide(concept: Concept, by) -> Concept:
    """Brings the demo concept to "beschlossen" the way the portal does: on the paper,
    the paper submitted, the committee's decision recorded."""
    paper = (
        Paper.objects.filter(agenda_item__number="5")
        .order_by("agenda_item__meeting__starts_at")
        .first()
    )
    if paper is None:
        return concept
    if not paper.versions.exists():
        if concept.status == Concept.Status.COORDINATED:
            linked = list(
                Concept.objects.filter(paper_links__paper=paper).order_by("paper_links__position")
            )
            if concept not in linked:
                paper_set_concepts(paper=paper, concepts=[*linked, concept], by=by)
        paper_submit(paper=paper, by=by, check=False)
        concept.refresh_from_db()
    if (
        concept.status == Concept.Status.SUBMITTED
        and not Decision.objects.filter(agenda_item=paper.agenda_item).exists()
    ):
        decision_record(
            agenda_item=paper.agenda_item,
            text="Der Ausschuss nimmt den Verwaltungsvorschlag zum weiteren Vorgehen "
            "zustimmend zur Kenntnis.",
            result=Decision.Result.NOTED_APPROVINGLY,
            by=by,
            check=False,
        )
        concept.refresh_from_db()
    return concept


@transaction.atomic
def seed_implementation_demo() -> int:
    """Creates the demo measures; returns how many were new."""
    moderator = get_user_model().objects.filter(username="moderation").first()
    concept = Concept.objects.filter(title=CONCEPT_TITLE).first()
    if moderator is None or concept is None:
        return 0
    concept = _decide(concept, moderator)
    if concept.status not in services.DECIDED_CONCEPT_STATUSES:
        return 0
    created = 0
    today = timezone.localdate()
    for spec in MEASURES:
        if Measure.objects.filter(concept=concept, title=spec["title"]).exists():
            continue
        measure = services.measure_create(
            concept=concept,
            title=spec["title"],
            description=spec["description"],
            responsible_department=Department.objects.filter(name=spec.get("department")).first()
            if spec.get("department")
            else None,
            responsible_organisation=Organisation.objects.filter(
                name=spec.get("organisation")
            ).first()
            if spec.get("organisation")
            else None,
            municipalities=Municipality.objects.filter(name__in=spec["municipalities"]),
            starts_on=today - datetime.timedelta(days=21),
            ends_on=today + datetime.timedelta(days=180),
            by=moderator,
            check=False,
        )
        for title, days, done in spec["milestones"]:
            milestone = services.milestone_add(
                measure=measure,
                title=title,
                due_on=today + datetime.timedelta(days=days - 21),
                by=moderator,
                check=False,
            )
            if done:
                services.milestone_set_done(milestone=milestone, by=moderator, check=False)
        if spec["status"] != Measure.Status.PLANNED:
            services.measure_set_status(
                measure=measure,
                status=spec["status"],
                progress=spec["progress"],
                note=spec["note"],
                by=moderator,
                check=False,
            )
        created += 1
    return created
