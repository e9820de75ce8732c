"""The district-wide board with many ideas: each column shows its first cards, the rest
behind "Mehr laden"; the queries do not depend on how many ideas there are."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from ideas.models import Idea
from tests.factories import IdeaFactory
from workshops import selectors, services

pytestmark = pytest.mark.django_db

PAGE = selectors.BOARD_PAGE
CARD = re.compile(r'<li class="board-card" id="card-(\d+)"')


def _get(client, **params):
    """The page and its queries, without the session's save (at most once a minute,
    participants.middleware: whether it falls into a request depends on the clock)."""
    with CaptureQueriesContext(connection) as captured:
        response = client.get(reverse("workshops:board_all"), params)
    assert response.status_code == 200
    queries = [
        q["sql"]
        for q in captured.captured_queries
        if not q["sql"].startswith(("SAVEPOINT", "RELEASE SAVEPOINT", 'UPDATE "django_session"'))
    ]
    return response.content.decode(), len(queries)


def test_columns_show_their_first_cards_and_load_more(client, moderator):
    ideas = IdeaFactory.create_batch(PAGE + 5, status=Idea.Status.ACCEPTED)
    concept = services.concept_create(title="Sprache", ideas=ideas[: PAGE + 3], by=moderator)
    client.force_login(moderator)
    body, queries = _get(client)
    column = body.split(f'data-concept="{concept.pk}"')[1].split("</section>")[0]
    assert len(CARD.findall(column)) == PAGE
    assert "Mehr laden (3 weitere Ideen)" in column
    assert f"{PAGE + 5} Ideen auf der Tafel" in body
    more = re.search(r'href="/workshops/board/\?([^"]+)"', column).group(1)
    assert more == f"shown={2 * PAGE}"
    body, more_queries = _get(client, shown=2 * PAGE)
    column = body.split(f'data-concept="{concept.pk}"')[1].split("</section>")[0]
    assert len(CARD.findall(column)) == PAGE + 3 and "Mehr laden" not in column
    assert more_queries == queries
    # the last card shown can still move down: in front of the second one after it
    body, _n = _get(client)
    last = ideas[PAGE - 1]
    assert f'value="{last.pk}:1:{concept.pk}:{ideas[PAGE + 1].pk}"' in body
    # moves keep what the board shows
    assert (
        f'action="/workshops/board/verschieben/?shown={2 * PAGE}"'
        in _get(client, shown=2 * PAGE)[0]
    )


def test_queries_do_not_depend_on_the_number_of_ideas(client, moderator):
    IdeaFactory.create_batch(3, status=Idea.Status.ACCEPTED)
    client.force_login(moderator)
    concept = services.concept_create(title="K", by=moderator)
    few = _get(client)[1]
    ideas = IdeaFactory.create_batch(2 * PAGE, status=Idea.Status.ACCEPTED)
    services.concept_add_ideas(concept=concept, ideas=ideas[:PAGE], by=moderator)
    body, many = _get(client)
    assert many == few
    assert len(CARD.findall(body)) == 2 * PAGE  # 25 in the concept, 25 of 28 ungrouped


def test_compact_cards_leave_the_description_out(client, moderator):
    IdeaFactory(title="Elterncafé", description="Treffpunkt am Vormittag mit Kinderbetreuung.")
    client.force_login(moderator)
    assert "Treffpunkt am Vormittag" not in _get(client)[0]
    assert "Treffpunkt am Vormittag" in _get(client, view="expanded")[0]
