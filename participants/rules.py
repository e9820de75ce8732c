"""Roles and the permissions of the participants app.

Every other app builds its rules from the role predicates defined here.
Permissions are named ``<app_label>.<verb>_<model>``; nothing is allowed
unless a rule says so.

``is_participant`` is everyone with a role on the round table's inner side (staff,
moderation, committee members, administration). External members of organisations and
municipalities (``is_external``) are not included: they join by invitation and see
nothing internal, so every permission open to them says so explicitly
(``is_participant_or_external``).
"""

import rules

from .models import DepartmentParticipation, Role


def _role(user) -> str | None:
    if not user.is_authenticated:
        return None
    profile = getattr(user, "profile", None)
    return profile.role if profile is not None else None


@rules.predicate
def is_staff_member(user) -> bool:
    return _role(user) == Role.STAFF


@rules.predicate
def is_moderator(user) -> bool:
    return _role(user) == Role.MODERATOR


@rules.predicate
def is_committee_member(user) -> bool:
    return _role(user) == Role.COMMITTEE


@rules.predicate
def is_administrator(user) -> bool:
    return user.is_authenticated and (user.is_superuser or _role(user) == Role.ADMIN)


@rules.predicate
def is_external(user) -> bool:
    return _role(user) == Role.EXTERNAL and not user.is_superuser


#: Anyone with a role on the inner side of the round table (an account without a
#: profile has none; external members are not included, see above).
is_participant = is_staff_member | is_moderator | is_committee_member | is_administrator
is_moderator_or_admin = is_moderator | is_administrator
#: Everyone the round table works with, external members included.
is_participant_or_external = is_participant | is_external


@rules.predicate
def is_participation_contact(user, participation) -> bool:
    """A named contact person of the department's participation: they answer for it."""
    if not isinstance(participation, DepartmentParticipation) or not user.is_authenticated:
        return False
    return participation.contacts.filter(pk=user.pk).exists()


# The internal coordination (verwaltungsinterne Abstimmung) is internal.
rules.add_perm("participants.view_coordination", is_participant)
rules.add_perm("participants.change_departmentparticipation", is_moderator_or_admin)
rules.add_perm("participants.request_departmentparticipation", is_moderator_or_admin)
rules.add_perm("participants.answer_departmentparticipation", is_participation_contact)
rules.add_perm("participants.view_own_profile", is_participant_or_external)
# Invitations of people outside the administration (which roles: invitations.py).
rules.add_perm("participants.view_invitation", is_moderator_or_admin)
rules.add_perm("participants.add_invitation", is_moderator_or_admin)
rules.add_perm("participants.change_invitation", is_moderator_or_admin)
