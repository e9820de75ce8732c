import pytest

from tests.committees.factories import PaperFactory

pytestmark = pytest.mark.django_db

# role -> expected permission without object
GLOBAL = {
    "committees.view_committee": {"staff", "moderator", "committee", "admin", "external"},
    "committees.view_meeting": {"staff", "moderator", "committee", "admin", "external"},
    "committees.add_paper": {"moderator", "admin"},
    "committees.change_paper": {"moderator", "admin"},
    "committees.request_report": {"moderator", "committee", "admin"},
    "committees.view_report": {"moderator", "committee", "admin"},
    "committees.download_report": {"moderator", "committee", "admin"},
    "committees.add_decision": {"moderator", "admin"},
}


@pytest.mark.parametrize("perm", sorted(GLOBAL))
@pytest.mark.parametrize("role", ["staff", "moderator", "committee", "admin", "external"])
def test_permission_per_role(role_users, role, perm):
    assert role_users[role].has_perm(perm) is (role in GLOBAL[perm])


@pytest.mark.parametrize("role", ["staff", "moderator", "committee", "admin", "external"])
def test_public_paper_visible_to_every_role(role_users, role):
    paper = PaperFactory(agenda_item__is_public=True)
    assert role_users[role].has_perm("committees.view_paper", paper)


@pytest.mark.parametrize(
    ("role", "allowed"),
    [
        ("staff", False),
        ("moderator", True),
        ("committee", True),
        ("admin", True),
        ("external", False),
    ],
)
def test_non_public_paper_hidden_from_staff(role_users, role, allowed):
    paper = PaperFactory(agenda_item__is_public=False)
    assert role_users[role].has_perm("committees.view_paper", paper) is allowed


def test_user_without_profile_has_no_permission(django_user_model):
    user = django_user_model.objects.create_user("ohne-rolle", password="x" * 14)
    assert not user.has_perm("committees.view_committee")
    assert not user.has_perm("committees.request_report")
