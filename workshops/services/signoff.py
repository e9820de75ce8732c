"""The sign-off (Mitzeichnung) of a concept by its responsible departments."""

import logging
from collections.abc import Sequence

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from participants.models import Department, DepartmentParticipation
from roundtable.operations import outbox
from roundtable.operations.mail import mail_send_many
from roundtable.timeline.gates import WORKSHOP_WORK, phase_require

from ..models import (
    Concept,
    ConceptSignoff,
    SignoffReminder,
)
from ..selectors import concept_signoff_state
from .concepts import S, concept_set_status

logger = logging.getLogger(__name__)

# --- sign-off (Mitzeichnung) ---------------------------------------------------


@transaction.atomic
def signoff_record(
    *,
    concept: Concept,
    department: Department,
    decision: str,
    by: AbstractBaseUser,
    remarks: str = "",
) -> ConceptSignoff:
    """Records (or changes) a responsible department's answer; when the last
    department agrees, the concept becomes "abgestimmt" (recorded as automatic: the
    step follows from all answers, not from the last one's signer)."""
    from ..rules import signoff_departments_of

    phase_require(WORKSHOP_WORK)
    concept = Concept.objects.select_for_update().get(pk=concept.pk)
    if concept.status != S.IN_COORDINATION:
        raise ValidationError(_("Das Konzept ist nicht in Abstimmung."))
    if department not in signoff_departments_of(by, concept):
        raise PermissionDenied(_("Sie können nicht für dieses Amt mitzeichnen."))
    if decision not in ConceptSignoff.Decision.values:
        raise ValidationError(_("Unbekanntes Votum."))
    remarks = remarks.strip()
    if decision == ConceptSignoff.Decision.OBJECTS and not remarks:
        raise ValidationError({"remarks": _("Bitte begründen Sie Ihre Einwände.")})
    if decision == ConceptSignoff.Decision.AGREES_WITH_REMARKS and not remarks:
        raise ValidationError({"remarks": _("Bitte tragen Sie Ihre Anmerkungen ein.")})
    signoff, _created = ConceptSignoff.objects.update_or_create(
        concept=concept,
        department=department,
        defaults={
            "decision": decision,
            "remarks": remarks,
            "signed_by": by,
            "signed_at": timezone.now(),
        },
    )
    if concept_signoff_state(concept=concept)["all_agreed"]:
        concept_set_status(concept=concept, status=S.COORDINATED, by=None, check=False)
    return signoff


@transaction.atomic
def signoff_remind(*, concept: Concept, by: AbstractBaseUser) -> SignoffReminder:
    """Queues a reminder e-mail to the contacts of the departments that are missing.

    Refused when none of them has anyone to write to; the missing departments that
    cannot be reached are returned in the reminder's ``unreachable`` (not stored)."""
    from ..tasks import signoff_reminder_send_task

    phase_require(WORKSHOP_WORK)
    if concept.status != S.IN_COORDINATION:
        raise ValidationError(_("Das Konzept ist nicht in Abstimmung."))
    missing = concept_signoff_state(concept=concept)["missing"]
    if not missing:
        raise ValidationError(_("Alle verantwortlichen Ämter haben bereits mitgezeichnet."))
    recipients = _recipients_by_department(missing)
    unreachable = [d for d in missing if not recipients[d.pk]]
    if len(unreachable) == len(missing):
        raise ValidationError(
            _(
                "Niemand wurde erinnert: Für %(departments)s ist niemand mit E-Mail-Adresse "
                "hinterlegt. Bitte nennen Sie in der verwaltungsinternen Abstimmung eine "
                "Ansprechperson mit E-Mail-Adresse."
            )
            % {"departments": ", ".join(str(d) for d in unreachable)}
        )
    reminder = SignoffReminder.objects.create(concept=concept, requested_by=by)
    outbox.enqueue(signoff_reminder_send_task, kwargs={"reminder_id": reminder.pk})
    reminder.unreachable = unreachable
    return reminder


def signoff_contacts(departments: Sequence[Department]):
    """Who signs off for ``departments``: the contact persons named in the internal
    coordination; for a department without any, its members."""
    from django.contrib.auth import get_user_model

    ids = {d.pk for d in departments}
    with_contacts = set(
        DepartmentParticipation.objects.filter(
            department_id__in=ids, contacts__isnull=False
        ).values_list("department_id", flat=True)
    )
    return (
        get_user_model()
        .objects.filter(is_active=True)
        .filter(
            Q(contact_for__department_id__in=ids)
            | Q(profile__department_id__in=ids - with_contacts)
        )
        .distinct()
    )


def _recipients_by_department(departments: Sequence[Department]) -> dict[int, set[str]]:
    """Whom a reminder reaches in each department: its contact persons and its own
    address; a department without a contact person who has an address: its members."""
    from django.contrib.auth import get_user_model

    User = get_user_model()
    ids = [d.pk for d in departments]
    users = User.objects.filter(is_active=True).exclude(email="")
    found: dict[int, set[str]] = {pk: set() for pk in ids}
    for department_id, email in users.filter(contact_for__department_id__in=ids).values_list(
        "contact_for__department_id", "email"
    ):
        found[department_id].add(email)
    without_contact = [pk for pk, emails in found.items() if not emails]
    for department_id, email in users.filter(
        profile__department_id__in=without_contact
    ).values_list("profile__department_id", "email"):
        found[department_id].add(email)
    for department in departments:
        if department.email:
            found[department.pk].add(department.email)
    return found


def _signoff_recipients(departments: Sequence[Department]) -> list[str]:
    return sorted(set().union(*_recipients_by_department(departments).values()))


@transaction.atomic
def signoff_reminder_send(*, reminder_id: int) -> SignoffReminder | None:
    """Sends the reminder once; running again after success sends nothing."""
    reminder = (
        SignoffReminder.objects.select_for_update(of=("self",))
        .select_related("concept")
        .filter(pk=reminder_id)
        .first()
    )
    if reminder is None or reminder.sent_at is not None:
        return reminder
    concept = reminder.concept
    missing = concept_signoff_state(concept=concept)["missing"]
    recipients = _signoff_recipients(missing) if missing else []
    if recipients:
        subject = _("Erinnerung: Mitzeichnung des Konzepts „%(title)s“") % {"title": concept.title}
        body = _(
            "Guten Tag,\n\ndas Konzept „%(title)s“ des Runden Tisches Integration wartet noch "
            "auf die Mitzeichnung durch: %(departments)s.\n\nBitte zeichnen Sie im Portal mit: "
            "%(path)s\n\nVielen Dank!"
        ) % {
            "title": concept.title,
            "departments": ", ".join(str(d) for d in missing),
            "path": concept.get_absolute_url(),
        }
        mail_send_many([(subject, body, [email]) for email in recipients])
    else:
        # nobody to write to (the contacts changed since the request): not sent, and
        # not shown as a reminder that was sent
        logger.warning("signoff reminder %s: no recipient, not sent", reminder.pk)
        reminder.delete()
        return None
    reminder.recipients = recipients
    reminder.sent_at = timezone.now()
    reminder.save(update_fields=["recipients", "sent_at"])
    return reminder
