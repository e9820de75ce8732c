"""Demo workshop and concepts (Workshop phase of the seed's timeline, 01–02/2005).

Idempotent: the workshop and concepts are found by their titles. Uses the demo
ideas of the Ideenwerkstatt (ideas/demo.py); without them it creates nothing.
"""

import datetime

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from ideas.models import Idea
from participants.models import Department, Municipality, Organisation
from roundtable.timeline.models import Phase

from . import services
from .models import Concept, ConceptSignoff, Workshop

WORKSHOP_TITLE = "Workshop „Runder Tisch Integration“"
CONCEPTS = [
    {
        "title": "Sprachförderung für Familien",
        "summary": "Deutschkurse für Mütter mit Kinderbetreuung und Hausaufgabenhilfe für "
        "ihre Kinder: Sprache lernen dort, wo Familien ohnehin sind.",
        "goals": "Mehr Mütter aus Zuwandererfamilien besuchen einen Deutschkurs.\n"
        "Kinder erhalten verlässliche Hilfe bei den Hausaufgaben.",
        "measures": [
            "Kurse am Vormittag in Kindergärten und Grundschulen mit der Volkshochschule planen",
            "Kinderbetreuung im Nebenraum mit den Familienzentren organisieren",
            "Hausaufgabenhilfe im Jugendzentrum Sankt Augustin mit Ehrenamtlichen aufbauen",
        ],
        "ideas": [
            "Sprachkurse für Mütter mit Kinderbetreuung",
            "Hausaufgabenhilfe im Jugendzentrum Sankt Augustin",
        ],
        "departments": ["Schulamt", "Jugendamt"],
        "organisations": ["Volkshochschule Rhein-Sieg"],
        "municipalities": ["Troisdorf", "Siegburg", "Sankt Augustin"],
        # department: (decision, remarks)
        "signoffs": {
            "Schulamt": (ConceptSignoff.Decision.AGREES, ""),
            "Jugendamt": (
                ConceptSignoff.Decision.AGREES_WITH_REMARKS,
                "Die Räume des Jugendzentrums stehen nur nachmittags zur Verfügung.",
            ),
        },
        "status": Concept.Status.COORDINATED,
    },
    {
        "title": "Orientierung und Gesundheit für Zugewanderte",
        "summary": "Ein mehrsprachiger Wegweiser durch die Kreisverwaltung und "
        "Gesundheitslotsinnen, die ältere Zugewanderte begleiten.",
        "goals": "Zugewanderte finden schneller das zuständige Amt und den Weg zu Ärztinnen "
        "und Ärzten.",
        "measures": [
            "Wegweiser in Deutsch, Russisch, Türkisch und Arabisch erstellen",
            "Gesundheitslotsinnen mit dem Gesundheitsamt schulen",
        ],
        "ideas": [
            "Mehrsprachiger Wegweiser durch die Kreisverwaltung",
            "Gesundheitslotsinnen für ältere Zugewanderte",
        ],
        "departments": ["Ordnungsamt", "Gesundheitsamt"],
        "organisations": ["Caritasverband Rhein-Sieg e. V."],
        "municipalities": [],
        "signoffs": {
            "Gesundheitsamt": (
                ConceptSignoff.Decision.AGREES_WITH_REMARKS,
                "Die Schulung der Lotsinnen übernimmt der sozialpsychiatrische Dienst.",
            ),
        },
        "status": Concept.Status.IN_COORDINATION,
    },
]


@transaction.atomic
def seed_workshops_demo() -> int:
    """Creates the demo workshop and its concepts; returns how many concepts were new."""
    User = get_user_model()
    moderator = User.objects.filter(username="moderation").first()
    phase = Phase.objects.filter(key="workshop").first()
    if moderator is None or phase is None:
        return 0
    ideas = {i.title: i for i in Idea.objects.exclude(status=Idea.Status.REJECTED)}
    if not ideas:
        return 0
    day = phase.start + datetime.timedelta(days=19)
    starts_at = timezone.make_aware(datetime.datetime.combine(day, datetime.time(10, 0)))
    workshop = Workshop.objects.filter(title=WORKSHOP_TITLE).first()
    if workshop is None:
        workshop = services.workshop_create(
            title=WORKSHOP_TITLE,
            starts_at=starts_at,
            ends_at=starts_at + datetime.timedelta(hours=6),
            place="Kreishaus Siegburg, Sitzungssaal",
            agenda="1. Begrüßung durch die Moderation\n"
            "2. Vorstellung der Vorschläge aus der Ideenwerkstatt\n"
            "3. Gruppierung der Vorschläge zu Konzepten\n"
            "4. Verantwortlichkeiten und nächste Schritte",
            moderators=[moderator],
            departments=Department.objects.exclude(number="50.3"),
            organisations=Organisation.objects.filter(is_active=True),
            ideas=list(ideas.values()),
            by=moderator,
        )
    created = 0
    for spec in CONCEPTS:
        if Concept.objects.filter(title=spec["title"]).exists():
            continue
        concept_ideas = [
            ideas[t] for t in spec["ideas"] if t in ideas and not hasattr(ideas[t], "concept_link")
        ]
        concept = services.concept_create(
            title=spec["title"],
            summary=spec["summary"],
            goals=spec["goals"],
            workshop=workshop,
            measures=spec["measures"],
            responsible_departments=Department.objects.filter(name__in=spec["departments"]),
            responsible_organisations=Organisation.objects.filter(name__in=spec["organisations"]),
            municipalities=Municipality.objects.filter(name__in=spec["municipalities"]),
            ideas=concept_ideas,
            by=moderator,
            check=False,
        )
        services.concept_set_status(
            concept=concept, status=Concept.Status.IN_COORDINATION, by=moderator, check=False
        )
        signed_at = starts_at + datetime.timedelta(days=14)
        for name, (decision, remarks) in spec["signoffs"].items():
            department = Department.objects.filter(name=name).first()
            if department is not None:
                ConceptSignoff.objects.update_or_create(
                    concept=concept,
                    department=department,
                    defaults={"decision": decision, "remarks": remarks, "signed_at": signed_at},
                )
        if spec["status"] == Concept.Status.COORDINATED:
            # all departments agreed: the step is automatic, as in signoff_record
            services.concept_set_status(
                concept=concept, status=spec["status"], by=None, check=False
            )
        created += 1
    return created
