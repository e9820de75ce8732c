"""Full-text search: PostgreSQL German text search with ranking; substring on SQLite."""

import pytest
from django.db import connection

from ideas import selectors
from ideas.models import Idea
from ideas.search import word_forms
from tests.conftest import requires_postgres
from tests.factories import IdeaFactory

pytestmark = pytest.mark.django_db


def titles(text, sort=""):
    return [i.title for i in selectors.idea_list(search=text, sort=sort)]


def test_word_forms_cover_singular_and_plural():
    assert "sprachkurs" in word_forms("Sprachkurse")
    assert "sprachkurse" in word_forms("Sprachkurs")
    assert word_forms("und") == ["und"]


def test_substring_search_on_any_backend():
    IdeaFactory(title="Sprachkurse für Mütter", description="Am Vormittag.")
    IdeaFactory(title="Sportfest", description="Für alle Vereine.")
    assert titles("sprachkurse") == ["Sprachkurse für Mütter"]
    assert titles("Vereine") == ["Sportfest"]
    assert titles("") == ["Sportfest", "Sprachkurse für Mütter"]


@requires_postgres()
def test_sprachkurse_finds_sprachkurs_and_back():
    IdeaFactory(title="Sprachkurs für Mütter", description="Am Vormittag in der Schule.")
    IdeaFactory(title="Elterncafé", description="Wir wünschen uns mehrere Sprachkurse.")
    IdeaFactory(title="Sportfest", description="Für alle Vereine.")
    assert set(titles("Sprachkurse")) == {"Sprachkurs für Mütter", "Elterncafé"}
    assert set(titles("Sprachkurs")) == {"Sprachkurs für Mütter", "Elterncafé"}
    # umlauts and inflection: "Mütter" is found by "Mutter"
    assert titles("Mutter") == ["Sprachkurs für Mütter"]
    # every word must match
    assert titles("Sprachkurse Vereine") == []


@requires_postgres()
def test_ranking_prefers_title_over_description():
    IdeaFactory(title="Elterncafé", description="Mit Sprachkurs im Nebenraum.")
    IdeaFactory(title="Sprachkurse für Mütter", description="Am Vormittag.")
    assert titles("Sprachkurs") == ["Sprachkurse für Mütter", "Elterncafé"]
    # an explicit sort wins over relevance
    assert titles("Sprachkurs", sort="oldest") == ["Elterncafé", "Sprachkurse für Mütter"]


@requires_postgres()
def test_vector_kept_current_by_trigger_and_indexed():
    idea = IdeaFactory(title="Sportfest", description="Für alle Vereine.")
    assert titles("Nachbarschaft") == []
    Idea.objects.filter(pk=idea.pk).update(title="Nachbarschaftsfest")
    assert titles("Nachbarschaftsfest") == ["Nachbarschaftsfest"]
    idea.refresh_from_db()
    idea.description = "Mit Hausaufgabenhilfe"
    idea.save()
    assert titles("Hausaufgabenhilfe") == ["Nachbarschaftsfest"]
    Idea.objects.bulk_create([Idea(title="Dolmetscherpool", description="x", topic=idea.topic)])
    assert titles("Dolmetscherpool") == ["Dolmetscherpool"]
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexdef FROM pg_indexes WHERE indexname = 'ideas_idea_search_vector_gin'"
        )
        assert "gin" in cursor.fetchone()[0].lower()


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
