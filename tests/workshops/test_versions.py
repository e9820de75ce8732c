"""An agreed concept is frozen: a change is a new version, the sign-off starts again,
and the departments see what changed. Steps that follow from others are automatic."""

import re

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from participants.models import Role
from tests.factories import DepartmentFactory, IdeaFactory, UserFactory
from workshops import services
from workshops.models import Concept, ConceptSignoff, ConceptVersion
from workshops.versions import CONCEPT_FIELDS, concept_snapshot, snapshot_diff

pytestmark = pytest.mark.django_db


@pytest.fixture
def agreed(moderator):
    """A concept both responsible departments agreed to, one of them by a member."""
    school, youth = DepartmentFactory(name="Schulamt"), DepartmentFactory(name="Jugendamt")
    signers = {
        school: UserFactory(username="schule", role=Role.STAFF, role__department=school),
        youth: UserFactory(username="jugend", role=Role.STAFF, role__department=youth),
    }
    concept = services.concept_create(
        title="Sprachförderung für Familien",
        summary="Deutschkurse für Mütter am Vormittag.",
        goals="Mehr Mütter besuchen einen Kurs.",
        measures=["Kurse planen", "Kinderbetreuung organisieren"],
        responsible_departments=[school, youth],
        ideas=[IdeaFactory(title="Sprachkurse für Mütter")],
        by=moderator,
    )
    services.concept_set_status(concept=concept, status="in_coordination", by=moderator)
    for department, signer in signers.items():
        services.signoff_record(
            concept=concept, department=department, decision="agrees", by=signer
        )
    concept.refresh_from_db()
    return concept, signers


def test_the_last_agreement_makes_it_agreed_automatically(agreed):
    concept, _signers = agreed
    assert concept.status == Concept.Status.COORDINATED
    last = concept.history.order_by("-history_date", "-history_id").first()
    # recorded as automatic, not credited to whoever signed last
    assert last.status == Concept.Status.COORDINATED and last.history_user is None
    (version,) = concept.versions.all()
    assert (version.number, version.kind) == (1, ConceptVersion.Kind.COORDINATED)
    assert version.content["measures"] == ["Kurse planen", "Kinderbetreuung organisieren"]


def test_an_edit_of_an_agreed_concept_makes_a_new_version_and_restarts_the_signoff(
    agreed, moderator
):
    concept, _signers = agreed
    services.concept_update(
        concept=concept,
        by=moderator,
        summary="Deutschkurse für Mütter am Vormittag, mit Kinderbetreuung.",
        measures=["Kurse planen", "Räume in Grundschulen finden"],
    )
    concept.refresh_from_db()
    assert concept.status == Concept.Status.IN_COORDINATION
    assert not ConceptSignoff.objects.filter(concept=concept).exists()
    assert list(concept.versions.values_list("number", "kind")) == [
        (1, "coordinated"),
        (2, "changed"),
    ]
    changed = concept.versions.get(number=2)
    assert changed.created_by == moderator
    assert changed.content["summary"].endswith("mit Kinderbetreuung.")
    latest = concept.history.order_by("-history_date", "-history_id").first()
    assert latest.status == Concept.Status.IN_COORDINATION and latest.history_user is None
    # the withdrawn sign-offs stay in their history
    assert ConceptSignoff.history.filter(history_type="-").count() == 2


def test_saving_an_agreed_concept_unchanged_keeps_it_agreed(agreed, moderator):
    concept, _signers = agreed
    services.concept_update(concept=concept, by=moderator, title=concept.title)
    concept.refresh_from_db()
    assert concept.status == Concept.Status.COORDINATED
    assert concept.versions.count() == 1
    assert ConceptSignoff.objects.filter(concept=concept).count() == 2


def test_the_signers_see_what_changed(client, agreed, moderator):
    concept, signers = agreed
    services.concept_update(
        concept=concept,
        by=moderator,
        goals="Mehr Mütter und Väter besuchen einen Kurs.",
        measures=["Kurse planen", "Räume in Grundschulen finden"],
    )
    client.force_login(next(iter(signers.values())))
    for url in (
        reverse("workshops:concept_signoff", args=[concept.pk]),
        reverse("workshops:concept_detail", args=[concept.pk]),
        reverse("workshops:concept_versions", args=[concept.pk]),
    ):
        content = client.get(url).content.decode()
        assert "Geändert seit der abgestimmten Fassung 1" in content, url
        assert re.search(r'<ins><span class="visually-hidden">\[neu: </span>\s?und Väter', content)
        assert "Kinderbetreuung organisieren</del>" in content
        assert "Räume in Grundschulen finden</ins>" in content


def test_a_concept_before_a_committee_is_locked(agreed, moderator, client):
    concept, _signers = agreed
    Concept.objects.filter(pk=concept.pk).update(status=Concept.Status.SUBMITTED)
    concept.refresh_from_db()
    with pytest.raises(ValidationError, match="kann nicht mehr geändert werden"):
        services.concept_update(concept=concept, by=moderator, title="Anders")
    client.force_login(moderator)
    response = client.get(reverse("workshops:concept_edit", args=[concept.pk]), follow=True)
    assert response.redirect_chain[-1][0] == concept.get_absolute_url()
    assert "kann nicht mehr geändert werden" in response.content.decode()
    assert not moderator.has_perm("workshops.change_concept", concept)


@pytest.mark.parametrize(
    ("start", "target"),
    [
        ("in_coordination", "coordinated"),
        ("coordinated", "submitted"),
        ("submitted", "adopted"),
        ("adopted", "in_implementation"),
    ],
)
def test_steps_that_follow_from_the_process_are_not_set_by_hand(moderator, start, target):
    concept = Concept.objects.create(title="Begegnungscafé", status=start)
    with pytest.raises(ValidationError, match="ergibt sich aus dem Verfahren"):
        services.concept_set_status(concept=concept, status=target, by=moderator)


def test_diff_of_texts_and_lists():
    old = {"title": "Sprachkurs", "summary": "Kurse am Vormittag.", "measures": ["A", "B"]}
    new = {"title": "Sprachkurs", "summary": "Kurse am Nachmittag.", "measures": ["A", "C"]}
    summary, measures = snapshot_diff(old, new, CONCEPT_FIELDS)
    assert summary.label == "Zusammenfassung"
    assert summary.segments == [
        ("equal", "Kurse am "),
        ("delete", "Vormittag"),
        ("insert", "Nachmittag"),
        ("equal", "."),
    ]
    assert (measures.removed, measures.added) == (["B"], ["C"])
    # the order alone counts as a change too
    (reordered,) = snapshot_diff({"measures": ["A", "B"]}, {"measures": ["B", "A"]})
    assert reordered.kind == "list" and reordered.added


def test_snapshot_is_plain_json(agreed):
    concept, _signers = agreed
    snapshot = concept_snapshot(concept)
    assert sorted(snapshot["responsible_departments"]) == [
        str(d) for d in sorted(concept.responsible_departments.all(), key=str)
    ]
    assert snapshot["ideas"][0].startswith("Idee ") and snapshot["ideas"][0].endswith(
        ": Sprachkurse für Mütter"
    )
