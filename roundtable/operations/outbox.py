"""The one way the portal hands work to the worker.

``enqueue()`` writes an :class:`OutboxMessage` in the caller's transaction and publishes
it once that transaction has committed. ``publish()`` is the quick publish under it (one
connection attempt, no retries), also used for work that is a row of its own (reports).
Neither ever turns a committed action into an error: a broker that is down leaves the
message pending, and ``outbox_sweep`` publishes it again when the broker is back.
"""

import logging
from datetime import timedelta

from celery import current_app
from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from .health import workers_alive
from .models import OutboxMessage

logger = logging.getLogger(__name__)

DELIVER_TASK = "roundtable.operations.tasks.outbox_deliver"


def _task_name(task) -> str:
    return task if isinstance(task, str) else task.name


def publish(
    task, *, args: tuple = (), queue: str | None = None, countdown: float | None = None
) -> bool:
    """Hands ``task`` to the broker with one quick connection attempt: a user waits a
    fraction of a second for a broker that is down, not the default retries' several
    seconds. Returns whether the broker took it; never raises."""
    if current_app.conf.task_always_eager:  # Celery's own switch: run here, now
        current_app.loader.import_default_modules()  # the tasks a worker would know
        current_app.tasks[_task_name(task)].apply(args=args)
        return True
    options = {"countdown": countdown} if countdown else {}
    if queue:
        options["queue"] = queue
    try:
        with current_app.connection_for_write() as connection:
            connection.ensure_connection(
                max_retries=1, interval_start=0, interval_step=0, timeout=2
            )
            current_app.send_task(
                _task_name(task), args=args, retry=False, connection=connection, **options
            )
    except Exception:
        logger.warning("%s%r not published (broker unavailable)", _task_name(task), args)
        return False
    return True


def enqueue(
    task,
    *,
    kwargs: dict | None = None,
    queue: str | None = None,
    key: str | None = None,
    countdown: float = 0,
) -> OutboxMessage:
    """Writes a message for ``task`` (a Celery task or its name) with ``kwargs`` in the
    current transaction and publishes it after the commit.

    ``key`` makes the message unique: a second ``enqueue`` with the same key returns the
    first message instead of adding another (a double click, a task that runs twice).
    """
    queue = queue if queue is not None else settings.OUTBOX_DEFAULT_QUEUE
    fields = {
        "task": _task_name(task),
        "kwargs": kwargs or {},
        "queue": queue,
        "available_at": timezone.now() + timedelta(seconds=countdown),
    }
    if key is None:
        message = OutboxMessage.objects.create(**fields)
    else:
        message, created = OutboxMessage.objects.get_or_create(dedupe_key=key, defaults=fields)
        if not created:
            return message
    message_id = message.pk
    transaction.on_commit(
        lambda: _publish_message(message_id, queue=queue, countdown=countdown), robust=True
    )
    return message


def _publish_message(message_id: int, *, queue: str, countdown: float = 0) -> bool:
    published = publish(DELIVER_TASK, args=(message_id,), queue=queue, countdown=countdown)
    if published:
        OutboxMessage.objects.filter(pk=message_id).update(published_at=timezone.now())
    return published


def _claim(message_id: int, *, worker: str) -> OutboxMessage | None:
    """Takes the message for one lease, or says someone else has it or it is done."""
    now = timezone.now()
    lease = timedelta(seconds=settings.OUTBOX_LEASE_SECONDS)
    with transaction.atomic():
        # waits for a lock rather than skipping the row: the publisher marks the row
        # published right after handing the message over, and a worker quick enough to
        # find that UPDATE still running must not give the message up (it waited for the
        # sweep, a minute). Claims are short; a row claimed meanwhile no longer matches.
        message = (
            OutboxMessage.objects.select_for_update()
            .filter(pk=message_id, state=OutboxMessage.State.PENDING)
            .filter(Q(claimed_until__isnull=True) | Q(claimed_until__lt=now))
            .first()
        )
        if message is None:
            return None
        message.attempts += 1
        message.claimed_until = now + lease
        message.claimed_by = worker
        message.save(update_fields=["attempts", "claimed_until", "claimed_by"])
        return message


def outbox_deliver(*, message_id: int, worker: str = "") -> bool:
    """Runs the message's task body in this worker, once. Returns whether it ran now."""
    message = _claim(message_id, worker=worker)
    if message is None:
        return False
    try:
        if message.task not in current_app.tasks:  # not imported here yet (no worker)
            current_app.loader.import_default_modules()
        current_app.tasks[message.task].run(**message.kwargs)
    except Exception as exc:
        failed = message.attempts >= settings.OUTBOX_MAX_ATTEMPTS
        log = logger.error if failed else logger.warning
        log(
            "outbox %s (%s) attempt %s failed",
            message.pk,
            message.task,
            message.attempts,
            exc_info=True,
        )
        backoff = settings.OUTBOX_RETRY_SECONDS * 2 ** (message.attempts - 1)
        OutboxMessage.objects.filter(pk=message.pk).update(
            state=OutboxMessage.State.FAILED if failed else OutboxMessage.State.PENDING,
            claimed_until=None,
            published_at=None,  # the sweep publishes the retry once it is due
            available_at=timezone.now() + timedelta(seconds=backoff),
            last_error=f"{exc.__class__.__name__}: {exc}"[:2000],
        )
        return False
    OutboxMessage.objects.filter(pk=message.pk).update(
        state=OutboxMessage.State.DONE, done_at=timezone.now(), claimed_until=None
    )
    return True


def _release_claims_of_dead_workers(now) -> int:
    """A claim whose worker has no fresh heartbeat is given up now, not when its lease
    ends: the message is delivered again within a minute of the worker's death."""
    claimed = OutboxMessage.objects.filter(
        state=OutboxMessage.State.PENDING, claimed_until__gte=now
    ).exclude(claimed_by="")
    if not claimed.exists():
        return 0
    released = claimed.exclude(claimed_by__in=workers_alive()).update(
        claimed_until=None, published_at=None
    )
    if released:
        logger.warning("outbox: %s message(s) of dead workers released", released)
    return released


def outbox_sweep(*, limit: int = 500) -> int:
    """Publishes again what is due and nobody works on: messages the broker lost (or
    never took), retries whose time has come, and claims of workers that died."""
    now = timezone.now()
    _release_claims_of_dead_workers(now)
    republish_before = now - timedelta(seconds=settings.OUTBOX_REPUBLISH_SECONDS)
    due = list(
        OutboxMessage.objects.filter(state=OutboxMessage.State.PENDING, available_at__lte=now)
        .filter(Q(claimed_until__isnull=True) | Q(claimed_until__lt=now))
        .filter(Q(published_at__isnull=True) | Q(published_at__lt=republish_before))
        .order_by("available_at")
        .values_list("pk", "queue")[:limit]
    )
    published = sum(_publish_message(pk, queue=queue) for pk, queue in due)
    if due:
        logger.info("outbox sweep: %s of %s due message(s) published", published, len(due))
    return published


def outbox_purge(*, days: int = 30) -> int:
    """Delivered messages are kept a while for the record, then removed."""
    cutoff = timezone.now() - timedelta(days=days)
    deleted, _ = OutboxMessage.objects.filter(
        state=OutboxMessage.State.DONE, done_at__lt=cutoff
    ).delete()
    return deleted
