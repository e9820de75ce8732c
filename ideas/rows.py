"""The rows of the idea lists (list and moderation queue), rendered by one function.

The rows are the hot part of the list: 50 of them on every page, and while the
Ideenwerkstatt runs, nearly every page is rendered anew (supports and comments change
them all the time). Through the template engine they cost 7-10 ms of CPU per page
(``{% for %}`` over a row template of ~20 nodes), as much as the rest of the page.
Formatted here from ``selectors.idea_rows`` (plain values, one query) they cost about
1 ms: no more than fetching 50 rendered rows from Redis, which is why they are not
cached at all. So a support changes exactly what it changes, and a page whose rows
nobody has seen yet (deep pages of 100,000 ideas) costs the same as page 1.
Measured with ``python -m bench list-live`` (docs/benchmarks.md).

Every value from the database is escaped here; the markup is the same as before
(``tests/ideas/test_rows.py``).
"""

import re

from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext, ngettext

_URL_SENTINEL = 918273645

ROW = (
    '<tr id="idee-{id}">{select}\n'
    '  <th scope="row">\n'
    '    <a href="{url}">{title}</a>\n'
    '    <div class="small text-body-secondary">{groups}{places}</div>\n'
    # on narrow screens the hidden columns' content, here
    '    <div class="small text-body-secondary d-lg-none">{topic}{submitted_for_narrow}</div>\n'
    '    <div class="small text-body-secondary d-md-none">{counts} · {created}</div>\n'
    "  </th>\n"
    '  <td class="d-none d-lg-table-cell">{topic}</td>\n'
    '  <td class="d-none d-lg-table-cell">{submitted_for}</td>\n'
    '  <td class="idea-status-cell"><span class="badge idea-status status-{status}">'
    "{status_label}</span></td>\n"
    '  <td class="text-end d-none d-md-table-cell">{support_count}{supported}</td>\n'
    '  <td class="text-end d-none d-md-table-cell">{comment_count}</td>\n'
    '  <td class="idea-date d-none d-md-table-cell">{created}</td>\n'
    "</tr>"
)
SELECT = (
    '<td><input class="form-check-input" type="checkbox" name="ideas" value="{id}" '
    'id="select-{id}" aria-label="{label}"></td>'
)


def _supported_mark() -> str:
    return (
        ' <span class="visually-hidden">{hidden}</span><span aria-hidden="true" '
        'title="{title}">✓</span>'
    ).format(
        hidden=escape(gettext("(von Ihnen unterstützt)")),
        title=escape(gettext("von Ihnen unterstützt")),
    )


_SUPPORTED_PLACEHOLDER = re.compile(r"<!--supported:(\d+)-->")


def mark_supported(html: str, idea_ids) -> SafeString:
    """Rows rendered with ``marks=False`` (shared by all readers), with the mark of each
    idea the current user supports (``idea_ids``) in place of its placeholder."""
    mark = _supported_mark()
    return mark_safe(  # noqa: S308 - the rows as rendered, and the mark's escaped text
        _SUPPORTED_PLACEHOLDER.sub(
            lambda found: mark if int(found.group(1)) in idea_ids else "", html
        )
    )


def render_rows(rows: list[dict], *, selectable: bool = False, marks: bool = True) -> SafeString:
    """The HTML of the rows of ``selectors.idea_rows`` (``selectable``: with the
    moderation queue's check box), in the current language, with the current user's
    "unterstützt" marks (``marks=False``: a placeholder for them, ``mark_supported``)."""
    if not rows:
        return mark_safe("")
    before, after = reverse("ideas:detail", args=[_URL_SENTINEL]).split(str(_URL_SENTINEL))
    everywhere = escape(gettext("kreisweit"))
    supported = _supported_mark()
    rendered = []
    for row in rows:
        pk = int(row["id"])
        select = ""
        if selectable:
            label = gettext("„%(title)s“ auswählen") % {"title": row["title"]}
            select = "\n  " + SELECT.format(id=pk, label=escape(label))
        groups = row["target_group_names"]
        places = row["municipality_names"]
        rendered.append(
            ROW.format(
                id=pk,
                select=select,
                url=f"{before}{pk}{after}",
                title=escape(row["title"]),
                groups=f"{escape(groups)} · " if groups else "",
                places=escape(places) if places else everywhere,
                topic=escape(row["topic__name"]),
                submitted_for=escape(row["submitted_for"]) or "–",
                status=escape(row["status"]),
                status_label=escape(row["status_label"]),
                support_count=int(row["support_count"]),
                supported=(supported if row["supported_by_me"] else "")
                if marks
                else f"<!--supported:{pk}-->",
                comment_count=int(row["comment_count"]),
                submitted_for_narrow=f" · {escape(row['submitted_for'])}"
                if row["submitted_for"]
                else "",
                counts=escape(
                    ngettext("%(n)s Unterstützung", "%(n)s Unterstützungen", row["support_count"])
                    % {"n": int(row["support_count"])}
                    + " · "
                    + ngettext("%(n)s Kommentar", "%(n)s Kommentare", row["comment_count"])
                    % {"n": int(row["comment_count"])}
                ),
                created=timezone.localtime(row["created"]).strftime("%d.%m.%Y"),
            )
        )
    return mark_safe("\n".join(rendered))  # noqa: S308 - every value in it is escaped or a number
