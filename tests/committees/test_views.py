import time

import pytest
from django.urls import reverse
from hypothesis import HealthCheck, given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from roundtable.committees import services
from roundtable.committees.models import Decision, Paper, Report, ReportDownload
from tests.committees.conftest import broker_at
from tests.committees.factories import CommitteeConceptFactory, PaperFactory, paper_with_concepts
from tests.factories import AgendaItemFactory, DepartmentFactory
from workshops.models import Concept

pytestmark = pytest.mark.django_db


@pytest.fixture
def done_report(media_root, committee_member):
    paper = paper_with_concepts(concepts=1, ideas_per_concept=1)
    report = Report.objects.create(paper=paper, version=1, requested_by=committee_member)
    return services.report_generate(report_id=report.pk)


def test_committee_list_and_meeting_detail_for_staff(client, staff_user):
    public = PaperFactory(agenda_item__title="Öffentlicher Punkt")
    AgendaItemFactory(meeting=public.agenda_item.meeting, title="Geheimer Punkt", is_public=False)
    client.force_login(staff_user)
    response = client.get(reverse("committees:committee_list"))
    assert response.status_code == 200
    assert public.agenda_item.meeting.committee.name in response.content.decode()
    response = client.get(
        reverse("committees:meeting_detail", args=[public.agenda_item.meeting_id])
    )
    page = response.content.decode()
    assert "Öffentlicher Punkt" in page and "Geheimer Punkt" not in page
    assert "Beschluss erfassen" not in page


def test_meeting_detail_queries_do_not_grow_per_item(
    client, moderator, django_assert_max_num_queries
):
    paper = PaperFactory()
    for _ in range(5):
        item = AgendaItemFactory(meeting=paper.agenda_item.meeting)
        PaperFactory(agenda_item=item, department=paper.department)
    client.force_login(moderator)
    with django_assert_max_num_queries(12):
        response = client.get(
            reverse("committees:meeting_detail", args=[paper.agenda_item.meeting_id])
        )
    assert response.status_code == 200


def test_paper_detail_queries_do_not_grow_per_report(
    client, committee_member, django_assert_max_num_queries
):
    paper = paper_with_concepts(concepts=3, ideas_per_concept=0)
    for version in range(1, 8):
        Report.objects.create(paper=paper, version=version, requested_by=committee_member)
    client.force_login(committee_member)
    with django_assert_max_num_queries(14):
        response = client.get(reverse("committees:paper_detail", args=[paper.pk]))
    assert response.status_code == 200
    assert response.content.decode().count("<progress") == 7


def test_non_public_paper_is_404_for_staff(client, staff_user):
    paper = PaperFactory(agenda_item__is_public=False)
    client.force_login(staff_user)
    assert client.get(reverse("committees:paper_detail", args=[paper.pk])).status_code == 404


def test_staff_sees_public_paper_without_reports(client, staff_user, done_report):
    client.force_login(staff_user)
    response = client.get(reverse("committees:paper_detail", args=[done_report.paper_id]))
    assert response.status_code == 200
    assert "PDF anfordern" not in response.content.decode()
    assert "PDF herunterladen" not in response.content.decode()


def test_staff_may_not_request_a_report(client, staff_user):
    paper = PaperFactory()
    client.force_login(staff_user)
    response = client.post(reverse("committees:report_request", args=[paper.pk]))
    assert response.status_code == 403
    assert not Report.objects.exists()


def test_request_shows_queued_even_when_broker_is_down(client, committee_member):
    paper = PaperFactory()
    client.force_login(committee_member)
    started = time.monotonic()
    with broker_at("redis://127.0.0.1:1/0"):  # nothing listens there
        response = client.post(
            reverse("committees:report_request", args=[paper.pk]),
            {"variant": "pdf/a-3a"},
            follow=True,
        )
    assert time.monotonic() - started < 3  # one quick connection attempt, no long retries
    assert response.status_code == 200
    assert "in der Warteschlange" in response.content.decode()
    report = Report.objects.get()
    assert (report.status, report.variant, report.version) == ("queued", "pdf/a-3a", 1)


def test_status_partial_polls_until_finished(client, committee_member, done_report):
    queued = Report.objects.create(paper=done_report.paper, version=2)
    client.force_login(committee_member)
    polling = client.get(reverse("committees:report_status", args=[queued.pk])).content.decode()
    assert 'hx-trigger="every 1s"' in polling and "<progress" in polling
    finished = client.get(reverse("committees:report_status", args=[done_report.pk]))
    assert "hx-trigger" not in finished.content.decode()
    assert "PDF herunterladen" in finished.content.decode()
    assert (
        finished["Cache-Control"].startswith("max-age=0") or "no-cache" in finished["Cache-Control"]
    )


def test_download_headers_and_record(client, committee_member, done_report):
    client.force_login(committee_member)
    response = client.get(reverse("committees:report_download", args=[done_report.pk]))
    assert response.status_code == 200
    body = b"".join(response.streaming_content)
    assert body.startswith(b"%PDF-") and len(body) == done_report.size
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert "Beschlussvorlage-TOP-" in response["Content-Disposition"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cache-Control"] == "private, no-store"
    download = ReportDownload.objects.get()
    assert (download.report_id, download.user) == (done_report.pk, committee_member)


@pytest.mark.parametrize("role", ["staff"])
def test_download_is_404_without_access(client, role_users, role, done_report):
    client.force_login(role_users[role])
    response = client.get(reverse("committees:report_download", args=[done_report.pk]))
    assert response.status_code == 404
    assert not ReportDownload.objects.exists()


def test_download_of_unfinished_report_is_404(client, committee_member):
    report = Report.objects.create(paper=PaperFactory(), version=1)
    client.force_login(committee_member)
    assert client.get(reverse("committees:report_download", args=[report.pk])).status_code == 404


def test_moderator_creates_and_edits_a_paper(client, moderator):
    item = AgendaItemFactory()
    department = DepartmentFactory(number="50.3", name="Besondere soziale Aufgaben")
    concept = CommitteeConceptFactory()
    client.force_login(moderator)
    url = reverse("committees:paper_create", args=[item.pk])
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {
            "department": department.pk,
            "date": "2004-09-09",
            "resolution_proposal": "Der Ausschuss nimmt zustimmend zur Kenntnis.",
            "preliminary_remarks": "Am 03.03.2004 …",
            "participating_departments": [department.pk],
            "concepts": [concept.pk],
        },
    )
    paper = Paper.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("committees:paper_detail", args=[paper.pk])
    concept.refresh_from_db()
    assert concept.status == Concept.Status.COORDINATED  # a draft
    edit = client.get(reverse("committees:paper_edit", args=[paper.pk]))
    assert edit.status_code == 200 and "zustimmend zur Kenntnis" in edit.content.decode()


@pytest.mark.parametrize("role", ["staff", "committee"])
def test_only_moderation_prepares_papers_and_decisions(client, role_users, role):
    item = AgendaItemFactory()
    client.force_login(role_users[role])
    assert client.get(reverse("committees:paper_create", args=[item.pk])).status_code == 403
    assert client.get(reverse("committees:decision_create", args=[item.pk])).status_code == 403


def test_moderator_records_a_decision(client, moderator):
    paper = paper_with_concepts(concepts=1, ideas_per_concept=0, submitted=True)
    client.force_login(moderator)
    response = client.post(
        reverse("committees:decision_create", args=[paper.agenda_item_id]),
        {"result": Decision.Result.NOTED_APPROVINGLY, "text": "Zustimmend zur Kenntnis genommen."},
        follow=True,
    )
    assert response.status_code == 200
    assert "zustimmend zur Kenntnis genommen" in response.content.decode()
    assert set(Concept.objects.values_list("status", flat=True)) == {Concept.Status.ADOPTED}


def test_decision_on_a_paper_not_submitted_shows_form_error(client, moderator):
    paper = PaperFactory()
    client.force_login(moderator)
    response = client.post(
        reverse("committees:decision_create", args=[paper.agenda_item_id]),
        {"result": Decision.Result.APPROVED, "text": "Zugestimmt."},
    )
    assert response.status_code == 200
    assert "noch nicht eingereicht" in response.content.decode()
    assert not Decision.objects.exists()


def test_decision_refused_by_workshops_shows_form_error(client, moderator):
    paper = paper_with_concepts(concepts=1, ideas_per_concept=0, submitted=True)
    Concept.objects.update(status=Concept.Status.DRAFT)
    client.force_login(moderator)
    response = client.post(
        reverse("committees:decision_create", args=[paper.agenda_item_id]),
        {"result": Decision.Result.APPROVED, "text": "Zugestimmt."},
    )
    assert response.status_code == 200
    assert "kann nicht von" in response.content.decode()
    assert not Decision.objects.exists()


@hsettings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    text=st.text(max_size=300),
    result=st.sampled_from(["approved", "noted", "rejected", "deferred", "", "x" * 30]),
)
def test_decision_form_never_500(client, moderator, text, result):
    item = AgendaItemFactory()
    client.force_login(moderator)
    response = client.post(
        reverse("committees:decision_create", args=[item.pk]), {"result": result, "text": text}
    )
    assert response.status_code in (200, 302)


@hsettings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    date=st.text(max_size=20),
    proposal=st.text(max_size=500),
    concepts=st.lists(st.integers(min_value=-5, max_value=10**6), max_size=3),
)
def test_paper_form_never_500(client, moderator, date, proposal, concepts):
    item = AgendaItemFactory()
    client.force_login(moderator)
    response = client.post(
        reverse("committees:paper_create", args=[item.pk]),
        {"department": "1", "date": date, "resolution_proposal": proposal, "concepts": concepts},
    )
    assert response.status_code in (200, 302)


# --- what got in the way of a new user --------------------------------------------------


@pytest.fixture
def committee_phase(db):
    """Committee work open today."""
    from tests.factories import PhaseFactory

    return PhaseFactory(key="gremien-heute", name="Gremien", allows_committee_work=True)


def test_decision_form_has_no_result_chosen_in_advance(client, moderator, committee_phase):
    paper = PaperFactory()
    url = reverse("committees:decision_create", args=[paper.agenda_item_id])
    client.force_login(moderator)
    page = client.get(url).content.decode()
    assert 'name="result"' in page
    assert "checked" not in page and "---------" not in page
    response = client.post(url, {"text": "Der Ausschuss vertagt."})
    assert response.status_code == 200
    assert "Bitte wählen Sie das Ergebnis des Beschlusses." in response.content.decode()
    assert not Decision.objects.exists()


def test_notice_of_a_requested_report_follows_its_row(
    client, committee_member, media_root, committee_phase
):
    paper = paper_with_concepts(concepts=1, ideas_per_concept=1)
    client.force_login(committee_member)
    with broker_at("redis://127.0.0.1:1/0"):  # nothing renders it: it stays queued
        page = client.post(
            reverse("committees:report_request", args=[paper.pk]), follow=True
        ).content.decode()
    report = Report.objects.get()
    assert page.index('id="report-notice"') < page.index("<h1>")  # at the top
    assert "Das PDF (Version 1) ist in der Warteschlange" in page
    status_url = reverse("committees:report_status", args=[report.pk])
    assert f'hx-get="{status_url}?notice=1"' in page  # the row carries the notice along

    services.report_generate(report_id=report.pk)
    answer = client.get(status_url, {"notice": "1"}).content.decode()
    assert 'id="report-notice"' in answer and 'hx-swap-oob="true"' in answer
    assert "Das PDF (Version 1) ist fertig." in answer and "Warteschlange" not in answer
    # a row polled without the notice (another version) brings none
    assert 'id="report-notice"' not in client.get(status_url).content.decode()
    # once shown, the notice is not repeated on the next visit
    page = client.get(reverse("committees:paper_detail", args=[paper.pk])).content.decode()
    assert 'id="report-notice"' not in page
