"""Faults done for real, on loopback (findings 1-3 and 7): a private Redis stopped or
paused under a running gunicorn and real workers, a worker killed mid-render, a burst of
reports. The figures printed here are the ones in docs/operations.md ("Faults")."""

import time

import pytest

from ideas.models import Idea, IdeaStatusChange
from ideas.services import idea_status_change
from participants.models import Role
from roundtable.committees import services as committee_services
from roundtable.committees.models import Report
from roundtable.notifications.models import Kind, Notification
from roundtable.operations.models import OutboxMessage
from roundtable.privacy.models import AccessibilityFeedback
from tests.committees.conftest import broker_at
from tests.committees.factories import paper_with_concepts
from tests.factories import TEST_PASSWORD, IdeaFactory, PhaseFactory, TopicFactory, UserFactory
from workshops.models import SuggestionRun

from .conftest import mails_sent
from .harness import Browser, wait_until


def _status_emailed(idea) -> bool:
    """The author's notification of the status change went out by e-mail."""
    return Notification.objects.filter(
        recipient_id=idea.author_id, kind=Kind.IDEA_STATUS, emailed_at__isnull=False
    ).exists()


pytestmark = pytest.mark.worker

OUTAGE_SECONDS = 20


def test_redis_stopped_during_five_actions_loses_nothing(
    web, start_worker, private_redis, tmp_path
):
    """Finding 1: Redis (broker and cache) stopped for 20 s while a moderator changes a
    status, a member comments and asks for a report, moderation starts a suggestion run
    and a visitor sends accessibility feedback: no 500, and once Redis is back every
    e-mail goes out exactly once and the report and the run are done."""
    author = UserFactory(username="verfasserin", role=Role.STAFF)
    UserFactory(username="moderation", role=Role.MODERATOR)
    UserFactory(username="ausschuss", role=Role.COMMITTEE)
    idea = IdeaFactory(author=author, title="Sprachcafé im Rathaus")
    IdeaFactory.create_batch(4)
    paper = paper_with_concepts(concepts=1, ideas_per_concept=1)
    start_worker(beat=True)

    moderation, committee, visitor = Browser(web.port), Browser(web.port), Browser(web.port)
    assert moderation.login("moderation", TEST_PASSWORD).status == 302
    assert committee.login("ausschuss", TEST_PASSWORD).status == 302
    moderation.get(f"/ideen/{idea.pk}/")
    committee.get(f"/gremien/vorlagen/{paper.pk}/")
    visitor.get("/barrierefreiheit/")

    private_redis.stop()
    down_at = time.monotonic()
    actions = {
        "status change": lambda: moderation.post(
            f"/ideen/{idea.pk}/status/", {"to_status": "accepted", "public_feedback": "Gern."}
        ),
        "comment": lambda: moderation.post(
            f"/ideen/{idea.pk}/kommentare/", {"text": "Wir melden uns."}
        ),
        "report request": lambda: committee.post(
            f"/gremien/vorlagen/{paper.pk}/pdf/", {"variant": "pdf/ua-1"}
        ),
        "suggestion run": lambda: moderation.post("/workshops/vorschlaege/", {}),
        "accessibility feedback": lambda: visitor.post(
            "/barrierefreiheit/", {"message": "Der Kontrast ist zu gering."}
        ),
    }
    answers = {}
    for name, action in actions.items():
        started = time.monotonic()
        response = action()
        answers[name] = (response.status, round(time.monotonic() - started, 2))
    print("answers while Redis was down (status, seconds):", answers)
    assert all(status in (200, 302) for status, _ in answers.values()), (answers, web.tail())

    time.sleep(max(0.0, OUTAGE_SECONDS - (time.monotonic() - down_at)))  # the outage itself
    private_redis.start()  # empty: every message published while it was away is gone
    back_at = time.monotonic()

    assert IdeaStatusChange.objects.filter(idea=idea).count() == 1  # stored while away
    report = Report.objects.get(paper=paper)
    run = SuggestionRun.objects.get()
    feedback = AccessibilityFeedback.objects.get()
    recovered = {}
    for name, done in {
        "status e-mail": lambda: _status_emailed(idea),
        "feedback e-mail": lambda: AccessibilityFeedback.objects.get(pk=feedback.pk).emailed_at,
        "report": lambda: Report.objects.get(pk=report.pk).status == "done",
        "suggestion run": lambda: SuggestionRun.objects.get(pk=run.pk).status == "done",
    }.items():
        wait_until(done, timeout=180, what=name)
        recovered[name] = round(time.monotonic() - back_at, 1)
    print("done after Redis returned (seconds):", recovered)

    # one more sweep of beat after everything is done: nothing is delivered twice
    log_path = next(tmp_path.glob("worker-*.log"))
    start_log = log_path.read_text().count("outbox_sweep")
    wait_until(
        lambda: log_path.read_text().count("outbox_sweep") >= start_log + 2,
        timeout=60,
        what="two more outbox sweeps",
    )
    sweeps = OutboxMessage.objects.values_list("task", "state", "attempts")
    subjects = mails_sent(tmp_path)
    print("e-mails:", subjects)
    # the author's status e-mail and the feedback's, once each (and the committee
    # member's "PDF fertig", once): nothing twice
    assert len([s for s in subjects if "Sprachcafé im Rathaus" in s]) == 1, subjects
    assert len([s for s in subjects if "Barrierefreiheit" in s]) == 1, subjects
    assert len(subjects) == len(set(subjects)), subjects
    assert {state for _, state, _ in sweeps} == {"done"}, list(sweeps)
    assert Idea.objects.get(pk=idea.pk).comments.count() == 1


def test_a_suggestion_run_whose_message_was_lost_does_not_wait_forever(
    web, start_worker, private_redis
):
    """Finding 1: a run requested while the broker was away stayed "wartet"; the outbox
    sweep hands it over once the broker is back."""
    UserFactory(username="moderation", role=Role.MODERATOR)
    IdeaFactory.create_batch(5)
    moderation = Browser(web.port)
    moderation.login("moderation", TEST_PASSWORD)
    moderation.get("/workshops/vorschlaege/")
    private_redis.stop()
    assert moderation.post("/workshops/vorschlaege/", {}).status == 302
    assert SuggestionRun.objects.get().status == "pending"
    private_redis.start()
    start_worker(beat=True)
    started = time.monotonic()
    wait_until(lambda: SuggestionRun.objects.get().status == "done", timeout=90, what="run done")
    print(f"suggestion run done {time.monotonic() - started:.1f} s after the broker returned")
    page = moderation.get("/workshops/vorschlaege/").body
    assert "wartet" not in page


def test_a_report_whose_worker_is_killed_mid_render_is_done_within_90_seconds(
    start_worker, private_redis
):
    """Finding 2: kill -9 of the worker rendering a report; a beat-driven sweep sees the
    worker's heartbeat gone and re-queues the report for another worker."""
    member = UserFactory(username="ausschuss", role=Role.COMMITTEE)
    paper = paper_with_concepts(concepts=2, ideas_per_concept=2)
    start_worker(queues=["mail"], beat=True)  # sweeps (and mail), as `make run` has it
    renderer = start_worker(queues=["reports"], COMMITTEES_REPORT_STEP_DELAY=3)
    with broker_at(private_redis.url):  # this process publishes as the web would
        report = committee_services.report_request(paper=paper, by=member)
    wait_until(
        lambda: Report.objects.filter(pk=report.pk, status="running", progress__gte=30).exists(),
        timeout=90,
        what="the render is under way",
    )
    renderer.kill()
    killed_at = time.monotonic()
    start_worker(queues=["reports"])  # a fresh worker (an orchestrator restarts it)
    done = wait_until(
        lambda: Report.objects.filter(pk=report.pk, status__in=["done", "failed"]).first(),
        timeout=180,
        what="report done after the kill",
    )
    elapsed = time.monotonic() - killed_at
    render = (done.finished_at - done.started_at).total_seconds()
    print(f"report done {elapsed:.1f} s after kill -9 (render of the retry {render:.1f} s)")
    assert done.status == "done", done.error_message
    assert done.attempts == 2
    assert elapsed <= 90 + render


def test_a_burst_of_twenty_reports_does_not_hold_up_a_status_email(
    start_worker, settings, private_redis
):
    """Finding 3: reports and e-mails shared one queue; six PDF requests delayed a status
    e-mail by minutes. Reports have their own queue and workers now."""
    settings.COMMITTEES_REPORT_RATE_LIMIT = 100
    members = [UserFactory(role=Role.COMMITTEE) for _ in range(4)]
    papers = [paper_with_concepts(concepts=1, ideas_per_concept=1) for _ in range(20)]
    moderator = UserFactory(role=Role.MODERATOR)
    idea = IdeaFactory(author=UserFactory(role=Role.STAFF))
    start_worker(queues=["mail"], beat=True)
    start_worker(queues=["reports"], COMMITTEES_REPORT_STEP_DELAY=0.5)
    with broker_at(private_redis.url):  # this process publishes as the web would
        for n, paper in enumerate(papers):
            committee_services.report_request(paper=paper, by=members[n % 4])
        wait_until(
            lambda: Report.objects.filter(status="running").exists(), timeout=60, what="renders"
        )
        asked = time.monotonic()
        idea_status_change(idea=idea, by=moderator, to_status="accepted")
    wait_until(
        lambda: _status_emailed(idea),
        timeout=30,
        interval=0.1,
        what="status e-mail",
    )
    mail_after = time.monotonic() - asked
    waiting = Report.objects.exclude(status="done").count()
    print(f"status e-mail out {mail_after:.1f} s after the change; {waiting} of 20 reports waiting")
    assert waiting >= 10  # the reports were really backed up when the mail went out
    assert mail_after <= 10


def test_redis_paused_during_a_write_the_next_list_shows_it(web, private_redis):
    """Finding 7: with Redis paused while an idea was submitted, the list was served from
    the page cache without it until the next write or 15 minutes."""
    PhaseFactory(key="offen", allows_idea_submission=True)
    topic = TopicFactory()
    UserFactory(username="mitarbeiter", role=Role.STAFF)
    IdeaFactory(title="Vor der Pause")
    staff = Browser(web.port)
    staff.login("mitarbeiter", TEST_PASSWORD)
    staff.get("/ideen/")
    cached = staff.get("/ideen/")
    assert cached.headers.get("X-Page-Cache") == "hit"
    form = staff.get("/ideen/neu/")
    assert form.status == 200
    private_redis.pause(6000)
    submitted = staff.post(
        "/ideen/neu/",
        {"title": "Während der Pause", "description": "Text.", "topic": topic.pk},
    )
    assert submitted.status == 302, submitted.body[-2000:]
    wait_until(lambda: private_redis.cli("ping") == "PONG", timeout=30, what="pause over")
    after = staff.get("/ideen/")
    assert "Während der Pause" in after.body
    assert "Vor der Pause" in after.body
