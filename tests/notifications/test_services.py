"""notify(), follows, delivery settings, the e-mails at once and the daily digest."""

import pytest
from celery.schedules import crontab
from django.conf import settings
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext_noop
from freezegun import freeze_time

from roundtable.notifications import selectors, services
from roundtable.notifications.models import (
    DEFAULT_DELIVERY,
    Delivery,
    DeliverySetting,
    Follow,
    Kind,
    Notification,
)
from roundtable.operations.models import OutboxMessage
from tests.factories import IdeaFactory, UserFactory

pytestmark = pytest.mark.django_db

TEXT = gettext_noop("Ihre Idee „%(title)s“ hat jetzt den Status „%(status)s“.")


def _notify(recipients, **kwargs):
    values = {
        "recipients": recipients,
        "kind": Kind.IDEA_STATUS,
        "text": TEXT,
        "params": {"title": "Sprachkurse für Mütter", "status": "angenommen"},
        "link": "/ideen/1/",
    }
    values.update(kwargs)
    return services.notify(**values)


# --- notify -------------------------------------------------------------------


def test_notify_tells_each_active_person_once_and_never_the_actor(moderator, staff_user):
    gone = UserFactory(username="ausgeschieden")
    gone.is_active = False
    gone.save()
    rows = _notify([staff_user, staff_user, moderator, gone, None], actor=moderator)
    assert [row.recipient for row in rows] == [staff_user]
    assert Notification.objects.get().message == (
        "Ihre Idee „Sprachkurse für Mütter“ hat jetzt den Status „angenommen“."
    )


def test_delivery_follows_each_persons_setting_and_only_at_once_is_queued(
    staff_user, moderator, committee_member, django_capture_on_commit_callbacks
):
    DeliverySetting.objects.create(user=moderator, kind=Kind.IDEA_STATUS, delivery="digest")
    DeliverySetting.objects.create(user=committee_member, kind=Kind.IDEA_STATUS, delivery="portal")
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        rows = _notify([staff_user, moderator, committee_member])
    deliveries = {row.recipient.username: row.delivery for row in rows}
    assert deliveries == {
        "mitarbeiter": DEFAULT_DELIVERY[Kind.IDEA_STATUS],
        "moderation": "digest",
        "ausschuss": "portal",
    }
    message = OutboxMessage.objects.get()
    notification = Notification.objects.get(recipient=staff_user)
    assert message.kwargs == {"notification_id": notification.pk}
    assert message.dedupe_key == f"notification-email:{notification.pk}"
    assert len(callbacks) == 1


def test_nobody_without_an_address_gets_an_e_mail_queued(django_capture_on_commit_callbacks):
    person = UserFactory(username="ohnemail", email="")
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        _notify([person])
    assert Notification.objects.filter(recipient=person).exists()
    assert callbacks == [] and not OutboxMessage.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_a_rolled_back_event_leaves_no_notification_and_no_e_mail(staff_user):
    with pytest.raises(RuntimeError), transaction.atomic():
        _notify([staff_user])
        raise RuntimeError("the event fails after notify")
    assert not Notification.objects.exists()
    assert not OutboxMessage.objects.exists()


def test_notify_refuses_unknown_kinds_and_translated_texts(staff_user):
    with pytest.raises(ValueError):
        _notify([staff_user], kind="erfunden")
    with pytest.raises(TypeError):
        from django.utils.translation import gettext_lazy

        _notify([staff_user], text=gettext_lazy("Ihre Idee"))


def test_the_text_is_shown_in_the_readers_language_and_names_the_actor_as_now(staff_user):
    actor = UserFactory(username="kommentiert", first_name="Aylin", last_name="Demir")
    services.notify(
        recipients=[staff_user],
        kind=Kind.COMMENT,
        text=gettext_noop("%(actor)s hat die Idee „%(title)s“ kommentiert."),
        params={"title": "Sprachkurse"},
        actor=actor,
    )
    notification = Notification.objects.get()
    assert notification.message == "Aylin Demir hat die Idee „Sprachkurse“ kommentiert."
    actor.first_name, actor.last_name = "Gelöschte", "Person"  # as an erasure leaves it
    actor.save()
    notification.refresh_from_db()
    assert notification.message == "Gelöschte Person hat die Idee „Sprachkurse“ kommentiert."
    assert "Aylin" not in str(notification.params)


def test_lazy_labels_in_params_are_stored_in_the_portals_language(staff_user):
    from ideas.models import Idea

    with translation.override("en"):
        _notify([staff_user], params={"title": "X", "status": Idea.Status.ACCEPTED.label})
    assert Notification.objects.get().params["status"] == "angenommen"


# --- reading ----------------------------------------------------------------------


def test_mark_read_one_and_all_only_for_oneself(staff_user, moderator):
    mine = _notify([staff_user]) + _notify([staff_user])
    _notify([moderator])
    with pytest.raises(Notification.DoesNotExist):
        services.notification_mark_read(user=moderator, notification_id=mine[0].pk)
    services.notification_mark_read(user=staff_user, notification_id=mine[0].pk)
    assert selectors.unread_count(user=staff_user) == 1
    assert services.notifications_mark_all_read(user=staff_user) == 1
    assert selectors.unread_count(user=staff_user) == 0
    assert selectors.unread_count(user=moderator) == 1


# --- the e-mail at once ------------------------------------------------------------


def test_the_e_mail_has_plain_text_html_absolute_links_and_the_settings_link(
    staff_user, moderator, deliver, settings
):
    settings.PORTAL_BASE_URL = "https://runder-tisch.rhein-sieg-kreis.example"
    with deliver():
        _notify([staff_user], detail="Die Volkshochschule prüft Kurse.", actor=moderator)
    [message] = mail.outbox
    assert message.to == [staff_user.email]
    assert (
        message.subject == "Ihre Idee „Sprachkurse für Mütter“ hat jetzt den Status „angenommen“."
    )
    body = message.body
    assert "Guten Tag Erika" in body
    assert "Die Volkshochschule prüft Kurse." in body
    assert "https://runder-tisch.rhein-sieg-kreis.example/ideen/1/" in body
    assert "https://runder-tisch.rhein-sieg-kreis.example/benachrichtigungen/einstellungen/" in body
    [(html, mimetype)] = message.alternatives
    assert mimetype == "text/html"
    assert 'href="https://runder-tisch.rhein-sieg-kreis.example/ideen/1/"' in html
    assert message.extra_headers["Auto-Submitted"] == "auto-generated"
    assert "einstellungen" in message.extra_headers["List-Unsubscribe"]
    notification = Notification.objects.get()
    assert notification.emailed_at is not None
    # a second delivery of the same message sends nothing
    assert services.notification_email_send(notification_id=notification.pk) is False
    assert len(mail.outbox) == 1


def test_portal_base_url_and_portal_url_are_one_setting():
    assert settings.PORTAL_URL == settings.PORTAL_BASE_URL


def test_a_person_who_left_gets_no_e_mail(staff_user, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False):
        [notification] = _notify([staff_user])
    staff_user.is_active = False
    staff_user.save()
    assert services.notification_email_send(notification_id=notification.pk) is False
    notification.refresh_from_db()
    assert notification.emailed_at is not None and mail.outbox == []


# --- the daily digest ---------------------------------------------------------------


def test_the_digest_is_a_beat_task_at_seven_in_berlin():
    entry = settings.CELERY_BEAT_SCHEDULE["notifications-daily-digest"]
    assert entry["task"] == "roundtable.notifications.tasks.digests_queue"
    assert entry["schedule"] == crontab(hour=7, minute=0)
    assert settings.CELERY_TIMEZONE == "Europe/Berlin"


def test_the_digest_sends_one_e_mail_per_person_with_what_is_unread_once(
    staff_user, moderator, deliver
):
    for person in (staff_user, moderator):
        DeliverySetting.objects.create(user=person, kind=Kind.COMMENT, delivery="digest")
    first = _notify([staff_user], kind=Kind.COMMENT, params={"title": "Erste", "status": "x"})
    _notify([staff_user], kind=Kind.COMMENT, params={"title": "Zweite", "status": "x"})
    read = _notify([moderator], kind=Kind.COMMENT, params={"title": "Gelesen", "status": "x"})
    services.notification_mark_read(user=moderator, notification_id=read[0].pk)
    assert mail.outbox == []  # nothing at once

    with deliver():
        assert services.digests_queue() == 2
    assert [m.to for m in mail.outbox] == [[staff_user.email]]  # the moderator read it all
    [message] = mail.outbox
    assert "2 neue Benachrichtigungen" in message.subject
    assert "Erste" in message.body and "Zweite" in message.body
    assert "/benachrichtigungen/einstellungen/" in message.body
    assert message.alternatives[0][1] == "text/html"
    assert not Notification.objects.filter(emailed_at__isnull=True).exists()
    assert Notification.objects.get(pk=first[0].pk).emailed_at is not None

    # once: running again the same day (or the task twice) sends nothing more
    with deliver():
        services.digests_queue()
    assert services.digest_send(user_id=staff_user.pk) is False
    assert len(mail.outbox) == 1


def test_the_digest_is_queued_once_per_person_and_day(
    staff_user, django_capture_on_commit_callbacks
):
    DeliverySetting.objects.create(user=staff_user, kind=Kind.COMMENT, delivery="digest")
    _notify([staff_user], kind=Kind.COMMENT)
    with freeze_time("2026-03-02 07:00:00+01:00"), django_capture_on_commit_callbacks():
        services.digests_queue()
        services.digests_queue()
    assert OutboxMessage.objects.filter(task=services.DIGEST_TASK).count() == 1
    with freeze_time("2026-03-03 07:00:00+01:00"), django_capture_on_commit_callbacks():
        services.digests_queue()
    keys = set(OutboxMessage.objects.values_list("dedupe_key", flat=True))
    assert keys == {
        f"notification-digest:{staff_user.pk}:2026-03-02",
        f"notification-digest:{staff_user.pk}:2026-03-03",
    }


# --- follows and settings ------------------------------------------------------------


def test_follow_toggle_and_followers(staff_user, moderator):
    idea = IdeaFactory()
    assert services.follow_toggle(user=staff_user, target=idea) is True
    assert services.follow_toggle(user=moderator, target=idea) is True
    services.follow(user=staff_user, target=idea)  # twice is once
    assert Follow.objects.count() == 2
    assert set(selectors.followers_of(idea)) == {staff_user, moderator}
    assert selectors.is_following(user=staff_user, target=idea)
    assert services.follow_toggle(user=staff_user, target=idea) is False
    assert list(selectors.followers_of(idea)) == [moderator]


def test_only_what_is_followable_and_visible_can_be_followed(staff_user):
    without_role = UserFactory(username="ohnerolle", role="")
    with pytest.raises(PermissionDenied):
        services.follow_toggle(user=without_role, target=IdeaFactory())
    with pytest.raises(PermissionDenied):
        services.follow_toggle(user=staff_user, target=staff_user)  # not followable


def test_authors_follow_the_ideas_they_submit(moderator):
    from ideas.services import idea_submit
    from tests.factories import TopicFactory

    idea = idea_submit(
        author=moderator, title="Patenschaften", description="x", topic=TopicFactory()
    )
    assert selectors.is_following(user=moderator, target=idea)


def test_delivery_settings_are_saved_per_kind(staff_user):
    services.delivery_settings_save(
        user=staff_user, deliveries={Kind.COMMENT: "portal", Kind.INVITATION: "digest"}
    )
    choices = selectors.delivery_choices(user=staff_user)
    assert choices[Kind.COMMENT] == Delivery.PORTAL
    assert choices[Kind.INVITATION] == Delivery.DIGEST
    assert choices[Kind.IDEA_STATUS] == DEFAULT_DELIVERY[Kind.IDEA_STATUS]


# --- calendar subscription and privacy ---------------------------------------------------


def test_a_renewed_feed_address_replaces_the_old_one(staff_user):
    old = services.calendar_feed_renew(user=staff_user)
    old_token = selectors.calendar_feed_token(old)
    new = services.calendar_feed_renew(user=staff_user)
    new_token = selectors.calendar_feed_token(new)
    assert new_token != old_token and len(new_token) == 40
    assert selectors.calendar_feed_check(user_id=staff_user.pk, token=old_token) is None
    assert selectors.calendar_feed_check(user_id=staff_user.pk, token=new_token) == new
    services.calendar_feed_revoke(user=staff_user)
    assert selectors.calendar_feed_check(user_id=staff_user.pk, token=new_token) is None


def test_the_feed_token_is_compared_in_constant_time(staff_user, monkeypatch):
    import hmac

    from roundtable.notifications import selectors as module

    compared = []
    real = hmac.compare_digest
    monkeypatch.setattr(
        module.hmac, "compare_digest", lambda a, b: compared.append((a, b)) or real(a, b)
    )
    feed = services.calendar_feed_renew(user=staff_user)
    assert module.calendar_feed_check(user_id=staff_user.pk, token="falsch") is None
    assert (
        module.calendar_feed_check(user_id=999_999, token="falsch") is None
    )  # no feed: compared too
    assert module.calendar_feed_check(user_id=staff_user.pk, token=module.calendar_feed_token(feed))
    assert len(compared) == 3


def test_an_erasure_forgets_notifications_follows_settings_and_feed(staff_user, administrator):
    from roundtable.privacy.services import user_erase

    _notify([staff_user])
    services.follow(user=staff_user, target=IdeaFactory())
    services.delivery_settings_save(user=staff_user, deliveries={Kind.COMMENT: "portal"})
    services.calendar_feed_renew(user=staff_user)
    user_erase(user=staff_user, reason="administrator", erased_by=administrator)
    assert not Notification.objects.filter(recipient=staff_user).exists()
    assert not Follow.objects.filter(user=staff_user).exists()
    assert not DeliverySetting.objects.filter(user=staff_user).exists()
    staff_user.refresh_from_db()
    assert not hasattr(staff_user, "calendar_feed")


def test_kinds_each_have_a_default():
    assert set(DEFAULT_DELIVERY) == set(Kind.values)
