"""Who takes part in the round table: the district, its departments, external
organisations, the municipalities, and the people with their roles; the invitations
of people outside the administration; and the departments' part in the internal
coordination."""

from django.conf import settings
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
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
    #: members of organisations and municipalities who join by invitation: they submit,
    #: support, comment and take part in workshops, and see nothing internal
    EXTERNAL = "external", _("Externe Mitwirkende")


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
    municipality = models.ForeignKey(
        Municipality,
        verbose_name=_("Stadt/Gemeinde"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="members",
    )
    function = models.CharField(_("Funktion"), max_length=200, blank=True)
    phone = models.CharField(_("Telefon"), max_length=50, blank=True)
    #: the account comes from the directory (LDAP/Active Directory): name, e-mail, role
    #: and department are taken from there at each login, the password is the directory's
    from_directory = models.BooleanField(_("aus dem Verzeichnis"), default=False)
    #: set by the nightly check when the directory no longer knows or has disabled the
    #: person; a later directory login clears it and reactivates the account
    directory_deactivated_at = models.DateTimeField(
        _("im Verzeichnis deaktiviert am"), null=True, blank=True
    )

    class Meta:
        verbose_name = _("Profil")
        verbose_name_plural = _("Profile")

    def __str__(self) -> str:
        return (
            f"{self.user.get_full_name() or self.user.get_username()} ({self.get_role_display()})"
        )

    @property
    def affiliation(self):
        return self.department or self.organisation or self.municipality


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


class ParticipationRequest(models.Model):
    """An e-mail asking a department's contact persons to confirm or decline their
    department's participation (the first request, or a reminder). The row is written
    with the moderator's click; the worker sends it once (``sent_at``)."""

    class Kind(models.TextChoices):
        REQUEST = "request", _("Anfrage")
        REMINDER = "reminder", _("Erinnerung")

    participation = models.ForeignKey(
        DepartmentParticipation,
        verbose_name=_("Beteiligung"),
        on_delete=models.CASCADE,
        related_name="requests",
    )
    kind = models.CharField(_("Art"), max_length=20, choices=Kind.choices, default=Kind.REQUEST)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("angefragt von"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    requested_at = models.DateTimeField(_("angefragt am"), default=timezone.now)
    sent_at = models.DateTimeField(_("verschickt am"), null=True, blank=True)
    recipients = models.JSONField(_("Empfänger"), default=list, blank=True)

    class Meta:
        ordering = ["-requested_at", "-pk"]
        verbose_name = _("Anfrage an ein Amt")
        verbose_name_plural = _("Anfragen an Ämter")

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.participation.department}"


class InvitationQuerySet(models.QuerySet):
    def open(self):
        """Neither accepted nor revoked (pending or expired)."""
        return self.filter(accepted_at__isnull=True, revoked_at__isnull=True)

    def pending(self, now=None):
        return self.open().filter(expires_at__gt=now or timezone.now())

    def expired(self, now=None):
        return self.open().filter(expires_at__lte=now or timezone.now())


class Invitation(models.Model):
    """An invitation of a person outside the administration (a member of an
    organisation, a contact in a municipality, a Kreistag member) to the portal.

    The e-mail carries a signed link with ``nonce``; resending or revoking changes the
    nonce, so only the newest link works, and accepting uses it up.
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("eingeladen")
        ACCEPTED = "accepted", _("angenommen")
        EXPIRED = "expired", _("abgelaufen")
        REVOKED = "revoked", _("zurückgezogen")

    name = models.CharField(_("Name"), max_length=150)
    email = models.EmailField(_("E-Mail"), max_length=150)
    role = models.CharField(_("Rolle"), max_length=20, choices=Role.choices)
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("Organisation"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="invitations",
    )
    municipality = models.ForeignKey(
        Municipality,
        verbose_name=_("Stadt/Gemeinde"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="invitations",
    )
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("eingeladen von"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    created = models.DateTimeField(_("eingeladen am"), default=timezone.now)
    last_invited_at = models.DateTimeField(_("zuletzt eingeladen am"), default=timezone.now)
    expires_at = models.DateTimeField(_("gültig bis"))
    send_count = models.PositiveSmallIntegerField(_("verschickt"), default=1)
    nonce = models.CharField(max_length=32)
    #: the nonce whose e-mail went out: a task that runs twice sends it once
    mailed_nonce = models.CharField(max_length=32, blank=True)
    mailed_at = models.DateTimeField(_("E-Mail verschickt am"), null=True, blank=True)
    accepted_at = models.DateTimeField(_("angenommen am"), null=True, blank=True)
    accepted_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("Konto"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="invitations_accepted",
    )
    privacy_accepted_at = models.DateTimeField(
        _("Datenschutzhinweise bestätigt am"), null=True, blank=True
    )
    revoked_at = models.DateTimeField(_("zurückgezogen am"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("zurückgezogen von"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    objects = InvitationQuerySet.as_manager()

    class Meta:
        ordering = ["-last_invited_at", "-pk"]
        verbose_name = _("Einladung")
        verbose_name_plural = _("Einladungen")
        constraints = [
            # one open invitation per address: a second one is a resend
            models.UniqueConstraint(
                Lower("email"),
                condition=models.Q(accepted_at__isnull=True, revoked_at__isnull=True),
                name="participants_invitation_one_open_per_email",
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} <{self.email}>"

    @property
    def status(self) -> str:
        if self.accepted_at:
            return self.Status.ACCEPTED
        if self.revoked_at:
            return self.Status.REVOKED
        if self.expires_at <= timezone.now():
            return self.Status.EXPIRED
        return self.Status.PENDING

    def get_status_display(self) -> str:
        return self.Status(self.status).label

    @property
    def affiliation(self):
        return self.organisation or self.municipality
