"""The load generator: Debian's ``wrk`` on loopback, for a bounded time.

``parse_wrk_output`` and ``summarise`` are pure, so that they are unit-tested
(tests/bench/test_loadgen.py) without timing anything.
"""

import json
import re
import shutil
import subprocess
from dataclasses import asdict, dataclass
from pathlib import Path

STATS_SCRIPT = Path(__file__).resolve().parent / "stats.lua"
_MARKER = "BENCH_WRK "
_REQUESTS_PER_SECOND = re.compile(r"^Requests/sec:\s+([0-9.]+)\s*$", re.MULTILINE)
_NON_2XX = re.compile(r"Non-2xx or 3xx responses:\s+(\d+)")


class LoadError(RuntimeError):
    """The load run cannot be trusted (errors, wrong answers, no requests)."""


@dataclass(frozen=True)
class LoadResult:
    requests: int
    seconds: float
    rps: float
    p50_ms: float
    p95_ms: float
    p99_ms: float
    max_ms: float
    errors: int
    not_200: int

    def as_dict(self) -> dict:
        return asdict(self)


def parse_wrk_output(text: str) -> LoadResult:
    """Reads the line ``stats.lua`` writes; ``Requests/sec`` of wrk's own summary is
    used as a cross-check. Raises ``LoadError`` if the line is missing."""
    line = next((ln for ln in text.splitlines() if ln.startswith(_MARKER)), None)
    if line is None:
        raise LoadError(f"wrk printed no {_MARKER.strip()} line:\n{text[-2000:]}")
    data = json.loads(line[len(_MARKER) :])
    seconds = data["duration_us"] / 1e6
    if seconds <= 0:
        raise LoadError("wrk ran for no time")
    errors = sum(
        data[key]
        for key in (
            "errors_connect",
            "errors_read",
            "errors_write",
            "errors_status",
            "errors_timeout",
        )
    )
    non_2xx = _NON_2XX.search(text)
    not_200 = max(data["not_200"], int(non_2xx.group(1)) if non_2xx else 0)
    return LoadResult(
        requests=data["requests"],
        seconds=round(seconds, 3),
        rps=round(data["requests"] / seconds, 1),
        p50_ms=round(data["p50_us"] / 1000, 2),
        p95_ms=round(data["p95_us"] / 1000, 2),
        p99_ms=round(data["p99_us"] / 1000, 2),
        max_ms=round(data["max_us"] / 1000, 2),
        errors=errors,
        not_200=not_200,
    )


def wrk_requests_per_second(text: str) -> float | None:
    """wrk's own figure, for comparison with ours."""
    match = _REQUESTS_PER_SECOND.search(text)
    return float(match.group(1)) if match else None


def check_result(result: LoadResult) -> None:
    """A run with failed or redirected requests measures something else: refuse it."""
    if result.requests == 0:
        raise LoadError("no request completed")
    if result.not_200 or result.errors:
        raise LoadError(
            f"{result.not_200} answers other than 200 and {result.errors} socket errors "
            f"in {result.requests} requests"
        )


def wrk_command(
    *,
    url: str,
    cookies: list[str],
    concurrency: int,
    seconds: float,
    threads: int = 1,
    browse_pages: int = 0,
    sorts: tuple[str, ...] = (),
) -> list[str]:
    """``browse_pages``: each request asks for a random page of ``url`` (and one of
    ``sorts``), see ``stats.lua``."""
    if not url.startswith(("http://127.0.0.1:", "http://[::1]:", "http://localhost:")):
        raise ValueError("the load generator runs on loopback only")
    return [
        wrk_binary(),
        f"--threads={threads}",
        f"--connections={concurrency}",
        f"--duration={max(1, round(seconds))}s",
        "--timeout=10s",
        f"--script={STATS_SCRIPT}",
        url,
        "--",
        *cookies,
        *([f"browse={browse_pages}"] if browse_pages else []),
        *([f"sorts={','.join(sorts)}"] if sorts else []),
    ]


def wrk_binary() -> str:
    path = shutil.which("wrk")
    if path is None:
        raise LoadError("wrk is not installed: apt-get install wrk (make bench does)")
    return path


def run_wrk(
    *,
    url: str,
    cookies: list[str],
    concurrency: int,
    seconds: float,
    browse_pages: int = 0,
    sorts: tuple[str, ...] = (),
) -> LoadResult:
    command = wrk_command(
        url=url,
        cookies=cookies,
        concurrency=concurrency,
        seconds=seconds,
        browse_pages=browse_pages,
        sorts=sorts,
    )
    completed = subprocess.run(
        command, capture_output=True, text=True, timeout=seconds + 60, check=False
    )
    if completed.returncode != 0:
        raise LoadError(f"wrk failed ({completed.returncode}): {completed.stderr[-2000:]}")
    result = parse_wrk_output(completed.stdout)
    check_result(result)
    return result
