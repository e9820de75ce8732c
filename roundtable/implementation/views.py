"""Measures, municipality and organisation pages, the idea's path, the dashboard,
change history and the export. Views stay thin."""

import json
import re

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from participants.decorators import permission_required
from participants.models import Municipality
from roundtable.timeline.decorators import phase_permission_required
from roundtable.timeline.gates import IMPLEMENTATION

from . import selectors, services
from .export import roundtable_export
from .forms import MeasureForm, MeasureStatusForm, MilestoneForm
from .models import Measure, Milestone

#: what a municipality slug in a query string may look like (anything else is ignored)
SLUG = re.compile(r"[-\w]{1,100}", re.ASCII)


def _measure_kwargs(form) -> dict:
    data = form.cleaned_data
    return {
        "title": data["title"],
        "description": data["description"],
        "responsible_department": data["responsible_department"],
        "responsible_organisation": data["responsible_organisation"],
        "municipalities": data["municipalities"],
        "starts_on": data["starts_on"],
        "ends_on": data["ends_on"],
    }


@permission_required("implementation.view_measure")
def measure_list(request):
    status = request.GET.get("status") or None
    if status not in Measure.Status.values:
        status = None
    municipality = None
    slug = request.GET.get("ort", "")
    if slug and SLUG.fullmatch(slug):
        municipality = Municipality.objects.filter(slug=slug).first()
    return render(
        request,
        "implementation/measure_list.html",
        {
            "measures": selectors.measure_list(status=status, municipality=municipality),
            "statuses": Measure.Status.choices,
            "status": status,
            "municipality": municipality,
            "municipalities": Municipality.objects.order_by("name"),
        },
    )


@permission_required("implementation.view_measure")
def measure_detail(request, pk):
    measure = get_object_or_404(selectors.measure_detail(), pk=pk)
    return render(
        request,
        "implementation/measure_detail.html",
        {
            "measure": measure,
            "status_form": MeasureStatusForm(
                initial={"status": measure.status, "progress": measure.progress}
            ),
            "milestone_form": MilestoneForm(),
            "ideas": [link.idea for link in measure.concept.idea_links.all()],
        },
    )


@phase_permission_required("implementation.add_measure", IMPLEMENTATION)
def measure_create(request):
    initial = {}
    if request.GET.get("konzept", "").isdigit():
        initial["concept"] = int(request.GET["konzept"])
    form = MeasureForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            measure = services.measure_create(
                concept=form.cleaned_data["concept"], by=request.user, **_measure_kwargs(form)
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Die Maßnahme wurde angelegt."))
            return redirect(measure)
    return render(request, "implementation/measure_form.html", {"form": form})


@phase_permission_required("implementation.change_measure", IMPLEMENTATION)
def measure_edit(request, pk):
    measure = get_object_or_404(Measure, pk=pk)
    form = MeasureForm(request.POST or None, instance=measure)
    if request.method == "POST" and form.is_valid():
        try:
            services.measure_update(measure=measure, by=request.user, **_measure_kwargs(form))
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Die Maßnahme wurde gespeichert."))
            return redirect(measure)
    return render(request, "implementation/measure_form.html", {"form": form, "measure": measure})


@require_POST
@phase_permission_required("implementation.change_measure", IMPLEMENTATION)
def measure_status(request, pk):
    measure = get_object_or_404(Measure, pk=pk)
    form = MeasureStatusForm(request.POST)
    if form.is_valid():
        try:
            services.measure_set_status(
                measure=measure,
                by=request.user,
                status=form.cleaned_data["status"],
                progress=form.cleaned_data["progress"],
                note=form.cleaned_data["note"],
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("Der Stand der Maßnahme wurde gespeichert."))
    else:
        messages.error(request, _("Bitte prüfen Sie Status und Fortschritt (0 bis 100 %)."))
    return redirect(measure)


@require_POST
@phase_permission_required("implementation.change_measure", IMPLEMENTATION)
def milestone_add(request, pk):
    measure = get_object_or_404(Measure, pk=pk)
    form = MilestoneForm(request.POST)
    if form.is_valid():
        services.milestone_add(
            measure=measure,
            by=request.user,
            title=form.cleaned_data["title"],
            due_on=form.cleaned_data["due_on"],
        )
        messages.success(request, _("Der Meilenstein wurde angelegt."))
    else:
        messages.error(request, _("Bitte geben Sie Titel und Datum des Meilensteins an."))
    return redirect(measure)


@require_POST
@phase_permission_required("implementation.change_measure", IMPLEMENTATION)
def milestone_done(request, pk):
    milestone = get_object_or_404(Milestone.objects.select_related("measure"), pk=pk)
    services.milestone_set_done(milestone=milestone, by=request.user)
    messages.success(request, _("Der Meilenstein ist als erreicht vermerkt."))
    return redirect(milestone.measure)


@permission_required("implementation.view_measure")
def municipality_list(request):
    return render(
        request,
        "implementation/municipality_list.html",
        {"municipalities": selectors.municipality_list()},
    )


@permission_required("implementation.view_measure")
def municipality_detail(request, slug):
    return render(
        request,
        "implementation/municipality_detail.html",
        {"overview": selectors.municipality_overview(slug=slug)},
    )


@permission_required("implementation.view_measure")
def responsible_list(request):
    departments, organisations = selectors.responsible_lists()
    return render(
        request,
        "implementation/responsible_list.html",
        {"departments": departments, "organisations": organisations},
    )


@permission_required("implementation.view_measure")
def organisation_detail(request, pk):
    return render(
        request,
        "implementation/responsible_detail.html",
        {"overview": selectors.organisation_overview(pk=pk)},
    )


@permission_required("implementation.view_measure")
def department_detail(request, pk):
    return render(
        request,
        "implementation/responsible_detail.html",
        {"overview": selectors.department_overview(pk=pk)},
    )


@permission_required("ideas.view_idea")
def idea_path(request, pk):
    """The idea's whole path; an htmx request gets the fragment only."""
    path = selectors.idea_path(pk=pk, user=request.user)
    template = "implementation/_idea_path.html" if request.htmx else "implementation/idea_path.html"
    return render(request, template, {"path": path})


@permission_required("implementation.view_history")
def history(request, kind, pk):
    if kind not in selectors.HISTORY_MODELS:
        raise Http404
    obj, entries = selectors.history_for(kind=kind, pk=pk)
    return render(
        request,
        "implementation/history.html",
        {"object": obj, "entries": entries, "kind": kind},
    )


@permission_required("implementation.export_roundtable")
def export(request):
    data = roundtable_export()
    stamp = timezone.localtime().strftime("%Y-%m-%d")
    response = HttpResponse(
        json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2),
        content_type="application/json; charset=utf-8",
    )
    response["Content-Disposition"] = f'attachment; filename="runder-tisch-{stamp}.json"'
    return response
