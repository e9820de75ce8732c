"""Reads of the implementation app. Querysets carry what their templates show."""

import datetime
from dataclasses import dataclass, field

from django.db.models import Count, Prefetch, Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from ideas.models import Idea
from participants.models import Department, Municipality, Organisation
from roundtable.committees.models import Paper, Report
from roundtable.committees.selectors import paper_list_visible_for
from workshops.models import Concept

from .models import Measure, Milestone, ProgressNote


def measure_list(
    *,
    status: str | None = None,
    municipality: Municipality | None = None,
    concept: Concept | None = None,
) -> QuerySet[Measure]:
    measures = (
        Measure.objects.select_related(
            "concept", "responsible_department", "responsible_organisation"
        )
        .prefetch_related("municipalities")
        .order_by("concept__position", "concept_id", "title", "id")
    )
    if status:
        measures = measures.filter(status=status)
    if municipality is not None:
        measures = measures.filter(municipalities=municipality)
    if concept is not None:
        measures = measures.filter(concept=concept)
    return measures


def measure_detail() -> QuerySet[Measure]:
    ideas = Idea.objects.select_related("topic", "author").order_by("title")
    return (
        measure_list()
        .select_related("created_by")
        .prefetch_related(
            Prefetch("milestones", queryset=Milestone.objects.order_by("due_on", "id")),
            Prefetch("notes", queryset=ProgressNote.objects.select_related("author")),
            Prefetch("concept__idea_links__idea", queryset=ideas),
        )
    )


def concepts_for_measures() -> QuerySet[Concept]:
    """Concepts a measure may be added to: adopted by the committee."""
    from .services import DECIDED_CONCEPT_STATUSES

    return Concept.objects.filter(status__in=DECIDED_CONCEPT_STATUSES).order_by("position", "id")


def municipality_list() -> QuerySet[Municipality]:
    return Municipality.objects.annotate(
        measure_count=Count("implementation_measures", distinct=True)
    ).order_by("name")


@dataclass
class MunicipalityOverview:
    municipality: Municipality
    measures: list[Measure]
    district_wide_measures: list[Measure]
    concepts: list[Concept]
    ideas: list[Idea]


def municipality_overview(*, slug: str) -> MunicipalityOverview:
    """What happens in one municipality: measures that involve it (and district-wide
    ones), concepts and ideas that concern it."""
    municipality = get_object_or_404(Municipality, slug=slug)
    measures = list(measure_list(municipality=municipality))
    district_wide = list(measure_list().filter(municipalities__isnull=True))
    concepts = list(
        Concept.objects.filter(municipalities=municipality)
        .prefetch_related("responsible_departments", "responsible_organisations")
        .order_by("position", "id")
    )
    ideas = list(
        Idea.objects.filter(municipalities=municipality)
        .select_related("topic", "department", "organisation")
        .defer("search_vector")
        .order_by("-created", "-id")[:200]
    )
    return MunicipalityOverview(
        municipality=municipality,
        measures=measures,
        district_wide_measures=district_wide,
        concepts=concepts,
        ideas=ideas,
    )


@dataclass
class ResponsibleOverview:
    responsible: Department | Organisation
    kind: str  # "department" or "organisation"
    measures: list[Measure]
    concepts: list[Concept]


def organisation_overview(*, pk: int) -> ResponsibleOverview:
    organisation = get_object_or_404(Organisation, pk=pk)
    return ResponsibleOverview(
        responsible=organisation,
        kind="organisation",
        measures=list(measure_list().filter(responsible_organisation=organisation)),
        concepts=list(
            Concept.objects.filter(responsible_organisations=organisation).order_by(
                "position", "id"
            )
        ),
    )


def department_overview(*, pk: int) -> ResponsibleOverview:
    department = get_object_or_404(Department, pk=pk)
    return ResponsibleOverview(
        responsible=department,
        kind="department",
        measures=list(measure_list().filter(responsible_department=department)),
        concepts=list(
            Concept.objects.filter(responsible_departments=department).order_by("position", "id")
        ),
    )


def responsible_lists() -> tuple[QuerySet[Department], QuerySet[Organisation]]:
    departments = (
        Department.objects.annotate(measure_count=Count("implementation_measures", distinct=True))
        .filter(Q(measure_count__gt=0) | Q(concepts__isnull=False))
        .distinct()
    )
    organisations = (
        Organisation.objects.annotate(measure_count=Count("implementation_measures", distinct=True))
        .filter(Q(measure_count__gt=0) | Q(concepts__isnull=False))
        .distinct()
    )
    return departments, organisations


# --- the idea's path ----------------------------------------------------------------


@dataclass
class PaperStep:
    paper: Paper
    latest_report: Report | None
    decision: object | None


@dataclass
class IdeaPath:
    idea: Idea
    concept: Concept | None
    papers: list[PaperStep] = field(default_factory=list)
    measures: list[Measure] = field(default_factory=list)

    @property
    def decisions(self):
        return [step.decision for step in self.papers if step.decision is not None]

    @property
    def current_step(self) -> str:
        if self.measures:
            return "measures"
        if self.decisions:
            return "decision"
        if self.papers:
            return "paper"
        if self.concept:
            return "concept"
        return "submitted"


def idea_path(*, pk: int, user) -> IdeaPath:
    """Submitted → concept → committee paper → decision → measures, in a fixed
    number of queries. Papers of the non-public part only for those who may see them."""
    idea = get_object_or_404(
        Idea.objects.select_related(
            "topic", "author", "department", "organisation", "concept_link__concept"
        ).defer("search_vector"),
        pk=pk,
    )
    link = getattr(idea, "concept_link", None)
    concept = link.concept if link is not None else None
    path = IdeaPath(idea=idea, concept=concept)
    if concept is None:
        return path
    sees_reports = user.has_perm("committees.view_report")
    # the final PDFs of submitted versions (a draft's previews are not on the path)
    done_reports = (
        Report.objects.filter(status=Report.Status.DONE, paper_version__isnull=False)
        .select_related("paper_version", "paper__agenda_item")
        .order_by("-version")
    )
    papers = (
        paper_list_visible_for(user)
        .filter(concept_links__concept=concept, pk__in=Paper.objects.filter(versions__isnull=False))
        .select_related("agenda_item__decision")
        .prefetch_related(Prefetch("reports", queryset=done_reports, to_attr="done_reports"))
        .order_by("date", "id")
    )
    for paper in papers:
        path.papers.append(
            PaperStep(
                paper=paper,
                latest_report=paper.done_reports[0]
                if sees_reports and paper.done_reports
                else None,
                decision=getattr(paper.agenda_item, "decision", None),
            )
        )
    path.measures = list(measure_list(concept=concept).prefetch_related("milestones"))
    return path


# --- history of changes ----------------------------------------------------------------

#: Objects with a change history: (app_label, model) → how to find them.
HISTORY_MODELS = {
    "idea": ("ideas", "Idea"),
    "concept": ("workshops", "Concept"),
    "decision": ("committees", "Decision"),
    "measure": ("implementation", "Measure"),
    "participation": ("participants", "DepartmentParticipation"),
}


@dataclass
class HistoryEntry:
    when: object
    who: object
    kind: str
    changes: list[tuple[str, object, object]]


HISTORY_KINDS = {"+": _lazy("angelegt"), "~": _lazy("geändert"), "-": _lazy("gelöscht")}

#: What a creation row shows of the object it created.
HISTORY_CREATION_FIELDS = ("title", "result", "status")

#: Bookkeeping a reader of the history does not need.
HISTORY_HIDDEN_FIELDS = {"created", "modified", "search_vector", "support_count", "comment_count"}


def _history_value(field_obj, value):
    """A stored value as the portal shows it: a choice's German label, a related
    object's name, yes/no, dates in German."""
    if value is None or value == "":
        return None
    if field_obj.choices:
        return str(dict(field_obj.flatchoices).get(value, value))
    if field_obj.is_relation and field_obj.related_model is not None:
        related = field_obj.related_model._default_manager.filter(pk=value).first()
        return str(related) if related is not None else f"#{value}"
    if isinstance(value, bool):
        return _("ja") if value else _("nein")
    if isinstance(value, datetime.datetime):
        return f"{timezone.localtime(value):%d.%m.%Y %H:%M}"
    if isinstance(value, datetime.date):
        return f"{value:%d.%m.%Y}"
    return value


def history_for(*, kind: str, pk: int, limit: int = 100):
    """The object and its change history (who, what, when), newest first. Values in
    German ("geplant → begonnen"); saves that changed nothing a reader sees are left
    out; a change without a person is shown as automatic."""
    from django.apps import apps

    app_label, model_name = HISTORY_MODELS[kind]
    model = apps.get_model(app_label, model_name)
    obj = get_object_or_404(model, pk=pk)
    records = list(
        obj.history.select_related("history_user").order_by("-history_date", "-history_id")[
            : limit + 1
        ]
    )
    entries = []
    for index, record in enumerate(records[:limit]):
        older = records[index + 1] if index + 1 < len(records) else None
        changes = []
        if older is not None:
            delta = record.diff_against(older, excluded_fields=HISTORY_HIDDEN_FIELDS)
            for change in delta.changes:
                field_obj = model._meta.get_field(change.field)
                old = _history_value(field_obj, change.old)
                new = _history_value(field_obj, change.new)
                if old != new:
                    changes.append((str(field_obj.verbose_name), old, new))
        if record.history_type == "+" and not changes:
            # what it started as (its name and state), not an empty row
            for name in HISTORY_CREATION_FIELDS:
                if hasattr(record, name):
                    field_obj = model._meta.get_field(name)
                    value = _history_value(field_obj, getattr(record, name))
                    if value is not None:
                        changes.append((str(field_obj.verbose_name), None, value))
        if not changes and record.history_type != "-":
            continue
        entries.append(
            HistoryEntry(
                when=record.history_date,
                who=record.history_user,
                kind=HISTORY_KINDS.get(record.history_type, record.history_type),
                changes=changes,
            )
        )
    return obj, entries
