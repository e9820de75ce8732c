"""Workshops and the concepts moderators build from ideas."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from ideas.models import Idea
from participants.models import Department, Municipality, Organisation


class Workshop(models.Model):
    title = models.CharField(_("Titel"), max_length=200)
    starts_at = models.DateTimeField(_("Beginn"))
    ends_at = models.DateTimeField(_("Ende"), null=True, blank=True)
    place = models.CharField(_("Ort"), max_length=200, blank=True)
    moderators = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("Moderation"),
        blank=True,
        related_name="moderated_workshops",
    )
    participants = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("Eingeladene Personen"),
        blank=True,
        related_name="workshops",
    )
    attendees = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("Anwesend"),
        blank=True,
        related_name="attended_workshops",
    )
    departments = models.ManyToManyField(
        Department, verbose_name=_("Eingeladene Ämter"), blank=True, related_name="workshops"
    )
    organisations = models.ManyToManyField(
        Organisation,
        verbose_name=_("Eingeladene Organisationen"),
        blank=True,
        related_name="workshops",
    )
    agenda = models.TextField(_("Tagesordnung"), blank=True)
    minutes = models.TextField(_("Protokoll"), blank=True)
    ideas = models.ManyToManyField(
        Idea, verbose_name=_("Behandelte Ideen"), blank=True, related_name="workshops"
    )
    created = models.DateTimeField(auto_now_add=True)
    modified = models.DateTimeField(auto_now=True)
    history = HistoricalRecords(m2m_fields=[])

    class Meta:
        ordering = ["-starts_at"]
        verbose_name = _("Workshop")
        verbose_name_plural = _("Workshops")

    def __str__(self) -> str:
        return self.title


class Concept(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Entwurf")
        IN_COORDINATION = "in_coordination", _("in Abstimmung")
        COORDINATED = "coordinated", _("abgestimmt")
        SUBMITTED = "submitted", _("dem Ausschuss vorgelegt")
        ADOPTED = "adopted", _("beschlossen")
        REJECTED = "rejected", _("abgelehnt")
        IN_IMPLEMENTATION = "in_implementation", _("in Umsetzung")
        IMPLEMENTED = "implemented", _("umgesetzt")

    title = models.CharField(_("Titel"), max_length=200)
    summary = models.TextField(_("Zusammenfassung"), blank=True)
    goals = models.TextField(_("Ziele"), blank=True)
    workshop = models.ForeignKey(
        Workshop,
        verbose_name=_("Workshop"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="concepts",
    )
    responsible_departments = models.ManyToManyField(
        Department,
        verbose_name=_("Verantwortliche Ämter"),
        blank=True,
        related_name="concepts",
    )
    responsible_organisations = models.ManyToManyField(
        Organisation,
        verbose_name=_("Verantwortliche Organisationen"),
        blank=True,
        related_name="concepts",
    )
    municipalities = models.ManyToManyField(
        Municipality,
        verbose_name=_("Betroffene Städte und Gemeinden"),
        blank=True,
        related_name="concepts",
    )
    status = models.CharField(
        _("Status"), max_length=20, choices=Status.choices, default=Status.DRAFT
    )
    position = models.PositiveIntegerField(_("Reihenfolge"), default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created = models.DateTimeField(auto_now_add=True)
    modified = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["position", "id"]
        verbose_name = _("Konzept")
        verbose_name_plural = _("Konzepte")

    def __str__(self) -> str:
        return self.title


class ConceptMeasure(models.Model):
    """One measure of a concept, in the concept's order."""

    concept = models.ForeignKey(Concept, on_delete=models.CASCADE, related_name="measures")
    position = models.PositiveIntegerField(_("Reihenfolge"), default=0)
    text = models.TextField(_("Maßnahme"), max_length=2000)

    class Meta:
        ordering = ["position", "id"]
        verbose_name = _("Maßnahme")
        verbose_name_plural = _("Maßnahmen")

    def __str__(self) -> str:
        return self.text[:80]


class ConceptIdea(models.Model):
    """An idea taken up by a concept. An idea is in at most one concept."""

    concept = models.ForeignKey(Concept, on_delete=models.CASCADE, related_name="idea_links")
    idea = models.OneToOneField(Idea, on_delete=models.CASCADE, related_name="concept_link")
    position = models.PositiveIntegerField(_("Reihenfolge"), default=0)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["position", "id"]
        verbose_name = _("Idee im Konzept")
        verbose_name_plural = _("Ideen im Konzept")
