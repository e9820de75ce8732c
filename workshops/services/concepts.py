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

from ..models import (
    CONCEPT_TRANSITIONS,
    Concept,
    ConceptMeasure,
    Workshop,
)
from ..selectors import concept_signoff_state
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
) -> Concept:
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
        concept_add_ideas(concept=concept, ideas=ideas, by=by)
    return concept


def _set_ideas(concept: Concept, ideas: Iterable[Idea], by: AbstractBaseUser) -> None:
    """Makes ``ideas`` the concept's ideas: the others are taken out, new ones go in at
    the end (each step as on the board: status, history, board version)."""
    wanted = {idea.pk: idea for idea in ideas}
    current = set(concept.idea_links.values_list("idea_id", flat=True))
    for idea_pk in sorted(current - set(wanted)):
        concept_remove_idea(concept=concept, idea=Idea(pk=idea_pk), by=by)
    new = [idea for pk, idea in wanted.items() if pk not in current]
    if new:
        concept_add_ideas(concept=concept, ideas=new, by=by)


@transaction.atomic
def concept_update(
    *, concept: Concept, by: AbstractBaseUser, ideas: Iterable[Idea] | None = None, **fields
) -> Concept:
    """Saves the concept's content and, when ``ideas`` is given, its ideas, all or
    nothing: an idea that cannot move leaves the concept as it was."""
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
        _set_ideas(concept, ideas, by)
    return concept


# --- concept status ---------------------------------------------------------------

S = Concept.Status


@transaction.atomic
def concept_set_status(*, concept: Concept, status: str, by: AbstractBaseUser | None) -> Concept:
    """Moves ``concept`` to ``status`` along the allowed transitions.

    The committees app calls this when a concept goes to a committee (``submitted``)
    and on the committee's decision (``adopted`` / ``rejected``).
    """
    concept = Concept.objects.select_for_update().get(pk=concept.pk)
    if status == concept.status:
        return concept
    CONCEPT_TRANSITIONS.check(concept.status, status)
    if status == S.IN_COORDINATION and not concept.responsible_departments.exists():
        raise ValidationError(
            _("Bitte nennen Sie zuerst die verantwortlichen Ämter, die mitzeichnen sollen.")
        )
    if status == S.COORDINATED and not concept_signoff_state(concept=concept)["all_agreed"]:
        raise ValidationError(
            _("„abgestimmt“ setzt voraus, dass alle verantwortlichen Ämter zugestimmt haben.")
        )
    concept.status = status
    concept._history_user = by
    concept.save(update_fields=["status", "modified"])
    if status == S.IN_COORDINATION:
        _notify_signoff_requested(concept=concept, by=by)
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
