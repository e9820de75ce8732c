"""Resident memory of a process tree, from /proc (Linux), sampled in a thread."""

import threading
from pathlib import Path

PROC = Path("/proc")


def parse_status_rss_kib(status_text: str) -> int:
    """``VmRSS`` of a /proc/<pid>/status text in KiB (0 for a zombie/kernel thread)."""
    for line in status_text.splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


def parse_rollup_pss_kib(rollup_text: str) -> int:
    """``Pss`` of a /proc/<pid>/smaps_rollup text in KiB: shared pages counted once
    across the processes that share them (the pool children share the parent's)."""
    for line in rollup_text.splitlines():
        if line.startswith("Pss:"):
            return int(line.split()[1])
    return 0


def children_of(pid: int, proc: Path = PROC) -> list[int]:
    children: list[int] = []
    try:
        tasks = list((proc / str(pid) / "task").iterdir())
    except OSError:
        return children
    for task in tasks:
        try:
            children += [int(c) for c in (task / "children").read_text().split()]
        except OSError:
            continue
    return children


def tree_pids(pid: int, proc: Path = PROC) -> list[int]:
    pids, todo = [], [pid]
    while todo:
        current = todo.pop()
        pids.append(current)
        todo += children_of(current, proc)
    return pids


def tree_rss_kib(pid: int, proc: Path = PROC) -> dict[int, int]:
    sizes = {}
    for each in tree_pids(pid, proc):
        try:
            sizes[each] = parse_status_rss_kib((proc / str(each) / "status").read_text())
        except OSError:
            continue
    return sizes


def tree_pss_kib(pid: int, proc: Path = PROC) -> int:
    total = 0
    for each in tree_pids(pid, proc):
        try:
            total += parse_rollup_pss_kib((proc / str(each) / "smaps_rollup").read_text())
        except OSError:
            continue
    return total


class PeakRSS:
    """Samples the tree every ``interval`` seconds; keeps the peak of the RSS sum, of
    the largest single process, and of the PSS sum."""

    def __init__(self, pid: int, interval: float = 0.05):
        self.pid = pid
        self.interval = interval
        self.peak_total_kib = 0
        self.peak_process_kib = 0
        self.peak_pss_kib = 0
        self.samples = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self._stop.is_set():
            self.sample()
            self._stop.wait(self.interval)

    def sample(self) -> None:
        sizes = tree_rss_kib(self.pid)
        if sizes:
            self.samples += 1
            self.peak_total_kib = max(self.peak_total_kib, sum(sizes.values()))
            self.peak_process_kib = max(self.peak_process_kib, max(sizes.values()))
            self.peak_pss_kib = max(self.peak_pss_kib, tree_pss_kib(self.pid))

    def __enter__(self) -> "PeakRSS":
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join()
        self.sample()
