"""Who may use notifications, follows and calendar subscriptions: everyone with a role in
the round table (external members too), each for themselves (the views show a person only their own rows)."""

import rules

from participants.rules import is_participant_or_external as is_member

rules.add_perm("notifications.view_notification", is_member)
rules.add_perm("notifications.change_notification", is_member)
rules.add_perm("notifications.add_follow", is_member)
rules.add_perm("notifications.change_deliverysetting", is_member)
rules.add_perm("notifications.change_calendarfeed", is_member)
