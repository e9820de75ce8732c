"""Concepts: their content, measures and status along the allowed transitions."""

from collections.abc import Iterable, Sequence

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from ideas.models import Idea
from roundtable.notifications import services as notifications
from roundtable.notifications.models import Kind
from roundtable.timeline.gates import WORKSHOP_WORK, phase_require

from ..models import (
    CONCEPT_MANUAL_TRANSITIONS,
    CONCEPT_TRANSITIONS,
    Concept,
    ConceptMeasure,
    ConceptVersion,
    Workshop,
)
from ..selectors import concept_signoff_state
from ..versions import concept_snapshot
from .board import concept_add_ideas, concept_remove_idea

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


def _set_ideas(
    concept: Concept, ideas: Iterable[Idea], by: AbstractBaseUser, *, check: bool
) -> None:
    """Makes ``ideas`` the concept's ideas: the others are taken out, new ones go in at
    the end (each step as on the board: status, history, board version)."""
    wanted = {idea.pk: idea for idea in ideas}
    current = set(concept.idea_links.values_list("idea_id", flat=True))
    for idea_pk in sorted(current - set(wanted)):
        concept_remove_idea(concept=concept, idea=Idea(pk=idea_pk), by=by, check=check)
    new = [idea for pk, idea in wanted.items() if pk not in current]
    if new:
        concept_add_ideas(concept=concept, ideas=new, by=by, check=check)


@transaction.atomic
def concept_update(
    *,
    concept: Concept,
    by: AbstractBaseUser,
    ideas: Iterable[Idea] | None = None,
    check: bool = True,
    **fields,
) -> Concept:
    """Saves the concept's content and, when ``ideas`` is given, its ideas, all or
    nothing: an idea that cannot move leaves the concept as it was.

    An "abgestimmt" concept is frozen: a change makes a new version, withdraws the
    sign-offs and puts it "in Abstimmung" again (recorded as automatic); the departments
    then see what changed since the agreed version. ``check``: refused outside the
    workshop work's phase (the demo data passes False)."""
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
    if ideas is not None:
        _set_ideas(concept, ideas, by, check=check)
    if (
        "responsible_departments" in relations
        and concept.status == S.IN_COORDINATION
        and concept_signoff_state(concept=concept)["all_agreed"]
    ):
        # the one department still missing was taken off: the others have all agreed
        concept_set_status(concept=concept, status=S.COORDINATED, by=None, check=False)
        concept.refresh_from_db(fields=["status"])
    if frozen and concept_snapshot(concept) != before:
        _version_add(concept=concept, kind=ConceptVersion.Kind.CHANGED, by=by)
        for signoff in concept.signoffs.all():
            signoff._history_user = by
            signoff.delete()
        concept.status = S.IN_COORDINATION
        concept._history_user = None  # automatic: the edit reopened the sign-off
        concept.save(update_fields=["status", "modified"])
        _notify_signoff_requested(concept=concept, by=None)
    return concept


# --- concept status ---------------------------------------------------------------

S = Concept.Status


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
        if CONCEPT_TRANSITIONS.allowed(concept.status, status) and not (
            CONCEPT_MANUAL_TRANSITIONS.allowed(concept.status, status)
        ):
            raise ValidationError(
                _("„%(to)s“ ergibt sich aus dem Verfahren und wird nicht von Hand gesetzt.")
                % {"to": Concept.Status(status).label}
            )
    CONCEPT_TRANSITIONS.check(concept.status, status)
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
    if status == S.IN_COORDINATION:
        _notify_signoff_requested(concept=concept, by=by)
    if agreeing:
        _version_add(concept=concept, kind=ConceptVersion.Kind.COORDINATED, by=by)
    return concept


def _notify_signoff_requested(*, concept: Concept, by: AbstractBaseUser | None) -> None:
    """The departments that have not signed off yet are asked to (their contacts)."""
    from .signoff import signoff_contacts

    missing = concept_signoff_state(concept=concept)["missing"]
    notifications.notify(
        recipients=signoff_contacts(missing),
        kind=Kind.SIGNOFF_REQUESTED,
        text=gettext_noop("Bitte zeichnen Sie das Konzept „%(title)s“ für Ihr Amt mit."),
        params={"title": concept.title},
        link=reverse("workshops:concept_signoff", args=[concept.pk]),
        target=concept,
        actor=by,
    )
