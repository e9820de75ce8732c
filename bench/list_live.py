"""``python -m bench list-live --ideas N --seconds S``: the idea list while the
Ideenwerkstatt is busy, in one run against the trivial view as the ceiling.

- **ceiling**: ``/bench/baseline/`` (the same middleware, a fixed answer), measured before
  and after the two scenarios; the ratios are taken against their mean.
- **browse**: 16 sessions leaf through the list: each request a random page in
  1..N/50, sorted newest or by support (nearly every request misses the page cache).
- **busy**: page 1 while a writer toggles supports and adds comments four times a second
  through the portal's services (each write empties the page cache).

``cold_cpu_ms``: the CPU (this process) of one render of page 1 right after a write (a
support toggled on page 1: the page cache is emptied, the row changed), what the page
costs while the Ideenwerkstatt is busy; ``empty_cpu_ms``: the same with the bench's whole
cache emptied (as after a restart of Redis: the page's frame, the count and the filter
form are rendered too); ``shared_cpu_ms``: a further reader's page 1 after the write
(the results the first reader rendered are shared, their own marks filled in); ``ceiling_cpu_ms``: the ceiling's view measured the same way, the
yardstick for both on a machine of another speed or load. Medians of seven, in-process
on the bench database.
"""

import random
import statistics
import threading
import time

from .environment import BenchConfig, Gunicorn, http_get, prepare, session_cookies
from .list_page import BASELINE_PATH, LIST_PATH, PAGE_SIZE, ROW_MARKER, USERS, deep_page_number
from .loadgen import LoadError, run_wrk

SORTS = ("newest", "supported")
WRITES_PER_SECOND = 4


def _client(user):
    from django.test import Client

    client = Client(SERVER_NAME="127.0.0.1")
    client.force_login(user)
    return client


def render_costs(user, *, writer, idea_ids: list[int], path: str = LIST_PATH, repeat: int = 7):
    """CPU and queries of page 1 rendered in this process (see the module's docstring)."""
    from django.core.cache import cache
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from ideas import services
    from ideas.models import Idea

    client = _client(user)
    other = _client(writer)  # a second reader (logins are writes: both before the pages)
    client.get(path)
    other.get(path)
    rng = random.Random(6)

    def one(*, empty: bool) -> tuple[float, int, int]:
        idea = Idea.objects.get(pk=rng.choice(idea_ids))
        services.idea_support_toggle(idea=idea, user=writer)
        if empty:
            cache.clear()  # the bench's own Redis database
        with CaptureQueriesContext(connection) as captured:
            started = time.process_time()
            response = client.get(path)
            cpu = (time.process_time() - started) * 1000
        return cpu, len(captured), response.status_code

    cold = [one(empty=False) for _ in range(repeat)]
    shared = []
    for _ in range(repeat):
        one(empty=False)  # the first reader after the write renders the results
        started = time.process_time()
        response = other.get(path)
        shared.append(((time.process_time() - started) * 1000, 0, response.status_code))
    empty = [one(empty=True) for _ in range(repeat)]
    client.get(BASELINE_PATH)
    ceiling = []
    for _ in range(repeat):
        started = time.process_time()
        response = client.get(BASELINE_PATH)
        ceiling.append(((time.process_time() - started) * 1000, 0, response.status_code))
    statuses = {status for _cpu, _n, status in cold + shared + empty + ceiling}
    if statuses != {200}:
        raise LoadError(f"{path} answered {sorted(statuses)} in-process")
    return {
        "cold_cpu_ms": round(statistics.median(c for c, _n, _s in cold), 1),
        "queries_cold": max(n for _c, n, _s in cold),
        "empty_cpu_ms": round(statistics.median(c for c, _n, _s in empty), 1),
        "queries_empty": max(n for _c, n, _s in empty),
        "shared_cpu_ms": round(statistics.median(c for c, _n, _s in shared), 1),
        "ceiling_cpu_ms": round(statistics.median(c for c, _n, _s in ceiling), 1),
    }


class Writer(threading.Thread):
    """Toggles supports and adds comments on the ideas of page 1, ``per_second`` times a
    second, through ``ideas.services`` (as the views do), with users of the bench."""

    def __init__(self, *, users, idea_ids: list[int], per_second: float = WRITES_PER_SECOND):
        super().__init__(daemon=True)
        self.users = users
        self.idea_ids = idea_ids
        self.interval = 1 / per_second
        self.writes = 0
        self.errors: list[str] = []
        self.stop_event = threading.Event()
        self.rng = random.Random(16)

    def run(self) -> None:
        from django.db import connection

        from ideas import services
        from ideas.models import Idea

        next_at = time.monotonic()
        try:
            while not self.stop_event.is_set():
                idea = Idea.objects.get(pk=self.rng.choice(self.idea_ids))
                user = self.rng.choice(self.users)
                try:
                    if self.writes % 2 == 0:
                        services.idea_support_toggle(idea=idea, user=user)
                    else:
                        services.comment_create(
                            idea=idea, author=user, text=f"Kommentar {self.writes} im Betrieb."
                        )
                    self.writes += 1
                except Exception as error:  # reported: the run is refused
                    self.errors.append(repr(error))
                    return
                next_at += self.interval
                self.stop_event.wait(max(0.0, next_at - time.monotonic()))
        finally:
            connection.close()

    def stop(self) -> None:
        self.stop_event.set()
        self.join(30)


def check_pages(base_url: str, cookie: str, paths: list[str]) -> None:
    status, _headers, body = http_get(base_url + BASELINE_PATH, cookie=cookie)
    if status != 200 or body != b"ok":
        raise LoadError(f"{BASELINE_PATH} answered {status}: is BENCH_BASELINE set?")
    for path in paths:
        status, _headers, body = http_get(base_url + path, cookie=cookie)
        rows = body.count(ROW_MARKER)
        if status != 200 or rows != PAGE_SIZE:
            raise LoadError(f"{path} answered {status} with {rows} ideas, not {PAGE_SIZE}")


def _figures(result) -> dict:
    return {
        "rps": result.rps,
        "p50_ms": result.p50_ms,
        "p95_ms": result.p95_ms,
        "p99_ms": result.p99_ms,
        "requests": result.requests,
    }


def run(config: BenchConfig, *, ideas: int, seconds: float, concurrency: int = 16, log=print):
    from django.contrib.auth import get_user_model

    from ideas.models import Idea

    prepared = prepare(config, ideas=ideas, log=log)
    pages = deep_page_number(prepared["ideas_total"])
    users = list(get_user_model().objects.filter(username__startswith="bench").order_by("username"))
    if len(users) < USERS:
        raise LoadError("too few bench users: seed_bench made fewer than 16")
    readers = users[:USERS]
    cookies = session_cookies(readers)
    page_one = list(Idea.objects.order_by("-created", "-id").values_list("pk", flat=True)[:50])
    costs = render_costs(readers[0], writer=users[-1], idea_ids=page_one)
    log(f"in-process: {costs}")

    server = Gunicorn(config, baseline=True)
    server.start()
    url = server.base_url + LIST_PATH
    try:
        server.wait_ready()
        check_pages(
            server.base_url,
            cookies[0],
            [f"{LIST_PATH}?page={n}&sort={s}" for n in (1, pages) for s in SORTS],
        )
        # the list as its readers have had it open before: each user's page 1 in both
        # sorts once (what is kept per user and sort, the page's frame, is there), then
        # two seconds of each load
        for cookie in cookies:
            for sort in SORTS:
                http_get(f"{url}?sort={sort}", cookie=cookie)
        for target, browse in ((server.base_url + BASELINE_PATH, 0), (url, 0), (url, pages)):
            run_wrk(
                url=target,
                cookies=cookies,
                concurrency=4,
                seconds=2,
                browse_pages=browse,
                sorts=SORTS if browse else (),
            )

        def load(target: str, *, browse: int = 0):
            return run_wrk(
                url=target,
                cookies=cookies,
                concurrency=concurrency,
                seconds=seconds,
                browse_pages=browse,
                sorts=SORTS if browse else (),
            )

        ceiling_before = load(server.base_url + BASELINE_PATH)
        log(f"ceiling: {ceiling_before.rps} rps, p95 {ceiling_before.p95_ms} ms")
        browse = load(url, browse=pages)
        log(f"browse: {browse.rps} rps, p95 {browse.p95_ms} ms")
        writer = Writer(users=users[USERS:] or users, idea_ids=page_one)
        writer.start()
        try:
            busy = load(url)
        finally:
            writer.stop()
        if writer.errors:
            raise LoadError(f"the writer failed: {writer.errors[0]}")
        log(f"busy: {busy.rps} rps, p95 {busy.p95_ms} ms, {writer.writes} writes")
        ceiling_after = load(server.base_url + BASELINE_PATH)
        log(f"ceiling again: {ceiling_after.rps} rps, p95 {ceiling_after.p95_ms} ms")
    finally:
        server.stop()
    ceiling_rps = round((ceiling_before.rps + ceiling_after.rps) / 2, 1)
    ceiling_p95 = round((ceiling_before.p95_ms + ceiling_after.p95_ms) / 2, 2)
    return {
        "bench": "list-live",
        "ideas": ideas,
        "ideas_total": prepared["ideas_total"],
        "seconds": seconds,
        "concurrency": concurrency,
        "pages": pages,
        "server": "gunicorn 2 workers x 4 threads, DEBUG off, PostgreSQL, Redis",
        "ceiling_rps": ceiling_rps,
        "ceiling_p95_ms": ceiling_p95,
        "ceiling_runs": [_figures(ceiling_before), _figures(ceiling_after)],
        "browse": _figures(browse),
        "browse_ratio": round(browse.rps / ceiling_rps, 3),
        "browse_p95_ms": browse.p95_ms,
        "busy": _figures(busy),
        "busy_ratio": round(busy.rps / ceiling_rps, 3),
        "busy_p95_ms": busy.p95_ms,
        "writes": writer.writes,
        "writes_per_second": round(writer.writes / seconds, 2),
        **costs,
    }
