from django.conf import settings
from django.db import models


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
