import contextlib
import os

import pytest

from tests.conftest import open_phases_for

#: ``WorkerProcess.start(extra_args=SLOW_RENDER)``: a worker whose report rendering
#: steps take ``SLOW_RENDER_STEP_SECONDS`` (its environment) longer; see slow_render.py.
SLOW_RENDER = ["--include", "tests.committees.slow_render"]


@pytest.fixture
def eager_celery(monkeypatch):
    """Tasks run inline (no broker); retries with a countdown run at once."""
    from roundtable.celery import app

    monkeypatch.setitem(app.conf, "task_always_eager", True)
    monkeypatch.setitem(app.conf, "task_eager_propagates", True)
    return app


@pytest.fixture
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "files"
    return settings.MEDIA_ROOT


@contextlib.contextmanager
def broker_at(url: str):
    """Points this process's Celery app at another (Redis) broker, and back afterwards:
    with the key prefix the workers started by the test use (``REDIS_KEY_PREFIX``), also
    when this process itself runs on the embedded default's filesystem broker."""
    from django.conf import settings

    from roundtable.celery import app

    def reset():
        app._pool = None
        app.amqp._producer_pool = None

    old = app.conf.broker_url, app.conf.broker_transport_options
    app.conf.broker_url = url
    prefix = os.environ.get("REDIS_KEY_PREFIX", settings.REDIS_KEY_PREFIX)
    app.conf.broker_transport_options = {"global_keyprefix": prefix} if prefix else {}
    reset()
    try:
        yield app
    finally:
        app.conf.broker_url, app.conf.broker_transport_options = old
        reset()


@pytest.fixture(autouse=True)
def _phases_open(request):
    """The workshop work, committee work and implementation are open (tests/timeline
    tests what happens outside their phases)."""
    open_phases_for(request)
