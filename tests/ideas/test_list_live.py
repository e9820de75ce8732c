"""The idea list while it changes: what a page costs right after a write, and that every
part kept between writes (the frame, the count) is new as soon as what it shows changes."""

import pytest
from django.urls import reverse

from ideas import services
from ideas.models import Idea
from participants.models import Profile, Role
from tests.factories import IdeaFactory, TopicFactory, UserFactory

pytestmark = pytest.mark.django_db

# Right after a write to an idea (a support, a comment: the page cache is emptied), the
# first reader: session, user (2), the page's rows (1) and which of them the reader
# supports (1). The frame (header, navigation, filter form) and the count are kept: a
# support changes neither. Every further reader of the URL shares the rows: 3.
# docs/benchmarks.md, issue 16: <= 6.
AFTER_A_SUPPORT = 4
SHARED = 3


@pytest.fixture
def staff_client(client, staff_user):
    client.force_login(staff_user)
    return client


def test_after_a_support_the_page_costs_three_queries(
    make_ideas, staff_client, staff_user, open_phase, django_assert_num_queries
):
    ideas = make_ideas(60)
    url = reverse("ideas:list")
    staff_client.get(url)
    services.idea_support_toggle(idea=ideas[-1], user=staff_user)
    with django_assert_num_queries(AFTER_A_SUPPORT):
        response = staff_client.get(url)
    body = response.content.decode()
    row = body.split(f'id="idee-{ideas[-1].pk}"')[1].split("</tr>")[0]
    assert (
        '<td class="text-end d-none d-md-table-cell">1 <span class="visually-hidden">(von Ihnen unterstützt)'
        in row
    )
    assert "60 Ideen gefunden" in body
    # page 2: the same frame (the filter form shows no page) and count, no query more
    with django_assert_num_queries(AFTER_A_SUPPORT):
        staff_client.get(url, {"page": 2})


def test_after_a_write_the_next_readers_share_the_rows(
    make_ideas, staff_user, open_phase, django_assert_num_queries
):
    from django.test import Client

    ideas = make_ideas(10)
    other = UserFactory(role=Role.STAFF)
    url = reverse("ideas:list")
    first, second = Client(), Client()
    first.force_login(staff_user)
    second.force_login(other)  # (a login is a write: before the frames are made)
    first.get(url)
    second.get(url)
    services.idea_support_toggle(idea=ideas[0], user=other)
    assert first.get(url).status_code == 200
    with django_assert_num_queries(SHARED):
        body = second.get(url).content.decode()
    row = body.split(f'id="idee-{ideas[0].pk}"')[1].split("</tr>")[0]
    assert '1 <span class="visually-hidden">(von Ihnen unterstützt)' in row
    assert "<!--supported:" not in body
    row = first.get(url).content.decode().split(f'id="idee-{ideas[0].pk}"')[1]
    assert "(von Ihnen unterstützt)" not in row.split("</tr>")[0]


def test_the_mark_of_a_support_is_the_users_own(make_ideas, client, staff_user, open_phase):
    idea = make_ideas(1)[0]
    services.idea_support_toggle(idea=idea, user=staff_user)
    other = UserFactory(role=Role.STAFF)
    client.force_login(other)
    row = client.get(reverse("ideas:list")).content.decode().split(f'id="idee-{idea.pk}"')[1]
    assert "(von Ihnen unterstützt)" not in row.split("</tr>")[0]
    assert '<td class="text-end d-none d-md-table-cell">1</td>' in row


def test_a_new_idea_is_counted_on_the_next_page(make_ideas, staff_client, open_phase):
    make_ideas(3)
    url = reverse("ideas:list")
    assert "3 Ideen gefunden" in staff_client.get(url).content.decode()
    IdeaFactory(title="Neu: Elterncafé")
    body = staff_client.get(url).content.decode()
    assert "4 Ideen gefunden" in body and "Neu: Elterncafé" in body
    Idea.objects.get(title="Neu: Elterncafé").delete()
    assert "3 Ideen gefunden" in staff_client.get(url).content.decode()


def test_filtered_counts_follow_status_changes(make_ideas, staff_client, moderator, open_phase):
    ideas = make_ideas(4)
    url = reverse("ideas:list")
    assert "4 Ideen gefunden" in staff_client.get(url, {"status": "submitted"}).content.decode()
    services.idea_status_change(idea=ideas[0], by=moderator, to_status="in_review")
    body = staff_client.get(url, {"status": "submitted"}).content.decode()
    assert "3 Ideen gefunden" in body


def test_the_frame_follows_the_role_and_the_filter_choices(
    make_ideas, staff_client, staff_user, open_phase
):
    make_ideas(2)
    url = reverse("ideas:list")
    body = staff_client.get(url).content.decode()
    assert reverse("ideas:moderation") not in body
    Profile.objects.filter(user=staff_user).update(role=Role.MODERATOR)
    Profile.objects.get(user=staff_user).save()  # as the admin saves it
    assert reverse("ideas:moderation") in staff_client.get(url).content.decode()
    TopicFactory(name="Wohnen im Quartier", slug="wohnen")
    assert "Wohnen im Quartier" in staff_client.get(url).content.decode()


def test_the_language_form_returns_to_the_page_shown(make_ideas, staff_client, open_phase):
    make_ideas(60)
    url = reverse("ideas:list")
    staff_client.get(url, {"sort": "oldest"})
    body = staff_client.get(url, {"sort": "oldest", "page": 2}).content.decode()
    assert 'name="next" type="hidden" value="/ideen/?sort=oldest&amp;page=2"' in body
    assert "Seite 2 von 2" in body
