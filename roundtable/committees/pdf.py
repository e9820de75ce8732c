"""The committee report as PDF: HTML template + WeasyPrint, fetching nothing foreign.

User text reaches the PDF only through Django's auto-escaping template, and the
renderer's URL fetcher serves nothing but the project's own static files (and
``data:`` URLs): no ``file://`` elsewhere, no network, no redirects.
"""

import base64
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

from .selectors import paper_snapshot

logger = logging.getLogger(__name__)

FETCH_TIMEOUT_SECONDS = 3


class ResourceRefused(ValueError):
    """The report asked for something outside the project's static files."""


def static_roots() -> list[Path]:
    return [Path(p).resolve() for p in settings.STATICFILES_DIRS]


#: Where the system's fonts are (Debian); the report's @font-face rules name some by
#: ``local()``, which WeasyPrint reads through the fetcher.
FONT_ROOTS = [Path("/usr/share/fonts")]
FONT_SUFFIXES = {".ttf", ".otf", ".ttc"}


class StaticOnlyURLFetcher(URLFetcher):
    """Serves the project's own static files, the system's font files and ``data:``
    URLs; refuses all else.

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
        if not path.is_file():
            return False
        if path.suffix.lower() in FONT_SUFFIXES and any(
            path.is_relative_to(root) for root in FONT_ROOTS
        ):
            return True
        return any(path.is_relative_to(root) for root in self.roots)

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

    @property
    def alt(self) -> str:
        """The chart's text alternative (PDF/UA: a figure names what it shows)."""
        values = "; ".join(f"{bar.label}: {bar.count}" for bar in self.bars)
        return _(
            "Balkendiagramm „%(title)s“: %(values)s. Die Tabelle darunter nennt dieselben Zahlen."
        ) % {
            "title": self.title,
            "values": values or _("keine Ideen"),
        }

    @property
    def image_src(self) -> str:
        """The bars as an SVG image (a ``data:`` URL): an ``<img>`` is tagged as a figure
        with its ``alt`` text, an inline ``<svg>`` is not."""
        svg = render_to_string("committees/_report_chart.svg", {"chart": self})
        return "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode("ascii")


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


def idea_rows_build(ideas: list[dict]) -> list[IdeaRow]:
    """The appendix rows from a snapshot's ideas."""
    return [
        IdeaRow(
            number=idea["id"],
            title=idea["title"],
            topic=idea["topic"],
            submitted_for=idea["submitted_for"],
            status=idea["status_label"],
            supports=idea["supports"],
        )
        for idea in ideas
    ]


def charts_build(ideas: list[dict]) -> list[Chart]:
    by_department: Counter[str] = Counter()
    for idea in ideas:
        if idea["department"]:
            by_department[idea["department"]] += 1
        elif idea["organisation"]:
            by_department[_("Externe Organisationen")] += 1
        else:
            by_department[_("ohne Angabe")] += 1
    by_topic: Counter[str] = Counter(idea["topic"] for idea in ideas)
    by_status: Counter[str] = Counter(idea["status_label"] for idea in ideas)

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
    snapshot: dict,
    *,
    variant: str,
    version: int | None = None,
    version_label: str = "",
    language: str = "de",
) -> dict:
    """The template's context, from the paper's snapshot only (see ``paper_snapshot``)."""
    phases = []
    for phase in snapshot["phases"]:
        start = datetime.date.fromisoformat(phase["start"])
        end = datetime.date.fromisoformat(phase["end"])
        phases.append(
            {"period": period_label(start, end), "name": phase["name"], "start": start, "end": end}
        )
    paper = {**snapshot["paper"], "date": datetime.date.fromisoformat(snapshot["paper"]["date"])}
    meeting = {
        **snapshot["meeting"],
        "starts_at": datetime.datetime.fromisoformat(snapshot["meeting"]["starts_at"]),
    }
    return {
        "paper": paper,
        "agenda_item": snapshot["agenda_item"],
        "meeting": meeting,
        "committee": snapshot["committee"],
        "body": snapshot["body"],
        "concepts": snapshot["concepts"],
        "idea_rows": idea_rows_build(snapshot["ideas"]),
        "phases": phases,
        "charts": charts_build(snapshot["ideas"]),
        "variant": variant,
        "version": version,
        "version_label": version_label,
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


#: The PDF/UA identification and, as PDF/A requires for a schema it does not define,
#: its description (ISO 14289-1, 5; the extension schema block as the PDF/UA
#: Competence Center publishes it).
PDFUA_NAMESPACE = b"http://www.aiim.org/pdfua/ns/id/"
PDFUA_EXTENSION_SCHEMA = b"""<rdf:Description rdf:about="" \
xmlns:pdfaExtension="http://www.aiim.org/pdfa/ns/extension/" \
xmlns:pdfaSchema="http://www.aiim.org/pdfa/ns/schema#" \
xmlns:pdfaProperty="http://www.aiim.org/pdfa/ns/property#"><pdfaExtension:schemas><rdf:Bag>\
<rdf:li rdf:parseType="Resource">\
<pdfaSchema:schema>PDF/UA Universal Accessibility Schema</pdfaSchema:schema>\
<pdfaSchema:namespaceURI>http://www.aiim.org/pdfua/ns/id/</pdfaSchema:namespaceURI>\
<pdfaSchema:prefix>pdfuaid</pdfaSchema:prefix><pdfaSchema:property><rdf:Seq>\
<rdf:li rdf:parseType="Resource"><pdfaProperty:name>part</pdfaProperty:name>\
<pdfaProperty:valueType>Integer</pdfaProperty:valueType>\
<pdfaProperty:category>internal</pdfaProperty:category>\
<pdfaProperty:description>Indicates, which part of ISO 14289 standard is followed\
</pdfaProperty:description></rdf:li></rdf:Seq></pdfaSchema:property></rdf:li></rdf:Bag>\
</pdfaExtension:schemas></rdf:Description>"""


def declare_pdf_ua(document, pdf) -> None:
    """WeasyPrint's finisher for the archival variant: PDF/A-3a is tagged like
    WeasyPrint's pdf/ua-1 (structure tree, language, displayed title) and declares
    PDF/UA-1 in its XMP metadata beside PDF/A-3a."""
    reference = pdf.catalog["Metadata"]
    number = int((reference.decode() if isinstance(reference, bytes) else reference).split()[0])
    stream = pdf.objects[number]
    xmp = b"".join(stream.stream)
    marker = b'pdfaid:conformance="A"'
    if marker not in xmp or b"</rdf:RDF>" not in xmp:
        raise ValueError("unexpected XMP metadata from WeasyPrint")
    xmp = xmp.replace(
        b"<rdf:RDF ", b'<rdf:RDF xmlns:pdfuaid="' + PDFUA_NAMESPACE + b'" ', 1
    ).replace(marker, marker + b' pdfuaid:part="1"', 1)
    xmp = xmp.replace(b"</rdf:RDF>", PDFUA_EXTENSION_SCHEMA + b"</rdf:RDF>", 1)
    stream.stream = [xmp]


#: variant → what WeasyPrint's writer gets beside it
VARIANT_FINISHERS = {"pdf/a-3a": declare_pdf_ua}


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
        content = document.write_pdf(pdf_variant=variant, finisher=VARIANT_FINISHERS.get(variant))
        return content, len(document.pages)


@dataclass
class RenderedReport:
    content: bytes
    page_count: int
    fetched: list[str] = field(default_factory=list)
    refused: list[str] = field(default_factory=list)


def report_html(
    *,
    paper_id: int,
    variant: str,
    version: int | None = None,
    language: str = "de",
    snapshot: dict | None = None,
    version_label: str = "",
) -> str:
    """The report's HTML from ``snapshot`` (a submitted version's), or from the paper as
    it is now (a draft's preview)."""
    if snapshot is None:
        snapshot = paper_snapshot(paper_id=paper_id)
    context = report_context_build(
        snapshot, variant=variant, version=version, version_label=version_label, language=language
    )
    return render_to_string(settings.COMMITTEES_REPORT_TEMPLATE, context)


def report_render(
    *,
    paper_id: int,
    variant: str = "pdf/ua-1",
    language: str = "de",
    version: int | None = None,
    snapshot: dict | None = None,
    version_label: str = "",
    progress: Callable[[int], None] = lambda percent: None,
) -> RenderedReport:
    """Renders the paper's report; ``progress`` hears of each step (0–100)."""
    with translation.override(language):
        html_string = report_html(
            paper_id=paper_id,
            variant=variant,
            version=version,
            language=language,
            snapshot=snapshot,
            version_label=version_label,
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
