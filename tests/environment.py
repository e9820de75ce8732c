"""Loaded with ``-p tests.environment`` before pytest-django reads the settings.

Tests keep their files (SQLite test database, filesystem broker, stored files)
in ``var/test`` so they never touch a running portal's ``var/``.
"""

import os
import shutil
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TEST_VAR = ROOT / "var" / "test"

os.environ["TESTING"] = "true"
os.environ.setdefault("VAR_DIR", str(TEST_VAR))
# pytest-django's live_server runs in a thread; Playwright's sync API runs an event loop.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
os.environ.setdefault("WORKER_STALE_SECONDS", "20")

# A fresh filesystem broker for each run: nothing queued by an earlier run is delivered.
shutil.rmtree(Path(os.environ["VAR_DIR"]) / "broker", ignore_errors=True)
(Path(os.environ["VAR_DIR"]) / "staticfiles").mkdir(parents=True, exist_ok=True)
