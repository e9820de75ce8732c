"""Roles and the permissions of the participants app.

Every other app builds its rules from the role predicates defined here.
Permissions are named ``<app_label>.<verb>_<model>``; nothing is allowed
unless a rule says so.
"""

import rules

from .models import Role


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


#: Anyone with a role in the round table (an account without a profile has none).
is_participant = is_staff_member | is_moderator | is_committee_member | is_administrator
is_moderator_or_admin = is_moderator | is_administrator

rules.add_perm("participants.view_coordination", is_participant)
rules.add_perm("participants.change_departmentparticipation", is_moderator_or_admin)
rules.add_perm("participants.view_own_profile", is_participant)
