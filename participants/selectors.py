from django.contrib.auth import get_user_model
from django.db.models import Case, CharField, Count, Max, Prefetch, Q, QuerySet, Value, When
from django.utils import timezone

from .models import (
    Department,
    DepartmentParticipation,
    Invitation,
    Municipality,
    Organisation,
    ParticipationRequest,
)


def coordination_list() -> QuerySet[DepartmentParticipation]:
    return (
        DepartmentParticipation.objects.select_related("department", "set_by")
        .prefetch_related(
            Prefetch(
                "contacts",
                queryset=get_user_model().objects.select_related("profile").order_by("last_name"),
            )
        )
        .annotate(
            last_requested_at=Max("requests__requested_at"),
            request_count=Count("requests", distinct=True),
            unsent_count=Count("requests", filter=Q(requests__sent_at__isnull=True), distinct=True),
        )
        .order_by("department__number", "department__name")
    )


def coordination_summary() -> dict[str, int]:
    counts = dict(
        DepartmentParticipation.objects.values_list("status").annotate(n=Count("id")).order_by()
    )
    return {status: counts.get(status, 0) for status in DepartmentParticipation.Status.values}


def participations_to_answer(*, user) -> QuerySet[DepartmentParticipation]:
    """The departments ``user`` is a contact person for that have not answered yet."""
    if not user.is_authenticated:
        return DepartmentParticipation.objects.none()
    return (
        DepartmentParticipation.objects.filter(
            contacts=user, status=DepartmentParticipation.Status.INVITED
        )
        .select_related("department")
        .order_by("department__number", "department__name")
    )


def participation_requests(*, participation) -> QuerySet[ParticipationRequest]:
    return participation.requests.select_related("requested_by")


def department_list() -> QuerySet[Department]:
    return Department.objects.filter(is_active=True)


def organisation_list() -> QuerySet[Organisation]:
    return Organisation.objects.filter(is_active=True)


def municipality_list() -> QuerySet[Municipality]:
    return Municipality.objects.all()


def _with_status(invitations: QuerySet[Invitation]) -> QuerySet[Invitation]:
    S = Invitation.Status
    return invitations.annotate(
        current_status=Case(
            When(accepted_at__isnull=False, then=Value(S.ACCEPTED)),
            When(revoked_at__isnull=False, then=Value(S.REVOKED)),
            When(expires_at__lte=timezone.now(), then=Value(S.EXPIRED)),
            default=Value(S.PENDING),
            output_field=CharField(),
        )
    )


def invitation_list(*, status: str | None = None, search: str = "") -> QuerySet[Invitation]:
    invitations = _with_status(
        Invitation.objects.select_related("organisation", "municipality", "invited_by")
    ).order_by("-last_invited_at", "-pk")
    if status:
        invitations = invitations.filter(current_status=status)
    search = search.strip()
    if search:
        invitations = invitations.filter(
            Q(name__icontains=search)
            | Q(email__icontains=search)
            | Q(organisation__name__icontains=search)
            | Q(municipality__name__icontains=search)
        )
    return invitations


def invitation_summary() -> dict[str, int]:
    counts = dict(
        _with_status(Invitation.objects.all())
        .values_list("current_status")
        .annotate(n=Count("id"))
        .order_by()
    )
    return {status: counts.get(status, 0) for status in Invitation.Status.values}
