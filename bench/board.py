"""``python -m bench board --ideas N``: the district-wide grouping board
(``/workshops/board/``) as moderation opens it, through gunicorn.

``ttfb_ms`` (time to the first byte of the answer) and ``full_ms`` (to its last byte):
medians of five after a warm-up, over a fresh connection each. ``first_paint_ms``: the
first contentful paint of the page in Chromium (Playwright, as the browser tests launch
it), median of three; missing where Chromium is not installed. ``bytes``: the HTML.
``queries``: SQL statements of one request in-process, for the whole board and for the
board searched down to the ideas of one measure (``queries_small``, about one in sixteen;
a search, unlike the other filters, validates no choice with a query): equal means the
queries do not grow with the ideas.
"""

import http.client
import shutil
import statistics
import time

from .environment import BenchConfig, Gunicorn, http_get, prepare, session_cookies
from .list_page import count_queries
from .loadgen import LoadError

BOARD_PATH = "/workshops/board/"
SMALL_SEARCH = "Frauenschwimmkurs"  # one of the bench's measures (roundtable/demo/bench.py)
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--headless",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]


def timed_get(port: int, path: str, cookie: str) -> tuple[float, float, int, bytes]:
    """(ms to the first byte, ms to the last byte, status, body) over a new connection."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    try:
        started = time.perf_counter()
        connection.request("GET", path, headers={"Cookie": cookie})
        response = connection.getresponse()  # returns once the status line has arrived
        first = time.perf_counter()
        body = response.read()
        done = time.perf_counter()
    finally:
        connection.close()
    return (first - started) * 1000, (done - started) * 1000, response.status, body


def first_paint(base_url: str, cookie: str, *, repeat: int = 3) -> float | None:
    """First contentful paint of the board in Chromium, median of ``repeat`` loads."""
    if not shutil.which(CHROMIUM):
        return None
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        return None
    name, _, value = cookie.partition("=")
    paints = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            for _ in range(repeat):
                context = browser.new_context()
                context.add_cookies([{"name": name, "value": value, "url": base_url}])
                page = context.new_page()
                page.goto(base_url + BOARD_PATH, wait_until="load")
                paint = page.evaluate(
                    "() => (performance.getEntriesByName('first-contentful-paint')[0] || {})"
                    ".startTime || null"
                )
                if paint is None:
                    paint = page.evaluate(
                        "() => performance.getEntriesByType('navigation')[0].domContentLoadedEventEnd"
                    )
                paints.append(paint)
                context.close()
        finally:
            browser.close()
    return round(statistics.median(paints), 1)


def run(config: BenchConfig, *, ideas: int, repeat: int = 5, log=print) -> dict:
    from django.contrib.auth import get_user_model

    from ideas.models import Idea

    prepared = prepare(config, ideas=ideas, log=log)
    moderator = get_user_model().objects.get(username="moderation")
    cookie = session_cookies([moderator])[0]
    queries, status = count_queries(BOARD_PATH, moderator)
    queries_small, _status = count_queries(f"{BOARD_PATH}?q={SMALL_SEARCH}", moderator)
    if status != 200:
        raise LoadError(f"{BOARD_PATH} answered {status} in-process")
    on_board = Idea.objects.exclude(status=Idea.Status.REJECTED).count()

    server = Gunicorn(config, baseline=False)
    server.start()
    try:
        server.wait_ready()
        status, _headers, _body = http_get(server.base_url + BOARD_PATH, cookie=cookie)
        if status != 200:
            raise LoadError(f"{BOARD_PATH} answered {status}")
        timed_get(server.port, BOARD_PATH, cookie)  # warm-up
        runs = [timed_get(server.port, BOARD_PATH, cookie) for _ in range(repeat)]
        if any(r[2] != 200 for r in runs):
            raise LoadError(f"{BOARD_PATH} answered {[r[2] for r in runs]}")
        body = runs[-1][3]
        paint = first_paint(server.base_url, cookie)
    finally:
        server.stop()
    result = {
        "bench": "board",
        "ideas": ideas,
        "ideas_total": prepared["ideas_total"],
        "ideas_on_board": on_board,
        "ttfb_ms": round(statistics.median(r[0] for r in runs), 1),
        "full_ms": round(statistics.median(r[1] for r in runs), 1),
        "full_runs_ms": [round(r[1], 1) for r in runs],
        "first_paint_ms": paint,
        "bytes": len(body),
        "cards": body.count(b'class="board-card"'),
        "queries": queries,
        "queries_small": queries_small,
        "queries_constant": queries == queries_small,
    }
    log(
        f"board: first byte {result['ttfb_ms']} ms, full {result['full_ms']} ms, "
        f"paint {paint} ms, {result['bytes']} bytes, {queries} queries"
    )
    return result
