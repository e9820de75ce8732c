"""The report's content, its accessibility markers, and what the renderer may fetch."""

import io
import re
import subprocess

import pytest
from pypdf import PdfReader
from weasyprint import HTML
from weasyprint import html as weasyprint_html

from ideas.models import Idea
from roundtable.committees.pdf import (
    ResourceRefused,
    StaticOnlyURLFetcher,
    period_label,
    report_render,
    report_ua_css_text,
)
from roundtable.committees.pdf import (
    base_url as static_base_url,
)
from tests.committees.factories import paper_with_concepts
from tests.factories import IdeaFactory, OrganisationFactory, PhaseFactory, TopicFactory
from workshops.models import Concept, ConceptIdea

pytestmark = pytest.mark.django_db

HOSTILE_TITLE = '<img src="file:///etc/passwd"> Übernahme'
HOSTILE_DESCRIPTION = (
    '<link rel="stylesheet" href="http://127.0.0.1:9/evil.css">'
    "<style>@import url(http://127.0.0.1:9/x.css); body { background: url(file:///etc/hostname) }</style>"
    '<a href="http://example.org/">Link</a> '
    + "Donaudampfschifffahrtsgesellschaftskapitänsmützenabzeichen"
    * 8
)


def is_font_or_chart(url: str) -> bool:
    """What the report fetches besides its stylesheet: system fonts and its charts."""
    if url.startswith("data:image/svg+xml;base64,"):
        return True
    return url.startswith("file:///usr/share/fonts/") and url.endswith((".ttf", ".otf", ".ttc"))


def pdf_text(content: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


def flat(text: str) -> str:
    """Text without line breaks and hyphenation, as a reader would join it."""
    return re.sub(r"[\s\u2010\u00ad-]+", "", text)


def pdftotext_pages(content: bytes, tmp_path) -> list[str]:
    """The pages as poppler's pdftotext lays them out (``-layout``: table rows stay on
    one line), split at form feeds."""
    path = tmp_path / "report.pdf"
    path.write_bytes(content)
    text = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, check=True, text=True
    ).stdout
    return text.split("\f")[: len(PdfReader(io.BytesIO(content)).pages)]


def struct_elements(content: bytes) -> list[dict]:
    """Every element of the PDF's structure tree (the tags a screen reader follows)."""
    root = PdfReader(io.BytesIO(content)).trailer["/Root"]["/StructTreeRoot"]
    found, todo = [], [root]
    while todo:
        node = todo.pop().get_object()
        if not isinstance(node, dict):
            continue
        if "/S" in node:
            found.append(node)
        kids = node.get("/K")
        if kids is not None:
            todo.extend(kids if isinstance(kids, list) else [kids])
    return found


def test_period_label_follows_the_seed():
    import datetime

    d = datetime.date
    assert period_label(d(2004, 10, 1), d(2004, 11, 30)) == "10–11/2004"
    assert period_label(d(2005, 6, 1), d(2005, 6, 30)) == "06/2005"
    assert period_label(d(2004, 12, 1), d(2005, 1, 31)) == "12/2004–01/2005"


def test_report_contains_the_paper_concepts_ideas_and_page_numbers(tmp_path):
    PhaseFactory(key="ideenwerkstatt", name="Ideenwerkstatt")
    paper = paper_with_concepts(concepts=2, ideas_per_concept=2)
    IdeaFactory(title="Begegnungscafé für Spätaussiedler in Sankt Augustin")  # in no concept
    rendered = report_render(paper_id=paper.pk, variant="pdf/ua-1")
    text = pdf_text(rendered.content)
    joined = flat(text)
    for needed in [
        "RHEIN-SIEG-KREIS",
        "DER LANDRAT",
        "zu TO.-Pkt. " + paper.agenda_item.number,
        "50.3",
        "09.09.2004",
        "für den öffentlichen Sitzungsteil",
        "Gremium und",
        "hier: Weiteres Vorgehen",
        "Beschlussvorschlag:",
        "Vorbemerkungen:",
        "Zeitraster",
        "Ideenwerkstatt",
        "Anhang",
        "Ideen je Handlungsfeld",
        f"Seite 1 von {rendered.page_count}",
        f"Seite {rendered.page_count} von {rendered.page_count}",
    ]:
        assert flat(needed) in joined, needed
    assert flat(paper.agenda_item.title) in joined
    for link in paper.concept_links.all():
        assert flat(link.concept.title) in joined
        # under each concept its ideas, by number and title
        for idea_link in link.concept.idea_links.all():
            assert flat(f"Idee {idea_link.idea.pk}: {idea_link.idea.title}") in joined
    # the measures keep their numbers (list markers of the ordered list; pypdf reads
    # markers out of order, poppler in reading order)
    poppler_text = flat("".join(pdftotext_pages(rendered.content, tmp_path)))
    assert flat("1. Kurse an fünf Grundschulen einrichten") in poppler_text
    # the appendix: the ideas of the concepts presented, not every idea in the portal
    assert flat("Anhang: Ideen der vorgestellten Konzepte") in joined
    assert flat("Die vorgestellten Konzepte greifen 4 Ideen aus der Ideenwerkstatt auf.") in joined
    assert flat("Begegnungscafé für Spätaussiedler in Sankt Augustin") not in joined
    assert rendered.refused == []
    assert [url.rsplit("/", 2)[-2:] for url in rendered.fetched][:1] == [["css", "report.css"]]
    assert all(is_font_or_chart(url) for url in rendered.fetched[1:])


def test_appendix_lists_every_idea_in_a_table_with_its_header_on_every_page(tmp_path):
    """The appendix is one row per idea (number, title, topic, submitted for, status,
    supports), not the ideas' descriptions; the header row repeats on each page."""
    paper = paper_with_concepts(concepts=1, ideas_per_concept=2)
    topic = TopicFactory(name="Arbeit und Ausbildung")
    organisation = OrganisationFactory(name="Caritasverband Rhein-Sieg e. V.")
    deferred = IdeaFactory(
        title="Ausbildungsbörse für Geflüchtete",
        description="Eine Beschreibung, die im Bericht nicht abgedruckt wird.",
        topic=topic,
        department=None,
        organisation=organisation,
        status=Idea.Status.DEFERRED,
        support_count=17,
    )
    others = IdeaFactory.create_batch(70, topic=topic)
    concept = paper.concept_links.get().concept
    for position, idea in enumerate([deferred, *others], start=10):
        ConceptIdea.objects.create(concept=concept, idea=idea, position=position)
    rendered = report_render(paper_id=paper.pk, variant="pdf/ua-1")
    pages = pdftotext_pages(rendered.content, tmp_path)

    appendix_start = next(n for n, page in enumerate(pages) if "Die Ideen im Einzelnen" in page)
    table_pages = [
        page for page in pages[appendix_start:] if re.search(r"^\s*\d+\s+\S", page, re.M)
    ]
    assert len(table_pages) >= 2, "the test needs a table over more than one page"
    for page in table_pages:
        assert re.search(r"Nummer\s+Titel\s+Handlungsfeld\s+Eingereicht für\s+Status", page)

    # the idea's row: its first line holds the first line of every cell
    (row,) = [
        line
        for page in table_pages
        for line in page.splitlines()
        if re.match(rf"\s*{deferred.pk}\s+Ausbildungsbörse", line)
    ]
    assert re.search(
        # (the title may wrap before its last word, depending on the column widths)
        r"Ausbildungsbörse für(?: Geflüchtete)?\s+Arbeit und\s+Caritasverband\s+zurückgestellt"
        r"\s+17$",
        row,
    ), row
    # every idea, number and title, in reading order (titles may wrap inside their cell)
    path = tmp_path / "reading-order.pdf"
    path.write_bytes(rendered.content)
    reading_order = subprocess.run(
        ["pdftotext", "-raw", str(path), "-"], capture_output=True, check=True, text=True
    ).stdout
    joined = flat(reading_order)
    for idea in Idea.objects.all():
        assert flat(f"{idea.pk} {idea.title}") in joined
    assert flat("Eine Beschreibung, die im Bericht nicht abgedruckt wird.") not in joined
    # once under its concept, once in the appendix's table
    assert joined.count(flat("Ausbildungsbörse für Geflüchtete")) == 2


def test_appendix_table_is_tagged_with_its_column_and_row_headers():
    """PDF/UA: each data cell of the appendix names its headers: the column's and the
    idea's title (``<th scope="row">``)."""
    paper = paper_with_concepts(concepts=1, ideas_per_concept=3)
    rendered = report_render(paper_id=paper.pk, variant="pdf/ua-1")
    elements = struct_elements(rendered.content)
    header_ids = {str(e["/ID"]) for e in elements if e["/S"] == "/TH" and "/ID" in e}
    cells_with_both = [
        e
        for e in elements
        if e["/S"] == "/TD"
        and len(e["/A"].get_object().get("/Headers", [])) == 2
        and {str(h) for h in e["/A"].get_object()["/Headers"]} <= header_ids
    ]
    # three ideas, five data cells each (number, topic, submitted for, status, supports),
    # and the sum row ("Summe") of each of the three figures' tables
    assert len(cells_with_both) == 3 * 5 + 3
    assert {"/Table", "/THead", "/TBody", "/TR", "/TH", "/TD"} <= {e["/S"] for e in elements}


def test_report_user_agent_stylesheet_matches_this_weasyprint():
    """The report scopes WeasyPrint's rules that match every element through a
    pseudo-element (see pdf.UA_RULES_FOR_EVERY_ELEMENT). If WeasyPrint changes its
    stylesheet, this fails instead of the report silently growing again."""
    lean = report_ua_css_text(weasyprint_html.UA)
    assert not [line for line in lean.splitlines() if line.startswith("::")]
    assert "li::marker {" in lean
    removed = set(weasyprint_html.UA.splitlines()) - set(lean.splitlines())
    assert len(removed) == 6 and all(line.startswith("::") for line in removed)


def test_report_is_tagged_with_title_and_language_de():
    paper = paper_with_concepts(concepts=1, ideas_per_concept=1)
    rendered = report_render(paper_id=paper.pk, variant="pdf/ua-1")
    reader = PdfReader(io.BytesIO(rendered.content))
    root = reader.trailer["/Root"]
    assert root["/Lang"] == "de"
    assert bool(root["/MarkInfo"]["/Marked"]) is True
    assert "/StructTreeRoot" in root
    assert "Beschlussvorlage zu TO-Pkt." in reader.metadata.title
    # the PDF/UA identification in the XMP metadata
    assert b"pdfuaid" in root["/Metadata"].get_object().get_data()


def test_archive_variant_is_pdf_a_3a_and_declares_pdf_ua_1():
    """The archival variant keeps the tags and the language: PDF/A-3a (WeasyPrint's
    tagged PDF/A) with the PDF/UA-1 identification and its extension schema."""
    paper = paper_with_concepts(concepts=1, ideas_per_concept=1)
    rendered = report_render(paper_id=paper.pk, variant="pdf/a-3a")
    root = PdfReader(io.BytesIO(rendered.content)).trailer["/Root"]
    assert root["/Lang"] == "de"
    assert "/StructTreeRoot" in root and bool(root["/MarkInfo"]["/Marked"]) is True
    assert bool(root["/ViewerPreferences"]["/DisplayDocTitle"]) is True
    assert "/OutputIntents" in root
    xmp = root["/Metadata"].get_object().get_data()
    assert b'pdfaid:part="3"' in xmp and b'pdfaid:conformance="A"' in xmp
    assert b'pdfuaid:part="1"' in xmp
    assert b"<pdfaSchema:prefix>pdfuaid</pdfaSchema:prefix>" in xmp
    assert xmp.count(b"<rdf:RDF") == 1


def test_legacy_archive_variant_still_renders():
    """Reports requested as PDF/A-3b before the archival variant was tagged."""
    paper = paper_with_concepts(concepts=1, ideas_per_concept=0)
    rendered = report_render(paper_id=paper.pk, variant="pdf/a-3b")
    metadata = PdfReader(io.BytesIO(rendered.content)).trailer["/Root"]["/Metadata"]
    assert b"pdfaid:part" in metadata.get_object().get_data()


def test_hostile_idea_content_appears_only_as_escaped_text():
    """Ideas are printed by title (descriptions are not in the report); a concept's
    summary carries the longer hostile text."""
    paper = paper_with_concepts(concepts=1, ideas_per_concept=0)
    hostile = IdeaFactory(title=HOSTILE_TITLE, description=HOSTILE_DESCRIPTION)
    ConceptIdea.objects.create(concept=paper.concept_links.get().concept, idea=hostile)
    Concept.objects.filter(paper_links__paper=paper).update(summary=HOSTILE_DESCRIPTION)
    rendered = report_render(paper_id=paper.pk, variant="pdf/ua-1")
    joined = flat(pdf_text(rendered.content))
    assert flat(HOSTILE_TITLE) in joined
    assert flat('<link rel="stylesheet" href="http://127.0.0.1:9/evil.css">') in joined
    assert flat("body { background: url(file:///etc/hostname) }") in joined
    assert flat("Donaudampfschifffahrtsgesellschaftskapitänsmützenabzeichen" * 8) in joined
    # nothing but the report's own stylesheet (and fonts) was fetched, nothing attempted
    assert rendered.refused == []
    assert rendered.fetched[0].endswith("/static/css/report.css")
    assert all(is_font_or_chart(url) for url in rendered.fetched[1:])
    assert b"root:x:0:0" not in rendered.content


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/passwd",
        "file:///etc/hostname",
        "http://127.0.0.1:9/evil.css",
        "https://example.org/logo.png",
        "ftp://example.org/x",
        "file://otherhost/work/main/static/css/report.css",
        "file:///usr/share/fonts/../../../etc/passwd",
        "file:///usr/share/fonts/truetype/dejavu/",
    ],
)
def test_fetcher_refuses_everything_outside_static(url):
    fetcher = StaticOnlyURLFetcher()
    with pytest.raises(ResourceRefused):
        fetcher.fetch(url)
    assert fetcher.refused == [url] and fetcher.fetched == []


def test_fetcher_refuses_path_escaping_the_static_folder():
    fetcher = StaticOnlyURLFetcher()
    url = static_base_url() + "../roundtable/settings.py"
    with pytest.raises(ResourceRefused):
        fetcher.fetch(url)


def test_fetcher_serves_static_files_and_data_urls():
    fetcher = StaticOnlyURLFetcher()
    response = fetcher.fetch(static_base_url() + "css/report.css")
    assert b"@page" in response.read()
    response.close()
    assert fetcher.fetch("data:text/plain,hallo").read() == b"hallo"


def test_raw_html_with_foreign_references_is_rendered_without_fetching_them():
    """Even markup that escaped the template could fetch nothing: defence in depth."""
    fetcher = StaticOnlyURLFetcher()
    html = (
        '<html lang="de"><head><title>t</title>'
        '<link rel="stylesheet" href="http://127.0.0.1:9/evil.css">'
        "<style>@import url(file:///etc/hostname);</style></head>"
        '<body><img src="file:///etc/passwd" alt="x"><p>Größe</p></body></html>'
    )
    content = HTML(string=html, base_url=static_base_url(), url_fetcher=fetcher).write_pdf(
        pdf_variant="pdf/ua-1"
    )
    assert content.startswith(b"%PDF-")
    assert set(fetcher.refused) == {
        "http://127.0.0.1:9/evil.css",
        "file:///etc/hostname",
        "file:///etc/passwd",
    }
    assert fetcher.fetched == []


BIDI_CONTROLS = re.compile("[\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def test_names_and_ideas_in_other_scripts_render_with_real_glyphs(tmp_path):
    """Turkish, Russian, Arabic (right to left) and emoji: the fonts that have the glyphs
    are embedded (DejaVu Sans, Noto Sans Arabic, Noto Color Emoji), and the text comes
    back out of the PDF."""
    paper = paper_with_concepts(concepts=1, ideas_per_concept=0)
    concept = paper.concept_links.get().concept
    organisation = OrganisationFactory(name="Türk Kadınlar Birliği – Ayşe Yılmaz")
    titles = [
        "Türkçe sohbet: Ağaç, İstanbul, şeker",
        "Русский клуб для родителей",
        "دروس العربية للكبار في سيغبورغ",
        "Sprachcafé 🌍☕ für alle 👩🏽‍🏫",
    ]
    for position, title in enumerate(titles):
        idea = IdeaFactory(title=title, department=None, organisation=organisation)
        ConceptIdea.objects.create(concept=concept, idea=idea, position=position)
    rendered = report_render(paper_id=paper.pk, variant="pdf/a-3a")
    path = tmp_path / "schriften.pdf"
    path.write_bytes(rendered.content)
    fonts = subprocess.run(["pdffonts", str(path)], capture_output=True, check=True, text=True)
    rows = fonts.stdout.splitlines()[2:]
    names = " ".join(row.split()[0] for row in rows)
    assert "+Report-Arabic" in names  # report.css: Noto Sans Arabic for Arabic letters
    assert "+Noto-Color-Emoji" in names
    assert all(" yes " in row for row in rows), "every font is embedded"
    # (poppler's default mode puts right-to-left words back into reading order)
    text = subprocess.run(
        ["pdftotext", str(path), "-"], capture_output=True, check=True, text=True
    ).stdout
    joined = flat(BIDI_CONTROLS.sub("", text))
    for title in titles:
        # a right-to-left title: its words (poppler orders a mixed line by its own rules)
        for part in title.split() if title.startswith("دروس") else [title]:
            assert flat(part) in joined, part
    assert flat("Türk Kadınlar Birliği – Ayşe Yılmaz") in joined


def test_digits_are_not_taken_from_the_emoji_font(tmp_path):
    """Digits are emoji characters too (keycaps): a report without emoji embeds none."""
    paper = paper_with_concepts(concepts=1, ideas_per_concept=1)
    path = tmp_path / "ziffern.pdf"
    path.write_bytes(report_render(paper_id=paper.pk, variant="pdf/ua-1").content)
    fonts = subprocess.run(["pdffonts", str(path)], capture_output=True, check=True, text=True)
    assert "DejaVu-Sans" in fonts.stdout and "Emoji" not in fonts.stdout


def test_every_chart_has_a_text_alternative():
    """PDF/UA: each figure is tagged with its ``/Alt`` text, which names the figures'
    numbers (and the table beside it repeats them)."""
    paper = paper_with_concepts(concepts=1, ideas_per_concept=3)
    rendered = report_render(paper_id=paper.pk, variant="pdf/ua-1")
    figures = [e for e in struct_elements(rendered.content) if e["/S"] == "/Figure"]
    alts = sorted(str(e.get("/Alt", "")) for e in figures)
    assert len(alts) == 3
    assert alts[0].startswith("Balkendiagramm „Ideen je Amt/Dienststelle“: ")
    assert any(alt.startswith("Balkendiagramm „Ideen je Handlungsfeld“: ") for alt in alts)
    assert all(alt.endswith("Die Tabelle darunter nennt dieselben Zahlen.") for alt in alts)
