import pytest
from django.core.management import call_command
from django.db.models import Count

from ideas.demo import seed_ideas_demo
from ideas.models import Idea
from roundtable.demo.seed import seed_demo

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(db):
    seed_demo(password="Demo-Passwort-2004", open_phase="ideenwerkstatt")


def test_seed_bench_creates_varied_ideas_with_correct_counters(world, capsys):
    before = Idea.objects.count()
    call_command("seed_bench", ideas=300, seed=7)
    assert "300 ideas" in capsys.readouterr().out
    bench = Idea.objects.filter(author__username__startswith="bench")
    assert bench.count() == 300 == Idea.objects.count() - before
    assert bench.values("topic").distinct().count() >= 6
    assert bench.values("department").distinct().count() >= 5
    assert bench.filter(organisation__isnull=False).exists()
    assert bench.filter(municipalities__isnull=False).distinct().count() > 100
    assert bench.values("status").distinct().count() >= 4
    assert bench.filter(support_count__gt=0).exists() and bench.filter(comment_count__gt=0).exists()
    mismatched = [
        i
        for i in bench.annotate(
            s=Count("supports", distinct=True), c=Count("comments", distinct=True)
        )
        if (i.s, i.c) != (i.support_count, i.comment_count)
    ]
    assert mismatched == []
    # German, realistic text
    assert any("für" in title for title in bench.values_list("title", flat=True))


def test_seed_bench_needs_the_demo_world(db):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError):
        call_command("seed_bench", ideas=5)


def test_demo_ideas_idempotent(world):
    count = Idea.objects.count()
    assert count >= 5
    assert seed_ideas_demo() == 0
    seed_demo(password="Demo-Passwort-2004", open_phase="ideenwerkstatt")
    assert Idea.objects.count() == count
    accepted = Idea.objects.get(title="Sprachkurse für Mütter mit Kinderbetreuung")
    assert accepted.status_changes.exists() and accepted.public_feedback
    assert accepted.support_count == accepted.supports.count()
