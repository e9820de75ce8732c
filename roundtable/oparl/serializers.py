"""OParl 1.1 objects as dictionaries. Every id is the absolute URL of the object."""

from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from participants.models import Body, Department
from roundtable.committees.models import AgendaItem, Committee, Meeting, Paper, Report

from .selectors import report_sha512

SCHEMA = "https://schema.oparl.org/1.1/"
LICENSE = "https://creativecommons.org/licenses/by/4.0/"


def _when(value) -> str | None:
    if value is None:
        return None
    return timezone.localtime(value).isoformat(timespec="seconds")


def _clean(data: dict) -> dict:
    """OParl: leave out what has no value instead of sending null."""
    return {k: v for k, v in data.items() if v is not None}


class Urls:
    """Absolute URLs of the interface (and of the portal's own pages for ``web``)."""

    def __init__(self, request):
        self.request = request

    def __call__(self, name: str, *args) -> str:
        return self.request.build_absolute_uri(reverse(f"oparl:{name}", args=args))

    def web(self, name: str, *args) -> str:
        return self.request.build_absolute_uri(reverse(name, args=args))

    def organization(self, kind: str, pk: int) -> str:
        return self(f"{kind}_organization", pk)


def system(urls: Urls) -> dict:
    return {
        "id": urls("system"),
        "type": SCHEMA + "System",
        "oparlVersion": SCHEMA,
        "name": "Runder Tisch Integration",
        "body": urls("body_list"),
        "website": settings.PORTAL_BASE_URL,
        "product": "Runder Tisch Integration",
        "license": LICENSE,
    }


def body(urls: Urls, obj: Body) -> dict:
    return _clean(
        {
            "id": urls("body", obj.pk),
            "type": SCHEMA + "Body",
            "system": urls("system"),
            "name": obj.name,
            "shortName": obj.short_name or None,
            "website": obj.website or None,
            "organization": urls("body_organizations", obj.pk),
            "person": urls("body_people", obj.pk),
            "meeting": urls("body_meetings", obj.pk),
            "paper": urls("body_papers", obj.pk),
            "agendaItem": urls("body_agenda_items", obj.pk),
            "consultation": urls("body_consultations", obj.pk),
            "file": urls("body_files", obj.pk),
            "legislativeTerm": [],
            "created": _when(obj.created),
            "modified": _when(obj.modified),
        }
    )


def committee_organization(urls: Urls, obj: Committee) -> dict:
    return _clean(
        {
            "id": urls.organization("committee", obj.pk),
            "type": SCHEMA + "Organization",
            "body": urls("body", obj.body_id),
            "name": obj.name,
            "shortName": obj.short_name or None,
            "organizationType": "Gremium",
            "classification": obj.get_kind_display(),
            "meeting": urls("committee_meetings", obj.pk),
            "created": _when(obj.created),
            "modified": _when(obj.modified),
        }
    )


def department_organization(urls: Urls, obj: Department, body_obj: Body) -> dict:
    return _clean(
        {
            "id": urls.organization("department", obj.pk),
            "type": SCHEMA + "Organization",
            "body": urls("body", body_obj.pk),
            "name": obj.name,
            "shortName": obj.number or None,
            "organizationType": "Verwaltung",
            "classification": "Amt/Dienststelle",
            "created": _when(obj.created),
            "modified": _when(obj.modified),
        }
    )


def agenda_item(urls: Urls, obj: AgendaItem) -> dict:
    paper = getattr(obj, "paper", None)
    decision = getattr(obj, "decision", None)
    name = obj.title + (f" – {obj.subtitle}" if obj.subtitle else "")
    return _clean(
        {
            "id": urls("agenda_item", obj.pk),
            "type": SCHEMA + "AgendaItem",
            "meeting": urls("meeting", obj.meeting_id),
            "number": obj.number,
            "order": obj.position,
            "name": name,
            "public": obj.is_public,
            "consultation": urls("consultation", paper.pk) if paper is not None else None,
            "result": decision.get_result_display() if decision is not None else None,
            "resolutionText": decision.text if decision is not None else None,
            "created": _when(obj.created),
            "modified": _when(obj.modified),
        }
    )


def meeting(urls: Urls, obj: Meeting) -> dict:
    items = getattr(obj, "public_items", None)
    held = obj.starts_at <= timezone.now()
    return _clean(
        {
            "id": urls("meeting", obj.pk),
            "type": SCHEMA + "Meeting",
            "name": f"{obj.committee.name}, {timezone.localtime(obj.starts_at):%d.%m.%Y}",
            "meetingState": "durchgeführt" if held else "terminiert",
            "cancelled": False,
            "start": _when(obj.starts_at),
            "end": _when(obj.ends_at),
            "organization": [urls.organization("committee", obj.committee_id)],
            "agendaItem": [agenda_item(urls, item) for item in items]
            if items is not None
            else None,
            "created": _when(obj.created),
            "modified": _when(obj.modified),
        }
    )


def file(urls: Urls, obj: Report) -> dict:
    paper = obj.paper
    item = paper.agenda_item
    return _clean(
        {
            "id": urls("file", obj.pk),
            "type": SCHEMA + "File",
            "name": f"Beschlussvorlage TO-Pkt. {item.number}, {obj.paper_version.label}"
            if obj.paper_version_id
            else f"Beschlussvorlage TO-Pkt. {item.number}, Version {obj.version}",
            "fileName": obj.download_name,
            "mimeType": "application/pdf",
            "date": timezone.localtime(obj.finished_at).date().isoformat()
            if obj.finished_at
            else None,
            "size": obj.size if obj.size is not None else None,
            "sha512Checksum": report_sha512(obj),
            "accessUrl": urls("file_access", obj.pk),
            "downloadUrl": urls("file_download", obj.pk),
            "paper": [urls("paper", paper.pk)],
            "agendaItem": [urls("agenda_item", item.pk)],
            "meeting": [urls("meeting", item.meeting_id)],
            "created": _when(obj.requested_at),
            "modified": _when(obj.finished_at or obj.requested_at),
        }
    )


def consultation(urls: Urls, obj: Paper) -> dict:
    """One consultation per paper: the paper on its agenda item."""
    item = obj.agenda_item
    decision = getattr(item, "decision", None)
    return _clean(
        {
            "id": urls("consultation", obj.pk),
            "type": SCHEMA + "Consultation",
            "paper": urls("paper", obj.pk),
            "agendaItem": urls("agenda_item", item.pk),
            "meeting": urls("meeting", item.meeting_id),
            "organization": [urls.organization("committee", item.meeting.committee_id)],
            "authoritative": decision is not None,
            "role": "Beschlussfassung",
            "created": _when(obj.created),
            "modified": _when(obj.modified),
        }
    )


def paper(urls: Urls, obj: Paper) -> dict:
    item = obj.agenda_item
    reports = getattr(obj, "done_reports", [])
    return _clean(
        {
            "id": urls("paper", obj.pk),
            "type": SCHEMA + "Paper",
            "body": urls("body", item.meeting.committee.body_id),
            "name": item.title + (f" – {item.subtitle}" if item.subtitle else ""),
            "reference": f"TO-Pkt. {item.number} ({obj.date:%d.%m.%Y})",
            "date": obj.date.isoformat(),
            "paperType": "Beschlussvorlage",
            "mainFile": file(urls, reports[0]) if reports else None,
            "auxiliaryFile": [file(urls, r) for r in reports[1:]] or None,
            "underDirectionOf": [urls.organization("department", obj.department_id)],
            "consultation": [consultation(urls, obj)],
            "created": _when(obj.created),
            "modified": _when(obj.modified),
            "web": urls.web("committees:paper_detail", obj.pk),
        }
    )


def person(urls: Urls, obj, body_obj: Body | None) -> dict:
    return _clean(
        {
            "id": urls("person", obj.pk),
            "type": SCHEMA + "Person",
            "body": urls("body", body_obj.pk) if body_obj else None,
            "name": obj.get_full_name() or obj.get_username(),
            "familyName": obj.last_name or None,
            "givenName": obj.first_name or None,
            "created": _when(obj.oparl_consent.created),
            "modified": _when(obj.oparl_consent.modified),
        }
    )
