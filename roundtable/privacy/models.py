"""Privacy (DSGVO) and the legally required pages: the data protection statement, the
imprint and the accessibility statement with its feedback mechanism (BITV 2.0 § 7)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class LegalPage(models.Model):
    """A page the law requires, editable by administrators (Django admin)."""

    class Kind(models.TextChoices):
        PRIVACY = "datenschutz", _("Datenschutzerklärung")
        IMPRINT = "impressum", _("Impressum")
        ACCESSIBILITY = "barrierefreiheit", _("Erklärung zur Barrierefreiheit")

    kind = models.CharField(_("Seite"), max_length=30, choices=Kind.choices, unique=True)
    title = models.CharField(_("Überschrift"), max_length=200)
    body = models.TextField(
        _("Text"),
        help_text=_(
            "Einfacher Text. Absätze durch eine Leerzeile trennen; "
            "eine Zeile, die mit „## “ beginnt, wird eine Zwischenüberschrift."
        ),
    )
    modified = models.DateTimeField(_("geändert am"), auto_now=True)
    modified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("geändert von"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        ordering = ["kind"]
        verbose_name = _("Rechtliche Seite")
        verbose_name_plural = _("Rechtliche Seiten")

    def __str__(self) -> str:
        return self.title


class AccessibilityFeedback(models.Model):
    """A report of a barrier, sent through the accessibility statement's form."""

    name = models.CharField(_("Name (freiwillig)"), max_length=200, blank=True)
    email = models.EmailField(_("E-Mail-Adresse (freiwillig)"), blank=True)
    page = models.CharField(_("Betroffene Seite (freiwillig)"), max_length=500, blank=True)
    message = models.TextField(_("Beschreibung der Barriere"), max_length=5000)
    created = models.DateTimeField(_("eingegangen am"), auto_now_add=True)
    # Set once the e-mail went out: the task may run twice.
    emailed_at = models.DateTimeField(_("weitergeleitet am"), null=True, blank=True)

    class Meta:
        ordering = ["-created", "-id"]
        verbose_name = _("Rückmeldung zur Barrierefreiheit")
        verbose_name_plural = _("Rückmeldungen zur Barrierefreiheit")

    def __str__(self) -> str:
        return f"{self.created:%d.%m.%Y %H:%M} {self.message[:60]}"


class ErasureRecord(models.Model):
    """Proof that personal data was erased (DSGVO Art. 5 (2)), without personal data.

    ``pseudonym`` is what the account is called from now on; nothing links it back to
    the person.
    """

    class Reason(models.TextChoices):
        OWN_REQUEST = "own_request", _("auf eigenen Wunsch")
        ADMINISTRATOR = "administrator", _("durch die Administration")
        RETENTION = "retention", _("Aufbewahrungsfrist abgelaufen")

    pseudonym = models.CharField(_("Pseudonym"), max_length=150, unique=True)
    reason = models.CharField(_("Anlass"), max_length=20, choices=Reason.choices)
    erased_at = models.DateTimeField(_("gelöscht am"), auto_now_add=True)
    erased_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("gelöscht von"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        ordering = ["-erased_at", "-id"]
        verbose_name = _("Löschprotokoll")
        verbose_name_plural = _("Löschprotokolle")
        permissions = [("manage_personal_data", "Personenbezogene Daten verwalten")]

    def __str__(self) -> str:
        return f"{self.pseudonym} ({self.get_reason_display()})"
