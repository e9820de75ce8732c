"""The idea page shows the idea's whole path (loaded from the implementation app)."""

import pytest

from tests.factories import IdeaFactory
from workshops.models import Concept, ConceptIdea

pytestmark = pytest.mark.django_db


def test_idea_page_loads_its_path_and_the_path_names_the_concept(client, staff_user, moderator):
    idea = IdeaFactory(title="Elterncafé mit Sprachkurs")
    concept = Concept.objects.create(title="Sprachförderung für Familien", created_by=moderator)
    ConceptIdea.objects.create(concept=concept, idea=idea, added_by=moderator)
    client.force_login(staff_user)

    page = client.get(f"/ideen/{idea.pk}/").content.decode()
    path_url = f"/umsetzung/ideen/{idea.pk}/weg/"
    assert f'hx-get="{path_url}"' in page
    assert f'href="{path_url}"' in page  # without JavaScript: a plain link

    fragment = client.get(path_url, headers={"HX-Request": "true"}).content.decode()
    assert "<html" not in fragment
    assert "Sprachförderung für Familien" in fragment
    assert concept.get_absolute_url() in fragment
