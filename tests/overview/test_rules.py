import pytest

pytestmark = pytest.mark.django_db

# permission: roles that have it
EXPECTED = {
    "overview.view_home": {"staff", "moderator", "committee", "admin", "external"},
    "overview.view_timeline": {"staff", "moderator", "committee", "admin", "external"},
    "overview.view_directory": {"staff", "moderator", "committee", "admin", "external"},
    "overview.view_dashboard": {"moderator", "committee", "admin"},
}


@pytest.mark.parametrize("perm", sorted(EXPECTED))
@pytest.mark.parametrize("role", ["staff", "moderator", "committee", "admin", "external"])
def test_permission_per_role(role_users, perm, role):
    assert role_users[role].has_perm(perm) is (role in EXPECTED[perm])


@pytest.mark.parametrize("perm", sorted(EXPECTED))
def test_account_without_role_has_nothing(perm):
    from tests.factories import UserFactory

    assert not UserFactory(username="ohne-rolle", role="").has_perm(perm)
