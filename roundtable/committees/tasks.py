"""Thin Celery wrappers: load by id, call one service."""

from celery import shared_task
from celery.signals import worker_process_init

from . import services


@worker_process_init.connect(dispatch_uid="committees-pdf-renderer-loaded")
def pdf_renderer_loaded(**kwargs) -> None:
    """Each pool child loads the PDF renderer (WeasyPrint) when it starts, so that a
    report does not wait for the import: ~0.5 s of the bench's 1,000-idea report, for
    ~45 MB in each pool child (docs/benchmarks.md)."""
    from . import pdf  # noqa: F401


@shared_task(name="roundtable.committees.tasks.report_generate", bind=True)
def report_generate_task(self, report_id: str) -> None:
    services.report_generate(report_id=report_id, worker=self.request.hostname or "")


@shared_task(name="roundtable.committees.tasks.report_sweep")
def report_sweep() -> int:
    return len(services.report_requeue_stuck())
