import csv
import io
import random
import re

import pytest
from django.conf import settings
from django.contrib.sessions.models import Session
from django.urls import reverse
from freezegun import freeze_time

from ideas import services
from ideas.models import Comment, Idea, IdeaStatusChange
from participants.models import Profile
from tests.factories import DepartmentFactory, IdeaFactory, UserFactory
from tests.ideas.conftest import BEFORE, BETWEEN, OPEN

pytestmark = pytest.mark.django_db

# Rendering the page with nothing cached (not the page, tests/operations/test_pagecache.py;
# not its frame nor its count, tests/ideas/test_list_live.py): session, user with profile
# and whether they have model permissions or groups (2); the open phase, once for the
# navigation's and the page's permission checks (1); count, and page with its rows'
# names (2); which of them the user supports (1); filter choices: topics, departments,
# organisations, municipalities, target groups, phases (6). The session is saved at most
# once a minute, not here. What matters: it does not grow with the number of ideas or
# the page.
LIST_QUERIES = 12


@pytest.fixture
def staff_client(client, staff_user):
    client.force_login(staff_user)
    return client


@pytest.fixture
def moderator_client(client, moderator):
    client.force_login(moderator)
    return client


def _idea_payload(topic, **extra):
    data = {
        "title": "Sprachkurse für Mütter",
        "description": "Deutschkurse am Vormittag.\n\nMit Kinderbetreuung.",
        "topic": topic.pk,
        "submitted_for": "",
    }
    data.update(extra)
    return data


# --- list -------------------------------------------------------------------------------


@pytest.mark.parametrize("n", [10, 200])
def test_list_page_constant_queries(
    n, make_ideas, staff_client, open_phase, django_assert_num_queries
):
    make_ideas(n)
    with django_assert_num_queries(LIST_QUERIES):
        response = staff_client.get(reverse("ideas:list"))
    assert response.status_code == 200
    assert response.content.count(b'<tr id="idee-') == min(n, 50)


def test_list_page_two_with_filters_constant_queries(
    make_ideas, staff_client, open_phase, django_assert_num_queries
):
    make_ideas(120)
    with django_assert_num_queries(LIST_QUERIES):
        response = staff_client.get(reverse("ideas:list"), {"page": 3, "sort": "supported"})
    assert response.content.count(b'<tr id="idee-') == 20
    assert "Seite 3 von 3" in response.content.decode()


def test_list_htmx_returns_results_only_and_keeps_filters_in_links(
    make_ideas, staff_client, open_phase
):
    make_ideas(60)
    response = staff_client.get(
        reverse("ideas:list"), {"q": "Sprachkurs", "sort": "newest"}, HTTP_HX_REQUEST="true"
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in body and 'id="idea-results"' in body
    assert 'hx-swap-oob="innerHTML"' in body
    assert "q=Sprachkurs" in body and "page=2" in body  # pagination keeps the filters
    assert "/ideen/export.csv?q=Sprachkurs" in body


def test_list_page_form_pushes_url(staff_client, open_phase):
    body = staff_client.get(reverse("ideas:list")).content.decode()
    assert 'hx-push-url="true"' in body
    assert 'role="search"' in body


def test_titles_are_escaped_everywhere(staff_client, staff_user, open_phase):
    idea = IdeaFactory(
        title="<script>alert(1)</script> Sprachkurse", description="<b>fett</b>\n\nZweiter Absatz"
    )
    for url in (reverse("ideas:list"), reverse("ideas:detail", args=[idea.pk])):
        body = staff_client.get(url).content.decode()
        assert "<script>alert(1)</script>" not in body
        assert "&lt;script&gt;alert(1)&lt;/script&gt; Sprachkurse" in body
    body = staff_client.get(reverse("ideas:detail", args=[idea.pk])).content.decode()
    assert "&lt;b&gt;fett&lt;/b&gt;</p>" in body and "<p>Zweiter Absatz</p>" in body


def test_access(client, staff_user, open_phase):
    idea = IdeaFactory()
    url = reverse("ideas:detail", args=[idea.pk])
    assert client.get(url).status_code == 302  # anonymous: login
    nobody = UserFactory(username="ohne-rolle")
    Profile.objects.filter(user=nobody).delete()
    client.force_login(nobody)
    assert client.get(url).status_code == 403
    assert client.get(reverse("ideas:list")).status_code == 403
    assert client.get(reverse("ideas:create")).status_code == 403
    client.force_login(staff_user)
    assert client.get(url).status_code == 200
    assert client.get(reverse("ideas:detail", args=[idea.pk + 1000])).status_code == 404
    assert client.get(reverse("ideas:moderation")).status_code == 403


# --- submitting --------------------------------------------------------------------------


def test_submit_outside_phase_says_when_it_opens_or_closed(client, staff_user, phases):
    staff_client = client
    with freeze_time(BEFORE):
        staff_client.force_login(staff_user)
        body = staff_client.get(reverse("ideas:create")).content.decode()
        assert "noch nicht geöffnet" in body and "01.10.2004" in body and "30.11.2004" in body
        response = staff_client.post(reverse("ideas:create"), {"title": "x"})
        assert "noch nicht geöffnet" in response.content.decode()
    with freeze_time(BETWEEN):
        staff_client.force_login(staff_user)  # months later: a new session
        body = staff_client.get(reverse("ideas:create")).content.decode()
        assert "geschlossen" in body and "30.11.2004" in body
    assert not Idea.objects.exists()


def test_submit_in_phase(client, staff_user, topic, phases):
    staff_client = client
    department = DepartmentFactory(name="Ordnungsamt")
    Profile.objects.filter(user=staff_user).update(department=department)
    with freeze_time(OPEN):
        staff_client.force_login(staff_user)
        form = staff_client.get(reverse("ideas:create")).content.decode()
        assert f'value="d{department.pk}" selected' in form  # own department by default
        response = staff_client.post(
            reverse("ideas:create"), _idea_payload(topic, submitted_for=f"d{department.pk}")
        )
    idea = Idea.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("ideas:detail", args=[idea.pk]) + "?eingereicht=1"
    assert idea.department == department and idea.author == staff_user
    assert idea.phase == phases["ideenwerkstatt"]


def test_invalid_submission_keeps_the_text(staff_client, topic, open_phase):
    response = staff_client.post(
        reverse("ideas:create"),
        {"title": "Ü", "description": "Mein langer Text über Mütter", "topic": topic.pk},
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "Mein langer Text über Mütter" in body
    assert "Der Titel ist zu kurz." in body
    assert not Idea.objects.exists()


def _form_then_session_expired(client, user) -> str:
    """Opens the idea form as ``user``, then the session ends: the form's draft owner."""
    client.force_login(user)
    body = client.get(reverse("ideas:create")).content.decode()
    client.logout()
    return re.search(r'name="draft_owner" value="([^"]+)"', body).group(1)


def test_expired_session_keeps_the_post_and_restores_it_after_login(
    client, staff_user, topic, open_phase
):
    data = _idea_payload(
        topic, title="Elterncafé in Siegburg", description="Text, der nicht verloren geht."
    )
    data["draft_owner"] = _form_then_session_expired(client, staff_user)
    response = client.post(reverse("ideas:create"), data)  # session expired: anonymous
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
    assert "next=/ideen/neu/" in response["Location"]
    assert not Idea.objects.exists()
    client.force_login(staff_user)  # logging in again keeps the session's data
    body = client.get(reverse("ideas:create")).content.decode()
    assert "Ihre Sitzung war abgelaufen" in body
    assert 'value="Elterncafé in Siegburg"' in body
    assert "Text, der nicht verloren geht." in body
    # restored once only
    assert "Ihre Sitzung war abgelaufen" not in client.get(reverse("ideas:create")).content.decode()


def test_a_kept_draft_goes_back_only_to_its_author(
    client, staff_user, moderator, topic, open_phase
):
    """Finding 11: on a shared computer the next person to log in does not get the
    draft of the one before."""
    data = _idea_payload(topic, title="Entwurf von Erika", description="Nur für Erika.")
    data["draft_owner"] = _form_then_session_expired(client, staff_user)
    client.post(reverse("ideas:create"), data)
    client.force_login(moderator)
    body = client.get(reverse("ideas:create")).content.decode()
    assert "Nur für Erika." not in body
    assert "Ihre Sitzung war abgelaufen" not in body


def test_a_post_without_a_form_of_the_portal_keeps_nothing(client, topic, open_phase):
    client.post(reverse("ideas:create"), _idea_payload(topic, description="x" * 5000))
    assert not Session.objects.exists()


def test_a_kept_draft_is_capped_and_its_author_told(client, staff_user, topic, open_phase):
    """Finding 5: a draft kept for an expired session takes a few dozen KB at most."""
    rng = random.Random(15)
    long_text = "".join(rng.choice("äöüßÄÖÜ€ ") for _ in range(10_000))  # ~80 KB encoded
    data = _idea_payload(topic, title="Ein sehr langer Entwurf", description=long_text)
    data["draft_owner"] = _form_then_session_expired(client, staff_user)
    data["municipalities"] = [str(n) for n in range(10**6, 10**6 + 500)]  # junk, many
    client.post(reverse("ideas:create"), data)
    session = Session.objects.get(session_key=client.session.session_key)
    assert len(session.session_data) <= settings.IDEAS_DRAFT_MAX_BYTES + 2048
    client.force_login(staff_user)
    body = client.get(reverse("ideas:create")).content.decode()
    assert "wurde nach" in body and "Zeichen abgeschnitten" in body
    assert long_text[:200] in body and long_text[-200:] not in body


def test_edit_until_review(staff_client, staff_user, moderator, topic, open_phase):
    idea = IdeaFactory(author=staff_user, topic=topic)
    url = reverse("ideas:edit", args=[idea.pk])
    assert staff_client.get(url).status_code == 200
    response = staff_client.post(url, _idea_payload(topic, title="Geänderter Titel"))
    assert response.status_code == 302
    idea.refresh_from_db()
    assert idea.title == "Geänderter Titel"
    services.idea_status_change(idea=idea, by=moderator, to_status="in_review")
    assert staff_client.get(url).status_code == 403
    other = IdeaFactory(author=moderator)
    assert staff_client.get(reverse("ideas:edit", args=[other.pk])).status_code == 403


def test_similar_hints(staff_client, open_phase):
    IdeaFactory(title="Sprachkurs für Mütter", description="Am Vormittag")
    response = staff_client.get(
        reverse("ideas:similar"), {"title": "Sprachkurs", "description": ""}
    )
    assert "Sprachkurs für Mütter" in response.content.decode()
    response = staff_client.get(reverse("ideas:similar"), {"title": "Zirkus"})
    assert "Keine ähnlichen Ideen" in response.content.decode()


# --- taking part --------------------------------------------------------------------------


def test_support_toggle_with_htmx(staff_client, open_phase):
    idea = IdeaFactory()
    url = reverse("ideas:support", args=[idea.pk])
    response = staff_client.post(url, HTTP_HX_REQUEST="true")
    body = response.content.decode()
    assert "1 Unterstützung" in body and "Sie unterstützen diese Idee." in body
    assert "<html" not in body
    response = staff_client.post(url, HTTP_HX_REQUEST="true")
    assert "0 Unterstützungen" in response.content.decode()
    assert staff_client.post(url).status_code == 302  # works without JavaScript too
    idea.refresh_from_db()
    assert idea.support_count == 1
    assert staff_client.get(url).status_code == 405


def test_comments_reply_edit_hide(client, staff_user, moderator, open_phase):
    idea = IdeaFactory()
    client.force_login(staff_user)
    response = client.post(reverse("ideas:comment_create", args=[idea.pk]), {"text": "Gute Idee!"})
    comment = Comment.objects.get()
    assert response["Location"].endswith(f"#kommentar-{comment.pk}")
    client.post(
        reverse("ideas:comment_create", args=[idea.pk]), {"text": "Antwort", "parent": comment.pk}
    )
    assert Comment.objects.get(text="Antwort").parent == comment
    response = client.post(reverse("ideas:comment_create", args=[idea.pk]), {"text": ""})
    assert response.status_code == 200  # validation message, nothing lost
    client.post(reverse("ideas:comment_edit", args=[comment.pk]), {"text": "Sehr gute Idee!"})
    comment.refresh_from_db()
    assert comment.text == "Sehr gute Idee!"
    assert client.get(reverse("ideas:comment_hide", args=[comment.pk])).status_code == 403

    client.force_login(moderator)
    assert client.get(reverse("ideas:comment_edit", args=[comment.pk])).status_code == 403
    client.post(
        reverse("ideas:comment_hide", args=[comment.pk]), {"reason": "Enthält Telefonnummern"}
    )
    comment.refresh_from_db()
    assert comment.is_hidden

    # the author sees why; others see only that it was hidden
    client.force_login(staff_user)
    body = client.get(reverse("ideas:detail", args=[idea.pk])).content.decode()
    assert "Enthält Telefonnummern" in body
    client.force_login(UserFactory(username="andere"))
    body = client.get(reverse("ideas:detail", args=[idea.pk])).content.decode()
    assert "ausgeblendet" in body and "Enthält Telefonnummern" not in body
    assert "Sehr gute Idee!" not in body


def test_status_change_on_detail(client, staff_user, moderator, django_capture_on_commit_callbacks):
    idea = IdeaFactory(author=staff_user)
    url = reverse("ideas:status", args=[idea.pk])
    client.force_login(staff_user)
    assert client.post(url, {"to_status": "accepted"}).status_code == 403
    client.force_login(moderator)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = client.post(
            url,
            {"to_status": "accepted", "public_feedback": "Danke!", "private_remark": "intern"},
        )
    assert response.status_code == 302 and len(callbacks) == 1
    response = client.post(url, {"to_status": "submitted"})
    assert response.status_code == 200
    assert "kann nicht zu" in response.content.decode()
    client.force_login(staff_user)
    body = client.get(reverse("ideas:detail", args=[idea.pk])).content.decode()
    assert "Danke!" in body and "intern" not in body


def test_moderation_queue_and_bulk_answer(moderator_client, django_capture_on_commit_callbacks):
    ideas = IdeaFactory.create_batch(3)
    done = IdeaFactory(status=Idea.Status.ACCEPTED, title="Schon erledigt")
    body = moderator_client.get(reverse("ideas:moderation")).content.decode()
    assert body.index(ideas[0].title) < body.index("Schon erledigt")
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = moderator_client.post(
            reverse("ideas:moderation"),
            {
                "ideas": [ideas[0].pk, ideas[1].pk],
                "to_status": "accepted",
                "feedback_template": "accepted",
                "public_feedback": "",
            },
        )
    assert response.status_code == 302
    assert len(callbacks) == 2
    changed = IdeaStatusChange.objects.filter(to_status="accepted")
    assert changed.count() == 2
    assert all("Workshop" in c.public_feedback for c in changed)
    response = moderator_client.post(reverse("ideas:moderation"), {"to_status": "accepted"})
    assert "Bitte wählen Sie mindestens eine Idee." in response.content.decode()
    done.refresh_from_db()
    assert done.status == Idea.Status.ACCEPTED


def _selected_option(page: str, name: str) -> str | None:
    """The value of the option shown in the select ``name`` (the first without "selected")."""
    import re

    select = re.search(rf'<select name="{name}"[^>]*>(.*?)</select>', page, re.S)
    assert select, name
    options = re.findall(r'<option value="([^"]*)"([^>]*)>', select.group(1))
    chosen = [value for value, attrs in options if "selected" in attrs]
    return chosen[0] if chosen else options[0][0]


def test_moderation_sort_box_shows_the_queue_order_it_applies(moderator_client):
    old = IdeaFactory(title="Sprachkurs alt", status=Idea.Status.SUBMITTED)
    done = IdeaFactory(title="Sprachkurs erledigt", status=Idea.Status.ACCEPTED)
    new = IdeaFactory(title="Sprachkurs neu", status=Idea.Status.SUBMITTED)
    url = reverse("ideas:moderation")
    for params in ({}, {"q": "Sprachkurs"}, {"status": ""}):
        page = moderator_client.get(url, params).content.decode()
        assert _selected_option(page, "sort") == "queue", params
        assert "Unbearbeitete zuerst (älteste oben)" in page
        assert page.index(old.title) < page.index(new.title) < page.index(done.title), params
    # another order, chosen, is the order shown
    page = moderator_client.get(url, {"sort": "newest"}).content.decode()
    assert _selected_option(page, "sort") == "newest"
    assert page.index(new.title) < page.index(done.title) < page.index(old.title)


def test_list_sort_box_shows_relevance_for_a_search(staff_client, open_phase):
    IdeaFactory(title="Sprachkurs")
    url = reverse("ideas:list")
    assert _selected_option(staff_client.get(url).content.decode(), "sort") == "newest"
    page = staff_client.get(url, {"q": "Sprachkurs"}).content.decode()
    assert _selected_option(page, "sort") == "relevance"
    assert "Unbearbeitete zuerst" not in page  # the queue is the moderation's


def test_moderation_bulk_answer_counts_in_singular_and_keeps_the_search(moderator_client):
    one, two, three = IdeaFactory.create_batch(3, title="Elterncafé")
    url = reverse("ideas:moderation") + "?q=Elterncaf%C3%A9&sort=queue"
    page = moderator_client.get(url).content.decode()
    # the form posts to the address as it is now (after a search: with the search)
    assert '<form method="post" data-feedback-form>' in page
    assert _selected_option(page, "to_status") == ""  # nothing chosen in advance
    response = moderator_client.post(url, {"ideas": [one.pk], "to_status": "accepted"})
    assert response["Location"] == url
    page = moderator_client.get(url).content.decode()
    assert "1 Idee hat jetzt den Status „angenommen“." in page
    moderator_client.post(url, {"ideas": [two.pk, three.pk], "to_status": "accepted"})
    page = moderator_client.get(url).content.decode()
    assert "2 Ideen haben jetzt den Status „angenommen“." in page
    response = moderator_client.post(url, {"ideas": [one.pk]})
    assert "Bitte wählen Sie den neuen Status." in response.content.decode()


def test_status_form_on_detail_starts_at_the_current_status(client, moderator):
    idea = IdeaFactory(status=Idea.Status.ACCEPTED)
    client.force_login(moderator)
    page = client.get(reverse("ideas:detail", args=[idea.pk])).content.decode()
    assert _selected_option(page, "to_status") == "accepted"
    # the choices are the current status and its next steps
    assert '<option value="submitted"' not in page
    assert '<option value="in_concept"' in page
    response = client.post(reverse("ideas:status", args=[idea.pk]), {"to_status": "accepted"})
    assert "Die Idee ist bereits „angenommen“." in response.content.decode()
    assert not IdeaStatusChange.objects.exists()


# --- export -----------------------------------------------------------------------------


def _csv(response):
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text), delimiter=";"))


@pytest.mark.parametrize("n", [10, 150])
def test_csv_export_constant_queries(n, make_ideas, staff_client, django_assert_num_queries):
    make_ideas(n)
    # session, user, profile, session save (savepoint, update, release) and ONE
    # query (a server-side cursor on PostgreSQL) for all rows
    with django_assert_num_queries(3):  # session, user with profile, the export's one
        response = staff_client.get(reverse("ideas:export_csv"))
        rows = _csv(response)
    assert response["Content-Disposition"].startswith("attachment;")
    assert len(rows) == n + 1
    assert rows[0][:2] == ["ID", "Titel"]
    assert set(rows[1][4].split(", ")) == {"Gruppe 0", "Gruppe 1"}


def test_export_follows_filters_and_defuses_formulas(staff_client):
    IdeaFactory(title='=HYPERLINK("http://x")', status=Idea.Status.ACCEPTED)
    IdeaFactory(title="Andere", status=Idea.Status.SUBMITTED)
    rows = _csv(staff_client.get(reverse("ideas:export_csv"), {"status": "accepted"}))
    assert len(rows) == 2
    assert rows[1][1].startswith("'=")
    assert rows[1][8] == "angenommen"


def test_xlsx_export(make_ideas, staff_client, django_assert_num_queries):
    from openpyxl import load_workbook

    make_ideas(12)
    with django_assert_num_queries(3):  # session, user with profile, the export's one
        response = staff_client.get(reverse("ideas:export_xlsx"))
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][1] == "Titel"
    assert len(rows) == 13
    assert rows[1][1].startswith("Sprachkurs für Eltern")
