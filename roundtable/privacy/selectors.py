"""Reads for privacy: what the portal holds about one person (DSGVO Art. 15 and 20).

The privacy app sits above every other app of the round table and only reads their
models here; changes go through ``services``.
"""

from datetime import timedelta

from django.contrib.auth import get_user_model
from django.db.models import Q, QuerySet
from django.utils import timezone

from ideas.models import Attachment, Comment, Idea, IdeaStatusChange, Support
from roundtable.committees.models import Report, ReportDownload
from workshops.models import ConceptSignoff, Workshop

from .legal_texts import DEFAULTS
from .models import LegalPage

User = get_user_model()

EXPORT_FORMAT = "runder-tisch-integration/personal-data/1"


def _iso(value):
    return value.isoformat() if value is not None else None


def legal_page_get(*, kind: str) -> LegalPage:
    """The stored page, or its default text if an administrator deleted it."""
    page = LegalPage.objects.filter(kind=kind).first()
    if page is None:
        title, body = DEFAULTS[kind]
        page = LegalPage(kind=kind, title=title, body=body)
    return page


def user_list_for_privacy(*, search: str = "") -> QuerySet:
    users = User.objects.select_related("profile").order_by("last_name", "first_name", "username")
    search = search.strip()
    if search:
        users = users.filter(
            Q(username__icontains=search)
            | Q(first_name__icontains=search)
            | Q(last_name__icontains=search)
            | Q(email__icontains=search)
        )
    return users


def _profile(user) -> dict:
    profile = getattr(user, "profile", None)
    data = {
        "username": user.get_username(),
        "first_name": user.first_name,
        "last_name": user.last_name,
        "email": user.email,
        "is_active": user.is_active,
        "date_joined": _iso(user.date_joined),
        "last_login": _iso(user.last_login),
    }
    if profile is not None:
        data.update(
            role=profile.role,
            department=str(profile.department) if profile.department else None,
            organisation=str(profile.organisation) if profile.organisation else None,
            municipality=str(profile.municipality) if profile.municipality else None,
            from_directory=profile.from_directory,
            function=profile.function,
            phone=profile.phone,
        )
    return data


def _references(user) -> dict:
    """Every row of any model that points at the user, by model: new models are
    covered without changing this app."""
    found: dict[str, list] = {}
    for relation in User._meta.related_objects:
        model = relation.related_model
        if relation.many_to_many:
            rows = model.objects.filter(**{relation.field.name: user})
        else:
            rows = model._default_manager.filter(**{relation.field.name: user})
        pks = [str(pk) for pk in rows.values_list("pk", flat=True)]
        if pks:
            key = f"{model._meta.label}.{relation.field.name}"
            found[key] = pks
    return dict(sorted(found.items()))


def personal_data_export(*, user) -> dict:
    """Everything the portal holds about ``user``, as JSON-ready data."""
    user = User.objects.select_related(
        "profile__department", "profile__organisation", "profile__municipality"
    ).get(pk=user.pk)
    ideas = (
        Idea.objects.filter(author=user)
        .select_related("topic", "department", "organisation")
        .prefetch_related("target_groups", "municipalities")
        .order_by("created", "id")
    )
    comments = Comment.objects.filter(author=user).order_by("created", "id")
    supports = Support.objects.filter(user=user).select_related("idea").order_by("created", "id")
    attachments = Attachment.objects.filter(uploaded_by=user).order_by("created", "id")
    status_changes = IdeaStatusChange.objects.filter(changed_by=user).order_by("changed_at", "id")
    workshops = (
        Workshop.objects.filter(Q(moderators=user) | Q(participants=user) | Q(attendees=user))
        .distinct()
        .order_by("starts_at", "id")
    )
    moderated = set(user.moderated_workshops.values_list("pk", flat=True))
    invited = set(user.workshops.values_list("pk", flat=True))
    attended = set(user.attended_workshops.values_list("pk", flat=True))
    signoffs = (
        ConceptSignoff.objects.filter(signed_by=user)
        .select_related("concept", "department")
        .order_by("signed_at", "id")
    )
    reports = Report.objects.filter(requested_by=user).order_by("requested_at")
    downloads = ReportDownload.objects.filter(user=user).order_by("downloaded_at", "id")
    return {
        "format": EXPORT_FORMAT,
        "exported_at": _iso(timezone.now()),
        "profile": _profile(user),
        "ideas": [
            {
                "id": i.pk,
                "title": i.title,
                "description": i.description,
                "topic": i.topic.name,
                "target_groups": [t.name for t in i.target_groups.all()],
                "submitted_for": str(i.submitted_for) if i.submitted_for else None,
                "municipalities": [m.name for m in i.municipalities.all()],
                "status": i.status,
                "public_feedback": i.public_feedback,
                "created": _iso(i.created),
                "modified": _iso(i.modified),
            }
            for i in ideas
        ],
        "comments": [
            {
                "id": c.pk,
                "idea_id": c.idea_id,
                "parent_id": c.parent_id,
                "text": c.text,
                "is_hidden": c.is_hidden,
                "hidden_reason": c.hidden_reason,
                "created": _iso(c.created),
                "modified": _iso(c.modified),
            }
            for c in comments
        ],
        "supports": [
            {"idea_id": s.idea_id, "idea_title": s.idea.title, "created": _iso(s.created)}
            for s in supports
        ],
        "attachments": [
            {
                "id": a.pk,
                "idea_id": a.idea_id,
                "original_name": a.original_name,
                "content_type": a.content_type,
                "size": a.size,
                "created": _iso(a.created),
            }
            for a in attachments
        ],
        "status_changes": [
            {
                "idea_id": s.idea_id,
                "from_status": s.from_status,
                "to_status": s.to_status,
                "public_feedback": s.public_feedback,
                "private_remark": s.private_remark,
                "changed_at": _iso(s.changed_at),
            }
            for s in status_changes
        ],
        "workshops": [
            {
                "id": w.pk,
                "title": w.title,
                "starts_at": _iso(w.starts_at),
                "place": w.place,
                "as_moderator": w.pk in moderated,
                "invited": w.pk in invited,
                "attended": w.pk in attended,
            }
            for w in workshops
        ],
        "signoffs": [
            {
                "concept_id": s.concept_id,
                "concept": s.concept.title,
                "department": str(s.department),
                "decision": s.decision,
                "remarks": s.remarks,
                "signed_at": _iso(s.signed_at),
            }
            for s in signoffs
        ],
        "reports_requested": [
            {
                "id": str(r.pk),
                "paper_id": r.paper_id,
                "version": r.version,
                "requested_at": _iso(r.requested_at),
            }
            for r in reports
        ],
        "report_downloads": [
            {"report_id": str(d.report_id), "downloaded_at": _iso(d.downloaded_at)}
            for d in downloads
        ],
        "references": _references(user),
    }


def inactive_users_for_retention(*, days: int) -> QuerySet:
    """Accounts whose personal data is kept no longer: not used for ``days`` days."""
    cutoff = timezone.now() - timedelta(days=days)
    return (
        User.objects.filter(is_superuser=False)
        .exclude(username__startswith=PSEUDONYM_PREFIX)
        .filter(Q(last_login__lt=cutoff) | Q(last_login__isnull=True, date_joined__lt=cutoff))
        .order_by("pk")
    )


PSEUDONYM_PREFIX = "geloescht-"
