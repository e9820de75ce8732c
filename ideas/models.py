"""The Ideenwerkstatt: ideas, the topics and target groups they address, and
what people do with them (support, comments, moderation)."""

from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from participants.models import Department, Municipality, Organisation
from roundtable.operations.statemachine import StateMachine
from roundtable.timeline.models import Phase


class Topic(models.Model):
    """A field of action (Handlungsfeld)."""

    name = models.CharField(_("Name"), max_length=100, unique=True)
    slug = models.SlugField(_("Kurzname"), max_length=100, unique=True)
    description = models.TextField(_("Beschreibung"), blank=True)
    position = models.PositiveSmallIntegerField(_("Reihenfolge"), default=0)

    class Meta:
        ordering = ["position", "name"]
        verbose_name = _("Handlungsfeld")
        verbose_name_plural = _("Handlungsfelder")

    def __str__(self) -> str:
        return self.name


class TargetGroup(models.Model):
    name = models.CharField(_("Name"), max_length=100, unique=True)
    slug = models.SlugField(_("Kurzname"), max_length=100, unique=True)
    position = models.PositiveSmallIntegerField(_("Reihenfolge"), default=0)

    class Meta:
        ordering = ["position", "name"]
        verbose_name = _("Zielgruppe")
        verbose_name_plural = _("Zielgruppen")

    def __str__(self) -> str:
        return self.name


class Idea(models.Model):
    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("eingereicht")
        IN_REVIEW = "in_review", _("in Prüfung")
        ACCEPTED = "accepted", _("angenommen")
        DEFERRED = "deferred", _("zurückgestellt")
        REJECTED = "rejected", _("abgelehnt")
        IN_CONCEPT = "in_concept", _("in Konzept übernommen")

    title = models.CharField(_("Titel"), max_length=200)
    description = models.TextField(_("Beschreibung"), max_length=10000)
    topic = models.ForeignKey(
        Topic, verbose_name=_("Handlungsfeld"), on_delete=models.PROTECT, related_name="ideas"
    )
    target_groups = models.ManyToManyField(
        TargetGroup, verbose_name=_("Zielgruppen"), blank=True, related_name="ideas"
    )
    department = models.ForeignKey(
        Department,
        verbose_name=_("Amt/Dienststelle"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="ideas",
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("Organisation"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="ideas",
    )
    municipalities = models.ManyToManyField(
        Municipality,
        verbose_name=_("Betroffene Städte und Gemeinden"),
        blank=True,
        related_name="ideas",
        help_text=_("Keine Auswahl bedeutet: kreisweit."),
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("Verfasst von"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="ideas",
    )
    phase = models.ForeignKey(
        Phase,
        verbose_name=_("Phase"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="ideas",
    )
    status = models.CharField(
        _("Status"), max_length=20, choices=Status.choices, default=Status.SUBMITTED
    )
    public_feedback = models.TextField(_("Rückmeldung der Moderation"), blank=True)
    # Denormalised so that lists sort and show them without a query per row.
    support_count = models.PositiveIntegerField(_("Unterstützungen"), default=0)
    comment_count = models.PositiveIntegerField(_("Kommentare"), default=0)
    created = models.DateTimeField(_("eingereicht am"), auto_now_add=True, db_index=True)
    modified = models.DateTimeField(_("geändert am"), auto_now=True)
    # German full-text search on PostgreSQL: kept current by a database trigger
    # (migration 0002), GIN-indexed there. Unused (always NULL) on SQLite.
    search_vector = SearchVectorField(null=True, editable=False)
    history = HistoricalRecords(excluded_fields=["support_count", "comment_count", "search_vector"])

    class Meta:
        ordering = ["-created", "-id"]
        verbose_name = _("Idee")
        verbose_name_plural = _("Ideen")
        constraints = [
            models.CheckConstraint(
                condition=~(
                    models.Q(department__isnull=False) & models.Q(organisation__isnull=False)
                ),
                name="idea_for_department_or_organisation",
            )
        ]
        indexes = [
            # the list's default order: deep pages select their keys from this index alone
            # (index-only scan; see ideas/pagination.py and docs/benchmarks.md)
            models.Index(fields=["-created", "-id"], name="idea_newest_first"),
            models.Index(fields=["status", "-created"]),
            models.Index(fields=["-support_count", "-id"]),
            models.Index(fields=["-comment_count", "-id"]),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("ideas:detail", args=[self.pk])

    @property
    def submitted_for(self):
        return self.department or self.organisation


_S = Idea.Status
#: The moderation workflow: which status may follow which. Into a concept and out of it
#: (``in_concept``) an idea goes through ``ideas.services.idea_join_concept`` and
#: ``idea_leave_concept``, which the workshops app calls.
IDEA_TRANSITIONS = StateMachine(
    {
        _S.SUBMITTED: {_S.IN_REVIEW, _S.ACCEPTED, _S.DEFERRED, _S.REJECTED},
        _S.IN_REVIEW: {_S.ACCEPTED, _S.DEFERRED, _S.REJECTED},
        _S.ACCEPTED: {_S.IN_REVIEW, _S.DEFERRED, _S.REJECTED, _S.IN_CONCEPT},
        _S.DEFERRED: {_S.IN_REVIEW, _S.ACCEPTED, _S.REJECTED},
        _S.REJECTED: {_S.IN_REVIEW, _S.ACCEPTED},
        _S.IN_CONCEPT: {_S.ACCEPTED},
    },
    choices=Idea.Status,
    message=_("Der Status „%(from)s“ kann nicht zu „%(to)s“ wechseln."),
)


class IdeaStatusChange(models.Model):
    """One step of an idea's moderation, kept for its history."""

    idea = models.ForeignKey(Idea, on_delete=models.CASCADE, related_name="status_changes")
    from_status = models.CharField(_("vorher"), max_length=20, choices=Idea.Status.choices)
    to_status = models.CharField(_("nachher"), max_length=20, choices=Idea.Status.choices)
    public_feedback = models.TextField(_("Rückmeldung"), blank=True)
    private_remark = models.TextField(_("Interne Bemerkung"), blank=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    changed_at = models.DateTimeField(_("geändert am"), auto_now_add=True)
    # Set when the author was told by an e-mail of its own, before notifications
    # (roundtable.notifications) told them; kept as the record of those e-mails.
    notified_at = models.DateTimeField(_("benachrichtigt am"), null=True, blank=True)

    class Meta:
        ordering = ["changed_at", "id"]
        verbose_name = _("Statusänderung")
        verbose_name_plural = _("Statusänderungen")


class Support(models.Model):
    idea = models.ForeignKey(Idea, on_delete=models.CASCADE, related_name="supports")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="supports"
    )
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("Unterstützung")
        verbose_name_plural = _("Unterstützungen")
        constraints = [
            models.UniqueConstraint(fields=["idea", "user"], name="one_support_per_user_and_idea")
        ]


class Comment(models.Model):
    idea = models.ForeignKey(Idea, on_delete=models.CASCADE, related_name="comments")
    parent = models.ForeignKey(
        "self",
        verbose_name=_("Antwort auf"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="replies",
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="comments"
    )
    text = models.TextField(_("Kommentar"), max_length=5000)
    is_hidden = models.BooleanField(_("ausgeblendet"), default=False)
    hidden_reason = models.TextField(_("Grund für das Ausblenden"), blank=True)
    hidden_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created = models.DateTimeField(auto_now_add=True)
    modified = models.DateTimeField(auto_now=True)
    # the last change of the text, and by whom: the page says so, the history keeps each
    edited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("bearbeitet von"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    edited_at = models.DateTimeField(_("bearbeitet am"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["created", "id"]
        verbose_name = _("Kommentar")
        verbose_name_plural = _("Kommentare")


class Attachment(models.Model):
    idea = models.ForeignKey(Idea, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(_("Datei"), upload_to="attachments/%Y/%m/")
    original_name = models.CharField(_("Dateiname"), max_length=255)
    content_type = models.CharField(_("Dateityp"), max_length=100)
    size = models.PositiveIntegerField(_("Größe"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created", "id"]
        verbose_name = _("Anhang")
        verbose_name_plural = _("Anhänge")

    def __str__(self) -> str:
        return self.original_name
