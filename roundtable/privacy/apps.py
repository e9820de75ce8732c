from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PrivacyConfig(AppConfig):
    name = "roundtable.privacy"
    label = "privacy"
    verbose_name = _("Datenschutz und Rechtliches")

    def ready(self):
        from celery.schedules import crontab
        from django.conf import settings

        settings.CELERY_BEAT_SCHEDULE["privacy-retention"] = {
            "task": "roundtable.privacy.tasks.privacy_retention_sweep",
            "schedule": crontab(hour=3, minute=17),
        }
