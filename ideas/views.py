"""Views of the Ideenwerkstatt: parse input, call one service or selector, render."""

from urllib.parse import quote_plus

import rules
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.views import redirect_to_login
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpResponse, QueryDict, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_POST

from participants.decorators import objectgetter, permission_required
from participants.rules import is_participant_or_external
from roundtable.operations import pagecache
from roundtable.timeline.selectors import (
    phase_allowing,
    phase_last_allowing,
    phase_next_allowing,
)

from . import export, rows, selectors, services
from .apps import FILTER_CHOICES, LIST_FRAME
from .feedback import FEEDBACK_TEMPLATES
from .filters import IdeaFilter, ModerationIdeaFilter
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
#: the form's fields kept from a POST whose session had expired, each value cut to this
DRAFT_FIELDS = {
    "title": 200,
    "description": 10000,
    "topic": 20,
    "target_groups": 20,
    "submitted_for": 20,
    "municipalities": 20,
}
#: who wrote the draft (signed, in the form): only that person gets it back after login
DRAFT_OWNER_FIELD = "draft_owner"
DRAFT_OWNER_SALT = "ideas.draft-owner"


def _draft_owner_token(user) -> str:
    return signing.dumps(user.pk, salt=DRAFT_OWNER_SALT)


def _draft_owner(token: str | None) -> int | None:
    try:
        return signing.loads(token or "", salt=DRAFT_OWNER_SALT)
    except signing.BadSignature:
        return None


def _draft_of(post: QueryDict) -> tuple[str, int | None]:
    """The POST's form fields, url-encoded within ``IDEAS_DRAFT_MAX_BYTES``, and the
    length the description was cut to if it did not fit (None: kept whole)."""
    draft = QueryDict(mutable=True)
    for name, limit in DRAFT_FIELDS.items():
        draft.setlist(name, [v[:limit] for v in post.getlist(name)[:50]])
    encoded = draft.urlencode()
    budget = settings.IDEAS_DRAFT_MAX_BYTES
    if len(encoded) <= budget:
        return encoded, None
    description = draft.get("description", "")
    draft.setlist("description", [""])
    budget -= len(draft.urlencode())
    low, high = 0, len(description)
    while low < high:  # the longest start of the description that fits
        middle = (low + high + 1) // 2
        if len(quote_plus(description[:middle])) <= budget:
            low = middle
        else:
            high = middle - 1
    draft.setlist("description", [description[:low]])
    return draft.urlencode(), low


def _paginate(request, queryset):
    filters = request.GET.copy()
    for name in ("page", "sort"):
        filters.pop(name, None)
    paginator = IdeaPaginator(queryset, PAGE_SIZE, count_key=filters.urlencode(), request=request)
    page = paginator.get_page(request.GET.get("page"))
    page.elided_range = page.paginator.elided_range(page.number)
    return page


def _filter_form_version(request) -> dict:
    """For the cached filter form (ideas/_filter_form.html): the version of its choices."""
    return {"filter_choices_version": pagecache.generation(FILTER_CHOICES, request=request)}


def _htmx_partial(request) -> bool:
    return bool(getattr(request, "htmx", False)) and not request.htmx.boosted


# --- list and moderation ---------------------------------------------------------


def _unfiltered(request) -> bool:
    """Only a page and a known sort: the list needs no FilterSet (django-filter builds a
    form class and copies its filters on every request: 2-3 ms of a page after a write),
    only the filter form in the page's frame does, when that is rendered."""
    return set(request.GET) <= {"page", "sort"} and request.GET.get("sort", "") in {
        "",
        *selectors.SORTS,
    }


# Where the list page's frame (pagecache.frame_per_user) leaves holes for what changes.
HOLES = {name: f"<!--idea-list-{name}-->" for name in ("count", "results", "next")}


@permission_required("ideas.view_idea")
@require_GET
@pagecache.cached_per_user("ideas:list")
def idea_list(request):
    """The list in parts, each kept as long as what it shows: the results (count, rows,
    pages) once for all readers of the URL until the next write, with a placeholder for
    each reader's own "unterstützt" mark; the frame (header, navigation, filter form) per
    user until the user, roles, phases or filter choices change. Right after a write
    the first reader renders the results, the others fill in their marks. Measured with
    ``python -m bench list-live`` (docs/benchmarks.md)."""

    def results() -> tuple[str, str, list[int]]:
        if _unfiltered(request):
            queryset = selectors.idea_list(sort=request.GET.get("sort", ""))
        else:
            queryset = IdeaFilter(request.GET or None).qs
        page = _paginate(request, queryset)
        data = selectors.idea_rows(page.object_list)
        context = {"page": page, "rows": rows.render_rows(data, marks=False)}
        return (
            render_to_string("ideas/_result_count.html", context),
            render_to_string("ideas/idea_list.html#results", context, request),
            [row["id"] for row in data],
        )

    count, results_html, idea_ids = pagecache.shared_per_url(
        request,
        "ideas:list-results",
        render=results,
        variant="export" if request.user.has_perm("ideas.export_idea") else "",
    )
    supported = selectors.idea_ids_supported(user=request.user, idea_ids=idea_ids)
    results_html = rows.mark_supported(results_html, supported)
    if _htmx_partial(request):
        return HttpResponse(results_html)

    def frame() -> str:
        holes = {name: mark_safe(hole) for name, hole in HOLES.items()}  # noqa: S308
        return render_to_string(
            "ideas/idea_list.html",
            {
                "filter": IdeaFilter(request.GET or None, user=request.user),
                "holes": holes,
                **_filter_form_version(request),
            },
            request,
        )

    html = pagecache.frame_per_user(request, "ideas:list", group=LIST_FRAME, render=frame)
    return HttpResponse(
        html.replace(HOLES["next"], escape(request.get_full_path()), 1)
        .replace(HOLES["count"], count, 1)
        .replace(HOLES["results"], results_html, 1)
    )


@permission_required("ideas.moderate_idea")
def idea_moderation(request):
    filterset = ModerationIdeaFilter(request.GET or None, user=request.user)
    page = _paginate(request, filterset.qs)
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
                ngettext(
                    "%(count)d Idee hat jetzt den Status „%(status)s“.",
                    "%(count)d Ideen haben jetzt den Status „%(status)s“.",
                    len(changed),
                )
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
            "rows": rows.render_rows(selectors.idea_rows(page.object_list), selectable=True),
            "form": form,
            "feedback_texts": _feedback_texts(),
            **_filter_form_version(request),
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
        owner = _draft_owner(request.POST.get(DRAFT_OWNER_FIELD))
        if request.method == "POST" and owner is not None:
            # only the form's own fields of a form the portal gave out, capped in size:
            # a visitor without one cannot make the portal store anything
            encoded, cut_to = _draft_of(request.POST)
            request.session[DRAFT_SESSION_KEY] = {
                "owner": owner,
                "data": encoded,
                "cut_to": cut_to,
            }
        return redirect_to_login(reverse("ideas:create"))
    if not is_participant_or_external(request.user):
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
    else:
        kept = request.session.pop(DRAFT_SESSION_KEY, None)
        if isinstance(kept, dict) and kept.get("owner") == request.user.pk:
            form = IdeaForm(QueryDict(kept["data"]))
            restored = True
            if kept.get("cut_to") is not None:
                messages.warning(
                    request,
                    _(
                        "Ihre Beschreibung war zu lang, um sie vollständig aufzubewahren, und "
                        "wurde nach %(count)s Zeichen abgeschnitten. Bitte ergänzen Sie den "
                        "Rest, bevor Sie das Formular erneut senden."
                    )
                    % {"count": kept["cut_to"]},
                )
        else:  # nothing kept, or kept for someone else who used this browser before
            form = IdeaForm(initial={"submitted_for": _initial_submitted_for(request.user)})
    return render(
        request,
        "ideas/idea_form.html",
        {
            "form": form,
            "restored": restored,
            "idea": None,
            "draft_owner": _draft_owner_token(request.user),
            **_submission_window_context(),
        },
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
        "status_form": StatusChangeForm(current_status=idea.status),
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
    return render(
        request,
        "ideas/idea_detail.html",
        _detail_context(request, idea, edited_by_other=selectors.idea_last_edit_by_other(idea)),
    )


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
    if not rules.test_rule("ideas.edit_comment", request.user, comment):  # superusers too
        raise PermissionDenied
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
    form = StatusChangeForm(request.POST, current_status=idea.status)
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
