import pytest

from tests.conftest import open_phases_for


@pytest.fixture
def eager_tasks(monkeypatch):
    """Tasks run inline (after the commit that queues them), no broker."""
    from roundtable.celery import app

    monkeypatch.setitem(app.conf, "task_always_eager", True)
    monkeypatch.setitem(app.conf, "task_eager_propagates", True)
    return app


@pytest.fixture
def deliver(django_capture_on_commit_callbacks, eager_tasks):
    """``with deliver():`` runs what the block queues after its commit, inline."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


@pytest.fixture(autouse=True)
def _phases_open(request):
    """The workshop work, committee work and implementation are open (tests/timeline
    tests what happens outside their phases)."""
    open_phases_for(request)
