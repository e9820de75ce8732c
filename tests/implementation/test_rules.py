import pytest

pytestmark = pytest.mark.django_db

# permission: roles that have it
EXPECTED = {
    # measures are implemented with the organisations: external members read them
    "implementation.view_measure": {"staff", "moderator", "committee", "admin", "external"},
    "implementation.add_measure": {"moderator", "admin"},
    "implementation.change_measure": {"moderator", "admin"},
    "implementation.view_history": {"moderator", "admin"},
    "implementation.export_roundtable": {"admin"},
    # the OParl interface (when not public) is for the administration's side
    "oparl.view_api": {"staff", "moderator", "committee", "admin"},
}


@pytest.mark.parametrize("perm", sorted(EXPECTED))
@pytest.mark.parametrize("role", ["staff", "moderator", "committee", "admin", "external"])
def test_permission_per_role(role_users, perm, role):
    assert role_users[role].has_perm(perm) is (role in EXPECTED[perm])


@pytest.mark.parametrize("perm", sorted(EXPECTED))
def test_account_without_role_has_nothing(perm):
    from tests.factories import UserFactory

    assert not UserFactory(username="ohne-rolle", role="").has_perm(perm)
