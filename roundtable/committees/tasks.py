"""Thin Celery wrappers: load by id, call one service."""

from celery import shared_task

from . import services


@shared_task(name="roundtable.committees.tasks.report_generate")
def report_generate_task(report_id: str) -> None:
    services.report_generate(report_id=report_id)


@shared_task(name="roundtable.committees.tasks.report_sweep")
def report_sweep() -> int:
    return len(services.report_requeue_stuck())
