from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from ideas.models import Idea
from participants.decorators import permission_required, visible_object
from roundtable.notifications.calendar import calendar_bytes
from roundtable.timeline.decorators import phase_closed_response, phase_permission_required
from roundtable.timeline.gates import WORKSHOP_WORK, phase_refusal

from . import selectors, services
from .calendar import workshop_calendar_entry
from .forms import (
    BoardFilterForm,
    ConceptForm,
    QuickConceptForm,
    SignoffForm,
    WorkshopCancelForm,
    WorkshopForm,
)
from .models import Concept, GroupSuggestion, Workshop, WorkshopResponse
from .rules import signoff_departments_of


def _errors(error: ValidationError) -> str:
    return " ".join(error.messages)


# --- workshops -------------------------------------------------------------------


@permission_required("workshops.list_workshops")
def workshop_list(request):
    return render(
        request,
        "workshops/workshop_list.html",
        {"workshops": selectors.workshop_list(user=request.user)},
    )


def _workshop_for(request, pk: int) -> Workshop:
    """A workshop the user may see, else 404."""
    return get_object_or_404(selectors.workshop_detail(user=request.user), pk=pk)


@permission_required("workshops.list_workshops")
@permission_required("workshops.view_workshop", fn=visible_object(selectors.workshop_list))
def workshop_detail(request, pk: int):
    workshop = _workshop_for(request, pk)
    return render(
        request,
        "workshops/workshop_detail.html",
        {"workshop": workshop, **_attendance_context(request, workshop)},
    )


# --- invitations: the calendar entry, answers, attendance, cancelling -------------------


def _attendance_context(request, workshop: Workshop) -> dict:
    user = request.user
    can_respond = (
        user.has_perm("workshops.respond_workshop", workshop)
        and not workshop.is_cancelled
        and workshop.starts_at > timezone.now()
    )
    return {
        "can_respond": can_respond,
        "my_response": selectors.workshop_response_of(workshop=workshop, user=user),
        "Answer": WorkshopResponse.Answer,
        "attendance": selectors.workshop_attendance(workshop=workshop)
        if user.has_perm("workshops.view_workshopresponse", workshop)
        else None,
    }


@permission_required("workshops.list_workshops")
@require_safe
def workshop_ics(request, pk: int):
    """The workshop as a calendar file (.ics) to open in Outlook, Thunderbird or a phone."""
    workshop = get_object_or_404(selectors.workshop_list(user=request.user), pk=pk)
    content = calendar_bytes([workshop_calendar_entry(workshop)], method="PUBLISH")
    response = HttpResponse(content, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="workshop-{workshop.pk}.ics"'
    return response


@permission_required("workshops.list_workshops")
@require_POST
def workshop_respond(request, pk: int):
    workshop = _workshop_for(request, pk)
    if not request.user.has_perm("workshops.respond_workshop", workshop):
        raise PermissionDenied
    try:
        response = services.workshop_respond(
            workshop=workshop, user=request.user, answer=request.POST.get("answer", "")
        )
    except ValidationError as error:
        messages.error(request, _errors(error))
    else:
        messages.success(
            request,
            _("Vielen Dank, Sie haben zugesagt.")
            if response.answer == WorkshopResponse.Answer.ACCEPTED
            else _("Vielen Dank, Sie haben abgesagt."),
        )
    return redirect(reverse("workshops:workshop_detail", args=[workshop.pk]) + "#teilnahme")


@permission_required("workshops.view_workshopresponse")
def workshop_attendance(request, pk: int):
    """The list of invited people with their answers, made for printing (sign-in sheet)."""
    workshop = get_object_or_404(selectors.workshop_list(user=request.user), pk=pk)
    return render(
        request,
        "workshops/workshop_attendance.html",
        {"workshop": workshop, "attendance": selectors.workshop_attendance(workshop=workshop)},
    )


@permission_required("workshops.change_workshop")
def workshop_cancel(request, pk: int):
    workshop = get_object_or_404(selectors.workshop_list(user=request.user), pk=pk)
    form = WorkshopCancelForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.workshop_cancel(
                workshop=workshop, by=request.user, reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            messages.error(request, _errors(error))
        else:
            messages.success(
                request, _("Der Workshop ist abgesagt; alle Eingeladenen werden benachrichtigt.")
            )
        return redirect(workshop)
    return render(request, "workshops/workshop_cancel.html", {"workshop": workshop, "form": form})


@permission_required("workshops.add_workshop")
def workshop_create(request):
    form = WorkshopForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        workshop = services.workshop_create(
            title=data["title"],
            starts_at=data["starts_at"],
            ends_at=data["ends_at"],
            place=data["place"],
            agenda=data["agenda"],
            minutes=data["minutes"],
            moderators=data["moderators"] or [request.user],
            participants=data["participants"],
            attendees=data["attendees"],
            departments=data["departments"],
            organisations=data["organisations"],
            ideas=data["ideas"],
            include_ungrouped_ideas=data["include_ungrouped_ideas"],
            by=request.user,
        )
        messages.success(
            request, _("Der Workshop „%(title)s“ wurde angelegt.") % {"title": workshop}
        )
        return redirect(workshop)
    return render(request, "workshops/workshop_form.html", {"form": form, "workshop": None})


@permission_required("workshops.change_workshop")
def workshop_edit(request, pk: int):
    workshop = get_object_or_404(Workshop, pk=pk)
    form = WorkshopForm(request.POST or None, instance=workshop)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        services.workshop_update(workshop=workshop, by=request.user, **data)
        messages.success(request, _("Der Workshop wurde gespeichert."))
        return redirect(workshop)
    return render(request, "workshops/workshop_form.html", {"form": form, "workshop": workshop})


# --- the grouping board ------------------------------------------------------------


def _board_workshop(pk: int | None) -> Workshop | None:
    return get_object_or_404(Workshop, pk=pk) if pk is not None else None


def _board_filters(request) -> tuple[BoardFilterForm, selectors.BoardFilters, str, str]:
    form = BoardFilterForm(request.GET or None, choices=selectors.board_filter_choices())
    filters = selectors.BoardFilters()
    view = "compact"
    if form.is_valid():
        data = form.cleaned_data
        filters = selectors.BoardFilters(
            topic=data["topic"].pk if data["topic"] else None,
            department=data["department"].pk if data["department"] else None,
            municipality=data["municipality"].pk if data["municipality"] else None,
            q=data["q"].strip(),
            shown=data["shown"] or selectors.BOARD_PAGE,
        )
        view = data["view"] or "compact"
    query = {
        key: value
        for key, value in {
            "topic": filters.topic,
            "department": filters.department,
            "municipality": filters.municipality,
            "q": filters.q,
            "view": view if view != "compact" else "",
            "shown": filters.shown if filters.shown != selectors.BOARD_PAGE else "",
        }.items()
        if value
    }
    return form, filters, view, urlencode(query)


def _board_urls(workshop: Workshop | None) -> dict[str, str]:
    if workshop is None:
        return {
            "board": reverse("workshops:board_all"),
            "move": reverse("workshops:board_all_move"),
            "concept": reverse("workshops:board_all_concept"),
            "suggestions": reverse("workshops:suggestions_all"),
        }
    return {
        "board": reverse("workshops:board", args=[workshop.pk]),
        "move": reverse("workshops:board_move", args=[workshop.pk]),
        "concept": reverse("workshops:board_concept", args=[workshop.pk]),
        "suggestions": reverse("workshops:suggestions", args=[workshop.pk]),
    }


def _render_board(
    request,
    workshop,
    *,
    message: str = "",
    level: str = "success",
    full=False,
    reveal: str | None = None,
):
    """``reveal``: the key of the column to scroll into view (a new concept, the target
    of a move; "" is "Nicht gruppiert")."""
    form, filters, view, query = _board_filters(request)
    board = selectors.board_data(workshop=workshop, filters=filters)
    more = QueryDict(query, mutable=True)
    more["shown"] = filters.shown + selectors.BOARD_PAGE
    context = {
        "more_query": more.urlencode(),
        "workshop": workshop,
        "board": board,
        "filter_form": form,
        "filters": filters,
        "view": view,
        "query": query,
        "urls": _board_urls(workshop),
        "message": message,
        "level": level,
        "reveal": reveal,
        "concept_form": QuickConceptForm(),
    }
    template = "workshops/board.html" if full else "workshops/board.html#board"
    return render(request, template, context)


@phase_permission_required("workshops.use_board", WORKSHOP_WORK)
def board(request, pk: int | None = None):
    workshop = _board_workshop(pk)
    if request.htmx and request.GET.get("token"):
        # polling: nothing changed, nothing to swap
        _form, filters, _view, _query = _board_filters(request)
        if selectors.board_token(workshop=workshop, filters=filters) == request.GET["token"]:
            return HttpResponse(status=204)
    return _render_board(request, workshop, full=not request.htmx)


def _parse_move(request):
    """``idea`` is "<pk>:<version>" (the board's view of it), ``target`` a concept pk or
    empty (ungrouped), ``before`` the idea it was dropped in front of (optional). A
    card's "up"/"down" button sends all four as ``order``: "<pk>:<version>:<target>:<before>"."""
    order = request.POST.get("order")
    if order is not None:
        parts = order.split(":")
        if len(parts) != 4:
            raise ValidationError(_("Ungültiges Ziel."))
        raw, target, before_raw = ":".join(parts[:2]), parts[2], parts[3]
    else:
        raw = request.POST.get("idea", "")
        target = request.POST.get("target", "")
        before_raw = request.POST.get("before") or ""
    try:
        idea_pk, version = (int(part) for part in raw.split(":", 1))
    except ValueError:
        raise ValidationError(_("Bitte wählen Sie zuerst eine Idee aus.")) from None
    try:
        concept_pk = int(target) if target else None
        before = int(before_raw or 0) or None
    except ValueError:
        raise ValidationError(_("Ungültiges Ziel.")) from None
    return idea_pk, version, concept_pk, before


@phase_permission_required("workshops.use_board", WORKSHOP_WORK)
@require_POST
def board_move(request, pk: int | None = None):
    workshop = _board_workshop(pk)
    level, message, reveal = "success", "", None
    try:
        idea_pk, version, concept_pk, before = _parse_move(request)
        idea = get_object_or_404(Idea, pk=idea_pk)
        concept = None
        if concept_pk is not None:
            concepts = selectors.board_concepts(workshop=workshop)
            concept = get_object_or_404(concepts, pk=concept_pk)
        services.idea_move(
            idea=idea,
            concept=concept,
            before=before,
            version=version,
            workshop=workshop,
            by=request.user,
        )
        target = concept.title if concept else _("Nicht gruppiert")
        message = _("„%(idea)s“ wurde nach „%(target)s“ verschoben.") % {
            "idea": idea.title,
            "target": target,
        }
        reveal = str(concept.pk) if concept else ""
    except services.StaleMove as stale:
        level, message = "warning", stale.message
    except ValidationError as error:
        level, message = "danger", _errors(error)
    if not request.htmx:
        getattr(messages, "success" if level == "success" else "warning")(request, message)
        return redirect(_board_urls(workshop)["board"])
    return _render_board(request, workshop, message=message, level=level, reveal=reveal)


@phase_permission_required("workshops.add_concept", WORKSHOP_WORK)
@require_POST
def board_concept(request, pk: int | None = None):
    workshop = _board_workshop(pk)
    form = QuickConceptForm(request.POST)
    level, message, reveal = "success", "", None
    if form.is_valid():
        concept = services.concept_create(
            title=form.cleaned_data["title"], workshop=workshop, by=request.user
        )
        message = _("Das Konzept „%(title)s“ wurde angelegt.") % {"title": concept.title}
        reveal = str(concept.pk)
    else:
        level, message = "danger", _("Bitte geben Sie einen Titel für das neue Konzept ein.")
    if not request.htmx:
        getattr(messages, "success" if level == "success" else "error")(request, message)
        return redirect(_board_urls(workshop)["board"])
    return _render_board(request, workshop, message=message, level=level, reveal=reveal)


# --- suggestions --------------------------------------------------------------------


@permission_required("workshops.change_groupsuggestion")
def _suggestion_run_request(request, workshop: Workshop | None):
    services.suggestion_run_request(workshop=workshop, by=request.user)
    messages.info(request, _("Die Vorschläge werden berechnet. Die Seite aktualisiert sich."))
    return redirect(request.path)


@permission_required("workshops.view_groupsuggestion")
def suggestions(request, pk: int | None = None):
    workshop = _board_workshop(pk)
    if request.method == "POST":
        message = phase_refusal(request.user, "workshops.change_groupsuggestion", WORKSHOP_WORK)
        if message is not None:
            return phase_closed_response(request, message)
        return _suggestion_run_request(request, workshop)
    run = selectors.suggestion_run_latest(workshop=workshop)
    context = {
        "workshop": workshop,
        "run": run,
        "suggestions": selectors.suggestion_list(run=run) if run else [],
        "urls": _board_urls(workshop),
    }
    if request.htmx:
        # polling: 286 tells htmx to stop once the computation has ended
        finished = run is None or run.status in (run.Status.DONE, run.Status.FAILED)
        return render(
            request,
            "workshops/suggestion_list.html#suggestions",
            context,
            status=286 if finished else 200,
        )
    return render(request, "workshops/suggestion_list.html", context)


@phase_permission_required("workshops.change_groupsuggestion", WORKSHOP_WORK)
@require_POST
def suggestion_accept(request, pk: int):
    suggestion = get_object_or_404(GroupSuggestion.objects.select_related("run"), pk=pk)
    try:
        concept = services.suggestion_accept(
            suggestion=suggestion,
            title=request.POST.get("title", "").strip()[:200],
            by=request.user,
        )
    except ValidationError as error:
        messages.error(request, _errors(error))
        workshop = suggestion.run.workshop
        return redirect(_board_urls(workshop)["suggestions"])
    messages.success(
        request,
        _(
            "Der Vorschlag wurde als Konzeptentwurf „%(title)s“ übernommen. Sie können ihn jetzt bearbeiten."
        )
        % {"title": concept.title},
    )
    return redirect("workshops:concept_edit", pk=concept.pk)


@phase_permission_required("workshops.change_groupsuggestion", WORKSHOP_WORK)
@require_POST
def suggestion_dismiss(request, pk: int):
    suggestion = get_object_or_404(GroupSuggestion.objects.select_related("run"), pk=pk)
    services.suggestion_dismiss(suggestion=suggestion, by=request.user)
    messages.info(request, _("Der Vorschlag wurde verworfen."))
    return redirect(_board_urls(suggestion.run.workshop)["suggestions"])


# --- concepts -------------------------------------------------------------------


@permission_required("workshops.view_concept")
def concept_list(request):
    status = request.GET.get("status") or None
    if status not in Concept.Status.values:
        status = None
    return render(
        request,
        "workshops/concept_list.html",
        {
            "concepts": selectors.concept_list(status=status),
            "status": status,
            "Status": Concept.Status,
        },
    )


@permission_required("workshops.view_concept")
def concept_detail(request, pk: int):
    concept = get_object_or_404(selectors.concept_detail(), pk=pk)
    return render(
        request,
        "workshops/concept_detail.html",
        {
            "concept": concept,
            **selectors.concept_workflow_state(concept=concept, user=request.user),
            "history": selectors.concept_history(concept=concept),
            "changes": selectors.concept_changes_since_agreed(concept=concept),
            "Status": Concept.Status,
        },
    )


@phase_permission_required("workshops.add_concept", WORKSHOP_WORK)
def concept_create(request):
    initial = {}
    if request.GET.get("workshop", "").isdigit():
        initial["workshop"] = request.GET["workshop"]
    form = ConceptForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        concept = services.concept_create(
            title=data["title"],
            summary=data["summary"],
            goals=data["goals"],
            workshop=data["workshop"],
            measures=data["measures"],
            responsible_departments=data["responsible_departments"],
            responsible_organisations=data["responsible_organisations"],
            municipalities=data["municipalities"],
            ideas=data["ideas"],
            by=request.user,
        )
        messages.success(request, _("Das Konzept „%(title)s“ wurde angelegt.") % {"title": concept})
        return redirect(concept)
    return render(request, "workshops/concept_form.html", {"form": form, "concept": None})


@phase_permission_required("workshops.change_concept", WORKSHOP_WORK)
def concept_edit(request, pk: int):
    concept = get_object_or_404(Concept, pk=pk)
    try:
        services.concept_check_editable(concept)
    except ValidationError as error:
        messages.error(request, _errors(error))
        return redirect(concept)
    form = ConceptForm(request.POST or None, instance=concept)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        if form.fields["ideas"].disabled:  # a closed concept keeps its ideas
            del data["ideas"]
        try:
            services.concept_update(concept=concept, by=request.user, **data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Das Konzept wurde gespeichert."))
            return redirect(concept)
    return render(request, "workshops/concept_form.html", {"form": form, "concept": concept})


@phase_permission_required("workshops.change_concept_status", WORKSHOP_WORK)
@require_POST
def concept_status(request, pk: int):
    concept = get_object_or_404(Concept, pk=pk)
    try:
        services.concept_set_status(
            concept=concept, status=request.POST.get("status", ""), by=request.user
        )
    except ValidationError as error:
        messages.error(request, _errors(error))
    else:
        concept.refresh_from_db()
        messages.success(
            request, _("Status: %(status)s") % {"status": concept.get_status_display()}
        )
    return redirect(concept)


@phase_permission_required("workshops.change_concept", WORKSHOP_WORK)
@require_POST
def concept_remove_idea(request, pk: int, idea_pk: int):
    concept = get_object_or_404(Concept, pk=pk)
    idea = get_object_or_404(Idea, pk=idea_pk, concept_link__concept=concept)
    try:
        services.concept_remove_idea(concept=concept, idea=idea, by=request.user)
    except ValidationError as error:
        messages.error(request, _errors(error))
    else:
        messages.success(
            request, _("„%(idea)s“ wurde aus dem Konzept genommen.") % {"idea": idea.title}
        )
    return redirect(concept)


@permission_required("workshops.view_concept")
def concept_signoff(request, pk: int):
    concept = get_object_or_404(selectors.concept_detail(), pk=pk)
    departments = signoff_departments_of(request.user, concept)
    if not departments:  # superusers pass every rule, but sign only for their departments
        raise PermissionDenied
    message = phase_refusal(request.user, "workshops.add_conceptsignoff", WORKSHOP_WORK, concept)
    if message is not None:
        return phase_closed_response(request, message)
    if not request.user.has_perm("workshops.add_conceptsignoff", concept):
        raise PermissionDenied
    form = SignoffForm(request.POST or None, departments=departments)
    changes = selectors.concept_changes_since_agreed(concept=concept)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.signoff_record(
                concept=concept,
                department=data["department"],
                decision=data["decision"],
                remarks=data["remarks"],
                by=request.user,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Ihre Mitzeichnung wurde gespeichert."))
            return redirect(concept)
    return render(
        request,
        "workshops/concept_signoff.html",
        {"concept": concept, "form": form, "changes": changes},
    )


@permission_required("workshops.view_conceptversion")
def concept_versions(request, pk: int):
    concept = get_object_or_404(Concept, pk=pk)
    return render(
        request,
        "workshops/concept_versions.html",
        {
            "concept": concept,
            "versions": selectors.concept_version_list(concept=concept),
            "changes": selectors.concept_changes_since_agreed(concept=concept),
        },
    )


@phase_permission_required("workshops.remind_conceptsignoff", WORKSHOP_WORK)
@require_POST
def concept_remind(request, pk: int):
    concept = get_object_or_404(Concept, pk=pk)
    try:
        reminder = services.signoff_remind(concept=concept, by=request.user)
    except ValidationError as error:
        messages.error(request, _errors(error))
    else:
        messages.success(request, _("Die Erinnerung wird per E-Mail verschickt."))
        if reminder.unreachable:
            messages.warning(
                request,
                _("Nicht erinnert: Für %(departments)s ist niemand mit E-Mail-Adresse hinterlegt.")
                % {"departments": ", ".join(str(d) for d in reminder.unreachable)},
            )
    return redirect(concept)
