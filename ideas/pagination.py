"""Pagination of the idea lists that stays cheap on deep pages and with many pages.

Measured with ``python -m bench list-page`` (docs/benchmarks.md): with 100,000 ideas the
last page took ~700 ms in PostgreSQL, because ``OFFSET`` makes it join and annotate
every skipped row; and a template loop over ``paginator.page_range`` cost ~55 ms of CPU
for 2,000 pages.
"""

import hashlib

from django.core.paginator import Paginator
from django.utils.functional import cached_property

from roundtable.operations import pagecache

#: The generation of the lists' counts (ideas.apps): replaced by writes to ideas and their
#: target groups and municipalities, not by supports or comments (they change no count).
IDEA_COUNT = "ideas:count"
COUNT_TIMEOUT_SECONDS = 60 * 60


class IdeaPaginator(Paginator):
    """Selects the page's primary keys first (a narrow subquery that only reads the
    ideas table), then joins and annotates just those rows, in the same one query.

    With ``count_key`` (the filters, without page and sort), the number of ideas comes
    from the cache while no idea was added, changed or deleted: counting 10,000 ideas cost
    a query of ~1.5 ms on every page (docs/benchmarks.md)."""

    def __init__(self, *args, count_key: str | None = None, request=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.count_key = count_key
        self.request = request  # its user brought the generations (pagecache)

    @cached_property
    def count(self):
        if self.count_key is None:
            return super().count
        key = f"ideas:count:{hashlib.sha256(self.count_key.encode()).hexdigest()[:32]}"
        return pagecache.versioned(
            key,
            group=IDEA_COUNT,
            compute=lambda: super(IdeaPaginator, self).count,
            timeout=COUNT_TIMEOUT_SECONDS,
            request=self.request,
        )

    def page(self, number):
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = bottom + self.per_page
        if top + self.orphans >= self.count:
            top = self.count
        queryset = self.object_list
        page_keys = queryset.values("pk")[bottom:top]
        return self._get_page(queryset.filter(pk__in=page_keys), number, self)

    def elided_range(self, number: int) -> list:
        """The page links to show: the first, the last and two on each side of ``number``
        (``self.ELLIPSIS`` in the gaps), without walking all pages."""
        return list(self.get_elided_page_range(number, on_each_side=2, on_ends=1))
