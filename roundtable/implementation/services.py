"""Writes of the implementation app: measures of adopted concepts, milestones,
progress notes and the notifications to the ideas' authors.

A concept's own status follows its measures through the workshops app's service:
the first measure that starts makes it "in Umsetzung", the last one done makes it
"umgesetzt".
"""

import datetime
import logging
from collections.abc import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from ideas.models import Idea
from participants.models import Department, Municipality, Organisation
from roundtable.notifications import services as notifications
from roundtable.notifications.models import Kind
from roundtable.notifications.selectors import followers_of
from roundtable.timeline.gates import IMPLEMENTATION, phase_require
from workshops.models import Concept
from workshops.services import concept_set_status

from .models import MEASURE_TRANSITIONS, Measure, MeasureNotice, Milestone, ProgressNote

logger = logging.getLogger(__name__)

#: Concepts that may get measures: the committee has adopted them.
DECIDED_CONCEPT_STATUSES = (
    Concept.Status.ADOPTED,
    Concept.Status.IN_IMPLEMENTATION,
    Concept.Status.IMPLEMENTED,
)

S = Measure.Status


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
    if status != measure.status:
        MEASURE_TRANSITIONS.check(measure.status, status)
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
        measure_notify(measure=measure, kind=status, by=by)
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


# --- notifications to the ideas' authors ------------------------------------------


@transaction.atomic
def measure_notify(*, measure: Measure, kind: str, by=None) -> bool:
    """Tells the authors of the concept's ideas (and whoever follows those ideas or the
    concept) that the measure started or is done: once per measure and event, however
    often its status goes back and forth. Returns whether this was the first time."""
    _notice, created = MeasureNotice.objects.get_or_create(
        measure=measure, kind=kind, defaults={"sent_at": timezone.now()}
    )
    if not created:
        return False
    concept = measure.concept
    ideas = list(Idea.objects.filter(concept_link__concept=concept).select_related("author"))
    started = kind == MeasureNotice.Kind.STARTED
    fields = {
        "kind": Kind.MEASURE,
        "link": measure.get_absolute_url(),
        "target": measure,
        "actor": by,
    }
    told = set()
    for idea in ideas:
        if idea.author is None or idea.author.pk in told:
            continue
        told.add(idea.author.pk)
        notifications.notify(
            recipients=[idea.author],
            text=gettext_noop("Ihre Idee „%(title)s“ wird umgesetzt: „%(measure)s“ hat begonnen.")
            if started
            else gettext_noop("Ihre Idee „%(title)s“ ist umgesetzt: „%(measure)s“."),
            params={"title": idea.title, "measure": measure.title},
            **fields,
        )
    notifications.notify(
        recipients=followers_of(concept, *ideas).exclude(pk__in=told),
        text=gettext_noop("Die Maßnahme „%(measure)s“ zum Konzept „%(concept)s“ hat begonnen.")
        if started
        else gettext_noop("Die Maßnahme „%(measure)s“ zum Konzept „%(concept)s“ ist umgesetzt."),
        params={"measure": measure.title, "concept": concept.title},
        **fields,
    )
    return True
