import rules

from participants.rules import is_participant

rules.add_perm("roundtable.view_home", is_participant)
rules.add_perm("roundtable.view_timeline", is_participant)
