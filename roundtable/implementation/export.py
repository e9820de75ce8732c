"""The whole round table as one JSON document for archiving, read in a fixed
number of queries."""

from django.contrib.auth import get_user_model
from django.db.models import Prefetch
from django.utils import timezone

from ideas.models import Idea
from participants.models import (
    Body,
    Department,
    DepartmentParticipation,
    Municipality,
    Organisation,
)
from roundtable.committees.models import Decision, Paper
from roundtable.timeline.models import Phase
from workshops.models import Concept, ConceptIdea

from .models import Measure, Milestone, ProgressNote

FORMAT_VERSION = 1


def _user(user) -> str | None:
    return user.get_username() if user is not None else None


def roundtable_export() -> dict:
    User = get_user_model()
    users = User.objects.select_related(
        "profile", "profile__department", "profile__organisation"
    ).order_by("username")
    participations = DepartmentParticipation.objects.select_related("department").prefetch_related(
        "contacts"
    )
    ideas = (
        Idea.objects.select_related("topic", "department", "organisation", "author", "phase")
        .prefetch_related("target_groups", "municipalities")
        .defer("search_vector")
        .order_by("created", "id")
    )
    concepts = Concept.objects.prefetch_related(
        "measures",
        "responsible_departments",
        "responsible_organisations",
        "municipalities",
        Prefetch("idea_links", queryset=ConceptIdea.objects.order_by("position", "id")),
        "signoffs__department",
    ).order_by("position", "id")
    papers = Paper.objects.select_related(
        "agenda_item__meeting__committee", "department"
    ).prefetch_related("participating_departments", "concept_links")
    decisions = Decision.objects.select_related("agenda_item", "recorded_by")
    measures = Measure.objects.select_related(
        "responsible_department", "responsible_organisation"
    ).prefetch_related(
        "municipalities",
        Prefetch("milestones", queryset=Milestone.objects.order_by("due_on", "id")),
        Prefetch("notes", queryset=ProgressNote.objects.select_related("author")),
    )
    return {
        "format": "runder-tisch-integration-export",
        "version": FORMAT_VERSION,
        "exported_at": timezone.now(),
        "bodies": [
            {"id": b.pk, "name": b.name, "short_name": b.short_name} for b in Body.objects.all()
        ],
        "participants": {
            "departments": [
                {"id": d.pk, "number": d.number, "name": d.name, "active": d.is_active}
                for d in Department.objects.all()
            ],
            "organisations": [
                {"id": o.pk, "name": o.name, "kind": o.kind, "active": o.is_active}
                for o in Organisation.objects.all()
            ],
            "municipalities": [
                {"id": m.pk, "name": m.name, "slug": m.slug, "kind": m.kind}
                for m in Municipality.objects.all()
            ],
            "people": [
                {
                    "username": u.get_username(),
                    "name": u.get_full_name(),
                    "role": getattr(getattr(u, "profile", None), "role", None),
                    "department": getattr(getattr(u, "profile", None), "department_id", None),
                    "organisation": getattr(getattr(u, "profile", None), "organisation_id", None),
                    "active": u.is_active,
                }
                for u in users
            ],
            "coordination": [
                {
                    "department": p.department_id,
                    "status": p.status,
                    "contacts": [_user(c) for c in p.contacts.all()],
                    "set_at": p.set_at,
                }
                for p in participations
            ],
        },
        "phases": [
            {
                "key": p.key,
                "name": p.name,
                "start": p.start,
                "end": p.end,
                "allows_idea_submission": p.allows_idea_submission,
                "allows_workshop_work": p.allows_workshop_work,
                "allows_committee_work": p.allows_committee_work,
                "allows_implementation": p.allows_implementation,
            }
            for p in Phase.objects.all()
        ],
        "ideas": [
            {
                "id": i.pk,
                "title": i.title,
                "description": i.description,
                "topic": i.topic.name,
                "target_groups": [t.name for t in i.target_groups.all()],
                "department": i.department_id,
                "organisation": i.organisation_id,
                "municipalities": [m.pk for m in i.municipalities.all()],
                "author": _user(i.author),
                "phase": i.phase.key if i.phase else None,
                "status": i.status,
                "public_feedback": i.public_feedback,
                "support_count": i.support_count,
                "comment_count": i.comment_count,
                "created": i.created,
            }
            for i in ideas
        ],
        "concepts": [
            {
                "id": c.pk,
                "title": c.title,
                "summary": c.summary,
                "goals": c.goals,
                "status": c.status,
                "workshop": c.workshop_id,
                "measures": [m.text for m in c.measures.all()],
                "ideas": [link.idea_id for link in c.idea_links.all()],
                "responsible_departments": [d.pk for d in c.responsible_departments.all()],
                "responsible_organisations": [o.pk for o in c.responsible_organisations.all()],
                "municipalities": [m.pk for m in c.municipalities.all()],
                "signoffs": [
                    {"department": s.department_id, "decision": s.decision, "at": s.signed_at}
                    for s in c.signoffs.all()
                ],
            }
            for c in concepts
        ],
        "papers": [
            {
                "id": p.pk,
                "committee": p.agenda_item.meeting.committee.name,
                "meeting": p.agenda_item.meeting.starts_at,
                "agenda_item": p.agenda_item.number,
                "title": p.agenda_item.title,
                "public": p.agenda_item.is_public,
                "department": p.department_id,
                "date": p.date,
                "resolution_proposal": p.resolution_proposal,
                "participating_departments": [d.pk for d in p.participating_departments.all()],
                "concepts": [link.concept_id for link in p.concept_links.all()],
            }
            for p in papers
        ],
        "decisions": [
            {
                "agenda_item": d.agenda_item_id,
                "result": d.result,
                "text": d.text,
                "recorded_by": _user(d.recorded_by),
                "recorded_at": d.recorded_at,
            }
            for d in decisions
        ],
        "measures": [
            {
                "id": m.pk,
                "concept": m.concept_id,
                "title": m.title,
                "description": m.description,
                "responsible_department": m.responsible_department_id,
                "responsible_organisation": m.responsible_organisation_id,
                "municipalities": [x.pk for x in m.municipalities.all()],
                "status": m.status,
                "progress": m.progress,
                "starts_on": m.starts_on,
                "ends_on": m.ends_on,
                "milestones": [
                    {"title": s.title, "due_on": s.due_on, "done_on": s.done_on}
                    for s in m.milestones.all()
                ],
                "notes": [
                    {
                        "text": n.text,
                        "progress": n.progress,
                        "author": _user(n.author),
                        "created": n.created,
                    }
                    for n in m.notes.all()
                ],
            }
            for m in measures
        ],
    }
