"""A slower report rendering for a test's worker process, so that a test can watch the
progress bar or kill the worker mid-render. The worker imports this module when it is
started with ``--include tests.committees.slow_render`` (``conftest.SLOW_RENDER``);
production code knows nothing of it. Never import it in the test process itself.

Every progress step of a report waits ``SLOW_RENDER_STEP_SECONDS`` (environment,
default 1) after it is recorded.
"""

import os
import time

from roundtable.committees import services

STEP_SECONDS = float(os.environ.get("SLOW_RENDER_STEP_SECONDS", "1"))

_report_progress_set = services.report_progress_set


def _slow_report_progress_set(*, report_id, percent: int) -> None:
    _report_progress_set(report_id=report_id, percent=percent)
    time.sleep(STEP_SECONDS)


services.report_progress_set = _slow_report_progress_set
