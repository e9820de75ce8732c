"""The user is loaded with their profile and whether they have model permissions or
groups; only then does Django's model backend ask for them (participants/backends.py)."""

import pytest
from django.contrib.auth.models import Group, Permission

from participants.backends import ProfileModelBackend
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_without_permissions_or_groups_no_query(django_assert_num_queries):
    user = UserFactory()
    with django_assert_num_queries(1):  # user, profile and the two flags
        loaded = ProfileModelBackend().get_user(user.pk)
        assert loaded.profile.role
        assert loaded.has_perm("auth.view_group") is False
        assert loaded.get_all_permissions() == set()


def test_own_and_group_permissions_still_count():
    direct, through_group = UserFactory(), UserFactory()
    direct.user_permissions.add(Permission.objects.get(codename="view_group"))
    group = Group.objects.create(name="Redaktion")
    group.permissions.add(Permission.objects.get(codename="change_group"))
    through_group.groups.add(group)
    backend = ProfileModelBackend()
    assert backend.get_user(direct.pk).has_perm("auth.view_group")
    assert backend.get_user(through_group.pk).has_perm("auth.change_group")
    assert not backend.get_user(through_group.pk).has_perm("auth.view_group")
