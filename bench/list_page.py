"""``python -m bench list-page --ideas N --seconds S``: the idea list under load."""

import statistics
import time

from .environment import BenchConfig, Gunicorn, http_get, prepare, session_cookies
from .loadgen import LoadError, run_wrk

PAGE_SIZE = 50  # ideas.views.PAGE_SIZE
LIST_PATH = "/ideen/"
BASELINE_PATH = "/bench/baseline/"
ROW_MARKER = b'<tr id="idee-'
USERS = 16  # one session per simulated user, as many as the highest concurrency


def deep_page_number(ideas_total: int, page_size: int = PAGE_SIZE) -> int:
    """The last full page: the deepest OFFSET with as many rows to render as page 1."""
    return max(1, ideas_total // page_size)


def headline(by_concurrency: dict, concurrency: int) -> dict:
    """The figures the goals speak of: the worse of page 1 and the deep page."""
    row = by_concurrency[str(concurrency)]
    pages = [row["page1"], row["deep"]]
    return {
        "rps": min(p["rps"] for p in pages),
        "p50_ms": max(p["p50_ms"] for p in pages),
        "p95_ms": max(p["p95_ms"] for p in pages),
        "baseline_rps": row["baseline_rps"],
        "ratio": min(p["ratio"] for p in pages),
        "queries": max(p["queries"] for p in pages),
        "queries_cold": max(p["queries_cold"] for p in pages),
        "cold_ms": max(p["cold_ms"] for p in pages),
    }


def _queries_of(client, path: str) -> tuple[int, int]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        response = client.get(path)
        if getattr(response, "streaming", False):
            b"".join(response.streaming_content)
    return len(captured), response.status_code


def _logged_in_client(user):
    from django.test import Client

    client = Client(SERVER_NAME="127.0.0.1")
    client.force_login(user)
    return client


def count_queries(path: str, user) -> tuple[int, int]:
    """SQL queries (and status) of one request, in this process on the bench database."""
    client = _logged_in_client(user)
    client.get(path)  # first request of a session: not what a user mostly sees
    return _queries_of(client, path)


def list_queries(path: str, user) -> dict:
    """The list's queries as a user mostly gets it (the page cached by their previous
    request, ``queries``) and right after a change to the data (``queries_cold``, with
    the time that render took, median of five)."""
    from roundtable.operations import pagecache

    client = _logged_in_client(user)
    client.get(path)
    measured = [_queries_of(client, path)]
    cold_ms = []
    for _ in range(5):
        pagecache.invalidate()
        started = time.perf_counter()
        measured.append(_queries_of(client, path))
        cold_ms.append((time.perf_counter() - started) * 1000)
    if any(status != 200 for _n, status in measured):
        raise LoadError(f"{path} answered {[status for _n, status in measured]} in-process")
    return {
        "queries": measured[0][0],
        "queries_cold": measured[-1][0],
        "cold_ms": round(statistics.median(cold_ms), 1),
    }


def check_pages(base_url: str, cookie: str, paths: list[str]) -> None:
    """The load must hit real pages: 200, logged in, the list rendered."""
    status, _headers, _body = http_get(base_url + BASELINE_PATH)
    if status != 302:
        raise LoadError(f"{BASELINE_PATH} without login answered {status}, not a redirect")
    status, _headers, body = http_get(base_url + BASELINE_PATH, cookie=cookie)
    if status != 200 or body != b"ok":
        raise LoadError(f"{BASELINE_PATH} answered {status}: is BENCH_BASELINE set?")
    for path in paths:
        status, _headers, body = http_get(base_url + path, cookie=cookie)
        if status != 200 or b'id="idea-results"' not in body:
            raise LoadError(f"{path} answered {status} without the idea list")
        rows = body.count(ROW_MARKER)
        if rows != PAGE_SIZE:
            raise LoadError(f"{path} shows {rows} ideas, not {PAGE_SIZE}")


def run(config: BenchConfig, *, ideas: int, seconds: float, concurrencies=(4, 16), log=print):
    from django.contrib.auth import get_user_model

    prepared = prepare(config, ideas=ideas, log=log)
    deep = deep_page_number(prepared["ideas_total"])
    paths = {"page1": LIST_PATH, "deep": f"{LIST_PATH}?page={deep}"}
    users = list(get_user_model().objects.filter(username__startswith="bench").order_by("username"))
    users = users[:USERS]
    if not users:
        raise LoadError("no bench users: seed_bench made none")
    cookies = session_cookies(users)
    queries = {key: list_queries(path, users[0]) for key, path in paths.items()}

    server = Gunicorn(config, baseline=True)
    server.start()  # waits until it answers
    try:
        check_pages(server.base_url, cookies[0], list(paths.values()))
        for path in [BASELINE_PATH, *paths.values()]:  # warm up both workers
            run_wrk(url=server.base_url + path, cookies=cookies, concurrency=4, seconds=2)
        by_concurrency = {}
        for concurrency in concurrencies:
            baseline = run_wrk(
                url=server.base_url + BASELINE_PATH,
                cookies=cookies,
                concurrency=concurrency,
                seconds=seconds,
            )
            row = {"baseline_rps": baseline.rps, "baseline_p95_ms": baseline.p95_ms}
            for key, path in paths.items():
                result = run_wrk(
                    url=server.base_url + path,
                    cookies=cookies,
                    concurrency=concurrency,
                    seconds=seconds,
                )
                row[key] = {
                    "path": path,
                    "rps": result.rps,
                    "p50_ms": result.p50_ms,
                    "p95_ms": result.p95_ms,
                    "p99_ms": result.p99_ms,
                    "requests": result.requests,
                    "ratio": round(result.rps / baseline.rps, 3),
                    **queries[key],
                }
                log(
                    f"c{concurrency} {key}: {result.rps} rps, p95 {result.p95_ms} ms "
                    f"(baseline {baseline.rps} rps)"
                )
            by_concurrency[str(concurrency)] = row
    finally:
        server.stop()
    top = max(concurrencies)
    return {
        "bench": "list-page",
        "ideas": ideas,
        "ideas_total": prepared["ideas_total"],
        "seconds": seconds,
        "deep_page": deep,
        "server": "gunicorn 2 workers x 4 threads, DEBUG off, PostgreSQL, Redis",
        "concurrency": by_concurrency,
        "headline_concurrency": top,
        **headline(by_concurrency, top),
    }
