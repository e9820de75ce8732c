from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CommitteesConfig(AppConfig):
    name = "roundtable.committees"
    label = "committees"
    verbose_name = _("Gremien")

    def ready(self):
        from roundtable.notifications import registry

        from .calendar import meeting_entries_for
        from .models import Paper

        registry.register_followable(Paper, view_permission="committees.view_paper")
        registry.register_calendar_source("committees", meeting_entries_for)
