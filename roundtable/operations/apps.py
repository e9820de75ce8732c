from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OperationsConfig(AppConfig):
    """Running the portal: JSON logs, a clear answer while the database is away, and
    idempotent form submissions (a retried POST is not stored twice)."""

    name = "roundtable.operations"
    label = "operations"
    verbose_name = _("Betrieb")

    def ready(self):
        from django.conf import settings

        from roundtable import pagecache

        pagecache.connect_signals()

        settings.CELERY_BEAT_SCHEDULE["operations-idempotency-cleanup"] = {
            "task": "roundtable.operations.tasks.idempotency_keys_purge",
            "schedule": 3600.0,
        }
