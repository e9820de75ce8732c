"""Writes of the workshops app, one module per topic: ``workshop`` (workshops and their
invitations), ``board`` (ideas into concepts and between them), ``concepts`` (content and
status), ``signoff`` (Mitzeichnung by the departments), ``suggestions`` (group
suggestions). Callers use this package's names; the modules are how it is kept."""

from .board import StaleMove, concept_add_ideas, concept_remove_idea, idea_move
from .concepts import (
    MANUAL_TRANSITIONS,
    TRANSITIONS,
    concept_check_editable,
    concept_create,
    concept_set_status,
    concept_signoff_state,
    concept_update,
)
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
    "MANUAL_TRANSITIONS",
    "TRANSITIONS",
    "StaleMove",
    "concept_add_ideas",
    "concept_check_editable",
    "concept_create",
    "concept_remove_idea",
    "concept_set_status",
    "concept_signoff_state",
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
    "workshop_create",
    "workshop_update",
]
