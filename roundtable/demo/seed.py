"""The seed's world as demo data (see the 2004 Beschlussvorlage of the Rhein-Sieg-Kreis).

Every function is idempotent: it finds rows by their natural key and updates
them, so ``seed_demo`` can run on every start.
"""

import datetime
import secrets
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from ideas.demo import seed_ideas_demo
from ideas.models import TargetGroup, Topic
from participants.models import (
    Body,
    Department,
    DepartmentParticipation,
    Municipality,
    Organisation,
    Profile,
    Role,
)
from roundtable.committees.demo import seed_committees
from roundtable.committees.models import (
    AgendaItem,
    Committee,
    CommitteeMembership,
    Decision,
    Meeting,
)
from roundtable.implementation.demo import seed_implementation_demo
from roundtable.timeline.models import Phase
from workshops.demo import seed_workshops_demo

BODY = "Rhein-Sieg-Kreis"
ISSUING_DEPARTMENT = ("50.3", "Besondere soziale Aufgaben")
DEPARTMENTS = [
    ("32", "Ordnungsamt"),
    ("40", "Schulamt"),
    ("51", "Jugendamt"),
    ("53", "Gesundheitsamt"),
    ("01.4", "Gleichstellungsbeauftragte"),
    ("", "Polizeiverwaltung"),
]
ORGANISATIONS = [
    ("Caritasverband Rhein-Sieg e. V.", Organisation.Kind.WELFARE),
    ("Diakonisches Werk An Sieg und Rhein", Organisation.Kind.WELFARE),
    ("Arbeiterwohlfahrt Kreisverband Rhein-Sieg", Organisation.Kind.WELFARE),
    ("Deutsches Rotes Kreuz Kreisverband Rhein-Sieg", Organisation.Kind.WELFARE),
    ("Integrationsrat Troisdorf", Organisation.Kind.MIGRANT),
    ("Landsmannschaft der Deutschen aus Russland, Ortsgruppe Siegburg", Organisation.Kind.MIGRANT),
    ("Türkisch-Islamische Gemeinde Siegburg", Organisation.Kind.CHURCH),
    ("Volkshochschule Rhein-Sieg", Organisation.Kind.SCHOOL),
    ("Kreispolizeibehörde Siegburg", Organisation.Kind.POLICE),
]
CITIES = {
    "Bad Honnef",
    "Bornheim",
    "Hennef (Sieg)",
    "Königswinter",
    "Lohmar",
    "Meckenheim",
    "Niederkassel",
    "Rheinbach",
    "Sankt Augustin",
    "Siegburg",
    "Troisdorf",
}
MUNICIPALITIES = [
    "Alfter",
    "Bad Honnef",
    "Bornheim",
    "Eitorf",
    "Hennef (Sieg)",
    "Königswinter",
    "Lohmar",
    "Meckenheim",
    "Much",
    "Neunkirchen-Seelscheid",
    "Niederkassel",
    "Rheinbach",
    "Ruppichteroth",
    "Sankt Augustin",
    "Siegburg",
    "Swisttal",
    "Troisdorf",
    "Wachtberg",
    "Windeck",
]
# The seed's Zeitraster: (key, name, start, end, capabilities, description)
PHASES = [
    (
        "ideenwerkstatt",
        "Ideenwerkstatt",
        datetime.date(2004, 10, 1),
        datetime.date(2004, 11, 30),
        {"allows_idea_submission": True},
        "Alle Beteiligten bringen ihre Vorschläge zum Thema Integration ein.",
    ),
    (
        "workshop",
        "Workshop",
        datetime.date(2005, 1, 1),
        datetime.date(2005, 2, 28),
        {"allows_workshop_work": True},
        "Die gesammelten Vorschläge werden mit den in der Integrationsarbeit tätigen "
        "Personen und Organisationen behandelt; daraus folgen konkrete Konzepte.",
    ),
    (
        "konzept-und-gremien",
        "Erarbeitung eines Konzeptvorschlages und Vorstellung in den politischen Gremien",
        datetime.date(2005, 3, 1),
        datetime.date(2005, 4, 30),
        {"allows_workshop_work": True, "allows_committee_work": True},
        "Ein Konzeptvorschlag wird erarbeitet und den politischen Gremien vorgestellt.",
    ),
    (
        "einrichtung",
        "Einrichtung des Runden Tisches",
        datetime.date(2005, 6, 1),
        datetime.date(2005, 6, 30),
        {"allows_committee_work": True, "allows_implementation": True},
        "Bei Zustimmung wird der Runde Tisch eingerichtet; die Konzepte werden mit den "
        "Organisationen sowie den Städten und Gemeinden umgesetzt.",
    ),
]
COMMITTEE = "Ausschuss für soziale Angelegenheiten und soziale Beschäftigungsförderung"
# the name as German declines it: "Zur Sitzung des Ausschusses …", "dem Ausschuss … vorgelegt"
COMMITTEE_GENITIVE = (
    "des Ausschusses für soziale Angelegenheiten und soziale Beschäftigungsförderung"
)
COMMITTEE_DATIVE = "dem Ausschuss für soziale Angelegenheiten und soziale Beschäftigungsförderung"
MEETING_AT = datetime.datetime(2004, 9, 21, 17, 0)
TOPICS = [
    "Sprache",
    "Bildung und Schule",
    "Arbeit und Ausbildung",
    "Gesundheit",
    "Wohnen und Zusammenleben",
    "Jugend und Familie",
    "Sicherheit und Ordnung",
    "Gleichstellung",
]
TARGET_GROUPS = [
    "Ausländerinnen und Ausländer",
    "Aussiedlerinnen und Aussiedler",
    "Kinder und Jugendliche",
    "Frauen",
    "Ältere",
]
# username: (first name, last name, role, department name or None)
USERS = {
    "mitarbeiter": ("Mara", "Schneider", Role.STAFF, "Ordnungsamt"),
    "moderation": ("Jonas", "Weber", Role.MODERATOR, ISSUING_DEPARTMENT[1]),
    "ausschuss": ("Helga", "Krämer", Role.COMMITTEE, None),
    "admin": ("Andreas", "Becker", Role.ADMIN, ISSUING_DEPARTMENT[1]),
    # invited from outside the administration: submits, supports, comments, sees nothing internal
    "extern": ("Ayşe", "Demir", Role.EXTERNAL, None),
}
USER_ORGANISATIONS = {"extern": "Caritasverband Rhein-Sieg e. V."}


@dataclass
class SeedResult:
    password: str | None
    password_generated: bool
    shift_days: int


def shift_for(open_phase: str | None, *, today: datetime.date | None = None) -> int:
    """Days to move the seed's timeline so that ``open_phase`` is open today."""
    if not open_phase:
        return 0
    today = today or timezone.localdate()
    for key, _name, start, end, _caps, _desc in PHASES:
        if key == open_phase:
            # today falls a week into the phase (or its middle, if shorter)
            offset = min(7, (end - start).days // 2)
            return (today - start).days - offset
    raise ValueError(f"unknown phase {open_phase!r}; known: {', '.join(p[0] for p in PHASES)}")


@transaction.atomic
def seed_demo(*, password: str = "", open_phase: str | None = None) -> SeedResult:
    shift = datetime.timedelta(days=shift_for(open_phase))
    body, _ = Body.objects.update_or_create(
        name=BODY, defaults={"short_name": "RSK", "head_title": "DER LANDRAT"}
    )
    issuing, _ = Department.objects.update_or_create(
        name=ISSUING_DEPARTMENT[1], defaults={"number": ISSUING_DEPARTMENT[0]}
    )
    departments = {issuing.name: issuing}
    for number, name in DEPARTMENTS:
        dept, _ = Department.objects.update_or_create(name=name, defaults={"number": number})
        departments[name] = dept
        DepartmentParticipation.objects.get_or_create(department=dept)
    for name, kind in ORGANISATIONS:
        # a contact address for the directory (.example: reserved, never delivered)
        email = f"integration@{slugify(name)}.example"
        Organisation.objects.update_or_create(name=name, defaults={"kind": kind, "email": email})
    for name in MUNICIPALITIES:
        kind = Municipality.Kind.CITY if name in CITIES else Municipality.Kind.MUNICIPALITY
        Municipality.objects.update_or_create(
            name=name, defaults={"slug": slugify(name), "kind": kind}
        )
    for key, name, start, end, caps, description in PHASES:
        values = {
            "name": name,
            "start": start + shift,
            "end": end + shift,
            "description": description,
            "allows_idea_submission": False,
            "allows_workshop_work": False,
            "allows_committee_work": False,
            "allows_implementation": False,
        }
        values.update(caps)
        Phase.objects.update_or_create(key=key, defaults=values)
    committee, _ = Committee.objects.update_or_create(
        name=COMMITTEE,
        defaults={
            "body": body,
            "short_name": "Sozialausschuss",
            "name_genitive": COMMITTEE_GENITIVE,
            "name_dative": COMMITTEE_DATIVE,
        },
    )
    Committee.objects.update_or_create(
        name="Kreistag",
        defaults={
            "body": body,
            "kind": Committee.Kind.COUNCIL,
            "name_genitive": "des Kreistages",
            "name_dative": "dem Kreistag",
        },
    )
    meeting_at = timezone.make_aware(MEETING_AT + shift)
    meeting = Meeting.objects.filter(committee=committee).order_by("starts_at").first()
    if meeting is None:
        meeting = Meeting(committee=committee)
    meeting.starts_at = meeting_at
    meeting.place = "Kreishaus Siegburg, Sitzungssaal"
    meeting.save()
    # the timeline moved: a decision keeps the date of its meeting
    Decision.objects.filter(agenda_item__meeting=meeting).update(
        decided_on=timezone.localdate(meeting_at)
    )
    AgendaItem.objects.update_or_create(
        meeting=meeting,
        number="5",
        defaults={
            "title": "Runder Tisch zur Integration von Ausländern und Aussiedlern",
            "subtitle": "Weiteres Vorgehen",
            "is_public": True,
        },
    )
    for position, name in enumerate(TOPICS):
        Topic.objects.update_or_create(
            slug=slugify(name), defaults={"name": name, "position": position}
        )
    for position, name in enumerate(TARGET_GROUPS):
        TargetGroup.objects.update_or_create(
            slug=slugify(name), defaults={"name": name, "position": position}
        )

    generated = not password
    password = password or secrets.token_urlsafe(12)
    created_any = False
    User = get_user_model()
    for username, (first, last, role, department) in USERS.items():
        user, created = User.objects.get_or_create(
            username=username,
            defaults={
                "first_name": first,
                "last_name": last,
                "email": f"{username}@rhein-sieg-kreis.example",
            },
        )
        if created or not generated:
            # a generated password is set only on new accounts: rerunning keeps logins
            user.set_password(password)
            created_any = True
        user.is_staff = user.is_superuser = role == Role.ADMIN
        user.save()
        Profile.objects.update_or_create(
            user=user,
            defaults={
                "role": role,
                "department": departments.get(department) if department else None,
                "organisation": Organisation.objects.filter(
                    name=USER_ORGANISATIONS.get(username, "")
                ).first(),
            },
        )
    CommitteeMembership.objects.get_or_create(
        committee=committee,
        user=User.objects.get(username="ausschuss"),
        defaults={"role": CommitteeMembership.Role.MEMBER},
    )
    contact = User.objects.get(username="mitarbeiter")
    ordnungsamt = DepartmentParticipation.objects.get(department=departments["Ordnungsamt"])
    if ordnungsamt.set_at is None:
        ordnungsamt.status = DepartmentParticipation.Status.CONFIRMED
        ordnungsamt.set_by = User.objects.get(username="moderation")
        ordnungsamt.set_at = timezone.now()
        ordnungsamt.save()
        ordnungsamt.contacts.add(contact)
    seed_ideas_demo()
    seed_workshops_demo()
    seed_committees(shift_days=shift.days, by=User.objects.get(username="moderation"))
    seed_implementation_demo()  # guarded: only if the demo concept exists
    return SeedResult(
        password=password if created_any else None,
        password_generated=generated,
        shift_days=shift.days,
    )
