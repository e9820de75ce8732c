import pytest


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
