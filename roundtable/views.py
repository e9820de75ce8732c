from django.contrib.auth.decorators import login_not_required
from django.http import JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from participants.decorators import permission_required
from roundtable.committees.models import Meeting
from roundtable.timeline.selectors import phase_current, phase_list

from .selectors import timeline_build
from .services import health_check


@permission_required("roundtable.view_home")
def home(request):
    return render(
        request,
        "roundtable/home.html",
        {"current_phase": phase_current(), "phases": phase_list()},
    )


@permission_required("roundtable.view_timeline")
def timeline(request):
    return render(
        request,
        "roundtable/timeline.html",
        {
            "timeline": timeline_build(),
            "phases": phase_list(),
            "meetings": Meeting.objects.select_related("committee").order_by("starts_at"),
            "today": timezone.localdate(),
        },
    )


@login_not_required
@never_cache
@require_GET
def healthz(request):
    state = health_check()
    return JsonResponse(state, status=200 if state["ok"] else 503)
