"""The read-only OParl 1.1 interface.

Access follows ``OPARL_PUBLIC``: when true, the views are exempt from
LoginRequiredMiddleware and open to anyone; when false (default), the middleware
sends anonymous users to the login page as everywhere else, and logged-in users
without a role get 403. The views' ``login_required`` attribute, which the
middleware reads, is a property over the setting, so the setting is read per request.
"""

import math
from functools import update_wrapper
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import get_object_or_404
from django.utils.decorators import method_decorator
from django.views.decorators.http import require_safe

from roundtable.committees.models import ReportDownload
from roundtable.committees.services import report_download_record

from . import selectors, serializers
from .serializers import Urls

PAGE_SIZE = 100
MAX_PAGE_SIZE = 500


def _error(status: int, message: str) -> JsonResponse:
    return JsonResponse({"error": message}, status=status)


class _OparlView:
    """A view whose exemption from LoginRequiredMiddleware follows ``OPARL_PUBLIC``."""

    def __init__(self, view):
        self.view = view
        update_wrapper(self, view)

    @property
    def login_required(self) -> bool:
        return not settings.OPARL_PUBLIC

    def __call__(self, request, *args, **kwargs):
        response = self._answer(request, *args, **kwargs)
        if settings.OPARL_PUBLIC:
            # OParl 1.1, 2.6: every answer may be read by scripts of other origins,
            # the errors (404, 405, 400) too
            response["Access-Control-Allow-Origin"] = "*"
        return response

    @method_decorator(require_safe)
    def _answer(self, request, *args, **kwargs):
        if not settings.OPARL_PUBLIC:
            if not request.user.is_authenticated:  # the middleware has already redirected
                return redirect_to_login(request.get_full_path())
            if not request.user.has_perm("oparl.view_api"):
                return _error(403, "Kein Zugriff auf die OParl-Schnittstelle.")
        try:
            return self.view(request, Urls(request), *args, **kwargs)
        except Http404:
            return _error(404, "Nicht gefunden.")


def oparl_view(view) -> _OparlView:
    return _OparlView(view)


def _json(data) -> JsonResponse:
    return JsonResponse(data, json_dumps_params={"ensure_ascii": False})


def _external_list(request, urls: Urls, queryset, serialize, *, modified_field: str):
    """An OParl external list: ``data``, ``pagination``, ``links``, filtered by
    ``modified_since`` / ``modified_until`` and paged by ``page`` / ``limit``."""
    try:
        since = selectors.parse_when(request.GET.get("modified_since"))
        until = selectors.parse_when(request.GET.get("modified_until"))
    except ValueError:
        return _error(400, "modified_since/modified_until: Datum im Format ISO 8601 erwartet.")
    if since:
        queryset = queryset.filter(**{f"{modified_field}__gte": since})
    if until:
        queryset = queryset.filter(**{f"{modified_field}__lte": until})
    try:
        limit = min(max(int(request.GET.get("limit", PAGE_SIZE)), 1), MAX_PAGE_SIZE)
        page = max(int(request.GET.get("page", 1)), 1)
    except ValueError:
        return _error(400, "page/limit: ganze Zahl erwartet.")
    total = queryset.count()
    pages = max(math.ceil(total / limit), 1)
    if page > pages:
        return _error(404, "Diese Seite gibt es nicht.")
    items = list(queryset[(page - 1) * limit : page * limit])
    base = request.build_absolute_uri(request.path)
    params = {k: v for k, v in request.GET.items() if k not in ("page",)}

    def link(number: int) -> str:
        return f"{base}?{urlencode({**params, 'page': number})}"

    links = {"first": link(1), "self": link(page), "last": link(pages)}
    if page > 1:
        links["prev"] = link(page - 1)
    if page < pages:
        links["next"] = link(page + 1)
    return _json(
        {
            "data": [serialize(item) for item in items],
            "pagination": {
                "totalElements": total,
                "elementsPerPage": limit,
                "currentPage": page,
                "totalPages": pages,
            },
            "links": links,
        }
    )


# --- objects ---------------------------------------------------------------------


@oparl_view
def system(request, urls):
    return _json(serializers.system(urls))


@oparl_view
def body_list(request, urls):
    return _external_list(
        request,
        urls,
        selectors.body_list(),
        lambda b: serializers.body(urls, b),
        modified_field="modified",
    )


@oparl_view
def body(request, urls, pk):
    return _json(serializers.body(urls, get_object_or_404(selectors.body_list(), pk=pk)))


@oparl_view
def committee_organization(request, urls, pk):
    return _json(
        serializers.committee_organization(
            urls, get_object_or_404(selectors.committee_list(), pk=pk)
        )
    )


@oparl_view
def department_organization(request, urls, pk):
    main = selectors.main_body()
    if main is None:
        raise Http404
    department = get_object_or_404(selectors.department_list(), pk=pk)
    return _json(serializers.department_organization(urls, department, main))


@oparl_view
def meeting(request, urls, pk):
    return _json(serializers.meeting(urls, get_object_or_404(selectors.meeting_list(), pk=pk)))


@oparl_view
def agenda_item(request, urls, pk):
    return _json(
        serializers.agenda_item(urls, get_object_or_404(selectors.public_agenda_items(), pk=pk))
    )


@oparl_view
def paper(request, urls, pk):
    return _json(serializers.paper(urls, get_object_or_404(selectors.paper_list(), pk=pk)))


@oparl_view
def consultation(request, urls, pk):
    return _json(serializers.consultation(urls, get_object_or_404(selectors.paper_list(), pk=pk)))


@oparl_view
def file(request, urls, pk):
    return _json(serializers.file(urls, get_object_or_404(selectors.file_list(), pk=pk)))


def _file_response(request, pk, *, as_attachment: bool):
    """The report's PDF, under the portal's own rule for downloads: while the interface
    is not public, only those who may download reports in the portal get it (404 for
    others, as ``committees:report_download`` answers). Every download is recorded."""
    report = get_object_or_404(selectors.file_list(), pk=pk)
    if not settings.OPARL_PUBLIC and not request.user.has_perm(
        "committees.download_report", report
    ):
        raise Http404
    try:
        handle = report.file.open("rb")
    except OSError as exc:
        raise Http404 from exc
    report_download_record(report=report, user=request.user, channel=ReportDownload.Channel.OPARL)
    response = FileResponse(
        handle,
        as_attachment=as_attachment,
        filename=report.download_name,
        content_type="application/pdf",
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


@oparl_view
def file_access(request, urls, pk):
    return _file_response(request, pk, as_attachment=False)


@oparl_view
def file_download(request, urls, pk):
    return _file_response(request, pk, as_attachment=True)


@oparl_view
def person(request, urls, pk):
    return _json(
        serializers.person(
            urls, get_object_or_404(selectors.person_list(), pk=pk), selectors.main_body()
        )
    )


# --- the body's lists ---------------------------------------------------------------


def _body_or_404(pk):
    return get_object_or_404(selectors.body_list(), pk=pk)


@oparl_view
def body_organizations(request, urls, pk):
    """Committees first, then the departments (organizationType "Verwaltung")."""
    body_obj = _body_or_404(pk)
    committees = [
        ("committee", c)
        for c in selectors.committee_list(body=body_obj).filter(**_modified_filters(request))
    ]
    departments = [
        ("department", d)
        for d in selectors.department_list(body=body_obj).filter(**_modified_filters(request))
    ]
    items = committees + departments

    def serialize(pair):
        kind, obj = pair
        if kind == "committee":
            return serializers.committee_organization(urls, obj)
        return serializers.department_organization(urls, obj, body_obj)

    return _external_list(request, urls, _ListAdapter(items), serialize, modified_field="modified")


def _modified_filters(request) -> dict:
    filters = {}
    try:
        since = selectors.parse_when(request.GET.get("modified_since"))
        until = selectors.parse_when(request.GET.get("modified_until"))
    except ValueError:
        return {}
    if since:
        filters["modified__gte"] = since
    if until:
        filters["modified__lte"] = until
    return filters


class _ListAdapter(list):
    """Two querysets (committees and departments) as one list; already filtered."""

    def filter(self, **kwargs):
        return self

    def count(self):
        return len(self)


@oparl_view
def body_people(request, urls, pk):
    body_obj = _body_or_404(pk)
    return _external_list(
        request,
        urls,
        selectors.person_list(body=body_obj),
        lambda p: serializers.person(urls, p, body_obj),
        modified_field="oparl_consent__modified",
    )


@oparl_view
def body_meetings(request, urls, pk):
    return _external_list(
        request,
        urls,
        selectors.meeting_list(body=_body_or_404(pk)),
        lambda m: serializers.meeting(urls, m),
        modified_field="modified",
    )


@oparl_view
def committee_meetings(request, urls, pk):
    committee = get_object_or_404(selectors.committee_list(), pk=pk)
    return _external_list(
        request,
        urls,
        selectors.meeting_list().filter(committee=committee),
        lambda m: serializers.meeting(urls, m),
        modified_field="modified",
    )


@oparl_view
def body_papers(request, urls, pk):
    return _external_list(
        request,
        urls,
        selectors.paper_list(body=_body_or_404(pk)),
        lambda p: serializers.paper(urls, p),
        modified_field="modified",
    )


@oparl_view
def body_agenda_items(request, urls, pk):
    return _external_list(
        request,
        urls,
        selectors.public_agenda_items().filter(meeting__committee__body=_body_or_404(pk)),
        lambda a: serializers.agenda_item(urls, a),
        modified_field="modified",
    )


@oparl_view
def body_consultations(request, urls, pk):
    return _external_list(
        request,
        urls,
        selectors.paper_list(body=_body_or_404(pk)),
        lambda p: serializers.consultation(urls, p),
        modified_field="modified",
    )


@oparl_view
def body_files(request, urls, pk):
    return _external_list(
        request,
        urls,
        selectors.file_list(body=_body_or_404(pk)),
        lambda r: serializers.file(urls, r),
        modified_field="finished_at",
    )
