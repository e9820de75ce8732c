"""The grouping board: ideas into concepts and between them, by mouse or keyboard, with a
version per idea so that two moderators moving the same idea get a clear message."""

from collections.abc import Iterable

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ideas import services as idea_services
from ideas.models import Idea
from roundtable.timeline.gates import WORKSHOP_WORK, phase_require

from ..models import (
    Concept,
    ConceptIdea,
    IdeaBoardState,
    Workshop,
)


class StaleMove(Exception):
    """The board that asked for a move showed an older state of the idea."""

    def __init__(self, idea: Idea, message: str):
        super().__init__(message)
        self.idea = idea
        self.message = message


# --- ideas: status changes caused by grouping ----------------------------------------


def _idea_set_status(*, idea: Idea, status: str, by: AbstractBaseUser | None) -> None:
    """Changes an idea's status through the ideas app's own service, which keeps the
    step in the idea's history and tells the author.

    The ideas workflow lets only accepted ideas go into a concept, so an idea that
    is grouped straight from "eingereicht" or "in Prüfung" is accepted first (two
    recorded steps, one e-mail: "in Konzept übernommen"); taking it out of a concept
    makes it "angenommen" again.
    """
    idea.refresh_from_db(fields=["status"])
    if idea.status == status:
        return
    if status == Idea.Status.IN_CONCEPT and idea.status != Idea.Status.ACCEPTED:
        idea_services.idea_status_change(
            idea=idea, by=by, to_status=Idea.Status.ACCEPTED, check=False, notify=False
        )
    idea_services.idea_status_change(idea=idea, by=by, to_status=status, check=False)
    idea.refresh_from_db(fields=["status", "public_feedback", "modified"])


def _lock_state(idea: Idea) -> IdeaBoardState:
    """The idea's board state, locked until the transaction ends (created if missing)."""
    IdeaBoardState.objects.get_or_create(idea=idea)
    return IdeaBoardState.objects.select_for_update().get(idea=idea)


def _check_open(concept: Concept) -> None:
    if not concept.is_open_for_grouping:
        raise ValidationError(
            _(
                "Das Konzept „%(title)s“ ist %(status)s; seine Ideen können nicht mehr "
                "geändert werden."
            )
            % {"title": concept.title, "status": concept.get_status_display()}
        )


def _place_in_concept(
    *, concept: Concept, idea: Idea, position: int | None, by: AbstractBaseUser | None
) -> None:
    """Puts ``idea`` at ``position`` (None: at the end) of the concept's ordered ideas."""
    links = [
        link for link in concept.idea_links.order_by("position", "id") if link.idea_id != idea.pk
    ]
    link = ConceptIdea.objects.filter(idea=idea).first()
    if link is None:
        link = ConceptIdea(idea=idea, added_by=by)
    link.concept = concept
    if position is None or position > len(links):
        position = len(links)
    links.insert(max(0, position), link)
    for index, item in enumerate(links):
        item.position = index
    link.save()
    ConceptIdea.objects.bulk_update([item for item in links if item.pk != link.pk], ["position"])
    if concept.workshop_id:
        concept.workshop.ideas.add(idea)
    _idea_set_status(idea=idea, status=Idea.Status.IN_CONCEPT, by=by)


def _remove_from_concept(*, idea: Idea, by: AbstractBaseUser | None) -> None:
    deleted, _counts = ConceptIdea.objects.filter(idea=idea).delete()
    if deleted:
        _idea_set_status(idea=idea, status=Idea.Status.ACCEPTED, by=by)


def _bump(state: IdeaBoardState, by: AbstractBaseUser | None) -> None:
    state.version += 1
    state.moved_by = by
    state.moved_at = timezone.now()
    state.save()


@transaction.atomic
def concept_add_ideas(
    *, concept: Concept, ideas: Iterable[Idea], by: AbstractBaseUser, check: bool = True
) -> list[Idea]:
    """Takes ``ideas`` up into ``concept`` (at its end); an idea in another concept moves.
    ``check``: refused outside the workshop work's phase."""
    if check:
        phase_require(WORKSHOP_WORK)
    concept = (
        Concept.objects.select_for_update(of=("self",))
        .select_related("workshop")
        .get(pk=concept.pk)
    )
    _check_open(concept)
    added = []
    for idea in ideas:
        state = _lock_state(idea)
        current = ConceptIdea.objects.filter(idea=idea).select_related("concept").first()
        if current is not None and current.concept_id == concept.pk:
            continue
        if current is not None:
            _check_open(current.concept)
        _place_in_concept(concept=concept, idea=idea, position=None, by=by)
        _bump(state, by)
        added.append(idea)
    concept._history_user = by
    concept.save(update_fields=["modified"])
    return added


@transaction.atomic
def concept_remove_idea(
    *, concept: Concept, idea: Idea, by: AbstractBaseUser, check: bool = True
) -> None:
    """Takes ``idea`` out of ``concept``; it keeps everything else and is ungrouped again."""
    if check:
        phase_require(WORKSHOP_WORK)
    concept = Concept.objects.select_for_update().get(pk=concept.pk)
    _check_open(concept)
    state = _lock_state(idea)
    if not ConceptIdea.objects.filter(idea=idea, concept=concept).exists():
        return
    _remove_from_concept(idea=idea, by=by)
    _bump(state, by)
    concept._history_user = by
    concept.save(update_fields=["modified"])


@transaction.atomic
def idea_move(
    *,
    idea: Idea,
    concept: Concept | None,
    version: int,
    by: AbstractBaseUser,
    position: int | None = None,
    workshop: Workshop | None = None,
    check: bool = True,
) -> IdeaBoardState:
    """Moves ``idea`` into ``concept`` at ``position`` (None: at the end), or back to the
    ungrouped ideas when ``concept`` is None.

    Optimistic locking: ``version`` is the idea's version the board showed. The idea's
    board state row is locked, so concurrent moves of the same idea run one after the
    other; the second finds a newer version and is refused with ``StaleMove``.
    """
    if check:
        phase_require(WORKSHOP_WORK)
    state = _lock_state(idea)
    if state.version != version:
        mover = state.moved_by
        raise StaleMove(
            idea,
            _(
                "„%(title)s“ wurde inzwischen von %(name)s verschoben. Die Tafel zeigt "
                "jetzt den aktuellen Stand; bitte prüfen Sie und verschieben Sie erneut."
            )
            % {
                "title": idea.title,
                "name": (mover.get_full_name() or mover.get_username())
                if mover
                else _("jemand anderem"),
            },
        )
    current = ConceptIdea.objects.filter(idea=idea).select_related("concept").first()
    if current is not None and (concept is None or current.concept_id != concept.pk):
        _check_open(current.concept)
    if concept is not None:
        concept = (
            Concept.objects.select_for_update(of=("self",))
            .select_related("workshop")
            .get(pk=concept.pk)
        )
        _check_open(concept)
        _place_in_concept(concept=concept, idea=idea, position=position, by=by)
        concept._history_user = by
        concept.save(update_fields=["modified"])
    elif current is not None:
        _remove_from_concept(idea=idea, by=by)
    if workshop is not None:
        workshop.ideas.add(idea)
    _bump(state, by)
    return state
