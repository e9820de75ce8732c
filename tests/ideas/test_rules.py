"""Every role in every phase of the timeline (freezegun)."""

import datetime

import pytest
from freezegun import freeze_time

from ideas.models import Idea
from tests.factories import IdeaFactory, UserFactory
from tests.ideas.conftest import BEFORE, BETWEEN, IN_WORKSHOP, OPEN

pytestmark = pytest.mark.django_db

ROLES = ["staff", "moderator", "committee", "admin", "external"]
MOMENTS = {"before": BEFORE, "open": OPEN, "between": BETWEEN, "workshop": IN_WORKSHOP}

# may a role submit an idea at a moment of the timeline?
SUBMIT = {
    ("staff", "before"): False,
    ("staff", "open"): True,
    ("staff", "between"): False,
    ("staff", "workshop"): False,
    ("committee", "before"): False,
    ("committee", "open"): True,
    ("committee", "between"): False,
    ("committee", "workshop"): False,
    # invited external members submit like staff
    ("external", "before"): False,
    ("external", "open"): True,
    ("external", "between"): False,
    ("external", "workshop"): False,
    **{("moderator", m): True for m in MOMENTS},
    **{("admin", m): True for m in MOMENTS},
}


@pytest.mark.parametrize("moment", MOMENTS)
@pytest.mark.parametrize("role", ROLES)
def test_add_idea_by_role_and_phase(role, moment, role_users, phases):
    with freeze_time(MOMENTS[moment]):
        assert role_users[role].has_perm("ideas.add_idea") is SUBMIT[(role, moment)]


@pytest.mark.parametrize("moment", MOMENTS)
@pytest.mark.parametrize(
    "perm",
    ["ideas.view_idea", "ideas.add_support", "ideas.add_comment", "ideas.export_idea"],
)
@pytest.mark.parametrize("role", ROLES)
def test_taking_part_for_every_role_in_every_phase(role, perm, moment, role_users, phases):
    with freeze_time(MOMENTS[moment]):
        assert role_users[role].has_perm(perm) is True


@pytest.mark.parametrize("moment", MOMENTS)
@pytest.mark.parametrize("role", ROLES)
def test_moderation_only_for_moderators_and_admins(role, moment, role_users, phases):
    with freeze_time(MOMENTS[moment]):
        expected = role in ("moderator", "admin")
        assert role_users[role].has_perm("ideas.moderate_idea") is expected
        assert role_users[role].has_perm("ideas.hide_comment") is expected


@pytest.mark.parametrize("moment", MOMENTS)
def test_user_without_role_may_do_nothing(moment, phases):
    nobody = UserFactory(username="ohne-rolle", role=None)
    nobody.profile.delete() if hasattr(nobody, "profile") else None
    nobody = type(nobody).objects.get(pk=nobody.pk)
    with freeze_time(MOMENTS[moment]):
        for perm in (
            "ideas.view_idea",
            "ideas.add_idea",
            "ideas.add_support",
            "ideas.add_comment",
            "ideas.moderate_idea",
            "ideas.export_idea",
        ):
            assert not nobody.has_perm(perm), perm


@pytest.mark.parametrize("role", ROLES)
def test_author_edits_own_idea_until_review_started(role, role_users, phases):
    author = role_users[role]
    idea = IdeaFactory(author=author)
    assert author.has_perm("ideas.change_idea", idea)
    idea.status = Idea.Status.IN_REVIEW
    # moderators and administrators may always edit; authors no longer
    assert author.has_perm("ideas.change_idea", idea) is (role in ("moderator", "admin"))
    assert author.has_perm("ideas.add_attachment", idea) is (role in ("moderator", "admin"))


@pytest.mark.parametrize("role", ROLES)
def test_nobody_edits_someone_elses_idea_except_moderation(role, role_users):
    idea = IdeaFactory(author=UserFactory(username="jemand"))
    assert role_users[role].has_perm("ideas.change_idea", idea) is (role in ("moderator", "admin"))


def test_comment_edit_window(staff_user, moderator, settings):
    from ideas.models import Comment

    settings.IDEAS_COMMENT_EDIT_MINUTES = 15
    idea = IdeaFactory(author=staff_user)
    with freeze_time("2004-10-15 10:00:00+02:00"):
        comment = Comment.objects.create(idea=idea, author=staff_user, text="Gute Idee")
    with freeze_time("2004-10-15 10:14:00+02:00"):
        assert staff_user.has_perm("ideas.change_comment", comment)
        assert not moderator.has_perm("ideas.change_comment", comment)
    with freeze_time("2004-10-15 10:16:00+02:00"):
        assert not staff_user.has_perm("ideas.change_comment", comment)
    with freeze_time("2004-10-15 10:05:00+02:00"):
        comment.is_hidden = True
        assert not staff_user.has_perm("ideas.change_comment", comment)


def test_phase_boundaries_are_inclusive(staff_user, phases):
    for moment, expected in (
        ("2004-09-30 23:30:00+02:00", False),
        ("2004-10-01 00:30:00+02:00", True),
        ("2004-11-30 23:30:00+01:00", True),
        ("2004-12-01 00:30:00+01:00", False),
    ):
        with freeze_time(moment):
            assert staff_user.has_perm("ideas.add_idea") is expected, moment
    assert datetime.date(2004, 10, 1) == phases["ideenwerkstatt"].start
