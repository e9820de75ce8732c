from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import Department, DepartmentParticipation, Role


@transaction.atomic
def participation_set(
    *,
    participation: DepartmentParticipation,
    status: str,
    note: str,
    contacts,
    by: AbstractBaseUser,
) -> DepartmentParticipation:
    """Records a department's answer in the internal coordination."""
    participation.status = status
    participation.note = note
    participation.set_by = by
    participation.set_at = timezone.now()
    participation.save()
    participation.contacts.set(contacts)
    return participation


@transaction.atomic
def participation_invite(*, department: Department) -> DepartmentParticipation:
    participation, _ = DepartmentParticipation.objects.get_or_create(department=department)
    return participation


def _administrators():
    """Active accounts that administer the portal (superuser or the role)."""
    return get_user_model().objects.filter(
        Q(is_superuser=True) | Q(profile__role=Role.ADMIN), is_active=True
    )


def administrator_keep_one(*, users) -> None:
    """Refuses to let ``users`` stop being administrators (erased, deactivated, deleted,
    role or superuser status taken) when nobody else would administer the portal:
    without an administrator nobody could add users, roles or phases any more. Call it
    inside the transaction of the change: the administrators' rows stay locked until it
    ends, so two of them cannot remove each other at the same moment."""
    leaving = {user.pk for user in users}
    administrators = set(
        _administrators().select_for_update(of=("self",)).values_list("pk", flat=True)
    )
    if administrators & leaving and not administrators - leaving:
        raise ValidationError(
            _(
                "Das ist das letzte aktive Administrationskonto. Legen Sie zuerst ein "
                "weiteres Administrationskonto an (oder aktivieren Sie eines); erst dann "
                "kann dieses gelöscht oder deaktiviert werden."
            ),
            code="last_administrator",
        )
