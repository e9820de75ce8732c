"""The benchmark's ceiling view exists only when BENCH_BASELINE=1."""

import pytest
from django.urls import NoReverseMatch, reverse

from bench.views import baseline


@pytest.mark.django_db
def test_baseline_is_not_mounted_by_default(client, staff_user):
    client.force_login(staff_user)
    assert client.get("/bench/baseline/").status_code == 404
    with pytest.raises(NoReverseMatch):
        reverse("bench:baseline")


def test_baseline_view_answers_a_short_fixed_text(rf):
    response = baseline(rf.get("/bench/baseline/"))
    assert response.status_code == 200
    assert response.content == b"ok"
    assert baseline(rf.post("/bench/baseline/")).status_code == 405
