"""``python -m bench export --ideas N``: CSV and XLSX export of all ideas through
gunicorn (time to the last byte), and the SQL queries of one export in-process."""

import statistics
import time

from .environment import BenchConfig, Gunicorn, http_get, prepare, session_cookies
from .list_page import count_queries

CSV_PATH = "/ideen/export.csv"
XLSX_PATH = "/ideen/export.xlsx"
SMALL_FILTER = "?status=deferred"  # a much smaller selection, to see the queries stay equal


def timed_download(url: str, cookie: str) -> tuple[float, int, bytes]:
    started = time.perf_counter()
    status, _headers, body = http_get(url, cookie=cookie, timeout=120)
    return time.perf_counter() - started, status, body


def run(config: BenchConfig, *, ideas: int, repeat: int = 3, log=print) -> dict:
    from django.contrib.auth import get_user_model

    from ideas.models import Idea

    prepared = prepare(config, ideas=ideas, log=log)
    moderator = get_user_model().objects.get(username="moderation")
    cookie = session_cookies([moderator])[0]
    queries = {}
    for key, path in (("csv", CSV_PATH), ("xlsx", XLSX_PATH)):
        queries[key], status = count_queries(path, moderator)
        queries[f"{key}_small"], _status = count_queries(path + SMALL_FILTER, moderator)
        if status != 200:
            raise RuntimeError(f"{path} answered {status} in-process")
    small_count = Idea.objects.filter(status=Idea.Status.DEFERRED).count()

    server = Gunicorn(config, baseline=False)
    server.start()
    timings: dict[str, list[float]] = {"csv": [], "xlsx": []}
    sizes = {}
    try:
        for key, path in (("csv", CSV_PATH), ("xlsx", XLSX_PATH)):
            timed_download(server.base_url + path, cookie)  # warm up
            for _n in range(repeat):
                seconds, status, body = timed_download(server.base_url + path, cookie)
                if status != 200:
                    raise RuntimeError(f"{path} answered {status}")
                timings[key].append(round(seconds, 3))
                sizes[key] = len(body)
            if key == "csv":
                rows = body.decode("utf-8-sig").count("\r\n") - 1
                if rows < prepared["ideas_total"]:
                    raise RuntimeError(f"CSV has {rows} rows for {prepared['ideas_total']} ideas")
    finally:
        server.stop()
    constant = queries["csv"] == queries["csv_small"] and queries["xlsx"] == queries["xlsx_small"]
    result = {
        "bench": "export",
        "ideas": ideas,
        "ideas_total": prepared["ideas_total"],
        "csv_seconds": statistics.median(timings["csv"]),
        "xlsx_seconds": statistics.median(timings["xlsx"]),
        "csv_runs": timings["csv"],
        "xlsx_runs": timings["xlsx"],
        "csv_bytes": sizes["csv"],
        "xlsx_bytes": sizes["xlsx"],
        "queries": max(queries["csv"], queries["xlsx"]),
        "queries_by_format": queries,
        "queries_small": max(queries["csv_small"], queries["xlsx_small"]),
        "queries_small_ideas": small_count,
        "queries_constant": constant,
    }
    log(f"export: CSV {result['csv_seconds']} s, XLSX {result['xlsx_seconds']} s, {queries}")
    return result
