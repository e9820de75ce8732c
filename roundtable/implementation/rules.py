"""Who may do what with implementation measures, the dashboard, history and exports.

Everyone in the round table reads what is being implemented; moderation plans and
updates measures (while a phase allows the implementation); moderation and committee members see the dashboard; only
moderation sees the change history; only administrators export the whole round table.
"""

import rules

from participants.rules import (
    is_administrator,
    is_moderator_or_admin,
    is_participant_or_external,
)
from roundtable.timeline.gates import implementation_open

#: Moderation plans and updates measures while the implementation's phase is open.
does_implementation = is_moderator_or_admin & implementation_open

rules.add_perm("implementation.view_measure", is_participant_or_external)
rules.add_perm("implementation.add_measure", does_implementation)
rules.add_perm("implementation.change_measure", does_implementation)
rules.add_perm("implementation.view_history", is_moderator_or_admin)
rules.add_perm("implementation.export_roundtable", is_administrator)
