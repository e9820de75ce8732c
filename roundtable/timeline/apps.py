from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TimelineConfig(AppConfig):
    name = "roundtable.timeline"
    label = "timeline"
    verbose_name = _("Zeitraster")

    def ready(self):
        from django.core.signals import request_finished, request_started
        from django.db.models.signals import post_delete, post_save

        from . import selectors
        from .models import Phase

        request_started.connect(selectors.request_memo_start, dispatch_uid="phase-memo-start")
        request_finished.connect(selectors.request_memo_end, dispatch_uid="phase-memo-end")
        for signal in (post_save, post_delete):
            signal.connect(
                selectors.request_memo_forget, sender=Phase, dispatch_uid=f"phase-memo-{id(signal)}"
            )
