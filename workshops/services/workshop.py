"""Workshops: their invitations, moderators and ideas."""

from collections.abc import Iterable

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction

from ideas.models import Idea

from ..models import (
    Workshop,
)
from .invitations import calendar_changed, workshop_invitations_after_save, workshop_invitees

# --- workshops ----------------------------------------------------------------


def _set_workshop_relations(workshop: Workshop, relations: dict) -> None:
    for name in ("moderators", "participants", "attendees", "departments", "organisations"):
        if name in relations and relations[name] is not None:
            getattr(workshop, name).set(relations[name])
    if relations.get("ideas") is not None:
        workshop.ideas.set(relations["ideas"])


@transaction.atomic
def workshop_create(
    *,
    title: str,
    starts_at,
    by: AbstractBaseUser,
    ends_at=None,
    place: str = "",
    agenda: str = "",
    minutes: str = "",
    moderators: Iterable | None = None,
    participants: Iterable | None = None,
    attendees: Iterable | None = None,
    departments: Iterable | None = None,
    organisations: Iterable | None = None,
    ideas: Iterable | None = None,
    include_ungrouped_ideas: bool = False,
) -> Workshop:
    workshop = Workshop(
        title=title,
        starts_at=starts_at,
        ends_at=ends_at,
        place=place,
        agenda=agenda,
        minutes=minutes,
    )
    workshop._history_user = by
    workshop.full_clean()
    workshop.save()
    _set_workshop_relations(
        workshop,
        {
            "moderators": moderators if moderators is not None else [by],
            "participants": participants,
            "attendees": attendees,
            "departments": departments,
            "organisations": organisations,
            "ideas": ideas,
        },
    )
    if include_ungrouped_ideas:
        workshop_add_ungrouped_ideas(workshop=workshop)
    workshop_invitations_after_save(workshop=workshop, before=None, invited_before=set(), by=by)
    return workshop


@transaction.atomic
def workshop_update(*, workshop: Workshop, by: AbstractBaseUser, **fields) -> Workshop:
    before = Workshop.objects.select_for_update().get(pk=workshop.pk)  # as stored
    invited_before = workshop_invitees(before)
    relations = {}
    include_ungrouped = fields.pop("include_ungrouped_ideas", False)
    for name in (
        "moderators",
        "participants",
        "attendees",
        "departments",
        "organisations",
        "ideas",
    ):
        if name in fields:
            relations[name] = fields.pop(name)
    for name, value in fields.items():
        if name not in {"title", "starts_at", "ends_at", "place", "agenda", "minutes"}:
            raise TypeError(f"workshop_update() got an unexpected field {name!r}")
        setattr(workshop, name, value)
    if calendar_changed(before, workshop):
        workshop.sequence = before.sequence + 1
    workshop._history_user = by
    workshop.full_clean()
    workshop.save()
    if relations.get("ideas") is not None:
        # ideas already grouped into this workshop's concepts stay treated in it
        grouped = Idea.objects.filter(concept_link__concept__workshop=workshop)
        relations["ideas"] = set(relations["ideas"]) | set(grouped)
    _set_workshop_relations(workshop, relations)
    if include_ungrouped:
        workshop_add_ungrouped_ideas(workshop=workshop)
    workshop_invitations_after_save(
        workshop=workshop, before=before, invited_before=invited_before, by=by
    )
    return workshop


def workshop_add_ungrouped_ideas(*, workshop: Workshop) -> int:
    """Treats every idea in the workshop that is neither grouped nor rejected."""
    ideas = list(
        Idea.objects.filter(concept_link__isnull=True)
        .exclude(status=Idea.Status.REJECTED)
        .values_list("pk", flat=True)
    )
    workshop.ideas.add(*ideas)
    return len(ideas)
