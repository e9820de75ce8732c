"""The OParl 1.1 interface: every object validates against the official schemas
(copied to tests/oparl/schema/), every URL in the objects of a seeded body
resolves to what it names, and only the public part is exposed."""

import datetime
import hashlib
import json
from collections import deque
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.urls import resolve, reverse
from django.utils import timezone
from jsonschema import Draft7Validator
from referencing import Registry, Resource

from roundtable.committees.models import Decision, PaperVersion, Report
from roundtable.committees.selectors import paper_snapshot
from roundtable.committees.services import decision_record
from roundtable.oparl.models import PersonConsent, ReportChecksum
from tests.committees.factories import PaperFactory, paper_with_concepts
from tests.factories import AgendaItemFactory, CommitteeFactory, MeetingFactory, UserFactory

pytestmark = pytest.mark.django_db

SCHEMA_DIR = Path(__file__).parent / "schema"
BASE = "http://testserver/oparl/v1/"
PDF = b"%PDF-1.7\n% Beschlussvorlage TO-Pkt. 5\n" + "Seite 1 von 1 – Größe".encode() * 50


def _registry_and_schemas():
    schemas = {p.stem: json.loads(p.read_text()) for p in SCHEMA_DIR.glob("*.json")}
    resources = []
    for name, schema in schemas.items():
        resource = Resource.from_contents(schema)
        resources.append((schema["$id"], resource))
        resources.append((f"https://schema.oparl.org/1.1/{name}.json", resource))
    return Registry().with_resources(resources), schemas


REGISTRY, SCHEMAS = _registry_and_schemas()


def validate(obj: dict) -> str:
    """Validates one OParl object against the schema its ``type`` names; returns the type."""
    kind = obj["type"].rsplit("/", 1)[-1]
    assert obj["type"] == f"https://schema.oparl.org/1.1/{kind}"
    validator = Draft7Validator(SCHEMAS[kind], registry=REGISTRY)
    errors = sorted(validator.iter_errors(obj), key=lambda e: list(e.path))
    assert not errors, f"{obj['id']}: " + "; ".join(f"{list(e.path)}: {e.message}" for e in errors)
    return kind


def _store_report(paper, version: int, content: bytes = PDF) -> Report:
    """The final PDF of the paper's submitted version ``version`` (only finals are
    published; a draft's previews are not)."""
    submitted = PaperVersion.objects.create(
        paper=paper,
        number=version,
        kind=PaperVersion.Kind.ORIGINAL if version == 1 else PaperVersion.Kind.AMENDMENT,
        content=paper_snapshot(paper_id=paper.pk),
    )
    report = Report.objects.create(
        paper=paper,
        paper_version=submitted,
        version=version,
        status=Report.Status.DONE,
        progress=100,
        size=len(content),
        sha256=hashlib.sha256(content).hexdigest(),
        page_count=1,
        started_at=timezone.now(),
        finished_at=timezone.now(),
    )
    report.file.save("report.pdf", ContentFile(content), save=True)
    return report


@pytest.fixture
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "files"
    return settings.MEDIA_ROOT


@pytest.fixture
def seeded(media_root, moderator):
    """A body with a committee, a second committee, a public paper (two reports, a
    decision), a non-public paper with a report, and departments."""
    paper = paper_with_concepts(concepts=1, ideas_per_concept=1)
    _store_report(paper, 1, PDF + b"v1")
    latest = _store_report(paper, 2)
    Report.objects.create(paper=paper, version=3, status=Report.Status.QUEUED)
    decision_record(
        agenda_item=paper.agenda_item,
        text="Der Ausschuss stimmt zu.",
        result=Decision.Result.APPROVED,
        by=moderator,
        check=False,
    )
    committee = paper.agenda_item.meeting.committee
    hidden_item = AgendaItemFactory(meeting=paper.agenda_item.meeting, is_public=False, number="9")
    hidden = PaperFactory(agenda_item=hidden_item, department=paper.department)
    hidden_report = _store_report(hidden, 1, PDF + b"geheim")
    CommitteeFactory(name="Kreistag", body=committee.body)
    MeetingFactory(committee=committee)
    return {
        "body": committee.body,
        "paper": paper,
        "latest": latest,
        "hidden": hidden,
        "hidden_report": hidden_report,
    }


def crawl(client, start: str = BASE) -> dict[str, dict]:
    """Follows every interface URL found in the objects (and list links) from ``start``.

    Returns the objects by id. Asserts that each URL answers, that an object's id is the
    URL it was fetched from, and that files are served with the checksum they announce.
    """
    seen: set[str] = set()
    objects: dict[str, dict] = {}
    announced_files: dict[str, dict] = {}
    queue = deque([start])

    def collect(value, parent_key=None):
        if isinstance(value, dict):
            for key, item in value.items():
                collect(item, key)
        elif isinstance(value, list):
            for item in value:
                collect(item, parent_key)
        elif isinstance(value, str) and value.startswith(BASE) and value not in seen:
            queue.append(value)

    while queue:
        url = queue.popleft()
        if url in seen:
            continue
        seen.add(url)
        response = client.get(url)
        assert response.status_code == 200, f"{url}: {response.status_code}"
        if url.endswith("/access/") or url.endswith("/download/"):
            content = b"".join(response.streaming_content)
            assert response["Content-Type"] == "application/pdf"
            assert ("attachment" in response["Content-Disposition"]) is url.endswith("/download/")
            file_id = url.rsplit("/", 2)[0] + "/"
            announced_files.setdefault(file_id, {})["content"] = content
            continue
        data = response.json()
        if "data" in data:
            assert set(data) == {"data", "pagination", "links"}
            assert data["links"]["self"].startswith(url.split("?")[0])
            for item in data["data"]:
                validate(item)
                objects[item["id"]] = item
                collect(item)
            collect(data["links"])
        else:
            validate(data)
            assert data["id"] == url, f"{url} answers with id {data['id']}"
            objects[data["id"]] = data
            collect(data)
        for obj in [data, *data.get("data", [])]:
            for nested in _all_objects(obj):
                validate(nested)
                if nested["type"].endswith("/File"):
                    announced_files.setdefault(nested["id"], {})["object"] = nested
    for file_id, found in announced_files.items():
        assert set(found) == {"object", "content"}, file_id  # announced and served
        assert hashlib.sha512(found["content"]).hexdigest() == found["object"]["sha512Checksum"]
        assert len(found["content"]) == found["object"]["size"]
    return objects


def _all_objects(value):
    """Every embedded OParl object (dicts with a type) inside ``value``, itself included."""
    if isinstance(value, dict):
        if "type" in value and "id" in value:
            yield value
        for item in value.values():
            yield from _all_objects(item)
    elif isinstance(value, list):
        for item in value:
            yield from _all_objects(item)


# --- access -------------------------------------------------------------------------


def test_login_required_by_default(client, seeded, settings):
    assert settings.OPARL_PUBLIC is False
    response = client.get(BASE)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_account_without_role_gets_403(client, seeded):
    client.force_login(UserFactory(username="ohne-rolle", role=""))
    assert client.get(BASE).status_code == 403


def test_open_when_public(client, seeded, settings):
    settings.OPARL_PUBLIC = True
    response = client.get(BASE)
    assert response.status_code == 200
    assert response["Access-Control-Allow-Origin"] == "*"
    assert client.post(BASE).status_code == 405  # read-only


def test_every_public_answer_may_be_read_across_origins(client, seeded, settings):
    """OParl 1.1, 2.6: errors too carry Access-Control-Allow-Origin."""
    settings.OPARL_PUBLIC = True
    answers = {
        "object": client.get(BASE),
        "list": client.get(f"{BASE}bodies/"),
        "not found": client.get(reverse("oparl:paper", args=[999999])),
        "page beyond the end": client.get(f"{BASE}bodies/", {"page": 99}),
        "bad parameter": client.get(f"{BASE}bodies/", {"limit": "viele"}),
        "not allowed": client.post(BASE),
    }
    statuses = {name: answer.status_code for name, answer in answers.items()}
    assert statuses == {
        "object": 200,
        "list": 200,
        "not found": 404,
        "page beyond the end": 404,
        "bad parameter": 400,
        "not allowed": 405,
    }
    for name, answer in answers.items():
        assert answer["Access-Control-Allow-Origin"] == "*", name
    assert answers["not found"].json() == {"error": "Nicht gefunden."}
    # not public: no header
    settings.OPARL_PUBLIC = False
    client.force_login(UserFactory(username="leser"))
    assert "Access-Control-Allow-Origin" not in client.get(BASE)


# --- schemas and links ------------------------------------------------------------


@pytest.mark.parametrize("public", [False, True])
def test_every_object_validates_and_every_link_resolves(
    client, seeded, settings, committee_member, staff_user, public
):
    settings.OPARL_PUBLIC = public
    if not public:
        client.force_login(committee_member)  # files: those who may download reports
    objects = crawl(client)
    files = [o for o in objects.values() if o["type"].endswith("/File")]
    assert len(files) == 2
    kinds = {obj["type"].rsplit("/", 1)[-1] for obj in objects.values()}
    assert {
        "System",
        "Body",
        "Organization",
        "Meeting",
        "AgendaItem",
        "Paper",
        "Consultation",
        "File",
    } <= kinds
    assert "Person" not in kinds  # nobody agreed
    paper_url = f"{BASE}paper/{seeded['paper'].pk}/"
    paper = objects[paper_url]
    assert paper["paperType"] == "Beschlussvorlage"
    assert paper["mainFile"]["id"] == f"{BASE}file/{seeded['latest'].pk}/"
    assert len(paper["auxiliaryFile"]) == 1  # version 1; the queued version 3 is not a file
    assert paper["consultation"][0]["agendaItem"] in objects
    # the portal pages named in "web" exist too
    client.force_login(staff_user)
    for obj in objects.values():
        if "web" in obj:
            path = obj["web"].removeprefix("http://testserver")
            resolve(path)
            assert client.get(path).status_code == 200


def test_each_type_is_validated(client, seeded, staff_user):
    """One object of each type by its own URL, validated against its schema."""
    client.force_login(staff_user)
    paper = seeded["paper"]
    item = paper.agenda_item
    urls = {
        "System": reverse("oparl:system"),
        "Body": reverse("oparl:body", args=[seeded["body"].pk]),
        "Organization": reverse("oparl:committee_organization", args=[item.meeting.committee_id]),
        "Meeting": reverse("oparl:meeting", args=[item.meeting_id]),
        "AgendaItem": reverse("oparl:agenda_item", args=[item.pk]),
        "Paper": reverse("oparl:paper", args=[paper.pk]),
        "Consultation": reverse("oparl:consultation", args=[paper.pk]),
        "File": reverse("oparl:file", args=[seeded["latest"].pk]),
    }
    for kind, url in urls.items():
        assert validate(client.get(url).json()) == kind
    department = client.get(reverse("oparl:department_organization", args=[paper.department_id]))
    assert validate(department.json()) == "Organization"
    assert department.json()["organizationType"] == "Verwaltung"


def test_schema_catches_a_broken_object():
    """The validation is real: a Paper with a wrong field type fails."""
    with pytest.raises(AssertionError):
        validate({"id": f"{BASE}paper/1/", "type": "https://schema.oparl.org/1.1/Paper", "date": 5})
    with pytest.raises(AssertionError):
        validate({"id": f"{BASE}x/", "type": "https://schema.oparl.org/1.1/Body"})


# --- what is exposed ----------------------------------------------------------------


def test_only_public_papers(client, seeded, staff_user):
    client.force_login(staff_user)
    body = seeded["body"].pk
    papers = client.get(reverse("oparl:body_papers", args=[body])).json()
    assert [p["id"] for p in papers["data"]] == [f"{BASE}paper/{seeded['paper'].pk}/"]
    hidden = seeded["hidden"]
    assert client.get(reverse("oparl:paper", args=[hidden.pk])).status_code == 404
    assert client.get(reverse("oparl:agenda_item", args=[hidden.agenda_item_id])).status_code == 404
    report = seeded["hidden_report"].pk
    for name in ("file", "file_access", "file_download"):
        assert client.get(reverse(f"oparl:{name}", args=[report])).status_code == 404
    files = client.get(reverse("oparl:body_files", args=[body])).json()
    assert len(files["data"]) == 2
    items = client.get(reverse("oparl:body_agenda_items", args=[body])).json()
    assert all(i["public"] for i in items["data"])


def test_checksum_is_sha512_of_the_file_and_kept(client, seeded, staff_user):
    client.force_login(staff_user)
    latest = seeded["latest"]
    data = client.get(reverse("oparl:file", args=[latest.pk])).json()
    assert data["sha512Checksum"] == hashlib.sha512(PDF).hexdigest()
    assert data["size"] == len(PDF) and data["mimeType"] == "application/pdf"
    assert ReportChecksum.objects.get(report=latest).sha512 == data["sha512Checksum"]


def test_person_only_after_consent(client, seeded, staff_user, committee_member):
    client.force_login(staff_user)
    people_url = reverse("oparl:body_people", args=[seeded["body"].pk])
    assert client.get(people_url).json()["data"] == []
    assert client.get(reverse("oparl:person", args=[committee_member.pk])).status_code == 404
    PersonConsent.objects.create(user=committee_member, agreed_at=timezone.now())
    people = client.get(people_url).json()["data"]
    assert len(people) == 1 and validate(people[0]) == "Person"
    assert people[0]["familyName"] == committee_member.last_name
    assert client.get(reverse("oparl:person", args=[committee_member.pk])).status_code == 200


def test_modified_filters(client, seeded, staff_user):
    client.force_login(staff_user)
    url = reverse("oparl:body_organizations", args=[seeded["body"].pk])
    total = client.get(url).json()["pagination"]["totalElements"]
    assert total >= 3
    old = timezone.now() - datetime.timedelta(days=30)
    from participants.models import Department

    Department.objects.filter(pk=seeded["paper"].department_id).update(modified=old)
    since = (old + datetime.timedelta(days=1)).isoformat()
    newer = client.get(url, {"modified_since": since}).json()
    assert newer["pagination"]["totalElements"] == total - 1
    older = client.get(url, {"modified_until": since}).json()
    assert [o["organizationType"] for o in older["data"]] == ["Verwaltung"]
    papers = reverse("oparl:body_papers", args=[seeded["body"].pk])
    future = (timezone.localdate() + datetime.timedelta(days=1)).isoformat()
    assert client.get(papers, {"modified_since": future}).json()["data"] == []
    assert client.get(papers, {"modified_until": future}).json()["pagination"]["totalElements"] == 1
    assert client.get(papers, {"modified_since": "gestern"}).status_code == 400


def test_pagination_links(client, seeded, staff_user):
    client.force_login(staff_user)
    url = reverse("oparl:body_organizations", args=[seeded["body"].pk])
    first = client.get(url, {"limit": 2}).json()
    total = first["pagination"]["totalElements"]
    assert first["pagination"]["totalPages"] == -(-total // 2)
    assert "prev" not in first["links"] and "next" in first["links"]
    ids = [o["id"] for o in first["data"]]
    page = first
    while "next" in page["links"]:
        page = client.get(page["links"]["next"]).json()
        ids += [o["id"] for o in page["data"]]
    assert len(ids) == len(set(ids)) == total
    assert client.get(url, {"page": 99}).status_code == 404


def test_list_query_count_does_not_grow_with_papers(
    client, seeded, staff_user, django_assert_max_num_queries
):
    client.force_login(staff_user)
    url = reverse("oparl:body_papers", args=[seeded["body"].pk])
    client.get(url)  # checksums computed and stored once
    for _ in range(5):
        paper = paper_with_concepts(concepts=0)
        paper.agenda_item.meeting.committee = seeded["paper"].agenda_item.meeting.committee
        paper.agenda_item.meeting.save()
        _store_report(paper, 1)
    client.get(url)
    with django_assert_max_num_queries(12):
        data = client.get(url).json()
    assert data["pagination"]["totalElements"] == 6


def test_middleware_exemption_follows_the_setting(settings):
    """The views are exempt from LoginRequiredMiddleware only while OPARL_PUBLIC is true."""
    view = resolve(reverse("oparl:system")).func
    settings.OPARL_PUBLIC = False
    assert view.login_required is True
    settings.OPARL_PUBLIC = True
    assert view.login_required is False


def test_file_downloads_follow_the_portals_rule_and_are_recorded(
    client, seeded, settings, staff_user, committee_member
):
    """Finding 9: staff downloaded reports through OParl where the portal's own download
    view answers 404, and OParl downloads were not recorded."""
    from roundtable.committees.models import ReportDownload

    report = seeded["latest"]
    client.force_login(staff_user)
    assert client.get(reverse("committees:report_download", args=[report.pk])).status_code == 404
    for name in ("file_access", "file_download"):
        assert client.get(reverse(f"oparl:{name}", args=[report.pk])).status_code == 404
    assert not ReportDownload.objects.exists()
    client.force_login(committee_member)
    for name in ("file_access", "file_download"):
        response = client.get(reverse(f"oparl:{name}", args=[report.pk]))
        assert response.status_code == 200
        b"".join(response.streaming_content)
    downloads = ReportDownload.objects.filter(report=report, user=committee_member)
    assert [d.channel for d in downloads] == ["oparl", "oparl"]
    # the public interface: published documents for anyone, recorded without a person
    settings.OPARL_PUBLIC = True
    client.logout()
    response = client.get(reverse("oparl:file_download", args=[report.pk]))
    assert response.status_code == 200
    assert ReportDownload.objects.filter(report=report, user=None, channel="oparl").count() == 1
