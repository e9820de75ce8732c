"""Views of the Ideenwerkstatt: parse input, call one service or selector, render."""

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpResponse, QueryDict, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from participants.decorators import objectgetter, permission_required
from participants.rules import is_participant
from roundtable.operations import pagecache
from roundtable.timeline.selectors import (
    phase_allowing,
    phase_last_allowing,
    phase_next_allowing,
)

from . import export, selectors, services
from .apps import FILTER_CHOICES
from .feedback import FEEDBACK_TEMPLATES
from .filters import IdeaFilter
from .forms import (
    AttachmentForm,
    BulkStatusChangeForm,
    CommentForm,
    CommentHideForm,
    IdeaForm,
    StatusChangeForm,
    submitted_for_value,
)
from .models import Attachment, Comment, Idea
from .pagination import IdeaPaginator

PAGE_SIZE = 50
_COMMENTS = Comment.objects.select_related("idea")
_ATTACHMENTS = Attachment.objects.select_related("idea")
DRAFT_SESSION_KEY = "ideas_draft"
DRAFT_FIELDS = (
    "title",
    "description",
    "topic",
    "target_groups",
    "submitted_for",
    "municipalities",
)


def _paginate(request, queryset):
    page = IdeaPaginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))
    page.elided_range = page.paginator.elided_range(page.number)
    return page


def _filter_form_version() -> dict:
    """For the cached filter form (ideas/_filter_form.html): the version of its choices."""
    return {"filter_choices_version": pagecache.generation(FILTER_CHOICES)}


def _htmx_partial(request) -> bool:
    return bool(getattr(request, "htmx", False)) and not request.htmx.boosted


# --- list and moderation ---------------------------------------------------------


@permission_required("ideas.view_idea")
@require_GET
@pagecache.cached_per_user("ideas:list")
def idea_list(request):
    filterset = IdeaFilter(request.GET or None, user=request.user)
    page = _paginate(request, filterset.qs)
    template = "ideas/idea_list.html"
    if _htmx_partial(request):
        template += "#results"
    return render(request, template, {"filter": filterset, "page": page, **_filter_form_version()})


@permission_required("ideas.moderate_idea")
def idea_moderation(request):
    params = request.GET
    filterset = IdeaFilter(params or None, user=request.user)
    queryset = filterset.qs
    if not (filterset.form.is_bound and filterset.form.cleaned_data.get("sort")):
        queryset = selectors.idea_moderation_queue(queryset=queryset)
    page = _paginate(request, queryset)
    form = BulkStatusChangeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        changed, skipped = services.idea_bulk_status_change(
            ideas=form.cleaned_data["ideas"],
            by=request.user,
            to_status=form.cleaned_data["to_status"],
            public_feedback=form.cleaned_data["public_feedback"],
            private_remark=form.cleaned_data["private_remark"],
        )
        if changed:
            messages.success(
                request,
                _("%(count)d Ideen haben jetzt den Status „%(status)s“.")
                % {
                    "count": len(changed),
                    "status": Idea.Status(form.cleaned_data["to_status"]).label,
                },
            )
        for idea, reason in skipped:
            messages.warning(request, f"„{idea.title}“: {reason}")
        return redirect(request.get_full_path())
    template = "ideas/idea_moderation.html"
    if _htmx_partial(request) and request.method == "GET":
        template += "#results"
    return render(
        request,
        template,
        {
            "filter": filterset,
            "page": page,
            "form": form,
            "feedback_texts": _feedback_texts(),
            **_filter_form_version(),
        },
    )


# --- submitting and editing ---------------------------------------------------------


def _submission_window_context() -> dict:
    return {
        "open_phase": phase_allowing("allows_idea_submission"),
        "next_phase": phase_next_allowing("allows_idea_submission"),
        "last_phase": phase_last_allowing("allows_idea_submission"),
    }


def _initial_submitted_for(user) -> str:
    profile = getattr(user, "profile", None)
    if profile is None:
        return ""
    return submitted_for_value(profile.department, profile.organisation)


@login_not_required
def idea_create(request):
    """Submit an idea. Anonymous because a session may have expired while typing: the
    POST is kept in the (new) session, and the form is restored after logging in."""
    if not request.user.is_authenticated:
        if request.method == "POST":
            # only the form's own fields, each capped: nothing else lands in the session
            draft = QueryDict(mutable=True)
            for name in DRAFT_FIELDS:
                draft.setlist(name, [v[:10000] for v in request.POST.getlist(name)[:50]])
            request.session[DRAFT_SESSION_KEY] = draft.urlencode()
        return redirect_to_login(reverse("ideas:create"))
    if not is_participant(request.user):
        raise PermissionDenied
    if not request.user.has_perm("ideas.add_idea"):
        return render(request, "ideas/idea_closed.html", _submission_window_context())
    restored = False
    if request.method == "POST":
        form = IdeaForm(request.POST, request.FILES)
        if form.is_valid():
            attachments = (
                [form.cleaned_data["attachment"]] if form.cleaned_data.get("attachment") else []
            )
            try:
                idea = services.idea_submit(
                    author=request.user, attachments=attachments, **form.idea_fields()
                )
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(request, _("Vielen Dank! Ihre Idee wurde eingereicht."))
                return redirect(reverse("ideas:detail", kwargs={"pk": idea.pk}) + "?eingereicht=1")
    elif DRAFT_SESSION_KEY in request.session:
        form = IdeaForm(QueryDict(request.session.pop(DRAFT_SESSION_KEY)))
        restored = True
    else:
        form = IdeaForm(initial={"submitted_for": _initial_submitted_for(request.user)})
    return render(
        request,
        "ideas/idea_form.html",
        {"form": form, "restored": restored, "idea": None, **_submission_window_context()},
    )


def _get_idea(pk: int) -> Idea:
    return get_object_or_404(
        Idea.objects.select_related(
            "topic", "department", "organisation", "author"
        ).prefetch_related("target_groups", "municipalities"),
        pk=pk,
    )


@permission_required("ideas.view_idea")
@permission_required("ideas.change_idea", fn=objectgetter(Idea, "pk"))
def idea_edit(request, pk: int):
    idea = _get_idea(pk)
    if request.method == "POST":
        form = IdeaForm(request.POST, with_attachment=False)
        if form.is_valid():
            try:
                services.idea_update(idea=idea, by=request.user, **form.idea_fields())
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(request, _("Ihre Änderungen wurden gespeichert."))
                return redirect("ideas:detail", pk=idea.pk)
    else:
        form = IdeaForm(initial=IdeaForm.initial_for(idea), with_attachment=False)
    return render(request, "ideas/idea_form.html", {"form": form, "idea": idea, "restored": False})


# --- detail and taking part -------------------------------------------------------


def _detail_context(request, idea: Idea, **extra) -> dict:
    return {
        "idea": idea,
        "comment_form": CommentForm(),
        "status_form": StatusChangeForm(),
        "attachment_form": AttachmentForm(),
        "can_change": request.user.has_perm("ideas.change_idea", idea),
        "can_moderate": request.user.has_perm("ideas.moderate_idea", idea),
        "feedback_texts": _feedback_texts(),
        **extra,
    }


def _feedback_texts() -> dict[str, str]:
    return {key: str(text) for key, (_label, text) in FEEDBACK_TEMPLATES.items()}


def _load_detail(request, pk: int) -> Idea:
    try:
        return selectors.idea_detail(pk=pk, user=request.user)
    except Idea.DoesNotExist as exc:
        raise Http404 from exc


@permission_required("ideas.view_idea")
@require_GET
def idea_detail(request, pk: int):
    idea = _load_detail(request, pk)
    return render(request, "ideas/idea_detail.html", _detail_context(request, idea))


@permission_required("ideas.add_support")
@require_POST
def idea_support(request, pk: int):
    idea = get_object_or_404(Idea, pk=pk)
    supported = services.idea_support_toggle(idea=idea, user=request.user)
    if _htmx_partial(request):
        idea.supported_by_me = supported
        return render(request, "ideas/_support.html", {"idea": idea, "announce": True})
    messages.success(
        request,
        _("Sie unterstützen diese Idee.")
        if supported
        else _("Ihre Unterstützung wurde zurückgenommen."),
    )
    return redirect("ideas:detail", pk=idea.pk)


@permission_required("ideas.add_comment")
@require_POST
def comment_create(request, pk: int):
    idea = get_object_or_404(Idea, pk=pk)
    form = CommentForm(request.POST)
    if form.is_valid():
        parent = None
        if form.cleaned_data.get("parent"):
            parent = Comment.objects.filter(pk=form.cleaned_data["parent"], idea=idea).first()
        try:
            comment = services.comment_create(
                idea=idea, author=request.user, text=form.cleaned_data["text"], parent=parent
            )
        except ValidationError as exc:
            form.add_error("text", exc)
        else:
            messages.success(request, _("Ihr Kommentar wurde veröffentlicht."))
            return redirect(
                reverse("ideas:detail", kwargs={"pk": idea.pk}) + f"#kommentar-{comment.pk}"
            )
    idea = _load_detail(request, pk)
    return render(
        request,
        "ideas/idea_detail.html",
        _detail_context(request, idea, comment_form=form),
        status=200,
    )


@permission_required("ideas.view_idea")
@permission_required("ideas.change_comment", fn=objectgetter(_COMMENTS, "pk"))
def comment_edit(request, pk: int):
    comment = get_object_or_404(_COMMENTS, pk=pk)
    form = CommentForm(request.POST or None, instance=comment)
    if request.method == "POST" and form.is_valid():
        try:
            services.comment_update(
                comment=comment, by=request.user, text=form.cleaned_data["text"]
            )
        except ValidationError as exc:
            form.add_error("text", exc)
        else:
            messages.success(request, _("Ihr Kommentar wurde geändert."))
            return redirect(
                reverse("ideas:detail", kwargs={"pk": comment.idea_id}) + f"#kommentar-{comment.pk}"
            )
    return render(request, "ideas/comment_form.html", {"form": form, "comment": comment})


@permission_required("ideas.hide_comment")
def comment_hide(request, pk: int):
    comment = get_object_or_404(Comment.objects.select_related("idea", "author"), pk=pk)
    form = CommentHideForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.comment_hide(comment=comment, by=request.user, reason=form.cleaned_data["reason"])
        messages.success(request, _("Der Kommentar wurde ausgeblendet."))
        return redirect(
            reverse("ideas:detail", kwargs={"pk": comment.idea_id}) + f"#kommentar-{comment.pk}"
        )
    return render(request, "ideas/comment_hide.html", {"form": form, "comment": comment})


@permission_required("ideas.moderate_idea")
@require_POST
def idea_status(request, pk: int):
    idea = get_object_or_404(Idea, pk=pk)
    form = StatusChangeForm(request.POST)
    if form.is_valid():
        try:
            services.idea_status_change(
                idea=idea,
                by=request.user,
                to_status=form.cleaned_data["to_status"],
                public_feedback=form.cleaned_data["public_feedback"],
                private_remark=form.cleaned_data["private_remark"],
            )
        except ValidationError as exc:
            form.add_error("to_status", exc)
        else:
            messages.success(
                request,
                _(
                    "Der Status wurde geändert; die Verfasserin oder der Verfasser wird benachrichtigt."
                ),
            )
            return redirect("ideas:detail", pk=idea.pk)
    idea = _load_detail(request, pk)
    return render(
        request, "ideas/idea_detail.html", _detail_context(request, idea, status_form=form)
    )


# --- attachments ---------------------------------------------------------------------


@permission_required("ideas.view_idea")
@require_POST
@permission_required("ideas.add_attachment", fn=objectgetter(Idea, "pk"))
def attachment_upload(request, pk: int):
    idea = get_object_or_404(Idea, pk=pk)
    form = AttachmentForm(request.POST, request.FILES)
    if form.is_valid():
        services.attachment_add(idea=idea, by=request.user, uploaded=form.cleaned_data["file"])
        messages.success(request, _("Der Anhang wurde gespeichert."))
        return redirect("ideas:detail", pk=idea.pk)
    idea = _load_detail(request, pk)
    return render(
        request, "ideas/idea_detail.html", _detail_context(request, idea, attachment_form=form)
    )


@permission_required("ideas.view_idea")
@require_GET
@permission_required("ideas.view_attachment", fn=objectgetter(_ATTACHMENTS, "pk"))
def attachment_download(request, pk: int):
    attachment = get_object_or_404(_ATTACHMENTS, pk=pk)
    try:
        handle = attachment.file.open("rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=attachment.original_name,
        content_type=attachment.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "private, no-store"
    return response


# --- similar ideas (duplicate hints) ---------------------------------------------------


@permission_required("ideas.view_idea")
@require_GET
def idea_similar(request):
    exclude = request.GET.get("exclude", "")
    similar = selectors.idea_similar(
        title=request.GET.get("title", "")[:200],
        description=request.GET.get("description", "")[:2000],
        exclude_pk=int(exclude) if exclude.isdigit() else None,
    )
    return render(request, "ideas/_similar.html", {"similar": similar})


# --- export ---------------------------------------------------------------------------


def _export_ideas(request):
    return IdeaFilter(request.GET or None, user=None).qs


@permission_required("ideas.export_idea")
@require_GET
def export_csv(request):
    response = StreamingHttpResponse(
        export.export_csv_lines(_export_ideas(request)), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{export.export_filename("csv")}"'
    return response


@permission_required("ideas.export_idea")
@require_GET
def export_xlsx(request):
    response = HttpResponse(
        export.export_xlsx(_export_ideas(request)), content_type=export.XLSX_CONTENT_TYPE
    )
    response["Content-Disposition"] = f'attachment; filename="{export.export_filename("xlsx")}"'
    return response
