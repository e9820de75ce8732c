from celery import shared_task

from . import services


@shared_task
def privacy_retention_sweep() -> int:
    return services.retention_apply()


@shared_task(autoretry_for=(OSError,), retry_backoff=30, max_retries=10)
def accessibility_feedback_send(feedback_id: int) -> bool:
    return services.accessibility_feedback_send(feedback_id=feedback_id)
