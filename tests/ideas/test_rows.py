"""The list's rows, formatted without the template engine (ideas/rows.py): escaped, in
the list's order of names, with the user's own mark."""

import pytest
from django.utils import translation

from ideas import rows, selectors
from tests.factories import IdeaFactory, MunicipalityFactory, TargetGroupFactory

pytestmark = pytest.mark.django_db


def _rows(user=None, **kwargs):
    return selectors.idea_rows(selectors.idea_list(user=user, **kwargs))


def test_values_and_names_in_list_order():
    idea = IdeaFactory(title="Sprachcafé")
    idea.target_groups.set(
        [
            TargetGroupFactory(name="Zugewanderte", slug="z", position=1),
            TargetGroupFactory(name="Eltern", slug="e", position=2),
            TargetGroupFactory(name="Alle", slug="a", position=3),
        ]
    )
    idea.municipalities.set(
        [MunicipalityFactory(name="Troisdorf"), MunicipalityFactory(name="Bornheim")]
    )
    (row,) = _rows()
    assert row["target_group_names"] == "Zugewanderte, Eltern, Alle"  # position, then name
    assert row["municipality_names"] == "Bornheim, Troisdorf"
    assert row["submitted_for"] == str(idea.submitted_for or "")


def test_rows_are_escaped_and_marked_per_user(staff_user):
    from ideas import services

    idea = IdeaFactory(title='<script>alert(1)</script> "Sprachkurs"', department=None)
    services.idea_support_toggle(idea=idea, user=staff_user)
    with translation.override("de"):
        html = rows.render_rows(_rows(user=staff_user), selectable=True)
    assert "<script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &quot;Sprachkurs&quot;" in html
    assert 'aria-label="„&lt;script&gt;alert(1)&lt;/script&gt;' in html
    assert f'<a href="/ideen/{idea.pk}/">' in html
    assert "kreisweit" in html
    assert "(von Ihnen unterstützt)" in html
    assert "(von Ihnen unterstützt)" not in rows.render_rows(_rows(user=None))


def test_no_rows_no_html():
    assert rows.render_rows([]) == ""
