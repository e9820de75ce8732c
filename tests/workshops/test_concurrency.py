"""Two moderators move the same idea at the same moment, over two real PostgreSQL
connections (one per thread): the second move is refused, nothing is lost."""

import threading

import pytest
from django.db import connection, transaction

from ideas.models import Idea, IdeaStatusChange
from participants.models import Role
from tests.conftest import requires_postgres
from tests.factories import IdeaFactory, UserFactory
from workshops import services
from workshops.models import ConceptIdea, IdeaBoardState

pytestmark = [requires_postgres(), pytest.mark.postgres]


def _in_thread(target):
    result = {}

    def run():
        try:
            result["value"] = target()
        except Exception as error:  # reported to the test, not swallowed
            result["error"] = error
        finally:
            connection.close()

    thread = threading.Thread(target=run)
    thread.start()
    return thread, result


@pytest.mark.django_db(transaction=True)
def test_concurrent_moves_of_the_same_idea_do_not_lose_an_update():
    first_mod = UserFactory(
        username="moderation-a", first_name="Jonas", last_name="Weber", role=Role.MODERATOR
    )
    second_mod = UserFactory(username="moderation-b", role=Role.MODERATOR)
    idea = IdeaFactory(title="Deutschkurs am Vormittag", status=Idea.Status.ACCEPTED)
    language = services.concept_create(title="Sprachkurse", by=first_mod)
    health = services.concept_create(title="Gesundheit", by=first_mod)
    assert not IdeaBoardState.objects.filter(idea=idea).exists()  # both create the row

    first_moved = threading.Event()
    release_first = threading.Event()
    second_started = threading.Event()

    def first():
        # A holds its transaction open after moving, so B runs into A's locks.
        with transaction.atomic():
            services.idea_move(
                idea=Idea.objects.get(pk=idea.pk), concept=language, version=0, by=first_mod
            )
            first_moved.set()
            assert release_first.wait(10)
        return "moved"

    def second():
        assert first_moved.wait(10)
        second_started.set()
        return services.idea_move(
            idea=Idea.objects.get(pk=idea.pk), concept=health, version=0, by=second_mod
        )

    thread_a, result_a = _in_thread(first)
    thread_b, result_b = _in_thread(second)
    assert second_started.wait(10)
    # B must be waiting for A's row lock now, not done
    thread_b.join(1.0)
    assert thread_b.is_alive(), "the second move did not wait for the first one's lock"
    release_first.set()
    thread_a.join(10)
    thread_b.join(10)

    assert result_a == {"value": "moved"}
    assert isinstance(result_b.get("error"), services.StaleMove), result_b
    assert "Jonas Weber" in result_b["error"].message
    assert ConceptIdea.objects.get(idea=idea).concept == language
    assert IdeaBoardState.objects.get(idea=idea).version == 1
    assert IdeaStatusChange.objects.filter(idea=idea).count() == 1


@pytest.mark.django_db(transaction=True)
def test_many_concurrent_moves_each_version_is_won_exactly_once():
    moderator = UserFactory(role=Role.MODERATOR)
    idea = IdeaFactory()
    concepts = [services.concept_create(title=f"K{i}", by=moderator) for i in range(4)]
    barrier = threading.Barrier(4)

    def mover(concept):
        def run():
            barrier.wait(10)
            return services.idea_move(
                idea=Idea.objects.get(pk=idea.pk), concept=concept, version=0, by=moderator
            )

        return run

    started = [_in_thread(mover(c)) for c in concepts]
    for thread, _ in started:
        thread.join(20)
    results = [r for _, r in started]
    winners = [r for r in results if "value" in r]
    losers = [r for r in results if isinstance(r.get("error"), services.StaleMove)]
    assert (len(winners), len(losers)) == (1, 3), results
    assert IdeaBoardState.objects.get(idea=idea).version == 1
    assert ConceptIdea.objects.filter(idea=idea).count() == 1


@pytest.mark.django_db(transaction=True)
def test_concurrent_drops_in_front_of_the_same_idea_keep_both_places():
    """The place "in front of b" is found under the concept's lock: the second drop sees
    the first one's idea and lands between it and b, not in front of it."""
    moderator = UserFactory(role=Role.MODERATOR)
    a, b, c, d = IdeaFactory.create_batch(4, status=Idea.Status.ACCEPTED)
    concept = services.concept_create(title="Sprachkurse", ideas=[a, b], by=moderator)

    first_moved = threading.Event()
    release_first = threading.Event()
    second_started = threading.Event()

    def first():
        with transaction.atomic():
            services.idea_move(
                idea=Idea.objects.get(pk=c.pk),
                concept=concept,
                before=b.pk,
                version=0,
                by=moderator,
            )
            first_moved.set()
            assert release_first.wait(10)
        return "moved"

    def second():
        assert first_moved.wait(10)
        second_started.set()
        return services.idea_move(
            idea=Idea.objects.get(pk=d.pk), concept=concept, before=b.pk, version=0, by=moderator
        )

    thread_a, result_a = _in_thread(first)
    thread_b, result_b = _in_thread(second)
    assert second_started.wait(10)
    thread_b.join(1.0)
    assert thread_b.is_alive(), "the second drop did not wait for the concept's lock"
    release_first.set()
    thread_a.join(10)
    thread_b.join(10)

    assert result_a == {"value": "moved"}
    assert "value" in result_b, result_b
    order = list(concept.idea_links.order_by("position").values_list("idea_id", flat=True))
    assert order == [a.pk, c.pk, d.pk, b.pk]
