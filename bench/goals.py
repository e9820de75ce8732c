"""The goals of issues 6 and 16 and the table of docs/benchmarks.md. Pure functions."""

LIST_GOAL_IDEAS = 10_000
LIST_SCALE_IDEAS = (1_000, 100_000)
LIST_MIN_RATIO = 0.25
LIST_MAX_P95_MS = 50
LIST_MAX_QUERIES = 10
LIST_MIN_SCALE = 0.8
REPORT_MAX_SECONDS = 15
REPORT_MAX_RSS_MB = 500
REPORT_MAX_OVERHEAD = 1.2
SUGGEST_MAX_SECONDS = 3
EXPORT_MAX_SECONDS = 2
# issue 16: the list while it changes, and the district-wide board
LIVE_GOAL_IDEAS = 10_000
LIVE_SCALE_IDEAS = 100_000
LIVE_MIN_BROWSE = 0.25
LIVE_MIN_BUSY = 0.5
LIVE_MAX_P95_FACTOR = 3
LIVE_MAX_CPU_MS = 8
LIVE_MAX_QUERIES = 6
LIVE_MIN_SCALE = 0.8
BOARD_GOAL_IDEAS = 2_000
BOARD_MAX_PAINT_MS = 300
BOARD_MAX_BYTES = 250 * 1024


def _goal(name: str, figure, goal: str, met: bool) -> dict:
    return {"goal": name, "figure": figure, "target": goal, "met": bool(met)}


def _worst_ratio(result: dict) -> float:
    return min(
        row[page]["ratio"] for row in result["concurrency"].values() for page in ("page1", "deep")
    )


def scale_factors(big: dict, small: dict) -> dict[str, float]:
    """rps of the big list over the small one, page 1 and the last page, at the highest
    concurrency both ran (the last page of 100,000 ideas is page 2,000, of 1,000 page 20)."""
    common = set(big["concurrency"]) & set(small["concurrency"])
    c = max(common, key=int)
    return {
        page: round(big["concurrency"][c][page]["rps"] / small["concurrency"][c][page]["rps"], 3)
        for page in ("page1", "deep")
    }


def evaluate(result: dict, results: dict | None = None) -> list[dict]:
    """The goals this one result can be judged by (sizes the issue names only)."""
    bench, ideas = result["bench"], result.get("ideas")
    goals = []
    if bench == "list-page" and ideas == LIST_GOAL_IDEAS:
        c16 = result["concurrency"].get("16")
        goals.append(
            _goal(
                "ratio",
                _worst_ratio(result),
                f">= {LIST_MIN_RATIO}",
                _worst_ratio(result) >= LIST_MIN_RATIO,
            )
        )
        if c16:
            p95 = max(c16["page1"]["p95_ms"], c16["deep"]["p95_ms"])
            goals.append(
                _goal("p95_ms at c16", p95, f"<= {LIST_MAX_P95_MS}", p95 <= LIST_MAX_P95_MS)
            )
        # the page as a user mostly gets it (cached) and right after a change: the worse
        queries = max(result["queries"], result.get("queries_cold", 0))
        goals.append(
            _goal("queries", queries, f"<= {LIST_MAX_QUERIES}", queries <= LIST_MAX_QUERIES)
        )
    if bench == "list-page" and ideas == LIST_SCALE_IDEAS[1] and results:
        small = results.get(f"list-page:ideas={LIST_SCALE_IDEAS[0]}")
        if small:
            scale = scale_factors(result, small)
            goals.append(
                _goal(
                    "rps vs 1,000 ideas",
                    min(scale.values()),
                    f">= {LIST_MIN_SCALE}",
                    min(scale.values()) >= LIST_MIN_SCALE,
                )
            )
    if bench == "list-live" and ideas == LIVE_GOAL_IDEAS:
        goals += _live_goals(result)
    if bench == "list-live" and ideas == LIVE_SCALE_IDEAS and results:
        small = results.get(f"list-live:ideas={LIVE_GOAL_IDEAS}")
        if small:
            scale = round(result["browse_ratio"] / small["browse_ratio"], 3)
            goals.append(
                _goal(
                    "browse vs 10,000 ideas",
                    scale,
                    f">= {LIVE_MIN_SCALE}",
                    scale >= LIVE_MIN_SCALE,
                )
            )
    if bench == "board" and ideas == BOARD_GOAL_IDEAS:
        paint = result.get("first_paint_ms")
        if paint is None:  # no Chromium: the full HTML's arrival is the nearest figure
            paint = result["full_ms"]
        goals += [
            _goal("first_paint_ms", paint, f"<= {BOARD_MAX_PAINT_MS}", paint <= BOARD_MAX_PAINT_MS),
            _goal(
                "bytes",
                result["bytes"],
                f"<= {BOARD_MAX_BYTES}",
                result["bytes"] <= BOARD_MAX_BYTES,
            ),
            _goal(
                "queries constant",
                result["queries"],
                f"same as a board of few ideas ({result['queries_small']})",
                result["queries_constant"],
            ),
        ]
    if bench == "report" and ideas == 1_000 and result.get("concepts") == 50:
        goals += [
            _goal(
                "seconds",
                result["seconds"],
                f"<= {REPORT_MAX_SECONDS}",
                result["seconds"] <= REPORT_MAX_SECONDS,
            ),
            _goal(
                "peak_rss_mb",
                result["peak_rss_mb"],
                f"<= {REPORT_MAX_RSS_MB}",
                result["peak_rss_mb"] <= REPORT_MAX_RSS_MB,
            ),
            _goal(
                "overhead",
                result["overhead"],
                f"<= {REPORT_MAX_OVERHEAD}",
                result["overhead"] <= REPORT_MAX_OVERHEAD,
            ),
        ]
    if bench == "suggest" and ideas == 2_000:
        goals.append(
            _goal(
                "seconds",
                result["seconds"],
                f"<= {SUGGEST_MAX_SECONDS}",
                result["seconds"] <= SUGGEST_MAX_SECONDS,
            )
        )
    if bench == "export" and ideas == 10_000:
        for key in ("csv_seconds", "xlsx_seconds"):
            goals.append(
                _goal(
                    key, result[key], f"<= {EXPORT_MAX_SECONDS}", result[key] <= EXPORT_MAX_SECONDS
                )
            )
        goals.append(
            _goal(
                "queries constant",
                result["queries"],
                f"same as for {result['queries_small_ideas']} ideas ({result['queries_small']})",
                result["queries_constant"],
            )
        )
    return goals


def _live_goals(result: dict) -> list[dict]:
    p95_limit = round(LIVE_MAX_P95_FACTOR * result["ceiling_p95_ms"], 2)
    return [
        _goal(
            "browse_ratio",
            result["browse_ratio"],
            f">= {LIVE_MIN_BROWSE}",
            result["browse_ratio"] >= LIVE_MIN_BROWSE,
        ),
        _goal(
            "busy_ratio",
            result["busy_ratio"],
            f">= {LIVE_MIN_BUSY}",
            result["busy_ratio"] >= LIVE_MIN_BUSY,
        ),
        _goal(
            "browse_p95_ms",
            result["browse_p95_ms"],
            f"<= {p95_limit} ({LIVE_MAX_P95_FACTOR}× the ceiling's)",
            result["browse_p95_ms"] <= p95_limit,
        ),
        _goal(
            "busy_p95_ms",
            result["busy_p95_ms"],
            f"<= {p95_limit} ({LIVE_MAX_P95_FACTOR}× the ceiling's)",
            result["busy_p95_ms"] <= p95_limit,
        ),
        _goal(
            "cold_cpu_ms",
            result["cold_cpu_ms"],
            f"<= {LIVE_MAX_CPU_MS}",
            result["cold_cpu_ms"] <= LIVE_MAX_CPU_MS,
        ),
        _goal(
            "queries",
            result["queries_cold"],
            f"<= {LIVE_MAX_QUERIES}",
            result["queries_cold"] <= LIVE_MAX_QUERIES,
        ),
    ]


def _load(result: dict) -> str:
    c = result.get("conditions", {})
    before, after = c.get("load_before"), c.get("load_after")
    if not before:
        return ""
    return f"load {before[0]:.1f}→{after[0]:.1f}"


def _date(result: dict) -> str:
    return result.get("conditions", {}).get("measured_at", "").replace("T", " ").rstrip("Z")


def _cold(figures: dict, mark) -> str:
    """What a request costs right after a change to the data (the page cache emptied)."""
    if "queries_cold" not in figures:
        return ""
    queries = figures["queries_cold"]
    return (
        f"; after a change: {queries} queries{mark(queries <= LIST_MAX_QUERIES)}, "
        f"{figures['cold_ms']:.0f} ms"
    )


def _mark(met: bool | None) -> str:
    return "" if met is None else (" ✔" if met else " ✘")


def table_rows(results: dict) -> list[tuple[str, str, str, str, str]]:
    """(what, conditions, figure, goal, date) for each recorded result."""
    rows = []
    for key in sorted(results, key=_order):
        result = results[key]
        goals = {g["goal"]: g for g in evaluate(result, results)}
        bench, date, load = result["bench"], _date(result), _load(result)

        def met(name: str, goals: dict = goals) -> bool | None:
            return goals[name]["met"] if name in goals else None

        def target(name: str, goals: dict = goals) -> str:
            return goals[name]["target"] if name in goals else "–"

        if bench == "list-page":
            cond = f"{result['ideas']:,} ideas, {result['seconds']:.0f} s per run, {load}"
            for c, row in result["concurrency"].items():
                for page in ("page1", "deep"):
                    label = "page 1" if page == "page1" else f"page {result['deep_page']}"
                    figures = row[page]
                    judged = "ratio" in goals  # the size the absolute goals are set for

                    def mark(ok: bool, judged: bool = judged) -> str:
                        return _mark(ok) if judged else ""

                    p95_mark = mark(figures["p95_ms"] <= LIST_MAX_P95_MS) if c == "16" else ""
                    rows.append(
                        (
                            f"idea list, {label}, c{c}",
                            cond,
                            f"{figures['rps']:.0f} rps, ratio {figures['ratio']:.2f}"
                            f"{mark(figures['ratio'] >= LIST_MIN_RATIO)} "
                            f"(baseline {row['baseline_rps']:.0f} rps), p50 {figures['p50_ms']:.1f} ms, "
                            f"p95 {figures['p95_ms']:.1f} ms{p95_mark}, {figures['queries']} queries"
                            f"{mark(figures['queries'] <= LIST_MAX_QUERIES)}{_cold(figures, mark)}",
                            _list_goal(result, c, goals),
                            date,
                        )
                    )
        elif bench == "list-live":
            rows += _live_rows(result, goals, load, date)
        elif bench == "board":
            paint = result.get("first_paint_ms")
            rows.append(
                (
                    "district-wide board",
                    f"{result['ideas']:,} ideas ({result['ideas_on_board']:,} on the board), "
                    f"{load}",
                    f"first paint {_ms(paint)}{_mark(met('first_paint_ms'))}, first byte "
                    f"{result['ttfb_ms']:.0f} ms, full page {result['full_ms']:.0f} ms, "
                    f"{result['bytes'] / 1024:.0f} KB{_mark(met('bytes'))} ({result['cards']} cards), "
                    f"{result['queries']} queries{_mark(met('queries constant'))}",
                    f"first paint <= {BOARD_MAX_PAINT_MS} ms, <= {BOARD_MAX_BYTES // 1024} KB, "
                    "queries independent of the ideas"
                    if goals
                    else "(scale reference)",
                    date,
                )
            )
        elif bench == "report":
            cond = (
                f"{result['ideas']:,} ideas, {result['concepts']} concepts, {result['pages']} pages, "
                f"worker concurrency {result.get('worker_concurrency', 2)}, {load}"
            )
            rows.append(
                (
                    "committee report through the worker",
                    cond,
                    f"{result['seconds']:.1f} s{_mark(met('seconds'))}, peak RSS "
                    f"{result['peak_rss_mb']:.0f} MB{_mark(met('peak_rss_mb'))} "
                    f"(PSS {result.get('peak_pss_mb', 0):.0f} MB), bare WeasyPrint "
                    f"{result['bare_seconds']:.1f} s, overhead {result['overhead']:.2f}{_mark(met('overhead'))}",
                    f"{target('seconds')} s, {target('peak_rss_mb')} MB, overhead {target('overhead')}",
                    date,
                )
            )
        elif bench == "suggest":
            rows.append(
                (
                    "group suggestions",
                    f"{result['ideas']:,} ideas, {load}",
                    f"{result['seconds']:.2f} s{_mark(met('seconds'))} ({result['clusters']} groups)",
                    f"{target('seconds')} s",
                    date,
                )
            )
        elif bench == "export":
            rows.append(
                (
                    "export CSV / XLSX",
                    f"{result['ideas']:,} ideas, {load}",
                    f"CSV {result['csv_seconds']:.2f} s{_mark(met('csv_seconds'))}, XLSX "
                    f"{result['xlsx_seconds']:.2f} s{_mark(met('xlsx_seconds'))}, "
                    f"{result['queries']} queries{_mark(met('queries constant'))}",
                    f"{target('csv_seconds')} s each, constant queries",
                    date,
                )
            )
    return rows


def _ms(value) -> str:
    return "–" if value is None else f"{value:.0f} ms"


def _ceiling_cpu(result: dict) -> str:
    if not result.get("ceiling_cpu_ms"):
        return ""
    factor = result["cold_cpu_ms"] / result["ceiling_cpu_ms"]
    return f" ({factor:.1f}× the ceiling's {result['ceiling_cpu_ms']:.1f} ms)"


def _live_rows(result: dict, goals: dict, load: str, date: str) -> list[tuple]:
    cond = (
        f"{result['ideas']:,} ideas, c{result['concurrency']}, {result['seconds']:.0f} s per run, "
        f"{load}"
    )

    def mark(name: str) -> str:
        return _mark(goals[name]["met"]) if name in goals else ""

    ceiling = f"ceiling {result['ceiling_rps']:.0f} rps, p95 {result['ceiling_p95_ms']:.1f} ms"
    p95_goal = f"p95 <= {LIVE_MAX_P95_FACTOR}× the ceiling's"
    judged = "browse_ratio" in goals
    scale = goals.get("browse vs 10,000 ideas")
    browse_goal = f"ratio >= {LIVE_MIN_BROWSE}, {p95_goal}" if judged else "(scale reference)"
    if scale:
        browse_goal = f"ratio >= {LIVE_MIN_SCALE}× 10,000 ideas' (now {scale['figure']:.2f}×){_mark(scale['met'])}"
    rows = [
        (
            "idea list, browse (random pages, 2 sorts)",
            cond,
            f"{result['browse']['rps']:.0f} rps, ratio {result['browse_ratio']:.2f}{mark('browse_ratio')} "
            f"({ceiling}), p95 {result['browse_p95_ms']:.1f} ms{mark('browse_p95_ms')}",
            browse_goal,
            date,
        ),
        (
            "idea list, busy (page 1, 4 writes/s)",
            cond,
            f"{result['busy']['rps']:.0f} rps, ratio {result['busy_ratio']:.2f}{mark('busy_ratio')}, "
            f"p95 {result['busy_p95_ms']:.1f} ms{mark('busy_p95_ms')}, {result['writes']} writes",
            f"ratio >= {LIVE_MIN_BUSY}, {p95_goal}" if judged else "(scale reference)",
            date,
        ),
        (
            "idea list, page 1 rendered after a write (in-process)",
            f"{result['ideas']:,} ideas, {load}",
            f"{result['cold_cpu_ms']:.1f} ms CPU{mark('cold_cpu_ms')}"
            f"{_ceiling_cpu(result)}, {result['queries_cold']} "
            f"queries{mark('queries')}; "
            + (
                f"a further reader: {result['shared_cpu_ms']:.1f} ms; "
                if "shared_cpu_ms" in result
                else ""
            )
            + "with the whole cache emptied: "
            f"{result['empty_cpu_ms']:.1f} ms, {result['queries_empty']} queries",
            f"<= {LIVE_MAX_CPU_MS} ms CPU, <= {LIVE_MAX_QUERIES} queries"
            if judged
            else "(scale reference)",
            date,
        ),
    ]
    return rows


def _list_goal(result: dict, concurrency: str, goals: dict) -> str:
    parts = []
    if "ratio" in goals:
        parts.append(f"ratio >= {LIST_MIN_RATIO}")
        parts.append(f"<= {LIST_MAX_QUERIES} queries")
        if concurrency == "16":
            parts.append(f"p95 <= {LIST_MAX_P95_MS} ms")
    if "rps vs 1,000 ideas" in goals:
        g = goals["rps vs 1,000 ideas"]
        parts.append(
            f"rps >= {LIST_MIN_SCALE}× 1,000 ideas (now {g['figure']:.2f}×){_mark(g['met'])}"
        )
    return ", ".join(parts) or "(scale reference)"


def _order(key: str) -> tuple:
    bench, _, size = key.partition(":")
    order = {
        "list-page": 0,
        "list-live": 1,
        "board": 2,
        "report": 3,
        "suggest": 4,
        "export": 5,
    }.get(bench, 9)
    ideas = int(size.split(",")[0].split("=")[1]) if "=" in size else 0
    return (order, ideas)


def markdown_table(results: dict) -> str:
    lines = ["| what | conditions | figure | goal | date (UTC) |", "|---|---|---|---|---|"]
    lines += ["| " + " | ".join(row) + " |" for row in table_rows(results)]
    return "\n".join(lines)
