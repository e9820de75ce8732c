"""Writes for privacy: erasure of a person's data, retention, accessibility feedback."""

import logging
import secrets

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.sessions.models import Session
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from participants.models import DepartmentParticipation, Invitation
from participants.services import administrator_keep_one
from roundtable.notifications.services import notifications_forget
from roundtable.operations import outbox
from roundtable.operations.mail import mail_send

from .models import AccessibilityFeedback, ErasureRecord
from .selectors import PSEUDONYM_PREFIX, inactive_users_for_retention

logger = logging.getLogger(__name__)
User = get_user_model()

#: What a pseudonymised account shows where a name was: its ideas and comments stay.
ERASED_FIRST_NAME = "Gelöschte"
ERASED_LAST_NAME = "Person"


def _delete_sessions_of(user) -> int:
    """Sessions carry the user id only inside their encoded data: decode each."""
    deleted = 0
    key = str(user.pk)
    for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator():
        if session.get_decoded().get("_auth_user_id") == key:
            session.delete()
            deleted += 1
    return deleted


def _delete_login_records_of(username: str) -> None:
    from axes.models import AccessAttempt, AccessFailureLog, AccessLog

    AccessAttempt.objects.filter(username=username).delete()
    AccessLog.objects.filter(username=username).delete()
    AccessFailureLog.objects.filter(username=username).delete()


@transaction.atomic
def user_erase(*, user, reason: str, erased_by=None) -> ErasureRecord:
    """Removes a person's personal data and keeps their contributions under a pseudonym.

    The account row stays (as "Gelöschte Person", inactive, no password, no e-mail), so
    ideas, comments, supports, sign-offs and workshop lists keep their place in the
    round table's record; nothing links the pseudonym back to the person. Rows that
    exist only to describe the person (profile, consent to publication) are deleted.
    """
    user = User.objects.select_for_update().get(pk=user.pk)
    if user.username.startswith(PSEUDONYM_PREFIX):
        return ErasureRecord.objects.get(pseudonym=user.username)
    administrator_keep_one(users=[user])  # ValidationError for the last administrator
    old_username = user.get_username()
    pseudonym = f"{PSEUDONYM_PREFIX}{secrets.token_hex(6)}"

    # one-to-one rows that only describe the person (profile, OParl consent, ...)
    for relation in User._meta.related_objects:
        if relation.one_to_one:
            relation.related_model._default_manager.filter(**{relation.field.name: user}).delete()
    for participation in DepartmentParticipation.objects.filter(contacts=user):
        participation.contacts.remove(user)
    # the invitation the person accepted holds their name and address
    Invitation.objects.filter(accepted_user=user).delete()
    notifications_forget(user=user)  # notifications, follows, settings, calendar feed

    user.username = pseudonym
    user.first_name = ERASED_FIRST_NAME
    user.last_name = ERASED_LAST_NAME
    user.email = ""
    user.is_active = False
    user.is_staff = False
    user.is_superuser = False
    user.set_unusable_password()
    user.save()
    user.groups.clear()
    user.user_permissions.clear()

    _delete_sessions_of(user)
    _delete_login_records_of(old_username)
    record = ErasureRecord.objects.create(pseudonym=pseudonym, reason=reason, erased_by=erased_by)
    logger.info("personal data erased: %s (%s)", pseudonym, reason)
    return record


def retention_apply(*, days: int | None = None) -> int:
    """Erases the personal data of accounts unused for the retention period."""
    days = settings.PRIVACY_RETENTION_DAYS if days is None else days
    if not days:
        return 0
    erased = 0
    for user in inactive_users_for_retention(days=days):
        try:
            user_erase(user=user, reason=ErasureRecord.Reason.RETENTION)
        except ValidationError:  # the last administrator stays, however long unused
            logger.warning("retention: the last active administrator is kept (%s)", user.pk)
            continue
        erased += 1
    return erased


@transaction.atomic
def accessibility_feedback_submit(
    *, message: str, name: str = "", email: str = "", page: str = ""
) -> AccessibilityFeedback:
    from .tasks import accessibility_feedback_send

    feedback = AccessibilityFeedback.objects.create(
        message=message, name=name, email=email, page=page
    )
    outbox.enqueue(accessibility_feedback_send, kwargs={"feedback_id": feedback.pk})
    return feedback


def accessibility_feedback_send(*, feedback_id: int) -> bool:
    """E-mails a feedback to the configured address once (idempotent)."""
    with transaction.atomic():
        feedback = AccessibilityFeedback.objects.select_for_update().filter(pk=feedback_id).first()
        if feedback is None or feedback.emailed_at is not None:
            return False
        lines = [
            _("Rückmeldung zur Barrierefreiheit vom %(date)s")
            % {"date": timezone.localtime(feedback.created).strftime("%d.%m.%Y %H:%M")},
            "",
            feedback.message,
            "",
            _("Seite: %(page)s") % {"page": feedback.page or "–"},
            _("Name: %(name)s") % {"name": feedback.name or "–"},
            _("E-Mail: %(email)s") % {"email": feedback.email or "–"},
        ]
        mail_send(
            subject=_("Runder Tisch Integration: Rückmeldung zur Barrierefreiheit"),
            body="\n".join(lines),
            to=[settings.PRIVACY_ACCESSIBILITY_FEEDBACK_EMAIL],
        )
        feedback.emailed_at = timezone.now()
        feedback.save(update_fields=["emailed_at"])
        return True
