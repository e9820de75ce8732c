"""Reads of the Ideenwerkstatt. Every queryset carries its joins and prefetches:
a page or an export costs the same number of queries for 10 or 10,000 ideas."""

import re

from django.conf import settings
from django.contrib.postgres.search import SearchRank
from django.db.models import (
    Aggregate,
    BooleanField,
    CharField,
    Exists,
    F,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
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
    """Full-text search: PostgreSQL's German configuration with ranking (stemming, so
    "Sprachkurse" finds "Sprachkurs"), a plain substring match on SQLite. Adds ``rank``."""
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
    condition = Q()
    for word in text.split():
        condition &= Q(title__icontains=word) | Q(description__icontains=word)
    return queryset.filter(condition).annotate(rank=Value(1.0))


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
    return qs.order_by(*SORTS.get(sort, SORTS["newest"]))


def idea_moderation_queue(*, queryset: QuerySet[Idea] | None = None) -> QuerySet[Idea]:
    """New ideas first (eingereicht, then in Prüfung, then the rest), oldest first within."""
    from django.db.models import Case, IntegerField, When

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
    replies = Comment.objects.select_related("author", "hidden_by").order_by("created", "id")
    return (
        idea_list(user=user)
        .prefetch_related(
            Prefetch(
                "comments",
                queryset=Comment.objects.filter(parent__isnull=True)
                .select_related("author", "hidden_by")
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
        condition = Q()
        for word in words[:6]:
            condition |= Q(title__icontains=word)
        qs = qs.filter(condition).order_by("-support_count", "-id")
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
