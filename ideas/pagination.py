"""Pagination of the idea lists that stays cheap on deep pages and with many pages.

Measured with ``python -m bench list-page`` (docs/benchmarks.md): with 100,000 ideas the
last page took ~700 ms in PostgreSQL, because ``OFFSET`` makes it join and annotate
every skipped row; and a template loop over ``paginator.page_range`` cost ~55 ms of CPU
for 2,000 pages.
"""

from django.core.paginator import Paginator


class IdeaPaginator(Paginator):
    """Selects the page's primary keys first (a narrow subquery that only reads the
    ideas table), then joins and annotates just those rows, in the same one query."""

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
