"""Hypothesis drives every form and every query parameter of the portal with arbitrary
text, huge values and control characters: the answer is never a 500, and text that is
stored comes back byte for byte (page, JSON export, CSV/XLSX export)."""

import csv
import io
import json
import re
from html import unescape

import pytest
from django.urls import reverse
from django.utils.html import escape
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ideas.models import Comment, Idea
from ideas.selectors import EXPORT_FIELDS
from roundtable.operations.text import clean_text
from tests.factories import IdeaFactory, TargetGroupFactory, TopicFactory
from tests.ideas.conftest import open_phase as open_phase  # fixture

from .url_world import PARAMETERS, build_world, iter_routes

pytestmark = pytest.mark.django_db

FUZZ = settings(
    max_examples=8,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

#: values a person or an attacker might send
nasty = st.one_of(
    st.text(max_size=80),
    st.text(
        alphabet=st.characters(codec="utf-8", categories=["Cc", "Cf", "Zl", "Zp"]), max_size=50
    ),
    st.sampled_from(
        [
            "",
            "-1",
            "0",
            "9" * 40,
            "1e309",
            "NaN",
            "x" * 100_000,
            "' OR 1=1 --",
            "<script>alert(1)</script>",
            "../../etc/passwd",
            "%00",
            "\x00",
            "2004-13-45",
            "🙂" * 1000,
        ]
    ),
)

#: routes that end the session or erase accounts: fuzzed elsewhere, not here
DESTRUCTIVE = {
    ":logout",
    ":set_language",
    ":password_change",
    "privacy:my_account_erase",
    "privacy:user_erase",
}
PAGING = ["page", "seite", "sort", "order", "o", "q"]

FORM = re.compile(r"<form\b([^>]*)>(.*?)</form>", re.S | re.I)
FIELD = re.compile(r"<(input|textarea|select)\b([^>]*)>", re.I)
ATTR = re.compile(r'(\w[\w-]*)="([^"]*)"')


def _forms(html: str):
    """(method, action, field names) of every form on a page."""
    for form_attrs, body in FORM.findall(html):
        attrs = dict(ATTR.findall(form_attrs))
        names = []
        for _, field_attrs in FIELD.findall(body):
            field = dict(ATTR.findall(field_attrs))
            if (
                field.get("name")
                and field.get("type") not in ("file", "submit")
                and field["name"] != "csrfmiddlewaretoken"
            ):
                names.append(field["name"])
        yield attrs.get("method", "get").lower(), unescape(attrs.get("action", "")), names


def _targets(client, world):
    """Every page the administrator can open, and the forms on it."""
    targets = []
    client.force_login(world["users"]["admin"])
    for name, route in sorted(iter_routes()):
        if name in DESTRUCTIVE or route.startswith("healthz"):
            continue
        kwargs = PARAMETERS[name](world) if "<" in route else {}
        url = reverse(name.lstrip(":"), kwargs=kwargs)
        response = client.get(url)
        if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
            targets.append((name, url, "get", url, PAGING))
            continue
        html = response.content.decode()
        targets.append((name, url, "get", url, PAGING))
        for method, action, names in _forms(html):
            target = action or url
            if target.startswith(("/accounts/logout", "/i18n/", "/meine-daten/loeschen")):
                continue
            if names:
                targets.append((name, url, method, target, sorted(set(names))))
    return targets


def test_no_form_or_query_parameter_gives_a_500(client):
    """Every form and every page's query string, each with its own Hypothesis run."""
    world = build_world()
    targets = _targets(client, world)
    client.raise_request_exception = False  # a crash is a 500 answer, named below
    assert len(targets) > 50

    for name, _page, method, target, names in targets:
        fields = {key: nasty for key in names}

        @settings(FUZZ, max_examples=4)
        @given(
            role=st.sampled_from(["staff", "moderator", "committee", "admin"]),
            values=st.fixed_dictionaries(fields),
        )
        def check(role, values):  # called at once: the loop variables are current
            client.force_login(world["users"][role])
            send = client.post if method == "post" else client.get  # noqa: B023
            response = send(target, values)  # noqa: B023
            assert response.status_code < 500, (
                f"{name}: {method.upper()} {target} as {role} answered "  # noqa: B023
                f"{response.status_code} with {values!r}"[:2000]
            )

        check()


# --- stored text comes back byte for byte ----------------------------------------------

#: what a form may keep: anything but NUL (refused) and surrogates (not UTF-8)
stored_text = st.text(
    alphabet=st.characters(codec="utf-8", exclude_characters="\x00"), min_size=3, max_size=200
).filter(lambda s: len(s.strip()) >= 3)


#: what a spreadsheet program takes for the start of a formula (or strips before one)
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _defused(text: str) -> str:
    """A cell's text as the export writes it: a leading formula character behind a quote."""
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def _csv_export(client) -> list[list[str]]:
    """The whole streamed CSV export, parsed as a spreadsheet program would read it."""
    response = client.get("/ideen/export.csv")
    assert response.status_code == 200
    assert response.streaming
    body = b"".join(response.streaming_content).decode("utf-8")
    assert body.startswith("\ufeff")  # so that spreadsheet programs read UTF-8
    rows = list(csv.reader(io.StringIO(body.removeprefix("\ufeff"), newline=""), delimiter=";"))
    assert rows[0] == [label for _name, label in EXPORT_FIELDS]
    assert len(rows) == 1 + Idea.objects.count()  # one row per idea, none split by its text
    assert all(len(row) == len(EXPORT_FIELDS) for row in rows)
    formulas = [cell for row in rows[1:] for cell in row if cell.startswith(FORMULA_STARTS)]
    assert formulas == []
    return rows


def _csv_row_of(rows: list[list[str]], idea: Idea) -> dict[str, str]:
    (row,) = [row for row in rows[1:] if row[0] == str(idea.pk)]
    return dict(zip([name for name, _label in EXPORT_FIELDS], row, strict=True))


@FUZZ
@given(title=stored_text, description=stored_text, comment=stored_text)
def test_idea_and_comment_text_come_back_byte_for_byte(
    client,
    staff_user,
    moderator,
    open_phase,
    title,
    description,
    comment,
):
    topic = getattr(client, "_topic", None) or TopicFactory()
    client._topic = topic
    client.force_login(staff_user)
    response = client.post(
        "/ideen/neu/", {"title": title, "description": description, "topic": topic.pk}
    )
    assert response.status_code in (200, 302)
    if response.status_code == 200:
        # refused with a message (e.g. a title of spaces): nothing stored
        assert (
            "invalid-feedback" in response.content.decode() or "alert" in response.content.decode()
        )
        return
    idea = Idea.objects.order_by("-pk").first()
    # control characters go (tab and newline stay in a text area), Django strips
    # surrounding whitespace; the rest is kept as sent
    assert idea.title == clean_text(title, multiline=False).strip()
    assert idea.description == clean_text(description).strip()
    response = client.post(f"/ideen/{idea.pk}/kommentare/", {"text": comment})
    assert response.status_code < 500
    stored_comment = Comment.objects.filter(idea=idea).order_by("-pk").first()
    if stored_comment is not None:
        assert stored_comment.text == clean_text(comment).strip()

    exported = json.loads(client.get("/meine-daten/export.json").content)
    mine = next(i for i in exported["ideas"] if i["id"] == idea.pk)
    assert (mine["title"], mine["description"]) == (idea.title, idea.description)

    client.force_login(moderator)
    page = client.get(f"/ideen/{idea.pk}/")
    assert page.status_code == 200
    assert escape(idea.title) in page.content.decode()
    exported = _csv_row_of(_csv_export(client), idea)
    assert exported["title"] == _defused(idea.title)
    assert exported["description"] == _defused(idea.description)


def test_xlsx_export_survives_control_characters(client, moderator):
    idea = IdeaFactory(title="Sprachkurs\x0bfür\x1bEltern", description="Zeile\x07eins")
    client.force_login(moderator)
    exported = _csv_row_of(_csv_export(client), idea)
    # the control characters stored before input was cleaned do not reach the file
    assert (exported["title"], exported["description"]) == ("SprachkursfürEltern", "Zeileeins")
    assert client.get("/ideen/export.xlsx").status_code == 200


@FUZZ
@given(message=stored_text, page=st.text(max_size=500), email=st.text(max_size=80))
def test_accessibility_feedback_keeps_the_text(client, message, page, email):
    from roundtable.privacy.models import AccessibilityFeedback

    before = AccessibilityFeedback.objects.count()
    response = client.post("/barrierefreiheit/", {"message": message, "page": page, "email": email})
    assert response.status_code in (200, 302)
    if response.status_code == 302:
        stored = AccessibilityFeedback.objects.order_by("-pk").first()
        assert stored.message == clean_text(message).strip()
        assert stored.page == clean_text(page, multiline=False).strip()
    else:
        assert AccessibilityFeedback.objects.count() == before


def test_measure_filters_survive_a_nul_character(client, moderator):
    client.raise_request_exception = False
    client.force_login(moderator)
    response = client.get("/umsetzung/", {"ort": "a\x00b"})
    assert response.status_code < 500


def test_huge_ids_in_multiple_choice_fields_are_a_form_error(client, staff_user, open_phase):
    client.raise_request_exception = False
    client.force_login(staff_user)
    topic = TopicFactory()
    TargetGroupFactory()  # the form shows a choice field's error below its choices
    response = client.post(
        "/ideen/neu/",
        {"title": "abc", "description": "d", "topic": topic.pk, "target_groups": "9" * 19},
    )
    assert response.status_code == 200
    assert "ist keine gültige Auswahl" in response.content.decode()
