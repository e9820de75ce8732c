"""Demo ideas of the Ideenwerkstatt (Rhein-Sieg-Kreis, autumn 2004). Idempotent:
ideas are found by their title, so ``seed_demo`` can run on every start."""

from django.contrib.auth import get_user_model
from django.db import transaction

from participants.models import Department, Municipality, Organisation
from roundtable.notifications import services as notifications
from roundtable.timeline.models import Phase

from .models import Comment, Idea, IdeaStatusChange, Support, TargetGroup, Topic
from .services import idea_recount

# title, description, topic, target groups, department or organisation, municipalities,
# author, status, public feedback, supporters, comments
DEMO_IDEAS = [
    (
        "Sprachkurse für Mütter mit Kinderbetreuung",
        "Viele Mütter aus Zuwandererfamilien können an den Deutschkursen der "
        "Volkshochschule nicht teilnehmen, weil niemand ihre kleinen Kinder betreut.\n\n"
        "Vorschlag: Deutschkurse am Vormittag in Kindergärten und Grundschulen, mit "
        "einer Kinderbetreuung im Nebenraum.",
        "sprache",
        ["frauen", "auslanderinnen-und-auslander"],
        ("org", "Volkshochschule Rhein-Sieg"),
        ["Troisdorf", "Siegburg"],
        "mitarbeiter",
        Idea.Status.ACCEPTED,
        "Vielen Dank! Der Vorschlag wird im Workshop mit der Volkshochschule und den "
        "Familienzentren weiterentwickelt.",
        ["moderation", "admin"],
        [("moderation", "Die Familienzentren in Troisdorf haben bereits Interesse gezeigt.")],
    ),
    (
        "Mehrsprachiger Wegweiser durch die Kreisverwaltung",
        "Neu Zugezogene wissen oft nicht, welches Amt wofür zuständig ist. Ein kurzer "
        "Wegweiser in Deutsch, Russisch, Türkisch und Arabisch würde am Schalter viel Zeit "
        "sparen.",
        "wohnen-und-zusammenleben",
        ["aussiedlerinnen-und-aussiedler", "auslanderinnen-und-auslander"],
        ("dept", "Ordnungsamt"),
        [],
        "mitarbeiter",
        Idea.Status.SUBMITTED,
        "",
        ["moderation"],
        [],
    ),
    (
        "Hausaufgabenhilfe im Jugendzentrum Sankt Augustin",
        "Ehrenamtliche Studierende aus Bonn bieten zweimal in der Woche Hausaufgabenhilfe "
        "für Kinder aus Aussiedlerfamilien an. Es fehlt ein fester Raum.",
        "bildung-und-schule",
        ["kinder-und-jugendliche", "aussiedlerinnen-und-aussiedler"],
        ("dept", "Jugendamt"),
        ["Sankt Augustin"],
        "moderation",
        Idea.Status.IN_REVIEW,
        "",
        ["mitarbeiter"],
        [("mitarbeiter", "Das Jugendzentrum am Markt hätte nachmittags Platz.")],
    ),
    (
        "Ausbildungspaten für Jugendliche aus Zuwandererfamilien",
        "Erfahrene Handwerksmeisterinnen und -meister im Ruhestand begleiten Jugendliche "
        "bei der Suche nach einem Ausbildungsplatz und in der Probezeit.",
        "arbeit-und-ausbildung",
        ["kinder-und-jugendliche"],
        ("org", "Caritasverband Rhein-Sieg e. V."),
        [],
        "admin",
        Idea.Status.SUBMITTED,
        "",
        [],
        [],
    ),
    (
        "Gesundheitslotsinnen für ältere Zugewanderte",
        "Ältere Migrantinnen und Migranten nutzen Vorsorgeangebote selten. Geschulte "
        "Lotsinnen aus den Gemeinden erklären Angebote in der Muttersprache.",
        "gesundheit",
        ["altere"],
        ("dept", "Gesundheitsamt"),
        ["Hennef (Sieg)", "Eitorf", "Windeck"],
        "mitarbeiter",
        Idea.Status.DEFERRED,
        "Zurückgestellt, bis die Finanzierung der Schulung geklärt ist.",
        [],
        [],
    ),
]


@transaction.atomic
def seed_ideas_demo() -> int:
    User = get_user_model()
    users = {
        u.username: u
        for u in User.objects.filter(username__in=["mitarbeiter", "moderation", "admin"])
    }
    if "moderation" not in users:
        return 0
    phase = Phase.objects.filter(allows_idea_submission=True).order_by("start").first()
    topics = {t.slug: t for t in Topic.objects.all()}
    groups = {g.slug: g for g in TargetGroup.objects.all()}
    places = {m.name: m for m in Municipality.objects.all()}
    created_ids = []
    for (
        title,
        description,
        topic,
        group_slugs,
        (kind, body),
        municipality_names,
        author,
        status,
        feedback,
        supporters,
        comments,
    ) in DEMO_IDEAS:
        if title in set(Idea.objects.filter(title=title).values_list("title", flat=True)):
            continue
        if topic not in topics:
            continue
        idea = Idea.objects.create(
            title=title,
            description=description,
            topic=topics[topic],
            department=Department.objects.filter(name=body).first() if kind == "dept" else None,
            organisation=Organisation.objects.filter(name=body).first() if kind == "org" else None,
            author=users.get(author),
            phase=phase,
            status=status,
            public_feedback=feedback,
        )
        if idea.author is not None:
            notifications.follow(user=idea.author, target=idea)  # as idea_submit does
        idea.target_groups.set([groups[s] for s in group_slugs if s in groups])
        idea.municipalities.set([places[n] for n in municipality_names if n in places])
        if status != Idea.Status.SUBMITTED:
            IdeaStatusChange.objects.create(
                idea=idea,
                from_status=Idea.Status.SUBMITTED,
                to_status=status,
                public_feedback=feedback,
                changed_by=users["moderation"],
            )
        for name in supporters:
            if name in users:
                Support.objects.get_or_create(idea=idea, user=users[name])
        for name, text in comments:
            Comment.objects.create(idea=idea, author=users.get(name), text=text)
        created_ids.append(idea.pk)
    idea_recount(idea_ids=created_ids)
    return len(created_ids)
