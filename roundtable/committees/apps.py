from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CommitteesConfig(AppConfig):
    name = "roundtable.committees"
    label = "committees"
    verbose_name = _("Gremien")

    def ready(self):
        from django.conf import settings

        settings.CELERY_BEAT_SCHEDULE["committees-report-sweep"] = {
            "task": "roundtable.committees.tasks.report_sweep",
            "schedule": float(settings.COMMITTEES_REPORT_SWEEP_SECONDS),
        }
