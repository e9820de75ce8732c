"""Who sees the pages that compose several apps."""

import rules

from participants.rules import (
    is_committee_member,
    is_moderator_or_admin,
    is_participant_or_external,
)

rules.add_perm("overview.view_home", is_participant_or_external)
rules.add_perm("overview.view_timeline", is_participant_or_external)
# departments, organisations, municipalities: who takes part (no people)
rules.add_perm("overview.view_directory", is_participant_or_external)
rules.add_perm("overview.view_dashboard", is_moderator_or_admin | is_committee_member)
