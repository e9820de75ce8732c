"""Who may do what with workshops, concepts, the grouping board and the sign-off.

The workshop work (board, concepts, suggestions, sign-off) is open only while a phase
allows it (``roundtable.timeline.gates``); planning workshops is not bound to a phase.
"""

import rules

from participants.rules import is_moderator_or_admin, is_participant, is_participant_or_external
from roundtable.timeline.gates import workshop_work_open

from .models import Concept


def _profile(user):
    return getattr(user, "profile", None) if user.is_authenticated else None


@rules.predicate
def is_invited_to_workshop(user, workshop) -> bool:
    """Invited in person, as moderator or attendee, or through the department or
    organisation of the user's profile."""
    if workshop is None or not user.is_authenticated:
        return False
    if (
        workshop.participants.filter(pk=user.pk).exists()
        or workshop.moderators.filter(pk=user.pk).exists()
        or workshop.attendees.filter(pk=user.pk).exists()
    ):
        return True
    profile = _profile(user)
    if profile is None:
        return False
    if profile.department_id and workshop.departments.filter(pk=profile.department_id).exists():
        return True
    return bool(
        profile.organisation_id
        and workshop.organisations.filter(pk=profile.organisation_id).exists()
    )


def signoff_departments_of(user, concept) -> list:
    """The responsible departments of ``concept`` that ``user`` may sign off for: as a
    named contact person of the department's participation or as a member (profile)."""
    if concept is None or not user.is_authenticated:
        return []
    departments = list(concept.responsible_departments.all())
    profile = _profile(user)
    own = profile.department_id if profile else None
    contact_for = set(user.contact_for.values_list("department_id", flat=True))
    return [d for d in departments if d.pk == own or d.pk in contact_for]


@rules.predicate
def is_department_contact_of(user, concept) -> bool:
    return bool(signoff_departments_of(user, concept))


@rules.predicate
def is_in_coordination(user, concept) -> bool:
    return concept is not None and concept.status == Concept.Status.IN_COORDINATION


@rules.predicate
def is_editable_concept(user, concept) -> bool:
    """Without a concept: the permission in general (a page's button, a view's gate)."""
    return concept is None or concept.is_editable


#: Moderation's work on concepts, while the workshop work's phase is open.
does_workshop_work = is_moderator_or_admin & workshop_work_open


# External members take part in the workshops they are invited to.
rules.add_perm("workshops.list_workshops", is_participant_or_external)
rules.add_perm("workshops.view_workshop", is_moderator_or_admin | is_invited_to_workshop)
rules.add_perm("workshops.add_workshop", is_moderator_or_admin)
rules.add_perm("workshops.change_workshop", is_moderator_or_admin)
# Invited people answer in the portal (zusagen / absagen); moderation sees the answers.
rules.add_perm("workshops.respond_workshop", is_invited_to_workshop)
rules.add_perm("workshops.view_workshopresponse", is_moderator_or_admin)

rules.add_perm("workshops.view_concept", is_participant_or_external)
# The departments' sign-off, the concept's versions and its change history are internal.
rules.add_perm("workshops.view_conceptversion", is_participant)
rules.add_perm("workshops.view_conceptsignoff", is_participant)
rules.add_perm("workshops.view_concepthistory", is_participant)
rules.add_perm("workshops.add_concept", does_workshop_work)
rules.add_perm("workshops.change_concept", does_workshop_work & is_editable_concept)
rules.add_perm("workshops.change_concept_status", does_workshop_work)

# The grouping board: moving ideas between concepts, suggestions.
rules.add_perm("workshops.use_board", does_workshop_work)
rules.add_perm("workshops.view_groupsuggestion", is_moderator_or_admin)
rules.add_perm("workshops.change_groupsuggestion", does_workshop_work)

# Sign-off (Mitzeichnung): contact persons of a responsible department, while the
# concept is in coordination. Moderators see who is missing and remind them.
rules.add_perm(
    "workshops.add_conceptsignoff",
    is_department_contact_of & is_in_coordination & workshop_work_open,
)
rules.add_perm("workshops.remind_conceptsignoff", does_workshop_work)
