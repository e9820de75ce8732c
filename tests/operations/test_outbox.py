"""The outbox: side effects written with the change, delivered once, never lost."""

import time

import pytest
from django.core import mail
from django.db import transaction

from ideas.models import Idea, IdeaStatusChange
from ideas.services import idea_status_change
from roundtable.notifications.models import Notification
from roundtable.operations import outbox
from roundtable.operations.models import OutboxMessage
from tests.factories import IdeaFactory

NOTIFY = "roundtable.notifications.tasks.notification_email_send"


def _accept(idea, moderator) -> IdeaStatusChange:
    return idea_status_change(idea=idea, by=moderator, to_status=Idea.Status.ACCEPTED)


@pytest.mark.django_db(transaction=True)
def test_a_rolled_back_change_leaves_no_message(moderator, staff_user):
    idea = IdeaFactory(author=staff_user)
    with pytest.raises(RuntimeError), transaction.atomic():
        _accept(idea, moderator)
        assert OutboxMessage.objects.count() == 1
        raise RuntimeError("the change fails after the message was written")
    assert OutboxMessage.objects.count() == 0


@pytest.mark.django_db(transaction=True)
def test_a_broker_that_is_down_does_not_fail_the_committed_change(
    moderator, staff_user, monkeypatch
):
    def broker_down(*args, **kwargs):
        raise ConnectionRefusedError("broker down")

    monkeypatch.setattr(outbox.current_app, "connection_for_write", broker_down)
    idea = IdeaFactory(author=staff_user)
    _accept(idea, moderator)  # no exception: the change is committed
    message = OutboxMessage.objects.get()
    notification = Notification.objects.get(recipient=staff_user)
    assert (message.task, message.kwargs) == (NOTIFY, {"notification_id": notification.pk})
    assert message.state == OutboxMessage.State.PENDING
    assert message.published_at is None  # the sweep will publish it
    idea.refresh_from_db()
    assert idea.status == Idea.Status.ACCEPTED


@pytest.mark.django_db
def test_delivery_runs_the_task_once(moderator, staff_user, django_capture_on_commit_callbacks):
    idea = IdeaFactory(author=staff_user)
    with django_capture_on_commit_callbacks(execute=False):
        _accept(idea, moderator)
    message = OutboxMessage.objects.get()
    assert outbox.outbox_deliver(message_id=message.pk, worker="w1") is True
    assert outbox.outbox_deliver(message_id=message.pk, worker="w2") is False
    assert len(mail.outbox) == 1
    message.refresh_from_db()
    assert (message.state, message.attempts, message.claimed_by) == ("done", 1, "w1")
    assert Notification.objects.get(recipient=staff_user).emailed_at is not None


@pytest.mark.django_db
def test_a_claimed_message_is_not_delivered_twice_until_its_lease_ends(
    moderator, staff_user, django_capture_on_commit_callbacks, settings
):
    idea = IdeaFactory(author=staff_user)
    with django_capture_on_commit_callbacks(execute=False):
        _accept(idea, moderator)
    message = OutboxMessage.objects.get()
    from django.utils import timezone

    from roundtable.operations.models import WorkerHeartbeat

    WorkerHeartbeat.objects.create(hostname="busy-worker", last_seen=timezone.now())
    claimed = outbox._claim(message.pk, worker="busy-worker")
    assert claimed is not None
    assert outbox.outbox_deliver(message_id=message.pk) is False  # still leased
    assert outbox.outbox_sweep() == 0  # nothing due: a live worker holds it
    settings.OUTBOX_LEASE_SECONDS = 0
    OutboxMessage.objects.filter(pk=message.pk).update(claimed_until=claimed.created)
    assert outbox.outbox_deliver(message_id=message.pk) is True
    assert len(mail.outbox) == 1


@pytest.mark.django_db
def test_a_failing_task_is_retried_later_and_given_up_after_the_last_attempt(
    settings, django_capture_on_commit_callbacks
):
    settings.OUTBOX_MAX_ATTEMPTS = 2
    with django_capture_on_commit_callbacks(execute=False):
        message = outbox.enqueue(NOTIFY, kwargs={"notification_id": 999_999_999, "unexpected": 1})
    assert outbox.outbox_deliver(message_id=message.pk) is False
    message.refresh_from_db()
    assert message.state == OutboxMessage.State.PENDING
    assert message.attempts == 1
    assert "TypeError" in message.last_error
    assert message.available_at > message.created
    assert message.published_at is None
    OutboxMessage.objects.filter(pk=message.pk).update(available_at=message.created)
    assert outbox.outbox_deliver(message_id=message.pk) is False
    message.refresh_from_db()
    assert (message.state, message.attempts) == (OutboxMessage.State.FAILED, 2)


@pytest.mark.django_db
def test_a_key_makes_a_message_unique(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        first = outbox.enqueue(NOTIFY, kwargs={"notification_id": 1}, key="notification-1")
        second = outbox.enqueue(NOTIFY, kwargs={"notification_id": 1}, key="notification-1")
    assert first.pk == second.pk
    assert OutboxMessage.objects.count() == 1
    assert len(callbacks) == 1


@pytest.mark.worker
def test_the_sweep_publishes_what_the_broker_lost_and_a_real_worker_delivers_it(
    worker, moderator, staff_user, monkeypatch
):
    """The message is written while the broker is away; the sweep, run once the broker
    is back, hands it to a real worker, which sends the mail and marks it done."""
    real_connection = outbox.current_app.connection_for_write

    def broker_down(*args, **kwargs):
        raise ConnectionRefusedError("broker down")

    monkeypatch.setattr(outbox.current_app, "connection_for_write", broker_down)
    _accept(IdeaFactory(author=staff_user), moderator)
    message = OutboxMessage.objects.get()
    assert message.published_at is None
    monkeypatch.setattr(outbox.current_app, "connection_for_write", real_connection)

    assert outbox.outbox_sweep() == 1
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        message.refresh_from_db()
        if message.state == OutboxMessage.State.DONE:
            break
        time.sleep(0.2)
    assert message.state == OutboxMessage.State.DONE, worker.log()[-3000:]
    assert message.attempts == 1
    assert Notification.objects.get(recipient=staff_user).emailed_at is not None
    assert outbox.outbox_sweep() == 0  # done is done


@pytest.mark.django_db
def test_the_sweep_releases_a_message_whose_worker_died(
    moderator, staff_user, django_capture_on_commit_callbacks, monkeypatch
):
    """Finding 2 for the outbox: a message claimed by a worker without a fresh heartbeat
    is delivered again at the next sweep, not when its lease (minutes) ends."""
    from django.utils import timezone

    from roundtable.operations.models import WorkerHeartbeat

    WorkerHeartbeat.objects.create(hostname="alive@host", last_seen=timezone.now())
    with django_capture_on_commit_callbacks(execute=False):
        _accept(IdeaFactory(author=staff_user), moderator)
        _accept(IdeaFactory(author=staff_user), moderator)
    orphaned, running = OutboxMessage.objects.order_by("pk")
    assert outbox._claim(orphaned.pk, worker="killed@host") is not None
    assert outbox._claim(running.pk, worker="alive@host") is not None
    published = []
    monkeypatch.setattr(
        outbox,
        "publish",
        lambda task, *, args, queue=None, countdown=None: published.append(args) or True,
    )
    assert outbox.outbox_sweep() == 1
    assert published == [(orphaned.pk,)]
    assert outbox.outbox_deliver(message_id=orphaned.pk, worker="new@host") is True
    assert outbox.outbox_deliver(message_id=running.pk, worker="new@host") is False


@pytest.mark.django_db(transaction=True)
def test_a_worker_that_finds_the_row_locked_by_the_publisher_waits_for_it():
    """The publisher marks the row published right after handing the message over; a
    worker quick enough to meet that UPDATE still running gave the message up (skipped
    the locked row) and the e-mail waited a minute for the sweep."""
    import threading

    from django.db import connection, connections
    from django.utils import timezone

    if connection.vendor != "postgresql":
        pytest.skip("row locks: PostgreSQL")
    message = OutboxMessage.objects.create(
        task="roundtable.operations.tasks.sessions_clear", kwargs={}, queue="mail"
    )
    locked, release = threading.Event(), threading.Event()

    def publisher():
        try:
            with transaction.atomic():
                OutboxMessage.objects.filter(pk=message.pk).update(published_at=timezone.now())
                locked.set()
                release.wait(10)
        finally:
            connections.close_all()

    thread = threading.Thread(target=publisher)
    thread.start()
    assert locked.wait(10)
    threading.Timer(0.5, release.set).start()
    started = time.monotonic()
    assert outbox.outbox_deliver(message_id=message.pk, worker="schnell") is True
    assert time.monotonic() - started >= 0.4  # it waited for the publisher's commit
    thread.join(10)
    done = OutboxMessage.objects.get(pk=message.pk)
    assert done.state == OutboxMessage.State.DONE and done.published_at is not None
