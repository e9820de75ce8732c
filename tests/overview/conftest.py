# The dashboard counts measures: the implementation tests' fixtures build them.
from tests.implementation.conftest import (  # noqa: F401
    adopted_concept,
    decided_paper,
    measure,
    troisdorf,
)
