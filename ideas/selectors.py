"""Reads of the Ideenwerkstatt. Every queryset carries its joins and prefetches:
a page or an export costs the same number of queries for 10 or 10,000 ideas."""

import re

from django.conf import settings
from django.contrib.postgres.search import SearchRank
from django.db.models import (
    Aggregate,
    BooleanField,
    Case,
    CharField,
    Exists,
    F,
    Func,
    IntegerField,
    OuterRef,
    Prefetch,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce

from participants.models import Municipality

from . import search
from .models import Attachment, Comment, Idea, IdeaStatusChange, Support, TargetGroup

SORTS = {
    "newest": ("-created", "-id"),
    "oldest": ("created", "id"),
    "supported": ("-support_count", "-id"),
    "discussed": ("-comment_count", "-id"),
}


def _uses_postgres() -> bool:
    return settings.USES_POSTGRES


def status_labels() -> dict[str, str]:
    """Each status's label in the active language, translated once for a whole export or
    report instead of once per idea (measured: ~10 % of a 10,000-row export)."""
    return {value: str(label) for value, label in Idea.Status.choices}


def idea_base() -> QuerySet[Idea]:
    return (
        Idea.objects.select_related("topic", "department", "organisation", "author", "phase")
        .prefetch_related(
            Prefetch("target_groups", queryset=TargetGroup.objects.order_by("position", "name")),
            "municipalities",
        )
        .defer("search_vector")
    )


def idea_search(queryset: QuerySet[Idea], text: str) -> QuerySet[Idea]:
    """Full-text search with German word forms and ranking (stemming, so "Sprachkurse"
    finds "Sprachkurs"): PostgreSQL's German configuration, FTS5 on SQLite with the same
    Snowball stemmer (ideas/search.py). Adds ``rank``."""
    text = (text or "").strip()[:200]
    if not text:
        return queryset
    if _uses_postgres():
        query = search.all_words_query(text)
        if query is None:
            return queryset.annotate(rank=Value(0.0))
        return queryset.filter(search_vector=query).annotate(
            rank=SearchRank(F("search_vector"), query)
        )
    match = search.fts_all_words(text)
    if match is None:
        return queryset.annotate(rank=Value(0.0))
    return queryset.filter(pk__in=search.fts_matches(match)).annotate(rank=search.FtsRank(match))


def idea_list(
    *, user=None, search: str = "", sort: str = "", queryset: QuerySet[Idea] | None = None
) -> QuerySet[Idea]:
    """All ideas for the list page; ``supported_by_me`` tells whether ``user`` supports each."""
    qs = queryset if queryset is not None else idea_base()
    if user is not None and user.is_authenticated:
        qs = qs.annotate(
            supported_by_me=Exists(Support.objects.filter(idea=OuterRef("pk"), user=user))
        )
    else:
        qs = qs.annotate(supported_by_me=Value(False, output_field=BooleanField()))
    qs = idea_search(qs, search)
    if search and sort in ("", "relevance"):
        return qs.order_by("-rank", "-created", "-id")
    if sort == "queue":
        return idea_moderation_queue(queryset=qs)
    return qs.order_by(*SORTS.get(sort, SORTS["newest"]))


class JoinedNames(Func):
    """The names of an idea's target groups or municipalities, joined with ", " in their
    list order, as a subquery in the row's own query (the lists show 50 rows: one query
    instead of two prefetches and the model instances they build)."""

    output_field = CharField()

    def __init__(self, relation: str):
        field = Idea._meta.get_field(relation)
        through = field.remote_field.through
        target = field.related_model
        self._parts = {
            "table": target._meta.db_table,
            "link": through._meta.db_table,
            "source": through._meta.get_field(field.m2m_field_name()).column,
            "target": through._meta.get_field(field.m2m_reverse_field_name()).column,
            "order": [target._meta.get_field(name).column for name in target._meta.ordering],
        }
        super().__init__(F("pk"))

    def _sql(self, connection, aggregate_template: str) -> str:
        q = connection.ops.quote_name
        p = self._parts
        order = ", ".join(f"t.{q(column)}" for column in p["order"])
        inner = (
            f"FROM {q(p['table'])} t INNER JOIN {q(p['link'])} l ON l.{q(p['target'])} = t.id "
            f"WHERE l.{q(p['source'])} = %(expressions)s"
        )
        return aggregate_template.format(inner=inner, order=order)

    def as_postgresql(self, compiler, connection, **extra):
        template = self._sql(
            connection, "(SELECT STRING_AGG(t.name, ', ' ORDER BY {order}) {inner})"
        )
        return super().as_sql(compiler, connection, template=template, **extra)

    def as_sql(self, compiler, connection, **extra):
        # SQLite: GROUP_CONCAT keeps the order of the rows it is given
        template = self._sql(
            connection,
            "(SELECT GROUP_CONCAT(name, ', ') FROM (SELECT t.name {inner} ORDER BY {order}))",
        )
        return super().as_sql(compiler, connection, template=template, **extra)


ROW_FIELDS = (
    "id",
    "title",
    "status",
    "support_count",
    "comment_count",
    "created",
    "topic__name",
    "department__number",
    "department__name",
    "organisation__name",
    "target_group_names",
    "municipality_names",
    "supported_by_me",
)


def idea_rows(queryset: QuerySet[Idea]) -> list[dict]:
    """The rows of a list page (``ideas/_idea_rows.html``, ``ideas.rows``) as plain
    values, in one query: no model instances, no prefetches."""
    labels = status_labels()
    rows = list(
        queryset.prefetch_related(None)
        .annotate(
            target_group_names=JoinedNames("target_groups"),
            municipality_names=JoinedNames("municipalities"),
        )
        .values(*ROW_FIELDS)
    )
    for row in rows:
        row["status_label"] = labels.get(row["status"], row["status"])
        number, name = row.pop("department__number"), row.pop("department__name")
        organisation = row.pop("organisation__name")
        if number is not None or name is not None:  # as Department.__str__
            row["submitted_for"] = f"{number or ''} {name or ''}".strip()
        else:
            row["submitted_for"] = organisation or ""
    return rows


def idea_ids_supported(*, user, idea_ids: list[int]) -> set[int]:
    """Which of ``idea_ids`` ``user`` supports (one query; none without ideas)."""
    if not idea_ids or not user.is_authenticated:
        return set()
    return set(
        Support.objects.filter(user=user, idea_id__in=idea_ids).values_list("idea_id", flat=True)
    )


def idea_moderation_queue(*, queryset: QuerySet[Idea] | None = None) -> QuerySet[Idea]:
    """New ideas first (eingereicht, then in Prüfung, then the rest), oldest first within."""
    qs = queryset if queryset is not None else idea_base()
    return qs.annotate(
        queue_rank=Case(
            When(status=Idea.Status.SUBMITTED, then=0),
            When(status=Idea.Status.IN_REVIEW, then=1),
            default=2,
            output_field=IntegerField(),
        )
    ).order_by("queue_rank", "created", "id")


def idea_detail(*, pk: int, user) -> Idea:
    """One idea with everything its page shows, in a fixed number of queries."""
    replies = Comment.objects.select_related("author", "hidden_by", "edited_by").order_by(
        "created", "id"
    )
    return (
        idea_list(user=user)
        .prefetch_related(
            Prefetch(
                "comments",
                queryset=Comment.objects.filter(parent__isnull=True)
                .select_related("author", "hidden_by", "edited_by")
                .prefetch_related(Prefetch("replies", queryset=replies))
                .order_by("created", "id"),
                to_attr="threads",
            ),
            Prefetch(
                "status_changes",
                queryset=IdeaStatusChange.objects.select_related("changed_by").order_by(
                    "changed_at", "id"
                ),
                to_attr="status_history",
            ),
            Prefetch(
                "attachments",
                queryset=Attachment.objects.select_related("uploaded_by").order_by("created"),
                to_attr="attachment_list",
            ),
        )
        .get(pk=pk)
    )


def idea_last_edit_by_other(idea: Idea):
    """The last change of the idea's title or description by someone other than its
    author (moderation may edit), from its history: (who, when), or None. Status changes
    are no edits of the text."""
    rows = (
        idea.history.select_related("history_user")
        .only("title", "description", "history_date", "history_user")
        .order_by("history_date", "history_id")
    )
    last = None
    before = None
    for row in rows:
        text = (row.title, row.description)
        if (
            before is not None
            and text != before
            and row.history_user_id is not None
            and row.history_user_id != idea.author_id
        ):
            last = (row.history_user, row.history_date)
        before = text
    return last


_WORD = re.compile(r"\w{4,}", re.UNICODE)
_STOP = {
    "eine",
    "einer",
    "einen",
    "einem",
    "oder",
    "und",
    "für",
    "fuer",
    "mit",
    "dass",
    "auch",
    "sich",
    "nicht",
    "werden",
    "wird",
    "sind",
    "sollen",
    "sollte",
    "damit",
    "über",
    "ueber",
    "diese",
    "dieser",
    "einfach",
    "mehr",
    "beim",
    "nach",
    "durch",
    "zwischen",
    "sowie",
}


def _keywords(text: str, limit: int = 12) -> list[str]:
    seen: list[str] = []
    for word in _WORD.findall(text or ""):
        lowered = word.lower()
        if lowered not in _STOP and lowered not in seen:
            seen.append(lowered)
        if len(seen) >= limit:
            break
    return seen


def idea_similar(
    *, title: str, description: str = "", exclude_pk: int | None = None, limit: int = 5
) -> list[Idea]:
    """Existing ideas that look like the one being typed (duplicate hints)."""
    words = _keywords(f"{title} {title} {description}")
    if not words:
        return []
    qs = Idea.objects.select_related("topic").only(
        "id", "title", "status", "support_count", "topic__name", "created"
    )
    if exclude_pk:
        qs = qs.exclude(pk=exclude_pk)
    if _uses_postgres():
        query = search.any_word_query(words)
        qs = (
            qs.filter(search_vector=query)
            .annotate(rank=SearchRank(F("search_vector"), query))
            .order_by("-rank", "-support_count", "-id")
        )
    else:
        match = search.fts_any_word(words)
        qs = (
            qs.filter(pk__in=search.fts_matches(match))
            .annotate(rank=search.FtsRank(match))
            .order_by("-rank", "-support_count", "-id")
        )
    return list(qs[:limit])


# --- export -------------------------------------------------------------------


class GroupConcat(Aggregate):
    """Joins strings with ", ": STRING_AGG on PostgreSQL, GROUP_CONCAT on SQLite."""

    function = "GROUP_CONCAT"
    output_field = CharField()

    def as_sqlite(self, compiler, connection, **extra):
        return super().as_sql(
            compiler, connection, template="GROUP_CONCAT(%(expressions)s, ', ')", **extra
        )

    def as_postgresql(self, compiler, connection, **extra):
        return super().as_sql(
            compiler,
            connection,
            template="STRING_AGG(%(expressions)s::text, ', ' ORDER BY %(expressions)s)",
            **extra,
        )


def _names_of(model, lookup: str):
    return Coalesce(
        Subquery(
            model.objects.filter(**{lookup: OuterRef("pk")})
            .order_by()
            .values(lookup)
            .annotate(names=GroupConcat("name"))
            .values("names")[:1],
            output_field=CharField(),
        ),
        Value(""),
    )


EXPORT_FIELDS = [
    ("id", "ID"),
    ("title", "Titel"),
    ("description", "Beschreibung"),
    ("topic__name", "Handlungsfeld"),
    ("target_group_names", "Zielgruppen"),
    ("department_label", "Amt/Dienststelle"),
    ("organisation__name", "Organisation"),
    ("municipality_names", "Betroffene Städte und Gemeinden"),
    ("status", "Status"),
    ("public_feedback", "Rückmeldung der Moderation"),
    ("support_count", "Unterstützungen"),
    ("comment_count", "Kommentare"),
    ("phase__name", "Phase"),
    ("author__username", "Verfasst von"),
    ("created", "eingereicht am"),
    ("modified", "geändert am"),
]


def idea_export_rows(queryset: QuerySet[Idea]):
    """Plain value rows of the filtered list in ONE query (M2M names aggregated in SQL)."""
    from django.db.models.functions import Concat, Trim

    return (
        queryset.prefetch_related(None)
        .annotate(
            target_group_names=_names_of(TargetGroup, "ideas"),
            municipality_names=_names_of(Municipality, "ideas"),
            department_label=Trim(
                Concat(
                    Coalesce("department__number", Value("")),
                    Value(" "),
                    Coalesce("department__name", Value("")),
                    output_field=CharField(),
                )
            ),
        )
        .values_list(*[name for name, _label in EXPORT_FIELDS])
    )
