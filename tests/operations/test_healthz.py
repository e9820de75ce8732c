import json

import pytest

pytestmark = pytest.mark.worker


def test_healthz_needs_no_login_and_is_503_without_worker(client, db):
    response = client.get("/healthz")
    assert response.status_code == 503
    body = json.loads(response.content)
    assert body["database"]["ok"] is True
    assert body["broker"]["ok"] is True
    assert body["worker"] == {"ok": False, "workers": 0}
    assert body["ok"] is False


def test_healthz_follows_the_real_worker(client, worker):
    response = client.get("/healthz")
    assert response.status_code == 200, response.content
    assert json.loads(response.content)["worker"] == {"ok": True, "workers": 1}

    worker.stop()  # a warm shutdown removes the heartbeat at once
    response = client.get("/healthz")
    assert response.status_code == 503
    assert json.loads(response.content)["worker"]["ok"] is False


def test_healthz_reports_a_broker_that_cannot_be_reached(client, db, settings):
    from roundtable.celery import app

    original = app.conf.broker_url
    app.conf.broker_url = "redis://127.0.0.1:1/0"  # nothing listens on port 1
    try:
        response = client.get("/healthz")
    finally:
        app.conf.broker_url = original
    assert response.status_code == 503
    assert json.loads(response.content)["broker"]["ok"] is False
