"""The report's content, its accessibility markers, and what the renderer may fetch."""

import io
import re

import pytest
from pypdf import PdfReader
from weasyprint import HTML

from roundtable.committees.pdf import (
    ResourceRefused,
    StaticOnlyURLFetcher,
    period_label,
    report_render,
)
from roundtable.committees.pdf import (
    base_url as static_base_url,
)
from tests.committees.factories import paper_with_concepts
from tests.factories import IdeaFactory, PhaseFactory

pytestmark = pytest.mark.django_db

HOSTILE_TITLE = '<img src="file:///etc/passwd"> Übernahme'
HOSTILE_DESCRIPTION = (
    '<link rel="stylesheet" href="http://127.0.0.1:9/evil.css">'
    "<style>@import url(http://127.0.0.1:9/x.css); body { background: url(file:///etc/hostname) }</style>"
    '<a href="http://example.org/">Link</a> '
    + "Donaudampfschifffahrtsgesellschaftskapitänsmützenabzeichen"
    * 8
)


def pdf_text(content: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


def flat(text: str) -> str:
    """Text without line breaks and hyphenation, as a reader would join it."""
    return re.sub(r"[\s\u2010\u00ad-]+", "", text)


def test_period_label_follows_the_seed():
    import datetime

    d = datetime.date
    assert period_label(d(2004, 10, 1), d(2004, 11, 30)) == "10–11/2004"
    assert period_label(d(2005, 6, 1), d(2005, 6, 30)) == "06/2005"
    assert period_label(d(2004, 12, 1), d(2005, 1, 31)) == "12/2004–01/2005"


def test_report_contains_the_paper_concepts_ideas_and_page_numbers():
    PhaseFactory(key="ideenwerkstatt", name="Ideenwerkstatt")
    paper = paper_with_concepts(concepts=2, ideas_per_concept=2)
    IdeaFactory(title="Begegnungscafé für Spätaussiedler in Sankt Augustin")
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
        for idea_link in link.concept.idea_links.all():
            assert flat(idea_link.idea.title) in joined
    assert flat("Begegnungscafé für Spätaussiedler in Sankt Augustin") in joined
    assert rendered.refused == []
    assert [url.rsplit("/", 2)[-2:] for url in rendered.fetched] == [["css", "report.css"]]


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


def test_archive_variant_renders():
    paper = paper_with_concepts(concepts=1, ideas_per_concept=0)
    rendered = report_render(paper_id=paper.pk, variant="pdf/a-3b")
    assert rendered.content.startswith(b"%PDF-")
    metadata = PdfReader(io.BytesIO(rendered.content)).trailer["/Root"]["/Metadata"]
    assert b"pdfaid:part" in metadata.get_object().get_data()


def test_hostile_idea_content_appears_only_as_escaped_text():
    paper = paper_with_concepts(concepts=1, ideas_per_concept=0)
    IdeaFactory(title=HOSTILE_TITLE, description=HOSTILE_DESCRIPTION)
    rendered = report_render(paper_id=paper.pk, variant="pdf/ua-1")
    joined = flat(pdf_text(rendered.content))
    assert flat(HOSTILE_TITLE) in joined
    assert flat('<link rel="stylesheet" href="http://127.0.0.1:9/evil.css">') in joined
    assert flat("body { background: url(file:///etc/hostname) }") in joined
    assert flat("Donaudampfschifffahrtsgesellschaftskapitänsmützenabzeichen" * 8) in joined
    # nothing but the report's own stylesheet was fetched, nothing even attempted
    assert rendered.refused == []
    assert len(rendered.fetched) == 1 and rendered.fetched[0].endswith("/static/css/report.css")
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
