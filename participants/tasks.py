"""Celery tasks of the participants app: thin wrappers that load by id and call one
service (queued through the outbox, so a task may run twice: the services are
idempotent)."""

from celery import shared_task

from . import invitations, services
from .directory.services import directory_accounts_check


@shared_task
def invitation_send_task(invitation_id: int, nonce: str) -> bool:
    return invitations.invitation_send(invitation_id=invitation_id, nonce=nonce)


@shared_task
def participation_request_send_task(request_id: int) -> bool:
    return services.participation_request_send(request_id=request_id)


@shared_task
def password_reset_send_task(user_id: int) -> bool:
    from .accounts import password_reset_send

    return password_reset_send(user_id=user_id)


@shared_task
def directory_accounts_check_task() -> dict:
    """Nightly: deactivate the accounts the directory no longer finds."""
    return directory_accounts_check()


@shared_task
def invitations_purge_task() -> int:
    return invitations.invitation_purge()
