"""Whatever is typed into the forms, the answer is a page or a validation message,
never a server error (hypothesis)."""

import os

import pytest
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ideas.forms import IdeaForm, StatusChangeForm
from tests.factories import IdeaFactory

pytestmark = pytest.mark.django_db

# any text, umlauts, control characters, HTML and NUL bytes included
text = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=300)
maybe_id = st.one_of(st.just(""), st.integers(-5, 10**6).map(str), text)
HYPO = settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


def _post_data(topic, *, title, description, topic_id, submitted_for, groups, places):
    return {
        "title": title,
        "description": description,
        "topic": str(topic.pk) if topic_id == "VALID" else topic_id,
        "submitted_for": submitted_for,
        "target_groups": groups,
        "municipalities": places,
    }


idea_fields = {
    "title": text,
    "description": text,
    "topic_id": st.one_of(st.just("VALID"), maybe_id),
    "submitted_for": st.one_of(maybe_id, st.from_regex(r"[do][0-9]{1,3}", fullmatch=True)),
    "groups": st.lists(maybe_id, max_size=3),
    "places": st.lists(maybe_id, max_size=3),
}


@HYPO
@given(**idea_fields)
def test_submit_form_never_500(client, staff_user, topic, open_phase, **fields):
    client.force_login(staff_user)
    response = client.post(reverse("ideas:create"), _post_data(topic, **fields))
    assert response.status_code in (200, 302)
    if response.status_code == 200:
        assert (
            "invalid-feedback" in response.content.decode() or "alert" in response.content.decode()
        )


@HYPO
@given(**idea_fields)
def test_edit_form_never_500(client, staff_user, topic, open_phase, **fields):
    idea = IdeaFactory(author=staff_user, topic=topic)
    client.force_login(staff_user)
    response = client.post(reverse("ideas:edit", args=[idea.pk]), _post_data(topic, **fields))
    assert response.status_code in (200, 302)


@HYPO
@given(text=text, parent=maybe_id)
def test_comment_form_never_500(client, staff_user, open_phase, text, parent):
    idea = IdeaFactory()
    client.force_login(staff_user)
    response = client.post(
        reverse("ideas:comment_create", args=[idea.pk]), {"text": text, "parent": parent}
    )
    assert response.status_code in (200, 302)


@HYPO
@given(
    to_status=text, template=text, feedback=text, remark=text, ids=st.lists(maybe_id, max_size=3)
)
def test_moderation_forms_never_500(client, moderator, to_status, template, feedback, remark, ids):
    idea = IdeaFactory()
    client.force_login(moderator)
    data = {
        "to_status": to_status,
        "feedback_template": template,
        "public_feedback": feedback,
        "private_remark": remark,
    }
    response = client.post(reverse("ideas:status", args=[idea.pk]), data)
    assert response.status_code in (200, 302)
    response = client.post(reverse("ideas:moderation"), {**data, "ideas": ids})
    assert response.status_code in (200, 302)


@HYPO
@given(
    params=st.dictionaries(
        st.sampled_from(
            [
                "q",
                "topic",
                "department",
                "organisation",
                "status",
                "municipality",
                "target_group",
                "phase",
                "sort",
                "page",
            ]
        ),
        text,
    )
)
def test_list_and_export_filters_never_500(client, staff_user, params):
    client.force_login(staff_user)
    assert client.get(reverse("ideas:list"), params).status_code == 200
    assert client.get(reverse("ideas:list"), params, HTTP_HX_REQUEST="true").status_code == 200
    response = client.get(reverse("ideas:export_csv"), params)
    assert response.status_code == 200
    b"".join(response.streaming_content)


def test_feedback_template_fills_empty_feedback():
    form = StatusChangeForm({"to_status": "accepted", "feedback_template": "accepted"})
    assert form.is_valid()
    assert "Workshop" in form.cleaned_data["public_feedback"]
    form = StatusChangeForm(
        {
            "to_status": "accepted",
            "feedback_template": "accepted",
            "public_feedback": "Eigener Text",
        }
    )
    assert form.is_valid() and form.cleaned_data["public_feedback"] == "Eigener Text"


def test_idea_form_rejects_unknown_submitted_for(topic):
    form = IdeaForm(
        {"title": "Titel", "description": "Text", "topic": topic.pk, "submitted_for": "d999"}
    )
    assert not form.is_valid() and "submitted_for" in form.errors


@HYPO
@given(content=st.binary(max_size=2048), name=text)
def test_attachment_upload_never_500(
    client, staff_user, open_phase, settings, tmp_path, content, name
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.MEDIA_ROOT = tmp_path
    idea = IdeaFactory(author=staff_user)
    client.force_login(staff_user)
    name = (name or "x")[:100].replace("\x00", "")
    if os.path.basename(name) in ("", ".", ".."):  # no file name a browser could send
        name = "x"
    upload = SimpleUploadedFile(name, content)
    response = client.post(reverse("ideas:attachment_upload", args=[idea.pk]), {"file": upload})
    assert response.status_code in (200, 302)
