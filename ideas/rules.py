"""Who may do what in the Ideenwerkstatt.

Submitting depends on the timeline: only while a phase that allows idea
submission is open (moderators and administrators at any time). Authors may
edit their idea until a moderator has started reviewing it.
"""

from datetime import timedelta

import rules
from django.conf import settings
from django.utils import timezone

from participants.rules import (
    is_administrator,
    is_moderator_or_admin,
    is_participant_or_external,
)
from roundtable.timeline.selectors import phase_allowing

from .models import Idea


@rules.predicate
def submission_open(user) -> bool:
    return phase_allowing("allows_idea_submission") is not None


@rules.predicate
def is_idea_author(user, idea) -> bool:
    return idea is not None and user.is_authenticated and idea.author_id == user.pk


@rules.predicate
def idea_not_reviewed(user, idea) -> bool:
    return idea is not None and idea.status == Idea.Status.SUBMITTED


@rules.predicate
def is_comment_author(user, comment) -> bool:
    return comment is not None and user.is_authenticated and comment.author_id == user.pk


@rules.predicate
def comment_in_edit_window(user, comment) -> bool:
    if comment is None or comment.is_hidden:
        return False
    window = timedelta(minutes=settings.IDEAS_COMMENT_EDIT_MINUTES)
    return timezone.now() - comment.created <= window


# External members (invited) submit, support and comment like staff.
can_submit = is_moderator_or_admin | (is_participant_or_external & submission_open)

rules.add_perm("ideas.view_idea", is_participant_or_external)
rules.add_perm("ideas.add_idea", can_submit)
rules.add_perm("ideas.change_idea", is_moderator_or_admin | (is_idea_author & idea_not_reviewed))
rules.add_perm("ideas.moderate_idea", is_moderator_or_admin)
rules.add_perm("ideas.export_idea", is_participant_or_external)
rules.add_perm("ideas.add_support", is_participant_or_external)
rules.add_perm("ideas.add_comment", is_participant_or_external)
rules.add_perm("ideas.change_comment", is_comment_author & comment_in_edit_window)
# The same rule, for everyone: Django grants superusers every permission, but a comment is
# its author's words; administrators hide comments, they do not rewrite them. Views,
# templates and the service test this rule, not the permission.
rules.add_rule("ideas.edit_comment", is_comment_author & comment_in_edit_window)
rules.add_perm("ideas.hide_comment", is_moderator_or_admin)
rules.add_perm("ideas.view_attachment", is_participant_or_external)
rules.add_perm("ideas.add_attachment", is_moderator_or_admin | (is_idea_author & idea_not_reviewed))
# Topics and target groups are data edited by administrators (Django admin).
for _model in ("topic", "targetgroup"):
    for _verb in ("view", "add", "change", "delete"):
        rules.add_perm(f"ideas.{_verb}_{_model}", is_administrator)
