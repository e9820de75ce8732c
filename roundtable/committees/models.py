"""Committees, their meetings and agenda items: where the round table's results
reach the political bodies."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from participants.models import Body


class Committee(models.Model):
    class Kind(models.TextChoices):
        COMMITTEE = "committee", _("Ausschuss")
        COUNCIL = "council", _("Kreistag")
        OTHER = "other", _("Sonstiges Gremium")

    body = models.ForeignKey(Body, on_delete=models.PROTECT, related_name="committees")
    name = models.CharField(_("Name"), max_length=200, unique=True)
    short_name = models.CharField(_("Kurzname"), max_length=50, blank=True)
    kind = models.CharField(_("Art"), max_length=20, choices=Kind.choices, default=Kind.COMMITTEE)
    created = models.DateTimeField(auto_now_add=True)
    modified = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("Gremium")
        verbose_name_plural = _("Gremien")

    def __str__(self) -> str:
        return self.name


class Meeting(models.Model):
    committee = models.ForeignKey(
        Committee, verbose_name=_("Gremium"), on_delete=models.PROTECT, related_name="meetings"
    )
    starts_at = models.DateTimeField(_("Beginn"))
    ends_at = models.DateTimeField(_("Ende"), null=True, blank=True)
    place = models.CharField(_("Ort"), max_length=200, blank=True)
    created = models.DateTimeField(auto_now_add=True)
    modified = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["starts_at"]
        verbose_name = _("Sitzung")
        verbose_name_plural = _("Sitzungen")

    def __str__(self) -> str:
        return f"{self.committee} – {self.starts_at:%d.%m.%Y}"


class AgendaItem(models.Model):
    meeting = models.ForeignKey(
        Meeting, verbose_name=_("Sitzung"), on_delete=models.CASCADE, related_name="agenda_items"
    )
    number = models.CharField(_("Nummer"), max_length=20)
    title = models.CharField(_("Titel"), max_length=300)
    subtitle = models.CharField(_("hier"), max_length=300, blank=True)
    is_public = models.BooleanField(_("öffentlicher Sitzungsteil"), default=True)
    position = models.PositiveIntegerField(_("Reihenfolge"), default=0)
    created = models.DateTimeField(auto_now_add=True)
    modified = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["meeting", "position", "id"]
        verbose_name = _("Tagesordnungspunkt")
        verbose_name_plural = _("Tagesordnungspunkte")

    def __str__(self) -> str:
        return f"TO-Pkt. {self.number}: {self.title}"
