"""The world the URL × role matrix runs in: the demo data (seed_demo) plus one of each
object the portal's URLs name, and how each route's parameters are filled."""

import uuid

from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.urls import URLPattern, URLResolver, get_resolver

from roundtable.notifications.selectors import calendar_feed_token

ROLES = ["anonymous", "staff", "moderator", "committee", "admin", "external"]
USERNAMES = {
    "staff": "mitarbeiter",
    "moderator": "moderation",
    "committee": "ausschuss",
    "admin": "admin",
    "external": "extern",
}
MISSING = 987654321
MISSING_UUID = uuid.UUID("00000000-0000-4000-8000-000000000000")


def iter_routes(resolver=None, prefix="", namespace=""):
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            yield from iter_routes(entry, prefix + str(entry.pattern), entry.namespace or namespace)
        elif isinstance(entry, URLPattern):
            route = prefix + str(entry.pattern)
            if not route.startswith("admin/"):
                yield f"{namespace}:{entry.name}", route


def build_world() -> dict:
    from ideas.models import Attachment, Comment, Idea
    from participants.invitations import InvitationData, invitation_create, invitation_token
    from participants.models import (
        Body,
        Department,
        DepartmentParticipation,
        Municipality,
        Organisation,
        Role,
    )
    from roundtable.committees.models import (
        AgendaItem,
        Committee,
        CommitteeMembership,
        Meeting,
        Paper,
        Report,
    )
    from roundtable.demo.seed import seed_demo
    from roundtable.implementation.models import Measure, Milestone
    from roundtable.notifications.models import Kind, Notification
    from roundtable.notifications.services import calendar_feed_renew
    from roundtable.timeline.models import Phase
    from workshops.models import Concept, ConceptIdea, GroupSuggestion, Workshop

    seed_demo(password="Matrix-Test-Passwort-2004", open_phase="workshop")
    # every step open: the matrix is about roles (tests/timeline is about phases)
    Phase.objects.filter(key="workshop").update(
        allows_committee_work=True, allows_implementation=True
    )
    users = {role: get_user_model().objects.get(username=name) for role, name in USERNAMES.items()}
    idea = Idea.objects.order_by("pk").first()
    comment = Comment.objects.create(idea=idea, author=users["staff"], text="Ein Kommentar.")
    attachment = Attachment.objects.create(
        idea=idea,
        file=ContentFile(b"%PDF-1.4 matrix", name="matrix.pdf"),
        original_name="matrix.pdf",
        content_type="application/pdf",
        size=15,
        uploaded_by=users["staff"],
    )
    link = ConceptIdea.objects.select_related("concept").order_by("pk").first()
    paper = Paper.objects.order_by("pk").first()
    report = Report.objects.create(paper=paper, version=99, requested_by=users["committee"])
    invitation = invitation_create(
        by=users["moderator"],
        data=InvitationData(
            name="Peter Lange",
            email="p.lange@troisdorf.example",
            role=Role.EXTERNAL,
            municipality=Municipality.objects.get(name="Troisdorf"),
        ),
    )
    notification = Notification.objects.create(
        recipient=users["staff"], kind=Kind.COMMENT, text="Ein Kommentar.", link="/ideen/"
    )
    feed = calendar_feed_renew(user=users["staff"])
    return {
        "notification": notification,
        "feed": feed,
        "users": users,
        "idea": idea,
        "comment": comment,
        "attachment": attachment,
        "participation": DepartmentParticipation.objects.order_by("pk").first(),
        "workshop": Workshop.objects.order_by("pk").first(),
        "concept": link.concept if link else Concept.objects.order_by("pk").first(),
        "concept_idea": link.idea if link else idea,
        "suggestion": GroupSuggestion.objects.order_by("pk").first(),
        "meeting": Meeting.objects.order_by("pk").first(),
        "agenda_item": AgendaItem.objects.order_by("pk").first(),
        "committee": Committee.objects.order_by("pk").first(),
        "membership": CommitteeMembership.objects.order_by("pk").first(),
        "phase": Phase.objects.order_by("pk").first(),
        "paper": paper,
        "report": report,
        "measure": Measure.objects.order_by("pk").first(),
        "milestone": Milestone.objects.order_by("pk").first(),
        "municipality": Municipality.objects.order_by("pk").first(),
        "organisation": Organisation.objects.order_by("pk").first(),
        "department": Department.objects.order_by("pk").first(),
        "body": Body.objects.order_by("pk").first(),
        "invitation": invitation,
        "invitation_token": invitation_token(invitation=invitation),
    }


def _pk(obj):
    return obj.pk if obj is not None else MISSING


#: route name -> the world's objects that fill its parameters
PARAMETERS = {
    ":password_reset_confirm": lambda w: {"uidb64": "MQ", "token": "set-password"},
    "participants:coordination_edit": lambda w: {"pk": _pk(w["participation"])},
    "participants:coordination_answer": lambda w: {"pk": _pk(w["participation"])},
    "participants:coordination_request": lambda w: {"pk": _pk(w["participation"])},
    "participants:invitation_resend": lambda w: {"pk": _pk(w["invitation"])},
    "participants:invitation_revoke": lambda w: {"pk": _pk(w["invitation"])},
    "participants:invitation_accept": lambda w: {"token": w["invitation_token"]},
    "ideas:detail": lambda w: {"pk": _pk(w["idea"])},
    "ideas:edit": lambda w: {"pk": _pk(w["idea"])},
    "ideas:support": lambda w: {"pk": _pk(w["idea"])},
    "ideas:comment_create": lambda w: {"pk": _pk(w["idea"])},
    "ideas:status": lambda w: {"pk": _pk(w["idea"])},
    "ideas:attachment_upload": lambda w: {"pk": _pk(w["idea"])},
    "ideas:attachment_download": lambda w: {"pk": _pk(w["attachment"])},
    "ideas:comment_edit": lambda w: {"pk": _pk(w["comment"])},
    "ideas:comment_hide": lambda w: {"pk": _pk(w["comment"])},
    "workshops:workshop_detail": lambda w: {"pk": _pk(w["workshop"])},
    "workshops:workshop_edit": lambda w: {"pk": _pk(w["workshop"])},
    "workshops:board": lambda w: {"pk": _pk(w["workshop"])},
    "workshops:board_move": lambda w: {"pk": _pk(w["workshop"])},
    "workshops:board_concept": lambda w: {"pk": _pk(w["workshop"])},
    "workshops:suggestions": lambda w: {"pk": _pk(w["workshop"])},
    "workshops:suggestion_accept": lambda w: {"pk": _pk(w["suggestion"])},
    "workshops:suggestion_dismiss": lambda w: {"pk": _pk(w["suggestion"])},
    "workshops:concept_detail": lambda w: {"pk": _pk(w["concept"])},
    "workshops:concept_edit": lambda w: {"pk": _pk(w["concept"])},
    "workshops:concept_status": lambda w: {"pk": _pk(w["concept"])},
    "workshops:concept_signoff": lambda w: {"pk": _pk(w["concept"])},
    "workshops:concept_remind": lambda w: {"pk": _pk(w["concept"])},
    "workshops:concept_remove_idea": lambda w: {
        "pk": _pk(w["concept"]),
        "idea_pk": _pk(w["concept_idea"]),
    },
    "timeline:phase_edit": lambda w: {"pk": _pk(w["phase"])},
    "workshops:concept_versions": lambda w: {"pk": _pk(w["concept"])},
    "committees:committee_detail": lambda w: {"pk": _pk(w["committee"])},
    "committees:committee_edit": lambda w: {"pk": _pk(w["committee"])},
    "committees:committee_members": lambda w: {"pk": _pk(w["committee"])},
    "committees:membership_remove": lambda w: {"pk": _pk(w["membership"])},
    "committees:meeting_detail": lambda w: {"pk": _pk(w["meeting"])},
    "committees:meeting_edit": lambda w: {"pk": _pk(w["meeting"])},
    "committees:agenda_item_create": lambda w: {"meeting_pk": _pk(w["meeting"])},
    "committees:agenda_item_edit": lambda w: {"pk": _pk(w["agenda_item"])},
    "committees:paper_submit": lambda w: {"pk": _pk(w["paper"])},
    "committees:paper_correct": lambda w: {"pk": _pk(w["paper"])},
    "committees:paper_create": lambda w: {"agenda_item_pk": _pk(w["agenda_item"])},
    "committees:decision_create": lambda w: {"agenda_item_pk": _pk(w["agenda_item"])},
    "committees:paper_detail": lambda w: {"pk": _pk(w["paper"])},
    "committees:paper_edit": lambda w: {"pk": _pk(w["paper"])},
    "committees:report_request": lambda w: {"pk": _pk(w["paper"])},
    "committees:report_status": lambda w: {"pk": w["report"].pk},
    "committees:report_download": lambda w: {"pk": w["report"].pk},
    "implementation:measure_detail": lambda w: {"pk": _pk(w["measure"])},
    "implementation:measure_edit": lambda w: {"pk": _pk(w["measure"])},
    "implementation:measure_status": lambda w: {"pk": _pk(w["measure"])},
    "implementation:milestone_add": lambda w: {"pk": _pk(w["measure"])},
    "implementation:milestone_done": lambda w: {"pk": _pk(w["milestone"])},
    "implementation:municipality_detail": lambda w: {"slug": w["municipality"].slug},
    "implementation:organisation_detail": lambda w: {"pk": _pk(w["organisation"])},
    "implementation:department_detail": lambda w: {"pk": _pk(w["department"])},
    "implementation:idea_path": lambda w: {"pk": _pk(w["idea"])},
    "implementation:history": lambda w: {"kind": "idea", "pk": _pk(w["idea"])},
    "oparl:body": lambda w: {"pk": _pk(w["body"])},
    "oparl:body_organizations": lambda w: {"pk": _pk(w["body"])},
    "oparl:body_people": lambda w: {"pk": _pk(w["body"])},
    "oparl:body_meetings": lambda w: {"pk": _pk(w["body"])},
    "oparl:body_papers": lambda w: {"pk": _pk(w["body"])},
    "oparl:body_agenda_items": lambda w: {"pk": _pk(w["body"])},
    "oparl:body_consultations": lambda w: {"pk": _pk(w["body"])},
    "oparl:body_files": lambda w: {"pk": _pk(w["body"])},
    "oparl:committee_organization": lambda w: {"pk": _pk(w["committee"])},
    "oparl:committee_meetings": lambda w: {"pk": _pk(w["committee"])},
    "oparl:department_organization": lambda w: {"pk": _pk(w["department"])},
    "oparl:meeting": lambda w: {"pk": _pk(w["meeting"])},
    "oparl:agenda_item": lambda w: {"pk": _pk(w["agenda_item"])},
    "oparl:paper": lambda w: {"pk": _pk(w["paper"])},
    "oparl:consultation": lambda w: {"pk": _pk(w["paper"])},
    "oparl:file": lambda w: {"pk": w["report"].pk},
    "oparl:file_access": lambda w: {"pk": w["report"].pk},
    "oparl:file_download": lambda w: {"pk": w["report"].pk},
    "oparl:person": lambda w: {"pk": w["users"]["staff"].pk},
    "privacy:user_export": lambda w: {"pk": w["users"]["staff"].pk},
    "notifications:open": lambda w: {"pk": _pk(w["notification"])},
    "notifications:mark_read": lambda w: {"pk": _pk(w["notification"])},
    "notifications:follow": lambda w: {"label": "ideas.idea", "object_id": str(_pk(w["idea"]))},
    "notifications:calendar_feed": lambda w: {
        "user_id": w["feed"].user_id,
        "token": calendar_feed_token(w["feed"]),
    },
    "workshops:workshop_ics": lambda w: {"pk": _pk(w["workshop"])},
    "workshops:workshop_respond": lambda w: {"pk": _pk(w["workshop"])},
    "workshops:workshop_attendance": lambda w: {"pk": _pk(w["workshop"])},
    "workshops:workshop_cancel": lambda w: {"pk": _pk(w["workshop"])},
    "committees:meeting_ics": lambda w: {"pk": _pk(w["meeting"])},
    "committees:meeting_invite": lambda w: {"pk": _pk(w["meeting"])},
    "privacy:user_erase": lambda w: {"pk": w["users"]["staff"].pk},
}


def missing_kwargs(kwargs: dict) -> dict:
    """The same parameters naming objects that do not exist."""
    out = {}
    for key, value in kwargs.items():
        if isinstance(value, uuid.UUID):
            out[key] = MISSING_UUID
        elif isinstance(value, int):
            out[key] = MISSING
        else:
            out[key] = "gibt-es-nicht"
    return out
