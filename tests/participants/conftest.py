import pytest

from .ldap_server import (
    BASE,
    GROUPS,
    ROLE_GROUPS,
    SERVICE_DN,
    SERVICE_PASSWORD,
    USER_FILTER,
    Slapd,
    slapd_missing,
)

DIRECTORY_BACKEND = "participants.directory.backend.DirectoryBackend"


@pytest.fixture(scope="session")
def slapd(tmp_path_factory):
    """One private OpenLDAP server for the whole run, with the Kreis loaded."""
    reason = slapd_missing()
    if reason:
        pytest.skip(reason)
    server = Slapd(tmp_path_factory.mktemp("slapd"))
    server.start()
    yield server
    server.stop()


def configure_directory(settings, *, uri: str, **overrides) -> None:
    """The portal's settings as ``LDAP_*`` variables would make them (the same builder
    ``roundtable/settings.py`` calls)."""
    from participants.directory.config import directory_settings

    values = {
        "server_uri": uri,
        "bind_dn": SERVICE_DN,
        "bind_password": SERVICE_PASSWORD,
        "user_search_base": BASE,
        "user_filter": USER_FILTER,
        "group_search_base": GROUPS,
        "role_groups": ROLE_GROUPS,
        "timeout": 2.0,
        **overrides,
    }
    for name, value in directory_settings(**values).items():
        setattr(settings, name, value)
    if DIRECTORY_BACKEND not in settings.AUTHENTICATION_BACKENDS:
        settings.AUTHENTICATION_BACKENDS = [*settings.AUTHENTICATION_BACKENDS, DIRECTORY_BACKEND]


@pytest.fixture
def directory(slapd, settings):
    """The portal connected to the test directory (``LDAP_SERVER_URI`` and friends)."""
    configure_directory(settings, uri=slapd.uri)
    return slapd


@pytest.fixture
def kreis_departments(db):
    from tests.factories import DepartmentFactory

    return {
        number: DepartmentFactory(number=number, name=name)
        for number, name in [
            ("32", "Ordnungsamt"),
            ("40", "Schulamt"),
            ("50.3", "Besondere soziale Aufgaben"),
        ]
    }


@pytest.fixture
def eager_celery(monkeypatch):
    """Tasks run inline after the commit that queues them (no broker)."""
    from roundtable.celery import app

    monkeypatch.setitem(app.conf, "task_always_eager", True)
    monkeypatch.setitem(app.conf, "task_eager_propagates", True)
    return app
