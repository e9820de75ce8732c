"""Moderation plans the phases in the portal; a page of a closed phase says when it opens."""

import pytest
from django.urls import reverse
from freezegun import freeze_time

from roundtable.timeline.models import Phase

pytestmark = pytest.mark.django_db


def test_moderator_changes_dates_and_what_a_phase_opens(client, moderator, seed_phases):
    workshop = next(p for p in seed_phases if p.key == "workshop")
    client.force_login(moderator)
    url = reverse("timeline:phase_edit", args=[workshop.pk])
    page = client.get(url).content.decode()
    assert "Diese Phase öffnet" in page and 'value="2005-01-01"' in page
    response = client.post(
        url,
        {
            "name": "Workshop",
            "description": "",
            "start": "2005-01-10",
            "end": "2005-03-10",
            "allows_workshop_work": "on",
            "allows_committee_work": "on",
        },
    )
    assert response.status_code == 302 and response["Location"] == reverse("timeline")
    workshop.refresh_from_db()
    assert (workshop.start.isoformat(), workshop.end.isoformat()) == ("2005-01-10", "2005-03-10")
    assert workshop.allows_committee_work and not workshop.allows_idea_submission
    # the change is recorded, with who made it
    assert workshop.history.first().history_user == moderator


def test_end_before_start_is_shown_and_nothing_typed_is_lost(client, moderator, seed_phases):
    phase = seed_phases[0]
    client.force_login(moderator)
    response = client.post(
        reverse("timeline:phase_edit", args=[phase.pk]),
        {"name": "Ideenwerkstatt (verlängert)", "start": "2004-12-01", "end": "2004-11-01"},
    )
    content = response.content.decode()
    assert response.status_code == 200
    assert "Das Ende darf nicht vor dem Beginn liegen." in content
    assert "Ideenwerkstatt (verlängert)" in content
    phase.refresh_from_db()
    assert phase.name == "Ideenwerkstatt"


def test_moderator_adds_a_phase(client, moderator, seed_phases):
    client.force_login(moderator)
    response = client.post(
        reverse("timeline:phase_create"),
        {
            "name": "Zweite Ideenwerkstatt",
            "start": "2005-09-01",
            "end": "2005-09-30",
            "allows_idea_submission": "on",
        },
    )
    assert response.status_code == 302
    phase = Phase.objects.get(name="Zweite Ideenwerkstatt")
    assert phase.key == "zweite-ideenwerkstatt" and phase.allows_idea_submission


@pytest.mark.parametrize("role", ["staff", "committee"])
def test_only_moderation_plans_phases(client, role_users, role, seed_phases):
    client.force_login(role_users[role])
    assert client.get(reverse("timeline:phase_create")).status_code == 403
    edit = reverse("timeline:phase_edit", args=[seed_phases[0].pk])
    assert (
        client.post(edit, {"name": "x", "start": "2004-01-01", "end": "2004-01-02"}).status_code
        == 403
    )


def test_timeline_page_links_the_phase_pages_for_moderation(client, role_users, seed_phases):
    client.force_login(role_users["moderator"])
    assert reverse("timeline:phase_create") in client.get("/zeitraster/").content.decode()
    client.force_login(role_users["staff"])
    assert reverse("timeline:phase_create") not in client.get("/zeitraster/").content.decode()


@freeze_time("2004-10-15")
@pytest.mark.parametrize("role", ["moderator", "admin"])
def test_board_in_the_ideenwerkstatt_says_when_it_opens(client, role_users, role, seed_phases):
    """The admin is a superuser, whom every rule lets pass: the page checks the phase."""
    client.force_login(role_users[role])
    response = client.get(reverse("workshops:board_all"))
    assert response.status_code == 403
    content = response.content.decode()
    assert "Zurzeit nicht möglich" in content
    assert "Sie öffnet am 01.01.2005 mit der Phase „Workshop“" in content


@freeze_time("2004-10-15")
def test_staff_gets_no_phase_explanation_for_what_is_not_theirs(client, staff_user, seed_phases):
    client.force_login(staff_user)
    response = client.get(reverse("workshops:board_all"))
    assert response.status_code == 403
    assert "Keine Berechtigung" in response.content.decode()


@freeze_time("2004-10-15")
def test_a_post_outside_the_phase_comes_back_with_the_message(client, moderator, seed_phases):
    client.force_login(moderator)
    concepts = reverse("workshops:concept_list")
    response = client.post(
        reverse("workshops:board_all_concept"),
        {"title": "Sprachkurse"},
        headers={"referer": "http://testserver" + concepts},
        follow=True,
    )
    assert response.redirect_chain[-1][0].endswith(concepts)
    assert "Sie öffnet am 01.01.2005" in response.content.decode()
    htmx = client.post(
        reverse("workshops:board_all_move"), {"idea": "1:0"}, headers={"HX-Request": "true"}
    )
    assert htmx.status_code == 204 and htmx["HX-Redirect"]


@freeze_time("2004-10-15")
def test_pages_say_when_a_step_opens(client, moderator, seed_phases):
    client.force_login(moderator)
    content = client.get(reverse("workshops:workshop_list")).content.decode()
    assert "Dieser Schritt gehört zur Workshoparbeit. Sie öffnet am 01.01.2005" in content
    measures = client.get(reverse("implementation:measure_list")).content.decode()
    assert "Dieser Schritt gehört zur Umsetzung. Sie öffnet am 01.06.2005" in measures
    assert reverse("implementation:measure_create") not in measures
