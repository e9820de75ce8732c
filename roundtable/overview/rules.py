"""Who sees the pages that compose several apps."""

import rules

from participants.rules import is_committee_member, is_moderator_or_admin, is_participant

rules.add_perm("overview.view_home", is_participant)
rules.add_perm("overview.view_timeline", is_participant)
rules.add_perm("overview.view_directory", is_participant)
rules.add_perm("overview.view_dashboard", is_moderator_or_admin | is_committee_member)
