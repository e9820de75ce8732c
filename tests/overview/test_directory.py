"""The directory of participants (/beteiligte/) leads on to each one's page."""

import pytest
from django.urls import reverse

from tests.factories import DepartmentFactory, MunicipalityFactory, OrganisationFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("role", ["staff", "moderator", "committee", "admin"])
def test_every_participant_links_to_its_page(client, role_users, role):
    department = DepartmentFactory(number="51", name="Jugendamt", email="jugendamt@example.org")
    caritas = OrganisationFactory(
        name="Caritasverband für den Rhein-Sieg-Kreis e. V.",
        email="integration@caritas.example",
        website="https://caritas.example/integration",
    )
    quiet = OrganisationFactory(name="Integrationsrat Troisdorf")
    troisdorf = MunicipalityFactory(name="Troisdorf", slug="troisdorf")
    client.force_login(role_users[role])
    page = client.get(reverse("directory")).content.decode()
    links = {
        reverse("implementation:department_detail", args=[department.pk]),
        reverse("implementation:organisation_detail", args=[caritas.pk]),
        reverse("implementation:organisation_detail", args=[quiet.pk]),
        reverse("implementation:municipality_detail", args=[troisdorf.slug]),
    }
    for url in links:
        assert f'href="{url}"' in page, url
        assert client.get(url).status_code == 200, url  # no dead end for this role either
    # organisations show how to reach them, or that nothing is known
    assert 'href="mailto:integration@caritas.example"' in page
    assert 'href="https://caritas.example/integration"' in page
    assert "Keine Kontaktdaten hinterlegt." in page
    assert 'href="mailto:jugendamt@example.org"' in page
    # and so does the organisation's own page
    detail = client.get(reverse("implementation:organisation_detail", args=[caritas.pk]))
    assert 'href="mailto:integration@caritas.example"' in detail.content.decode()
