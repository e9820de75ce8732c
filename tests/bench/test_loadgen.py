"""The load generator's output parsing and its refusals (nothing is timed here)."""

import pytest

from bench.loadgen import (
    LoadError,
    LoadResult,
    check_result,
    parse_wrk_output,
    wrk_command,
    wrk_requests_per_second,
)

WRK_OUTPUT = """\
Running 10s test @ http://127.0.0.1:40123/ideen/
  1 threads and 16 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency    41.20ms   12.01ms 190.33ms   80.12%
    Req/Sec   388.51     40.22   470.00     71.00%
  3871 requests in 10.01s, 241.94MB read
Requests/sec:    386.72
Transfer/sec:     24.17MB
BENCH_WRK {"requests": 3871, "duration_us": 10010000, "p50_us": 39500, "p95_us": 63250, \
"p99_us": 98000, "max_us": 190330, "errors_connect": 0, "errors_read": 0, "errors_write": 0, \
"errors_status": 0, "errors_timeout": 0, "not_200": 0}
"""

WRK_OUTPUT_REDIRECTS = """\
Running 2s test @ http://127.0.0.1:40123/ideen/
  1 threads and 4 connections
  120 requests in 2.00s, 1.10MB read
  Non-2xx or 3xx responses: 7
Requests/sec:     60.00
BENCH_WRK {"requests": 120, "duration_us": 2000000, "p50_us": 1000, "p95_us": 2000, \
"p99_us": 3000, "max_us": 4000, "errors_connect": 0, "errors_read": 1, "errors_write": 0, \
"errors_status": 7, "errors_timeout": 2, "not_200": 3}
"""


def test_parse_reads_the_stats_line():
    result = parse_wrk_output(WRK_OUTPUT)
    assert result == LoadResult(
        requests=3871,
        seconds=10.01,
        rps=386.7,
        p50_ms=39.5,
        p95_ms=63.25,
        p99_ms=98.0,
        max_ms=190.33,
        errors=0,
        not_200=0,
    )
    # our figure agrees with wrk's own summary
    assert wrk_requests_per_second(WRK_OUTPUT) == pytest.approx(result.rps, abs=0.1)


def test_parse_counts_errors_and_takes_the_larger_count_of_wrong_answers():
    result = parse_wrk_output(WRK_OUTPUT_REDIRECTS)
    assert result.errors == 1 + 7 + 2
    assert result.not_200 == 7  # wrk's non-2xx/3xx count beats the script's 3


def test_parse_without_the_stats_line_is_an_error():
    with pytest.raises(LoadError, match="BENCH_WRK"):
        parse_wrk_output("Running 10s test @ http://127.0.0.1:1/\nRequests/sec: 10.0\n")
    assert wrk_requests_per_second("no summary") is None


def test_check_refuses_runs_with_wrong_answers_or_none_at_all():
    good = parse_wrk_output(WRK_OUTPUT)
    check_result(good)
    with pytest.raises(LoadError, match="other than 200"):
        check_result(parse_wrk_output(WRK_OUTPUT_REDIRECTS))
    with pytest.raises(LoadError, match="no request"):
        check_result(
            LoadResult(
                requests=0,
                seconds=1,
                rps=0,
                p50_ms=0,
                p95_ms=0,
                p99_ms=0,
                max_ms=0,
                errors=0,
                not_200=0,
            )
        )


def test_wrk_command_is_bounded_and_on_loopback_only(monkeypatch):
    monkeypatch.setattr("bench.loadgen.wrk_binary", lambda: "/usr/bin/wrk")
    command = wrk_command(
        url="http://127.0.0.1:8123/ideen/",
        cookies=["sessionid=a", "sessionid=b"],
        concurrency=16,
        seconds=10,
    )
    assert command[0] == "/usr/bin/wrk"
    assert "--connections=16" in command
    assert "--duration=10s" in command
    assert command[-3:] == ["--", "sessionid=a", "sessionid=b"]
    with pytest.raises(ValueError, match="loopback"):
        wrk_command(url="http://example.org/ideen/", cookies=[], concurrency=4, seconds=1)
