from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RoundtableConfig(AppConfig):
    name = "roundtable"
    verbose_name = _("Runder Tisch")
