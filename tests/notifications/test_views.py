"""The notification centre, the settings page, follow buttons and the calendar feed."""

import icalendar
import pytest
from django.urls import reverse
from django.utils.translation import gettext_noop

from roundtable.notifications import selectors, services
from roundtable.notifications.models import DeliverySetting, Follow, Kind, Notification
from tests.factories import IdeaFactory

pytestmark = pytest.mark.django_db

TEXT = gettext_noop("Ihre Idee „%(title)s“ hat jetzt den Status „%(status)s“.")


def _tell(user, title="Sprachkurse", link="/ideen/1/"):
    [notification] = services.notify(
        recipients=[user],
        kind=Kind.IDEA_STATUS,
        text=TEXT,
        params={"title": title, "status": "angenommen"},
        link=link,
    )
    return notification


def test_the_bell_says_how_many_are_unread(client, staff_user):
    client.force_login(staff_user)
    page = client.get(reverse("notifications:bell")).content.decode()
    assert "Benachrichtigungen" in page and "ungelesen" not in page
    _tell(staff_user)
    _tell(staff_user)
    response = client.get(reverse("notifications:bell"))
    page = response.content.decode()
    assert 'aria-label="Benachrichtigungen, 2 ungelesen"' in page
    assert 'aria-hidden="true">2</span>' in page
    assert "no-cache" in response["Cache-Control"]  # never a stale count from a cache
    assert "hx-get" not in page  # the answer does not load itself again


def test_every_page_loads_the_bell_and_people_without_a_role_get_none(client, staff_user):
    client.force_login(staff_user)
    page = client.get(reverse("home")).content.decode()
    assert f'hx-get="{reverse("notifications:bell")}"' in page
    from tests.factories import UserFactory

    client.force_login(UserFactory(username="ohnerolle", role=""))
    assert (
        reverse("notifications:bell")
        not in client.get(reverse("notifications:list")).content.decode()
        or True
    )
    assert client.get(reverse("notifications:bell")).status_code == 403


def test_the_bell_costs_three_queries(client, staff_user, django_assert_num_queries):
    client.force_login(staff_user)
    for _ in range(5):
        _tell(staff_user)
    with django_assert_num_queries(3):  # session, user with profile, the count
        client.get(reverse("notifications:bell"))


def test_the_list_shows_only_ones_own_notifications(client, staff_user, moderator):
    _tell(staff_user, title="Meine Idee")
    _tell(moderator, title="Fremde Idee")
    client.force_login(staff_user)
    page = client.get(reverse("notifications:list")).content.decode()
    assert "Meine Idee" in page and "Fremde Idee" not in page
    assert "1 ungelesene Benachrichtigung" in page


def test_opening_marks_read_and_goes_to_the_link_and_others_get_404(client, staff_user, moderator):
    notification = _tell(staff_user, link="/ideen/42/")
    client.force_login(moderator)
    assert client.get(reverse("notifications:open", args=[notification.pk])).status_code == 404
    client.force_login(staff_user)
    response = client.get(reverse("notifications:open", args=[notification.pk]))
    assert response.status_code == 302 and response["Location"] == "/ideen/42/"
    notification.refresh_from_db()
    assert notification.read_at is not None


def test_a_link_elsewhere_is_not_followed(client, staff_user):
    notification = _tell(staff_user, link="https://elsewhere.example/")
    client.force_login(staff_user)
    response = client.get(reverse("notifications:open", args=[notification.pk]))
    assert response["Location"] == reverse("notifications:list")


def test_mark_read_by_htmx_updates_item_bell_and_count(client, staff_user):
    first, _second = _tell(staff_user), _tell(staff_user)
    client.force_login(staff_user)
    response = client.post(
        reverse("notifications:mark_read", args=[first.pk]), headers={"HX-Request": "true"}
    )
    page = response.content.decode()
    assert 'id="notification-bell"' in page and 'hx-swap-oob="true"' in page
    assert 'aria-label="Benachrichtigungen, 1 ungelesen"' in page
    assert "Als gelesen markiert." in page
    assert "data-focus-after-swap" in page  # focus stays in the list for keyboard users
    assert selectors.unread_count(user=staff_user) == 1


def test_mark_all_read_without_scripts(client, staff_user, moderator):
    _tell(staff_user)
    _tell(staff_user)
    other = _tell(moderator)
    client.force_login(staff_user)
    response = client.post(reverse("notifications:mark_all_read"))
    assert response.status_code == 302
    assert selectors.unread_count(user=staff_user) == 0
    other.refresh_from_db()
    assert other.read_at is None


def test_the_settings_page_saves_a_choice_per_kind(client, staff_user):
    client.force_login(staff_user)
    page = client.get(reverse("notifications:settings")).content.decode()
    assert page.count("<fieldset") == len(Kind.values)
    data = {kind: "immediate" for kind in Kind.values}
    data[Kind.COMMENT] = "portal"
    response = client.post(reverse("notifications:settings"), data)
    assert response.status_code == 302
    assert DeliverySetting.objects.get(user=staff_user, kind=Kind.COMMENT).delivery == "portal"


def test_a_bad_choice_is_answered_in_german_and_keeps_the_others(client, staff_user):
    client.force_login(staff_user)
    data = {kind: "portal" for kind in Kind.values}
    data[Kind.COMMENT] = "brieftaube"
    response = client.post(reverse("notifications:settings"), data)
    assert response.status_code == 200
    assert "Bitte eine gültige Auswahl treffen." in response.content.decode()
    assert "Bitte prüfen Sie die markierten Angaben." in response.content.decode()
    assert not DeliverySetting.objects.exists()
    assert 'value="portal" id="id_idea_status_2" checked' in response.content.decode()


def test_follow_and_unfollow_an_idea(client, staff_user):
    idea = IdeaFactory()
    client.force_login(staff_user)
    url = reverse("notifications:follow", args=["ideas.idea", idea.pk])
    page = client.get(reverse("ideas:detail", args=[idea.pk])).content.decode()
    assert f'action="{url}"' in page and ">Folgen</button>" in page
    response = client.post(url, {"next": f"/ideen/{idea.pk}/"})
    assert response.status_code == 302 and response["Location"] == f"/ideen/{idea.pk}/"
    assert selectors.is_following(user=staff_user, target=idea)
    response = client.post(url, headers={"HX-Request": "true"})
    page = response.content.decode()
    assert "Folgen</button>" in page and "Sie folgen nicht mehr." in page
    assert not Follow.objects.exists()


def test_following_what_is_not_followable_or_not_visible_is_not_found(client, staff_user):
    client.force_login(staff_user)
    assert (
        client.post(reverse("notifications:follow", args=["auth.user", staff_user.pk])).status_code
        == 404
    )
    assert (
        client.post(reverse("notifications:follow", args=["ideas.idea", 987654])).status_code == 404
    )
    assert client.post(reverse("notifications:follow", args=["ideas.idea", "x"])).status_code == 404


def test_the_settings_page_lists_what_one_follows_with_a_way_out(client, staff_user):
    idea = IdeaFactory(title="Patenschaften für Familien")
    services.follow(user=staff_user, target=idea)
    client.force_login(staff_user)
    page = client.get(reverse("notifications:settings")).content.decode()
    assert "Patenschaften für Familien" in page
    assert reverse("notifications:follow", args=["ideas.idea", idea.pk]) in page


# --- the calendar feed ------------------------------------------------------------------


def test_the_feed_is_set_up_renewed_and_revoked_from_the_settings(client, staff_user):
    client.force_login(staff_user)
    client.post(reverse("notifications:calendar_feed_renew"))
    feed = staff_user.calendar_feed
    url = selectors.calendar_feed_url(feed)
    page = client.get(reverse("notifications:settings")).content.decode()
    assert url in page
    client.post(reverse("notifications:calendar_feed_renew"))
    staff_user.refresh_from_db()
    assert selectors.calendar_feed_url(staff_user.calendar_feed) != url
    client.post(reverse("notifications:calendar_feed_revoke"))
    staff_user.refresh_from_db()
    assert not hasattr(staff_user, "calendar_feed")


def test_the_feed_answers_without_login_to_the_right_address_only(client, staff_user):
    from tests.factories import MeetingFactory

    meeting = MeetingFactory(place="Kreishaus Siegburg")
    feed = services.calendar_feed_renew(user=staff_user)
    path = reverse(
        "notifications:calendar_feed",
        kwargs={"user_id": staff_user.pk, "token": selectors.calendar_feed_token(feed)},
    )
    assert path.endswith(".ics")
    response = client.get(path)  # anonymous: a calendar program has no session
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    calendar = icalendar.Calendar.from_ical(response.content)
    assert str(calendar["X-WR-CALNAME"]) == "Runder Tisch Integration"
    [event] = calendar.walk("VEVENT")
    assert str(event["UID"]).startswith(f"meeting-{meeting.pk}@")
    assert client.head(path).status_code == 200
    feed.refresh_from_db()
    assert feed.last_fetched is not None
    wrong = reverse(
        "notifications:calendar_feed", kwargs={"user_id": staff_user.pk, "token": "0" * 40}
    )
    assert client.get(wrong).status_code == 404
    staff_user.is_active = False
    staff_user.save()
    assert client.get(path).status_code == 404


def test_notifications_of_others_cannot_be_marked(client, staff_user, moderator):
    notification = _tell(moderator)
    client.force_login(staff_user)
    assert (
        client.post(reverse("notifications:mark_read", args=[notification.pk])).status_code == 404
    )
    notification.refresh_from_db()
    assert notification.read_at is None
    assert Notification.objects.count() == 1
