"""Writes of the Ideenwerkstatt. Views, forms and tasks call these and nothing else.

Every service runs in a transaction, checks the business rule it guards (the
permission rules of ``ideas.rules``) and keeps the denormalised counters
(``support_count``, ``comment_count``) correct by recounting in the same
statement instead of incrementing.
"""

from collections.abc import Iterable, Sequence

import rules
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, IntegerField, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from participants.models import Department, Municipality, Organisation
from roundtable.notifications import services as notifications
from roundtable.notifications.models import Kind
from roundtable.operations import pagecache
from roundtable.timeline.selectors import phase_allowing

from .attachments import safe_name, validate_attachment
from .models import (
    IDEA_TRANSITIONS,
    Attachment,
    Comment,
    Idea,
    IdeaStatusChange,
    Support,
    TargetGroup,
    Topic,
)


def _require(user, perm: str, obj=None) -> None:
    if not user.has_perm(perm, obj):
        raise PermissionDenied(perm)


def _count_of(model, **filters):
    return Coalesce(
        Subquery(
            model.objects.filter(idea=OuterRef("pk"), **filters)
            .order_by()
            .values("idea")
            .annotate(n=Count("pk"))
            .values("n")[:1],
            output_field=IntegerField(),
        ),
        Value(0),
    )


def idea_recount(*, idea_ids: Iterable[int]) -> None:
    """Recomputes support_count and comment_count (visible comments) in one UPDATE."""
    Idea.objects.filter(pk__in=list(idea_ids)).update(
        support_count=_count_of(Support),
        comment_count=_count_of(Comment, is_hidden=False),
    )
    pagecache.invalidate()  # an UPDATE sends no signals


def _check_submitted_for(department, organisation) -> None:
    if department is not None and organisation is not None:
        raise ValidationError(
            _("Eine Idee wird entweder für ein Amt oder für eine Organisation eingereicht.")
        )


@transaction.atomic
def idea_submit(
    *,
    author,
    title: str,
    description: str,
    topic: Topic,
    target_groups: Iterable[TargetGroup] = (),
    department: Department | None = None,
    organisation: Organisation | None = None,
    municipalities: Iterable[Municipality] = (),
    attachments: Sequence = (),
) -> Idea:
    _require(author, "ideas.add_idea")
    _check_submitted_for(department, organisation)
    idea = Idea(
        title=title.strip(),
        description=description.strip(),
        topic=topic,
        department=department,
        organisation=organisation,
        author=author,
        phase=phase_allowing("allows_idea_submission"),
    )
    idea.full_clean(exclude=["search_vector"])
    idea.save()
    idea.target_groups.set(target_groups)
    idea.municipalities.set(municipalities)
    for uploaded in attachments:
        attachment_add(idea=idea, by=author, uploaded=uploaded, check=False)
    notifications.follow(user=author, target=idea)  # authors follow their own ideas
    return idea


@transaction.atomic
def idea_update(
    *,
    idea: Idea,
    by,
    title: str,
    description: str,
    topic: Topic,
    target_groups: Iterable[TargetGroup] = (),
    department: Department | None = None,
    organisation: Organisation | None = None,
    municipalities: Iterable[Municipality] = (),
) -> Idea:
    idea = Idea.objects.select_for_update().get(pk=idea.pk)
    _require(by, "ideas.change_idea", idea)
    _check_submitted_for(department, organisation)
    idea.title = title.strip()
    idea.description = description.strip()
    idea.topic = topic
    idea.department = department
    idea.organisation = organisation
    idea._history_user = by  # the page names who changed someone else's idea
    idea.full_clean(exclude=["search_vector"])
    idea.save()
    idea.target_groups.set(target_groups)
    idea.municipalities.set(municipalities)
    return idea


@transaction.atomic
def attachment_add(*, idea: Idea, by, uploaded, check: bool = True) -> Attachment:
    """Stores an upload after checking its size and its type by content."""
    if check:
        _require(by, "ideas.add_attachment", idea)
    detected = validate_attachment(uploaded)
    name = safe_name(uploaded.name or "", detected)
    attachment = Attachment(
        idea=idea,
        original_name=name,
        content_type=detected.content_type,
        size=uploaded.size,
        uploaded_by=by,
    )
    uploaded.seek(0)
    attachment.file.save(name, uploaded, save=False)
    attachment.save()
    return attachment


@transaction.atomic
def idea_support_toggle(*, idea: Idea, user) -> bool:
    """Supports the idea, or withdraws the support. Returns whether it is supported now."""
    _require(user, "ideas.add_support", idea)
    deleted, _detail = Support.objects.filter(idea=idea, user=user).delete()
    supported = not deleted
    if supported:
        try:
            with transaction.atomic():
                Support.objects.create(idea=idea, user=user)
        except IntegrityError:  # a parallel request supported it first
            pass
    idea_recount(idea_ids=[idea.pk])
    idea.refresh_from_db(fields=["support_count"])
    return supported


@transaction.atomic
def comment_create(*, idea: Idea, author, text: str, parent: Comment | None = None) -> Comment:
    _require(author, "ideas.add_comment", idea)
    text = text.strip()
    if not text:
        raise ValidationError(_("Bitte schreiben Sie einen Kommentar."))
    if parent is not None:
        if parent.idea_id != idea.pk:
            raise ValidationError(_("Die Antwort gehört zu einer anderen Idee."))
        # one level of threading: an answer to an answer goes to the thread's start
        if parent.parent_id is not None:
            parent = parent.parent
    comment = Comment(idea=idea, author=author, text=text, parent=parent)
    comment.full_clean()
    comment.save()
    idea_recount(idea_ids=[idea.pk])
    _notify_comment(comment, idea=idea)
    return comment


def _notify_comment(comment: Comment, *, idea: Idea) -> None:
    """Tells the author of the comment answered, and whoever follows the idea."""
    fields = {
        "kind": Kind.COMMENT,
        "params": {"title": idea.title},
        "link": reverse("ideas:detail", kwargs={"pk": idea.pk}) + f"#kommentar-{comment.pk}",
        "actor": comment.author,
    }
    if comment.parent is not None:
        notifications.notify_followers(
            target=idea,
            owner=comment.parent.author,
            owner_text=gettext_noop(
                "%(actor)s hat auf Ihren Kommentar zur Idee „%(title)s“ geantwortet."
            ),
            text=gettext_noop("%(actor)s hat die Idee „%(title)s“ kommentiert."),
            **fields,
        )
    else:
        notifications.notify_followers(
            target=idea,
            text=gettext_noop("%(actor)s hat die Idee „%(title)s“ kommentiert."),
            **fields,
        )


@transaction.atomic
def comment_update(*, comment: Comment, by, text: str) -> Comment:
    comment = Comment.objects.select_for_update().get(pk=comment.pk)
    if not rules.test_rule("ideas.edit_comment", by, comment):  # superusers too
        raise PermissionDenied("ideas.edit_comment")
    text = text.strip()
    if not text:
        raise ValidationError(_("Bitte schreiben Sie einen Kommentar."))
    comment.text = text
    comment.edited_by = by
    comment.edited_at = timezone.now()
    comment._history_user = by
    comment.full_clean()
    comment.save(update_fields=["text", "modified", "edited_by", "edited_at"])
    return comment


@transaction.atomic
def comment_hide(*, comment: Comment, by, reason: str) -> Comment:
    _require(by, "ideas.hide_comment", comment)
    reason = reason.strip()
    if not reason:
        raise ValidationError(_("Bitte geben Sie einen Grund an."))
    comment = Comment.objects.select_for_update().get(pk=comment.pk)
    comment.is_hidden = True
    comment.hidden_reason = reason
    comment.hidden_by = by
    comment.save(update_fields=["is_hidden", "hidden_reason", "hidden_by", "modified"])
    idea_recount(idea_ids=[comment.idea_id])
    return comment


@transaction.atomic
def idea_status_change(
    *,
    idea: Idea,
    by,
    to_status: str,
    public_feedback: str = "",
    private_remark: str = "",
    check: bool = True,
    notify: bool = True,
) -> IdeaStatusChange:
    """Moves an idea along the workflow, keeps the step in its history and tells the
    author and the idea's followers (a notification; by e-mail as each chose) in the same
    transaction (``notify=False``: a step on the way to another, which they hear of with
    that one)."""
    if check:
        _require(by, "ideas.moderate_idea", idea)
    idea = Idea.objects.select_for_update().get(pk=idea.pk)
    IDEA_TRANSITIONS.check(idea.status, to_status)
    change = IdeaStatusChange.objects.create(
        idea=idea,
        from_status=idea.status,
        to_status=to_status,
        public_feedback=public_feedback.strip(),
        private_remark=private_remark.strip(),
        changed_by=by,
    )
    idea.status = to_status
    if change.public_feedback:
        idea.public_feedback = change.public_feedback
    idea.save(update_fields=["status", "public_feedback", "modified"])
    if notify:
        idea_status_notify(change=change, by=by)
    return change


@transaction.atomic
def idea_join_concept(*, idea: Idea, by, notify: bool = True) -> list[IdeaStatusChange]:
    """``idea`` goes into a concept (the workshops app's board and concept forms): its
    status becomes "in Konzept übernommen".

    Only accepted ideas go into a concept, so an idea grouped straight from
    "eingereicht" (or "in Prüfung", ...) is accepted on the way: two steps in its
    history, one message to the author (``notify=False``: the caller tells them, e.g.
    which concept took the idea up). The caller's permission (the board's) governs;
    ``idea`` is refreshed with its new status. Returns the recorded steps.
    """
    idea.refresh_from_db(fields=["status"])
    if idea.status == Idea.Status.IN_CONCEPT:
        return []
    steps = []
    if idea.status != Idea.Status.ACCEPTED:
        steps.append(
            idea_status_change(
                idea=idea, by=by, to_status=Idea.Status.ACCEPTED, check=False, notify=False
            )
        )
    steps.append(
        idea_status_change(
            idea=idea, by=by, to_status=Idea.Status.IN_CONCEPT, check=False, notify=notify
        )
    )
    idea.refresh_from_db(fields=["status", "public_feedback", "modified"])
    return steps


@transaction.atomic
def idea_leave_concept(*, idea: Idea, by) -> IdeaStatusChange | None:
    """``idea`` was taken out of its concept: it is "angenommen" again (one step, one
    e-mail). ``idea`` is refreshed; returns the step, None if it was accepted already."""
    idea.refresh_from_db(fields=["status"])
    if idea.status == Idea.Status.ACCEPTED:
        return None
    step = idea_status_change(idea=idea, by=by, to_status=Idea.Status.ACCEPTED, check=False)
    idea.refresh_from_db(fields=["status", "public_feedback", "modified"])
    return step


@transaction.atomic
def idea_bulk_status_change(
    *,
    ideas: Iterable[Idea],
    by,
    to_status: str,
    public_feedback: str = "",
    private_remark: str = "",
) -> tuple[list[IdeaStatusChange], list[tuple[Idea, str]]]:
    """Answers many ideas at once. Ideas whose status cannot change are skipped and
    returned with the reason, the others change."""
    _require(by, "ideas.moderate_idea")
    changed: list[IdeaStatusChange] = []
    skipped: list[tuple[Idea, str]] = []
    for idea in ideas:
        try:
            with transaction.atomic():
                changed.append(
                    idea_status_change(
                        idea=idea,
                        by=by,
                        to_status=to_status,
                        public_feedback=public_feedback,
                        private_remark=private_remark,
                        check=False,
                    )
                )
        except ValidationError as exc:
            skipped.append((idea, " ".join(exc.messages)))
    return changed, skipped


def idea_status_notify(*, change: IdeaStatusChange, by) -> None:
    """The author hears "Ihre Idee", followers "die Idee, der Sie folgen"; the moderator's
    public feedback goes with it (the private remark never does)."""
    idea = change.idea
    notifications.notify_followers(
        target=idea,
        owner=idea.author,
        owner_text=gettext_noop("Ihre Idee „%(title)s“ hat jetzt den Status „%(status)s“.")
        if not change.public_feedback
        else gettext_noop(
            "Ihre Idee „%(title)s“ hat jetzt den Status „%(status)s“; "
            "die Moderation hat Ihnen geantwortet."
        ),
        text=gettext_noop(
            "Die Idee „%(title)s“, der Sie folgen, hat jetzt den Status „%(status)s“."
        ),
        kind=Kind.IDEA_STATUS,
        params={"title": idea.title, "status": Idea.Status(change.to_status).label},
        detail=change.public_feedback,
        link=reverse("ideas:detail", kwargs={"pk": idea.pk}),
        actor=by,
    )
