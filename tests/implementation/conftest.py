import datetime

import pytest

from roundtable.committees.models import Decision
from roundtable.committees.services import decision_record, paper_submit
from roundtable.implementation import services
from tests.committees.factories import paper_with_concepts
from tests.conftest import open_phases_for
from tests.factories import DepartmentFactory, MunicipalityFactory, OrganisationFactory


@pytest.fixture
def eager_celery(monkeypatch):
    """Tasks run inline (no broker)."""
    from roundtable.celery import app

    monkeypatch.setitem(app.conf, "task_always_eager", True)
    monkeypatch.setitem(app.conf, "task_eager_propagates", True)
    return app


@pytest.fixture
def decided_paper(moderator):
    """A public paper with one concept (two ideas), submitted and approved by the
    committee."""
    paper = paper_with_concepts(concepts=1, ideas_per_concept=2)
    # (set up as data: not bound to today's phase, so other apps' tests can use it)
    paper_submit(paper=paper, by=moderator, check=False)
    decision_record(
        agenda_item=paper.agenda_item,
        text="Der Ausschuss stimmt dem Konzept zu.",
        result=Decision.Result.APPROVED,
        by=moderator,
        check=False,
    )
    return paper


@pytest.fixture
def adopted_concept(decided_paper):
    concept = decided_paper.concept_links.get().concept
    concept.refresh_from_db()
    return concept


@pytest.fixture
def troisdorf(db):
    return MunicipalityFactory(name="Troisdorf", slug="troisdorf")


@pytest.fixture
def measure(adopted_concept, moderator, troisdorf):
    return services.measure_create(
        concept=adopted_concept,
        title="Deutschkurse für Mütter in Troisdorf",
        description="Vormittagskurse mit Kinderbetreuung.",
        responsible_organisation=OrganisationFactory(name="Volkshochschule Rhein-Sieg"),
        municipalities=[troisdorf],
        starts_on=datetime.date(2005, 6, 1),
        by=moderator,
        check=False,
    )


@pytest.fixture
def jugendamt(db):
    return DepartmentFactory(number="51", name="Jugendamt")


@pytest.fixture(autouse=True)
def _phases_open(request):
    """The workshop work, committee work and implementation are open (tests/timeline
    tests what happens outside their phases)."""
    open_phases_for(request)
