"""Reads of the workshops app. Every queryset carries what its templates show."""

import hashlib
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.db.models import (
    Count,
    F,
    Max,
    Prefetch,
    Q,
    QuerySet,
    Sum,
    Value,
    Window,
    prefetch_related_objects,
)
from django.db.models.functions import Coalesce, RowNumber

from ideas.models import Idea, Topic
from participants.models import Department, Municipality
from participants.rules import is_moderator_or_admin

from .models import (
    CONCEPT_MANUAL_TRANSITIONS,
    Concept,
    ConceptIdea,
    ConceptSignoff,
    ConceptVersion,
    GroupSuggestion,
    SignoffReminder,
    SuggestionRun,
    Workshop,
    WorkshopResponse,
)
from .rules import signoff_departments_of

# --- workshops -------------------------------------------------------------------


def workshop_list(*, user) -> QuerySet[Workshop]:
    """Workshops ``user`` may see: all for moderation, the invited ones for everyone else."""
    workshops = Workshop.objects.annotate(
        idea_count=Count("ideas", distinct=True), concept_count=Count("concepts", distinct=True)
    ).order_by("-starts_at")
    if is_moderator_or_admin(user):
        return workshops
    profile = getattr(user, "profile", None)
    invited = Q(participants=user) | Q(moderators=user) | Q(attendees=user)
    if profile is not None and profile.department_id:
        invited |= Q(departments=profile.department_id)
    if profile is not None and profile.organisation_id:
        invited |= Q(organisations=profile.organisation_id)
    return workshops.filter(pk__in=Workshop.objects.filter(invited).values("pk"))


def workshop_detail(*, user) -> QuerySet[Workshop]:
    User = get_user_model()
    people = User.objects.select_related("profile").order_by("last_name", "first_name")
    return workshop_list(user=user).prefetch_related(
        Prefetch("moderators", queryset=people),
        Prefetch("participants", queryset=people),
        Prefetch("attendees", queryset=people),
        "departments",
        "organisations",
        Prefetch("ideas", queryset=Idea.objects.select_related("topic").order_by("title")),
        Prefetch("concepts", queryset=Concept.objects.annotate(idea_count=Count("idea_links"))),
    )


@dataclass
class AttendanceRow:
    person: object
    response: WorkshopResponse | None

    @property
    def answer(self) -> str | None:
        return self.response.answer if self.response else None


@dataclass
class Attendance:
    """Who is invited or answered, with the answer, and the counts (for moderation)."""

    rows: list[AttendanceRow]

    def _count(self, answer) -> int:
        return sum(1 for row in self.rows if row.answer == answer)

    @property
    def accepted(self) -> int:
        return self._count(WorkshopResponse.Answer.ACCEPTED)

    @property
    def declined(self) -> int:
        return self._count(WorkshopResponse.Answer.DECLINED)

    @property
    def open(self) -> int:
        return self._count(None)


def workshop_attendance(*, workshop: Workshop) -> Attendance:
    """The invited persons and everyone who answered (invited through their department
    or organisation, say), by name, in two queries."""
    responses = {r.user_id: r for r in WorkshopResponse.objects.filter(workshop=workshop)}
    invited = Workshop.participants.through.objects.filter(workshop=workshop).values("user_id")
    people = (
        get_user_model()
        .objects.filter(Q(pk__in=invited) | Q(pk__in=list(responses)))
        .select_related("profile__department", "profile__organisation")
        .order_by("last_name", "first_name", "username")
    )
    return Attendance(rows=[AttendanceRow(person, responses.get(person.pk)) for person in people])


def workshop_response_of(*, workshop: Workshop, user) -> WorkshopResponse | None:
    return WorkshopResponse.objects.filter(workshop=workshop, user=user).first()


# --- concepts ------------------------------------------------------------------


def concept_list(*, status: str | None = None) -> QuerySet[Concept]:
    concepts = (
        Concept.objects.select_related("workshop")
        .prefetch_related("responsible_departments", "responsible_organisations")
        .annotate(idea_count=Count("idea_links", distinct=True))
        .order_by("position", "id")
    )
    if status:
        concepts = concepts.filter(status=status)
    return concepts


def concept_detail() -> QuerySet[Concept]:
    return Concept.objects.select_related("workshop", "created_by").prefetch_related(
        "measures",
        "responsible_departments",
        "responsible_organisations",
        "municipalities",
        Prefetch(
            "idea_links",
            queryset=ConceptIdea.objects.select_related(
                "idea__topic", "idea__department", "idea__organisation", "idea__author"
            ).order_by("position", "id"),
        ),
        Prefetch(
            "signoffs",
            queryset=ConceptSignoff.objects.select_related("department", "signed_by"),
        ),
        Prefetch("reminders", queryset=SignoffReminder.objects.select_related("requested_by")),
    )


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


def concept_workflow_state(*, concept: Concept, user) -> dict:
    """Where ``concept`` stands and what ``user`` can do next: the departments' sign-off
    (``signoff``), the departments ``user`` may sign for (``my_departments``) and the
    statuses the moderators' buttons offer (``transitions``: the manual steps; the
    others follow from the sign-off, the committee and the measures)."""
    return {
        "signoff": concept_signoff_state(concept=concept),
        "my_departments": signoff_departments_of(user, concept),
        "transitions": CONCEPT_MANUAL_TRANSITIONS.targets(concept.status),
    }


def concept_history(*, concept: Concept):
    return concept.history.select_related("history_user").order_by("-history_date")[:50]


@dataclass
class VersionChanges:
    """What changed from ``base`` (a stored version) to ``version`` (None: the concept
    as it is now)."""

    base: ConceptVersion | None
    version: ConceptVersion | None
    changes: list


def concept_changes_since_agreed(*, concept: Concept) -> VersionChanges | None:
    """For the departments signing off again: the concept now against the last version
    all of them had agreed to. None when there is no such version or nothing changed."""
    from .versions import concept_snapshot, snapshot_diff

    if concept.status not in (Concept.Status.DRAFT, Concept.Status.IN_COORDINATION):
        return None
    agreed = (
        concept.versions.filter(kind=ConceptVersion.Kind.COORDINATED).order_by("-number").first()
    )
    if agreed is None:
        return None
    changes = snapshot_diff(agreed.content, concept_snapshot(concept))
    return VersionChanges(base=agreed, version=None, changes=changes) if changes else None


def concept_version_list(*, concept: Concept) -> list[VersionChanges]:
    """Every stored version, newest first, with what changed against the one before."""
    from .versions import snapshot_diff

    versions = list(concept.versions.select_related("created_by").order_by("number"))
    rows = []
    for index, version in enumerate(versions):
        base = versions[index - 1] if index else None
        changes = snapshot_diff(base.content, version.content) if base else []
        rows.append(VersionChanges(base=base, version=version, changes=changes))
    return rows[::-1]


# --- the grouping board ----------------------------------------------------------


#: Cards shown per column at first; "mehr laden" shows this many more in every column.
BOARD_PAGE = 25
BOARD_MAX_SHOWN = 5000


@dataclass
class BoardFilters:
    topic: int | None = None
    department: int | None = None
    municipality: int | None = None
    q: str = ""
    # not a filter: how many cards each column shows (the rest behind "mehr laden")
    shown: int = BOARD_PAGE

    @property
    def active(self) -> bool:
        return bool(self.topic or self.department or self.municipality or self.q)


@dataclass
class BoardColumn:
    concept: Concept | None
    ideas: list = field(default_factory=list)
    count: int = 0  # ideas in the column, shown or not

    @property
    def more(self) -> int:
        """How many ideas of the column are not shown."""
        return max(0, self.count - len(self.ideas))

    @property
    def key(self) -> str:
        return str(self.concept.pk) if self.concept else ""

    @property
    def locked(self) -> bool:
        return self.concept is not None and not self.concept.is_open_for_grouping


@dataclass
class Board:
    workshop: Workshop | None
    ungrouped: BoardColumn
    columns: list[BoardColumn]
    token: str
    total: int

    @property
    def targets(self) -> list[BoardColumn]:
        return [self.ungrouped, *[c for c in self.columns if not c.locked]]


def _board_scope(*, workshop: Workshop | None, filters: "BoardFilters") -> QuerySet[Idea]:
    """The ideas on a board: those treated in ``workshop`` (or every idea), without the
    rejected ungrouped ones, narrowed by the board's filters."""
    ideas = Idea.objects.all()
    if workshop is not None:
        treated = Workshop.ideas.through.objects.filter(workshop=workshop).values("idea_id")
        ideas = ideas.filter(Q(pk__in=treated) | Q(concept_link__concept__workshop=workshop))
    ideas = ideas.exclude(Q(status=Idea.Status.REJECTED) & Q(concept_link__isnull=True))
    if filters.topic:
        ideas = ideas.filter(topic_id=filters.topic)
    if filters.department:
        ideas = ideas.filter(department_id=filters.department)
    if filters.municipality:
        ideas = ideas.filter(
            pk__in=Idea.municipalities.through.objects.filter(
                municipality_id=filters.municipality
            ).values("idea_id")
        )
    if filters.q:
        ideas = ideas.filter(Q(title__icontains=filters.q) | Q(description__icontains=filters.q))
    return ideas


def board_ideas(*, workshop: Workshop | None, filters: "BoardFilters | None" = None):
    """The board's ideas, each annotated with its version and place (concept, position)."""
    return (
        _board_scope(workshop=workshop, filters=filters or BoardFilters())
        .select_related("topic", "department", "organisation")
        .prefetch_related("municipalities")
        .annotate(
            board_version=Coalesce("board_state__version", Value(0)),
            board_concept=F("concept_link__concept_id"),
            board_position=F("concept_link__position"),
        )
        .order_by("created", "id")
    )


def board_token(*, workshop: Workshop | None, filters: "BoardFilters | None" = None) -> str:
    """A short fingerprint of what the board shows, in two cheap queries: it changes
    with every move (versions only grow), with new or edited ideas and concepts, so a
    poll can answer "nothing new" without loading the board."""
    filters = filters or BoardFilters()
    ideas = _board_scope(workshop=workshop, filters=filters).aggregate(
        n=Count("id"),
        versions=Coalesce(Sum("board_state__version"), 0),
        last_id=Max("id"),
        modified=Max("modified"),
    )
    concepts = list(
        board_concepts(workshop=workshop).values_list("pk", "title", "status", "modified")
    )
    digest = hashlib.sha256(repr((sorted(ideas.items()), concepts)).encode())
    return digest.hexdigest()[:16]


def board_concepts(*, workshop: Workshop | None) -> QuerySet[Concept]:
    concepts = Concept.objects.order_by("position", "id")
    if workshop is not None:
        concepts = concepts.filter(workshop=workshop)
    return concepts


def _order_moves_set(ideas: list) -> None:
    """What the "up" and "down" buttons of each card send as ``before`` (the move's
    "in front of this idea"): up, the idea above; down, the one below the next, or ""
    (the end of the column); None where there is no such move."""
    for index, idea in enumerate(ideas):
        idea.move_up_before = ideas[index - 1].pk if index > 0 else None
        if index + 1 < len(ideas):
            idea.move_down_before = ideas[index + 2].pk if index + 2 < len(ideas) else ""
        else:
            idea.move_down_before = None


def board_data(*, workshop: Workshop | None, filters: BoardFilters | None = None) -> Board:
    """What the board shows, in a constant number of queries whatever the number of
    ideas: how many ideas each column holds, and the first ``filters.shown`` cards of
    each (the rest behind "mehr laden"). With 2,000 ideas the whole board took 2.5 s and
    1.7 MB (docs/benchmarks.md, ``python -m bench board``)."""
    filters = filters or BoardFilters()
    shown = max(1, min(filters.shown, BOARD_MAX_SHOWN))
    concepts = list(board_concepts(workshop=workshop))
    ideas = board_ideas(workshop=workshop, filters=filters)
    counts = dict(
        _board_scope(workshop=workshop, filters=filters)
        .order_by()
        .values_list("concept_link__concept_id")
        .annotate(n=Count("id"))
    )
    ideas = ideas.prefetch_related(None)  # both columns' cards at once, below
    # the first keys alone, then their cards: with the joins in one query, PostgreSQL
    # joined all 2,000 ideas before it sorted and kept 25 (56 ms, EXPLAIN ANALYZE)
    first_keys = (
        _board_scope(workshop=workshop, filters=filters)
        .filter(concept_link__isnull=True)
        .order_by("created", "id")
        .values("pk")[:shown]
    )
    ungrouped = list(ideas.filter(pk__in=first_keys))
    # each concept's first ideas in their order, and two more: the "down" button of the
    # last card shown moves its idea in front of the second one after it
    grouped = (
        ideas.filter(concept_link__concept__in=[c.pk for c in concepts])
        .annotate(
            column_rank=Window(
                RowNumber(),
                partition_by=F("concept_link__concept_id"),
                order_by=[F("concept_link__position").asc(), F("id").asc()],
            )
        )
        .filter(column_rank__lte=shown + 2)
    )
    grouped = list(grouped)
    prefetch_related_objects([*ungrouped, *grouped], "municipalities")
    by_concept: dict[int, list] = {c.pk: [] for c in concepts}
    for idea in grouped:
        by_concept[idea.board_concept].append(idea)
    columns = []
    for concept in concepts:
        column_ideas = sorted(by_concept[concept.pk], key=lambda i: (i.board_position, i.pk))
        _order_moves_set(column_ideas)
        columns.append(
            BoardColumn(
                concept=concept, ideas=column_ideas[:shown], count=counts.get(concept.pk, 0)
            )
        )
    return Board(
        workshop=workshop,
        ungrouped=BoardColumn(concept=None, ideas=ungrouped, count=counts.get(None, 0)),
        columns=columns,
        token=board_token(workshop=workshop, filters=filters),
        total=sum(counts.values()),
    )


def board_filter_choices() -> dict:
    return {
        "topics": Topic.objects.order_by("position", "name"),
        "departments": Department.objects.filter(is_active=True),
        "municipalities": Municipality.objects.all(),
    }


# --- suggestions ---------------------------------------------------------------


def suggestion_run_latest(*, workshop: Workshop | None) -> SuggestionRun | None:
    return SuggestionRun.objects.filter(workshop=workshop).order_by("-requested_at", "-id").first()


def suggestion_list(*, run: SuggestionRun) -> QuerySet[GroupSuggestion]:
    return (
        run.suggestions.filter(status=GroupSuggestion.Status.OPEN)
        .prefetch_related(
            Prefetch(
                "ideas",
                queryset=Idea.objects.select_related("topic")
                .annotate(grouped=F("concept_link__concept_id"))
                .order_by("title"),
            )
        )
        .order_by("-score", "id")
    )
