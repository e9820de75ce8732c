"""Celery tasks of the workshops app: thin wrappers that load by id and call a service."""

from celery import shared_task

from . import services


@shared_task
def suggestion_run_task(run_id: int) -> None:
    services.suggestion_run_execute(run_id=run_id)


@shared_task
def signoff_reminder_send_task(reminder_id: int) -> None:
    services.signoff_reminder_send(reminder_id=reminder_id)
