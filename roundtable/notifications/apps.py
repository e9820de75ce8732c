from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    """Telling people what happened: notifications (bell, e-mail, daily digest), follows
    and calendars. One floor above participants: the apps above call its services with
    their events and register what may be followed and what goes into a calendar feed;
    it imports none of them."""

    name = "roundtable.notifications"
    label = "notifications"
    verbose_name = _("Benachrichtigungen")
