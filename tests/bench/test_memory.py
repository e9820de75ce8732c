"""Reading a process tree's memory from a /proc-like directory."""

from bench.memory import (
    parse_rollup_pss_kib,
    parse_status_rss_kib,
    tree_pids,
    tree_pss_kib,
    tree_rss_kib,
)


def _process(proc, pid: int, rss_kib: int | None, children: list[int]):
    task = proc / str(pid) / "task" / str(pid)
    task.mkdir(parents=True)
    (task / "children").write_text(" ".join(str(c) for c in children) + (" " if children else ""))
    status = f"Name:\tcelery\nPid:\t{pid}\n"
    if rss_kib is not None:
        status += f"VmRSS:\t  {rss_kib} kB\n"
    (proc / str(pid) / "status").write_text(status)
    if rss_kib is not None:
        # shared pages count once: a process's PSS is below its RSS
        rollup = f"00400000-7fff [rollup]\nRss:  {rss_kib} kB\nPss:  {rss_kib // 2} kB\n"
        (proc / str(pid) / "smaps_rollup").write_text(rollup)


def test_status_rss():
    assert parse_status_rss_kib("Name:\tx\nVmRSS:\t  123456 kB\nVmSwap:\t0 kB\n") == 123456
    assert parse_status_rss_kib("Name:\tkworker\nState:\tZ (zombie)\n") == 0
    assert parse_rollup_pss_kib("Rss:  2000 kB\nPss:  1500 kB\nPss_Anon:  900 kB\n") == 1500


def test_tree_sums_the_worker_and_its_pool_children(tmp_path):
    _process(tmp_path, 100, 80_000, [101, 102])
    _process(tmp_path, 101, 300_000, [])
    _process(tmp_path, 102, 90_000, [103])
    _process(tmp_path, 103, None, [])  # a zombie grandchild
    _process(tmp_path, 200, 999_999, [])  # not in the tree
    assert sorted(tree_pids(100, tmp_path)) == [100, 101, 102, 103]
    sizes = tree_rss_kib(100, tmp_path)
    assert sum(sizes.values()) == 470_000
    assert max(sizes.values()) == 300_000
    assert tree_pss_kib(100, tmp_path) == 235_000


def test_a_vanished_process_is_skipped(tmp_path):
    _process(tmp_path, 100, 1000, [555])  # 555 exited between the two reads
    assert tree_rss_kib(100, tmp_path) == {100: 1000}
