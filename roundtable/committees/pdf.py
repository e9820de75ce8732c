"""The committee report as PDF: HTML template + WeasyPrint, fetching nothing foreign.

User text reaches the PDF only through Django's auto-escaping template, and the
renderer's URL fetcher serves nothing but the project's own static files (and
``data:`` URLs): no ``file://`` elsewhere, no network, no redirects.
"""

import datetime
import functools
import gc
import logging
from collections import Counter
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlsplit
from urllib.request import url2pathname

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from weasyprint import CSS, HTML, URLFetcher
from weasyprint import html as weasyprint_html
from weasyprint.css.counters import CounterStyle
from weasyprint.urls import path2url

from ideas.selectors import status_labels
from roundtable.timeline.selectors import phase_list

from .selectors import ReportData, report_data_load

logger = logging.getLogger(__name__)

FETCH_TIMEOUT_SECONDS = 3


class ResourceRefused(ValueError):
    """The report asked for something outside the project's static files."""


def static_roots() -> list[Path]:
    return [Path(p).resolve() for p in settings.STATICFILES_DIRS]


class StaticOnlyURLFetcher(URLFetcher):
    """Serves the project's own static files and ``data:`` URLs; refuses all else.

    WeasyPrint catches the ``ValueError`` and leaves the resource out, so a
    hostile reference never stops the report, and never reaches anything.
    """

    def __init__(self, *, roots: list[Path] | None = None, timeout: float = FETCH_TIMEOUT_SECONDS):
        super().__init__(
            timeout=timeout,
            allowed_protocols=("file", "data"),
            allow_redirects=False,
            fail_on_errors=False,
        )
        self.roots = roots if roots is not None else static_roots()
        self.fetched: list[str] = []
        self.refused: list[str] = []

    def _allowed(self, url: str) -> bool:
        scheme = url.split(":", 1)[0].lower()
        if scheme == "data":
            return True
        if scheme != "file":
            return False
        parts = urlsplit(url)
        if parts.netloc not in ("", "localhost"):
            return False
        path = Path(url2pathname(unquote(parts.path))).resolve()
        return path.is_file() and any(path.is_relative_to(root) for root in self.roots)

    def fetch(self, url, headers=None):
        if not self._allowed(url):
            self.refused.append(url)
            logger.warning("report renderer refused %s", url[:200])
            raise ResourceRefused(f"refused: {url[:200]}")
        self.fetched.append(url)
        return super().fetch(url, headers)


def base_url() -> str:
    return path2url(static_roots()[0]) + "/" if static_roots() else ""


# --- figures ---------------------------------------------------------------------

CHART_WIDTH = 600
CHART_LABEL_WIDTH = 230
CHART_BAR_MAX = 320
CHART_ROW = 22


@dataclass(frozen=True)
class ChartBar:
    label: str
    short_label: str
    count: int
    y: int
    text_y: int
    width: float
    value_x: float


@dataclass(frozen=True)
class Chart:
    key: str
    title: str
    label_heading: str
    bars: list[ChartBar]
    total: int
    height: int


def _short(label: str, limit: int = 34) -> str:
    return label if len(label) <= limit else label[: limit - 1] + "…"


def chart_build(*, key: str, title: str, label_heading: str, counts: list[tuple[str, int]]):
    top = max((c for _, c in counts), default=0) or 1
    bars = []
    for row, (label, count) in enumerate(counts):
        width = round(CHART_BAR_MAX * count / top, 1)
        y = 6 + row * CHART_ROW
        bars.append(
            ChartBar(
                label=label,
                short_label=_short(label),
                count=count,
                y=y,
                text_y=y + 13,
                width=max(width, 1.5) if count else 0,
                value_x=CHART_LABEL_WIDTH + width + 6,
            )
        )
    return Chart(
        key=key,
        title=title,
        label_heading=label_heading,
        bars=bars,
        total=sum(c for _, c in counts),
        height=12 + len(counts) * CHART_ROW,
    )


@dataclass(frozen=True)
class IdeaRow:
    """One line of the appendix table."""

    number: int
    title: str
    topic: str
    submitted_for: str
    status: str
    supports: int


def idea_rows_build(ideas) -> list[IdeaRow]:
    labels = status_labels()
    return [
        IdeaRow(
            number=idea.pk,
            title=idea.title,
            topic=idea.topic.name,
            submitted_for=str(idea.submitted_for) if idea.submitted_for else "",
            status=labels[idea.status],
            supports=idea.support_count,
        )
        for idea in ideas
    ]


def charts_build(ideas) -> list[Chart]:
    by_department: Counter[str] = Counter()
    for idea in ideas:
        if idea.department_id:
            by_department[str(idea.department)] += 1
        elif idea.organisation_id:
            by_department[_("Externe Organisationen")] += 1
        else:
            by_department[_("ohne Angabe")] += 1
    by_topic: Counter[str] = Counter(idea.topic.name for idea in ideas)
    labels = status_labels()
    by_status: Counter[str] = Counter(labels[idea.status] for idea in ideas)

    def ordered(counter: Counter[str]) -> list[tuple[str, int]]:
        return sorted(counter.items(), key=lambda item: (-item[1], item[0]))

    return [
        chart_build(
            key="department",
            title=_("Ideen je Amt/Dienststelle"),
            label_heading=_("Amt/Dienststelle"),
            counts=ordered(by_department),
        ),
        chart_build(
            key="topic",
            title=_("Ideen je Handlungsfeld"),
            label_heading=_("Handlungsfeld"),
            counts=ordered(by_topic),
        ),
        chart_build(
            key="status",
            title=_("Ideen je Status"),
            label_heading=_("Status"),
            counts=ordered(by_status),
        ),
    ]


def period_label(start: datetime.date, end: datetime.date) -> str:
    """The seed's way of writing a period: ``10-11/2004``, ``06/2005``."""
    if (start.year, start.month) == (end.year, end.month):
        return f"{start:%m/%Y}"
    if start.year == end.year:
        return f"{start:%m}–{end:%m/%Y}"
    return f"{start:%m/%Y}–{end:%m/%Y}"


def report_context_build(
    data: ReportData, *, variant: str, version: int | None = None, language: str = "de"
) -> dict:
    paper = data.paper
    phases = [{"period": period_label(p.start, p.end), "phase": p} for p in phase_list()]
    return {
        "paper": paper,
        "agenda_item": paper.agenda_item,
        "meeting": paper.agenda_item.meeting,
        "committee": paper.agenda_item.meeting.committee,
        "body": paper.agenda_item.meeting.committee.body,
        "concept_links": data.concept_links,
        "idea_rows": idea_rows_build(data.ideas),
        "phases": phases,
        "charts": charts_build(data.ideas),
        "variant": variant,
        "version": version,
        "language": language,
        "generated_at": timezone.localtime(),
    }


# --- rendering ---------------------------------------------------------------------


#: Collection thresholds while WeasyPrint lays out and writes a report. It allocates
#: millions of boxes that all live until the PDF is written; with CPython's default
#: (700, 10, 10) the collector ran ~2,400 times and scanned the whole growing heap ~11
#: times for a 100-page report: about a fifth of the render (profiled, 2026-11). The
#: peak memory did not change (the boxes are alive, not garbage).
RENDER_GC_THRESHOLDS = (10_000, 10, 10)


@contextmanager
def render_gc_thresholds():
    previous = gc.get_threshold()
    gc.set_threshold(*RENDER_GC_THRESHOLDS)
    try:
        yield
    finally:
        gc.set_threshold(*previous)


#: Rules of WeasyPrint's user-agent stylesheet (html5_ua.css, WeasyPrint 70) that match
#: EVERY element through a pseudo-element: each element then gets six more computed
#: styles (marker, footnote-call, footnote-marker, note-call, note-marker,
#: note-callback), which WeasyPrint does not share between elements as it shares the
#: elements' own. In a report of ~12,000 elements that was ~70,000 styles: 68 MB of the
#: pool child's peak and ~1 s of the render (profiled, 2026-11). The report has no
#: footnotes or notes, and list markers exist only on list items.
UA_RULES_FOR_EVERY_ELEMENT = {
    "::marker {": "li::marker {",
    "::footnote-call {": None,
    "::footnote-marker {": None,
    "::note-call {": None,
    "::note-marker {": None,
    "::note-callback {": None,
}


def report_ua_css_text(ua_text: str) -> str:
    """WeasyPrint's own user-agent stylesheet with the rules above scoped or left out.

    Raises ``ValueError`` when one of them is not found: a newer WeasyPrint changed the
    stylesheet, and this list must be looked at again (a test runs this)."""
    lines = ua_text.splitlines(keepends=True)
    for start, replacement in UA_RULES_FOR_EVERY_ELEMENT.items():
        found = [n for n, line in enumerate(lines) if line.startswith(start)]
        if len(found) != 1:
            raise ValueError(f"WeasyPrint's user-agent stylesheet has {len(found)} {start!r}")
        (n,) = found
        if replacement is None:
            lines[n] = ""
        else:
            lines[n] = replacement + lines[n][len(start) :]
    return "".join(lines)


@functools.cache
def report_ua_stylesheet() -> CSS:
    """Parsed once per process (a pool child keeps it for every report it renders)."""
    try:
        text = report_ua_css_text(weasyprint_html.UA)
    except ValueError:
        logger.warning("report: WeasyPrint's user-agent stylesheet used unchanged")
        return weasyprint_html.UA_STYLESHEET
    # its @counter-style rules are already in WeasyPrint's UA_COUNTER_STYLE, which every
    # document copies: register them into a throwaway set here
    return CSS(string=text, counter_style=CounterStyle())


class ReportHTML(HTML):
    """The report's document: WeasyPrint's HTML with the leaner user-agent stylesheet.

    ``_ua_stylesheets`` is WeasyPrint's own (unpublished) hook for those sheets, the
    one its form support uses; requirements.txt pins WeasyPrint, and
    ``tests/committees/test_pdf.py`` checks the stylesheet still has these rules."""

    def _ua_stylesheets(self, forms=False):
        return [report_ua_stylesheet(), *super()._ua_stylesheets(forms=forms)[1:]]


def pdf_from_html(
    html_string: str, *, variant: str, url_fetcher: URLFetcher | None = None, progress=None
) -> tuple[bytes, int]:
    """Lays out and writes the report's HTML: the WeasyPrint part of the task (the
    benchmark times exactly this as its "bare" render). Returns the PDF and its pages."""
    with render_gc_thresholds():
        document = ReportHTML(
            string=html_string, base_url=base_url(), url_fetcher=url_fetcher
        ).render(pdf_variant=variant)
        if progress is not None:
            progress(70)
        return document.write_pdf(pdf_variant=variant), len(document.pages)


@dataclass
class RenderedReport:
    content: bytes
    page_count: int
    fetched: list[str] = field(default_factory=list)
    refused: list[str] = field(default_factory=list)


def report_html(
    *, paper_id: int, variant: str, version: int | None = None, language: str = "de"
) -> str:
    data = report_data_load(paper_id=paper_id)
    context = report_context_build(data, variant=variant, version=version, language=language)
    return render_to_string(settings.COMMITTEES_REPORT_TEMPLATE, context)


def report_render(
    *,
    paper_id: int,
    variant: str = "pdf/ua-1",
    language: str = "de",
    version: int | None = None,
    progress: Callable[[int], None] = lambda percent: None,
) -> RenderedReport:
    """Renders the paper's report; ``progress`` hears of each step (0–100)."""
    with translation.override(language):
        html_string = report_html(
            paper_id=paper_id, variant=variant, version=version, language=language
        )
        progress(30)
        fetcher = StaticOnlyURLFetcher()
        content, page_count = pdf_from_html(
            html_string, variant=variant, url_fetcher=fetcher, progress=progress
        )
        progress(90)
    return RenderedReport(
        content=content,
        page_count=page_count,
        fetched=fetcher.fetched,
        refused=fetcher.refused,
    )
