from datetime import timedelta

from celery import shared_task
from django.core.management import call_command
from django.utils import timezone

from . import outbox
from .models import IdempotencyKey


@shared_task
def idempotency_keys_purge() -> int:
    """A key protects against a retry within minutes; after a day it is only clutter."""
    cutoff = timezone.now() - timedelta(days=1)
    deleted, _ = IdempotencyKey.objects.filter(created__lt=cutoff).delete()
    return deleted


@shared_task(name="roundtable.operations.tasks.outbox_deliver", bind=True)
def outbox_deliver(self, message_id: int) -> bool:
    return outbox.outbox_deliver(message_id=message_id, worker=self.request.hostname or "")


@shared_task(name="roundtable.operations.tasks.outbox_sweep")
def outbox_sweep() -> int:
    return outbox.outbox_sweep()


@shared_task(name="roundtable.operations.tasks.outbox_purge")
def outbox_purge() -> int:
    return outbox.outbox_purge()


@shared_task(name="roundtable.operations.tasks.sessions_clear")
def sessions_clear() -> None:
    """Expired sessions (anonymous drafts among them) go: the session table stays bounded."""
    call_command("clearsessions")
