import rules

from participants.rules import is_administrator, is_participant

rules.add_perm("timeline.view_phase", is_participant)
rules.add_perm("timeline.change_phase", is_administrator)
