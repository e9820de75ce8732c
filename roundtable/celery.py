"""The Celery app of the portal.

Configuration comes from Django's settings (``CELERY_*``). The worker keeps a
heartbeat row in the database so that ``/healthz`` can tell whether a worker is
alive with any broker, the embedded filesystem transport included.
"""

import os

from celery import Celery, bootsteps

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "roundtable.settings")

app = Celery("roundtable")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


class HeartbeatStep(bootsteps.StartStopStep):
    """Writes ``WorkerHeartbeat`` every few seconds from the worker's main process."""

    requires = {"celery.worker.components:Timer"}

    def __init__(self, worker, **kwargs):
        super().__init__(worker, **kwargs)
        self.tref = None

    def start(self, worker):
        from django.conf import settings

        from roundtable.operations.health import worker_heartbeat_beat

        worker_heartbeat_beat(hostname=worker.hostname)
        self.tref = worker.timer.call_repeatedly(
            settings.WORKER_HEARTBEAT_SECONDS,
            worker_heartbeat_beat,
            kwargs={"hostname": worker.hostname},
            priority=10,
        )

    def stop(self, worker):
        from roundtable.operations.health import worker_heartbeat_clear

        if self.tref is not None:
            self.tref.cancel()
            self.tref = None
        worker_heartbeat_clear(hostname=worker.hostname)


app.steps["worker"].add(HeartbeatStep)
