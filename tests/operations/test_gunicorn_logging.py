"""gunicorn itself, started as ``make run`` starts it, logs JSON with LOG_FORMAT=json."""

import json

import pytest

from bench.harness import GunicornServer
from tests.conftest import process_environment

pytestmark = pytest.mark.django_db(transaction=True)


def test_access_and_error_log_lines_are_json(tmp_path):
    (tmp_path / "staticfiles").mkdir()  # as after collectstatic: whitenoise does not warn
    server = GunicornServer(
        env=process_environment(LOG_FORMAT="json", VAR_DIR=str(tmp_path)),
        log_path=tmp_path / "gunicorn.log",
        workers=1,
        threads=1,
        reuse_port=False,
        extra_args=[
            "--access-logfile",
            "-",
            "--logger-class",
            "roundtable.operations.gunicorn_logging.PortalLogger",
        ],
    )
    # the request that finds the server ready is the one logged (no worker runs: 503)
    server.ready_path = "/healthz?probe=1"
    with server:
        status = server.ready_status
        assert status in (200, 503)
        server.wait_for_log('"gunicorn.access"', timeout=30)
    entries = [json.loads(line) for line in server.log().splitlines() if line.strip()]
    (access,) = [e for e in entries if e["logger"] == "gunicorn.access"]
    assert access["method"] == "GET" and access["path"] == "/healthz"
    assert access["query"] == "probe=1" and access["status"] == status
    assert access["bytes"] > 0 and access["duration_ms"] >= 0
    assert access["client"] == "127.0.0.1"
    assert any(
        e["logger"] == "gunicorn.error" and "Booting worker" in e["message"] for e in entries
    )
