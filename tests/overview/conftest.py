import pytest

from tests.conftest import open_phases_for

# The dashboard counts measures: the implementation tests' fixtures build them.
from tests.implementation.conftest import (  # noqa: F401
    adopted_concept,
    decided_paper,
    measure,
    troisdorf,
)


@pytest.fixture(autouse=True)
def _phases_open(request):
    """The workshop work, committee work and implementation are open (tests/timeline
    tests what happens outside their phases)."""
    open_phases_for(request)
