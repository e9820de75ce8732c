"""Committees, meetings, papers, their PDF reports and decisions. Views stay thin."""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST, require_safe

from participants.decorators import permission_required
from roundtable.notifications.calendar import calendar_bytes
from roundtable.timeline.decorators import phase_permission_required
from roundtable.timeline.gates import COMMITTEE_WORK

from . import selectors, services
from .calendar import meeting_calendar_entry
from .forms import (
    AgendaItemForm,
    CommitteeForm,
    DecisionForm,
    MeetingForm,
    MembershipForm,
    PaperCorrectionForm,
    PaperForm,
    ReportRequestForm,
)
from .models import AgendaItem, Committee, CommitteeMembership, Meeting, Paper


def _errors(error: ValidationError) -> str:
    return " ".join(error.messages)


# --- committees and their members ----------------------------------------------------

REPORT_NOTICE_SESSION_KEY = "committees_report_notice"


@permission_required("committees.view_committee")
def committee_list(request):
    return render(
        request, "committees/committee_list.html", {"committees": selectors.committee_list()}
    )


@permission_required("committees.view_committee")
def committee_detail(request, pk):
    committee = get_object_or_404(selectors.committee_detail(), pk=pk)
    return render(request, "committees/committee_detail.html", {"committee": committee})


def _committee_fields(form) -> dict:
    return {name: form.cleaned_data[name] for name in CommitteeForm.Meta.fields}


@permission_required("committees.add_committee")
def committee_create(request):
    form = CommitteeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            committee = services.committee_create(by=request.user, **_committee_fields(form))
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(
                request, _("Das Gremium „%(name)s“ wurde angelegt.") % {"name": committee}
            )
            return redirect("committees:committee_detail", pk=committee.pk)
    return render(request, "committees/committee_form.html", {"form": form, "committee": None})


@permission_required("committees.change_committee")
def committee_edit(request, pk):
    committee = get_object_or_404(Committee, pk=pk)
    form = CommitteeForm(request.POST or None, instance=committee)
    if request.method == "POST" and form.is_valid():
        try:
            services.committee_update(
                committee=committee, by=request.user, **_committee_fields(form)
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Das Gremium wurde gespeichert."))
            return redirect("committees:committee_detail", pk=committee.pk)
    return render(request, "committees/committee_form.html", {"form": form, "committee": committee})


@permission_required("committees.change_committeemembership")
def committee_members(request, pk):
    committee = get_object_or_404(selectors.committee_detail(), pk=pk)
    form = MembershipForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        membership = services.membership_set(
            committee=committee,
            user=form.cleaned_data["user"],
            role=form.cleaned_data["role"],
            by=request.user,
        )
        messages.success(
            request,
            _("%(person)s ist jetzt %(role)s.")
            % {
                "person": membership.user.get_full_name() or membership.user.get_username(),
                "role": membership.get_role_display(),
            },
        )
        return redirect("committees:committee_members", pk=committee.pk)
    return render(
        request, "committees/committee_members.html", {"committee": committee, "form": form}
    )


@permission_required("committees.change_committeemembership")
@require_POST
def membership_remove(request, pk):
    membership = get_object_or_404(CommitteeMembership.objects.select_related("user"), pk=pk)
    services.membership_remove(membership=membership, by=request.user)
    messages.success(
        request,
        _("%(person)s gehört dem Gremium nicht mehr an.")
        % {"person": membership.user.get_full_name() or membership.user.get_username()},
    )
    return redirect("committees:committee_members", pk=membership.committee_id)


# --- meetings and their agenda -------------------------------------------------------


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


def _meeting_fields(form) -> dict:
    data = form.cleaned_data
    return {
        "committee": data["committee"],
        "starts_at": data["starts_at"],
        "ends_at": data["ends_at"],
        "place": data["place"],
        "is_public": data["is_public"],
    }


@permission_required("committees.add_meeting")
def meeting_create(request):
    initial = {}
    if request.GET.get("gremium", "").isdigit():
        initial["committee"] = request.GET["gremium"]
    form = MeetingForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            meeting = services.meeting_create(by=request.user, **_meeting_fields(form))
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Die Sitzung wurde angelegt. Jetzt die Tagesordnung:"))
            return redirect("committees:meeting_detail", pk=meeting.pk)
    return render(request, "committees/meeting_form.html", {"form": form, "meeting": None})


@permission_required("committees.change_meeting")
def meeting_edit(request, pk):
    meeting = get_object_or_404(Meeting.objects.select_related("committee"), pk=pk)
    form = MeetingForm(request.POST or None, instance=meeting)
    if request.method == "POST" and form.is_valid():
        try:
            meeting = services.meeting_update(
                meeting=meeting, by=request.user, **_meeting_fields(form)
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Die Sitzung wurde gespeichert."))
            if meeting.invitations_updated:
                messages.info(
                    request,
                    ngettext(
                        "%(count)d eingeladenes Ausschussmitglied erhält die Änderung mit dem "
                        "Kalendereintrag.",
                        "%(count)d eingeladene Ausschussmitglieder erhalten die Änderung mit dem "
                        "Kalendereintrag.",
                        meeting.invitations_updated,
                    )
                    % {"count": meeting.invitations_updated},
                )
            return redirect("committees:meeting_detail", pk=meeting.pk)
    return render(request, "committees/meeting_form.html", {"form": form, "meeting": meeting})


def _agenda_item_fields(form) -> dict:
    return {name: form.cleaned_data[name] for name in ("number", "title", "subtitle", "is_public")}


@permission_required("committees.add_agendaitem")
def agenda_item_create(request, meeting_pk):
    meeting = get_object_or_404(Meeting.objects.select_related("committee"), pk=meeting_pk)
    form = AgendaItemForm(
        request.POST or None, instance=AgendaItem(meeting=meeting, is_public=meeting.is_public)
    )
    if request.method == "POST" and form.is_valid():
        try:
            item = services.agenda_item_create(
                meeting=meeting, by=request.user, **_agenda_item_fields(form)
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(
                request,
                _("TO-Pkt. %(number)s wurde angelegt.") % {"number": item.number},
            )
            return redirect(
                f"{reverse('committees:meeting_detail', args=[meeting.pk])}#item-{item.pk}"
            )
    return render(
        request,
        "committees/agenda_item_form.html",
        {"form": form, "meeting": meeting, "agenda_item": None},
    )


@permission_required("committees.change_agendaitem")
def agenda_item_edit(request, pk):
    item = get_object_or_404(AgendaItem.objects.select_related("meeting__committee"), pk=pk)
    form = AgendaItemForm(request.POST or None, instance=item)
    if request.method == "POST" and form.is_valid():
        try:
            services.agenda_item_update(
                agenda_item=item, by=request.user, **_agenda_item_fields(form)
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Der Tagesordnungspunkt wurde gespeichert."))
            return redirect(
                f"{reverse('committees:meeting_detail', args=[item.meeting_id])}#item-{item.pk}"
            )
    return render(
        request,
        "committees/agenda_item_form.html",
        {"form": form, "meeting": item.meeting, "agenda_item": item},
    )


# --- papers -------------------------------------------------------------------------


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


@phase_permission_required("committees.add_paper", COMMITTEE_WORK)
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


@phase_permission_required("committees.change_paper", COMMITTEE_WORK)
def paper_edit(request, pk):
    paper = get_object_or_404(selectors.paper_list_visible_for(request.user), pk=pk)
    try:
        services.paper_check_changeable(paper)
    except ValidationError as error:
        messages.error(request, _errors(error))
        return redirect("committees:paper_detail", pk=paper.pk)
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
    sees_reports = request.user.has_perm("committees.view_report")
    reports = list(selectors.report_list_for_paper(paper=paper, user=request.user))
    # the report just requested: its state is shown at the top and follows its row
    requested = request.session.pop(REPORT_NOTICE_SESSION_KEY, None)
    notice = next((r for r in reports if str(r.pk) == requested), None)
    return render(
        request,
        "committees/paper_detail.html",
        {
            "paper": paper,
            "versions": selectors.paper_version_list(paper=paper),
            "sees_reports": sees_reports,
            "reports": reports,
            "notice": notice,
            "request_form": ReportRequestForm(),
            "can_change": request.user.has_perm("committees.change_paper", paper),
            "can_submit": request.user.has_perm("committees.submit_paper", paper),
            "can_correct": request.user.has_perm("committees.correct_paper", paper),
            "can_request": request.user.has_perm("committees.request_report", paper),
        },
    )


@phase_permission_required("committees.submit_paper", COMMITTEE_WORK)
@require_POST
def paper_submit(request, pk):
    paper = get_object_or_404(selectors.paper_list_visible_for(request.user), pk=pk)
    try:
        version = services.paper_submit(paper=paper, by=request.user)
    except ValidationError as error:
        messages.error(request, _errors(error))
    else:
        messages.success(
            request,
            _(
                "Die Vorlage ist eingereicht (Fassung %(number)s) und bleibt so. Ihr "
                "endgültiges PDF wird einmal erstellt und steht dann hier zum Herunterladen."
            )
            % {"number": version.number},
        )
    return redirect("committees:paper_detail", pk=paper.pk)


@phase_permission_required("committees.correct_paper", COMMITTEE_WORK)
def paper_correct(request, pk):
    paper = get_object_or_404(selectors.paper_list_visible_for(request.user), pk=pk)
    try:
        services.paper_check_changeable(paper, correction=True)
    except ValidationError as error:
        messages.error(request, _errors(error))
        return redirect("committees:paper_detail", pk=paper.pk)
    form = PaperCorrectionForm(request.POST or None, instance=paper)
    if request.method == "POST" and form.is_valid():
        try:
            version = services.paper_correct(
                paper=paper,
                kind=form.cleaned_data["kind"],
                note=form.cleaned_data["note"],
                by=request.user,
                **_paper_form_services_kwargs(form),
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(
                request,
                _("%(label)s ist eingereicht; ihr PDF wird erstellt.") % {"label": version.label},
            )
            return redirect("committees:paper_detail", pk=paper.pk)
    return render(
        request,
        "committees/paper_correct.html",
        {"form": form, "agenda_item": paper.agenda_item, "paper": paper},
    )


@require_POST
@permission_required("committees.view_report")
def report_request(request, pk):
    paper = get_object_or_404(selectors.paper_list_visible_for(request.user), pk=pk)
    if not request.user.has_perm("committees.request_report", paper):
        messages.info(
            request,
            _("Die Vorlage ist eingereicht: Ihre PDF-Fassungen stehen zum Herunterladen bereit."),
        )
        return redirect("committees:paper_detail", pk=paper.pk)
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
    if report.is_final:
        return render(
            request,
            "committees/_final_report.html",
            {"report": report, "version": report.paper_version},
        )
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


@phase_permission_required("committees.add_decision", COMMITTEE_WORK)
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
