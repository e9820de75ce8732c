"""The bench's own world: a separate PostgreSQL database (created and dropped here),
Redis DB 12, its own var dir, DEBUG off, and the processes of a deployment
(gunicorn, a Celery worker: ``bench/harness.py``) started on loopback and stopped again
by their ids.
"""

import os
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from . import harness
from .harness import ROOT, GunicornServer, postgres_drop, postgres_recreate

DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/rt_bench"
DEFAULT_REDIS_URL = "redis://127.0.0.1:6379/12"
GUNICORN_WORKERS = 2
GUNICORN_THREADS = 4  # as `make run` deploys it


@dataclass(frozen=True)
class BenchConfig:
    database_url: str
    redis_url: str
    var_dir: Path

    @property
    def database_name(self) -> str:
        return urlsplit(self.database_url).path.lstrip("/")

    @classmethod
    def from_environment(cls) -> "BenchConfig":
        return cls(
            database_url=os.environ.get("BENCH_DATABASE_URL", DEFAULT_DATABASE_URL),
            redis_url=os.environ.get("BENCH_REDIS_URL", DEFAULT_REDIS_URL),
            var_dir=Path(os.environ.get("BENCH_VAR_DIR", ROOT / "var" / "bench")),
        )

    def process_environment(self, **extra: str) -> dict[str, str]:
        """What every process of the bench (this one, gunicorn, the worker) runs with."""
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "roundtable.settings",
            "DATABASE_URL": self.database_url,
            "REDIS_URL": self.redis_url,
            "VAR_DIR": str(self.var_dir),
            "DEBUG": "false",
            "PRODUCTION": "false",
            "CELERY_TASK_ALWAYS_EAGER": "false",
            "LOG_LEVEL": "WARNING",
            "PYTHONUNBUFFERED": "1",
        }
        env.pop("TESTING", None)
        env.update(extra)
        return env


def database_name_check(name: str) -> None:
    """The bench drops its database: never let it point at someone else's."""
    if not name.startswith("rt_bench") and "bench" not in name:
        raise SystemExit(f"refusing to use database {name!r}: its name must contain 'bench'")


def django_setup(config: BenchConfig) -> None:
    """Points this process at the bench database and starts Django."""
    database_name_check(config.database_name)
    config.var_dir.mkdir(parents=True, exist_ok=True)
    # the ceiling view in this process too: list-live measures its CPU in-process
    os.environ.update(config.process_environment(BENCH_BASELINE="1"))
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def database_recreate(config: BenchConfig) -> None:
    from django.db import connections

    connections.close_all()
    database_name_check(config.database_name)
    postgres_recreate(config.database_url)


def database_drop(config: BenchConfig) -> None:
    from django.db import connections

    connections.close_all()
    database_name_check(config.database_name)
    postgres_drop(config.database_url)


def redis_flush(config: BenchConfig) -> None:
    """Empties the bench's own Redis database (DB 12), nothing else."""
    import redis

    client = redis.Redis.from_url(config.redis_url)
    try:
        client.flushdb()
    finally:
        client.close()


def prepare(config: BenchConfig, *, ideas: int, log=print) -> dict:
    """Fresh database, migrated, static files collected, the demo world (with the
    workshop work open) and ``ideas`` bench ideas (``seed_bench``), then VACUUM ANALYZE
    as autovacuum would have done on a server that has been running for a while."""
    from django.core.management import call_command
    from django.db import connection

    database_recreate(config)
    started = time.monotonic()
    call_command("migrate", verbosity=0, interactive=False)
    call_command("collectstatic", verbosity=0, interactive=False)
    # the workshop work open today: the board is bound to its phase
    call_command("seed_demo", open_phase="workshop", verbosity=0)
    if ideas:
        from roundtable.demo.bench import seed_bench

        seed_bench(count=ideas)
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    from ideas.models import Idea

    total = Idea.objects.count()
    log(f"prepared {config.database_name}: {total} ideas in {time.monotonic() - started:.0f} s")
    return {"ideas_total": total}


class Gunicorn(GunicornServer):
    """gunicorn as ``make run`` deploys it, on the bench's database and Redis."""

    def __init__(self, config: BenchConfig, *, baseline: bool = True):
        super().__init__(
            env=config.process_environment(BENCH_BASELINE="1" if baseline else "0"),
            log_path=config.var_dir / "gunicorn.log",
            workers=GUNICORN_WORKERS,
            threads=GUNICORN_THREADS,
            # as `make run`: a listening socket per worker, so that the kernel spreads
            # kept-alive connections over both (with one shared socket, one worker
            # often took all 16 and the other idled: docs/benchmarks.md)
            reuse_port=True,
            extra_args=["--log-level", "warning"],
        )


class CeleryWorker(harness.CeleryWorker):
    def __init__(self, config: BenchConfig, *, concurrency: int = 2):
        super().__init__(
            env=config.process_environment(),
            log_path=config.var_dir / "worker.log",
            name="bench",
            concurrency=concurrency,
        )


def session_cookies(users) -> list[str]:
    """One logged-in session per user, made the way a login makes it."""
    from django.conf import settings
    from django.test import Client

    cookies = []
    for user in users:
        client = Client(SERVER_NAME="127.0.0.1")
        client.force_login(user)
        cookies.append(
            f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"
        )
    return cookies


def http_get(
    url: str, *, cookie: str | None = None, timeout: float = 60
) -> tuple[int, dict, bytes]:
    """One GET without following redirects: (status, headers, body)."""

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    if not url.startswith("http://127.0.0.1:"):
        raise ValueError("the bench talks to its own server on loopback only")
    opener = urllib.request.build_opener(NoRedirect)
    request = urllib.request.Request(url, headers={"Cookie": cookie} if cookie else {})  # noqa: S310
    try:
        with opener.open(request, timeout=timeout) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


def load_average() -> list[float]:
    return [round(v, 2) for v in os.getloadavg()]
