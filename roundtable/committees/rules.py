"""Who may do what with committees, papers, reports and decisions.

Committee members and moderation read every paper and its reports; staff read
papers of the public part only, and never request or download reports.
"""

import rules

from participants.rules import (
    is_committee_member,
    is_moderator_or_admin,
    is_participant_or_external,
)


@rules.predicate
def is_public_paper(user, paper) -> bool:
    if paper is None:
        return True
    return paper.agenda_item.is_public


@rules.predicate
def is_public_agenda_item(user, agenda_item) -> bool:
    if agenda_item is None:
        return True
    return agenda_item.is_public


#: Those who work with committee papers in full: committee members and moderation.
is_committee_reader = is_committee_member | is_moderator_or_admin

# External members read what the public part of a meeting reads, like staff.
rules.add_perm("committees.view_committee", is_participant_or_external)
rules.add_perm("committees.view_meeting", is_participant_or_external)
rules.add_perm(
    "committees.view_paper", is_committee_reader | (is_participant_or_external & is_public_paper)
)
rules.add_perm("committees.add_paper", is_moderator_or_admin)
rules.add_perm("committees.change_paper", is_moderator_or_admin)
rules.add_perm("committees.request_report", is_committee_reader)
rules.add_perm("committees.view_report", is_committee_reader)
rules.add_perm("committees.download_report", is_committee_reader)
rules.add_perm("committees.add_decision", is_moderator_or_admin)
rules.add_perm(
    "committees.view_decision",
    is_committee_reader | (is_participant_or_external & is_public_agenda_item),
)
# Invitations with the meeting's calendar entry go to the committee members.
rules.add_perm("committees.invite_meeting", is_moderator_or_admin)
