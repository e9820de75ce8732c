"""Notifications, follows, the delivery each person chose per kind, calendar feeds."""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _


class Kind(models.TextChoices):
    """What a notification is about; each person chooses a delivery per kind."""

    IDEA_STATUS = "idea_status", _("Status und Rückmeldung der Moderation zu meiner Idee")
    COMMENT = "comment", _("Kommentare und Antworten zu dem, dem ich folge")
    IDEA_IN_CONCEPT = "idea_in_concept", _("Meine Idee wurde in ein Konzept übernommen")
    SIGNOFF_REQUESTED = "signoff_requested", _("Mitzeichnung durch mein Amt erbeten")
    REPORT_READY = "report_ready", _("Bericht (PDF) zu einer Beschlussvorlage fertig")
    DECISION = "decision", _("Beschluss eines Gremiums zu einem Konzept mit meiner Idee")
    MEASURE = "measure", _("Maßnahme zu meiner Idee begonnen oder umgesetzt")
    INVITATION = "invitation", _("Einladungen zu Workshops und Sitzungen")


class Delivery(models.TextChoices):
    IMMEDIATE = "immediate", _("sofort per E-Mail")
    DIGEST = "digest", _("täglich um 7 Uhr in einer Zusammenfassung per E-Mail")
    PORTAL = "portal", _("nur im Portal")


#: What a person gets who has chosen nothing for a kind.
DEFAULT_DELIVERY: dict[str, str] = {
    Kind.IDEA_STATUS: Delivery.IMMEDIATE,
    Kind.COMMENT: Delivery.DIGEST,
    Kind.IDEA_IN_CONCEPT: Delivery.IMMEDIATE,
    Kind.SIGNOFF_REQUESTED: Delivery.IMMEDIATE,
    Kind.REPORT_READY: Delivery.IMMEDIATE,
    Kind.DECISION: Delivery.IMMEDIATE,
    Kind.MEASURE: Delivery.IMMEDIATE,
    Kind.INVITATION: Delivery.IMMEDIATE,
}


class Notification(models.Model):
    """One thing one person is told, written in the transaction of the event itself.

    ``text`` is a German message id with ``%(name)s`` placeholders, translated when it
    is shown; ``params`` fills it. ``detail`` is what a person wrote (a moderator's
    feedback) and is shown as it is. The e-mail (at once or in the digest) is sent from
    this row, once: ``emailed_at`` marks it.
    """

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(_("Art"), max_length=30, choices=Kind.choices)
    text = models.CharField(_("Text"), max_length=300)
    params = models.JSONField(default=dict, blank=True)
    detail = models.TextField(_("Einzelheiten"), blank=True, max_length=5000)
    link = models.CharField(_("Verweis"), max_length=500, blank=True)
    target_type = models.ForeignKey(
        ContentType, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    target_id = models.CharField(max_length=64, blank=True)
    target = GenericForeignKey("target_type", "target_id")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    delivery = models.CharField(
        _("Zustellung"), max_length=20, choices=Delivery.choices, default=Delivery.PORTAL
    )
    # files sent with the e-mail, e.g. an invitation's .ics: [{name, type, content}]
    attachments = models.JSONField(default=list, blank=True)
    created = models.DateTimeField(_("erstellt am"), default=timezone.now)
    read_at = models.DateTimeField(_("gelesen am"), null=True, blank=True)
    emailed_at = models.DateTimeField(_("per E-Mail versandt am"), null=True, blank=True)

    class Meta:
        ordering = ["-created", "-id"]
        verbose_name = _("Benachrichtigung")
        verbose_name_plural = _("Benachrichtigungen")
        indexes = [
            models.Index(fields=["recipient", "-created", "-id"], name="notification_list"),
            models.Index(
                fields=["recipient"],
                condition=models.Q(read_at__isnull=True),
                name="notification_unread",
            ),
            models.Index(
                fields=["recipient"],
                condition=models.Q(delivery="digest", emailed_at__isnull=True),
                name="notification_digest_due",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.recipient}: {self.kind}"

    @property
    def is_unread(self) -> bool:
        return self.read_at is None

    @property
    def message(self) -> str:
        """The text in the current language. ``%(actor)s`` is the actor's name as it is
        now, so a person's erased name does not live on in others' notifications."""
        template = gettext(self.text)
        params = dict(self.params)
        if "%(actor)s" in self.text:
            actor = self.actor
            params["actor"] = (
                (actor.get_full_name() or actor.get_username()) if actor else gettext("Jemand")
            )
        if not params:
            return template
        try:
            return template % params
        except (KeyError, TypeError, ValueError):
            return self.text


class Follow(models.Model):
    """A person follows an idea, a concept or a paper (anything registered as followable)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="follows"
    )
    target_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    target_id = models.CharField(max_length=64)
    target = GenericForeignKey("target_type", "target_id")
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created", "-id"]
        verbose_name = _("Folgen")
        verbose_name_plural = _("Gefolgtes")
        constraints = [
            models.UniqueConstraint(fields=["user", "target_type", "target_id"], name="follow_once")
        ]
        indexes = [models.Index(fields=["target_type", "target_id"], name="follow_target")]


class DeliverySetting(models.Model):
    """How a person wants to hear of one kind of notification (DEFAULT_DELIVERY if none)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="delivery_settings"
    )
    kind = models.CharField(_("Art"), max_length=30, choices=Kind.choices)
    delivery = models.CharField(_("Zustellung"), max_length=20, choices=Delivery.choices)

    class Meta:
        verbose_name = _("Einstellung für Benachrichtigungen")
        verbose_name_plural = _("Einstellungen für Benachrichtigungen")
        constraints = [
            models.UniqueConstraint(fields=["user", "kind"], name="delivery_setting_once")
        ]


class CalendarFeed(models.Model):
    """A person's calendar subscription. The secret in its address is derived from
    ``nonce`` with the portal's SECRET_KEY (see ``selectors.calendar_feed_token``), so the
    database holds nothing a reader could subscribe with; a new nonce revokes the old
    address, deleting the row ends the subscription."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_feed"
    )
    nonce = models.CharField(max_length=64)
    created = models.DateTimeField(auto_now_add=True)
    last_fetched = models.DateTimeField(_("zuletzt abgerufen"), null=True, blank=True)

    class Meta:
        verbose_name = _("Kalender-Abo")
        verbose_name_plural = _("Kalender-Abos")
