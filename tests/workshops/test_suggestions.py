import time

import pytest

from tests.factories import DepartmentFactory, IdeaFactory, MunicipalityFactory, TopicFactory
from workshops import services
from workshops.models import Concept, GroupSuggestion, SuggestionRun
from workshops.suggestions import cluster_ideas, idea_text

from .factories import WorkshopFactory

# A fixed German sample: three ideas on language courses, three on health, two others.
SAMPLE = [
    (
        1,
        "Deutschkurse für Mütter am Vormittag",
        "Sprachkurse für Mütter, während die Kinder in der Schule sind, mit Kinderbetreuung.",
    ),
    (
        2,
        "Sprachkurs für Aussiedler",
        "Ein Deutschkurs für Spätaussiedler in Siegburg am Abend, Sprache lernen mit Kursen an der Volkshochschule.",
    ),
    (
        3,
        "Mehr Sprachkurse in Troisdorf",
        "Die Volkshochschule soll mehr Deutschkurse und Sprachkurse anbieten, auch Kurse für Anfänger.",
    ),
    (
        4,
        "Gesundheitsberatung in der Muttersprache",
        "Ärzte und Gesundheitsamt beraten zur Gesundheit, Vorsorge und Impfungen in der Muttersprache.",
    ),
    (
        5,
        "Impfaktion für Kinder",
        "Das Gesundheitsamt informiert Familien über Impfungen und Vorsorgeuntersuchungen beim Kinderarzt.",
    ),
    (
        6,
        "Dolmetscher beim Arzt",
        "Dolmetscherdienst für Arztbesuche und Gesundheitsfragen, damit Patienten den Arzt verstehen.",
    ),
    (7, "Hausaufgabenhilfe", "Ehrenamtliche helfen Schülern bei den Hausaufgaben nach der Schule."),
    (
        8,
        "Sportverein für Jugendliche",
        "Jugendliche aus Zuwandererfamilien im Sportverein, Fußball und Training.",
    ),
]
LANGUAGE = {1, 2, 3}
HEALTH = {4, 5, 6}


def _texts(sample):
    return [(pk, idea_text(title, text)) for pk, title, text in sample]


def test_language_courses_and_health_end_up_in_separate_groups():
    clusters = cluster_ideas(_texts(SAMPLE))
    groups = [set(c.idea_ids) for c in clusters]
    assert LANGUAGE in groups, groups
    assert HEALTH in groups, groups
    for cluster in clusters:
        assert cluster.terms, cluster
    language = next(c for c in clusters if set(c.idea_ids) == LANGUAGE)
    assert {"sprachkurse", "deutschkurse"} & set(language.terms), language.terms
    health = next(c for c in clusters if set(c.idea_ids) == HEALTH)
    assert any(t.startswith(("gesundheit", "arzt", "impf")) for t in health.terms), health.terms


def test_nothing_to_group():
    assert cluster_ideas([]) == []
    assert cluster_ideas([(1, "und oder aber")]) == []


@pytest.mark.django_db
def test_two_thousand_ideas_are_grouped(moderator):
    """The whole run (read, cluster, store) on 2,000 generated ideas of the seed's world;
    its time is measured by ``python -m bench suggest``, not here."""
    from roundtable.demo.bench import seed_bench

    TopicFactory()
    MunicipalityFactory.create_batch(4)
    DepartmentFactory(name="Jugendamt")
    seed_bench(count=2000, users=10)
    run = services.suggestion_run_request(workshop=None, by=moderator)
    services.suggestion_run_execute(run_id=run.pk)
    run.refresh_from_db()
    assert run.status == SuggestionRun.Status.DONE
    assert run.idea_count >= 1500  # rejected ones are left out
    assert run.suggestions.count() >= 3


@pytest.mark.django_db
def test_run_stores_suggestions_and_accept_makes_a_draft_concept(
    moderator, django_capture_on_commit_callbacks
):
    workshop = WorkshopFactory()
    topic = TopicFactory()
    ideas = {}
    for pk, title, text in SAMPLE:
        ideas[pk] = IdeaFactory(title=title, description=text, topic=topic)
        workshop.ideas.add(ideas[pk])
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        run = services.suggestion_run_request(workshop=workshop, by=moderator)
    assert len(callbacks) == 1 and run.status == SuggestionRun.Status.PENDING
    services.suggestion_run_execute(run_id=run.pk)
    run.refresh_from_db()
    assert run.status == SuggestionRun.Status.DONE and run.idea_count == len(SAMPLE)
    suggestions = list(run.suggestions.all())
    by_ideas = {frozenset(i.title for i in s.ideas.all()): s for s in suggestions}
    language_titles = frozenset(ideas[pk].title for pk in LANGUAGE)
    assert language_titles in by_ideas
    language = by_ideas[language_titles]

    concept = services.suggestion_accept(suggestion=language, by=moderator)
    assert concept.status == Concept.Status.DRAFT and concept.workshop == workshop
    assert {link.idea.title for link in concept.idea_links.all()} == language_titles
    language.refresh_from_db()
    assert language.status == GroupSuggestion.Status.ACCEPTED and language.concept == concept

    other = next(s for s in suggestions if s.pk != language.pk)
    services.suggestion_dismiss(suggestion=other, by=moderator)
    other.refresh_from_db()
    assert other.status == GroupSuggestion.Status.DISMISSED
    # grouped ideas are no longer candidates
    assert (
        not services.suggestion_candidates(workshop=workshop)
        .filter(title__in=language_titles)
        .exists()
    )


@pytest.mark.django_db
@pytest.mark.worker
def test_suggestions_are_computed_by_the_real_worker(worker, moderator):
    for _pk, title, text in SAMPLE:
        IdeaFactory(title=title, description=text)
    run = services.suggestion_run_request(workshop=None, by=moderator)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        run.refresh_from_db()
        if run.status in (SuggestionRun.Status.DONE, SuggestionRun.Status.FAILED):
            break
        time.sleep(0.3)
    assert run.status == SuggestionRun.Status.DONE, worker.log()[-3000:]
    assert run.suggestions.count() >= 2
