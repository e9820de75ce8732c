"""The authors' e-mails go through a real Celery worker, queued after the commit."""

import time

import pytest

from roundtable.implementation import services
from roundtable.implementation.models import Measure
from roundtable.notifications.models import Kind, Notification

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


def test_worker_sends_the_started_notice_once(worker, measure, moderator):
    services.measure_set_status(measure=measure, status=Measure.Status.STARTED, by=moderator)
    told = Notification.objects.filter(kind=Kind.MEASURE)
    assert told.count() == 2
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and told.filter(emailed_at__isnull=True).exists():
        time.sleep(0.3)
    assert not told.filter(emailed_at__isnull=True).exists(), worker.log()[-3000:]
    for notification in told:
        assert f"To: {notification.recipient.email}" in worker.log()
    # the status going back and forth tells nobody again
    assert services.measure_notify(measure=measure, kind="started", by=moderator) is False
