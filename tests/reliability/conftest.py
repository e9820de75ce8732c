import os
import shutil

import pytest

from bench.harness import CeleryWorker
from tests.committees.conftest import SLOW_RENDER
from tests.conftest import _database_url_of_test_db, open_phases_for

from .harness import Gunicorn, PrivateRedis

pytestmark = pytest.mark.worker


@pytest.fixture
def private_redis(tmp_path):
    if not shutil.which("redis-server"):
        pytest.skip("redis-server is not installed")
    redis = PrivateRedis(tmp_path)
    redis.start()
    yield redis
    redis.stop()


@pytest.fixture
def deployment_env(transactional_db, tmp_path, private_redis):
    """What gunicorn and the workers of a fault test run with: the test database, the
    private Redis as broker and cache, e-mails into files (seen across processes)."""
    (tmp_path / "mail").mkdir()
    (tmp_path / "var").mkdir()
    return {
        **os.environ,
        "DATABASE_URL": _database_url_of_test_db(),
        "REDIS_URL": private_redis.url,
        "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
        "EMAIL_FILE_PATH": str(tmp_path / "mail"),
        "MEDIA_ROOT": str(tmp_path / "files"),
        "VAR_DIR": str(tmp_path / "var"),
        "CELERY_TASK_ALWAYS_EAGER": "false",
        "PYTHONUNBUFFERED": "1",
        "LOG_LEVEL": "INFO",
    }


@pytest.fixture
def web(deployment_env, tmp_path):
    server = Gunicorn(env=deployment_env, tmp=tmp_path)
    yield server
    server.stop()


@pytest.fixture
def start_worker(deployment_env, tmp_path):
    """Starts worker processes on the private Redis: ``start_worker(queues=..., beat=...)``."""
    started: list[CeleryWorker] = []

    def start(*, queues=None, beat=False, **env) -> CeleryWorker:
        extra = ["--queues", ",".join(queues)] if queues else []
        if beat:
            extra += ["--beat", "--schedule", str(tmp_path / f"beat-{len(started)}")]
        delay = env.pop("COMMITTEES_REPORT_STEP_DELAY", None)
        if delay is not None:  # a slow render: tests/committees/slow_render.py
            extra += SLOW_RENDER
            env["SLOW_RENDER_STEP_SECONDS"] = delay
        process = CeleryWorker(
            env={**deployment_env, **{key: str(value) for key, value in env.items()}},
            log_path=tmp_path / f"worker-{len(started)}.log",
            name=f"fault{len(started)}",
            extra_args=extra,
        )
        process.start()
        started.append(process)
        return process

    yield start
    for process in started:
        process.kill()


def mails_sent(tmp_path) -> list[str]:
    """Subjects of the e-mails the workers' file backend wrote (one file per connection,
    messages separated by a line of 79 dashes)."""
    import email
    from email.header import decode_header, make_header

    subjects = []
    for path in sorted((tmp_path / "mail").glob("*")):
        for chunk in path.read_text(errors="replace").split("-" * 79):
            if "Subject:" in chunk:
                message = email.message_from_string(chunk.strip())
                subjects.append(str(make_header(decode_header(message["Subject"]))))
    return subjects


@pytest.fixture(autouse=True)
def _phases_open(request):
    """The workshop work, committee work and implementation are open (tests/timeline
    tests what happens outside their phases)."""
    open_phases_for(request)
