"""The report pipeline with a REAL Celery worker process, and the faults it survives."""

import datetime
import logging
import re
import shutil
import subprocess
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse
from pypdf import PdfReader

from bench.harness import free_port, wait_until
from roundtable.committees import services
from roundtable.committees.models import Report, ReportDownload
from tests.committees.conftest import SLOW_RENDER, broker_at
from tests.committees.factories import paper_with_concepts

pytestmark = [pytest.mark.worker]

NOW = datetime.timedelta(0)


def wait_for(report_id, statuses, *, timeout=90, condition=None) -> Report:
    def reached():
        report = Report.objects.get(pk=report_id)
        if report.status in statuses and (condition is None or condition(report)):
            return report
        return None

    def still() -> str:
        report = Report.objects.get(pk=report_id)
        return f"report {report_id} still {report.status} ({report.progress} %)"

    return wait_until(reached, timeout=timeout, interval=0.25, message=still)


#: the worker's log line for a run of the report task that has ended, however it ended
REPORT_TASK_ENDED = re.compile(
    r"Task roundtable\.committees\.tasks\.report_generate\[[0-9a-f-]+\] "
    r"(?:succeeded|raised|failed|retry)"
)


def report_task_runs_ended(worker) -> int:
    return len(REPORT_TASK_ENDED.findall(worker.log()))


def report_files(paper) -> list[str]:
    folder = Path(settings.MEDIA_ROOT) / "reports" / str(paper.pk)
    return sorted(p.name for p in folder.iterdir()) if folder.exists() else []


@pytest.fixture(autouse=True)
def no_report_files_left():
    """Worker tests share the test media folder (the worker process writes there)."""
    shutil.rmtree(Path(settings.MEDIA_ROOT) / "reports", ignore_errors=True)


def restart_with(worker, *, extra_args: list[str] | None = None, **env) -> None:
    worker.stop()
    worker.env.update({key: str(value) for key, value in env.items()})
    worker.start(extra_args=extra_args)


def test_request_done_download(worker, client, committee_member):
    paper = paper_with_concepts(concepts=2, ideas_per_concept=2)
    client.force_login(committee_member)
    started = time.monotonic()
    response = client.post(reverse("committees:report_request", args=[paper.pk]), follow=True)
    # the notice at the top tells the state: queued, or already made by a quick worker
    notice = response.content.decode().split('id="report-notice"')[1].split("</div>")[0]
    assert re.search(r"in der Warteschlange|wird erstellt|ist fertig", notice), notice
    report = wait_for(Report.objects.get(paper=paper).pk, {"done", "failed"})
    elapsed = time.monotonic() - started
    assert report.status == "done", report.error_message
    print(f"report made by the worker in {elapsed:.1f} s, {report.page_count} pages")

    download = client.get(reverse("committees:report_download", args=[report.pk]))
    content = b"".join(download.streaming_content)
    assert download["Content-Disposition"].startswith("attachment;")
    reader = PdfReader(__import__("io").BytesIO(content))
    text = "".join(page.extract_text() for page in reader.pages)
    joined = "".join(text.split()).replace("\u2010", "").replace("-", "")
    assert "RunderTischzurIntegrationvonAusländernundAussiedlern" in joined
    for link in paper.concept_links.all():
        assert "".join(link.concept.title.split()).replace("-", "") in joined
        for idea_link in link.concept.idea_links.all():
            assert "".join(idea_link.idea.title.split()).replace("-", "") in joined
    assert f"Seite 1 von {len(reader.pages)}" in text
    assert reader.trailer["/Root"]["/Lang"] == "de"
    assert "/StructTreeRoot" in reader.trailer["/Root"]
    assert ReportDownload.objects.filter(report=report, user=committee_member).count() == 1
    assert report_files(paper) == [f"{report.pk}.pdf"]


def test_worker_killed_mid_render_then_restarted(worker, committee_member):
    restart_with(worker, extra_args=SLOW_RENDER, SLOW_RENDER_STEP_SECONDS=2)
    paper = paper_with_concepts(concepts=1, ideas_per_concept=1)
    report = services.report_request(paper=paper, by=committee_member)
    running = wait_for(report.pk, {"running"}, timeout=60, condition=lambda r: r.progress >= 30)
    worker.kill()
    assert Report.objects.get(pk=report.pk).status == "running"
    assert running.attempts == 1

    worker.start()  # at normal speed
    # the periodic sweep finds the dead run; here with a threshold of zero instead of minutes
    assert report.pk in services.report_requeue_stuck(running_older_than=NOW)
    done = wait_for(report.pk, {"done", "failed"})
    assert done.status == "done", done.error_message
    assert done.attempts == 2
    assert report_files(paper) == [f"{report.pk}.pdf"]
    assert (Path(settings.MEDIA_ROOT) / done.file.name).read_bytes().startswith(b"%PDF-")
    # the lost message arriving late (or twice) changes nothing: once the worker has run it
    ended = report_task_runs_ended(worker)
    assert services.report_enqueue(report_id=report.pk)
    wait_until(
        lambda: report_task_runs_ended(worker) > ended,
        timeout=60,
        message=lambda: worker.log()[-5000:],
    )
    again = Report.objects.get(pk=report.pk)
    assert (again.status, again.attempts, again.sha256) == ("done", 2, done.sha256)
    assert report_files(paper) == [f"{report.pk}.pdf"]


def test_rendering_that_raises_fails_after_three_attempts(worker, committee_member):
    restart_with(
        worker,
        COMMITTEES_REPORT_TEMPLATE="committees/does_not_exist.html",
        COMMITTEES_REPORT_RETRY_DELAY=0.5,
    )
    paper = paper_with_concepts(concepts=1, ideas_per_concept=0)
    report = services.report_request(paper=paper, by=committee_member)
    failed = wait_for(report.pk, {"failed", "done"})
    assert failed.status == "failed"
    assert failed.attempts == 3
    assert "nach 3 Versuchen nicht erstellt" in failed.error_message
    assert not failed.file
    assert report_files(paper) == []


@pytest.mark.skipif(
    not settings.REDIS_URL, reason="needs Redis: set REDIS_URL=redis://... (a broker that can stop)"
)
@pytest.mark.skipif(not shutil.which("redis-server"), reason="redis-server is not installed")
def test_broker_down_on_request_then_back(worker, client, committee_member, tmp_path, caplog):
    """A private redis-server on a free port stands in for the broker, so that stopping
    it disturbs nobody else."""
    port = free_port()
    url = f"redis://127.0.0.1:{port}/0"

    def redis_start():
        subprocess.run(
            [
                "redis-server",
                "--daemonize",
                "yes",
                "--bind",
                "127.0.0.1",
                "--port",
                str(port),
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                str(tmp_path),
                "--logfile",
                str(tmp_path / "redis.log"),
            ],
            check=True,
        )
        wait_until(redis_answers, timeout=5, interval=0.1, message="redis-server did not start")

    def redis_answers() -> bool:
        ping = subprocess.run(["redis-cli", "-p", str(port), "ping"], capture_output=True)
        return ping.stdout.strip() == b"PONG"

    def redis_stop():
        subprocess.run(["redis-cli", "-p", str(port), "shutdown", "nosave"], capture_output=True)
        wait_until(lambda: not redis_answers(), timeout=10, interval=0.1, message="redis runs")

    redis_start()
    try:
        with broker_at(url):
            restart_with(worker, REDIS_URL=url)
            redis_stop()
            paper = paper_with_concepts(concepts=1, ideas_per_concept=1)
            client.force_login(committee_member)
            url_request = reverse("committees:report_request", args=[paper.pk])
            with caplog.at_level(logging.WARNING, logger="roundtable.operations.outbox"):
                response = client.post(url_request, follow=True)
            assert response.status_code == 200
            assert "in der Warteschlange" in response.content.decode()
            report = Report.objects.get(paper=paper)
            # the message never left this process: the row waits for the sweep
            assert f"report_generate('{report.pk}',) not published (broker unavailable)" in (
                caplog.text
            )
            assert Report.objects.get(pk=report.pk).status == "queued"

            redis_start()  # empty: the message never reached it
            # as beat would, every few seconds: the worker reconnects with a back-off
            deadline = time.monotonic() + 120
            while Report.objects.get(pk=report.pk).status == "queued":
                assert time.monotonic() < deadline, worker.log()[-5000:]
                services.report_requeue_stuck(queued_older_than=NOW)
                time.sleep(5)
            done = wait_for(report.pk, {"done", "failed"}, timeout=60)
            assert done.status == "done", done.error_message
            assert report_files(paper) == [f"{report.pk}.pdf"]
    finally:
        worker.stop()
        redis_stop()
