"""The round table's timeline (Zeitraster): phases as data.

What a phase allows is stored on the phase, so a round table with another
timeline needs no code change.
"""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class Phase(models.Model):
    END_BEFORE_START = _("Das Ende darf nicht vor dem Beginn liegen.")

    key = models.SlugField(_("Schlüssel"), max_length=50, unique=True)
    name = models.CharField(_("Name"), max_length=200)
    description = models.TextField(_("Beschreibung"), blank=True)
    start = models.DateField(_("Beginn"))
    end = models.DateField(_("Ende"))
    allows_idea_submission = models.BooleanField(_("Ideen einreichen"), default=False)
    allows_workshop_work = models.BooleanField(_("Workshoparbeit"), default=False)
    allows_committee_work = models.BooleanField(_("Gremienarbeit"), default=False)
    allows_implementation = models.BooleanField(_("Umsetzung"), default=False)
    created = models.DateTimeField(auto_now_add=True)
    modified = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["start", "end"]
        verbose_name = _("Phase")
        verbose_name_plural = _("Phasen")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end__gte=models.F("start")),
                name="phase_end_not_before_start",
            )
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self):
        if self.start and self.end and self.end < self.start:
            raise ValidationError({"end": self.END_BEFORE_START})

    def is_open_on(self, day) -> bool:
        return self.start <= day <= self.end
