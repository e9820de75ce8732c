from datetime import timedelta

from celery import shared_task
from django.utils import timezone

from .models import IdempotencyKey


@shared_task
def idempotency_keys_purge() -> int:
    """A key protects against a retry within minutes; after a day it is only clutter."""
    cutoff = timezone.now() - timedelta(days=1)
    deleted, _ = IdempotencyKey.objects.filter(created__lt=cutoff).delete()
    return deleted
