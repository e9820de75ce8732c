"""Tasks of the notifications app: thin wrappers that call one service. The e-mails are
queued through the outbox (roundtable.operations.outbox) with the rows they come from."""

from celery import shared_task

from . import services


@shared_task(name="roundtable.notifications.tasks.notification_email_send")
def notification_email_send(notification_id: int) -> bool:
    return services.notification_email_send(notification_id=notification_id)


@shared_task(name="roundtable.notifications.tasks.digest_send")
def digest_send(user_id: int) -> bool:
    return services.digest_send(user_id=user_id)


@shared_task(name="roundtable.notifications.tasks.digests_queue")
def digests_queue() -> int:
    return services.digests_queue()
