import rules

from participants.rules import is_moderator_or_admin, is_participant_or_external

rules.add_perm("timeline.view_phase", is_participant_or_external)
# Moderation plans the Zeitraster: dates and what each phase opens.
rules.add_perm("timeline.add_phase", is_moderator_or_admin)
rules.add_perm("timeline.change_phase", is_moderator_or_admin)
