import json
import os
import subprocess
import sys

from django.conf import settings

CODE = """
import logging
log = logging.getLogger('roundtable.test')
log.warning('Grüße aus %s', 'Siegburg', extra={'idea_id': 7})
try:
    1 / 0
except ZeroDivisionError:
    log.exception('kaputt')
"""


def _run(**env):
    environment = {**os.environ, **env}
    return subprocess.run(
        [sys.executable, "manage.py", "shell", "--no-imports", "-c", CODE],
        cwd=settings.BASE_DIR,
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_log_format_json_writes_one_json_object_per_line():
    result = _run(LOG_FORMAT="json")
    assert result.returncode == 0, result.stderr
    lines = [json.loads(line) for line in result.stderr.splitlines() if line.startswith("{")]
    ours = [entry for entry in lines if entry["logger"] == "roundtable.test"]
    assert len(ours) == 2
    first, second = ours
    assert first["level"] == "WARNING"
    assert first["message"] == "Grüße aus Siegburg"
    assert first["idea_id"] == 7
    assert first["time"].endswith("+00:00")
    assert second["level"] == "ERROR"
    assert "ZeroDivisionError" in second["exception"]
    # every line on stderr is JSON: a collector can parse the stream as it is
    assert all(line.startswith("{") for line in result.stderr.splitlines() if line.strip())


def test_plain_format_is_the_default():
    result = _run()
    assert result.returncode == 0, result.stderr
    assert "WARNING roundtable.test Grüße aus Siegburg" in result.stderr
    assert not any(line.startswith("{") for line in result.stderr.splitlines())
