"""The last active administrator cannot be erased, deactivated or deleted (finding 10)."""

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from roundtable.privacy import services as privacy_services
from roundtable.privacy.models import ErasureRecord
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
LAST = "letzte aktive Administrationskonto"
User = get_user_model()


def _change_form_data(client, user) -> dict:
    """The admin's change form of ``user`` as a browser would send it back."""
    page = client.get(reverse("admin:auth_user_change", args=[user.pk]))
    form = page.context["adminform"].form
    data = {}
    for name, field in form.fields.items():
        value = form.initial.get(name, field.initial)
        if value is None or name == "password":
            continue
        if isinstance(value, list | tuple):
            data[name] = [getattr(v, "pk", v) for v in value]
        elif isinstance(value, bool):
            if value:
                data[name] = "on"
        else:
            data[name] = value
    if "last_login" in data and not data["last_login"]:
        del data["last_login"]
    data.pop("date_joined", None)
    data["date_joined_0"] = user.date_joined.strftime("%d.%m.%Y")
    data["date_joined_1"] = user.date_joined.strftime("%H:%M:%S")
    profile = user.profile
    data.update(
        {
            "profile-TOTAL_FORMS": "1",
            "profile-INITIAL_FORMS": "1",
            "profile-MIN_NUM_FORMS": "0",
            "profile-MAX_NUM_FORMS": "1",
            "profile-0-id": profile.pk,
            "profile-0-user": user.pk,
            "profile-0-role": profile.role,
        }
    )
    return data


def test_the_only_administrator_cannot_erase_their_own_account(client, administrator):
    client.force_login(administrator)
    response = client.post(reverse("privacy:my_account_erase"), {"confirm": "on"})
    assert response.status_code == 200
    assert LAST in response.content.decode()
    administrator.refresh_from_db()
    assert administrator.is_active and administrator.username == "admin"
    assert not ErasureRecord.objects.exists()


def test_with_a_second_administrator_the_erasure_goes_through(administrator):
    UserFactory(username="admin2", role="admin")
    privacy_services.user_erase(user=administrator, reason=ErasureRecord.Reason.OWN_REQUEST)
    administrator.refresh_from_db()
    assert not administrator.is_active


def test_retention_keeps_the_last_administrator(administrator, settings):
    from datetime import timedelta

    from django.utils import timezone

    # an administrator by role (superusers are never erased by retention anyway)
    User.objects.filter(pk=administrator.pk).update(
        is_superuser=False,
        last_login=timezone.now() - timedelta(days=3000),
        date_joined=timezone.now() - timedelta(days=3000),
    )
    assert privacy_services.retention_apply(days=730) == 0
    administrator.refresh_from_db()
    assert administrator.is_active


def test_the_admin_cannot_deactivate_or_delete_the_last_administrator(client, administrator):
    client.force_login(administrator)
    data = _change_form_data(client, administrator)
    data.pop("is_active", None)  # the box unticked
    response = client.post(reverse("admin:auth_user_change", args=[administrator.pk]), data)
    assert response.status_code == 200, response.get("Location")
    assert LAST in response.content.decode()
    administrator.refresh_from_db()
    assert administrator.is_active
    confirm = client.get(reverse("admin:auth_user_delete", args=[administrator.pk]))
    assert LAST in confirm.content.decode()
    client.post(reverse("admin:auth_user_delete", args=[administrator.pk]), {"post": "yes"})
    assert User.objects.filter(pk=administrator.pk).exists()
    bulk = client.post(
        reverse("admin:auth_user_changelist"),
        {"action": "delete_selected", "_selected_action": [administrator.pk], "post": "yes"},
    )
    assert bulk.status_code == 200
    assert User.objects.filter(pk=administrator.pk).exists()


def test_the_admin_may_deactivate_one_of_two_administrators(client, administrator):
    other = UserFactory(username="admin2", role="admin")
    client.force_login(administrator)
    data = _change_form_data(client, other)
    data.pop("is_active", None)
    response = client.post(reverse("admin:auth_user_change", args=[other.pk]), data)
    assert response.status_code == 302
    other.refresh_from_db()
    assert not other.is_active
