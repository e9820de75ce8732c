"""Loaded with ``-p tests.environment`` before pytest-django reads the settings.

Tests keep their files (SQLite test database, filesystem broker, page cache, stored
files) in ``var/test`` so they never touch a running portal's ``var/``. Under
``pytest -n`` (pytest-xdist) each worker gets a folder of its own (``var/test/gw0``,
...) and a Redis key prefix of its own, so that the workers share no cache, no broker
queue and no database file; the Celery workers and servers a test starts inherit both.
"""

import os
import shutil
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TEST_VAR = ROOT / "var" / "test"
XDIST_WORKER = os.environ.get("PYTEST_XDIST_WORKER", "")

os.environ["TESTING"] = "true"
os.environ.setdefault("VAR_DIR", str(TEST_VAR))
if XDIST_WORKER:
    # the controller has set VAR_DIR above before it started this worker
    os.environ["VAR_DIR"] = str(Path(os.environ["VAR_DIR"]) / XDIST_WORKER)
    os.environ["REDIS_KEY_PREFIX"] = os.environ.get("REDIS_KEY_PREFIX", "") + XDIST_WORKER + ":"
# pytest-django's live_server runs in a thread; Playwright's sync API runs an event loop.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
os.environ.setdefault("WORKER_STALE_SECONDS", "20")

# A fresh filesystem broker for each run: nothing queued by an earlier run is delivered.
shutil.rmtree(Path(os.environ["VAR_DIR"]) / "broker", ignore_errors=True)
(Path(os.environ["VAR_DIR"]) / "staticfiles").mkdir(parents=True, exist_ok=True)
