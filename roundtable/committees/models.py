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
    # German declines the name: "Zur Sitzung des Kreistages", "dem Kreistag vorgelegt".
    # Written by people, with the article, because no rule gets every name right.
    name_genitive = models.CharField(
        _("Name im Genitiv, mit Artikel"),
        max_length=250,
        blank=True,
        help_text=_("z. B. „des Kreistages“: „Zur Sitzung des Kreistages am …“"),
    )
    name_dative = models.CharField(
        _("Name im Dativ, mit Artikel"),
        max_length=250,
        blank=True,
        help_text=_("z. B. „dem Kreistag“: „dem Kreistag vorgelegt“"),
    )
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("Mitglieder"),
        through="CommitteeMembership",
        blank=True,
        related_name="committees",
    )
    created = models.DateTimeField(auto_now_add=True)
    modified = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("Gremium")
        verbose_name_plural = _("Gremien")

    def __str__(self) -> str:
        return self.name

    @property
    def genitive(self) -> str:
        return self.name_genitive or _("des Gremiums „%(name)s“") % {"name": self.name}

    @property
    def dative(self) -> str:
        return self.name_dative or _("dem Gremium „%(name)s“") % {"name": self.name}


class CommitteeMembership(models.Model):
    class Role(models.TextChoices):
        CHAIR = "chair", _("Vorsitz")
        DEPUTY_CHAIR = "deputy_chair", _("stellvertretender Vorsitz")
        MEMBER = "member", _("Mitglied")
        DEPUTY = "deputy", _("stellvertretendes Mitglied")

    committee = models.ForeignKey(Committee, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("Person"),
        on_delete=models.CASCADE,
        related_name="committee_memberships",
    )
    role = models.CharField(_("Funktion"), max_length=20, choices=Role.choices, default=Role.MEMBER)
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["committee", "role", "user__last_name", "user__first_name"]
        verbose_name = _("Mitgliedschaft")
        verbose_name_plural = _("Mitgliedschaften")
        constraints = [
            models.UniqueConstraint(fields=["committee", "user"], name="one_membership_per_person")
        ]


class Meeting(models.Model):
    committee = models.ForeignKey(
        Committee, verbose_name=_("Gremium"), on_delete=models.PROTECT, related_name="meetings"
    )
    starts_at = models.DateTimeField(_("Beginn"))
    ends_at = models.DateTimeField(_("Ende"), null=True, blank=True)
    place = models.CharField(_("Ort"), max_length=200, blank=True)
    is_public = models.BooleanField(
        _("öffentliche Sitzung"),
        default=True,
        help_text=_(
            "In einer nichtöffentlichen Sitzung sind alle Tagesordnungspunkte nichtöffentlich."
        ),
    )
    #: changes of time or place made in the portal (``services.meeting_update``): part of
    #: the calendar entry's SEQUENCE, so that even two changes within a second update it
    calendar_changes = models.PositiveIntegerField(default=0, editable=False)
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

    @property
    def latest_version(self) -> "PaperVersion | None":
        """The submitted version in force (None: still a draft). Uses the prefetched
        ``versions`` when there are."""
        versions = list(self.versions.all())
        return max(versions, key=lambda v: v.number) if versions else None

    @property
    def is_submitted(self) -> bool:
        return self.latest_version is not None


class PaperVersion(models.Model):
    """A submitted state of a paper: what the committee was given, frozen as JSON (texts,
    concepts and their ideas), with its final PDF rendered once from this snapshot.

    Number 1 is the paper as submitted; a correction is a new number, an "Ergänzung"
    (something added) or an "Änderung" (something changed), with a note saying what."""

    class Kind(models.TextChoices):
        ORIGINAL = "original", _("Vorlage")
        SUPPLEMENT = "supplement", _("Ergänzung")
        AMENDMENT = "amendment", _("Änderung")

    paper = models.ForeignKey(
        Paper, verbose_name=_("Vorlage"), on_delete=models.PROTECT, related_name="versions"
    )
    number = models.PositiveIntegerField(_("Fassung"))
    kind = models.CharField(_("Art"), max_length=20, choices=Kind.choices)
    note = models.TextField(_("Was wurde ergänzt oder geändert?"), blank=True, max_length=5000)
    content = models.JSONField(_("Inhalt"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("eingereicht von"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("eingereicht am"), default=timezone.now)

    class Meta:
        ordering = ["paper", "number"]
        verbose_name = _("Fassung einer Vorlage")
        verbose_name_plural = _("Fassungen von Vorlagen")
        constraints = [
            models.UniqueConstraint(fields=["paper", "number"], name="one_paper_version_per_number")
        ]

    def __str__(self) -> str:
        return f"{self.paper} – {self.number}"

    @property
    def label(self) -> str:
        if self.kind == self.Kind.ORIGINAL:
            return _("Fassung %(number)s (Vorlage)") % {"number": self.number}
        return _("Fassung %(number)s (%(kind)s)") % {
            "number": self.number,
            "kind": self.get_kind_display(),
        }


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
        #: the archival variant: PDF/A-3a (tagged, with language) that declares PDF/UA-1
        PDF_A_3A = "pdf/a-3a", _("Archiv und barrierefrei (PDF/A-3a, PDF/UA-1)")
        #: made before 2027; no longer offered (untagged)
        PDF_A_3B = "pdf/a-3b", _("Archiv (PDF/A-3b)")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    paper = models.ForeignKey(
        Paper, verbose_name=_("Vorlage"), on_delete=models.PROTECT, related_name="reports"
    )
    #: set: the final PDF of a submitted version, rendered from its snapshot; empty: a
    #: preview of the draft
    paper_version = models.OneToOneField(
        PaperVersion,
        verbose_name=_("Fassung"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="report",
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
    def is_final(self) -> bool:
        return self.paper_version_id is not None

    @property
    def download_name(self) -> str:
        number = slugify(self.paper.agenda_item.number) or "x"
        if self.paper_version_id is not None:
            return f"Beschlussvorlage-TOP-{number}-Fassung-{self.paper_version.number}.pdf"
        return f"Beschlussvorlage-TOP-{number}-Entwurf-v{self.version}.pdf"


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
    #: the meeting's date: a decision is taken in the meeting, whenever it is typed in
    decided_on = models.DateField(_("Beschlossen am"), null=True, blank=True)
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
