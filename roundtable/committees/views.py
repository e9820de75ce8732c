"""Committees, meetings, papers, their PDF reports and decisions. Views stay thin."""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST, require_safe

from participants.decorators import permission_required
from roundtable.notifications.calendar import calendar_bytes

from . import selectors, services
from .calendar import meeting_calendar_entry
from .forms import DecisionForm, PaperForm, ReportRequestForm
from .models import Paper

REPORT_NOTICE_SESSION_KEY = "committees_report_notice"


@permission_required("committees.view_committee")
def committee_list(request):
    return render(
        request, "committees/committee_list.html", {"committees": selectors.committee_list()}
    )


@permission_required("committees.view_meeting")
def meeting_detail(request, pk):
    meeting = get_object_or_404(selectors.meeting_detail_for(request.user), pk=pk)
    return render(request, "committees/meeting_detail.html", {"meeting": meeting})


@permission_required("committees.view_meeting")
@require_safe
def meeting_ics(request, pk):
    """The meeting as a calendar file (.ics), with its public agenda items."""
    meeting = get_object_or_404(selectors.meetings_for_calendar(), pk=pk)
    entry = meeting_calendar_entry(meeting, agenda_items=meeting.public_agenda_items)
    response = HttpResponse(
        calendar_bytes([entry], method="PUBLISH"), content_type="text/calendar; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="sitzung-{meeting.pk}.ics"'
    return response


@require_POST
@permission_required("committees.invite_meeting")
def meeting_invite(request, pk):
    meeting = get_object_or_404(selectors.meeting_list_visible_for(request.user), pk=pk)
    count = services.meeting_invitations_send(meeting=meeting, by=request.user)
    messages.success(
        request,
        ngettext(
            "Die Einladung mit dem Kalendereintrag geht an %(count)d Ausschussmitglied.",
            "Die Einladung mit dem Kalendereintrag geht an %(count)d Ausschussmitglieder.",
            count,
        )
        % {"count": count},
    )
    return redirect(meeting)


def _paper_form_services_kwargs(form) -> dict:
    data = form.cleaned_data
    return {
        "department": data["department"],
        "date": data["date"],
        "resolution_proposal": data["resolution_proposal"],
        "preliminary_remarks": data["preliminary_remarks"],
        "participating_departments": data["participating_departments"],
        "concepts": data["concepts"],
    }


@permission_required("committees.add_paper")
def paper_create(request, agenda_item_pk):
    agenda_item = get_object_or_404(
        selectors.agenda_items_visible_for(request.user).select_related("meeting__committee"),
        pk=agenda_item_pk,
    )
    if Paper.objects.filter(agenda_item=agenda_item).exists():
        return redirect("committees:paper_edit", pk=agenda_item.paper.pk)
    form = PaperForm(request.POST or None, instance=Paper(agenda_item=agenda_item))
    if request.method == "POST" and form.is_valid():
        try:
            paper = services.paper_create(
                agenda_item=agenda_item, by=request.user, **_paper_form_services_kwargs(form)
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Die Beschlussvorlage wurde angelegt."))
            return redirect("committees:paper_detail", pk=paper.pk)
    return render(request, "committees/paper_edit.html", {"form": form, "agenda_item": agenda_item})


@permission_required("committees.change_paper")
def paper_edit(request, pk):
    paper = get_object_or_404(selectors.paper_list_visible_for(request.user), pk=pk)
    form = PaperForm(request.POST or None, instance=paper)
    if request.method == "POST" and form.is_valid():
        try:
            services.paper_update(paper=paper, by=request.user, **_paper_form_services_kwargs(form))
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Die Beschlussvorlage wurde gespeichert."))
            return redirect("committees:paper_detail", pk=paper.pk)
    return render(
        request,
        "committees/paper_edit.html",
        {"form": form, "agenda_item": paper.agenda_item, "paper": paper},
    )


@permission_required("committees.view_committee")
def paper_detail(request, pk):
    paper = get_object_or_404(selectors.paper_detail_for(request.user), pk=pk)
    if not request.user.has_perm("committees.view_paper", paper):
        raise Http404
    reports = list(selectors.report_list_for_paper(paper=paper, user=request.user))
    # the report just requested: its state is shown at the top and follows its row
    requested = request.session.pop(REPORT_NOTICE_SESSION_KEY, None)
    notice = next((r for r in reports if str(r.pk) == requested), None)
    return render(
        request,
        "committees/paper_detail.html",
        {
            "paper": paper,
            "reports": reports,
            "notice": notice,
            "request_form": ReportRequestForm(),
        },
    )


@require_POST
@permission_required("committees.request_report")
def report_request(request, pk):
    paper = get_object_or_404(selectors.paper_list_visible_for(request.user), pk=pk)
    form = ReportRequestForm(request.POST)
    variant = (
        form.cleaned_data["variant"]
        if form.is_valid()
        else ReportRequestForm.base_fields["variant"].initial
    )
    # The paper is an official German document, whatever language the portal is used in.
    try:
        report = services.report_request(
            paper=paper, by=request.user, variant=variant, language=settings.LANGUAGE_CODE
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("committees:paper_detail", pk=paper.pk)
    # not a message: the paper page shows the report's state, which changes
    request.session[REPORT_NOTICE_SESSION_KEY] = str(report.pk)
    return redirect("committees:paper_detail", pk=paper.pk)


@require_GET
@never_cache
@permission_required("committees.view_report")
def report_status(request, pk):
    report = get_object_or_404(selectors.report_list_visible_for(request.user), pk=pk)
    notice = report if request.GET.get("notice") else None
    return render(
        request, "committees/_report_row.html", {"report": report, "notice": notice, "oob": True}
    )


@require_GET
@permission_required("committees.view_committee")
def report_download(request, pk):
    report = get_object_or_404(
        selectors.report_list_visible_for(request.user).filter(status="done"), pk=pk
    )
    if not request.user.has_perm("committees.download_report", report) or not report.file:
        raise Http404
    handle = report.file.open("rb")
    services.report_download_record(report=report, user=request.user)
    response = FileResponse(
        handle, as_attachment=True, filename=report.download_name, content_type="application/pdf"
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


@permission_required("committees.add_decision")
def decision_create(request, agenda_item_pk):
    agenda_item = get_object_or_404(
        selectors.agenda_items_visible_for(request.user).select_related("meeting__committee"),
        pk=agenda_item_pk,
    )
    existing = selectors.decision_for_agenda_item(agenda_item=agenda_item)
    form = DecisionForm(request.POST or None, instance=existing)
    if request.method == "POST" and form.is_valid():
        try:
            services.decision_record(
                agenda_item=agenda_item,
                text=form.cleaned_data["text"],
                result=form.cleaned_data["result"],
                by=request.user,
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Der Beschluss wurde erfasst."))
            return redirect("committees:meeting_detail", pk=agenda_item.meeting_id)
    return render(
        request,
        "committees/decision_create.html",
        {"form": form, "agenda_item": agenda_item, "paper": getattr(agenda_item, "paper", None)},
    )
