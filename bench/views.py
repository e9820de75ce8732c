"""The ceiling of the list-page benchmark: the same middleware, a short fixed answer.

Mounted at /bench/baseline/ only when BENCH_BASELINE=1 (settings.BENCH_BASELINE); like
every page it needs a login (LoginRequiredMiddleware).
"""

from django.http import HttpResponse
from django.views.decorators.http import require_GET


@require_GET
def baseline(request):
    return HttpResponse(b"ok", content_type="text/plain; charset=utf-8")
