"""Reads of the committees app. Querysets carry what their templates need."""

import datetime
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import Prefetch, QuerySet
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from ideas.models import Idea
from ideas.selectors import status_labels
from participants.models import Municipality
from workshops.models import Concept, ConceptIdea, ConceptMeasure, ConceptVersion
from workshops.versions import CONCEPT_FIELDS, SnapshotField, idea_line, snapshot_diff

from .models import (
    AgendaItem,
    Committee,
    CommitteeMembership,
    Decision,
    Meeting,
    Paper,
    PaperConcept,
    PaperVersion,
    Report,
)


def _sees_non_public(user) -> bool:
    return user.has_perm("committees.view_report")


def committee_list() -> QuerySet[Committee]:
    return Committee.objects.select_related("body").prefetch_related(
        Prefetch("meetings", queryset=Meeting.objects.order_by("starts_at"))
    )


def committee_detail() -> QuerySet[Committee]:
    memberships = CommitteeMembership.objects.select_related("user").order_by(
        "role", "user__last_name", "user__first_name"
    )
    return committee_list().prefetch_related(Prefetch("memberships", queryset=memberships))


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
        .prefetch_related("paper__versions")
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
            "versions",
        )
    )


def report_list_visible_for(user) -> QuerySet[Report]:
    if not user.has_perm("committees.view_report"):
        return Report.objects.none()
    return Report.objects.select_related(
        "paper", "paper__agenda_item", "requested_by", "paper_version"
    ).order_by("-version")


def report_list_for_paper(*, paper: Paper, user) -> QuerySet[Report]:
    """The previews of the draft (the final PDFs are in ``paper_version_list``)."""
    return report_list_visible_for(user).filter(paper=paper, paper_version__isnull=True)


def decision_for_agenda_item(*, agenda_item: AgendaItem) -> Decision | None:
    return Decision.objects.filter(agenda_item=agenda_item).select_related("recorded_by").first()


# --- the paper as a snapshot: what the PDF shows, what a version freezes ---------------

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


def concept_status_label(status: str, committee: Committee) -> str:
    """A concept's status as the paper says it: "dem Kreistag vorgelegt"."""
    if status == Concept.Status.SUBMITTED:
        return _("%(committee)s vorgelegt") % {"committee": committee.dative}
    return str(Concept.Status(status).label)


def paper_snapshot(*, paper_id: int) -> dict:
    """Everything the report shows, as JSON (texts, lists, ISO dates): what a submitted
    version freezes and the one thing the report is rendered from. The ideas are those
    of the concepts the paper presents. A fixed number of queries, in German."""
    from roundtable.timeline.selectors import phase_list

    agreed = ConceptVersion.objects.filter(kind=ConceptVersion.Kind.COORDINATED).only(
        "concept_id", "number"
    )
    concept_qs = Concept.objects.prefetch_related(
        Prefetch("versions", queryset=agreed),
        Prefetch("measures", queryset=ConceptMeasure.objects.order_by("position", "id")),
        "responsible_departments",
        "responsible_organisations",
        Prefetch("municipalities", queryset=Municipality.objects.order_by("name")),
        Prefetch(
            "idea_links",
            queryset=ConceptIdea.objects.select_related("idea")
            .only("concept_id", "position", "idea__id", "idea__title")
            .order_by("position", "id"),
        ),
    )
    paper = (
        Paper.objects.select_related("agenda_item__meeting__committee__body", "department")
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
    item = paper.agenda_item
    meeting, committee = item.meeting, item.meeting.committee
    with translation.override(settings.LANGUAGE_CODE):
        concepts = []
        for link in paper.concept_links.all():
            concept = link.concept
            concepts.append(
                {
                    "id": concept.pk,
                    "status": concept.status,
                    "status_label": concept_status_label(concept.status, committee),
                    # the agreed version of the concept that the paper presents
                    "version": max((v.number for v in concept.versions.all()), default=None),
                    **_concept_content(concept),
                    "idea_ids": [idea_link.idea_id for idea_link in concept.idea_links.all()],
                }
            )
        idea_ids = [pk for concept in concepts for pk in concept["idea_ids"]]
        labels = status_labels()
        ideas = [
            {
                "id": idea.pk,
                "title": idea.title,
                "topic": idea.topic.name,
                "department": str(idea.department) if idea.department_id else None,
                "organisation": str(idea.organisation) if idea.organisation_id else None,
                "submitted_for": str(idea.submitted_for) if idea.submitted_for else "",
                "status": idea.status,
                "status_label": labels[idea.status],
                "supports": idea.support_count,
            }
            for idea in Idea.objects.filter(pk__in=idea_ids)
            .select_related("topic", "department", "organisation")
            .only(*REPORT_IDEA_FIELDS)
            .order_by("topic__position", "topic__name", "created", "id")
        ]
        return {
            "schema": 1,
            "body": {"name": committee.body.name, "head_title": committee.body.head_title},
            "committee": {
                "name": committee.name,
                "kind": committee.kind,
                "genitive": committee.genitive,
                "dative": committee.dative,
            },
            "meeting": {
                "starts_at": timezone.localtime(meeting.starts_at).isoformat(),
                "place": meeting.place,
            },
            "agenda_item": {
                "number": item.number,
                "title": item.title,
                "subtitle": item.subtitle,
                "is_public": item.is_public,
            },
            "paper": {
                "department": {"number": paper.department.number, "name": paper.department.name},
                "date": paper.date.isoformat(),
                "resolution_proposal": paper.resolution_proposal,
                "preliminary_remarks": paper.preliminary_remarks,
                "participating_departments": [
                    str(d) for d in paper.participating_departments.all()
                ],
            },
            "phases": [
                {"name": p.name, "start": p.start.isoformat(), "end": p.end.isoformat()}
                for p in phase_list()
            ],
            "concepts": concepts,
            "ideas": ideas,
        }


def _concept_content(concept: Concept) -> dict:
    """What ``workshops.versions.concept_snapshot`` holds, from the prefetched rows."""
    links = list(concept.idea_links.all())
    return {
        "title": concept.title,
        "summary": concept.summary,
        "goals": concept.goals,
        "measures": [m.text for m in concept.measures.all()],
        "responsible_departments": [str(d) for d in concept.responsible_departments.all()],
        "responsible_organisations": [str(o) for o in concept.responsible_organisations.all()],
        "municipalities": [str(m) for m in concept.municipalities.all()],
        "ideas": [idea_line(link.idea_id, link.idea.title) for link in links],
    }


# --- versions of a submitted paper, and what changed between them -----------------------


@dataclass
class PaperVersionRow:
    version: PaperVersion
    report: Report | None
    base: PaperVersion | None
    changes: list = field(default_factory=list)


def _paper_flat(content: dict) -> dict:
    """A snapshot as texts and lists that a reader compares, concept by concept."""
    item, paper = content["agenda_item"], content["paper"]
    agenda = f"{item['number']}: {item['title']}"
    if item["subtitle"]:
        agenda += f" – {_('hier:')} {item['subtitle']}"
    department = paper["department"]
    flat = {
        "agenda": agenda,
        "issuer": f"{department['number']} {department['name']}".strip(),
        "date": datetime.date.fromisoformat(paper["date"]).strftime("%d.%m.%Y"),
        "resolution_proposal": paper["resolution_proposal"],
        "preliminary_remarks": paper["preliminary_remarks"],
        "participating_departments": paper["participating_departments"],
        "concepts": [c["title"] for c in content["concepts"]],
        "appendix": [
            f"{idea_line(i['id'], i['title'])} ({i['status_label']})" for i in content["ideas"]
        ],
    }
    for concept in content["concepts"]:
        for spec in CONCEPT_FIELDS[1:]:
            flat[f"concept-{concept['id']}-{spec.key}"] = concept.get(spec.key)
    return flat


def _paper_fields(old: dict, new: dict) -> list[SnapshotField]:
    fields = [
        SnapshotField("agenda", _("Tagesordnungspunkt")),
        SnapshotField("issuer", _("Federführendes Amt")),
        SnapshotField("date", _("Datum der Vorlage")),
        SnapshotField("resolution_proposal", _("Beschlussvorschlag")),
        SnapshotField("preliminary_remarks", _("Vorbemerkungen")),
        SnapshotField("participating_departments", _("Beteiligte Ämter"), "list"),
        SnapshotField("concepts", _("Vorgestellte Konzepte"), "list"),
    ]
    titles = {c["id"]: c["title"] for c in old["concepts"]}
    titles.update({c["id"]: c["title"] for c in new["concepts"]})
    for concept_id, title in titles.items():
        for spec in CONCEPT_FIELDS[1:]:
            fields.append(
                SnapshotField(
                    f"concept-{concept_id}-{spec.key}",
                    _("Konzept „%(title)s“: %(field)s") % {"title": title, "field": spec.label},
                    spec.kind,
                )
            )
    fields.append(SnapshotField("appendix", _("Anhang: Ideen"), "list"))
    return fields


def paper_version_diff(old: dict, new: dict) -> list:
    """What changed from one submitted version of a paper to the next."""
    flat_old, flat_new = _paper_flat(old), _paper_flat(new)
    # a concept that came or went is one line in "Vorgestellte Konzepte", not eight
    shared = {c["id"] for c in old["concepts"]} & {c["id"] for c in new["concepts"]}
    fields = [
        f
        for f in _paper_fields(old, new)
        if not f.key.startswith("concept-") or int(f.key.split("-")[1]) in shared
    ]
    return snapshot_diff(flat_old, flat_new, fields)


def paper_version_list(*, paper: Paper) -> list[PaperVersionRow]:
    """The submitted versions, newest first, each with its final PDF and its changes."""
    versions = list(paper.versions.select_related("created_by", "report").order_by("number"))
    rows = []
    for index, version in enumerate(versions):
        base = versions[index - 1] if index else None
        rows.append(
            PaperVersionRow(
                version=version,
                report=getattr(version, "report", None),
                base=base,
                changes=paper_version_diff(base.content, version.content) if base else [],
            )
        )
    return rows[::-1]
