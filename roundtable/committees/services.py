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
import re
from collections.abc import Iterable

from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Max, Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from participants.models import Body, Department, Role
from roundtable.notifications import services as notifications
from roundtable.notifications.calendar import Attendee, calendar_attachment
from roundtable.notifications.models import Kind, Notification
from roundtable.notifications.selectors import followers_of
from roundtable.operations import outbox
from roundtable.operations.health import workers_alive
from roundtable.timeline.gates import COMMITTEE_WORK, phase_require
from workshops.models import Concept
from workshops.services import concept_set_status

from .calendar import meeting_calendar_entry
from .models import (
    AgendaItem,
    Committee,
    CommitteeMembership,
    Decision,
    Meeting,
    Paper,
    PaperConcept,
    PaperVersion,
    Report,
    ReportDownload,
)

logger = logging.getLogger(__name__)


# --- committees, their members, meetings and agenda items ----------------------------


@transaction.atomic
def committee_create(
    *,
    body: Body,
    name: str,
    by,
    short_name: str = "",
    kind: str = Committee.Kind.COMMITTEE,
    name_genitive: str = "",
    name_dative: str = "",
) -> Committee:
    committee = Committee(
        body=body,
        name=name.strip(),
        short_name=short_name.strip(),
        kind=kind,
        name_genitive=name_genitive.strip(),
        name_dative=name_dative.strip(),
    )
    committee.full_clean()
    committee.save()
    return committee


@transaction.atomic
def committee_update(*, committee: Committee, by, **fields) -> Committee:
    allowed = {"body", "name", "short_name", "kind", "name_genitive", "name_dative"}
    for name, value in fields.items():
        if name not in allowed:
            raise TypeError(f"committee_update() got an unexpected field {name!r}")
        setattr(committee, name, value.strip() if isinstance(value, str) else value)
    committee.full_clean()
    committee.save()
    return committee


@transaction.atomic
def membership_set(*, committee: Committee, user, role: str, by) -> CommitteeMembership:
    """Adds ``user`` to the committee, or changes their function in it."""
    if role not in CommitteeMembership.Role.values:
        raise ValidationError({"role": _("Unbekannte Funktion.")})
    membership, _created = CommitteeMembership.objects.update_or_create(
        committee=committee, user=user, defaults={"role": role}
    )
    return membership


@transaction.atomic
def membership_remove(*, membership: CommitteeMembership, by) -> None:
    membership.delete()


@transaction.atomic
def meeting_create(
    *,
    committee: Committee,
    starts_at: datetime.datetime,
    by,
    ends_at: datetime.datetime | None = None,
    place: str = "",
    is_public: bool = True,
) -> Meeting:
    meeting = Meeting(
        committee=committee,
        starts_at=starts_at,
        ends_at=ends_at,
        place=place.strip(),
        is_public=is_public,
    )
    _check_meeting(meeting)
    meeting.save()
    return meeting


#: What a meeting's calendar entry shows: a change of these updates the invited calendars.
CALENDAR_FIELDS = ("starts_at", "ends_at", "place")


@transaction.atomic
def meeting_update(*, meeting: Meeting, by, **fields) -> Meeting:
    """Saves the meeting. If its members were invited already and its time or place
    changed, they get the invitation again: their calendars take over the change
    (``meeting.invitations_updated``: how many)."""
    before = Meeting.objects.select_for_update().get(pk=meeting.pk)
    for name, value in fields.items():
        if name not in {"committee", "starts_at", "ends_at", "place", "is_public"}:
            raise TypeError(f"meeting_update() got an unexpected field {name!r}")
        setattr(meeting, name, value.strip() if isinstance(value, str) else value)
    _check_meeting(meeting)
    moved = any(getattr(before, name) != getattr(meeting, name) for name in CALENDAR_FIELDS)
    if moved:
        meeting.calendar_changes = before.calendar_changes + 1
    meeting.save()
    if not meeting.is_public:
        meeting.agenda_items.filter(is_public=True).update(is_public=False)
    meeting.invitations_updated = 0
    if moved and _meeting_invited(meeting):
        meeting.invitations_updated = meeting_invitations_send(meeting=meeting, by=by)
    return meeting


def _meeting_invited(meeting: Meeting) -> bool:
    return Notification.objects.filter(
        kind=Kind.INVITATION,
        target_type=ContentType.objects.get_for_model(Meeting),
        target_id=str(meeting.pk),
    ).exists()


def _check_meeting(meeting: Meeting) -> None:
    if meeting.ends_at and meeting.ends_at < meeting.starts_at:
        raise ValidationError({"ends_at": _("Das Ende darf nicht vor dem Beginn liegen.")})
    if meeting.pk and Decision.objects.filter(agenda_item__meeting=meeting).exists():
        old = Meeting.objects.get(pk=meeting.pk)
        if timezone.localdate(old.starts_at) != timezone.localdate(meeting.starts_at):
            raise ValidationError(
                {
                    "starts_at": _(
                        "In dieser Sitzung wurde schon beschlossen: Ihr Datum ist das Datum "
                        "der Beschlüsse und bleibt."
                    )
                }
            )
    meeting.full_clean()


_HIER = re.compile(r"^\s*hier\s*:\s*", re.IGNORECASE)


def agenda_subtitle_clean(subtitle: str) -> str:
    """The "hier:" line without its "hier:": the paper and pages print that word."""
    return _HIER.sub("", subtitle or "").strip()


@transaction.atomic
def agenda_item_create(
    *,
    meeting: Meeting,
    number: str,
    title: str,
    by,
    subtitle: str = "",
    is_public: bool = True,
) -> AgendaItem:
    position = (meeting.agenda_items.aggregate(m=Max("position"))["m"] or 0) + 1
    item = AgendaItem(meeting=meeting, position=position)
    return _agenda_item_save(
        item, number=number, title=title, subtitle=subtitle, is_public=is_public
    )


@transaction.atomic
def agenda_item_update(
    *, agenda_item: AgendaItem, number: str, title: str, by, subtitle: str = "", is_public=True
) -> AgendaItem:
    paper = Paper.objects.filter(agenda_item=agenda_item).first()
    if paper is not None and paper.is_submitted:
        raise ValidationError(
            _(
                "Zu diesem Tagesordnungspunkt ist eine Vorlage eingereicht; Nummer und Titel "
                "stehen in ihr und bleiben. Korrekturen gehen über eine Ergänzung oder Änderung."
            )
        )
    return _agenda_item_save(
        agenda_item, number=number, title=title, subtitle=subtitle, is_public=is_public
    )


def _agenda_item_save(item: AgendaItem, *, number, title, subtitle, is_public) -> AgendaItem:
    item.number = number.strip()
    item.title = title.strip()
    item.subtitle = agenda_subtitle_clean(subtitle)
    item.is_public = bool(is_public) and item.meeting.is_public
    if (
        AgendaItem.objects.filter(meeting=item.meeting, number__iexact=item.number)
        .exclude(pk=item.pk)
        .exists()
    ):
        raise ValidationError(
            {"number": _("Diese Sitzung hat schon einen TO-Pkt. %(n)s.") % {"n": item.number}}
        )
    item.full_clean()
    item.save()
    return item


# --- papers ------------------------------------------------------------------------


#: Concepts a paper may present: worked out and coordinated (or already presented).
PRESENTABLE_CONCEPT_STATUSES = (Concept.Status.COORDINATED, Concept.Status.SUBMITTED)


def _check_phase(check: bool) -> None:
    if check:
        phase_require(COMMITTEE_WORK)


def _decided(paper: Paper) -> bool:
    return Decision.objects.filter(agenda_item_id=paper.agenda_item_id).exists()


def paper_check_changeable(paper: Paper, *, correction: bool = False) -> None:
    """A draft is edited; a submitted paper is corrected (a new version); a decided one
    stays as it was decided."""
    if _decided(paper):
        raise ValidationError(
            _("Zu dieser Vorlage ist beschlossen: Sie bleibt, wie sie beschlossen wurde.")
        )
    if correction and not paper.versions.exists():
        raise ValidationError(_("Die Vorlage ist noch nicht eingereicht; ändern Sie den Entwurf."))
    if not correction and paper.versions.exists():
        raise ValidationError(
            _(
                "Die Vorlage ist eingereicht und bleibt so. Korrigieren Sie sie mit einer "
                "Ergänzung oder Änderung: Das wird eine neue, nummerierte Fassung."
            )
        )


def _check_presentable(concepts: list[Concept]) -> None:
    not_ready = [c for c in concepts if c.status not in PRESENTABLE_CONCEPT_STATUSES]
    if not_ready:
        raise ValidationError(
            _("Nicht abgestimmt und darum nicht vorzulegen: %(concepts)s")
            % {"concepts": "; ".join(f"„{c.title}“ ({c.get_status_display()})" for c in not_ready)}
        )


@transaction.atomic
def paper_set_concepts(*, paper: Paper, concepts: Iterable[Concept], by) -> None:
    """Links the concepts in the given order. Their status follows the submission:
    ``paper_submit`` makes them "vorgelegt", a correction that takes one off makes it
    "abgestimmt" again."""
    concepts = list(concepts)
    _check_presentable([c for c in concepts if not paper.concept_links.filter(concept=c).exists()])
    PaperConcept.objects.filter(paper=paper).delete()
    PaperConcept.objects.bulk_create(
        [
            PaperConcept(paper=paper, concept=concept, position=position)
            for position, concept in enumerate(concepts)
        ]
    )


def _paper_apply(paper: Paper, *, fields: dict, by) -> None:
    concepts = fields.pop("concepts", None)
    participating = fields.pop("participating_departments", None)
    for name, value in fields.items():
        if name not in {"department", "date", "resolution_proposal", "preliminary_remarks"}:
            raise TypeError(f"unexpected paper field {name!r}")
        setattr(paper, name, value)
    paper.full_clean(exclude=["agenda_item", "created_by"])
    paper.save()
    if participating is not None:
        paper.participating_departments.set(participating)
    if concepts is not None:
        paper_set_concepts(paper=paper, concepts=concepts, by=by)


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
    check: bool = True,
) -> Paper:
    """A draft paper for the agenda item; ``paper_submit`` submits it."""
    _check_phase(check)
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
def paper_update(*, paper: Paper, by, check: bool = True, **fields) -> Paper:
    """Changes the draft. A submitted paper is corrected with ``paper_correct``."""
    _check_phase(check)
    Paper.objects.select_for_update().filter(pk=paper.pk).first()
    paper_check_changeable(paper)
    _paper_apply(paper, fields=fields, by=by)
    return paper


def _submit_concepts(paper: Paper, *, previous: set[int]) -> None:
    """Concepts now on the paper become "vorgelegt"; ones a correction took off become
    "abgestimmt" again, unless another submitted paper still presents them (automatic
    steps: ``by`` None)."""
    current = list(Concept.objects.filter(paper_links__paper=paper).order_by("pk"))
    _check_presentable(current)
    for concept in current:
        if concept.status == Concept.Status.COORDINATED:
            concept_set_status(
                concept=concept, status=Concept.Status.SUBMITTED, by=None, check=False
            )
    dropped = Concept.objects.filter(pk__in=previous - {c.pk for c in current})
    for concept in dropped:
        elsewhere = (
            PaperConcept.objects.filter(concept=concept, paper__versions__isnull=False)
            .exclude(paper=paper)
            .exists()
        )
        if concept.status == Concept.Status.SUBMITTED and not elsewhere:
            concept_set_status(
                concept=concept, status=Concept.Status.COORDINATED, by=None, check=False
            )


def _version_add(*, paper: Paper, kind: str, note: str, by) -> PaperVersion:
    from .selectors import paper_snapshot

    last = paper.versions.order_by("-number").first()
    content = paper_snapshot(paper_id=paper.pk)
    if last is not None and _comparable(last.content) == _comparable(content):
        raise ValidationError(
            _("Die Korrektur ändert nichts an der eingereichten Fassung %(n)s.")
            % {"n": last.number}
        )
    version = PaperVersion.objects.create(
        paper=paper,
        number=(last.number + 1) if last else 1,
        kind=kind,
        note=note.strip(),
        content=content,
        created_by=by,
    )
    report = _final_report_create(version=version, by=by)
    transaction.on_commit(lambda: report_enqueue(report_id=report.pk))
    return version


def _comparable(content: dict) -> dict:
    """A snapshot without what changes by itself (the ideas' support counts)."""
    ideas = [{k: v for k, v in idea.items() if k != "supports"} for idea in content["ideas"]]
    return {**content, "ideas": ideas}


@transaction.atomic
def paper_submit(*, paper: Paper, by, check: bool = True) -> PaperVersion:
    """Puts the paper before the committee: its concepts become "vorgelegt", its content
    (texts, concepts, their ideas) is frozen as version 1, and its final PDF is rendered
    once from that snapshot in the background."""
    _check_phase(check)
    paper = Paper.objects.select_for_update().get(pk=paper.pk)
    paper_check_changeable(paper)
    _submit_concepts(paper, previous=set())
    return _version_add(paper=paper, kind=PaperVersion.Kind.ORIGINAL, note="", by=by)


@transaction.atomic
def paper_correct(
    *, paper: Paper, kind: str, note: str, by, check: bool = True, **fields
) -> PaperVersion:
    """A correction of a submitted paper: the changes and a new, numbered version with
    its own final PDF. The earlier versions and their PDFs stay as they were."""
    _check_phase(check)
    paper = Paper.objects.select_for_update().get(pk=paper.pk)
    paper_check_changeable(paper, correction=True)
    if kind not in (PaperVersion.Kind.SUPPLEMENT, PaperVersion.Kind.AMENDMENT):
        raise ValidationError({"kind": _("Bitte wählen Sie: Ergänzung oder Änderung.")})
    if not note.strip():
        raise ValidationError({"note": _("Bitte schreiben Sie, was ergänzt oder geändert wurde.")})
    previous = set(paper.concept_links.values_list("concept_id", flat=True))
    _paper_apply(paper, fields=fields, by=by)
    _submit_concepts(paper, previous=previous)
    return _version_add(paper=paper, kind=kind, note=note, by=by)


# --- reports: requesting -------------------------------------------------------------


REPORT_TASK = "roundtable.committees.tasks.report_generate"


def report_enqueue(*, report_id, countdown: float | None = None) -> bool:
    """Hands the report's id to the broker. A broker that is down is no error: the
    report is a row of its own that stays queued, and the sweep queues it again."""
    published = outbox.publish(
        REPORT_TASK,
        args=(str(report_id),),
        queue=settings.COMMITTEES_REPORT_QUEUE,
        countdown=countdown,
    )
    if published:
        Report.objects.filter(pk=report_id, status=Report.Status.QUEUED).update(
            published_at=timezone.now()
        )
    return published


def _report_in_flight(*, paper: Paper, variant: str, language: str) -> Report | None:
    """A queued or running report of the paper as it is now (requested after its last
    change), which a repeated request joins instead of rendering the same PDF again."""
    return (
        Report.objects.filter(
            paper=paper,
            variant=variant,
            language=language,
            status__in=[Report.Status.QUEUED, Report.Status.RUNNING],
            requested_at__gte=paper.modified,
            paper_version__isnull=True,
        )
        .order_by("-version")
        .first()
    )


def _report_rate_check(*, by) -> None:
    """A person may start only so many renders within a while (joins do not count)."""
    window = settings.COMMITTEES_REPORT_RATE_WINDOW_SECONDS
    limit = settings.COMMITTEES_REPORT_RATE_LIMIT
    since = timezone.now() - datetime.timedelta(seconds=window)
    if Report.objects.filter(requested_by=by, requested_at__gte=since).count() >= limit:
        raise ValidationError(
            _(
                "Sie haben in den letzten %(minutes)s Minuten bereits %(count)s PDF-Berichte "
                "angefordert. Bitte warten Sie, bis diese fertig sind, und fordern Sie weitere "
                "in einigen Minuten an."
            )
            % {"minutes": max(1, window // 60), "count": limit},
            code="rate_limited",
        )


#: The final PDF of a submitted version: archival and accessible at once.
FINAL_VARIANT = Report.Variant.PDF_A_3A


def _report_row(*, paper: Paper, by, variant: str, language: str, **extra) -> Report:
    # Lock the paper so that two requests at the same moment get different versions.
    paper = Paper.objects.select_for_update().filter(pk=paper.pk).first() or paper
    if "paper_version" not in extra:
        # a preview: a repeated request joins the render in flight, and a person may
        # start only so many (a submitted version's final PDF is made once, always)
        in_flight = _report_in_flight(paper=paper, variant=variant, language=language)
        if in_flight is not None:
            in_flight.joined = True
            return in_flight
        _report_rate_check(by=by)
    last = Report.objects.filter(paper=paper).aggregate(last=Max("version"))["last"] or 0
    now = timezone.now()
    return Report.objects.create(
        paper=paper,
        version=last + 1,
        variant=variant,
        language=language,
        requested_by=by,
        requested_at=now,
        queued_at=now,
        **extra,
    )


def _final_report_create(*, version: PaperVersion, by) -> Report:
    return _report_row(
        paper=version.paper,
        by=by,
        variant=FINAL_VARIANT,
        language=settings.LANGUAGE_CODE,
        paper_version=version,
    )


@transaction.atomic
def report_request(
    *, paper: Paper, by, variant: str = Report.Variant.PDF_UA_1, language: str = "de"
) -> Report:
    """A preview PDF of a draft. A submitted paper has its final PDFs, one per version."""
    if paper.versions.exists():
        raise ValidationError(
            _(
                "Die Vorlage ist eingereicht: Ihre endgültigen PDF-Fassungen stehen zum "
                "Herunterladen bereit."
            )
        )
    report = _report_row(paper=paper, by=by, variant=variant, language=language)
    if getattr(report, "joined", False):  # the same paper's render is queued or running
        return report
    transaction.on_commit(lambda: report_enqueue(report_id=report.pk))
    report.joined = False
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


def _claim(report_id, *, worker: str = "") -> Report | None:
    """Marks the report running for this attempt (by ``worker``, its host name), or says
    there is nothing to do."""
    stale_before = timezone.now() - datetime.timedelta(
        seconds=settings.COMMITTEES_REPORT_RUNNING_STALE_SECONDS
    )
    with transaction.atomic():
        report = (
            Report.objects.select_for_update(of=("self",))
            .select_related("paper_version")
            .filter(pk=report_id)
            .first()
        )
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
        report.claimed_by = worker
        report.save(update_fields=["status", "attempts", "progress", "started_at", "claimed_by"])
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


def report_generate(*, report_id, worker: str = "") -> Report | None:
    """Makes the report's PDF. Safe to run twice: a finished report is left alone."""
    from .pdf import report_render

    report = _claim(report_id, worker=worker)
    if report is None:
        return None
    final = report.paper_version
    with translation.override(report.language):
        version_label = final.label if final is not None else ""
    try:
        rendered = report_render(
            paper_id=report.paper_id,
            snapshot=final.content if final is not None else None,
            version_label=version_label,
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
        report_ready_notify(report=report)
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
            report.published_at = None
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
    """Queues again what waits: reports the broker never took or lost (a restart), and
    reports whose worker died mid-render (their row still says running): at once when
    the claiming worker's heartbeat has gone, else after the hard time limit."""
    now = timezone.now()
    dead_worker = Q(status=Report.Status.RUNNING) & ~Q(claimed_by="")
    dead_worker &= ~Q(claimed_by__in=workers_alive())
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
                | Q(status=Report.Status.QUEUED, published_at__isnull=True)
                | Q(status=Report.Status.RUNNING, started_at__lte=now - running_older_than)
                | dead_worker
            )
            .values_list("pk", flat=True)
        )
        if stuck:
            # a dead run counts as an attempt; the claim fails the report after the last
            Report.objects.filter(pk__in=stuck).update(
                status=Report.Status.QUEUED, queued_at=now, progress=0, published_at=None
            )
    for report_id in stuck:
        report_enqueue(report_id=report_id)
    if stuck:
        logger.info("re-queued %s stuck report(s)", len(stuck))
    return stuck


@transaction.atomic
def report_download_record(
    *, report: Report, user, channel: str = ReportDownload.Channel.PORTAL
) -> ReportDownload:
    if user is not None and not user.is_authenticated:
        user = None  # a download through the public OParl interface
    return ReportDownload.objects.create(report=report, user=user, channel=channel)


# --- decisions --------------------------------------------------------------------

CONCEPT_STATUS_FOR_RESULT = {
    Decision.Result.APPROVED: Concept.Status.ADOPTED,
    Decision.Result.NOTED_APPROVINGLY: Concept.Status.ADOPTED,
    Decision.Result.REJECTED: Concept.Status.REJECTED,
}


@transaction.atomic
def decision_record(
    *, agenda_item: AgendaItem, text: str, result: str, by, check: bool = True
) -> Decision:
    """The one place a committee's decision is recorded. It carries the meeting's date;
    a paper on the item must have been submitted, and is locked from now on; its
    concepts become "beschlossen" or "abgelehnt" (automatic steps, through the
    workshops app's service, which checks the transition)."""
    _check_phase(check)
    if result not in Decision.Result.values:
        raise ValidationError({"result": _("Bitte wählen Sie das Ergebnis.")})
    paper = Paper.objects.filter(agenda_item=agenda_item).first()
    if paper is not None and not paper.versions.exists():
        raise ValidationError(
            _(
                "Die Beschlussvorlage zu diesem Tagesordnungspunkt ist noch nicht eingereicht. "
                "Beschlossen wird über die eingereichte Vorlage."
            )
        )
    meeting = agenda_item.meeting
    decision, _created = Decision.objects.update_or_create(
        agenda_item=agenda_item,
        defaults={
            "text": text,
            "result": result,
            "recorded_by": by,
            "recorded_at": timezone.now(),
            "decided_on": timezone.localdate(meeting.starts_at),
        },
    )
    status = CONCEPT_STATUS_FOR_RESULT.get(result)
    if status and paper is not None:
        concepts = Concept.objects.filter(paper_links__paper=paper).order_by("position", "id")
        for concept in concepts:
            concept_set_status(concept=concept, status=status, by=None, check=False)
    decision_notify(decision=decision, paper=paper, by=by)
    return decision


# --- notifications and invitations (roundtable.notifications) ------------------------


def _readers(people, perm: str, obj) -> list:
    """Those of ``people`` allowed ``perm`` on ``obj`` (the rules read their profiles)."""
    users = get_user_model().objects.filter(pk__in=[p.pk for p in people if p is not None])
    return [user for user in users.select_related("profile") if user.has_perm(perm, obj)]


def report_ready_notify(*, report: Report) -> None:
    """Whoever follows the paper, and whoever asked for the PDF, hears it is ready (if
    they may read reports)."""
    paper = Paper.objects.select_related("agenda_item").get(pk=report.paper_id)
    people = [*followers_of(paper), report.requested_by]
    notifications.notify(
        recipients=_readers(people, "committees.view_report", report),
        kind=Kind.REPORT_READY,
        text=gettext_noop(
            "Das PDF der Beschlussvorlage zu TO-Pkt. %(number)s „%(title)s“ (Version "
            "%(version)s) ist fertig."
        ),
        params={
            "number": paper.agenda_item.number,
            "title": paper.agenda_item.title,
            "version": report.version,
        },
        link=paper.get_absolute_url(),
        target=paper,
    )


def decision_notify(*, decision: Decision, paper: Paper | None, by) -> None:
    """The committee's decision reaches the authors of the ideas in the paper's concepts
    (and who follows those ideas, the concepts or the paper), once per person, if they
    may see the decision."""
    item = decision.agenda_item
    told: set[int] = set()
    base = {
        "committee": item.meeting.committee.name,
        "result": Decision.Result(decision.result).label,  # in the portal's language
        "item": item.title,
    }
    link = item.meeting.get_absolute_url() + f"#item-{item.pk}"

    def tell(people, text, **params):
        readers = [
            user
            for user in _readers(people, "committees.view_decision", item)
            if user.pk not in told
        ]
        told.update(user.pk for user in readers)
        notifications.notify(
            recipients=readers,
            kind=Kind.DECISION,
            text=text,
            params={**base, **params},
            detail=decision.text,
            link=link,
            target=paper or item,
            actor=by,
        )

    concepts = (
        list(
            Concept.objects.filter(paper_links__paper=paper).prefetch_related(
                "idea_links__idea__author"
            )
        )
        if paper is not None
        else []
    )
    for concept in concepts:
        for link_ in concept.idea_links.all():
            tell(
                [link_.idea.author],
                gettext_noop(
                    "Beschluss des Gremiums „%(committee)s“ zum Konzept „%(concept)s“ mit "
                    "Ihrer Idee „%(title)s“: %(result)s"
                ),
                concept=concept.title,
                title=link_.idea.title,
            )
    for concept in concepts:
        ideas = [link_.idea for link_ in concept.idea_links.all()]
        tell(
            [*followers_of(concept, *ideas)],
            gettext_noop(
                "Beschluss des Gremiums „%(committee)s“ zum Konzept „%(concept)s“: %(result)s"
            ),
            concept=concept.title,
        )
    if paper is not None:
        tell(
            [*followers_of(paper)],
            gettext_noop("Beschluss des Gremiums „%(committee)s“ zu „%(item)s“: %(result)s"),
        )


def meeting_invitees(meeting: Meeting):
    """Who is invited to a committee's meetings: the committee members."""
    return get_user_model().objects.filter(is_active=True, profile__role=Role.COMMITTEE)


@transaction.atomic
def meeting_invitations_send(*, meeting: Meeting, by) -> int:
    """Sends the committee members the meeting with its .ics (METHOD:REQUEST); sent
    again after a change, it updates their calendars. Returns how many were invited."""
    if not by.has_perm("committees.invite_meeting", meeting):
        raise PermissionDenied
    meeting = Meeting.objects.select_related("committee").get(pk=meeting.pk)
    public = meeting.agenda_items.filter(is_public=True).order_by("position", "id")
    entry = meeting_calendar_entry(meeting, agenda_items=list(public))
    starts = timezone.localtime(meeting.starts_at)
    told = 0
    for person in meeting_invitees(meeting).order_by("pk"):
        attachments = []
        if person.email:
            attendee = Attendee(
                name=person.get_full_name() or person.get_username(), email=person.email
            )
            attachments.append(calendar_attachment(entry, method="REQUEST", attendee=attendee))
        told += len(
            notifications.notify(
                recipients=[person],
                kind=Kind.INVITATION,
                text=gettext_noop("Einladung: Sitzung „%(committee)s“ am %(date)s um %(time)s Uhr"),
                params={
                    "committee": meeting.committee.name,
                    "date": f"{starts:%d.%m.%Y}",
                    "time": f"{starts:%H:%M}",
                },
                detail=meeting.place,
                link=meeting.get_absolute_url(),
                target=meeting,
                actor=by,
                attachments=attachments,
            )
        )
    return told
