from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkshopsConfig(AppConfig):
    name = "workshops"
    verbose_name = _("Workshops und Konzepte")

    def ready(self):
        from roundtable.notifications import registry

        from .calendar import workshop_entries_for
        from .models import Concept

        registry.register_followable(Concept, view_permission="workshops.view_concept")
        registry.register_calendar_source("workshops", workshop_entries_for)
