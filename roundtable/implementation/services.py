"""Writes of the implementation app: measures of adopted concepts, milestones,
progress notes and the e-mails to the ideas' authors.

A concept's own status follows its measures through the workshops app's service:
the first measure that starts makes it "in Umsetzung", the last one done makes it
"umgesetzt".
"""

import datetime
import logging
from collections.abc import Iterable

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mass_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from ideas.models import Idea
from participants.models import Department, Municipality, Organisation
from roundtable.operations import outbox
from roundtable.timeline.gates import IMPLEMENTATION, phase_require
from workshops.models import Concept
from workshops.services import concept_set_status

from .models import Measure, MeasureNotice, Milestone, ProgressNote

logger = logging.getLogger(__name__)

#: Concepts that may get measures: the committee has adopted them.
DECIDED_CONCEPT_STATUSES = (
    Concept.Status.ADOPTED,
    Concept.Status.IN_IMPLEMENTATION,
    Concept.Status.IMPLEMENTED,
)

S = Measure.Status
TRANSITIONS: dict[str, set[str]] = {
    S.PLANNED: {S.STARTED, S.CANCELLED},
    S.STARTED: {S.DONE, S.CANCELLED, S.PLANNED},
    S.DONE: {S.STARTED},
    S.CANCELLED: {S.PLANNED},
}


def _require(user, perm: str, obj=None) -> None:
    """Outside the implementation's phase: a ValidationError saying when it opens."""
    phase_require(IMPLEMENTATION)
    if not user.has_perm(perm, obj):
        raise PermissionDenied(perm)


def _check_responsible(department, organisation) -> None:
    if bool(department) == bool(organisation):
        raise ValidationError(
            _("Bitte nennen Sie entweder ein verantwortliches Amt oder eine Organisation.")
        )


def _check_dates(starts_on, ends_on) -> None:
    if starts_on and ends_on and ends_on < starts_on:
        raise ValidationError({"ends_on": _("Das Ende darf nicht vor dem Beginn liegen.")})


@transaction.atomic
def measure_create(
    *,
    concept: Concept,
    title: str,
    by,
    description: str = "",
    responsible_department: Department | None = None,
    responsible_organisation: Organisation | None = None,
    municipalities: Iterable[Municipality] = (),
    starts_on: datetime.date | None = None,
    ends_on: datetime.date | None = None,
    check: bool = True,
) -> Measure:
    if check:
        _require(by, "implementation.add_measure")
    concept = Concept.objects.select_for_update().get(pk=concept.pk)
    if concept.status not in DECIDED_CONCEPT_STATUSES:
        raise ValidationError(
            _("Maßnahmen gibt es erst für beschlossene Konzepte („%(title)s“ ist „%(status)s“).")
            % {"title": concept.title, "status": concept.get_status_display()}
        )
    _check_responsible(responsible_department, responsible_organisation)
    _check_dates(starts_on, ends_on)
    measure = Measure(
        concept=concept,
        title=title.strip(),
        description=description.strip(),
        responsible_department=responsible_department,
        responsible_organisation=responsible_organisation,
        starts_on=starts_on,
        ends_on=ends_on,
        created_by=by,
    )
    measure._history_user = by
    measure.full_clean()
    measure.save()
    measure.municipalities.set(municipalities)
    return measure


@transaction.atomic
def measure_update(
    *,
    measure: Measure,
    by,
    title: str,
    description: str = "",
    responsible_department: Department | None = None,
    responsible_organisation: Organisation | None = None,
    municipalities: Iterable[Municipality] = (),
    starts_on: datetime.date | None = None,
    ends_on: datetime.date | None = None,
    check: bool = True,
) -> Measure:
    if check:
        _require(by, "implementation.change_measure", measure)
    _check_responsible(responsible_department, responsible_organisation)
    _check_dates(starts_on, ends_on)
    measure = Measure.objects.select_for_update().get(pk=measure.pk)
    measure.title = title.strip()
    measure.description = description.strip()
    measure.responsible_department = responsible_department
    measure.responsible_organisation = responsible_organisation
    measure.starts_on = starts_on
    measure.ends_on = ends_on
    measure._history_user = by
    measure.full_clean()
    measure.save()
    measure.municipalities.set(municipalities)
    return measure


def _queue_notice(measure_id: int, kind: str) -> None:
    from .tasks import measure_notify_authors_task

    outbox.enqueue(measure_notify_authors_task, kwargs={"measure_id": measure_id, "kind": kind})


def _follow_concept(concept: Concept, by) -> None:
    """Moves the concept along with its measures (never backwards): automatic steps."""
    statuses = set(
        Measure.objects.filter(concept=concept)
        .exclude(status=S.CANCELLED)
        .values_list("status", flat=True)
    )
    concept.refresh_from_db(fields=["status"])
    if concept.status == Concept.Status.ADOPTED and statuses & {S.STARTED, S.DONE}:
        concept = concept_set_status(
            concept=concept, status=Concept.Status.IN_IMPLEMENTATION, by=None, check=False
        )
    if concept.status == Concept.Status.IN_IMPLEMENTATION and statuses == {S.DONE}:
        concept_set_status(concept=concept, status=Concept.Status.IMPLEMENTED, by=None, check=False)


@transaction.atomic
def measure_set_status(
    *,
    measure: Measure,
    status: str,
    by,
    progress: int | None = None,
    note: str = "",
    check: bool = True,
) -> Measure:
    """Changes the status (and optionally the percentage), keeps a progress note and
    tells the ideas' authors when the measure starts and when it is done."""
    if check:
        _require(by, "implementation.change_measure", measure)
    measure = Measure.objects.select_for_update().get(pk=measure.pk)
    if status not in S.values:
        raise ValidationError(_("Unbekannter Status."))
    if status != measure.status and status not in TRANSITIONS[measure.status]:
        raise ValidationError(
            _("Eine Maßnahme kann nicht von „%(from)s“ zu „%(to)s“ wechseln.")
            % {"from": measure.get_status_display(), "to": S(status).label}
        )
    if progress is not None:
        if not 0 <= progress <= 100:
            raise ValidationError({"progress": _("Der Fortschritt liegt zwischen 0 und 100 %.")})
        measure.progress = progress
    if status == S.DONE:
        measure.progress = 100
    if status == S.STARTED and measure.starts_on is None:
        measure.starts_on = timezone.localdate()
    changed = status != measure.status
    measure.status = status
    measure._history_user = by
    measure.save()
    if note.strip() or changed or progress is not None:
        ProgressNote.objects.create(
            measure=measure,
            text=note.strip() or _("Status: %(status)s") % {"status": S(status).label},
            progress=measure.progress,
            author=by,
        )
    if changed and status in (S.STARTED, S.DONE):
        _queue_notice(measure.pk, status)
    if changed:
        _follow_concept(measure.concept, by)
    return measure


@transaction.atomic
def milestone_add(
    *, measure: Measure, title: str, due_on: datetime.date, by, done_on=None, check: bool = True
) -> Milestone:
    if check:
        _require(by, "implementation.change_measure", measure)
    milestone = Milestone(measure=measure, title=title.strip(), due_on=due_on, done_on=done_on)
    milestone._history_user = by
    milestone.full_clean()
    milestone.save()
    return milestone


@transaction.atomic
def milestone_set_done(
    *, milestone: Milestone, by, done_on: datetime.date | None = None, check: bool = True
) -> Milestone:
    if check:
        _require(by, "implementation.change_measure", milestone.measure)
    milestone.done_on = done_on or timezone.localdate()
    milestone._history_user = by
    milestone.save(update_fields=["done_on", "modified"])
    return milestone


# --- e-mails to the ideas' authors ------------------------------------------------


def _authors_of(measure: Measure) -> list:
    ideas = Idea.objects.filter(concept_link__concept_id=measure.concept_id).select_related(
        "author"
    )
    seen, authors = set(), []
    for idea in ideas:
        author = idea.author
        if author and author.is_active and author.email and author.pk not in seen:
            seen.add(author.pk)
            authors.append((author, idea))
    return authors


@transaction.atomic
def measure_notify_authors(*, measure_id: int, kind: str) -> bool:
    """E-mails each author of an idea in the measure's concept, once per measure and
    event: the notice row is locked and marked in the same transaction."""
    measure = Measure.objects.select_related("concept").filter(pk=measure_id).first()
    if measure is None or kind not in MeasureNotice.Kind.values:
        return False
    notice, _created = MeasureNotice.objects.get_or_create(measure=measure, kind=kind)
    notice = MeasureNotice.objects.select_for_update().get(pk=notice.pk)
    if notice.sent_at is not None:
        return False
    url = settings.PORTAL_URL.rstrip("/") + reverse(
        "implementation:measure_detail", args=[measure.pk]
    )
    messages = []
    with translation.override(settings.LANGUAGE_CODE):
        for author, idea in _authors_of(measure):
            context = {"measure": measure, "idea": idea, "author": author, "url": url, "kind": kind}
            if kind == MeasureNotice.Kind.STARTED:
                subject = _("Ihre Idee wird umgesetzt: „%(title)s“ hat begonnen") % {
                    "title": measure.title
                }
            else:
                subject = _("Ihre Idee ist umgesetzt: „%(title)s“") % {"title": measure.title}
            body = render_to_string("implementation/email/measure_notice.txt", context)
            messages.append((subject, body, settings.DEFAULT_FROM_EMAIL, [author.email]))
    if messages:
        send_mass_mail(messages, fail_silently=False)
    notice.sent_at = timezone.now()
    notice.recipients = [m[3][0] for m in messages]
    notice.save(update_fields=["sent_at", "recipients"])
    return bool(messages)
