"""``bench/results.json``: the latest result of each benchmark and size, with the
conditions it was taken under."""

import datetime
import json
import subprocess
from pathlib import Path

RESULTS_PATH = Path(__file__).resolve().parent / "results.json"


def result_key(result: dict) -> str:
    """One entry per benchmark and size: a new run replaces the old one."""
    size = f"ideas={result.get('ideas')}"
    if result.get("concepts") is not None:
        size += f",concepts={result['concepts']}"
    if result.get("worker_concurrency", 2) != 2:  # a variant beside the deployed default
        size += f",worker_concurrency={result['worker_concurrency']}"
    return f"{result['bench']}:{size}"


def git_revision(root: Path) -> str:
    try:
        out = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"],
            cwd=root,
            capture_output=True,
            text=True,
            check=True,
        )
    except (OSError, subprocess.CalledProcessError):
        return ""
    return out.stdout.strip()


def recorded(path: Path = RESULTS_PATH) -> dict:
    return json.loads(path.read_text()) if path.exists() else {}


def record(result: dict, *, path: Path = RESULTS_PATH) -> dict:
    data = recorded(path)
    data[result_key(result)] = result
    path.write_text(json.dumps(dict(sorted(data.items())), indent=2, ensure_ascii=False) + "\n")
    return data


def conditions(*, load_before: list[float], load_after: list[float], root: Path) -> dict:
    return {
        "measured_at": datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "load_before": load_before,
        "load_after": load_after,
        "cpus": _cpus(),
        "revision": git_revision(root),
    }


def _cpus() -> int:
    import os

    return len(os.sched_getaffinity(0))
