"""Who may do what with implementation measures, the dashboard, history and exports.

Everyone in the round table reads what is being implemented; moderation plans and
updates measures; moderation and committee members see the dashboard; only
moderation sees the change history; only administrators export the whole round table.
"""

import rules

from participants.rules import (
    is_administrator,
    is_moderator_or_admin,
    is_participant_or_external,
)

# Measures are implemented together with the organisations and municipalities.
rules.add_perm("implementation.view_measure", is_participant_or_external)
rules.add_perm("implementation.add_measure", is_moderator_or_admin)
rules.add_perm("implementation.change_measure", is_moderator_or_admin)
rules.add_perm("implementation.view_history", is_moderator_or_admin)
rules.add_perm("implementation.export_roundtable", is_administrator)
