"""The authors' e-mail goes through a real Celery worker, queued after the commit."""

import time

import pytest

from roundtable.implementation import services
from roundtable.implementation.models import Measure, MeasureNotice

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


def test_worker_sends_the_started_notice_once(worker, measure, moderator):
    services.measure_set_status(measure=measure, status=Measure.Status.STARTED, by=moderator)
    deadline = time.monotonic() + 60
    notice = None
    while time.monotonic() < deadline:
        notice = MeasureNotice.objects.filter(measure=measure, kind="started").first()
        if notice is not None and notice.sent_at is not None:
            break
        time.sleep(0.3)
    assert notice is not None and notice.sent_at is not None, worker.log()[-3000:]
    assert len(notice.recipients) == 2
    # a second delivery of the same task sends nothing
    assert services.measure_notify_authors(measure_id=measure.pk, kind="started") is False
