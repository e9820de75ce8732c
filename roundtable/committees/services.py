"""Writes of the committees app: papers, reports and decisions.

A report is a row first. ``report_request`` creates it and queues the task only
after the transaction commits; ``report_generate`` (run by the worker) claims
the row, renders, and stores exactly one file under a name fixed by the
report's id. The sweep (``report_requeue_stuck``) re-queues what the broker or
a killed worker lost.
"""

import datetime
import hashlib
import logging
from collections.abc import Iterable

from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Max, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from participants.models import Department
from roundtable.operations import outbox
from workshops.models import Concept
from workshops.services import concept_set_status

from .models import AgendaItem, Decision, Paper, PaperConcept, Report, ReportDownload

logger = logging.getLogger(__name__)


# --- papers ------------------------------------------------------------------------


#: Concepts a paper may present: worked out and coordinated (or already presented).
PRESENTABLE_CONCEPT_STATUSES = (Concept.Status.COORDINATED, Concept.Status.SUBMITTED)


@transaction.atomic
def paper_set_concepts(*, paper: Paper, concepts: Iterable[Concept], by) -> None:
    """Links the concepts in the given order; a concept going to the committee becomes
    "dem Ausschuss vorgelegt". One taken off the paper keeps its status: moving it back
    is the workshops app's business (its sign-off rules apply)."""
    concepts = list(concepts)
    PaperConcept.objects.filter(paper=paper).delete()
    for concept in concepts:
        if concept.status == Concept.Status.COORDINATED:
            concept_set_status(concept=concept, status=Concept.Status.SUBMITTED, by=by)
    PaperConcept.objects.bulk_create(
        [
            PaperConcept(paper=paper, concept=concept, position=position)
            for position, concept in enumerate(concepts)
        ]
    )


@transaction.atomic
def paper_create(
    *,
    agenda_item: AgendaItem,
    department: Department,
    date: datetime.date,
    resolution_proposal: str,
    preliminary_remarks: str = "",
    participating_departments: Iterable[Department] = (),
    concepts: Iterable[Concept] = (),
    by,
) -> Paper:
    paper = Paper.objects.create(
        agenda_item=agenda_item,
        department=department,
        date=date,
        resolution_proposal=resolution_proposal,
        preliminary_remarks=preliminary_remarks,
        created_by=by,
    )
    paper.participating_departments.set(participating_departments)
    paper_set_concepts(paper=paper, concepts=concepts, by=by)
    return paper


@transaction.atomic
def paper_update(
    *,
    paper: Paper,
    department: Department,
    date: datetime.date,
    resolution_proposal: str,
    preliminary_remarks: str = "",
    participating_departments: Iterable[Department] = (),
    concepts: Iterable[Concept] = (),
    by,
) -> Paper:
    """Changes the paper; reports already made stay as they were (they are immutable)."""
    paper.department = department
    paper.date = date
    paper.resolution_proposal = resolution_proposal
    paper.preliminary_remarks = preliminary_remarks
    paper.save()
    paper.participating_departments.set(participating_departments)
    paper_set_concepts(paper=paper, concepts=concepts, by=by)
    return paper


# --- reports: requesting -------------------------------------------------------------


REPORT_TASK = "roundtable.committees.tasks.report_generate"


def report_enqueue(*, report_id, countdown: float | None = None) -> bool:
    """Hands the report's id to the broker. A broker that is down is no error: the
    report is a row of its own that stays queued, and the sweep queues it again."""
    return outbox.publish(
        REPORT_TASK,
        args=(str(report_id),),
        queue=settings.COMMITTEES_REPORT_QUEUE,
        countdown=countdown,
    )


@transaction.atomic
def report_request(
    *, paper: Paper, by, variant: str = Report.Variant.PDF_UA_1, language: str = "de"
) -> Report:
    # Lock the paper so that two requests at the same moment get different versions.
    Paper.objects.select_for_update().filter(pk=paper.pk).first()
    last = Report.objects.filter(paper=paper).aggregate(last=Max("version"))["last"] or 0
    now = timezone.now()
    report = Report.objects.create(
        paper=paper,
        version=last + 1,
        variant=variant,
        language=language,
        requested_by=by,
        requested_at=now,
        queued_at=now,
    )
    transaction.on_commit(lambda: report_enqueue(report_id=report.pk))
    return report


# --- reports: making (in the worker) ------------------------------------------------


def _failed_message(reason: str, attempts: int) -> str:
    return _(
        "Der Bericht konnte nach %(attempts)s Versuchen nicht erstellt werden. %(reason)s "
        "Bitte fordern Sie ihn erneut an; bleibt der Fehler, wenden Sie sich an die "
        "Administration."
    ) % {"attempts": attempts, "reason": reason}


def _reason_for(exc: BaseException) -> str:
    if isinstance(exc, SoftTimeLimitExceeded):
        return _("Die Erstellung hat zu lange gedauert.")
    return _("Beim Erzeugen des PDF ist ein interner Fehler aufgetreten.")


def _claim(report_id) -> Report | None:
    """Marks the report running for this attempt, or says there is nothing to do."""
    stale_before = timezone.now() - datetime.timedelta(
        seconds=settings.COMMITTEES_REPORT_RUNNING_STALE_SECONDS
    )
    with transaction.atomic():
        report = Report.objects.select_for_update().filter(pk=report_id).first()
        if report is None or report.is_finished:
            return None
        if report.status == Report.Status.RUNNING and report.started_at >= stale_before:
            # another delivery of the same message is working on it right now
            return None
        max_attempts = settings.COMMITTEES_REPORT_MAX_ATTEMPTS
        if report.attempts >= max_attempts:
            report.status = Report.Status.FAILED
            report.error_message = _failed_message(
                _("Die Erstellung wurde wiederholt unterbrochen."), report.attempts
            )
            report.finished_at = timezone.now()
            report.save(update_fields=["status", "error_message", "finished_at"])
            return None
        report.status = Report.Status.RUNNING
        report.attempts += 1
        report.progress = 5
        report.started_at = timezone.now()
        report.save(update_fields=["status", "attempts", "progress", "started_at"])
        return report


def report_progress_set(*, report_id, percent: int) -> None:
    Report.objects.filter(pk=report_id, status=Report.Status.RUNNING).update(
        progress=max(0, min(100, percent))
    )


def _store(report: Report, content: bytes, page_count: int) -> None:
    """Saves the PDF under the report's fixed name, replacing what an earlier,
    interrupted attempt may have left there."""
    field = report.file
    name = field.field.generate_filename(report, "report.pdf")
    if field.storage.exists(name):
        field.storage.delete(name)
    field.save(name, ContentFile(content), save=False)
    report.size = len(content)
    report.sha256 = hashlib.sha256(content).hexdigest()
    report.page_count = page_count


def report_generate(*, report_id) -> Report | None:
    """Makes the report's PDF. Safe to run twice: a finished report is left alone."""
    from .pdf import report_render

    report = _claim(report_id)
    if report is None:
        return None
    try:
        rendered = report_render(
            paper_id=report.paper_id,
            variant=report.variant,
            language=report.language,
            version=report.version,
            progress=lambda percent: report_progress_set(report_id=report.pk, percent=percent),
        )
    except Exception as exc:
        logger.exception("report %s: attempt %s failed", report.pk, report.attempts)
        return _report_attempt_failed(report_id=report.pk, reason=_reason_for(exc))

    with transaction.atomic():
        report = Report.objects.select_for_update().get(pk=report.pk)
        if report.status == Report.Status.DONE:
            return report
        _store(report, rendered.content, rendered.page_count)
        report.status = Report.Status.DONE
        report.progress = 100
        report.error_message = ""
        report.finished_at = timezone.now()
        report.save()
    logger.info(
        "report %s done: %s pages, %s bytes, %.1f s",
        report.pk,
        report.page_count,
        report.size,
        (report.finished_at - report.started_at).total_seconds(),
    )
    return report


def _report_attempt_failed(*, report_id, reason: str) -> Report:
    with transaction.atomic():
        report = Report.objects.select_for_update().get(pk=report_id)
        if report.attempts >= settings.COMMITTEES_REPORT_MAX_ATTEMPTS:
            report.status = Report.Status.FAILED
            report.error_message = _failed_message(reason, report.attempts)
            report.finished_at = timezone.now()
        else:
            report.status = Report.Status.QUEUED
            report.error_message = reason
            report.queued_at = timezone.now()
            transaction.on_commit(
                lambda: report_enqueue(
                    report_id=report_id, countdown=settings.COMMITTEES_REPORT_RETRY_DELAY
                )
            )
        report.progress = 0
        report.save()
    return report


def report_requeue_stuck(
    *,
    queued_older_than: datetime.timedelta | None = None,
    running_older_than: datetime.timedelta | None = None,
) -> list:
    """Queues again what waits too long: messages a broker restart lost, and reports
    whose worker died mid-render (their row still says running)."""
    now = timezone.now()
    if queued_older_than is None:
        queued_older_than = datetime.timedelta(
            seconds=settings.COMMITTEES_REPORT_QUEUED_STALE_SECONDS
        )
    if running_older_than is None:
        running_older_than = datetime.timedelta(
            seconds=settings.COMMITTEES_REPORT_RUNNING_STALE_SECONDS
        )
    with transaction.atomic():
        stuck = list(
            Report.objects.select_for_update(skip_locked=settings.USES_POSTGRES)
            .filter(
                Q(status=Report.Status.QUEUED, queued_at__lte=now - queued_older_than)
                | Q(status=Report.Status.RUNNING, started_at__lte=now - running_older_than)
            )
            .values_list("pk", flat=True)
        )
        if stuck:
            # a dead run counts as an attempt; the claim fails the report after the last
            Report.objects.filter(pk__in=stuck).update(
                status=Report.Status.QUEUED, queued_at=now, progress=0
            )
    for report_id in stuck:
        report_enqueue(report_id=report_id)
    if stuck:
        logger.info("re-queued %s stuck report(s)", len(stuck))
    return stuck


@transaction.atomic
def report_download_record(*, report: Report, user) -> ReportDownload:
    return ReportDownload.objects.create(report=report, user=user)


# --- decisions --------------------------------------------------------------------

CONCEPT_STATUS_FOR_RESULT = {
    Decision.Result.APPROVED: Concept.Status.ADOPTED,
    Decision.Result.NOTED_APPROVINGLY: Concept.Status.ADOPTED,
    Decision.Result.REJECTED: Concept.Status.REJECTED,
}


@transaction.atomic
def decision_record(*, agenda_item: AgendaItem, text: str, result: str, by) -> Decision:
    """Records the committee's decision and moves the paper's concepts to "beschlossen"
    or "abgelehnt" (through the workshops app's service, which checks the transition)."""
    decision, _created = Decision.objects.update_or_create(
        agenda_item=agenda_item,
        defaults={"text": text, "result": result, "recorded_by": by, "recorded_at": timezone.now()},
    )
    status = CONCEPT_STATUS_FOR_RESULT.get(result)
    paper = Paper.objects.filter(agenda_item=agenda_item).first()
    if status and paper is not None:
        concepts = Concept.objects.filter(paper_links__paper=paper).order_by("position", "id")
        for concept in concepts:
            concept_set_status(concept=concept, status=status, by=by)
    return decision
