from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class IdempotencyKey(models.Model):
    """A POST that carried an idempotency key and succeeded, with how it was answered.

    Written in the same transaction as the view's own writes: either both are stored
    or neither, so a retry after any failure is either replayed or done afresh.
    """

    key = models.UUIDField()
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, null=True, related_name="+"
    )
    path = models.CharField(max_length=500)
    status_code = models.PositiveSmallIntegerField(null=True)
    location = models.CharField(max_length=2000, blank=True)
    created = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["key", "user", "path"], name="idempotency_key_once"),
        ]


class WorkerHeartbeat(models.Model):
    """The last sign of life of a Celery worker (see ``roundtable.celery``)."""

    hostname = models.CharField(max_length=255, unique=True)
    last_seen = models.DateTimeField()

    def __str__(self) -> str:
        return self.hostname


class OutboxMessage(models.Model):
    """A side effect (an e-mail, a notification, a run in the worker) written in the same
    transaction as the change that causes it, and delivered by the worker afterwards.

    The row, not the broker, is the truth: a message the broker lost, or whose worker
    died, is published again by the sweep (``outbox_sweep``) until it is done. Delivery
    claims the row for a lease, runs the task's body outside any long transaction and
    marks it done, so a message is delivered once; only a worker killed between the
    effect and the mark can repeat it, after the lease.
    """

    class State(models.TextChoices):
        PENDING = "pending", _("ausstehend")
        DONE = "done", _("erledigt")
        FAILED = "failed", _("fehlgeschlagen")

    task = models.CharField(max_length=200)
    kwargs = models.JSONField(default=dict)
    queue = models.CharField(max_length=50, blank=True)
    dedupe_key = models.CharField(max_length=200, null=True, blank=True, unique=True)
    state = models.CharField(max_length=10, choices=State.choices, default=State.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    available_at = models.DateTimeField(default=timezone.now)
    claimed_until = models.DateTimeField(null=True, blank=True)
    claimed_by = models.CharField(max_length=255, blank=True)  # the worker's hostname
    published_at = models.DateTimeField(null=True, blank=True)
    created = models.DateTimeField(auto_now_add=True)
    done_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)

    class Meta:
        indexes = [models.Index(fields=["state", "available_at"], name="outbox_due")]

    def __str__(self) -> str:
        return f"{self.task} #{self.pk} ({self.state})"


class PageCacheGeneration(models.Model):
    """The page cache's generations, kept where the writes are (``pagecache.py``): a
    counter per group, bumped in the writing transaction and again after its commit.
    Redis holds only the pages; a page whose generation is not the database's current
    one is never served, whatever Redis missed (a stall, a restart, lost data).

    On PostgreSQL the main generation ("") is a sequence (``operations_pagecache_seq``),
    bumped without a row lock, so concurrent writers never wait for each other."""

    name = models.CharField(max_length=100, primary_key=True)
    value = models.BigIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.name or 'pages'}: {self.value}"
