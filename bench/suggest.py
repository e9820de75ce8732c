"""``python -m bench suggest --ideas N``: computing group suggestions for the ideas.

Times the service the worker's task calls (``workshops.services.suggestion_run_execute``:
load the candidates, cluster, store) in this process, with its libraries already
imported as in a worker that has run before; the import itself is reported apart.
"""

import time

from .environment import BenchConfig, prepare


def run(config: BenchConfig, *, ideas: int, log=print) -> dict:
    from django.contrib.auth import get_user_model

    prepared = prepare(config, ideas=ideas, log=log)
    started = time.perf_counter()
    import workshops.suggestions  # noqa: F401 - numpy, scipy, scikit-learn

    import_seconds = time.perf_counter() - started

    from workshops.models import SuggestionRun
    from workshops.services import suggestion_run_execute

    moderator = get_user_model().objects.get(username="moderation")
    # the row the view makes; made here without queuing, the service is timed directly
    run_row = SuggestionRun.objects.create(workshop=None, requested_by=moderator)
    started = time.perf_counter()
    done = suggestion_run_execute(run_id=run_row.pk)
    seconds = time.perf_counter() - started
    if done is None or done.status != SuggestionRun.Status.DONE:
        raise RuntimeError(f"suggestions failed: {getattr(done, 'error', '')}")
    clusters = done.suggestions.count()
    grouped = sum(len(s.ideas.all()) for s in done.suggestions.prefetch_related("ideas"))
    log(f"suggest: {seconds:.2f} s for {done.idea_count} ideas, {clusters} groups")
    return {
        "bench": "suggest",
        "ideas": ideas,
        "ideas_total": prepared["ideas_total"],
        "candidates": done.idea_count,
        "seconds": round(seconds, 3),
        "service_reported_seconds": done.seconds,
        "import_seconds": round(import_seconds, 3),
        "clusters": clusters,
        "grouped_ideas": grouped,
    }
