from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OperationsConfig(AppConfig):
    """The bottom of the house: what every app may use to run well. The page cache and
    its cache backend, the worker heartbeat and health check, JSON logs, a clear answer
    while the database is away, idempotent form submissions. It imports no app."""

    name = "roundtable.operations"
    label = "operations"
    verbose_name = _("Betrieb")

    def ready(self):
        from . import pagecache

        pagecache.connect_signals()
