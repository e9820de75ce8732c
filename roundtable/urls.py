from django.conf import settings
from django.contrib import admin
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path
from django.views.i18n import set_language

admin.site.site_header = "Runder Tisch Integration – Verwaltung"
admin.site.site_title = "Runder Tisch Integration"

handler400 = "roundtable.operations.errors.bad_request"
handler500 = "roundtable.operations.errors.server_error"

urlpatterns = [
    path("", include("roundtable.overview.urls")),
    path("healthz", include("roundtable.operations.urls")),
    path("accounts/", include("participants.account_urls")),
    path("i18n/setlang/", login_not_required(set_language), name="set_language"),
    path("zeitraster/phasen/", include("roundtable.timeline.urls")),
    path("beteiligte/", include("participants.urls")),
    path("benachrichtigungen/", include("roundtable.notifications.urls")),
    path("ideen/", include("ideas.urls")),
    path("workshops/", include("workshops.urls")),
    path("gremien/", include("roundtable.committees.urls")),
    path("umsetzung/", include("roundtable.implementation.urls")),
    path("oparl/v1/", include("roundtable.oparl.urls")),
    path("", include("roundtable.privacy.urls")),
    path("admin/", admin.site.urls),
]

if settings.BENCH_BASELINE:  # the benchmark's ceiling (bench/views.py), off unless asked for
    urlpatterns.append(path("bench/", include("bench.urls")))
