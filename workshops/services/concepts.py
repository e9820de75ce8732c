"""Concepts: their content, measures and status along the allowed transitions."""

from collections.abc import Iterable, Sequence

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from ideas.models import Idea
from roundtable.timeline.gates import WORKSHOP_WORK, phase_require

from ..models import (
    Concept,
    ConceptMeasure,
    ConceptVersion,
    Workshop,
)
from ..versions import concept_snapshot
from .board import concept_add_ideas

# --- concepts -----------------------------------------------------------------

CONCEPT_FIELDS = {"title", "summary", "goals", "workshop"}
CONCEPT_RELATIONS = ("responsible_departments", "responsible_organisations", "municipalities")


def _set_measures(concept: Concept, measures: Sequence[str]) -> None:
    concept.measures.all().delete()
    ConceptMeasure.objects.bulk_create(
        ConceptMeasure(concept=concept, position=i, text=text.strip())
        for i, text in enumerate(m for m in measures if m and m.strip())
    )


@transaction.atomic
def concept_create(
    *,
    title: str,
    by: AbstractBaseUser,
    summary: str = "",
    goals: str = "",
    workshop: Workshop | None = None,
    measures: Sequence[str] = (),
    responsible_departments: Iterable = (),
    responsible_organisations: Iterable = (),
    municipalities: Iterable = (),
    ideas: Iterable[Idea] = (),
    check: bool = True,
) -> Concept:
    """A new draft concept. ``check``: refused outside the workshop work's phase (the
    demo data passes False)."""
    if check:
        phase_require(WORKSHOP_WORK)
    position = (Concept.objects.aggregate(m=Max("position"))["m"] or 0) + 1
    concept = Concept(
        title=title,
        summary=summary,
        goals=goals,
        workshop=workshop,
        position=position,
        created_by=by,
    )
    concept._history_user = by
    concept.full_clean()
    concept.save()
    _set_measures(concept, measures)
    concept.responsible_departments.set(responsible_departments)
    concept.responsible_organisations.set(responsible_organisations)
    concept.municipalities.set(municipalities)
    ideas = list(ideas)
    if ideas:
        concept_add_ideas(concept=concept, ideas=ideas, by=by, check=check)
    return concept


def concept_check_editable(concept: Concept) -> None:
    if not concept.is_editable:
        raise ValidationError(
            _(
                "Das Konzept „%(title)s“ ist %(status)s und kann nicht mehr geändert werden: "
                "Was einem Gremium vorgelegt wurde, bleibt so, wie es vorgelegt wurde."
            )
            % {"title": concept.title, "status": concept.get_status_display()}
        )


def _version_add(*, concept: Concept, kind: str, by: AbstractBaseUser | None) -> ConceptVersion:
    last = concept.versions.aggregate(m=Max("number"))["m"] or 0
    return ConceptVersion.objects.create(
        concept=concept,
        number=last + 1,
        kind=kind,
        content=concept_snapshot(concept),
        created_by=by,
    )


@transaction.atomic
def concept_update(
    *, concept: Concept, by: AbstractBaseUser, check: bool = True, **fields
) -> Concept:
    """Changes the concept's content. An "abgestimmt" concept is frozen: a change makes
    a new version, withdraws the sign-offs and puts it "in Abstimmung" again (recorded
    as automatic); the departments then see what changed since the agreed version."""
    if check:
        phase_require(WORKSHOP_WORK)
    locked = Concept.objects.select_for_update().get(pk=concept.pk)
    concept.status = locked.status
    concept_check_editable(concept)
    frozen = concept.status == S.COORDINATED
    before = concept_snapshot(concept) if frozen else None
    measures = fields.pop("measures", None)
    relations = {name: fields.pop(name) for name in CONCEPT_RELATIONS if name in fields}
    for name, value in fields.items():
        if name not in CONCEPT_FIELDS:
            raise TypeError(f"concept_update() got an unexpected field {name!r}")
        setattr(concept, name, value)
    concept._history_user = by
    concept.full_clean()
    concept.save()
    if measures is not None:
        _set_measures(concept, measures)
    for name, value in relations.items():
        getattr(concept, name).set(value)
    if frozen and concept_snapshot(concept) != before:
        _version_add(concept=concept, kind=ConceptVersion.Kind.CHANGED, by=by)
        for signoff in concept.signoffs.all():
            signoff._history_user = by
            signoff.delete()
        concept.status = S.IN_COORDINATION
        concept._history_user = None  # automatic: the edit reopened the sign-off
        concept.save(update_fields=["status", "modified"])
    return concept


# --- concept status ---------------------------------------------------------------

S = Concept.Status
TRANSITIONS: dict[str, set[str]] = {
    S.DRAFT: {S.IN_COORDINATION},
    S.IN_COORDINATION: {S.DRAFT, S.COORDINATED},
    S.COORDINATED: {S.IN_COORDINATION, S.SUBMITTED},
    S.SUBMITTED: {S.ADOPTED, S.REJECTED, S.COORDINATED},
    S.ADOPTED: {S.IN_IMPLEMENTATION},
    S.REJECTED: {S.DRAFT},
    S.IN_IMPLEMENTATION: {S.IMPLEMENTED},
    S.IMPLEMENTED: set(),
}


def concept_signoff_state(*, concept: Concept) -> dict:
    """Who of the responsible departments has signed off how, and who is missing."""
    departments = list(concept.responsible_departments.all())
    signoffs = {s.department_id: s for s in concept.signoffs.all()}
    missing = [d for d in departments if d.pk not in signoffs]
    objecting = [
        signoffs[d.pk] for d in departments if d.pk in signoffs and not signoffs[d.pk].agrees
    ]
    return {
        "departments": departments,
        "rows": [(d, signoffs.get(d.pk)) for d in departments],
        "missing": missing,
        "objecting": objecting,
        "all_agreed": bool(departments) and not missing and not objecting,
    }


#: What moderation may set by hand (workshop work); the other steps follow from the
#: sign-off, the committee's paper and decision, and the measures.
MANUAL_TRANSITIONS: dict[str, set[str]] = {
    S.DRAFT: {S.IN_COORDINATION},
    S.IN_COORDINATION: {S.DRAFT},
    S.COORDINATED: {S.IN_COORDINATION},
    S.REJECTED: {S.DRAFT},
}


@transaction.atomic
def concept_set_status(
    *, concept: Concept, status: str, by: AbstractBaseUser | None, check: bool = True
) -> Concept:
    """Moves ``concept`` to ``status`` along the allowed transitions.

    ``check`` (a person's step): only the manual transitions, only while the workshop
    work is open. The workshops app itself (sign-off complete), the committees app
    (submitted, decided) and the implementation app (measures) pass ``check=False``
    and ``by=None``: those steps are recorded as automatic.
    """
    concept = Concept.objects.select_for_update().get(pk=concept.pk)
    if status == concept.status:
        return concept
    if check:
        phase_require(WORKSHOP_WORK)
        if status not in MANUAL_TRANSITIONS.get(concept.status, set()):
            raise ValidationError(
                _("„%(to)s“ ergibt sich aus dem Verfahren und wird nicht von Hand gesetzt.")
                % {"to": Concept.Status(status).label}
                if status in TRANSITIONS.get(concept.status, set())
                else _("Ein Konzept kann nicht von „%(from)s“ zu „%(to)s“ wechseln.")
                % {"from": concept.get_status_display(), "to": Concept.Status(status).label}
            )
    if status not in TRANSITIONS.get(concept.status, set()):
        raise ValidationError(
            _("Ein Konzept kann nicht von „%(from)s“ zu „%(to)s“ wechseln.")
            % {"from": concept.get_status_display(), "to": Concept.Status(status).label}
        )
    if status == S.IN_COORDINATION and not concept.responsible_departments.exists():
        raise ValidationError(
            _("Bitte nennen Sie zuerst die verantwortlichen Ämter, die mitzeichnen sollen.")
        )
    # (back from a committee, the departments' agreement stands)
    agreeing = status == S.COORDINATED and concept.status == S.IN_COORDINATION
    if agreeing and not concept_signoff_state(concept=concept)["all_agreed"]:
        raise ValidationError(
            _("„abgestimmt“ setzt voraus, dass alle verantwortlichen Ämter zugestimmt haben.")
        )
    concept.status = status
    concept._history_user = by
    concept.save(update_fields=["status", "modified"])
    if agreeing:
        _version_add(concept=concept, kind=ConceptVersion.Kind.COORDINATED, by=by)
    return concept
