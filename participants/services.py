"""Writes of the participants app: the internal coordination (verwaltungsinterne
Abstimmung), the guard of the last administrator. Invitations: ``invitations.py``; the
directory: ``directory/services.py``."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from roundtable.operations import outbox
from roundtable.operations.mail import mail_send

from .models import DepartmentParticipation, ParticipationRequest, Role


def _require(user, perm: str, obj=None) -> None:
    if not user.has_perm(perm, obj):
        raise PermissionDenied(perm)


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


ANSWERS = (DepartmentParticipation.Status.CONFIRMED, DepartmentParticipation.Status.DECLINED)


@transaction.atomic
def participation_answer(
    *, participation: DepartmentParticipation, by: AbstractBaseUser, status: str, note: str
) -> DepartmentParticipation:
    """A contact person confirms or declines the participation of their department."""
    participation = DepartmentParticipation.objects.select_for_update().get(pk=participation.pk)
    _require(by, "participants.answer_departmentparticipation", participation)
    if status not in ANSWERS:
        raise ValidationError({"status": _("Bitte sagen Sie zu oder ab.")})
    note = note.strip()
    if status == DepartmentParticipation.Status.DECLINED and not note:
        raise ValidationError({"note": _("Bitte schreiben Sie kurz, warum Ihr Amt absagt.")})
    participation.status = status
    participation.note = note
    participation.set_by = by
    participation.set_at = timezone.now()
    participation.full_clean()
    participation.save()
    return participation


def _contact_addresses(participation: DepartmentParticipation) -> list[str]:
    return sorted({c.email for c in participation.contacts.all() if c.is_active and c.email})


@transaction.atomic
def participation_request(
    *, participation: DepartmentParticipation, by: AbstractBaseUser
) -> ParticipationRequest:
    """Asks the department's contact persons by e-mail to answer for their department
    (a reminder, if they were asked before)."""
    _require(by, "participants.request_departmentparticipation", participation)
    participation = DepartmentParticipation.objects.select_for_update().get(pk=participation.pk)
    if participation.status != DepartmentParticipation.Status.INVITED:
        raise ValidationError(
            _("„%(department)s“ hat schon geantwortet.") % {"department": participation.department}
        )
    if not _contact_addresses(participation):
        raise ValidationError(
            _(
                "Für „%(department)s“ ist noch keine Ansprechperson mit E-Mail-Adresse benannt: "
                "bitte zuerst unter „Bearbeiten“ eintragen."
            )
            % {"department": participation.department}
        )
    kind = (
        ParticipationRequest.Kind.REMINDER
        if participation.requests.exists()
        else ParticipationRequest.Kind.REQUEST
    )
    request = ParticipationRequest.objects.create(
        participation=participation, kind=kind, requested_by=by
    )
    from .tasks import participation_request_send_task

    outbox.enqueue(participation_request_send_task, kwargs={"request_id": request.pk})
    return request


@transaction.atomic
def participation_request_open(*, by: AbstractBaseUser) -> tuple[list, list]:
    """Asks (or reminds) every department that has not answered yet. Returns the
    requests and the departments skipped because no contact person is named."""
    _require(by, "participants.request_departmentparticipation")
    requests, skipped = [], []
    open_ = (
        DepartmentParticipation.objects.filter(status=DepartmentParticipation.Status.INVITED)
        .select_related("department")
        .prefetch_related("contacts")
    )
    for participation in open_:
        if not _contact_addresses(participation):
            skipped.append(participation.department)
            continue
        requests.append(participation_request(participation=participation, by=by))
    return requests, skipped


@transaction.atomic
def participation_request_send(*, request_id: int) -> bool:
    """Sends the request once; a department that has answered in the meantime is not
    asked again. Returns whether e-mails went out."""
    request = (
        ParticipationRequest.objects.select_for_update(of=("self",))
        .select_related("participation__department")
        .filter(pk=request_id)
        .first()
    )
    if request is None or request.sent_at is not None:
        return False
    participation = request.participation
    recipients = []
    if participation.status == DepartmentParticipation.Status.INVITED:
        recipients = _contact_addresses(participation)
    if recipients:
        with translation.override(settings.LANGUAGE_CODE):
            context = {
                "department": participation.department,
                "reminder": request.kind == ParticipationRequest.Kind.REMINDER,
                "url": settings.PORTAL_BASE_URL
                + reverse("participants:coordination_answer", kwargs={"pk": participation.pk}),
            }
            if context["reminder"]:
                subject = _("Erinnerung: Beteiligung von „%(department)s“ am Runden Tisch")
            else:
                subject = _("Bitte um Beteiligung von „%(department)s“ am Runden Tisch")
            subject %= {"department": participation.department}
            body = render_to_string("participants/email/participation_request.txt", context)
        # one e-mail to the department's contact persons together: they answer together
        mail_send(subject=subject, body=body, to=recipients)
    request.recipients = recipients
    request.sent_at = timezone.now()
    request.save(update_fields=["recipients", "sent_at"])
    return bool(recipients)


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
