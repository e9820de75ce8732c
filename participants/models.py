"""Who takes part in the round table: the district, its departments, external
organisations, the municipalities, and the people with their roles."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class Body(models.Model):
    """The district administration that runs the round table (OParl "Body")."""

    name = models.CharField(_("Name"), max_length=200, unique=True)
    short_name = models.CharField(_("Kurzname"), max_length=50, blank=True)
    head_title = models.CharField(
        _("Behördenleitung (Briefkopf)"), max_length=100, default="DER LANDRAT"
    )
    website = models.URLField(_("Website"), blank=True)
    created = models.DateTimeField(auto_now_add=True)
    modified = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("Gebietskörperschaft")
        verbose_name_plural = _("Gebietskörperschaften")

    def __str__(self) -> str:
        return self.name


class Department(models.Model):
    """An internal unit of the administration (Amt/Dienststelle)."""

    number = models.CharField(_("Nummer"), max_length=20, blank=True)
    name = models.CharField(_("Bezeichnung"), max_length=200, unique=True)
    email = models.EmailField(_("E-Mail"), blank=True)
    is_active = models.BooleanField(_("aktiv"), default=True)
    created = models.DateTimeField(auto_now_add=True)
    modified = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["number", "name"]
        verbose_name = _("Amt/Dienststelle")
        verbose_name_plural = _("Ämter/Dienststellen")

    def __str__(self) -> str:
        return f"{self.number} {self.name}".strip()


class Organisation(models.Model):
    """An external body active in integration work."""

    class Kind(models.TextChoices):
        WELFARE = "welfare", _("Wohlfahrtsverband")
        MIGRANT = "migrant", _("Migrantenorganisation")
        SCHOOL = "school", _("Schule/Bildungsträger")
        CHURCH = "church", _("Kirche/Religionsgemeinschaft")
        POLICE = "police", _("Polizei")
        OTHER = "other", _("Sonstige")

    name = models.CharField(_("Name"), max_length=200, unique=True)
    kind = models.CharField(_("Art"), max_length=20, choices=Kind.choices, default=Kind.OTHER)
    email = models.EmailField(_("E-Mail"), blank=True)
    website = models.URLField(_("Website"), blank=True)
    is_active = models.BooleanField(_("aktiv"), default=True)
    created = models.DateTimeField(auto_now_add=True)
    modified = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("Organisation")
        verbose_name_plural = _("Organisationen")

    def __str__(self) -> str:
        return self.name


class Municipality(models.Model):
    """A city or municipality of the district (Stadt/Gemeinde)."""

    class Kind(models.TextChoices):
        CITY = "city", _("Stadt")
        MUNICIPALITY = "municipality", _("Gemeinde")

    name = models.CharField(_("Name"), max_length=100, unique=True)
    slug = models.SlugField(_("Kurzname"), max_length=100, unique=True)
    kind = models.CharField(_("Art"), max_length=20, choices=Kind.choices)
    created = models.DateTimeField(auto_now_add=True)
    modified = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("Stadt/Gemeinde")
        verbose_name_plural = _("Städte und Gemeinden")

    def __str__(self) -> str:
        return self.name


class Role(models.TextChoices):
    STAFF = "staff", _("Mitarbeitende")
    MODERATOR = "moderator", _("Moderation")
    COMMITTEE = "committee", _("Ausschussmitglied")
    ADMIN = "admin", _("Administration")


class Profile(models.Model):
    """What the portal knows of a user beyond Django's account: role and affiliation."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="profile"
    )
    role = models.CharField(_("Rolle"), max_length=20, choices=Role.choices, default=Role.STAFF)
    department = models.ForeignKey(
        Department,
        verbose_name=_("Amt/Dienststelle"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="members",
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("Organisation"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="members",
    )
    function = models.CharField(_("Funktion"), max_length=200, blank=True)
    phone = models.CharField(_("Telefon"), max_length=50, blank=True)

    class Meta:
        verbose_name = _("Profil")
        verbose_name_plural = _("Profile")

    def __str__(self) -> str:
        return (
            f"{self.user.get_full_name() or self.user.get_username()} ({self.get_role_display()})"
        )

    @property
    def affiliation(self):
        return self.department or self.organisation


class DepartmentParticipation(models.Model):
    """A department's part in the internal coordination (verwaltungsinterne Abstimmung)."""

    class Status(models.TextChoices):
        INVITED = "invited", _("eingeladen")
        CONFIRMED = "confirmed", _("zugesagt")
        DECLINED = "declined", _("abgesagt")

    department = models.OneToOneField(
        Department,
        verbose_name=_("Amt/Dienststelle"),
        on_delete=models.CASCADE,
        related_name="participation",
    )
    status = models.CharField(
        _("Status"), max_length=20, choices=Status.choices, default=Status.INVITED
    )
    contacts = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("Ansprechpersonen"),
        blank=True,
        related_name="contact_for",
    )
    note = models.TextField(_("Notiz"), blank=True, max_length=2000)
    set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("gesetzt von"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    set_at = models.DateTimeField(_("gesetzt am"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["department__number", "department__name"]
        verbose_name = _("Beteiligung eines Amtes")
        verbose_name_plural = _("Verwaltungsinterne Abstimmung")

    def __str__(self) -> str:
        return f"{self.department}: {self.get_status_display()}"
