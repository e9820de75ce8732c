"""Moderation plans the Zeitraster: dates and what each phase opens."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from participants.decorators import permission_required

from . import services
from .forms import PhaseForm
from .models import Phase
from .selectors import CAPABILITIES


def _fields(form) -> dict:
    data = form.cleaned_data
    return {
        "name": data["name"],
        "description": data["description"],
        "start": data["start"],
        "end": data["end"],
        **{capability: data[capability] for capability in CAPABILITIES},
    }


@permission_required("timeline.add_phase")
def phase_create(request):
    form = PhaseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        phase = services.phase_create(by=request.user, **_fields(form))
        messages.success(request, _("Die Phase „%(name)s“ wurde angelegt.") % {"name": phase})
        return redirect("timeline")
    return render(request, "timeline/phase_form.html", {"form": form, "phase": None})


@permission_required("timeline.change_phase")
def phase_edit(request, pk: int):
    phase = get_object_or_404(Phase, pk=pk)
    form = PhaseForm(request.POST or None, instance=phase)
    if request.method == "POST" and form.is_valid():
        services.phase_update(phase=phase, by=request.user, **_fields(form))
        messages.success(request, _("Die Phase „%(name)s“ wurde gespeichert.") % {"name": phase})
        return redirect("timeline")
    return render(request, "timeline/phase_form.html", {"form": form, "phase": phase})
