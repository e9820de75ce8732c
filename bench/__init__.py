"""Benchmarks of the portal as deployed: gunicorn, PostgreSQL, Redis, a real worker.

``python -m bench list-page|report|suggest|export ...`` (or ``make bench`` for all of
them). Each command prints one JSON object on its last line and records it in
``bench/results.json``. See docs/benchmarks.md for the figures and what they led to.
"""
