"""Many realistic German ideas at once, for benchmarks (``manage.py seed_bench``)."""

import random
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db import transaction

from ideas.models import Comment, Idea, Support, TargetGroup, Topic
from ideas.services import idea_recount
from participants.models import Department, Municipality, Organisation, Profile, Role
from roundtable.operations import pagecache
from roundtable.timeline.selectors import phase_list

MEASURES = [
    "Sprachkurs",
    "Sprachkurse",
    "Hausaufgabenhilfe",
    "Elterncafé",
    "Patenschaftsprogramm",
    "Beratungsstelle",
    "Infoabend",
    "Mentoringprogramm",
    "Begegnungsfest",
    "Dolmetscherpool",
    "Ausbildungsbörse",
    "Nachbarschaftstreff",
    "Sportangebot",
    "Gesundheitslotsen",
    "Wegweiser in mehreren Sprachen",
    "Frauenschwimmkurs",
]
AUDIENCES = [
    "für Mütter mit kleinen Kindern",
    "für Spätaussiedlerinnen und Spätaussiedler",
    "für Jugendliche ohne Ausbildungsplatz",
    "für ältere Zugewanderte",
    "für neu zugezogene Familien",
    "für Schülerinnen und Schüler der Sekundarstufe I",
    "für Frauen aus der Türkei und Marokko",
    "für Seniorinnen und Senioren",
]
PLACES = [
    "im Jugendzentrum",
    "in der Volkshochschule",
    "im Gemeindehaus",
    "in der Grundschule",
    "im Rathaus",
    "im Familienzentrum",
    "in der Moschee-Gemeinde",
    "im Sportverein",
]
REASONS = [
    "Viele Familien kennen die Angebote der Ämter nicht.",
    "Die Wartelisten der bestehenden Kurse sind lang.",
    "Ohne Deutschkenntnisse finden Jugendliche schwer einen Ausbildungsplatz.",
    "Ehrenamtliche stehen bereit, brauchen aber einen festen Ort.",
    "Die Kinderbetreuung fehlt, deshalb können Mütter nicht teilnehmen.",
    "Das Ordnungsamt erlebt viele Missverständnisse am Schalter.",
    "Die Schulen berichten von Sprachproblemen schon bei der Einschulung.",
    "In den Ortsteilen gibt es kaum Orte der Begegnung.",
]
COMMENTS = [
    "Gute Idee, das würde bei uns in der Beratung sehr helfen.",
    "Wir könnten Räume dafür zur Verfügung stellen.",
    "Gibt es dafür schon eine Finanzierung?",
    "Unterstütze ich. Bitte auch an die Fahrtwege im ländlichen Raum denken.",
    "Ähnliches lief 2002 in Troisdorf sehr erfolgreich.",
    "Die Volkshochschule hat Erfahrung damit und würde mitmachen.",
]


@dataclass
class BenchResult:
    ideas: int
    supports: int
    comments: int


@transaction.atomic
def seed_bench(*, count: int, seed: int = 2004, users: int = 40) -> BenchResult:
    """Creates ``count`` ideas with supports and comments using bulk_create."""
    rng = random.Random(seed)
    topics = list(Topic.objects.all())
    if not topics:
        raise ValueError("no topics: run seed_demo first")
    target_groups = list(TargetGroup.objects.all())
    departments = list(Department.objects.all())
    organisations = list(Organisation.objects.all())
    municipalities = list(Municipality.objects.all())
    phase = next((p for p in phase_list() if p.allows_idea_submission), None)
    User = get_user_model()
    people = []
    for n in range(users):
        user, created = User.objects.get_or_create(
            username=f"bench{n:03d}",
            defaults={
                "first_name": rng.choice(["Anna", "Mehmet", "Olga", "Peter", "Fatma", "Jürgen"]),
                "last_name": rng.choice(["Schmitz", "Yılmaz", "Becker", "Wagner", "Klein"]),
                "email": f"bench{n:03d}@rhein-sieg-kreis.example",
            },
        )
        if created:
            user.set_unusable_password()
            user.save(update_fields=["password"])
            Profile.objects.get_or_create(
                user=user,
                defaults={
                    "role": Role.STAFF,
                    "department": rng.choice(departments) if departments else None,
                },
            )
        people.append(user)

    statuses = [s for s in Idea.Status.values if s != Idea.Status.IN_CONCEPT]
    ideas = []
    for _n in range(count):
        measure, audience, place = (
            rng.choice(MEASURES),
            rng.choice(AUDIENCES),
            rng.choice(PLACES),
        )
        town = rng.choice(municipalities).name if municipalities else "Siegburg"
        use_org = organisations and rng.random() < 0.3
        ideas.append(
            Idea(
                title=f"{measure} {audience} {place}",
                description=(
                    f"{rng.choice(REASONS)}\n\nVorschlag: ein {measure} {audience} {place} "
                    f"in {town}, zunächst für ein Jahr.\n\n{rng.choice(REASONS)}"
                ),
                topic=rng.choice(topics),
                department=None if use_org else (rng.choice(departments) if departments else None),
                organisation=rng.choice(organisations) if use_org else None,
                author=rng.choice(people),
                phase=phase,
                status=rng.choices(statuses, weights=[6, 2, 2, 1, 1])[0],
            )
        )
    ideas = Idea.objects.bulk_create(ideas, batch_size=1000)

    groups_through = Idea.target_groups.through
    places_through = Idea.municipalities.through
    group_links, place_links, supports, comments = [], [], [], []
    for idea in ideas:
        for group in rng.sample(target_groups, k=rng.randint(0, min(2, len(target_groups)))):
            group_links.append(groups_through(idea_id=idea.pk, targetgroup_id=group.pk))
        for place in rng.sample(municipalities, k=rng.choice([0, 0, 1, 1, 2, 3])):
            place_links.append(places_through(idea_id=idea.pk, municipality_id=place.pk))
        for user in rng.sample(people, k=min(len(people), int(rng.paretovariate(1.5)) - 1)):
            supports.append(Support(idea=idea, user=user))
        for _c in range(min(12, int(rng.paretovariate(1.8)) - 1)):
            comments.append(
                Comment(idea=idea, author=rng.choice(people), text=rng.choice(COMMENTS))
            )
    groups_through.objects.bulk_create(group_links, batch_size=2000)
    places_through.objects.bulk_create(place_links, batch_size=2000)
    Support.objects.bulk_create(supports, batch_size=2000, ignore_conflicts=True)
    Comment.objects.bulk_create(comments, batch_size=2000)
    # one UPDATE per 1000 ideas keeps the counters right
    ids = [idea.pk for idea in ideas]
    for start in range(0, len(ids), 1000):
        idea_recount(idea_ids=ids[start : start + 1000])
    # bulk_create sends no signals: what was cached of the lists (counts) is out of date
    transaction.on_commit(pagecache.forget_everything)
    return BenchResult(ideas=len(ideas), supports=len(supports), comments=len(comments))
