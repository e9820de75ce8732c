"""gunicorn itself, started as ``make run`` starts it, logs JSON with LOG_FORMAT=json."""

import json
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request

import pytest
from django.conf import settings

from tests.conftest import _database_url_of_test_db

pytestmark = pytest.mark.django_db(transaction=True)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _get(url: str) -> int:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:  # noqa: S310 - loopback
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def test_access_and_error_log_lines_are_json(tmp_path):
    port = _free_port()
    env = {
        **os.environ,
        "DATABASE_URL": _database_url_of_test_db(),
        "LOG_FORMAT": "json",
        "VAR_DIR": str(tmp_path),
    }
    (tmp_path / "staticfiles").mkdir()  # as after collectstatic: whitenoise does not warn
    log_path = tmp_path / "gunicorn.log"
    with open(log_path, "wb") as log:
        server = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "roundtable.wsgi",
                "--bind",
                f"127.0.0.1:{port}",
                "--workers",
                "1",
                "--access-logfile",
                "-",
                "--logger-class",
                "roundtable.operations.gunicorn_logging.PortalLogger",
            ],
            cwd=settings.BASE_DIR,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    try:
        deadline = time.monotonic() + 30
        status = None
        while time.monotonic() < deadline:
            try:
                status = _get(f"http://127.0.0.1:{port}/healthz?probe=1")
                break
            except OSError:
                time.sleep(0.2)
        assert status in (200, 503)  # 503: no worker runs here; logged all the same
        time.sleep(0.5)
    finally:
        server.terminate()
        server.wait(20)
    lines = [line for line in log_path.read_text().splitlines() if line.strip()]
    entries = [json.loads(line) for line in lines]  # every line is JSON
    (access,) = [e for e in entries if e["logger"] == "gunicorn.access"]
    assert access["method"] == "GET" and access["path"] == "/healthz"
    assert access["query"] == "probe=1" and access["status"] == status
    assert access["bytes"] > 0 and access["duration_ms"] >= 0
    assert access["client"] == "127.0.0.1"
    assert any(
        e["logger"] == "gunicorn.error" and "Booting worker" in e["message"] for e in entries
    )
