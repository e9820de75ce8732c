"""What the OParl interface keeps beside the committees' data: SHA-512 checksums of
finished reports (OParl names sha512Checksum; the report row stores SHA-256), and
the consent of the people who agreed to appear as OParl Person objects."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from roundtable.committees.models import Report


class ReportChecksum(models.Model):
    """Computed once per finished report; finished reports never change."""

    report = models.OneToOneField(
        Report, on_delete=models.CASCADE, primary_key=True, related_name="oparl_checksum"
    )
    sha512 = models.CharField(_("SHA-512"), max_length=128)
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("Prüfsumme (SHA-512)")
        verbose_name_plural = _("Prüfsummen (SHA-512)")


class PersonConsent(models.Model):
    """A person who agreed to be published through OParl (nobody by default)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="oparl_consent"
    )
    agreed_at = models.DateTimeField(_("zugestimmt am"))
    created = models.DateTimeField(auto_now_add=True)
    modified = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("Zustimmung zur Veröffentlichung (OParl)")
        verbose_name_plural = _("Zustimmungen zur Veröffentlichung (OParl)")

    def __str__(self) -> str:
        return str(self.user)
