"""Implementation of adopted concepts in the municipalities: measures, their
milestones and progress notes."""

from django.conf import settings
from django.core.validators import MaxValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from participants.models import Department, Municipality, Organisation
from roundtable.operations.statemachine import StateMachine
from workshops.models import Concept


class Measure(models.Model):
    """One implementation measure (Umsetzungsmaßnahme) of an adopted concept."""

    class Status(models.TextChoices):
        PLANNED = "planned", _("geplant")
        STARTED = "started", _("begonnen")
        DONE = "done", _("umgesetzt")
        CANCELLED = "cancelled", _("eingestellt")

    concept = models.ForeignKey(
        Concept,
        verbose_name=_("Konzept"),
        on_delete=models.PROTECT,
        related_name="implementation_measures",
    )
    title = models.CharField(_("Titel"), max_length=200)
    description = models.TextField(_("Beschreibung"), blank=True, max_length=10000)
    responsible_department = models.ForeignKey(
        Department,
        verbose_name=_("Verantwortliches Amt"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="implementation_measures",
    )
    responsible_organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("Verantwortliche Organisation"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="implementation_measures",
    )
    municipalities = models.ManyToManyField(
        Municipality,
        verbose_name=_("Beteiligte Städte und Gemeinden"),
        blank=True,
        related_name="implementation_measures",
        help_text=_("Keine Auswahl bedeutet: kreisweit."),
    )
    status = models.CharField(
        _("Status"), max_length=20, choices=Status.choices, default=Status.PLANNED, db_index=True
    )
    progress = models.PositiveSmallIntegerField(
        _("Fortschritt in Prozent"), default=0, validators=[MaxValueValidator(100)]
    )
    starts_on = models.DateField(_("Beginn"), null=True, blank=True)
    ends_on = models.DateField(_("Geplantes Ende"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created = models.DateTimeField(auto_now_add=True)
    modified = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["concept_id", "title", "id"]
        verbose_name = _("Umsetzungsmaßnahme")
        verbose_name_plural = _("Umsetzungsmaßnahmen")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(progress__lte=100), name="measure_progress_le_100"
            ),
            models.CheckConstraint(
                condition=(
                    models.Q(responsible_department__isnull=False)
                    & models.Q(responsible_organisation__isnull=True)
                )
                | (
                    models.Q(responsible_department__isnull=True)
                    & models.Q(responsible_organisation__isnull=False)
                ),
                name="measure_department_xor_organisation",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("implementation:measure_detail", args=[self.pk])

    @property
    def responsible(self):
        return self.responsible_department or self.responsible_organisation


_S = Measure.Status
#: Which status of a measure may follow which.
MEASURE_TRANSITIONS = StateMachine(
    {
        _S.PLANNED: {_S.STARTED, _S.CANCELLED},
        _S.STARTED: {_S.DONE, _S.CANCELLED, _S.PLANNED},
        _S.DONE: {_S.STARTED},
        _S.CANCELLED: {_S.PLANNED},
    },
    choices=Measure.Status,
    message=_("Eine Maßnahme kann nicht von „%(from)s“ zu „%(to)s“ wechseln."),
)


class Milestone(models.Model):
    measure = models.ForeignKey(Measure, on_delete=models.CASCADE, related_name="milestones")
    title = models.CharField(_("Meilenstein"), max_length=200)
    due_on = models.DateField(_("geplant zum"))
    done_on = models.DateField(_("erreicht am"), null=True, blank=True)
    created = models.DateTimeField(auto_now_add=True)
    modified = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["due_on", "id"]
        verbose_name = _("Meilenstein")
        verbose_name_plural = _("Meilensteine")

    def __str__(self) -> str:
        return self.title


class ProgressNote(models.Model):
    """A dated note on how a measure is going, with the percentage at that time."""

    measure = models.ForeignKey(Measure, on_delete=models.CASCADE, related_name="notes")
    text = models.TextField(_("Fortschrittsnotiz"), max_length=5000)
    progress = models.PositiveSmallIntegerField(
        _("Fortschritt in Prozent"), validators=[MaxValueValidator(100)]
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created", "-id"]
        verbose_name = _("Fortschrittsnotiz")
        verbose_name_plural = _("Fortschrittsnotizen")


class MeasureNotice(models.Model):
    """That the authors of a measure's ideas were told (a notification) of an event: one
    per measure and event, so a status that goes back and forth tells them once."""

    class Kind(models.TextChoices):
        STARTED = "started", _("begonnen")
        DONE = "done", _("umgesetzt")

    measure = models.ForeignKey(Measure, on_delete=models.CASCADE, related_name="notices")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    created = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    recipients = models.JSONField(default=list, blank=True)

    class Meta:
        verbose_name = _("Benachrichtigung zur Umsetzung")
        verbose_name_plural = _("Benachrichtigungen zur Umsetzung")
        constraints = [
            models.UniqueConstraint(fields=["measure", "kind"], name="one_notice_per_measure_event")
        ]
