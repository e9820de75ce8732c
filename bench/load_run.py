"""Load and fault run: N idea submissions from C concurrent clients against gunicorn on
PostgreSQL, optionally with a PostgreSQL restart in the middle.

    .venv/bin/python tests/operations/load_ideas.py --ideas 1000 --clients 16 --restart-postgres

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
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PY = sys.executable
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


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def psql(url: str, sql: str) -> str:
    return subprocess.run(
        ["psql", url, "-Atc", sql], check=True, capture_output=True, text=True
    ).stdout.strip()


def manage(env: dict, *args: str, stdin: str | None = None) -> str:
    return subprocess.run(
        [PY, "manage.py", *args],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        text=True,
        input=stdin,
    ).stdout


def restart_postgres() -> float:
    version = os.listdir("/etc/postgresql")[0]
    started = time.monotonic()
    subprocess.run(
        ["pg_ctlcluster", "--skip-systemctl-redirect", version, "main", "restart"],
        check=True,
        capture_output=True,
    )
    return time.monotonic() - started


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--ideas", type=int, default=200)
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--workers", type=int, default=4, help="gunicorn workers")
    parser.add_argument("--restart-postgres", action="store_true")
    parser.add_argument("--pg", default="postgres://postgres@127.0.0.1:5432")
    args = parser.parse_args()

    database = f"rt_load_{os.getpid()}"
    var_dir = ROOT / "var" / f"load-{os.getpid()}"
    password = "Lastlauf-" + secrets.token_urlsafe(12)
    env = {
        **{k: v for k, v in os.environ.items() if k not in ("REDIS_URL", "TESTING")},
        "DATABASE_URL": f"{args.pg}/{database}",
        "VAR_DIR": str(var_dir),
        "DEMO_PASSWORD": password,
        "CELERY_TASK_ALWAYS_EAGER": "false",
        "LOG_LEVEL": "WARNING",
    }
    psql(f"{args.pg}/postgres", f"DROP DATABASE IF EXISTS {database}")
    psql(f"{args.pg}/postgres", f"CREATE DATABASE {database}")
    gunicorn = None
    try:
        log(f"preparing {database}")
        manage(env, "migrate", "--noinput")
        manage(env, "collectstatic", "--noinput")
        manage(env, "seed_demo", "--open", "ideenwerkstatt")
        users = [f"last{n:02d}" for n in range(args.clients)]
        manage(
            env,
            "shell",
            "--no-imports",
            "-c",
            "from django.contrib.auth import get_user_model\n"
            "from participants.models import Profile, Role\n"
            f"for name in {users!r}:\n"
            "    u = get_user_model().objects.create_user(name, password=" + repr(password) + ")\n"
            "    Profile.objects.create(user=u, role=Role.STAFF)\n",
        )
        port = free_port()
        gunicorn = subprocess.Popen(
            [
                str(Path(PY).parent / "gunicorn"),
                "roundtable.wsgi",
                f"--bind=127.0.0.1:{port}",
                f"--workers={args.workers}",
                "--threads=4",
                "--timeout=60",
            ],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=open(var_dir / "gunicorn.log", "w"),  # noqa: SIM115
        )
        base = f"http://127.0.0.1:{port}"
        for _ in range(100):
            try:
                urllib.request.urlopen(base + "/accounts/login/", timeout=10)  # noqa: S310
                break
            except OSError:
                time.sleep(0.2)

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
        done = threading.Event()

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
            while True:
                with lock:
                    if stats["stored"] >= args.ideas * 0.4 or not queue:
                        break
                time.sleep(0.05)
            log("restarting PostgreSQL")
            restart = restart_postgres()
            log(f"PostgreSQL back after {restart:.1f} s")
        for thread in threads:
            thread.join()
        duration = time.monotonic() - started
        done.set()

        db = f"{args.pg}/{database}"
        for _ in range(30):
            try:
                rows = psql(
                    db,
                    "SELECT count(*), count(DISTINCT title) FROM ideas_idea WHERE title LIKE 'Lastlauf Idee %'",
                )
                break
            except subprocess.CalledProcessError:
                time.sleep(1)
        total, distinct = (int(x) for x in rows.split("|"))
        stored = psql(
            db,
            "SELECT title || '|' || description FROM ideas_idea WHERE title LIKE 'Lastlauf Idee %'",
        ).splitlines()
        whole = sum(
            1 for line in stored if expected.get(line.split("|", 1)[0]) == line.split("|", 1)[1]
        )
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
        print(json.dumps(result))
        return 0 if ok else 1
    finally:
        if gunicorn is not None:
            gunicorn.terminate()
            gunicorn.wait(30)
        time.sleep(0.5)
        import shutil

        shutil.rmtree(var_dir, ignore_errors=True)
        for _ in range(20):
            try:
                psql(f"{args.pg}/postgres", f"DROP DATABASE IF EXISTS {database} WITH (FORCE)")
                break
            except subprocess.CalledProcessError:
                time.sleep(1)


if __name__ == "__main__":
    sys.exit(main())
