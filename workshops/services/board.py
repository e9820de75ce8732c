"""The grouping board: ideas into concepts and between them, by mouse or keyboard, with a
version per idea so that two moderators moving the same idea get a clear message."""

from collections.abc import Iterable

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from ideas import services as idea_services
from ideas.models import Idea
from roundtable.notifications import services as notifications
from roundtable.notifications.models import Kind
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


def _notify_in_concept(*, idea: Idea, concept: Concept, by: AbstractBaseUser | None) -> None:
    """The author (and whoever follows the idea) hears which concept took it up: this
    says more than the status "in Konzept übernommen", which is not sent as well."""
    notifications.notify_followers(
        target=idea,
        owner=idea.author,
        owner_text=gettext_noop(
            "Ihre Idee „%(title)s“ ist in das Konzept „%(concept)s“ übernommen."
        ),
        text=gettext_noop(
            "Die Idee „%(title)s“, der Sie folgen, ist in das Konzept „%(concept)s“ übernommen."
        ),
        kind=Kind.IDEA_IN_CONCEPT,
        params={"title": idea.title, "concept": concept.title},
        link=concept.get_absolute_url(),
        actor=by,
    )


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
    *,
    concept: Concept,
    idea: Idea,
    position: int | None = None,
    before: int | None = None,
    by: AbstractBaseUser | None,
) -> None:
    """Puts ``idea`` at ``position`` of the concept's ordered ideas, or in front of the
    idea with the pk ``before``; at the end when neither is given or ``before`` is not
    (or no longer) in the concept. The caller holds the concept's lock, so the order
    read here is the one written."""
    links = [
        link for link in concept.idea_links.order_by("position", "id") if link.idea_id != idea.pk
    ]
    if before is not None:
        position = next((index for index, link in enumerate(links) if link.idea_id == before), None)
    link = ConceptIdea.objects.filter(idea=idea).first()
    if link is None:
        link = ConceptIdea(idea=idea, added_by=by)
    moved_here = link.concept_id != concept.pk
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
    idea_services.idea_join_concept(idea=idea, by=by, notify=False)
    if moved_here:
        _notify_in_concept(idea=idea, concept=concept, by=by)


def _remove_from_concept(*, idea: Idea, by: AbstractBaseUser | None) -> None:
    deleted, _counts = ConceptIdea.objects.filter(idea=idea).delete()
    if deleted:
        idea_services.idea_leave_concept(idea=idea, by=by)


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
        _place_in_concept(concept=concept, idea=idea, by=by)
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
    before: int | None = None,
    workshop: Workshop | None = None,
    check: bool = True,
) -> IdeaBoardState:
    """Moves ``idea`` into ``concept`` at ``position``, or in front of the idea with the
    pk ``before`` (the card it was dropped on); at the end when neither is given. Back to
    the ungrouped ideas when ``concept`` is None.

    The place is computed under the concept's lock, so two moves into the same concept
    do not both insert at a position read before the other one wrote.

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
        _place_in_concept(concept=concept, idea=idea, position=position, before=before, by=by)
        concept._history_user = by
        concept.save(update_fields=["modified"])
    elif current is not None:
        _remove_from_concept(idea=idea, by=by)
    if workshop is not None:
        workshop.ideas.add(idea)
    _bump(state, by)
    return state
