"""The dashboard's figures: every number aggregated in SQL, a fixed number of
queries however many ideas there are, and charts laid out here as plain numbers
so that the template draws SVG with attributes only (the CSP forbids inline styles)."""

from dataclasses import dataclass, field

from django.db.models import Avg, Count, Q
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from ideas.models import Idea
from participants.models import Municipality
from roundtable.committees.models import Report, ReportDownload
from roundtable.implementation.models import Measure
from workshops.models import Concept, ConceptSignoff

from .selectors import timeline_build

CHART_WIDTH = 1000
LABEL_WIDTH = 330
VALUE_SPACE = 70
ROW_HEIGHT = 30
BAR_HEIGHT = 20
#: Ideas listed with their path on the dashboard (the rest via the measures list).
IDEAS_SHOWN = 25


@dataclass
class ChartRow:
    label: str
    value: float
    y: int = 0
    width: float = 0
    text: str = ""
    short_label: str = ""
    extra: str = ""
    value_x: float = 0
    label_y: int = 0


@dataclass
class BarChart:
    key: str
    title: str
    description: str
    value_label: str
    rows: list[ChartRow] = field(default_factory=list)
    unit: str = ""
    maximum: float | None = None
    height: int = 0
    bar_x: int = LABEL_WIDTH
    value_x: float = 0

    @property
    def total(self) -> float:
        return sum(r.value for r in self.rows)

    def layout(self) -> "BarChart":
        top = max([r.value for r in self.rows] + [self.maximum or 0, 1])
        span = CHART_WIDTH - LABEL_WIDTH - VALUE_SPACE
        for index, row in enumerate(self.rows):
            row.y = index * ROW_HEIGHT + 5
            row.width = round(span * row.value / top, 1)
            row.value_x = round(LABEL_WIDTH + row.width + 6, 1)
            row.label_y = row.y + 15
            number = f"{row.value:.0f}"
            row.text = f"{number} {self.unit}".strip()
            row.short_label = row.label if len(row.label) <= 40 else row.label[:38] + "…"
        self.height = max(len(self.rows), 1) * ROW_HEIGHT + 10
        return self


def _chart(key, title, description, value_label, pairs, unit="", maximum=None) -> BarChart:
    rows = [ChartRow(label=str(label), value=value or 0) for label, value in pairs]
    return BarChart(
        key=key,
        title=title,
        description=description,
        value_label=value_label,
        rows=rows,
        unit=unit,
        maximum=maximum,
    ).layout()


@dataclass
class Dashboard:
    idea_total: int
    charts: list[BarChart]
    progress_chart: BarChart
    signoff_rows: list[dict]
    report_counts: dict
    download_count: int
    measure_counts: dict
    timeline: object
    ideas_in_implementation: list


def _by_choice(queryset, field_name: str, choices) -> list[tuple[str, int]]:
    counts = dict(queryset.values_list(field_name).annotate(n=Count("pk")).order_by())
    return [(label, counts.get(value, 0)) for value, label in choices]


def dashboard_build() -> Dashboard:
    """Figures for moderation and committee members (about a dozen queries)."""
    ideas = Idea.objects.all()
    idea_total = ideas.count()
    per_phase = (
        ideas.values_list("phase__name", "phase__start")
        .annotate(n=Count("pk"))
        .order_by("phase__start", "phase__name")
    )
    per_topic = (
        ideas.values_list("topic__name", "topic__position")
        .annotate(n=Count("pk"))
        .order_by("topic__position", "topic__name")
    )
    per_department = (
        ideas.values_list("department__number", "department__name", "organisation__name")
        .annotate(n=Count("pk"))
        .order_by("-n", "department__number", "department__name", "organisation__name")
    )
    department_pairs = []
    organisation_total = 0
    for number, name, _organisation, n in per_department:
        if name:
            department_pairs.append((f"{number} {name}".strip(), n))
        else:
            organisation_total += n
    if organisation_total:
        department_pairs.append((_("Externe Organisationen"), organisation_total))
    charts = [
        _chart(
            "ideas-phase",
            _("Ideen je Phase"),
            _("Anzahl der Ideen nach der Phase, in der sie eingereicht wurden."),
            _("Ideen"),
            [(name or _("ohne Phase"), n) for name, _start, n in per_phase],
        ),
        _chart(
            "ideas-topic",
            _("Ideen je Handlungsfeld"),
            _("Anzahl der Ideen je Handlungsfeld."),
            _("Ideen"),
            [(name, n) for name, _pos, n in per_topic],
        ),
        _chart(
            "ideas-department",
            _("Ideen je Amt"),
            _("Anzahl der Ideen je einreichendem Amt; Ideen von Organisationen zusammengefasst."),
            _("Ideen"),
            department_pairs,
        ),
        _chart(
            "ideas-status",
            _("Ideen je Status"),
            _("Anzahl der Ideen je Bearbeitungsstand."),
            _("Ideen"),
            _by_choice(ideas, "status", Idea.Status.choices),
        ),
        _chart(
            "concepts-status",
            _("Konzepte je Status"),
            _("Anzahl der Konzepte je Bearbeitungsstand."),
            _("Konzepte"),
            _by_choice(Concept.objects.all(), "status", Concept.Status.choices),
        ),
    ]
    # implementation progress per municipality: mean percentage of the measures involving it
    per_municipality = Municipality.objects.annotate(
        measure_count=Count("implementation_measures", distinct=True),
        mean_progress=Avg("implementation_measures__progress"),
        done=Count(
            "implementation_measures",
            filter=Q(implementation_measures__status=Measure.Status.DONE),
            distinct=True,
        ),
    ).order_by("name")
    progress_rows = []
    extra = []
    for m in per_municipality.values_list("name", "measure_count", "mean_progress", "done"):
        progress_rows.append((m[0], round(m[2] or 0)))
        extra.append((m[1], m[3]))
    progress_chart = _chart(
        "progress-municipality",
        _("Umsetzungsstand je Stadt und Gemeinde"),
        _(
            "Durchschnittlicher Fortschritt in Prozent der Maßnahmen, an denen die Stadt oder "
            "Gemeinde beteiligt ist."
        ),
        _("Fortschritt"),
        progress_rows,
        unit="%",
        maximum=100,
    )
    for row, (count, done) in zip(progress_chart.rows, extra, strict=True):
        row.extra = ngettext(
            "%(count)s Maßnahme, davon %(done)s umgesetzt",
            "%(count)s Maßnahmen, davon %(done)s umgesetzt",
            count,
        ) % {
            "count": count,
            "done": done,
        }
    signoff_rows = list(
        Concept.objects.filter(status=Concept.Status.IN_COORDINATION)
        .annotate(
            responsible=Count("responsible_departments", distinct=True),
            agreed=Count(
                "signoffs",
                filter=~Q(signoffs__decision=ConceptSignoff.Decision.OBJECTS),
                distinct=True,
            ),
            objecting=Count(
                "signoffs",
                filter=Q(signoffs__decision=ConceptSignoff.Decision.OBJECTS),
                distinct=True,
            ),
        )
        .values("pk", "title", "responsible", "agreed", "objecting")
        .order_by("position", "id")
    )
    for row in signoff_rows:
        row["missing"] = max(row["responsible"] - row["agreed"] - row["objecting"], 0)
    report_counts = dict(Report.objects.values_list("status").annotate(n=Count("pk")).order_by())
    report_counts = [(label, report_counts.get(value, 0)) for value, label in Report.Status.choices]
    measure_counts = _by_choice(Measure.objects.all(), "status", Measure.Status.choices)
    return Dashboard(
        idea_total=idea_total,
        charts=charts,
        progress_chart=progress_chart,
        signoff_rows=signoff_rows,
        report_counts=report_counts,
        download_count=ReportDownload.objects.count(),
        measure_counts=measure_counts,
        timeline=timeline_build(),
        ideas_in_implementation=list(
            Idea.objects.filter(concept_link__concept__implementation_measures__isnull=False)
            .annotate(
                measure_count=Count("concept_link__concept__implementation_measures", distinct=True)
            )
            .select_related("concept_link__concept", "topic")
            .defer("search_vector")
            .order_by("concept_link__concept__position", "title", "id")[:IDEAS_SHOWN]
        ),
    )
