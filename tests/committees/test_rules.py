import pytest

from tests.committees.factories import PaperFactory

pytestmark = pytest.mark.django_db

# role -> expected permission without object
GLOBAL = {
    "committees.view_committee": {"staff", "moderator", "committee", "admin", "external"},
    "committees.add_committee": {"admin"},
    "committees.change_committee": {"admin"},
    "committees.change_committeemembership": {"admin"},
    "committees.view_meeting": {"staff", "moderator", "committee", "admin", "external"},
    "committees.add_meeting": {"moderator", "admin"},
    "committees.change_meeting": {"moderator", "admin"},
    "committees.add_agendaitem": {"moderator", "admin"},
    "committees.change_agendaitem": {"moderator", "admin"},
    "committees.add_paper": {"moderator", "admin"},
    "committees.change_paper": {"moderator", "admin"},
    "committees.submit_paper": {"moderator", "admin"},
    "committees.correct_paper": {"moderator", "admin"},
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


@pytest.mark.parametrize(
    ("role", "allowed"),
    [("staff", False), ("moderator", True), ("committee", False), ("admin", True)],
)
def test_a_draft_is_edited_a_submitted_paper_corrected_a_decided_one_locked(
    role_users, role, allowed
):
    from roundtable.committees.models import Decision
    from tests.committees.factories import paper_with_concepts

    user = role_users[role]
    draft = paper_with_concepts(concepts=1, ideas_per_concept=0)
    assert user.has_perm("committees.change_paper", draft) is allowed
    assert user.has_perm("committees.submit_paper", draft) is allowed
    assert user.has_perm("committees.correct_paper", draft) is (role == "admin")  # superuser
    submitted = paper_with_concepts(concepts=1, ideas_per_concept=0, submitted=True)
    assert user.has_perm("committees.correct_paper", submitted) is allowed
    assert user.has_perm("committees.submit_paper", submitted) is (role == "admin")
    Decision.objects.create(
        agenda_item=submitted.agenda_item, text="Zugestimmt.", result="approved"
    )
    if role != "admin":  # a superuser passes every rule; the services refuse (test_services)
        assert not user.has_perm("committees.correct_paper", submitted)
    # a preview is for drafts; a submitted paper's PDFs are there to download
    reader = role in ("moderator", "committee", "admin")
    assert user.has_perm("committees.request_report", draft) is reader
    assert user.has_perm("committees.request_report", submitted) is (role == "admin")


def test_user_without_profile_has_no_permission(django_user_model):
    user = django_user_model.objects.create_user("ohne-rolle", password="x" * 14)
    assert not user.has_perm("committees.view_committee")
    assert not user.has_perm("committees.request_report")
