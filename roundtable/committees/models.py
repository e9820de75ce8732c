"""Committees, their meetings and agenda items: where the round table's results
reach the political bodies."""

import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from participants.models import Body, Department
from workshops.models import Concept


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

    def get_absolute_url(self) -> str:
        return reverse("committees:meeting_detail", args=[self.pk])


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


def report_upload_to(report: "Report", filename: str) -> str:
    """One fixed name per report: a rerun overwrites, it never adds a second file."""
    return f"reports/{report.paper_id}/{report.pk}.pdf"


class Paper(models.Model):
    """A committee paper (Beschlussvorlage) for one agenda item, prepared by moderation."""

    agenda_item = models.OneToOneField(
        AgendaItem,
        verbose_name=_("Tagesordnungspunkt"),
        on_delete=models.PROTECT,
        related_name="paper",
    )
    department = models.ForeignKey(
        Department,
        verbose_name=_("Federführendes Amt"),
        on_delete=models.PROTECT,
        related_name="issued_papers",
    )
    date = models.DateField(_("Datum der Vorlage"))
    resolution_proposal = models.TextField(_("Beschlussvorschlag"), max_length=5000)
    preliminary_remarks = models.TextField(_("Vorbemerkungen"), blank=True, max_length=50000)
    participating_departments = models.ManyToManyField(
        Department,
        verbose_name=_("Beteiligte Ämter"),
        blank=True,
        related_name="participating_papers",
    )
    concepts = models.ManyToManyField(
        Concept,
        verbose_name=_("Vorgestellte Konzepte"),
        through="PaperConcept",
        blank=True,
        related_name="papers",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created = models.DateTimeField(auto_now_add=True)
    modified = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-date", "-id"]
        verbose_name = _("Beschlussvorlage")
        verbose_name_plural = _("Beschlussvorlagen")

    def __str__(self) -> str:
        return f"{self.agenda_item}"

    def get_absolute_url(self) -> str:
        return reverse("committees:paper_detail", args=[self.pk])

    @property
    def is_public(self) -> bool:
        return self.agenda_item.is_public


class PaperConcept(models.Model):
    """A concept presented in a paper, in the paper's order."""

    paper = models.ForeignKey(Paper, on_delete=models.CASCADE, related_name="concept_links")
    concept = models.ForeignKey(Concept, on_delete=models.PROTECT, related_name="paper_links")
    position = models.PositiveIntegerField(_("Reihenfolge"), default=0)

    class Meta:
        ordering = ["position", "id"]
        verbose_name = _("Konzept in der Vorlage")
        verbose_name_plural = _("Konzepte in der Vorlage")
        constraints = [
            models.UniqueConstraint(fields=["paper", "concept"], name="concept_once_per_paper")
        ]


class Report(models.Model):
    """One generated PDF of a paper. The row is the truth; the broker only carries its id.

    Once done, a report is never changed: a new request makes a new version.
    """

    class Status(models.TextChoices):
        QUEUED = "queued", _("in der Warteschlange")
        RUNNING = "running", _("wird erstellt")
        DONE = "done", _("fertig")
        FAILED = "failed", _("fehlgeschlagen")

    class Variant(models.TextChoices):
        PDF_UA_1 = "pdf/ua-1", _("barrierefrei (PDF/UA-1)")
        PDF_A_3B = "pdf/a-3b", _("Archiv (PDF/A-3b)")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    paper = models.ForeignKey(
        Paper, verbose_name=_("Vorlage"), on_delete=models.PROTECT, related_name="reports"
    )
    version = models.PositiveIntegerField(_("Version"))
    language = models.CharField(_("Sprache"), max_length=10, default="de")
    variant = models.CharField(
        _("Variante"), max_length=20, choices=Variant.choices, default=Variant.PDF_UA_1
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("angefordert von"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    requested_at = models.DateTimeField(_("angefordert am"), default=timezone.now)
    status = models.CharField(
        _("Status"), max_length=20, choices=Status.choices, default=Status.QUEUED, db_index=True
    )
    progress = models.PositiveSmallIntegerField(
        _("Fortschritt"), default=0, validators=[MaxValueValidator(100)]
    )
    error_message = models.TextField(_("Fehlermeldung"), blank=True)
    attempts = models.PositiveSmallIntegerField(_("Versuche"), default=0)
    file = models.FileField(_("Datei"), upload_to=report_upload_to, blank=True, max_length=300)
    size = models.PositiveIntegerField(_("Größe in Bytes"), null=True, blank=True)
    sha256 = models.CharField(_("SHA-256"), max_length=64, blank=True)
    page_count = models.PositiveIntegerField(_("Seiten"), null=True, blank=True)
    started_at = models.DateTimeField(_("begonnen am"), null=True, blank=True)
    finished_at = models.DateTimeField(_("fertig am"), null=True, blank=True)
    queued_at = models.DateTimeField(_("zuletzt eingereiht am"), default=timezone.now)
    # when the broker last took the report's message (None: not handed over yet, the
    # sweep publishes it), and which worker renders it (its heartbeat tells if it lives)
    published_at = models.DateTimeField(_("an die Warteschlange übergeben am"), null=True)
    claimed_by = models.CharField(_("erstellt von Worker"), max_length=255, blank=True)

    class Meta:
        ordering = ["paper", "-version"]
        verbose_name = _("Bericht (PDF)")
        verbose_name_plural = _("Berichte (PDF)")
        constraints = [
            models.UniqueConstraint(fields=["paper", "version"], name="report_version_per_paper"),
            models.CheckConstraint(condition=models.Q(progress__lte=100), name="progress_le_100"),
        ]
        indexes = [models.Index(fields=["status", "queued_at"])]

    def __str__(self) -> str:
        return f"{self.paper} – Version {self.version}"

    @property
    def is_finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.FAILED)

    @property
    def download_name(self) -> str:
        number = slugify(self.paper.agenda_item.number) or "x"
        return f"Beschlussvorlage-TOP-{number}-v{self.version}.pdf"


class ReportDownload(models.Model):
    class Channel(models.TextChoices):
        PORTAL = "portal", _("Portal")
        OPARL = "oparl", _("OParl-Schnittstelle")

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="downloads")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    downloaded_at = models.DateTimeField(_("heruntergeladen am"), default=timezone.now)
    channel = models.CharField(
        _("über"), max_length=10, choices=Channel.choices, default=Channel.PORTAL
    )

    class Meta:
        ordering = ["-downloaded_at"]
        verbose_name = _("Download")
        verbose_name_plural = _("Downloads")


class Decision(models.Model):
    """What the committee resolved on an agenda item (Beschluss)."""

    class Result(models.TextChoices):
        APPROVED = "approved", _("zugestimmt")
        NOTED_APPROVINGLY = "noted", _("zustimmend zur Kenntnis genommen")
        REJECTED = "rejected", _("abgelehnt")
        DEFERRED = "deferred", _("vertagt")

    agenda_item = models.OneToOneField(
        AgendaItem,
        verbose_name=_("Tagesordnungspunkt"),
        on_delete=models.PROTECT,
        related_name="decision",
    )
    text = models.TextField(_("Beschlusstext"), max_length=5000)
    result = models.CharField(_("Ergebnis"), max_length=20, choices=Result.choices)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("erfasst von"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    recorded_at = models.DateTimeField(_("erfasst am"), default=timezone.now)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-recorded_at"]
        verbose_name = _("Beschluss")
        verbose_name_plural = _("Beschlüsse")

    def __str__(self) -> str:
        return f"{self.agenda_item}: {self.get_result_display()}"
