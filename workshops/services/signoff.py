"""The sign-off (Mitzeichnung) of a concept by its responsible departments."""

from collections.abc import Sequence

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mass_mail
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from participants.models import Department, DepartmentParticipation
from roundtable.operations import outbox
from roundtable.timeline.gates import WORKSHOP_WORK, phase_require

from ..models import (
    Concept,
    ConceptSignoff,
    SignoffReminder,
)
from .concepts import S, concept_set_status, concept_signoff_state

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
    """Queues a reminder e-mail to the contacts of the departments that are missing."""
    from ..tasks import signoff_reminder_send_task

    phase_require(WORKSHOP_WORK)
    if concept.status != S.IN_COORDINATION:
        raise ValidationError(_("Das Konzept ist nicht in Abstimmung."))
    if not concept_signoff_state(concept=concept)["missing"]:
        raise ValidationError(_("Alle verantwortlichen Ämter haben bereits mitgezeichnet."))
    reminder = SignoffReminder.objects.create(concept=concept, requested_by=by)
    outbox.enqueue(signoff_reminder_send_task, kwargs={"reminder_id": reminder.pk})
    return reminder


def _signoff_recipients(departments: Sequence[Department]) -> list[str]:
    from django.contrib.auth import get_user_model

    User = get_user_model()
    ids = [d.pk for d in departments]
    users = User.objects.filter(is_active=True).exclude(email="")
    by_contact = users.filter(contact_for__department_id__in=ids)
    emails = set(by_contact.values_list("email", flat=True))
    if not emails:
        emails |= set(users.filter(profile__department_id__in=ids).values_list("email", flat=True))
    emails |= {d.email for d in departments if d.email}
    # departments whose participation names no contact: reach their members
    without_contact = DepartmentParticipation.objects.filter(
        department_id__in=ids, contacts__isnull=True
    ).values_list("department_id", flat=True)
    emails |= set(
        users.filter(profile__department_id__in=list(without_contact)).values_list(
            "email", flat=True
        )
    )
    return sorted(emails)


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
        send_mass_mail(
            [(subject, body, settings.DEFAULT_FROM_EMAIL, [email]) for email in recipients]
        )
    reminder.recipients = recipients
    reminder.sent_at = timezone.now()
    reminder.save(update_fields=["recipients", "sent_at"])
    return reminder
