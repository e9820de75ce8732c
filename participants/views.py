from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from participants.decorators import permission_required

from . import selectors, services
from .forms import ParticipationForm
from .models import DepartmentParticipation


@permission_required("participants.view_coordination")
def coordination(request):
    return render(
        request,
        "participants/coordination_list.html",
        {
            "participations": selectors.coordination_list(),
            "summary": selectors.coordination_summary(),
            "Status": DepartmentParticipation.Status,
        },
    )


@permission_required("participants.change_departmentparticipation")
def coordination_edit(request, pk: int):
    participation = get_object_or_404(
        DepartmentParticipation.objects.select_related("department"), pk=pk
    )
    form = ParticipationForm(request.POST or None, instance=participation)
    if request.method == "POST" and form.is_valid():
        services.participation_set(
            participation=participation,
            status=form.cleaned_data["status"],
            note=form.cleaned_data["note"],
            contacts=form.cleaned_data["contacts"],
            by=request.user,
        )
        messages.success(
            request,
            _("Die Beteiligung von „%(department)s“ wurde gespeichert.")
            % {"department": participation.department},
        )
        return redirect("participants:coordination")
    return render(
        request,
        "participants/coordination_edit.html",
        {"form": form, "participation": participation},
    )
