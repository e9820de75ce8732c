from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ParticipantsConfig(AppConfig):
    name = "participants"
    verbose_name = _("Beteiligte")

    def ready(self):
        from django.contrib.auth.signals import user_logged_in

        from roundtable.operations.health import health_check_register

        from .directory.services import directory_health
        from .middleware import session_touched_at_login

        user_logged_in.connect(session_touched_at_login, dispatch_uid="participants-session-touch")
        # the directory login is reported by /healthz (as degraded when away), once configured
        health_check_register("directory", directory_health)
