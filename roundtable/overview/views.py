from django.shortcuts import render
from django.utils import timezone

from participants import selectors as participant_selectors
from participants.decorators import permission_required
from roundtable.committees.models import Meeting
from roundtable.timeline.selectors import phase_current, phase_list

from .dashboard import dashboard_build
from .selectors import timeline_build


@permission_required("overview.view_home")
def home(request):
    return render(
        request,
        "overview/home.html",
        {
            "current_phase": phase_current(),
            "phases": phase_list(),
            "coordination_to_answer": participant_selectors.participations_to_answer(
                user=request.user
            ),
        },
    )


@permission_required("overview.view_timeline")
def timeline(request):
    return render(
        request,
        "overview/timeline.html",
        {
            "timeline": timeline_build(),
            "phases": phase_list(),
            "meetings": Meeting.objects.select_related("committee").order_by("starts_at"),
            "today": timezone.localdate(),
        },
    )


@permission_required("overview.view_directory")
def directory(request):
    return render(
        request,
        "overview/directory.html",
        {
            "departments": participant_selectors.department_list(),
            "organisations": participant_selectors.organisation_list(),
            "municipalities": participant_selectors.municipality_list(),
        },
    )


@permission_required("overview.view_dashboard")
def dashboard(request):
    return render(request, "overview/dashboard.html", {"dashboard": dashboard_build()})
