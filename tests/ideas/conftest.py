import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from roundtable.celery import app as celery_app
from tests.factories import (
    IdeaFactory,
    MunicipalityFactory,
    PhaseFactory,
    TargetGroupFactory,
    TopicFactory,
    UserFactory,
)

# The seed's timeline: the Ideenwerkstatt is open in October and November 2004.
IDEENWERKSTATT = (datetime.date(2004, 10, 1), datetime.date(2004, 11, 30))
WORKSHOP = (datetime.date(2005, 1, 1), datetime.date(2005, 2, 28))
BEFORE = "2004-09-15 10:00:00+02:00"
OPEN = "2004-10-15 10:00:00+02:00"
BETWEEN = "2004-12-15 10:00:00+01:00"
IN_WORKSHOP = "2005-01-20 10:00:00+01:00"


@pytest.fixture
def phases(db):
    return {
        "ideenwerkstatt": PhaseFactory(
            key="ideenwerkstatt",
            name="Ideenwerkstatt",
            start=IDEENWERKSTATT[0],
            end=IDEENWERKSTATT[1],
            allows_idea_submission=True,
        ),
        "workshop": PhaseFactory(
            key="workshop",
            name="Workshop",
            start=WORKSHOP[0],
            end=WORKSHOP[1],
            allows_workshop_work=True,
        ),
    }


@pytest.fixture
def open_phase(db):
    """An Ideenwerkstatt that is open today (no time travel needed)."""
    return PhaseFactory(
        key="ideenwerkstatt-heute", name="Ideenwerkstatt", allows_idea_submission=True
    )


@pytest.fixture
def eager_tasks():
    """Runs Celery tasks inline (after the commit that queues them)."""
    before = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = True
    yield
    celery_app.conf.task_always_eager = before


@pytest.fixture
def topic(db):
    return TopicFactory(name="Sprache", slug="sprache")


@pytest.fixture
def make_ideas(db):
    """``make_ideas(n)``: n ideas with target groups and municipalities (M2M filled)."""

    def make(n: int, **kwargs):
        groups = [TargetGroupFactory(name=f"Gruppe {i}", slug=f"gruppe-{i}") for i in range(2)]
        places = [MunicipalityFactory(name=f"Ort {i}", slug=f"ort-{i}") for i in range(2)]
        author = kwargs.pop("author", None) or UserFactory()
        ideas = IdeaFactory.create_batch(n, author=author, **kwargs)
        for idea in ideas:
            idea.target_groups.set(groups)
            idea.municipalities.set(places)
        return ideas

    return make


PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
SVG = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'
HTML = b"<!doctype html><html><script>alert(1)</script></html>"


def upload(name: str, content: bytes, content_type: str = "application/octet-stream"):
    return SimpleUploadedFile(name, content, content_type=content_type)


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """Argon2 makes every user cost a tenth of a second; these tests create many."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
