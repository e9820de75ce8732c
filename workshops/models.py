"""Workshops and the concepts moderators build from ideas."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from ideas.models import Idea
from participants.models import Department, Municipality, Organisation
from roundtable.operations.statemachine import StateMachine


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
    # the calendars' version of the date (RFC 5545 SEQUENCE): raised by every change of
    # title, time or place and by the cancellation, so calendars replace the event
    sequence = models.PositiveIntegerField(default=0, editable=False)
    cancelled_at = models.DateTimeField(_("abgesagt am"), null=True, blank=True, editable=False)
    created = models.DateTimeField(auto_now_add=True)
    modified = models.DateTimeField(auto_now=True)
    history = HistoricalRecords(m2m_fields=[])

    class Meta:
        ordering = ["-starts_at"]
        verbose_name = _("Workshop")
        verbose_name_plural = _("Workshops")

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("workshops:workshop_detail", args=[self.pk])

    @property
    def is_cancelled(self) -> bool:
        return self.cancelled_at is not None


class WorkshopResponse(models.Model):
    """An invited person's answer in the portal: coming (zugesagt) or not (abgesagt)."""

    class Answer(models.TextChoices):
        ACCEPTED = "accepted", _("zugesagt")
        DECLINED = "declined", _("abgesagt")

    workshop = models.ForeignKey(Workshop, on_delete=models.CASCADE, related_name="responses")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="workshop_responses"
    )
    answer = models.CharField(_("Rückmeldung"), max_length=20, choices=Answer.choices)
    answered_at = models.DateTimeField(_("geantwortet am"))

    class Meta:
        ordering = ["workshop", "user__last_name", "user__first_name"]
        verbose_name = _("Rückmeldung zu einem Workshop")
        verbose_name_plural = _("Rückmeldungen zu Workshops")
        constraints = [
            models.UniqueConstraint(fields=["workshop", "user"], name="one_response_per_workshop")
        ]


class Concept(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Entwurf")
        IN_COORDINATION = "in_coordination", _("in Abstimmung")
        COORDINATED = "coordinated", _("abgestimmt")
        SUBMITTED = "submitted", _("einem Gremium vorgelegt")
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

    def get_absolute_url(self) -> str:
        return reverse("workshops:concept_detail", args=[self.pk])

    @property
    def is_open_for_grouping(self) -> bool:
        """Ideas may be added or removed only until the departments have agreed."""
        return self.status in (self.Status.DRAFT, self.Status.IN_COORDINATION)

    @property
    def is_editable(self) -> bool:
        """Until it goes to a committee. Editing an "abgestimmt" concept makes a new
        version and starts the sign-off again; from "vorgelegt" on it is locked."""
        return self.status in (
            self.Status.DRAFT,
            self.Status.IN_COORDINATION,
            self.Status.COORDINATED,
        )


class ConceptVersion(models.Model):
    """A concept's content at a moment that counts: when all responsible departments had
    agreed ("abgestimmte Fassung"), and when an edit changed an agreed concept. The
    sign-off after a change shows what changed since the agreed version."""

    class Kind(models.TextChoices):
        COORDINATED = "coordinated", _("abgestimmte Fassung")
        CHANGED = "changed", _("geänderte Fassung")

    concept = models.ForeignKey(Concept, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField(_("Fassung"))
    kind = models.CharField(_("Art"), max_length=20, choices=Kind.choices)
    content = models.JSONField(_("Inhalt"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(_("erstellt am"), default=timezone.now)

    class Meta:
        ordering = ["concept", "number"]
        verbose_name = _("Fassung eines Konzepts")
        verbose_name_plural = _("Fassungen von Konzepten")
        constraints = [
            models.UniqueConstraint(
                fields=["concept", "number"], name="one_concept_version_per_number"
            )
        ]

    def __str__(self) -> str:
        return f"{self.concept} – {self.number}"


_S = Concept.Status
#: Which status of a concept may follow which. "abgestimmt" follows "in Abstimmung" when
#: the last responsible department agrees; the committees app sets "dem Ausschuss
#: vorgelegt", "beschlossen" and "abgelehnt", the implementation app the last two.
CONCEPT_TRANSITIONS = StateMachine(
    {
        _S.DRAFT: {_S.IN_COORDINATION},
        _S.IN_COORDINATION: {_S.DRAFT, _S.COORDINATED},
        _S.COORDINATED: {_S.IN_COORDINATION, _S.SUBMITTED},
        _S.SUBMITTED: {_S.ADOPTED, _S.REJECTED, _S.COORDINATED},
        _S.ADOPTED: {_S.IN_IMPLEMENTATION},
        _S.REJECTED: {_S.DRAFT},
        _S.IN_IMPLEMENTATION: {_S.IMPLEMENTED},
        _S.IMPLEMENTED: set(),
    },
    choices=Concept.Status,
    message=_("Ein Konzept kann nicht von „%(from)s“ zu „%(to)s“ wechseln."),
)
#: What moderation may set by hand (workshop work); the other steps of
#: ``CONCEPT_TRANSITIONS`` follow from the sign-off, the committee's paper and decision,
#: and the measures.
CONCEPT_MANUAL_TRANSITIONS = StateMachine(
    {
        _S.DRAFT: {_S.IN_COORDINATION},
        _S.IN_COORDINATION: {_S.DRAFT},
        _S.COORDINATED: {_S.IN_COORDINATION},
        _S.REJECTED: {_S.DRAFT},
    },
    choices=Concept.Status,
    message=CONCEPT_TRANSITIONS.message,
)


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


class IdeaBoardState(models.Model):
    """Where an idea sits on the grouping board, with a version for optimistic locking.

    Every move increments ``version``; a move that names an older version than the
    stored one was made on a stale board and is refused instead of overwriting.
    (The order inside a concept is on ConceptIdea; ungrouped ideas are listed oldest first.)
    """

    idea = models.OneToOneField(Idea, on_delete=models.CASCADE, related_name="board_state")
    version = models.PositiveIntegerField(default=0)
    moved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    moved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("Position auf der Gruppierungstafel")
        verbose_name_plural = _("Positionen auf der Gruppierungstafel")


class ConceptSignoff(models.Model):
    """A responsible department's answer in the sign-off (Mitzeichnung) of a concept."""

    class Decision(models.TextChoices):
        AGREES = "agrees", _("stimmt zu")
        AGREES_WITH_REMARKS = "agrees_with_remarks", _("stimmt mit Anmerkungen zu")
        OBJECTS = "objects", _("erhebt Einwände")

    concept = models.ForeignKey(Concept, on_delete=models.CASCADE, related_name="signoffs")
    department = models.ForeignKey(
        Department, verbose_name=_("Amt/Dienststelle"), on_delete=models.CASCADE, related_name="+"
    )
    decision = models.CharField(_("Votum"), max_length=30, choices=Decision.choices)
    remarks = models.TextField(_("Anmerkungen / Begründung"), blank=True, max_length=5000)
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    signed_at = models.DateTimeField(_("mitgezeichnet am"))
    history = HistoricalRecords()

    class Meta:
        ordering = ["department__number", "department__name"]
        verbose_name = _("Mitzeichnung")
        verbose_name_plural = _("Mitzeichnungen")
        constraints = [
            models.UniqueConstraint(
                fields=["concept", "department"], name="one_signoff_per_concept_and_department"
            )
        ]

    @property
    def agrees(self) -> bool:
        return self.decision in (self.Decision.AGREES, self.Decision.AGREES_WITH_REMARKS)


class SignoffReminder(models.Model):
    """A reminder e-mail to the departments that have not signed off yet.

    The row exists before the task is queued; the task sends once (``sent_at``).
    """

    concept = models.ForeignKey(Concept, on_delete=models.CASCADE, related_name="reminders")
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    requested_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    recipients = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["-requested_at", "-id"]
        verbose_name = _("Erinnerung zur Mitzeichnung")
        verbose_name_plural = _("Erinnerungen zur Mitzeichnung")


class SuggestionRun(models.Model):
    """One computation of group suggestions, requested by a moderator, run by the worker."""

    class Status(models.TextChoices):
        PENDING = "pending", _("wartet")
        RUNNING = "running", _("läuft")
        DONE = "done", _("fertig")
        FAILED = "failed", _("fehlgeschlagen")

    workshop = models.ForeignKey(
        Workshop, on_delete=models.CASCADE, null=True, blank=True, related_name="suggestion_runs"
    )
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.PENDING)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    requested_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    idea_count = models.PositiveIntegerField(default=0)
    seconds = models.FloatField(null=True, blank=True)
    error = models.TextField(blank=True)

    class Meta:
        ordering = ["-requested_at", "-id"]
        verbose_name = _("Berechnung von Vorschlägen")
        verbose_name_plural = _("Berechnungen von Vorschlägen")


class GroupSuggestion(models.Model):
    """A suggested group of similar ideas, with the terms that tell it apart."""

    class Status(models.TextChoices):
        OPEN = "open", _("offen")
        ACCEPTED = "accepted", _("übernommen")
        DISMISSED = "dismissed", _("verworfen")

    run = models.ForeignKey(SuggestionRun, on_delete=models.CASCADE, related_name="suggestions")
    terms = models.JSONField(_("Begriffe"), default=list)
    ideas = models.ManyToManyField(Idea, related_name="+")
    score = models.FloatField(default=0)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.OPEN)
    concept = models.ForeignKey(
        Concept, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-score", "id"]
        verbose_name = _("Vorschlag für eine Gruppe")
        verbose_name_plural = _("Vorschläge für Gruppen")

    @property
    def title(self) -> str:
        return ", ".join(self.terms[:3])
