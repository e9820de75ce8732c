"""Password reset: linked from the login page, in German, styled like the portal, sent
through the outbox with an absolute link; a used or broken link says so."""

import re

import pytest
from django.contrib.auth import get_user_model

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
LINK = re.compile(r"https?://\S+/accounts/reset/\S+/")
NEW_PASSWORD = "Neues-Passwort-Rheinaue-2005"


def test_the_login_page_links_to_the_password_reset(client):
    content = client.get("/accounts/login/").content.decode()
    assert 'href="/accounts/password_reset/"' in content
    assert "Passwort vergessen?" in content


def test_reset_by_email_through_the_outbox(
    client, mailoutbox, eager_celery, django_capture_on_commit_callbacks, settings
):
    settings.PORTAL_BASE_URL = "https://runder-tisch.rhein-sieg-kreis.example"
    user = UserFactory(username="a.demir@caritas.example", email="a.demir@caritas.example")
    page = client.get("/accounts/password_reset/").content.decode()
    assert "Passwort zurücksetzen" in page and 'class="portal-header"' in page
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/accounts/password_reset/", {"email": "A.Demir@caritas.example"})
    assert response.status_code == 302
    assert "E-Mail unterwegs" in client.get(response["Location"]).content.decode()
    [mail] = mailoutbox
    assert mail.subject == "Passwort zurücksetzen – Runder Tisch Integration"
    assert "Ihr Benutzername: a.demir@caritas.example" in mail.body
    link = LINK.search(mail.body).group(0)
    assert link.startswith("https://runder-tisch.rhein-sieg-kreis.example/accounts/reset/")

    path = "/" + link.split("/", 3)[3]
    form = client.get(path, follow=True)
    assert "Neues Passwort festlegen" in form.content.decode()
    set_url = form.redirect_chain[-1][0]
    weak = client.post(set_url, {"new_password1": "kurz", "new_password2": "kurz"})
    assert "Dieses Passwort ist zu kurz." in weak.content.decode()
    done = client.post(
        set_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}, follow=True
    )
    assert "Passwort gespeichert" in done.content.decode()
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)

    used = client.get(path, follow=True).content.decode()
    assert "Link ungültig" in used
    assert "abgelaufen oder wurde schon benutzt" in used


def test_no_mail_for_unknown_addresses_and_directory_accounts(
    client, mailoutbox, eager_celery, django_capture_on_commit_callbacks
):
    directory_user = UserFactory(username="mschneider", email="mschneider@rhein-sieg-kreis.example")
    directory_user.set_unusable_password()
    directory_user.save()
    for email in ["niemand@example.org", "mschneider@rhein-sieg-kreis.example"]:
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post("/accounts/password_reset/", {"email": email})
        assert response.status_code == 302  # the same answer: nothing to learn
    assert mailoutbox == []


def test_a_directory_account_has_no_password_change_link(client):
    user = UserFactory(username="mschneider")
    client.force_login(user)
    assert 'href="/accounts/password_change/"' in client.get("/").content.decode()
    user.set_unusable_password()
    user.save()
    client.force_login(user)
    assert 'href="/accounts/password_change/"' not in client.get("/").content.decode()


def test_the_reset_task_sends_nothing_for_an_account_gone_meanwhile(mailoutbox):
    from participants.accounts import password_reset_send

    user = UserFactory(username="weg")
    user.is_active = False
    user.save()
    assert password_reset_send(user_id=user.pk) is False
    assert password_reset_send(user_id=987654) is False
    assert mailoutbox == []
    assert get_user_model().objects.filter(pk=user.pk).exists()
