from django.contrib.auth import get_user_model
from django.db.models import Count, Prefetch, QuerySet

from .models import Department, DepartmentParticipation, Municipality, Organisation


def coordination_list() -> QuerySet[DepartmentParticipation]:
    return (
        DepartmentParticipation.objects.select_related("department", "set_by")
        .prefetch_related(
            Prefetch(
                "contacts",
                queryset=get_user_model().objects.select_related("profile").order_by("last_name"),
            )
        )
        .order_by("department__number", "department__name")
    )


def coordination_summary() -> dict[str, int]:
    counts = dict(
        DepartmentParticipation.objects.values_list("status").annotate(n=Count("id")).order_by()
    )
    return {status: counts.get(status, 0) for status in DepartmentParticipation.Status.values}


def department_list() -> QuerySet[Department]:
    return Department.objects.filter(is_active=True)


def organisation_list() -> QuerySet[Organisation]:
    return Organisation.objects.filter(is_active=True)


def municipality_list() -> QuerySet[Municipality]:
    return Municipality.objects.all()
