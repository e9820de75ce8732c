import json

import pytest
from django.core.management import call_command
from django.urls import reverse

from roundtable.implementation.models import Measure
from tests.factories import AgendaItemFactory

pytestmark = pytest.mark.django_db
ROLES = ["staff", "moderator", "committee", "admin"]


def _get(client, user, url, **extra):
    client.force_login(user)
    return client.get(url, **extra)


def test_anonymous_is_sent_to_login(client, measure):
    response = client.get(reverse("implementation:measure_detail", args=[measure.pk]))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


@pytest.mark.parametrize("role", ROLES)
def test_everyone_reads_measures_and_places(client, role_users, role, measure, troisdorf):
    user = role_users[role]
    for url in (
        reverse("implementation:measure_list"),
        reverse("implementation:measure_detail", args=[measure.pk]),
        reverse("implementation:municipality_list"),
        reverse("implementation:municipality_detail", args=["troisdorf"]),
        reverse("implementation:responsible_list"),
        reverse("implementation:organisation_detail", args=[measure.responsible_organisation_id]),
    ):
        response = _get(client, user, url)
        assert response.status_code == 200, url
    page = _get(client, user, reverse("implementation:municipality_detail", args=["troisdorf"]))
    text = page.content.decode()
    assert "Was passiert in Troisdorf?" in text
    assert measure.title in text


@pytest.mark.parametrize(
    ("role", "status"), [("staff", 403), ("committee", 403), ("moderator", 200), ("admin", 200)]
)
def test_create_and_edit_for_moderation_only(client, role_users, role, status, measure):
    assert (
        _get(client, role_users[role], reverse("implementation:measure_create")).status_code
        == status
    )
    edit = reverse("implementation:measure_edit", args=[measure.pk])
    assert _get(client, role_users[role], edit).status_code == status
    client.force_login(role_users[role])
    post = client.post(
        reverse("implementation:measure_status", args=[measure.pk]), {"status": "started"}
    )
    assert post.status_code == (302 if status == 200 else 403)


def test_create_through_the_form(client, moderator, adopted_concept, jugendamt, troisdorf):
    client.force_login(moderator)
    response = client.post(
        reverse("implementation:measure_create"),
        {
            "concept": adopted_concept.pk,
            "title": "Hausaufgabenhilfe",
            "description": "",
            "responsible_department": jugendamt.pk,
            "municipalities": [troisdorf.pk],
            "starts_on": "2005-06-01",
            "ends_on": "2005-12-31",
        },
    )
    measure = Measure.objects.get(title="Hausaufgabenhilfe")
    assert response.status_code == 302 and response["Location"] == measure.get_absolute_url()
    assert measure.created_by == moderator


def test_form_errors_are_shown_not_500(client, moderator, adopted_concept, jugendamt):
    client.force_login(moderator)
    response = client.post(
        reverse("implementation:measure_create"),
        {"concept": adopted_concept.pk, "title": "Ohne Verantwortliche"},
    )
    assert response.status_code == 200
    assert "entweder ein verantwortliches Amt oder eine Organisation" in response.content.decode()
    assert not Measure.objects.exists()


def test_status_form_and_milestones(client, moderator, measure):
    client.force_login(moderator)
    client.post(
        reverse("implementation:measure_status", args=[measure.pk]),
        {"status": "started", "progress": "25", "note": "Es geht los."},
    )
    client.post(
        reverse("implementation:milestone_add", args=[measure.pk]),
        {"title": "Räume gefunden", "due_on": "2005-07-01"},
    )
    measure.refresh_from_db()
    assert (measure.status, measure.progress) == ("started", 25)
    page = client.get(measure.get_absolute_url()).content.decode()
    assert "Es geht los." in page and "Räume gefunden" in page
    bad = client.post(
        reverse("implementation:measure_status", args=[measure.pk]),
        {"status": "x", "progress": "500"},
    )
    assert bad.status_code == 302
    measure.refresh_from_db()
    assert measure.progress == 25


@pytest.mark.parametrize(
    ("role", "status"), [("staff", 403), ("committee", 200), ("moderator", 200), ("admin", 200)]
)
def test_dashboard_access(client, role_users, role, status):
    assert _get(client, role_users[role], reverse("dashboard")).status_code == status


@pytest.mark.parametrize(
    ("role", "status"), [("staff", 403), ("committee", 403), ("moderator", 200), ("admin", 200)]
)
def test_history_for_moderation(client, role_users, role, status, measure, adopted_concept):
    for kind, pk in (
        ("measure", measure.pk),
        ("concept", adopted_concept.pk),
        ("idea", adopted_concept.idea_links.first().idea_id),
        ("decision", adopted_concept.paper_links.get().paper.agenda_item.decision.pk),
    ):
        response = _get(
            client, role_users[role], reverse("implementation:history", args=[kind, pk])
        )
        assert response.status_code == status, kind


def test_history_shows_who_and_what(client, moderator, measure, jugendamt):
    from roundtable.implementation import services

    services.measure_update(
        measure=measure, by=moderator, title="Neuer Titel", responsible_department=jugendamt
    )
    page = _get(client, moderator, reverse("implementation:history", args=["measure", measure.pk]))
    text = page.content.decode()
    assert "Neuer Titel" in text and "Deutschkurse für Mütter in Troisdorf" in text
    assert moderator.get_full_name() in text
    assert _get(client, moderator, "/umsetzung/verlauf/unbekannt/1/").status_code == 404


def test_history_speaks_german_marks_automatic_steps_and_has_no_empty_rows(
    client, moderator, measure, adopted_concept
):
    from roundtable.implementation import services

    services.measure_set_status(measure=measure, status="started", by=moderator)
    services.measure_set_status(measure=measure, status="started", progress=20, by=moderator)
    page = _get(client, moderator, reverse("implementation:history", args=["measure", measure.pk]))
    text = page.content.decode()
    assert "geplant</del> → <ins>" in text and "begonnen</ins>" in text
    assert "planned" not in text and "started" not in text
    assert "<td>–</td>" not in text.replace("\n", "")  # every row says what changed
    assert "angelegt" in text
    concept_page = _get(
        client, moderator, reverse("implementation:history", args=["concept", adopted_concept.pk])
    ).content.decode()
    # the measure's start moved the concept on: an automatic step, in German
    assert "automatisch" in concept_page
    assert "beschlossen</del>" in concept_page and "in Umsetzung</ins>" in concept_page
    assert "adopted" not in concept_page


def test_idea_path_fragment_and_page(client, staff_user, measure, adopted_concept):
    idea = adopted_concept.idea_links.first().idea
    url = reverse("implementation:idea_path", args=[idea.pk])
    assert url == f"/umsetzung/ideen/{idea.pk}/weg/"
    full = _get(client, staff_user, url)
    fragment = _get(client, staff_user, url, HTTP_HX_REQUEST="true")
    assert full.status_code == fragment.status_code == 200
    assert "<html" in full.content.decode() and "<html" not in fragment.content.decode()
    text = fragment.content.decode()
    for expected in (adopted_concept.title, "TO-Pkt.", "zugestimmt", measure.title, "geplant"):
        assert expected in text


def test_idea_path_hides_non_public_paper_from_staff(
    client, staff_user, committee_member, adopted_concept
):
    paper = adopted_concept.paper_links.get().paper
    paper.agenda_item.is_public = False
    paper.agenda_item.save()
    idea = adopted_concept.idea_links.first().idea
    url = reverse("implementation:idea_path", args=[idea.pk])
    marker = reverse("committees:paper_detail", args=[paper.pk])
    assert marker not in _get(client, staff_user, url).content.decode()
    assert marker in _get(client, committee_member, url).content.decode()


def test_idea_path_query_count_is_fixed(
    client, moderator, measure, adopted_concept, django_assert_max_num_queries
):
    idea = adopted_concept.idea_links.first().idea
    client.force_login(moderator)
    with django_assert_max_num_queries(15):
        client.get(reverse("implementation:idea_path", args=[idea.pk]), HTTP_HX_REQUEST="true")


@pytest.mark.parametrize(
    ("role", "status"), [("moderator", 403), ("committee", 403), ("admin", 200)]
)
def test_export_download(client, role_users, role, status, measure):
    response = _get(client, role_users[role], reverse("implementation:export"))
    assert response.status_code == status
    if status == 200:
        assert "attachment" in response["Content-Disposition"]
        data = json.loads(response.content)
        assert {"participants", "phases", "ideas", "concepts", "decisions", "measures"} <= set(data)
        assert data["measures"][0]["title"] == measure.title
        assert len(data["ideas"]) == 2
        assert data["decisions"][0]["result"] == "approved"


def test_export_command(measure, tmp_path, capsys):
    out = tmp_path / "export.json"
    call_command("export_roundtable", "--output", str(out))
    data = json.loads(out.read_text())
    assert data["measures"][0]["municipalities"] == [measure.municipalities.get().pk]
    call_command("export_roundtable")
    assert json.loads(capsys.readouterr().out)["format"] == "runder-tisch-integration-export"


def test_export_query_count_is_fixed(measure, django_assert_max_num_queries):
    from roundtable.implementation.export import roundtable_export

    AgendaItemFactory()
    with django_assert_max_num_queries(30):
        roundtable_export()


def _count_queries(client, url):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get(url)
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_no_query_per_row(client, moderator, measure, adopted_concept, troisdorf, jugendamt):
    from roundtable.implementation import services

    client.force_login(moderator)
    services.measure_create(  # one row everywhere first: empty lists skip their prefetches
        concept=adopted_concept, title="Erste", responsible_department=jugendamt, by=moderator
    )
    urls = [
        reverse("implementation:measure_list"),
        reverse("implementation:municipality_detail", args=["troisdorf"]),
        reverse("implementation:department_detail", args=[jugendamt.pk]),
        reverse("implementation:measure_detail", args=[measure.pk]),
    ]
    before = [_count_queries(client, url) for url in urls]
    for n in range(4):
        other = services.measure_create(
            concept=adopted_concept,
            title=f"Maßnahme {n}",
            responsible_department=jugendamt,
            municipalities=[troisdorf],
            by=moderator,
        )
        services.milestone_add(
            measure=measure, title=f"Schritt {n}", due_on=other.created.date(), by=moderator
        )
        services.measure_set_status(
            measure=measure, status="planned", progress=n * 10, note=f"Notiz {n}", by=moderator
        )
    after = [_count_queries(client, url) for url in urls]
    assert after == before
