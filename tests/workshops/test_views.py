import pytest
from django.urls import reverse

from ideas.models import Idea
from participants.models import Role
from tests.factories import (
    DepartmentFactory,
    IdeaFactory,
    MunicipalityFactory,
    ParticipationFactory,
    TopicFactory,
    UserFactory,
)
from workshops import services
from workshops.models import Concept, ConceptIdea, ConceptSignoff, IdeaBoardState

from .factories import ConceptFactory, WorkshopFactory

pytestmark = pytest.mark.django_db
HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.mark.parametrize(
    ("role", "expected"), [("staff", 403), ("committee", 403), ("moderator", 200), ("admin", 200)]
)
def test_board_and_create_pages_per_role(client, role_users, role, expected):
    client.force_login(role_users[role])
    workshop = WorkshopFactory()
    for url in (
        reverse("workshops:board_all"),
        reverse("workshops:board", args=[workshop.pk]),
        reverse("workshops:workshop_create"),
        reverse("workshops:concept_create"),
        reverse("workshops:suggestions", args=[workshop.pk]),
    ):
        assert client.get(url).status_code == expected, url


@pytest.mark.parametrize("role", ["staff", "moderator", "committee", "admin"])
def test_concepts_are_visible_to_every_participant(client, role_users, role):
    client.force_login(role_users[role])
    concept = ConceptFactory(title="Sprachförderung")
    assert "Sprachförderung" in client.get(reverse("workshops:concept_list")).content.decode()
    assert client.get(reverse("workshops:concept_detail", args=[concept.pk])).status_code == 200


def test_participants_see_only_workshops_they_are_invited_to(client):
    dept = DepartmentFactory(name="Jugendamt")
    user = UserFactory(role=Role.STAFF, role__department=dept)
    by_dept = WorkshopFactory(title="Workshop Jugend")
    by_dept.departments.add(dept)
    in_person = WorkshopFactory(title="Workshop Sprache")
    in_person.participants.add(user)
    other = WorkshopFactory(title="Workshop Gesundheit")
    client.force_login(user)
    page = client.get(reverse("workshops:workshop_list")).content.decode()
    assert "Workshop Jugend" in page and "Workshop Sprache" in page
    assert "Workshop Gesundheit" not in page
    assert client.get(reverse("workshops:workshop_detail", args=[by_dept.pk])).status_code == 200
    assert client.get(reverse("workshops:workshop_detail", args=[other.pk])).status_code == 404


def test_moderator_creates_workshop_through_the_form(client, moderator):
    ideas = IdeaFactory.create_batch(2)
    client.force_login(moderator)
    response = client.post(
        reverse("workshops:workshop_create"),
        {
            "title": "Workshop Integration 2005",
            "starts_at": "2005-01-20T10:00",
            "ends_at": "2005-01-20T16:00",
            "place": "Kreishaus Siegburg",
            "moderators": [moderator.pk],
            "ideas": [i.pk for i in ideas],
        },
    )
    assert response.status_code == 302
    workshop = moderator.moderated_workshops.get()
    assert workshop.title == "Workshop Integration 2005"
    assert workshop.ideas.count() == 2


def test_board_move_by_form_and_stale_move_message(client, moderator):
    workshop = WorkshopFactory()
    idea = IdeaFactory(title="Elterncafé in Troisdorf")
    workshop.ideas.add(idea)
    concept = services.concept_create(title="Elternarbeit", workshop=workshop, by=moderator)
    client.force_login(moderator)
    url = reverse("workshops:board_move", args=[workshop.pk])
    response = client.post(url, {"idea": f"{idea.pk}:0", "target": concept.pk}, **HTMX)
    page = response.content.decode()
    assert response.status_code == 200
    assert "nach „Elternarbeit“ verschoben" in page
    assert ConceptIdea.objects.get(idea=idea).concept == concept
    # a second board that still shows version 0 moves it back: refused, current state shown
    response = client.post(url, {"idea": f"{idea.pk}:0", "target": ""}, **HTMX)
    page = response.content.decode()
    assert "inzwischen" in page
    assert f'value="{idea.pk}:1"' in page  # the board shows the current version
    assert ConceptIdea.objects.get(idea=idea).concept == concept
    assert IdeaBoardState.objects.get(idea=idea).version == 1


def test_board_move_before_another_idea_sets_position(client, moderator):
    a, b, c = IdeaFactory.create_batch(3)
    concept = services.concept_create(title="K", ideas=[a, b], by=moderator)
    client.force_login(moderator)
    client.post(
        reverse("workshops:board_all_move"),
        {"idea": f"{c.pk}:0", "target": concept.pk, "before": b.pk},
        **HTMX,
    )
    order = list(concept.idea_links.values_list("idea_id", flat=True))
    assert order == [a.pk, c.pk, b.pk]


def _order_button_value(page: str, direction: str, idea) -> str | None:
    import re

    found = re.search(rf'name="order" value="([^"]+)" id="order-{direction}-{idea.pk}"', page)
    return found.group(1) if found else None


def test_card_buttons_move_an_idea_up_and_down_in_its_concept(client, moderator):
    """The keyboard's way to order a concept's ideas: "nach oben" / "nach unten"."""
    a, b, c = IdeaFactory.create_batch(3)
    concept = services.concept_create(title="K", ideas=[a, b, c], by=moderator)
    client.force_login(moderator)
    url = reverse("workshops:board_all")

    def order():
        return list(concept.idea_links.order_by("position").values_list("idea_id", flat=True))

    page = client.get(url).content.decode()
    assert _order_button_value(page, "up", a) is None  # the first has no way up
    assert _order_button_value(page, "down", c) is None  # the last no way down
    version = IdeaBoardState.objects.get(idea=b).version
    assert _order_button_value(page, "down", b) == f"{b.pk}:{version}:{concept.pk}:"  # to the end
    assert 'nach oben<span class="visually-hidden">: ' + b.title in page

    client.post(reverse("workshops:board_all_move"), {"order": _order_button_value(page, "up", b)})
    assert order() == [b.pk, a.pk, c.pk]
    page = client.get(url).content.decode()
    response = client.post(
        reverse("workshops:board_all_move"),
        {"order": _order_button_value(page, "down", b)},
        **HTMX,
    )
    assert order() == [a.pk, b.pk, c.pk]
    assert "wurde nach „K“ verschoben" in response.content.decode()
    page = client.get(url).content.decode()
    client.post(
        reverse("workshops:board_all_move"), {"order": _order_button_value(page, "down", a)}
    )
    assert order() == [b.pk, a.pk, c.pk]  # one place down


def test_board_poll_answers_204_when_nothing_changed(client, moderator):
    IdeaFactory()
    client.force_login(moderator)
    url = reverse("workshops:board_all")
    page = client.get(url).content.decode()
    token = page.split("token=")[1].split('"')[0]
    assert client.get(url, {"token": token}, **HTMX).status_code == 204
    IdeaFactory()
    assert client.get(url, {"token": token}, **HTMX).status_code == 200


def test_board_poll_shows_another_moderators_move(client, moderator):
    idea = IdeaFactory(title="Elterncafé in Troisdorf")
    concept = services.concept_create(title="Elternarbeit", by=moderator)
    client.force_login(moderator)
    url = reverse("workshops:board_all")
    token = client.get(url).content.decode().split("token=")[1].split('"')[0]
    other = UserFactory(role=Role.MODERATOR)
    services.idea_move(idea=idea, concept=concept, version=0, by=other)
    response = client.get(url, {"token": token}, **HTMX)
    assert response.status_code == 200
    page = response.content.decode()
    column = page.split(f'data-concept="{concept.pk}"')[1].split("</ol>")[0]
    assert "Elterncafé in Troisdorf" in column and f'value="{idea.pk}:1"' in column


def test_board_filters(client, moderator):
    health = TopicFactory(name="Gesundheit", slug="gesundheit")
    bonn = MunicipalityFactory(name="Siegburg")
    shown = IdeaFactory(title="Impfberatung", description="Beratung zu Impfungen.", topic=health)
    shown.municipalities.add(bonn)
    IdeaFactory(title="Sprachcafé", description="Treffpunkt zum Deutschlernen.")
    client.force_login(moderator)
    page = client.get(
        reverse("workshops:board_all"), {"topic": health.pk, "municipality": bonn.pk}
    ).content.decode()
    assert "Impfberatung" in page and "Sprachcafé" not in page
    page = client.get(reverse("workshops:board_all"), {"q": "deutschlernen"}).content.decode()
    assert "Sprachcafé" in page and "Impfberatung" not in page


def test_board_queries_do_not_grow_with_ideas(client, moderator, django_assert_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    workshop = WorkshopFactory()
    concepts = [
        services.concept_create(title=f"K{i}", workshop=workshop, by=moderator) for i in range(2)
    ]
    client.force_login(moderator)
    url = reverse("workshops:board", args=[workshop.pk])

    def count():
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        return len(ctx.captured_queries)

    for idea in IdeaFactory.create_batch(3):
        workshop.ideas.add(idea)
    small = count()
    for i, idea in enumerate(IdeaFactory.create_batch(30)):
        idea.municipalities.add(MunicipalityFactory())
        workshop.ideas.add(idea)
        if i % 3 == 0:
            services.concept_add_ideas(concept=concepts[i % 2], ideas=[idea], by=moderator)
    services.concept_create(title="K3", workshop=workshop, by=moderator)
    assert count() == small


def test_signoff_view_for_contact_and_forbidden_for_others(client):
    health = DepartmentFactory(name="Gesundheitsamt")
    contact = UserFactory(role=Role.STAFF)
    ParticipationFactory(department=health).contacts.add(contact)
    concept = ConceptFactory(status=Concept.Status.IN_COORDINATION)
    concept.responsible_departments.add(health)
    url = reverse("workshops:concept_signoff", args=[concept.pk])

    client.force_login(UserFactory(role=Role.STAFF))
    assert client.get(url).status_code == 403

    client.force_login(contact)
    page = client.get(reverse("workshops:concept_detail", args=[concept.pk])).content.decode()
    assert "Mitzeichnen" in page and "fehlt noch" in page
    response = client.post(url, {"department": health.pk, "decision": "objects", "remarks": ""})
    assert response.status_code == 200 and "begründen" in response.content.decode()
    response = client.post(url, {"department": health.pk, "decision": "agrees", "remarks": ""})
    assert response.status_code == 302
    concept.refresh_from_db()
    assert concept.status == Concept.Status.COORDINATED
    assert ConceptSignoff.objects.get().signed_by == contact


def test_concept_edit_keeps_ideas_in_sync(client, moderator):
    a, b = IdeaFactory.create_batch(2, status=Idea.Status.ACCEPTED)
    concept = services.concept_create(title="K", ideas=[a], by=moderator)
    client.force_login(moderator)
    response = client.post(
        reverse("workshops:concept_edit", args=[concept.pk]),
        {"title": "Konzept Sprache", "measures": "Erstens\nZweitens", "ideas": [b.pk]},
    )
    assert response.status_code == 302
    a.refresh_from_db()
    b.refresh_from_db()
    assert a.status == Idea.Status.ACCEPTED and b.status == Idea.Status.IN_CONCEPT
    assert list(concept.measures.values_list("text", flat=True)) == ["Erstens", "Zweitens"]


def test_concept_status_buttons(client, moderator):
    concept = ConceptFactory()
    concept.responsible_departments.add(DepartmentFactory())
    client.force_login(moderator)
    client.post(
        reverse("workshops:concept_status", args=[concept.pk]), {"status": "in_coordination"}
    )
    concept.refresh_from_db()
    assert concept.status == Concept.Status.IN_COORDINATION
    response = client.post(
        reverse("workshops:concept_status", args=[concept.pk]), {"status": "bogus"}, follow=True
    )
    assert "Unbekannter Status" in response.content.decode()


@pytest.mark.django_db
def test_board_move_never_answers_500(client, moderator):
    from hypothesis import HealthCheck, given, settings
    from hypothesis import strategies as st

    idea = IdeaFactory()
    concept = services.concept_create(title="K", by=moderator)
    client.force_login(moderator)
    url = reverse("workshops:board_all_move")
    text = st.one_of(
        st.text(max_size=20),
        st.sampled_from([f"{idea.pk}:0", f"{idea.pk}:1", f"{idea.pk}:x", ":", "-1:0", "99999:0"]),
    )
    target = st.one_of(st.text(max_size=8), st.sampled_from(["", str(concept.pk), "0", "99999"]))

    @settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
    @given(
        idea_value=text,
        target_value=target,
        before=st.one_of(st.text(max_size=6), st.none()),
        order=st.one_of(st.none(), st.text(max_size=30), st.just(f"{idea.pk}:0:{concept.pk}:")),
    )
    def check(idea_value, target_value, before, order):
        data = {"idea": idea_value, "target": target_value}
        if before is not None:
            data["before"] = before
        if order is not None:
            data["order"] = order
        response = client.post(url, data, **HTMX)
        assert response.status_code in (200, 404), response.status_code

    check()


# --- what got in the way of a new user --------------------------------------------------


@pytest.fixture
def work_phase(db):
    """Workshop work (board, concepts, sign-off) open today."""
    from tests.factories import PhaseFactory

    return PhaseFactory(key="workshop-heute", name="Workshop", allows_workshop_work=True)


def test_board_reveals_the_new_concept_and_the_target_of_a_move(client, moderator, work_phase):
    idea = IdeaFactory(status=Idea.Status.ACCEPTED)
    client.force_login(moderator)
    response = client.post(reverse("workshops:board_all_concept"), {"title": "Neu"}, **HTMX)
    concept = Concept.objects.get(title="Neu")
    assert f'data-reveal="{concept.pk}"' in response.content.decode()
    response = client.post(
        reverse("workshops:board_all_move"), {"idea": f"{idea.pk}:0", "target": concept.pk}, **HTMX
    )
    assert f'data-reveal="{concept.pk}"' in response.content.decode()
    # polling swaps the board without moving the view
    assert "data-reveal" not in client.get(reverse("workshops:board_all"), **HTMX).content.decode()


def test_board_column_counts_its_ideas_in_singular_and_plural(client, moderator, work_phase):
    concept = services.concept_create(title="Eins", ideas=[IdeaFactory()], by=moderator)
    services.concept_create(title="Zwei", ideas=IdeaFactory.create_batch(2), by=moderator)
    client.force_login(moderator)
    page = client.get(reverse("workshops:board_all")).content.decode()
    assert '1<span class="visually-hidden"> Idee</span>' in page
    assert '2<span class="visually-hidden"> Ideen</span>' in page
    assert concept.title in page


def test_suggestions_count_one_idea_in_singular(client, moderator, work_phase):
    from django.utils import timezone

    from workshops.models import SuggestionRun

    SuggestionRun.objects.create(
        status=SuggestionRun.Status.DONE, idea_count=1, seconds=0.5, finished_at=timezone.now()
    )
    client.force_login(moderator)
    page = client.get(reverse("workshops:suggestions_all")).content.decode()
    assert "aus 1 nicht gruppierten Idee in" in page


def test_signoff_form_needs_no_choice_of_the_only_department(client, work_phase):
    health = DepartmentFactory(name="Gesundheitsamt", number="53")
    contact = UserFactory(role=Role.STAFF)
    ParticipationFactory(department=health).contacts.add(contact)
    concept = ConceptFactory(status=Concept.Status.IN_COORDINATION)
    concept.responsible_departments.add(health)
    url = reverse("workshops:concept_signoff", args=[concept.pk])
    client.force_login(contact)
    page = client.get(url).content.decode()
    assert "Sie zeichnen für: <strong>53 Gesundheitsamt</strong>" in page
    assert '<select name="department"' not in page and "---------" not in page
    assert f'<input type="hidden" name="department" value="{health.pk}"' in page
    assert "checked" not in page  # the vote is the department's choice
    response = client.post(url, {"department": health.pk, "remarks": ""})
    assert "Bitte wählen Sie Ihr Votum." in response.content.decode()


def test_signoff_form_for_two_departments_asks_which(client, work_phase):
    health = DepartmentFactory(name="Gesundheitsamt")
    school = DepartmentFactory(name="Schulamt")
    contact = UserFactory(role=Role.STAFF, role__department=school)
    ParticipationFactory(department=health).contacts.add(contact)
    concept = ConceptFactory(status=Concept.Status.IN_COORDINATION)
    concept.responsible_departments.add(health, school)
    url = reverse("workshops:concept_signoff", args=[concept.pk])
    client.force_login(contact)
    assert '<select name="department"' in client.get(url).content.decode()
    response = client.post(url, {"decision": "agrees"})
    assert "Bitte wählen Sie das Amt, für das Sie mitzeichnen." in response.content.decode()


def test_concept_whose_missing_department_is_taken_off_becomes_coordinated(
    client, moderator, work_phase
):
    health = DepartmentFactory(name="Gesundheitsamt")
    school = DepartmentFactory(name="Schulamt")
    contact = UserFactory(role=Role.STAFF, role__department=health)
    concept = ConceptFactory(status=Concept.Status.IN_COORDINATION, created_by=moderator)
    concept.responsible_departments.add(health, school)
    services.signoff_record(
        concept=concept, department=health, decision=ConceptSignoff.Decision.AGREES, by=contact
    )
    client.force_login(moderator)
    detail = reverse("workshops:concept_detail", args=[concept.pk])
    coordinated = 'name="status" value="coordinated"'
    assert coordinated not in client.get(detail).content.decode()  # never set by hand
    assert Concept.objects.get(pk=concept.pk).status == Concept.Status.IN_COORDINATION
    # the Schulamt, still missing, is taken off the concept: the others have all agreed
    services.concept_update(concept=concept, by=moderator, responsible_departments=[health])
    concept.refresh_from_db()
    assert concept.status == Concept.Status.COORDINATED
    assert concept.history.first().history_user is None  # an automatic step
    assert "abgestimmt" in client.get(detail).content.decode()


def test_reminder_to_departments_without_recipient_says_nobody_was_reached(
    client, moderator, work_phase, django_capture_on_commit_callbacks
):
    from workshops.models import SignoffReminder

    school = DepartmentFactory(name="Schulamt", number="40", email="")
    concept = ConceptFactory(status=Concept.Status.IN_COORDINATION)
    concept.responsible_departments.add(school)
    client.force_login(moderator)
    url = reverse("workshops:concept_remind", args=[concept.pk])
    with django_capture_on_commit_callbacks(execute=True):
        page = client.post(url, follow=True).content.decode()
    assert "Niemand wurde erinnert: Für 40 Schulamt ist niemand mit E-Mail-Adresse" in page
    assert "wird per E-Mail verschickt" not in page and "Zuletzt erinnert" not in page
    assert not SignoffReminder.objects.exists()

    # one department reachable, the other not: sent to the one, the other named
    health = DepartmentFactory(name="Gesundheitsamt", email="gesundheitsamt@example.org")
    concept.responsible_departments.add(health)
    with django_capture_on_commit_callbacks(execute=False):
        page = client.post(url, follow=True).content.decode()
    assert "Die Erinnerung wird per E-Mail verschickt." in page
    assert "Nicht erinnert: Für 40 Schulamt ist niemand mit E-Mail-Adresse hinterlegt." in page


def test_reminder_whose_recipients_are_gone_when_sent_is_not_recorded_as_sent(
    moderator, work_phase, django_capture_on_commit_callbacks
):
    from django.core import mail

    from workshops.models import SignoffReminder

    health = DepartmentFactory(name="Gesundheitsamt")
    contact = UserFactory(role=Role.STAFF, email="kontakt@example.org")
    ParticipationFactory(department=health).contacts.add(contact)
    concept = ConceptFactory(status=Concept.Status.IN_COORDINATION)
    concept.responsible_departments.add(health)
    with django_capture_on_commit_callbacks(execute=False):
        reminder = services.signoff_remind(concept=concept, by=moderator)
    assert reminder.unreachable == []
    contact.email = ""
    contact.save()
    assert services.signoff_reminder_send(reminder_id=reminder.pk) is None
    assert mail.outbox == []
    assert not SignoffReminder.objects.filter(sent_at__isnull=False).exists()
