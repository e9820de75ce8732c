"""Every workshops permission for every role (and the object rules)."""

import pytest

from participants.models import Role
from tests.factories import (
    DepartmentFactory,
    OrganisationFactory,
    ParticipationFactory,
    UserFactory,
)
from workshops.models import Concept

from .factories import ConceptFactory, WorkshopFactory

pytestmark = pytest.mark.django_db

MODERATION_ONLY = [
    "workshops.add_workshop",
    "workshops.change_workshop",
    "workshops.add_concept",
    "workshops.change_concept",
    "workshops.change_concept_status",
    "workshops.use_board",
    "workshops.view_groupsuggestion",
    "workshops.change_groupsuggestion",
    "workshops.remind_conceptsignoff",
]
EVERY_PARTICIPANT = ["workshops.list_workshops", "workshops.view_concept"]
#: the departments' sign-off and a concept's history: not for external members
INTERNAL = ["workshops.view_conceptsignoff", "workshops.view_concepthistory"]


@pytest.mark.parametrize(
    ("role", "allowed"),
    [
        ("staff", False),
        ("committee", False),
        ("moderator", True),
        ("admin", True),
        ("external", False),
    ],
)
def test_permissions_per_role(role, allowed):
    user = UserFactory(role=Role.ADMIN if role == "admin" else Role(role))
    for perm in MODERATION_ONLY:
        assert user.has_perm(perm) is allowed, perm
    for perm in EVERY_PARTICIPANT:
        assert user.has_perm(perm), perm
    for perm in INTERNAL:
        assert user.has_perm(perm) is (role != "external"), perm


def test_external_member_takes_part_in_the_workshops_of_their_organisation(role_users):
    external = role_users["external"]
    workshop = WorkshopFactory()
    assert not external.has_perm("workshops.view_workshop", workshop)
    workshop.organisations.add(external.profile.organisation)
    assert external.has_perm("workshops.view_workshop", workshop)
    assert not external.has_perm("workshops.use_board")


def test_account_without_profile_has_no_permission():
    user = UserFactory(role=None)
    user.profile.delete()
    user = type(user).objects.get(pk=user.pk)
    for perm in MODERATION_ONLY + EVERY_PARTICIPANT:
        assert not user.has_perm(perm), perm


def test_view_workshop_by_invitation(role_users):
    dept = DepartmentFactory(name="Schulamt")
    org = OrganisationFactory(name="Caritasverband Rhein-Sieg e. V.")
    workshop = WorkshopFactory()
    staff = role_users["staff"]
    committee = role_users["committee"]
    assert not staff.has_perm("workshops.view_workshop", workshop)
    assert not committee.has_perm("workshops.view_workshop", workshop)
    assert role_users["moderator"].has_perm("workshops.view_workshop", workshop)
    assert role_users["admin"].has_perm("workshops.view_workshop", workshop)

    workshop.participants.add(committee)
    assert committee.has_perm("workshops.view_workshop", workshop)
    member = UserFactory(role=Role.STAFF, role__department=dept)
    workshop.departments.add(dept)
    assert member.has_perm("workshops.view_workshop", workshop)
    org_member = UserFactory(role=Role.STAFF)
    org_member.profile.organisation = org
    org_member.profile.save()
    org_member = type(org_member).objects.get(pk=org_member.pk)
    assert not org_member.has_perm("workshops.view_workshop", workshop)
    workshop.organisations.add(org)
    assert org_member.has_perm("workshops.view_workshop", workshop)


@pytest.mark.parametrize(
    ("status", "allowed"),
    [
        (Concept.Status.DRAFT, False),
        (Concept.Status.IN_COORDINATION, True),
        (Concept.Status.COORDINATED, False),
        (Concept.Status.ADOPTED, False),
    ],
)
def test_signoff_only_in_coordination(status, allowed):
    dept = DepartmentFactory(name="Jugendamt")
    member = UserFactory(role=Role.STAFF, role__department=dept)
    concept = ConceptFactory(status=status)
    concept.responsible_departments.add(dept)
    assert member.has_perm("workshops.add_conceptsignoff", concept) is allowed


@pytest.mark.parametrize("role", ["staff", "committee", "moderator"])
def test_signoff_needs_contact_or_membership_whatever_the_role(role_users, role):
    dept = DepartmentFactory(name="Gesundheitsamt")
    concept = ConceptFactory(status=Concept.Status.IN_COORDINATION)
    concept.responsible_departments.add(dept)
    user = role_users[role]
    assert not user.has_perm("workshops.add_conceptsignoff", concept)
    ParticipationFactory(department=dept).contacts.add(user)
    assert user.has_perm("workshops.add_conceptsignoff", concept)


def test_member_of_a_department_that_is_not_responsible_cannot_sign_off():
    concept = ConceptFactory(status=Concept.Status.IN_COORDINATION)
    concept.responsible_departments.add(DepartmentFactory(name="Ordnungsamt"))
    other = UserFactory(role=Role.STAFF, role__department=DepartmentFactory(name="Schulamt"))
    assert not other.has_perm("workshops.add_conceptsignoff", concept)


def test_superuser_administrator_signs_off_only_for_own_department(client, administrator):
    """Superusers pass every rule; the view and the service still ask for the department."""
    from django.urls import reverse

    dept = DepartmentFactory(name="Gesundheitsamt")
    concept = ConceptFactory(status=Concept.Status.IN_COORDINATION)
    concept.responsible_departments.add(dept)
    client.force_login(administrator)
    url = reverse("workshops:concept_signoff", args=[concept.pk])
    assert client.get(url).status_code == 403
    ParticipationFactory(department=dept).contacts.add(administrator)
    assert client.get(url).status_code == 200
