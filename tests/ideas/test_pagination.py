"""The idea lists' paginator: the page's keys from a subquery, rows joined after."""

import pytest
from django.core.paginator import Paginator

from ideas import selectors
from ideas.models import Idea
from ideas.pagination import IdeaPaginator

pytestmark = pytest.mark.django_db


def _ids(page) -> list[int]:
    return [idea.pk for idea in page.object_list]


@pytest.mark.parametrize("sort", ["newest", "oldest", "supported", "discussed"])
def test_pages_hold_the_same_ideas_in_the_same_order_as_plain_offset(make_ideas, staff_user, sort):
    ideas = make_ideas(23)
    for n, idea in enumerate(ideas):  # ties in the counts, so the -id tie-breaker matters
        Idea.objects.filter(pk=idea.pk).update(support_count=n % 3, comment_count=n % 4)
    queryset = selectors.idea_list(user=staff_user, sort=sort)
    plain, ours = Paginator(queryset, 5), IdeaPaginator(queryset, 5)
    assert ours.num_pages == plain.num_pages == 5
    seen = []
    for number in ours.page_range:
        assert _ids(ours.page(number)) == _ids(plain.page(number))
        seen += _ids(ours.page(number))
    assert sorted(seen) == sorted(idea.pk for idea in ideas)
    assert len(ours.page(5).object_list) == 3


def test_page_rows_keep_annotations_and_prefetches(
    make_ideas, staff_user, django_assert_num_queries
):
    make_ideas(12)
    page = IdeaPaginator(selectors.idea_list(user=staff_user), 5).page(2)
    # the page (with its key subquery) and two prefetches: no query per row
    with django_assert_num_queries(3):
        rows = [
            (idea.topic.name, idea.supported_by_me, [g.name for g in idea.target_groups.all()])
            for idea in page.object_list
        ]
    assert len(rows) == 5


def test_elided_range_shows_ends_and_neighbours_only():
    paginator = IdeaPaginator(list(range(2000 * 50)), 50)
    ellipsis = paginator.ELLIPSIS
    assert paginator.elided_range(1) == [1, 2, 3, ellipsis, 2000]
    assert paginator.elided_range(1000) == [1, ellipsis, 998, 999, 1000, 1001, 1002, ellipsis, 2000]
    assert paginator.elided_range(2000) == [1, ellipsis, 1998, 1999, 2000]
    assert IdeaPaginator(list(range(3 * 50)), 50).elided_range(2) == [1, 2, 3]
