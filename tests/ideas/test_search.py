"""Full-text search with German word forms and ranking, the same cases on both backends:
PostgreSQL's German text search, FTS5 with the Snowball stemmer on SQLite (the embedded
default). Each case runs on the backend of this run (``DATABASE_URL``); the other's is
skipped, so a run on each (``make test`` in CI uses PostgreSQL) covers both."""

import pytest
from django.conf import settings
from django.db import connection

from ideas import selectors
from ideas.models import Idea
from ideas.search import german_stems, word_forms
from tests.conftest import requires_postgres
from tests.factories import IdeaFactory

pytestmark = pytest.mark.django_db

BACKENDS = [
    pytest.param(
        "sqlite",
        marks=pytest.mark.skipif(settings.USES_POSTGRES, reason="this run uses PostgreSQL"),
    ),
    pytest.param("postgresql", marks=requires_postgres()),
]


@pytest.fixture(params=BACKENDS)
def backend(request):
    assert connection.vendor == request.param
    return request.param


def titles(text, sort=""):
    return [i.title for i in selectors.idea_list(search=text, sort=sort)]


def test_word_forms_cover_singular_and_plural():
    assert "sprachkurs" in word_forms("Sprachkurse")
    assert "sprachkurse" in word_forms("Sprachkurs")
    assert word_forms("und") == ["und"]


def test_stems_fold_umlauts_and_inflection():
    assert german_stems("Mütter, Mutter!") == "mutt mutt"
    assert german_stems("Elternabenden") == german_stems("Elternabend")
    assert german_stems(None) == ""


def test_search_on_any_backend(backend):
    IdeaFactory(title="Sprachkurse für Mütter", description="Am Vormittag.")
    IdeaFactory(title="Sportfest", description="Für alle Vereine.")
    assert titles("sprachkurse") == ["Sprachkurse für Mütter"]
    assert titles("Vereine") == ["Sportfest"]
    assert titles("") == ["Sportfest", "Sprachkurse für Mütter"]
    assert titles("!!!") == ["Sportfest", "Sprachkurse für Mütter"]  # no word: no filter


def test_sprachkurse_finds_sprachkurs_and_back(backend):
    IdeaFactory(title="Sprachkurs für Mütter", description="Am Vormittag in der Schule.")
    IdeaFactory(title="Elterncafé", description="Wir wünschen uns mehrere Sprachkurse.")
    IdeaFactory(title="Sportfest", description="Für alle Vereine.")
    assert set(titles("Sprachkurse")) == {"Sprachkurs für Mütter", "Elterncafé"}
    assert set(titles("Sprachkurs")) == {"Sprachkurs für Mütter", "Elterncafé"}
    assert set(titles("Sprachkursen")) == {"Sprachkurs für Mütter", "Elterncafé"}
    # umlauts and inflection: "Mütter" is found by "Mutter"
    assert titles("Mutter") == ["Sprachkurs für Mütter"]
    # every word must match
    assert titles("Sprachkurse Vereine") == []


def test_elternabenden_finds_elternabend(backend):
    IdeaFactory(title="Elternabend in der Grundschule", description="Mit Dolmetscherin.")
    IdeaFactory(title="Sportfest", description="Für alle Vereine.")
    assert titles("Elternabenden") == ["Elternabend in der Grundschule"]
    assert titles("elternabende grundschulen") == ["Elternabend in der Grundschule"]


def test_ranking_prefers_title_over_description(backend):
    IdeaFactory(title="Elterncafé", description="Mit Sprachkurs im Nebenraum.")
    IdeaFactory(title="Sprachkurse für Mütter", description="Am Vormittag.")
    assert titles("Sprachkurs") == ["Sprachkurse für Mütter", "Elterncafé"]
    # an explicit sort wins over relevance
    assert titles("Sprachkurs", sort="oldest") == ["Elterncafé", "Sprachkurse für Mütter"]


def test_search_is_kept_current_on_every_write(backend):
    idea = IdeaFactory(title="Sportfest", description="Für alle Vereine.")
    assert titles("Nachbarschaft") == []
    Idea.objects.filter(pk=idea.pk).update(title="Nachbarschaftsfest")
    assert titles("Nachbarschaftsfest") == ["Nachbarschaftsfest"]
    assert titles("Sportfest") == []
    idea.refresh_from_db()
    idea.description = "Mit Hausaufgabenhilfe"
    idea.save()
    assert titles("Hausaufgabenhilfe") == ["Nachbarschaftsfest"]
    Idea.objects.bulk_create([Idea(title="Dolmetscherpool", description="x", topic=idea.topic)])
    assert titles("Dolmetscherpool") == ["Dolmetscherpool"]
    Idea.objects.filter(title="Dolmetscherpool").delete()
    assert titles("Dolmetscherpool") == []


def test_search_in_the_list_page_and_its_pages(backend, client, staff_user):
    for n in range(60):
        IdeaFactory(title=f"Elternabend Nummer {n}", description="In der Schule.")
    IdeaFactory(title="Sportfest", description="Für alle Vereine.")
    client.force_login(staff_user)
    body = client.get("/ideen/", {"q": "Elternabenden", "page": 2}).content.decode()
    assert "60 Ideen gefunden" in body and body.count('<tr id="idee-') == 10


@requires_postgres()
def test_search_uses_the_gin_index():
    IdeaFactory.create_batch(3)
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute(
            "EXPLAIN SELECT id FROM ideas_idea WHERE search_vector @@ "
            "plainto_tsquery('german', 'Sprachkurs')"
        )
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "ideas_idea_search_vector_gin" in plan


@pytest.mark.skipif(settings.USES_POSTGRES, reason="SQLite's full-text table")
def test_sqlite_keeps_stems_in_its_fulltext_table():
    idea = IdeaFactory(title="Sprachkurse für Mütter", description="Am Vormittag.")
    with connection.cursor() as cursor:
        cursor.execute("SELECT title, description FROM ideas_idea_fts WHERE rowid = %s", [idea.pk])
        assert cursor.fetchone() == ("sprachkurs fur mutt", "am vormittag")
