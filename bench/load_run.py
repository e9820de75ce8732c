"""Load and fault run: N idea submissions from C concurrent clients against gunicorn on
PostgreSQL, optionally with a PostgreSQL restart in the middle.

    make load-run LOAD_ARGS="--ideas 1000 --clients 16 --restart-postgres"
    .venv/bin/python -m bench load-run --ideas 1000 --clients 16 --restart-postgres

It makes its own database (dropped afterwards), seeds it with an open Ideenwerkstatt,
starts gunicorn, and lets each client log in through the login form and submit ideas
through /ideen/neu/ with an ``Idempotency-Key`` per idea. A 503 (database briefly away)
must carry the retry message; the client then sends the same submission again, as a
person would. At the end every idea must be stored exactly once and whole.
Prints one JSON object; exit status 1 if anything is off.
"""

import argparse
import html
import http.cookiejar
import json
import os
import re
import secrets
import shutil
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid

from .harness import (
    ROOT,
    GunicornServer,
    manage,
    postgres_drop,
    postgres_query,
    postgres_recreate,
    postgres_url_with_database,
    wait_until,
)

RETRY_TEXT = "erneut versuchen"


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


class Client:
    def __init__(self, base: str):
        self.base = base
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.jar), NoRedirect
        )

    def request(self, path: str, data: dict | None = None, headers: dict | None = None):
        body = urllib.parse.urlencode(data, doseq=True).encode() if data is not None else None
        request = urllib.request.Request(  # noqa: S310 - http only, our own server
            self.base + path, data=body, headers=headers or {}
        )
        try:
            with self.opener.open(request, timeout=60) as response:
                return response.status, dict(response.headers), response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, dict(error.headers), error.read().decode(errors="replace")

    def csrf(self, page: str) -> str:
        return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)

    def login(self, username: str, password: str) -> None:
        _, _, page = self.request("/accounts/login/")
        status, _, _ = self.request(
            "/accounts/login/",
            {"username": username, "password": password, "csrfmiddlewaretoken": self.csrf(page)},
        )
        assert status == 302, f"login of {username} answered {status}"


def restart_postgres() -> float:
    version = os.listdir("/etc/postgresql")[0]
    started = time.monotonic()
    subprocess.run(
        ["pg_ctlcluster", "--skip-systemctl-redirect", version, "main", "restart"],
        check=True,
        capture_output=True,
    )
    return time.monotonic() - started


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--ideas", type=int, default=200)
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--workers", type=int, default=4, help="gunicorn workers")
    parser.add_argument("--restart-postgres", action="store_true")
    parser.add_argument("--pg", default="postgres://postgres@127.0.0.1:5432")


def _prepare(env: dict, *, users: list[str], password: str) -> None:
    manage("migrate", "--noinput", env=env)
    manage("collectstatic", "--noinput", env=env)
    manage("seed_demo", "--open", "ideenwerkstatt", env=env)
    manage(
        "shell",
        "--no-imports",
        "-c",
        "from django.contrib.auth import get_user_model\n"
        "from participants.models import Profile, Role\n"
        f"for name in {users!r}:\n"
        "    u = get_user_model().objects.create_user(name, password=" + repr(password) + ")\n"
        "    Profile.objects.create(user=u, role=Role.STAFF)\n",
        env=env,
    )


def _query(url: str, sql: str) -> list[tuple]:
    """``sql`` on the load database, waiting for PostgreSQL if it is still coming back."""

    def answer():
        try:
            return [postgres_query(url, sql)]
        except Exception:  # psycopg2.OperationalError while the cluster restarts
            return None

    return wait_until(answer, timeout=30, interval=1, message="PostgreSQL did not come back")[0]


def run(args: argparse.Namespace) -> int:
    database = f"rt_load_{os.getpid()}"
    database_url = postgres_url_with_database(args.pg, database)
    var_dir = ROOT / "var" / f"load-{os.getpid()}"
    password = "Lastlauf-" + secrets.token_urlsafe(12)
    env = {
        **{k: v for k, v in os.environ.items() if k not in ("REDIS_URL", "TESTING")},
        "DATABASE_URL": database_url,
        "VAR_DIR": str(var_dir),
        "DEMO_PASSWORD": password,
        "CELERY_TASK_ALWAYS_EAGER": "false",
        "LOG_LEVEL": "WARNING",
    }
    postgres_recreate(database_url)
    server = GunicornServer(
        env=env,
        log_path=var_dir / "gunicorn.log",
        workers=args.workers,
        threads=4,
        timeout=60,
        reuse_port=False,
    )
    try:
        log(f"preparing {database}")
        users = [f"last{n:02d}" for n in range(args.clients)]
        _prepare(env, users=users, password=password)
        server.start()  # waits until it answers
        base = server.base_url

        expected = {
            f"Lastlauf Idee {i:05d}": f"Beschreibung der Idee {i} – Grüße aus Siegburg"
            for i in range(args.ideas)
        }
        queue = list(expected.items())
        lock = threading.Lock()
        stats = {
            "requests": 0,
            "stored": 0,
            "errors": [],
            "retries": 0,
            "retry_messages": 0,
            "replays": 0,
            "latencies": [],
        }

        def next_item():
            with lock:
                return queue.pop() if queue else None

        def run_client(username: str):
            try:
                submit_all(username)
            except Exception as exc:  # a crashed client is an error, not a silent gap
                with lock:
                    stats["errors"].append(f"{username}: {exc!r}")

        def submit_all(username: str):
            client = Client(base)
            client.login(username, password)
            _, _, form = client.request("/ideen/neu/")
            topic = re.search(r'<select name="topic".*?<option value="(\d+)"', form, re.S).group(1)
            token = client.csrf(form)
            while (item := next_item()) is not None:
                title, description = item
                key = str(uuid.uuid4())
                for attempt in range(30):
                    started = time.monotonic()
                    try:
                        status, headers, body = client.request(
                            "/ideen/neu/",
                            {
                                "title": title,
                                "description": description,
                                "topic": topic,
                                "csrfmiddlewaretoken": token,
                            },
                            {"Idempotency-Key": key},
                        )
                    except OSError as exc:
                        status, headers, body = 0, {}, str(exc)
                    with lock:
                        stats["requests"] += 1
                        stats["latencies"].append(time.monotonic() - started)
                    if status == 302 and "/ideen/" in headers.get("Location", ""):
                        with lock:
                            stats["stored"] += 1
                            stats["replays"] += headers.get("Idempotent-Replay") == "true"
                        break
                    if status == 503:
                        with lock:
                            stats["retries"] += 1
                            stats["retry_messages"] += RETRY_TEXT in html.unescape(body)
                        # the same submission again, as a person would (same key, same token)
                        time.sleep(float(headers.get("Retry-After", "1")) / 5 + 0.2 * attempt)
                        continue
                    with lock:
                        stats["errors"].append(f"{title}: {status} {body[:200]}")
                    break

        started = time.monotonic()
        threads = [threading.Thread(target=run_client, args=(u,)) for u in users]
        for thread in threads:
            thread.start()
        restart = None
        if args.restart_postgres:

            def restart_due() -> bool:
                with lock:
                    if stats["stored"] >= args.ideas * 0.4 or not queue:
                        return True
                return not any(thread.is_alive() for thread in threads)

            wait_until(restart_due, timeout=3600, interval=0.05)
            log("restarting PostgreSQL")
            restart = restart_postgres()
            log(f"PostgreSQL back after {restart:.1f} s")
        for thread in threads:
            thread.join()
        duration = time.monotonic() - started

        stored = _query(
            database_url,
            "SELECT title, description FROM ideas_idea WHERE title LIKE 'Lastlauf Idee %'",
        )
        total = len(stored)
        distinct = len({title for title, _description in stored})
        whole = sum(1 for title, description in stored if expected.get(title) == description)
        latencies = sorted(stats["latencies"])
        result = {
            "ideas": args.ideas,
            "clients": args.clients,
            "gunicorn_workers": args.workers,
            "postgres_restarted": args.restart_postgres,
            "postgres_restart_seconds": round(restart, 2) if restart else None,
            "requests": stats["requests"],
            "errors": len(stats["errors"]),
            "retries_503": stats["retries"],
            "retries_with_message": stats["retry_messages"],
            "idempotent_replays": stats["replays"],
            "stored_rows": total,
            "distinct_titles": distinct,
            "whole_rows": whole,
            "duration_seconds": round(duration, 1),
            "submissions_per_second": round(args.ideas / duration, 1),
            "latency_p50_ms": round(latencies[len(latencies) // 2] * 1000) if latencies else None,
            "latency_p95_ms": round(latencies[int(len(latencies) * 0.95)] * 1000)
            if latencies
            else None,
        }
        ok = (
            not stats["errors"]
            and total == distinct == whole == args.ideas
            and stats["retry_messages"] == stats["retries"]
        )
        result["ok"] = ok
        for error in stats["errors"][:10]:
            log(error)
        if not ok:
            log(f"gunicorn's log (end):\n{server.log_tail()}")
        print(json.dumps(result))
        return 0 if ok else 1
    finally:
        server.stop()
        shutil.rmtree(var_dir, ignore_errors=True)
        # PostgreSQL may still be coming back from the restart
        wait_until(
            lambda: _dropped(database_url),
            timeout=30,
            interval=1,
            message=f"database {database} not dropped",
        )


def _dropped(database_url: str) -> bool:
    try:
        postgres_drop(database_url)
    except Exception:  # psycopg2.OperationalError while the cluster restarts
        return False
    return True


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench load-run", description=__doc__)
    add_arguments(parser)
    return run(parser.parse_args(argv))


if __name__ == "__main__":
    sys.exit(main())
