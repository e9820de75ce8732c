"""Reads of the committees app. Querysets carry what their templates need."""

from dataclasses import dataclass

from django.db.models import Prefetch, QuerySet

from ideas.models import Idea
from workshops.models import Concept, ConceptIdea

from .models import AgendaItem, Committee, Decision, Meeting, Paper, PaperConcept, Report


def _sees_non_public(user) -> bool:
    return user.has_perm("committees.view_report")


def committee_list() -> QuerySet[Committee]:
    return Committee.objects.select_related("body").prefetch_related(
        Prefetch("meetings", queryset=Meeting.objects.order_by("starts_at"))
    )


def agenda_items_visible_for(user) -> QuerySet[AgendaItem]:
    items = AgendaItem.objects.all()
    if not _sees_non_public(user):
        items = items.filter(is_public=True)
    return items


def meeting_list_visible_for(user) -> QuerySet[Meeting]:
    return Meeting.objects.select_related("committee", "committee__body")


def meeting_detail_for(user) -> QuerySet[Meeting]:
    items = (
        agenda_items_visible_for(user)
        .select_related("paper", "paper__department", "decision", "decision__recorded_by")
        .order_by("position", "id")
    )
    return meeting_list_visible_for(user).prefetch_related(
        Prefetch("agenda_items", queryset=items, to_attr="visible_agenda_items")
    )


def meetings_for_calendar(*, since=None) -> QuerySet[Meeting]:
    """Meetings with their public agenda items (``public_agenda_items``), for calendars."""
    public = AgendaItem.objects.filter(is_public=True).order_by("position", "id")
    meetings = Meeting.objects.select_related("committee").prefetch_related(
        Prefetch("agenda_items", queryset=public, to_attr="public_agenda_items")
    )
    if since is not None:
        meetings = meetings.filter(starts_at__gte=since)
    return meetings.order_by("starts_at")


def paper_list_visible_for(user) -> QuerySet[Paper]:
    papers = Paper.objects.select_related(
        "agenda_item", "agenda_item__meeting", "agenda_item__meeting__committee", "department"
    )
    if not _sees_non_public(user):
        papers = papers.filter(agenda_item__is_public=True)
    return papers


def paper_detail_for(user) -> QuerySet[Paper]:
    concept_links = PaperConcept.objects.select_related("concept").order_by("position", "id")
    return (
        paper_list_visible_for(user)
        .select_related(
            "agenda_item__meeting__committee__body", "agenda_item__decision", "created_by"
        )
        .prefetch_related(
            "participating_departments",
            Prefetch("concept_links", queryset=concept_links),
        )
    )


def report_list_visible_for(user) -> QuerySet[Report]:
    if not user.has_perm("committees.view_report"):
        return Report.objects.none()
    return Report.objects.select_related("paper", "paper__agenda_item", "requested_by").order_by(
        "-version"
    )


def report_list_for_paper(*, paper: Paper, user) -> QuerySet[Report]:
    return report_list_visible_for(user).filter(paper=paper)


def decision_for_agenda_item(*, agenda_item: AgendaItem) -> Decision | None:
    return Decision.objects.filter(agenda_item=agenda_item).select_related("recorded_by").first()


# --- what the PDF shows --------------------------------------------------------------


@dataclass(frozen=True)
class ReportData:
    paper: Paper
    concept_links: list[PaperConcept]
    ideas: list[Idea]


#: What the report prints of an idea: the appendix table, the figures, the concepts' lists.
#: Descriptions stay in the database (the report lists ideas, it does not reprint them).
REPORT_IDEA_FIELDS = (
    "id",
    "title",
    "status",
    "support_count",
    "topic__name",
    "topic__position",
    "department__number",
    "department__name",
    "organisation__name",
)


def report_data_load(*, paper_id: int) -> ReportData:
    """Everything the report template shows, in a fixed number of queries."""
    idea_qs = Idea.objects.select_related("topic", "department", "organisation").only(
        *REPORT_IDEA_FIELDS
    )
    concept_qs = Concept.objects.prefetch_related(
        "measures",
        "responsible_departments",
        "responsible_organisations",
        "municipalities",
        Prefetch(
            "idea_links",
            queryset=ConceptIdea.objects.select_related("idea")
            .only("concept_id", "position", "idea__id", "idea__title")
            .order_by("position", "id"),
        ),
    )
    paper = (
        Paper.objects.select_related(
            "agenda_item",
            "agenda_item__meeting",
            "agenda_item__meeting__committee",
            "agenda_item__meeting__committee__body",
            "department",
        )
        .prefetch_related(
            "participating_departments",
            Prefetch(
                "concept_links",
                queryset=PaperConcept.objects.prefetch_related(
                    Prefetch("concept", queryset=concept_qs)
                ).order_by("position", "id"),
            ),
        )
        .get(pk=paper_id)
    )
    ideas = list(idea_qs.order_by("topic__position", "topic__name", "created", "id"))
    return ReportData(paper=paper, concept_links=list(paper.concept_links.all()), ideas=ideas)
