"""Whatever is typed into the measure forms, the answer is a page, never a 500."""

import pytest
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

pytestmark = pytest.mark.django_db

text = st.text(max_size=300)
maybe_id = st.one_of(st.none(), st.integers(min_value=-5, max_value=10**6).map(str), text)


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    title=text,
    concept=maybe_id,
    department=maybe_id,
    starts_on=st.one_of(st.none(), st.dates().map(str), text),
    ends_on=st.one_of(st.none(), st.dates().map(str), text),
)
def test_measure_form_never_500(
    client, moderator, adopted_concept, title, concept, department, starts_on, ends_on
):
    client.force_login(moderator)
    data = {
        k: v
        for k, v in {
            "title": title,
            "concept": concept,
            "responsible_department": department,
            "starts_on": starts_on,
            "ends_on": ends_on,
        }.items()
        if v is not None
    }
    response = client.post(
        reverse("implementation:measure_create"),
        {k: v.replace("\x00", "") for k, v in data.items()},
    )
    assert response.status_code in (200, 302)


@settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(status=text, progress=text, note=st.text(max_size=6000))
def test_status_form_never_500(client, moderator, measure, status, progress, note):
    client.force_login(moderator)
    response = client.post(
        reverse("implementation:measure_status", args=[measure.pk]),
        {
            "status": status.replace("\x00", ""),
            "progress": progress.replace("\x00", ""),
            "note": note.replace("\x00", ""),
        },
    )
    assert response.status_code == 302
