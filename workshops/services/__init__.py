"""Writes of the workshops app, one module per topic: ``workshop`` (workshops and their
invitations), ``board`` (ideas into concepts and between them), ``concepts`` (content and
status), ``signoff`` (Mitzeichnung by the departments), ``suggestions`` (group
suggestions), ``invitations`` (invitation e-mails with calendar entries, the invited
people's answers). Callers use this package's names; the modules are how it is kept."""

from .board import StaleMove, concept_add_ideas, concept_remove_idea, idea_move
from .concepts import (
    concept_check_editable,
    concept_create,
    concept_set_status,
    concept_update,
)
from .invitations import workshop_cancel, workshop_respond
from .signoff import signoff_record, signoff_remind, signoff_reminder_send
from .suggestions import (
    suggestion_accept,
    suggestion_candidates,
    suggestion_dismiss,
    suggestion_run_execute,
    suggestion_run_request,
)
from .workshop import workshop_add_ungrouped_ideas, workshop_create, workshop_update

__all__ = [
    "StaleMove",
    "concept_add_ideas",
    "concept_check_editable",
    "concept_create",
    "concept_remove_idea",
    "concept_set_status",
    "concept_update",
    "idea_move",
    "signoff_record",
    "signoff_remind",
    "signoff_reminder_send",
    "suggestion_accept",
    "suggestion_candidates",
    "suggestion_dismiss",
    "suggestion_run_execute",
    "suggestion_run_request",
    "workshop_add_ungrouped_ideas",
    "workshop_cancel",
    "workshop_create",
    "workshop_respond",
    "workshop_update",
]
