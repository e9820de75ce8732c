from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils import timezone

from .models import DepartmentParticipation


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
