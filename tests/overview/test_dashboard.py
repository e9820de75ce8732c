import pytest
from django.urls import reverse

from ideas.models import Idea
from roundtable.overview.dashboard import dashboard_build
from tests.factories import DepartmentFactory, PhaseFactory, TopicFactory

# the measures and decisions of the fixtures are steps of open phases
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("phases_open")]


def _make_ideas(count: int, author) -> None:
    topics = [TopicFactory(name=f"Feld {n}", slug=f"feld-{n}") for n in range(3)]
    departments = [DepartmentFactory(name=f"Amt {n}") for n in range(4)]
    phase = PhaseFactory(key="ideenwerkstatt")
    statuses = [Idea.Status.SUBMITTED, Idea.Status.ACCEPTED, Idea.Status.REJECTED]
    Idea.objects.bulk_create(
        [
            Idea(
                title=f"Idee {n}",
                description="Text",
                topic=topics[n % 3],
                department=departments[n % 4],
                author=author,
                phase=phase,
                status=statuses[n % 3],
            )
            for n in range(count)
        ]
    )


def _queries_for(client, user, django_assert_num_queries, expected=None):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(user)
    client.get(reverse("dashboard"))  # session, permissions warm
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(reverse("dashboard"))
    assert response.status_code == 200
    return len(ctx.captured_queries), response


def test_query_count_constant_at_10_and_1000_ideas(
    client, moderator, measure, django_assert_num_queries
):
    _make_ideas(10, moderator)
    small, _ = _queries_for(client, moderator, django_assert_num_queries)
    _make_ideas(990, moderator)
    assert Idea.objects.count() == 1002  # plus the two of the concept
    client.force_login(moderator)
    with django_assert_num_queries(small):
        response = client.get(reverse("dashboard"))
    assert "1002 Ideen insgesamt" in response.content.decode()


def test_figures_match_the_database(moderator, measure):
    _make_ideas(30, moderator)
    data = dashboard_build()
    by_key = {chart.key: chart for chart in data.charts}
    status_rows = {row.label: row.value for row in by_key["ideas-status"].rows}
    assert status_rows["abgelehnt"] == Idea.objects.filter(status="rejected").count() == 10
    assert by_key["ideas-topic"].total == data.idea_total == 32
    troisdorf = next(r for r in data.progress_chart.rows if r.label == "Troisdorf")
    assert troisdorf.value == 0 and troisdorf.extra == "1 Maßnahme, davon 0 umgesetzt"


def test_charts_are_accessible_svg_with_table(client, committee_member, measure):
    _make_ideas(5, committee_member)
    client.force_login(committee_member)
    html = client.get(reverse("dashboard")).content.decode()
    assert html.count('role="img"') >= 7
    assert '<title id="ideas-status-title">Ideen je Status</title>' in html
    assert 'id="ideas-status-desc"' in html and "abgelehnt: 1" in html
    assert "<details" in html and "<table" in html
    assert "style=" not in html
