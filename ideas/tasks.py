from celery import shared_task

from . import services


@shared_task(autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def idea_status_notify(change_id: int) -> bool:
    """Tells an idea's author of a status change by e-mail (idempotent)."""
    return services.status_change_notify(change_id=change_id)
