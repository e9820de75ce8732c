"""``python -m bench report --ideas N --concepts M``: a committee report made by the
real worker, from request to done, against a bare WeasyPrint render of the same HTML."""

import json
import subprocess
import sys
import time

from .environment import ROOT, BenchConfig, CeleryWorker, prepare
from .memory import PeakRSS

WORKER_CONCURRENCY = 2  # as `make run` deploys it
MEASURES_PER_CONCEPT = 3


def concepts_create(*, count: int, by) -> list:
    """``count`` concepts already presented to the committee, over all bench ideas
    (round robin), with measures, responsible departments and municipalities.

    Fixture rows in bulk, the way ``seed_bench`` makes ideas: the report only reads them.
    """
    from ideas.models import Idea
    from participants.models import Department, Municipality, Organisation
    from workshops.models import Concept, ConceptIdea, ConceptMeasure

    departments = list(Department.objects.order_by("id"))
    organisations = list(Organisation.objects.order_by("id"))
    municipalities = list(Municipality.objects.order_by("id"))
    ideas = list(
        Idea.objects.filter(author__username__startswith="bench").order_by("id").only("id", "title")
    )
    concepts = Concept.objects.bulk_create(
        Concept(
            title=f"Konzept {n + 1}: {ideas[n % len(ideas)].title}"[:200]
            if ideas
            else f"Konzept {n + 1}",
            summary=(
                "Die Ideen dieses Konzepts wurden im Workshop gebündelt. Das Konzept beschreibt "
                "Angebot, Ort und Zuständigkeit und wurde mit den beteiligten Ämtern abgestimmt."
            ),
            goals="Mehr Teilhabe, bessere Erreichbarkeit der Angebote, verlässliche Partner vor Ort.",
            status=Concept.Status.SUBMITTED,
            position=n + 1,
            created_by=by,
        )
        for n in range(count)
    )
    ConceptMeasure.objects.bulk_create(
        ConceptMeasure(
            concept=concept,
            position=m,
            text=f"Maßnahme {m + 1}: Umsetzung mit den Trägern vor Ort und Bericht nach einem Jahr.",
        )
        for concept in concepts
        for m in range(MEASURES_PER_CONCEPT)
    )
    for n, concept in enumerate(concepts):
        if departments:
            concept.responsible_departments.set([departments[n % len(departments)]])
        if organisations:
            concept.responsible_organisations.set([organisations[n % len(organisations)]])
        if municipalities:
            concept.municipalities.set([municipalities[n % len(municipalities)]])
    links = [
        ConceptIdea(concept=concepts[i % count], idea=idea, position=i // count, added_by=by)
        for i, idea in enumerate(ideas)
    ]
    ConceptIdea.objects.bulk_create(links, batch_size=2000)
    Idea.objects.filter(pk__in=[idea.pk for idea in ideas]).update(status=Idea.Status.IN_CONCEPT)
    return concepts


BARE_RENDER_SCRIPT = """
import json, sys, time
import django
django.setup()
from weasyprint import HTML
from roundtable.committees.pdf import StaticOnlyURLFetcher, pdf_from_html
html = open(sys.argv[1], encoding="utf-8").read()
HTML(string="<p>warm-up</p>").write_pdf()
started = time.perf_counter()
_content, pages = pdf_from_html(html, variant=sys.argv[2], url_fetcher=StaticOnlyURLFetcher())
print(json.dumps({"seconds": time.perf_counter() - started, "pages": pages}))
"""


def bare_render(config: BenchConfig, html: str, *, variant: str) -> tuple[float, int]:
    """The task's WeasyPrint step alone (``pdf_from_html``: same renderer, user-agent
    stylesheet and collector thresholds) on the same HTML, in a fresh process with
    Django set up and fonts loaded by a warm-up render, as in a pool child: not in this
    process, whose heap after seeding (~2 million objects) slowed the same render by
    ~1 s. ``overhead`` is then what the pipeline adds (queue, the task's start in the
    child, queries, template, storage)."""
    html_path = config.var_dir / "report-bare.html"
    html_path.write_text(html, encoding="utf-8")
    try:
        completed = subprocess.run(
            [sys.executable, "-c", BARE_RENDER_SCRIPT, str(html_path), variant],
            env=config.process_environment(),
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=True,
            timeout=600,
        )
    finally:
        html_path.unlink(missing_ok=True)
    result = json.loads(completed.stdout.strip().splitlines()[-1])
    return result["seconds"], result["pages"]


def run(
    config: BenchConfig,
    *,
    ideas: int,
    concepts: int,
    worker_concurrency: int = WORKER_CONCURRENCY,
    log=print,
) -> dict:
    from django.contrib.auth import get_user_model
    from django.db import transaction

    from roundtable.committees.models import AgendaItem, Paper, Report
    from roundtable.committees.pdf import report_html
    from roundtable.committees.services import paper_set_concepts, report_request

    prepared = prepare(config, ideas=ideas, log=log)
    User = get_user_model()
    moderator = User.objects.get(username="moderation")
    member = User.objects.get(username="ausschuss")
    seeded = Paper.objects.order_by("id").first()
    if seeded is None:
        raise RuntimeError("seed_demo made no paper")
    # the demo's paper is submitted and decided: the bench previews a draft of its own
    item = AgendaItem.objects.create(
        meeting=seeded.agenda_item.meeting, number="99", title="Benchmark: Beschlussvorlage"
    )
    paper = Paper.objects.create(
        agenda_item=item,
        department=seeded.department,
        date=seeded.date,
        resolution_proposal=seeded.resolution_proposal,
        preliminary_remarks=seeded.preliminary_remarks,
        created_by=moderator,
    )
    made = concepts_create(count=concepts, by=moderator)
    paper_set_concepts(paper=paper, concepts=made, by=moderator)

    worker = CeleryWorker(config, concurrency=worker_concurrency)
    worker.start()  # waits until it takes tasks
    try:
        with PeakRSS(worker.pid) as memory:
            started = time.perf_counter()
            with transaction.atomic():
                report = report_request(paper=paper, by=member)
            while True:
                report.refresh_from_db()
                if report.status in (Report.Status.DONE, Report.Status.FAILED):
                    break
                if not worker.alive():
                    raise RuntimeError(f"worker died:\n{worker.log_tail()}")
                if time.perf_counter() - started > 600:
                    raise RuntimeError("report not done after 600 s")
                time.sleep(0.05)
            seconds = time.perf_counter() - started
    finally:
        worker.stop()
    if report.status != Report.Status.DONE:
        raise RuntimeError(f"report failed: {report.error_message}\n{worker.log_tail()}")

    html = report_html(paper_id=paper.pk, variant=report.variant, version=report.version)
    bare_seconds, bare_pages = bare_render(config, html, variant=report.variant)
    log(
        f"report: {seconds:.1f} s, {report.page_count} pages, peak RSS "
        f"{memory.peak_total_kib / 1024:.0f} MB, bare {bare_seconds:.1f} s"
    )
    return {
        "bench": "report",
        "ideas": ideas,
        "ideas_total": prepared["ideas_total"],
        "concepts": concepts,
        "seconds": round(seconds, 2),
        "peak_rss_mb": round(memory.peak_total_kib / 1024, 1),
        "peak_rss_largest_process_mb": round(memory.peak_process_kib / 1024, 1),
        "peak_pss_mb": round(memory.peak_pss_kib / 1024, 1),
        "worker_concurrency": worker_concurrency,
        "pages": report.page_count,
        "bare_pages": bare_pages,
        "bare_seconds": round(bare_seconds, 2),
        "overhead": round(seconds / bare_seconds, 3),
        "worker_seconds": round((report.finished_at - report.started_at).total_seconds(), 2),
        "queue_seconds": round((report.started_at - report.requested_at).total_seconds(), 3),
        "pdf_bytes": report.size,
        "html_bytes": len(html.encode()),
        "variant": report.variant,
    }
