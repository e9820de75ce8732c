"""Invitations to workshops: sent with the workshop's .ics (METHOD:REQUEST), updated when
title, time or place change (SEQUENCE + 1), withdrawn (METHOD:CANCEL) from whoever is
taken off the list and from everyone when the workshop is cancelled; and the invited
people's answers (zusagen / absagen) in the portal."""

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from roundtable.notifications import services as notifications
from roundtable.notifications.calendar import Attendee, calendar_attachment
from roundtable.notifications.models import Kind

from ..calendar import workshop_calendar_entry
from ..models import Workshop, WorkshopResponse

#: what a calendar shows of a workshop: a change of these is sent to the invited
CALENDAR_FIELDS = ("title", "starts_at", "ends_at", "place")

INVITED = gettext_noop("Einladung: Workshop „%(title)s“ am %(date)s um %(time)s Uhr")
CHANGED = gettext_noop("Geänderter Termin: Workshop „%(title)s“ am %(date)s um %(time)s Uhr")
CANCELLED = gettext_noop("Abgesagt: Workshop „%(title)s“ am %(date)s um %(time)s Uhr")
WITHDRAWN = gettext_noop(
    "Ihre Einladung zum Workshop „%(title)s“ am %(date)s um %(time)s Uhr ist zurückgenommen."
)


def workshop_invitees(workshop: Workshop) -> set:
    """Who gets the invitation and its updates: the invited persons and the moderation."""
    return set(workshop.participants.all()) | set(workshop.moderators.all())


def _params(workshop: Workshop) -> dict:
    starts = timezone.localtime(workshop.starts_at)
    return {"title": workshop.title, "date": f"{starts:%d.%m.%Y}", "time": f"{starts:%H:%M}"}


def workshop_invitations_send(
    *,
    workshop: Workshop,
    people,
    by: AbstractBaseUser | None,
    text: str,
    method: str,
    detail: str | None = None,
) -> int:
    """A notification for each of ``people`` with the workshop's .ics for them (method
    REQUEST or CANCEL), in the caller's transaction. Returns how many were told."""
    entry = workshop_calendar_entry(workshop)
    if detail is None and method == "REQUEST":
        detail = "\n\n".join(part for part in (workshop.place, workshop.agenda) if part)
    told = 0
    for person in sorted(people, key=lambda p: p.pk):
        attachments = []
        if person.email:
            attendee = Attendee(
                name=person.get_full_name() or person.get_username(), email=person.email
            )
            attachments.append(calendar_attachment(entry, method=method, attendee=attendee))
        told += len(
            notifications.notify(
                recipients=[person],
                kind=Kind.INVITATION,
                text=text,
                params=_params(workshop),
                detail=detail or "",
                link=workshop.get_absolute_url(),
                target=workshop,
                actor=by,
                attachments=attachments,
            )
        )
    return told


def workshop_invitations_after_save(
    *, workshop: Workshop, before: Workshop | None, invited_before: set, by
) -> None:
    """Sends what a saved workshop calls for: the invitation to the newly invited, the
    update to those invited before (if the date changed), the withdrawal to those taken
    off the list. ``before``: the workshop as stored before (None: just created)."""
    if workshop.is_cancelled:
        return
    invited = workshop_invitees(workshop)
    workshop_invitations_send(
        workshop=workshop, people=invited - invited_before, by=by, text=INVITED, method="REQUEST"
    )
    if before is not None and workshop.sequence != before.sequence:
        workshop_invitations_send(
            workshop=workshop,
            people=invited & invited_before,
            by=by,
            text=CHANGED,
            method="REQUEST",
        )
    workshop_invitations_send(
        workshop=workshop,
        people=invited_before - invited,
        by=by,
        text=WITHDRAWN,
        method="CANCEL",
    )


def calendar_changed(before: Workshop, after: Workshop) -> bool:
    return any(getattr(before, name) != getattr(after, name) for name in CALENDAR_FIELDS)


@transaction.atomic
def workshop_cancel(*, workshop: Workshop, by: AbstractBaseUser, reason: str = "") -> Workshop:
    """Cancels the workshop; everyone invited or who answered gets the cancellation
    (METHOD:CANCEL), with the reason."""
    if not by.has_perm("workshops.change_workshop", workshop):
        raise PermissionDenied
    workshop = Workshop.objects.select_for_update().get(pk=workshop.pk)
    if workshop.is_cancelled:
        raise ValidationError(_("Der Workshop ist bereits abgesagt."))
    workshop.cancelled_at = timezone.now()
    workshop.sequence += 1
    workshop._history_user = by
    workshop.save(update_fields=["cancelled_at", "sequence", "modified"])
    answered = {response.user for response in workshop.responses.select_related("user")}
    workshop_invitations_send(
        workshop=workshop,
        people=workshop_invitees(workshop) | answered,
        by=by,
        text=CANCELLED,
        method="CANCEL",
        detail=reason.strip(),
    )
    return workshop


@transaction.atomic
def workshop_respond(
    *, workshop: Workshop, user: AbstractBaseUser, answer: str
) -> WorkshopResponse:
    """An invited person says whether they come; answering again changes the answer."""
    if not user.has_perm("workshops.respond_workshop", workshop):
        raise PermissionDenied
    if answer not in WorkshopResponse.Answer.values:
        raise ValidationError(_("Bitte sagen Sie zu oder ab."))
    workshop = Workshop.objects.select_for_update().get(pk=workshop.pk)
    if workshop.is_cancelled:
        raise ValidationError(_("Der Workshop ist abgesagt."))
    if workshop.starts_at < timezone.now():
        raise ValidationError(
            _("Der Workshop hat schon begonnen; eine Rückmeldung ist nicht mehr möglich.")
        )
    response, _created = WorkshopResponse.objects.update_or_create(
        workshop=workshop, user=user, defaults={"answer": answer, "answered_at": timezone.now()}
    )
    return response
