"""``python -m bench list-page|list-live|board|report|suggest|export|table|load-run``.

Each benchmark prepares its own database, measures, drops the database again,
records the result in bench/results.json and prints it as ONE JSON object on the
last line of its output (progress goes to stderr). ``load-run`` is the load and fault
run of ``make load-run`` (bench/load_run.py): it prints its JSON object and records
nothing; its exit status says whether every idea was stored once and whole.
"""

import argparse
import json
import sys

from .environment import ROOT, BenchConfig, database_drop, django_setup, load_average, redis_flush
from .results import conditions, record


def _log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)

    def add(name: str, help_text: str, default_ideas: int) -> argparse.ArgumentParser:
        command = sub.add_parser(name, help=help_text)
        command.add_argument("--ideas", type=int, default=default_ideas)
        command.add_argument(
            "--keep-db", action="store_true", help="leave the bench database for a look"
        )
        command.add_argument(
            "--no-record", action="store_true", help="do not write bench/results.json"
        )
        return command

    list_page = add("list-page", "the idea list under load (wrk)", 10_000)
    list_page.add_argument("--seconds", type=float, default=10)
    list_page.add_argument(
        "--concurrency", default="4,16", help="comma-separated wrk connection counts"
    )
    list_live = add("list-live", "the idea list while others write (wrk, a writer)", 10_000)
    list_live.add_argument("--seconds", type=float, default=10)
    list_live.add_argument("--concurrency", type=int, default=16)
    board = add("board", "the district-wide grouping board", 2_000)
    board.add_argument("--repeat", type=int, default=5)
    report = add("report", "a committee report through the real worker", 1_000)
    report.add_argument("--concepts", type=int, default=50)
    report.add_argument(
        "--worker-concurrency", type=int, default=2, help="pool size of the worker (make run: 2)"
    )
    add("suggest", "group suggestions for the ideas", 2_000)
    export = add("export", "CSV and XLSX export of all ideas", 10_000)
    export.add_argument("--repeat", type=int, default=3)
    sub.add_parser("table", help="print docs/benchmarks.md's table from bench/results.json")
    from .load_run import add_arguments as load_run_arguments

    load_run_arguments(
        sub.add_parser("load-run", help="idea submissions under load, PostgreSQL restarted")
    )
    return parser


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    if args.command == "table":
        from .goals import markdown_table
        from .results import RESULTS_PATH

        print(markdown_table(json.loads(RESULTS_PATH.read_text())))
        return 0
    if args.command == "load-run":  # its own database and processes: no bench config
        from .load_run import run

        return run(args)

    config = BenchConfig.from_environment()
    django_setup(config)
    load_before = load_average()
    try:
        if args.command == "list-page":
            from . import list_page

            concurrencies = tuple(int(c) for c in args.concurrency.split(","))
            result = list_page.run(
                config,
                ideas=args.ideas,
                seconds=args.seconds,
                concurrencies=concurrencies,
                log=_log,
            )
        elif args.command == "list-live":
            from . import list_live

            redis_flush(config)
            result = list_live.run(
                config,
                ideas=args.ideas,
                seconds=args.seconds,
                concurrency=args.concurrency,
                log=_log,
            )
        elif args.command == "board":
            from . import board

            result = board.run(config, ideas=args.ideas, repeat=args.repeat, log=_log)
        elif args.command == "report":
            from . import report

            redis_flush(config)
            result = report.run(
                config,
                ideas=args.ideas,
                concepts=args.concepts,
                worker_concurrency=args.worker_concurrency,
                log=_log,
            )
        elif args.command == "suggest":
            from . import suggest

            result = suggest.run(config, ideas=args.ideas, log=_log)
        elif args.command == "export":
            from . import export

            result = export.run(config, ideas=args.ideas, repeat=args.repeat, log=_log)
        else:  # pragma: no cover - argparse refuses it
            raise SystemExit(f"unknown command {args.command}")
    finally:
        if not args.keep_db:
            database_drop(config)
        if args.command in ("report", "suggest", "list-live"):
            redis_flush(config)
    result["conditions"] = conditions(load_before=load_before, load_after=load_average(), root=ROOT)
    from .goals import evaluate
    from .results import recorded

    result["goals"] = evaluate(result, recorded())  # 100,000 ideas: against the 1,000 run
    if not args.no_record:
        record(result)
    print(json.dumps(result, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
