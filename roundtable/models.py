from django.db import models


class WorkerHeartbeat(models.Model):
    """The last sign of life of a Celery worker (see ``roundtable.celery``)."""

    hostname = models.CharField(max_length=255, unique=True)
    last_seen = models.DateTimeField()

    def __str__(self) -> str:
        return self.hostname
