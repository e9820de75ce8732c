"""The portal's processes as deployed, started and stopped for the tests, the benchmarks
and the load run: gunicorn, a Celery worker, PostgreSQL databases of their own.

Every process runs in a session of its own, writes stdout and stderr to a log file of its
own, is waited for until it answers (``start`` waits unless told not to, and stops what
it started when the wait fails) and is stopped by its own id, never by name: ``stop``
asks it to shut down as an operator would (SIGTERM to its main process), ``kill`` ends
it and its children at once, as a crash would.

Used by ``tests/conftest.py`` (the ``worker`` fixture), ``bench/`` (``python -m bench``)
and ``bench/load_run.py`` (``make load-run``); the portal itself never imports it.
Django is imported only where a check needs the database (a worker's heartbeat row).
"""

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TypeVar
from urllib.parse import quote, urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
T = TypeVar("T")


def free_port() -> int:
    """A TCP port on loopback that nothing listens on now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_until(
    condition: Callable[[], T],
    *,
    timeout: float,
    interval: float = 0.2,
    message: str | Callable[[], str] = "condition not met",
) -> T:
    """Calls ``condition`` until it returns something true and returns that; raises
    ``TimeoutError`` with ``message`` after ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while True:
        result = condition()
        if result:
            return result
        if time.monotonic() >= deadline:
            raise TimeoutError(message() if callable(message) else message)
        time.sleep(interval)


# --- databases -------------------------------------------------------------------------


def database_url(settings_dict: dict) -> str:
    """A ``DATABASE_URL`` for a Django database's settings (``connection.settings_dict``),
    so that a process started from here uses the same database (a test database, say)."""
    if settings_dict["ENGINE"].endswith("sqlite3"):
        return f"sqlite:///{settings_dict['NAME']}"
    auth = quote(settings_dict["USER"] or "")
    if settings_dict.get("PASSWORD"):
        auth += ":" + quote(settings_dict["PASSWORD"])
    host = settings_dict.get("HOST") or "127.0.0.1"
    port = settings_dict.get("PORT") or 5432
    return f"postgres://{auth}@{host}:{port}/{settings_dict['NAME']}"


def _database_name(url: str) -> str:
    name = urlsplit(url).path.lstrip("/")
    if not name or not name.replace("_", "").isalnum():
        raise ValueError(f"not a plain database name: {name!r}")
    return name


@contextlib.contextmanager
def postgres_connection(url: str, *, database: str | None = None):
    """An autocommit psycopg2 connection to ``url`` (or to its server's ``database``)."""
    import psycopg2

    parts = urlsplit(url)
    connection = psycopg2.connect(
        host=parts.hostname or "127.0.0.1",
        port=parts.port or 5432,
        user=parts.username or "postgres",
        password=parts.password or None,
        dbname=database or _database_name(url),
        connect_timeout=10,
    )
    connection.autocommit = True
    try:
        yield connection
    finally:
        connection.close()


def postgres_query(url: str, sql: str, params: Sequence | None = None) -> list[tuple]:
    with postgres_connection(url) as connection, connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def postgres_recreate(url: str) -> None:
    """Drops the database of ``url`` if it exists and creates it empty."""
    name = _database_name(url)
    with postgres_connection(url, database="postgres") as connection, connection.cursor() as cur:
        cur.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        cur.execute(f'CREATE DATABASE "{name}"')


def postgres_drop(url: str) -> None:
    name = _database_name(url)
    with postgres_connection(url, database="postgres") as connection, connection.cursor() as cur:
        cur.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def postgres_url_with_database(url: str, name: str) -> str:
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, "/" + name, parts.query, parts.fragment))


def manage(*args: str, env: dict, stdin: str | None = None, timeout: float = 600) -> str:
    """``manage.py ARGS`` in a process of its own with ``env``; its stdout."""
    completed = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        input=stdin,
        timeout=timeout,
    )
    if completed.returncode != 0:
        raise RuntimeError(
            f"manage.py {' '.join(args)} failed ({completed.returncode}):\n"
            f"{completed.stderr[-4000:]}"
        )
    return completed.stdout


# --- processes -------------------------------------------------------------------------


class ManagedProcess:
    """A subprocess in its own session, its output in ``log_path``.

    The first ``start`` empties the log; a restart of the same object appends to it
    (``log_since_start`` reads what the current run wrote).
    """

    def __init__(self, command: list[str], *, env: dict, log_path: Path, cwd: Path = ROOT):
        self.command = command
        self.env = {"PYTHONUNBUFFERED": "1", **env}
        self.log_path = Path(log_path)
        self.cwd = cwd
        self.process: subprocess.Popen | None = None
        self._started_once = False
        self._log_offset = 0

    def _command(self) -> list[str]:
        return self.command

    def start(self, *, wait: bool = True, timeout: float = 60) -> None:
        if self.alive():
            raise RuntimeError(f"{self} runs already")
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        with open(self.log_path, "ab" if self._started_once else "wb") as log:
            self._log_offset = log.tell()
            self.process = subprocess.Popen(
                self._command(),
                cwd=self.cwd,
                env=self.env,
                stdout=log,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                start_new_session=True,
            )
        self._started_once = True
        if wait:
            try:
                self.wait_ready(timeout=timeout)
            except BaseException:
                self.kill()
                raise

    def wait_ready(self, timeout: float = 60) -> None:
        """Until the process serves; a plain process is ready when it runs."""
        if not self.alive():
            raise RuntimeError(f"{self} did not start:\n{self.log_tail()}")

    @property
    def pid(self) -> int:
        if self.process is None:
            raise RuntimeError(f"{self} is not started")
        return self.process.pid

    def alive(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def stop(self, timeout: float = 30) -> None:
        """SIGTERM to the main process (a Celery worker's warm shutdown, gunicorn's
        graceful stop); ``kill`` if it has not ended after ``timeout`` seconds."""
        if self.alive():
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout)
            except subprocess.TimeoutExpired:
                self.kill()
        self.process = None

    def kill(self) -> None:
        """SIGKILL to the process and its children (its session's group), as a crash."""
        if self.alive():
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(10)
        self.process = None

    def __enter__(self):
        if not self.alive():
            self.start()
        return self

    def __exit__(self, *exc_info) -> None:
        self.stop()

    def log(self) -> str:
        try:
            return self.log_path.read_text(errors="replace")
        except FileNotFoundError:
            return ""

    def log_since_start(self) -> str:
        """What the current (or last) run wrote to the log."""
        try:
            with open(self.log_path, "rb") as log:
                log.seek(self._log_offset)
                return log.read().decode(errors="replace")
        except FileNotFoundError:
            return ""

    def log_tail(self, chars: int = 3000) -> str:
        return self.log()[-chars:]

    def wait_for_log(self, text: str, *, timeout: float = 60) -> None:
        """Until the current run has written ``text`` to its log."""

        def written() -> bool:
            if text in self.log_since_start():
                return True
            if not self.alive():
                raise RuntimeError(f"{self} ended before logging {text!r}:\n{self.log_tail()}")
            return False

        wait_until(
            written,
            timeout=timeout,
            message=lambda: f"{self} did not log {text!r}:\n{self.log_tail()}",
        )

    def __repr__(self) -> str:
        pid = self.process.pid if self.process else None
        return f"<{type(self).__name__} pid={pid} log={self.log_path}>"


class GunicornServer(ManagedProcess):
    """``gunicorn roundtable.wsgi`` on loopback; by default as ``make run`` deploys it
    (2 workers × 4 threads, a listening socket per worker, 60 s timeout)."""

    def __init__(
        self,
        *,
        env: dict,
        log_path: Path,
        port: int | None = None,
        workers: int = 2,
        threads: int = 4,
        timeout: int = 60,
        reuse_port: bool = True,
        extra_args: Sequence[str] = (),
    ):
        self.port = port or free_port()
        super().__init__(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "roundtable.wsgi",
                "--bind",
                f"127.0.0.1:{self.port}",
                "--workers",
                str(workers),
                "--threads",
                str(threads),
                "--timeout",
                str(timeout),
                *(["--reuse-port"] if reuse_port else []),
                *extra_args,
            ],
            env=env,
            log_path=log_path,
        )
        self.ready_path = "/healthz"
        self.ready_status: int | None = None

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def wait_ready(self, timeout: float = 60) -> None:
        """Until the server answers ``ready_path`` with any status (``/healthz`` says 503
        without a worker: it answers all the same); the status is ``ready_status``."""

        def answers() -> bool:
            if not self.alive():
                raise RuntimeError(f"gunicorn did not start:\n{self.log_tail()}")
            url = self.base_url + self.ready_path
            try:
                with urllib.request.urlopen(url, timeout=5) as response:  # noqa: S310 - loopback
                    self.ready_status = response.status
            except urllib.error.HTTPError as error:
                self.ready_status = error.code
            except OSError:
                return False
            return True

        wait_until(
            answers, timeout=timeout, message=lambda: f"gunicorn did not answer:\n{self.log_tail()}"
        )


class CeleryWorker(ManagedProcess):
    """``celery -A roundtable worker`` with a host name of its own, ready when its
    heartbeat row is in the database and its consumer has logged "ready." (so that
    nothing measured or tested includes the worker's start). Waiting reads the
    database: Django must be set up in this process, on the worker's database."""

    def __init__(
        self,
        *,
        env: dict,
        log_path: Path,
        name: str = "worker",
        concurrency: int = 1,
        extra_args: Sequence[str] = (),
    ):
        self.hostname = f"{name}-{uuid.uuid4().hex[:8]}@localhost"
        self.concurrency = concurrency
        self.extra_args = list(extra_args)
        super().__init__([], env=env, log_path=log_path)

    def _command(self) -> list[str]:
        return [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "roundtable",
            "worker",
            "--loglevel",
            "INFO",  # for the "ready." line: the consumer is taking messages
            "--concurrency",
            str(self.concurrency),
            "--hostname",
            self.hostname,
            "--without-gossip",
            "--without-mingle",
            *self.extra_args,
        ]

    def start(
        self, *, wait: bool = True, timeout: float = 60, extra_args: Sequence[str] | None = None
    ) -> None:
        """``extra_args``: further command-line arguments from this start on (a test's
        slow render, say)."""
        from roundtable.operations.models import WorkerHeartbeat

        if extra_args is not None:
            self.extra_args = list(extra_args)

        # a killed run leaves its row behind: it must not count as this run's
        WorkerHeartbeat.objects.filter(hostname=self.hostname).delete()
        super().start(wait=wait, timeout=timeout)

    def wait_ready(self, timeout: float = 60) -> None:
        from roundtable.operations.models import WorkerHeartbeat

        def ready() -> bool:
            if not self.alive():
                raise RuntimeError(f"worker did not start:\n{self.log_tail(4000)}")
            return (
                f"{self.hostname} ready." in self.log_since_start()
                and WorkerHeartbeat.objects.filter(hostname=self.hostname).exists()
            )

        wait_until(
            ready, timeout=timeout, message=lambda: f"worker not ready:\n{self.log_tail(4000)}"
        )
