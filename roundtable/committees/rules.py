"""Who may do what with committees, papers, reports and decisions.

Committee members and moderation read every paper and its reports; staff read
papers of the public part only, and never request or download reports.
"""

import rules

from participants.rules import (
    is_administrator,
    is_committee_member,
    is_moderator_or_admin,
    is_participant_or_external,
)
from roundtable.timeline.gates import committee_work_open


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


@rules.predicate
def is_draft_paper(user, paper) -> bool:
    """Not submitted yet (without a paper: the permission in general)."""
    return paper is None or not paper.is_submitted


@rules.predicate
def is_submitted_paper(user, paper) -> bool:
    return paper is None or paper.is_submitted


@rules.predicate
def is_undecided_paper(user, paper) -> bool:
    """After the decision a paper is locked."""
    if paper is None:
        return True
    from .models import Decision

    return not Decision.objects.filter(agenda_item_id=paper.agenda_item_id).exists()


#: Those who work with committee papers in full: committee members and moderation.
is_committee_reader = is_committee_member | is_moderator_or_admin
#: Moderation's work on papers and decisions, while the committee work's phase is open.
does_committee_work = is_moderator_or_admin & committee_work_open

# External members read what the public part of a meeting reads, like staff.
rules.add_perm("committees.view_committee", is_participant_or_external)
# Committees and their members are data of the administration; moderation plans the
# meetings and their agendas (at any time: a calendar is not bound to a phase).
rules.add_perm("committees.add_committee", is_administrator)
rules.add_perm("committees.change_committee", is_administrator)
rules.add_perm("committees.change_committeemembership", is_administrator)
rules.add_perm("committees.view_meeting", is_participant_or_external)
rules.add_perm("committees.add_meeting", is_moderator_or_admin)
rules.add_perm("committees.change_meeting", is_moderator_or_admin)
rules.add_perm("committees.add_agendaitem", is_moderator_or_admin)
rules.add_perm("committees.change_agendaitem", is_moderator_or_admin)
rules.add_perm(
    "committees.view_paper", is_committee_reader | (is_participant_or_external & is_public_paper)
)
rules.add_perm("committees.add_paper", does_committee_work)
rules.add_perm("committees.change_paper", does_committee_work & is_draft_paper & is_undecided_paper)
rules.add_perm("committees.submit_paper", does_committee_work & is_draft_paper & is_undecided_paper)
rules.add_perm(
    "committees.correct_paper", does_committee_work & is_submitted_paper & is_undecided_paper
)
# Previews of a draft; a submitted paper's final PDFs are there to download at once.
rules.add_perm("committees.request_report", is_committee_reader & is_draft_paper)
rules.add_perm("committees.view_report", is_committee_reader)
rules.add_perm("committees.download_report", is_committee_reader)
rules.add_perm("committees.add_decision", does_committee_work)
rules.add_perm(
    "committees.view_decision",
    is_committee_reader | (is_participant_or_external & is_public_agenda_item),
)
# Invitations with the meeting's calendar entry go to the committee members.
rules.add_perm("committees.invite_meeting", is_moderator_or_admin)
