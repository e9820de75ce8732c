import datetime
import hashlib

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from participants.models import Role
from roundtable.committees import services
from roundtable.committees.models import Decision, Paper, Report, ReportDownload
from tests.committees.conftest import broker_at
from tests.committees.factories import CommitteeConceptFactory, PaperFactory, paper_with_concepts
from tests.factories import AgendaItemFactory, DepartmentFactory, UserFactory
from workshops.models import Concept

pytestmark = pytest.mark.django_db


def _report_files(media_root, paper):
    folder = media_root / "reports" / str(paper.pk)
    return sorted(p.name for p in folder.iterdir()) if folder.exists() else []


def test_paper_create_presents_coordinated_concepts(moderator):
    first, second = CommitteeConceptFactory(position=2), CommitteeConceptFactory(position=1)
    item = AgendaItemFactory()
    paper = services.paper_create(
        agenda_item=item,
        department=DepartmentFactory(number="50.3", name="Besondere soziale Aufgaben"),
        date=datetime.date(2004, 9, 9),
        resolution_proposal="Der Ausschuss nimmt zustimmend zur Kenntnis.",
        participating_departments=[DepartmentFactory(name="Ordnungsamt")],
        concepts=[first, second],
        by=moderator,
    )
    assert [link.concept for link in paper.concept_links.all()] == [first, second]
    assert paper.is_public
    # a draft: the concepts go to the committee with the submission
    assert set(Concept.objects.values_list("status", flat=True)) == {Concept.Status.COORDINATED}
    services.paper_submit(paper=paper, by=moderator)
    assert set(Concept.objects.values_list("status", flat=True)) == {Concept.Status.SUBMITTED}


def test_paper_update_takes_a_concept_back(moderator):
    kept, dropped = CommitteeConceptFactory(), CommitteeConceptFactory()
    paper = PaperFactory()
    services.paper_set_concepts(paper=paper, concepts=[kept, dropped], by=moderator)
    services.paper_update(
        paper=paper,
        department=paper.department,
        date=paper.date,
        resolution_proposal="geändert",
        concepts=[kept],
        by=moderator,
    )
    assert [link.concept for link in paper.concept_links.all()] == [kept]
    assert Paper.objects.get(pk=paper.pk).resolution_proposal == "geändert"


def test_report_request_numbers_versions_per_paper(
    committee_member, django_capture_on_commit_callbacks
):
    paper, other = PaperFactory(), PaperFactory()
    with django_capture_on_commit_callbacks() as callbacks:
        first = services.report_request(paper=paper, by=committee_member)
        archive = services.report_request(
            paper=paper, by=committee_member, variant=Report.Variant.PDF_A_3B
        )
        elsewhere = services.report_request(paper=other, by=committee_member)
    assert (first.version, archive.version, elsewhere.version) == (1, 2, 1)
    assert first.status == Report.Status.QUEUED and first.progress == 0
    # the task is handed to the broker only after the commit
    assert len(callbacks) == 3
    Report.objects.filter(pk=first.pk).update(status=Report.Status.DONE)
    assert services.report_request(paper=paper, by=committee_member).version == 3


def test_a_repeated_request_joins_the_render_in_flight(
    committee_member, moderator, django_capture_on_commit_callbacks
):
    """One render per paper version: whoever asks again while it is queued or running
    gets the same report; a changed paper gets a new one."""
    paper = PaperFactory()
    with django_capture_on_commit_callbacks() as callbacks:
        first = services.report_request(paper=paper, by=committee_member)
        again = services.report_request(paper=paper, by=moderator)
    assert (first.joined, again.joined) == (False, True)
    assert again.pk == first.pk
    assert Report.objects.filter(paper=paper).count() == 1
    assert len(callbacks) == 1
    Report.objects.filter(pk=first.pk).update(status=Report.Status.RUNNING)
    assert services.report_request(paper=paper, by=moderator).pk == first.pk
    paper.save()  # the paper changed: its PDF is a new version
    assert services.report_request(paper=paper, by=moderator).version == 2


def test_report_requests_are_rate_limited_per_person(committee_member, moderator, settings):
    settings.COMMITTEES_REPORT_RATE_LIMIT = 3
    for _ in range(3):
        services.report_request(paper=PaperFactory(), by=committee_member)
    with pytest.raises(ValidationError) as refused:
        services.report_request(paper=PaperFactory(), by=committee_member)
    assert "bereits 3 PDF-Berichte angefordert" in " ".join(refused.value.messages)
    # others are not limited by one person's requests
    assert services.report_request(paper=PaperFactory(), by=moderator).version == 1


def test_report_request_with_broker_down_keeps_row_queued(
    committee_member, django_capture_on_commit_callbacks, settings
):
    paper = PaperFactory()
    with broker_at("redis://127.0.0.1:1/0"):  # nothing listens there
        with django_capture_on_commit_callbacks(execute=True):
            report = services.report_request(paper=paper, by=committee_member)
        assert services.report_enqueue(report_id=report.pk) is False
    report.refresh_from_db()
    assert report.status == Report.Status.QUEUED


def test_report_generate_makes_one_file_and_is_idempotent(committee_member, media_root):
    paper = paper_with_concepts()
    report = Report.objects.create(paper=paper, version=1, requested_by=committee_member)
    done = services.report_generate(report_id=report.pk)
    assert done.status == Report.Status.DONE and done.progress == 100
    content = done.file.read()
    done.file.close()
    assert content.startswith(b"%PDF-")
    assert done.size == len(content)
    assert done.sha256 == hashlib.sha256(content).hexdigest()
    assert done.page_count >= 2
    assert done.attempts == 1
    # a second delivery of the same message changes nothing
    assert services.report_generate(report_id=report.pk) is None
    again = Report.objects.get(pk=report.pk)
    assert (again.sha256, again.attempts, again.finished_at) == (
        done.sha256,
        1,
        done.finished_at,
    )
    assert _report_files(media_root, paper) == [f"{report.pk}.pdf"]


def test_rerun_after_interrupted_attempt_leaves_one_file(committee_member, media_root, settings):
    paper = paper_with_concepts(concepts=1)
    report = Report.objects.create(paper=paper, version=1, requested_by=committee_member)
    # an earlier attempt died after writing its file, the row still says running
    folder = media_root / "reports" / str(paper.pk)
    folder.mkdir(parents=True)
    (folder / f"{report.pk}.pdf").write_bytes(b"half a file")
    long_ago = timezone.now() - datetime.timedelta(
        seconds=settings.COMMITTEES_REPORT_RUNNING_STALE_SECONDS + 5
    )
    Report.objects.filter(pk=report.pk).update(
        status=Report.Status.RUNNING, attempts=1, started_at=long_ago
    )
    done = services.report_generate(report_id=report.pk)
    assert done.status == Report.Status.DONE and done.attempts == 2
    assert _report_files(media_root, paper) == [f"{report.pk}.pdf"]
    assert (folder / f"{report.pk}.pdf").read_bytes().startswith(b"%PDF-")


def test_running_report_is_not_claimed_twice(committee_member):
    report = Report.objects.create(
        paper=PaperFactory(),
        version=1,
        status=Report.Status.RUNNING,
        attempts=1,
        started_at=timezone.now(),
    )
    assert services.report_generate(report_id=report.pk) is None
    report.refresh_from_db()
    assert report.attempts == 1 and report.status == Report.Status.RUNNING


def test_failing_render_fails_after_three_attempts(
    committee_member, settings, eager_celery, django_capture_on_commit_callbacks, media_root
):
    settings.COMMITTEES_REPORT_TEMPLATE = "committees/does_not_exist.html"
    settings.COMMITTEES_REPORT_RETRY_DELAY = 0
    paper = PaperFactory()
    with django_capture_on_commit_callbacks(execute=True):
        report = services.report_request(paper=paper, by=committee_member)
    report.refresh_from_db()
    assert report.status == Report.Status.FAILED
    assert report.attempts == 3
    assert "nach 3 Versuchen nicht erstellt" in report.error_message
    assert "interner Fehler" in report.error_message
    assert not report.file
    assert _report_files(media_root, paper) == []


def test_claim_fails_a_report_out_of_attempts():
    report = Report.objects.create(
        paper=PaperFactory(), version=1, status=Report.Status.QUEUED, attempts=3
    )
    assert services.report_generate(report_id=report.pk) is None
    report.refresh_from_db()
    assert report.status == Report.Status.FAILED
    assert "wiederholt unterbrochen" in report.error_message


def test_sweep_requeues_stale_queued_and_running(settings, django_capture_on_commit_callbacks):
    paper = PaperFactory()
    old = timezone.now() - datetime.timedelta(hours=2)
    stale_queued = Report.objects.create(paper=paper, version=1, queued_at=old)
    fresh_queued = Report.objects.create(paper=paper, version=2, published_at=timezone.now())
    dead_running = Report.objects.create(
        paper=paper, version=3, status=Report.Status.RUNNING, started_at=old, attempts=1
    )
    live_running = Report.objects.create(
        paper=paper, version=4, status=Report.Status.RUNNING, started_at=timezone.now()
    )
    done = Report.objects.create(paper=paper, version=5, status=Report.Status.DONE, queued_at=old)
    enqueued = []
    original = services.report_enqueue
    services.report_enqueue = lambda *, report_id: enqueued.append(report_id) or True
    try:
        stuck = services.report_requeue_stuck()
    finally:
        services.report_enqueue = original
    assert set(stuck) == {stale_queued.pk, dead_running.pk}
    assert set(enqueued) == set(stuck)
    dead_running.refresh_from_db()
    assert dead_running.status == Report.Status.QUEUED and dead_running.attempts == 1
    for untouched in (fresh_queued, live_running, done):
        before = untouched.status
        untouched.refresh_from_db()
        assert untouched.status == before


def test_download_is_recorded(committee_member):
    report = Report.objects.create(paper=PaperFactory(), version=1, status=Report.Status.DONE)
    services.report_download_record(report=report, user=committee_member)
    assert ReportDownload.objects.get().user == committee_member


@pytest.mark.parametrize(
    ("result", "expected"),
    [
        (Decision.Result.APPROVED, Concept.Status.ADOPTED),
        (Decision.Result.NOTED_APPROVINGLY, Concept.Status.ADOPTED),
        (Decision.Result.REJECTED, Concept.Status.REJECTED),
        (Decision.Result.DEFERRED, Concept.Status.SUBMITTED),
    ],
)
def test_decision_moves_the_papers_concepts(moderator, result, expected):
    paper = paper_with_concepts(concepts=2, ideas_per_concept=0, submitted=True)
    unrelated = CommitteeConceptFactory(status=Concept.Status.SUBMITTED)
    decision = services.decision_record(
        agenda_item=paper.agenda_item, text="So beschlossen.", result=result, by=moderator
    )
    assert decision.recorded_by == moderator
    statuses = set(Concept.objects.filter(papers=paper).values_list("status", flat=True))
    assert statuses == {expected}
    unrelated.refresh_from_db()
    assert unrelated.status == Concept.Status.SUBMITTED


def test_decision_on_a_concept_not_presented_is_refused(moderator):
    paper = PaperFactory()
    concept = CommitteeConceptFactory(status=Concept.Status.DRAFT)
    paper.concept_links.create(concept=concept, position=0)
    with pytest.raises(ValidationError):
        services.decision_record(
            agenda_item=paper.agenda_item,
            text="Zugestimmt.",
            result=Decision.Result.APPROVED,
            by=moderator,
        )
    assert not Decision.objects.exists()
    concept.refresh_from_db()
    assert concept.status == Concept.Status.DRAFT


def test_decision_can_be_corrected(moderator):
    paper = paper_with_concepts(concepts=1, ideas_per_concept=0, submitted=True)
    services.decision_record(
        agenda_item=paper.agenda_item, text="vertagt", result=Decision.Result.DEFERRED, by=moderator
    )
    other = UserFactory(username="moderation2", role=Role.MODERATOR)
    services.decision_record(
        agenda_item=paper.agenda_item, text="zugestimmt", result=Decision.Result.APPROVED, by=other
    )
    decision = Decision.objects.get()
    assert (decision.result, decision.recorded_by) == (Decision.Result.APPROVED, other)
    assert decision.history.count() == 2


def test_sweep_requeues_a_report_whose_worker_has_no_heartbeat(settings):
    """Finding 2: a report claimed by a worker that died stays "running" only until the
    next sweep (seconds), not until the hard time limit (minutes)."""
    from roundtable.operations.models import WorkerHeartbeat

    now = timezone.now()
    WorkerHeartbeat.objects.create(hostname="alive@host", last_seen=now)
    paper = PaperFactory()
    orphaned = Report.objects.create(
        paper=paper,
        version=1,
        status=Report.Status.RUNNING,
        started_at=now - datetime.timedelta(seconds=30),
        claimed_by="killed@host",
        attempts=1,
    )
    rendering = Report.objects.create(
        paper=paper,
        version=2,
        status=Report.Status.RUNNING,
        started_at=now - datetime.timedelta(seconds=30),
        claimed_by="alive@host",
        attempts=1,
        published_at=now,
    )
    enqueued = []
    original = services.report_enqueue
    services.report_enqueue = lambda *, report_id: enqueued.append(report_id) or True
    try:
        stuck = services.report_requeue_stuck()
    finally:
        services.report_enqueue = original
    assert stuck == [orphaned.pk] == enqueued
    orphaned.refresh_from_db()
    rendering.refresh_from_db()
    assert (orphaned.status, orphaned.published_at) == (Report.Status.QUEUED, None)
    assert rendering.status == Report.Status.RUNNING


def test_sweep_publishes_a_report_the_broker_never_took(django_capture_on_commit_callbacks):
    paper = PaperFactory()
    # nothing listens at port 1
    with broker_at("redis://127.0.0.1:1/0"), django_capture_on_commit_callbacks(execute=True):
        report = services.report_request(paper=paper, by=UserFactory(role=Role.COMMITTEE))
    report.refresh_from_db()
    assert report.published_at is None
    enqueued = []
    original = services.report_enqueue
    services.report_enqueue = lambda *, report_id: enqueued.append(report_id) or True
    try:
        # the next sweep, not only one after COMMITTEES_REPORT_QUEUED_STALE_SECONDS
        assert services.report_requeue_stuck() == [report.pk]
    finally:
        services.report_enqueue = original
