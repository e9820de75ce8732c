import rules

from participants.rules import is_administrator, is_participant_or_external

rules.add_perm("timeline.view_phase", is_participant_or_external)
rules.add_perm("timeline.change_phase", is_administrator)
