import pytest

from tests.conftest import open_phases_for


@pytest.fixture(autouse=True)
def _phases_open(request):
    """The workshop work, committee work and implementation are open (tests/timeline
    tests what happens outside their phases)."""
    open_phases_for(request)
