from celery import shared_task

from . import services


@shared_task(autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def measure_notify_authors_task(measure_id: int, kind: str) -> bool:
    """Tells the authors of a measure's ideas that it started or is done (idempotent)."""
    return services.measure_notify_authors(measure_id=measure_id, kind=kind)
