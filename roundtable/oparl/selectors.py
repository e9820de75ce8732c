"""Reads of the OParl interface: only what the public part of the committees shows."""

import datetime
import hashlib

from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.db.models import QuerySet

from participants.models import Body, Department
from roundtable.committees.models import AgendaItem, Committee, Meeting, Paper, Report

from .models import ReportChecksum


def body_list() -> QuerySet[Body]:
    return Body.objects.order_by("pk")


def main_body() -> Body | None:
    """Departments have no body of their own: they belong to the first (the district)."""
    return body_list().first()


def committee_list(*, body: Body | None = None) -> QuerySet[Committee]:
    committees = Committee.objects.select_related("body").order_by("pk")
    if body is not None:
        committees = committees.filter(body=body)
    return committees


def department_list(*, body: Body | None = None) -> QuerySet[Department]:
    main = main_body()
    if main is None or (body is not None and body.pk != main.pk):
        return Department.objects.none()
    return Department.objects.order_by("pk")


def public_agenda_items() -> QuerySet[AgendaItem]:
    return (
        AgendaItem.objects.filter(is_public=True)
        .select_related("meeting__committee__body", "paper", "decision")
        .order_by("meeting_id", "position", "id")
    )


def meeting_list(*, body: Body | None = None) -> QuerySet[Meeting]:
    from django.db.models import Prefetch

    meetings = (
        Meeting.objects.select_related("committee__body")
        .prefetch_related(
            Prefetch("agenda_items", queryset=public_agenda_items(), to_attr="public_items")
        )
        .order_by("pk")
    )
    if body is not None:
        meetings = meetings.filter(committee__body=body)
    return meetings


def done_reports() -> QuerySet[Report]:
    """The final PDFs of submitted versions of public papers (a draft's previews are no
    document of record and are not published)."""
    return (
        Report.objects.filter(
            status=Report.Status.DONE,
            paper__agenda_item__is_public=True,
            paper_version__isnull=False,
        )
        .exclude(file="")
        .select_related(
            "paper__agenda_item__meeting__committee__body", "oparl_checksum", "paper_version"
        )
    )


def paper_list(*, body: Body | None = None) -> QuerySet[Paper]:
    from django.db.models import Prefetch

    papers = (
        Paper.objects.filter(agenda_item__is_public=True)
        .select_related(
            "agenda_item__meeting__committee__body", "agenda_item__decision", "department"
        )
        .prefetch_related(
            Prefetch(
                "reports", queryset=done_reports().order_by("-version"), to_attr="done_reports"
            )
        )
        .order_by("pk")
    )
    if body is not None:
        papers = papers.filter(agenda_item__meeting__committee__body=body)
    return papers


def file_list(*, body: Body | None = None) -> QuerySet[Report]:
    reports = done_reports().order_by("requested_at", "pk")
    if body is not None:
        reports = reports.filter(paper__agenda_item__meeting__committee__body=body)
    return reports


def person_list(*, body: Body | None = None):
    """Only people who agreed to be published; nobody by default."""
    return (
        get_user_model()
        .objects.filter(oparl_consent__isnull=False, is_active=True)
        .select_related("oparl_consent")
        .order_by("pk")
    )


def report_sha512(report: Report) -> str | None:
    """The report's SHA-512, computed from its file once and kept."""
    cached = getattr(report, "oparl_checksum", None)
    if cached is not None:
        return cached.sha512
    if not report.file:
        return None
    digest = hashlib.sha512()
    try:
        with report.file.open("rb") as handle:
            for chunk in iter(lambda: handle.read(1 << 16), b""):
                digest.update(chunk)
    except OSError:
        return None
    value = digest.hexdigest()
    try:
        with transaction.atomic():
            ReportChecksum.objects.get_or_create(report=report, defaults={"sha512": value})
    except IntegrityError:
        pass
    return value


def parse_when(value: str | None) -> datetime.datetime | None:
    """An ISO 8601 date-time (or date) from ``modified_since`` / ``modified_until``."""
    from django.utils import timezone
    from django.utils.dateparse import parse_date, parse_datetime

    if not value:
        return None
    value = value.strip().replace(" ", "+")
    parsed = parse_datetime(value)
    if parsed is None:
        day = parse_date(value)
        if day is None:
            raise ValueError(value)
        parsed = datetime.datetime.combine(day, datetime.time())
    if timezone.is_naive(parsed):
        parsed = timezone.make_aware(parsed)
    return parsed
