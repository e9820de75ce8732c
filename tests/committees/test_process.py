"""The committee's work in the portal: meetings and agendas, a paper submitted as a
frozen version with its final PDF, corrections as new versions, the decision."""

import datetime
import hashlib

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from roundtable.committees import services
from roundtable.committees.models import (
    AgendaItem,
    Committee,
    CommitteeMembership,
    Decision,
    Meeting,
    PaperVersion,
    Report,
)
from tests.committees.factories import paper_with_concepts
from tests.factories import BodyFactory, CommitteeFactory, IdeaFactory, MeetingFactory
from workshops.models import Concept, ConceptIdea

pytestmark = pytest.mark.django_db


# --- meetings and agendas ------------------------------------------------------------


def test_moderator_plans_a_meeting_and_its_agenda(client, moderator):
    committee = CommitteeFactory(name="Ausschuss für soziale Angelegenheiten")
    client.force_login(moderator)
    response = client.post(
        reverse("committees:meeting_create"),
        {
            "committee": committee.pk,
            "date": "2005-03-15",
            "time": "17:00",
            "end_time": "19:30",
            "place": "Kreishaus Siegburg, Sitzungssaal",
            "is_public": "on",
        },
    )
    meeting = Meeting.objects.get()
    assert response["Location"] == reverse("committees:meeting_detail", args=[meeting.pk])
    assert timezone.localtime(meeting.starts_at).strftime("%d.%m.%Y %H:%M") == "15.03.2005 17:00"
    assert timezone.localtime(meeting.ends_at).strftime("%H:%M") == "19:30"
    assert meeting.is_public

    url = reverse("committees:agenda_item_create", args=[meeting.pk])
    response = client.post(
        url,
        {
            "number": "5",
            "title": "Runder Tisch zur Integration von Ausländern und Aussiedlern",
            "subtitle": "hier: Weiteres Vorgehen",
            "is_public": "on",
        },
    )
    item = AgendaItem.objects.get()
    assert item.subtitle == "Weiteres Vorgehen"
    page = client.get(reverse("committees:meeting_detail", args=[meeting.pk])).content.decode()
    assert "hier: Weiteres Vorgehen" in page and "hier: hier:" not in page
    # the same number twice in one meeting is refused, the typed text kept
    again = client.post(url, {"number": "5", "title": "Ein zweiter Punkt"})
    assert again.status_code == 200
    assert "Diese Sitzung hat schon einen TO-Pkt. 5." in again.content.decode()
    assert "Ein zweiter Punkt" in again.content.decode()


def test_a_non_public_meeting_has_only_non_public_items(moderator):
    meeting = services.meeting_create(
        committee=CommitteeFactory(),
        starts_at=timezone.now(),
        is_public=False,
        by=moderator,
    )
    item = services.agenda_item_create(
        meeting=meeting, number="1", title="Personalien", is_public=True, by=moderator
    )
    assert not item.is_public


def test_the_date_of_a_meeting_with_decisions_stays(moderator):
    paper = paper_with_concepts(concepts=1, ideas_per_concept=0, submitted=True)
    services.decision_record(
        agenda_item=paper.agenda_item, text="Zugestimmt.", result="approved", by=moderator
    )
    meeting = paper.agenda_item.meeting
    with pytest.raises(ValidationError, match="Datum der Beschlüsse"):
        services.meeting_update(
            meeting=meeting, starts_at=meeting.starts_at + datetime.timedelta(days=7), by=moderator
        )


def test_administration_manages_committees_and_their_members(client, administrator, role_users):
    client.force_login(administrator)
    response = client.post(
        reverse("committees:committee_create"),
        {
            "name": "Kreistag",
            "kind": Committee.Kind.COUNCIL,
            "name_genitive": "des Kreistages",
            "name_dative": "dem Kreistag",
            "body": BodyFactory().pk,
        },
    )
    committee = Committee.objects.get(name="Kreistag")
    assert response["Location"] == reverse("committees:committee_detail", args=[committee.pk])
    members = reverse("committees:committee_members", args=[committee.pk])
    client.post(members, {"user": role_users["committee"].pk, "role": "chair"})
    membership = CommitteeMembership.objects.get()
    assert (membership.user, membership.role) == (role_users["committee"], "chair")
    page = client.get(reverse("committees:committee_detail", args=[committee.pk]))
    assert "Vorsitz" in page.content.decode()
    client.post(reverse("committees:membership_remove", args=[membership.pk]))
    assert not CommitteeMembership.objects.exists()
    client.force_login(role_users["moderator"])
    assert client.get(members).status_code == 403


# --- submitting, correcting, deciding ------------------------------------------------


def test_submitting_freezes_the_paper_and_queues_its_final_pdf_once(
    moderator, django_capture_on_commit_callbacks
):
    paper = paper_with_concepts(concepts=2, ideas_per_concept=2)
    for concept in Concept.objects.all():
        concept.status = Concept.Status.COORDINATED
        concept.save()
    with django_capture_on_commit_callbacks() as callbacks:
        version = services.paper_submit(paper=paper, by=moderator)
    assert (version.number, version.kind, version.created_by) == (1, "original", moderator)
    assert set(Concept.objects.values_list("status", flat=True)) == {Concept.Status.SUBMITTED}
    content = version.content
    assert [c["title"] for c in content["concepts"]] == [
        link.concept.title for link in paper.concept_links.all()
    ]
    assert len(content["ideas"]) == 4
    assert content["concepts"][0]["status_label"].endswith(" vorgelegt")
    report = Report.objects.get(paper_version=version)
    assert (report.status, report.variant) == (Report.Status.QUEUED, "pdf/a-3a")
    assert len(callbacks) == 1  # the render, after the commit
    # submitted is submitted: edits and preview requests are refused
    with pytest.raises(ValidationError, match="Ergänzung oder Änderung"):
        services.paper_update(paper=paper, resolution_proposal="Anders.", by=moderator)
    with pytest.raises(ValidationError, match="eingereicht"):
        services.report_request(paper=paper, by=moderator)
    with pytest.raises(ValidationError):
        services.paper_submit(paper=paper, by=moderator)


def test_a_concept_not_agreed_cannot_be_submitted(moderator):
    paper = paper_with_concepts(concepts=1, ideas_per_concept=0)
    Concept.objects.update(status=Concept.Status.IN_COORDINATION)
    with pytest.raises(ValidationError, match="Nicht abgestimmt"):
        services.paper_submit(paper=paper, by=moderator)
    assert not paper.versions.exists()


def test_the_final_pdf_is_rendered_from_the_snapshot(moderator, media_root):
    """What changes after the submission does not reach the submitted PDF."""
    paper_with_concepts(concepts=1, ideas_per_concept=1, submitted=True)
    idea = ConceptIdea.objects.get().idea
    submitted_title = idea.title
    idea.title = "Nachträglich geändert"
    idea.save()
    ConceptIdea.objects.create(
        concept=Concept.objects.get(), idea=IdeaFactory(title="Nachträglich hinzugefügt")
    )
    report = services.report_generate(report_id=Report.objects.get().pk)
    from tests.committees.test_pdf import flat, pdf_text

    with report.file.open("rb") as handle:
        text = flat(pdf_text(handle.read()))
    assert flat(submitted_title) in text
    assert flat("Nachträglich") not in text
    assert flat("Fassung 1 (Vorlage)") in text


def test_a_correction_is_a_new_numbered_version_with_what_changed(client, moderator):
    paper = paper_with_concepts(concepts=2, ideas_per_concept=1, submitted=True)
    dropped = paper.concept_links.order_by("position").last().concept
    kept = paper.concept_links.order_by("position").first().concept
    with pytest.raises(ValidationError, match="ändert nichts"):
        services.paper_correct(
            paper=paper,
            kind=PaperVersion.Kind.AMENDMENT,
            note="Nichts.",
            department=paper.department,
            date=paper.date,
            resolution_proposal=paper.resolution_proposal,
            concepts=[kept, dropped],
            by=moderator,
        )
    version = services.paper_correct(
        paper=paper,
        kind=PaperVersion.Kind.AMENDMENT,
        note="Das zweite Konzept wird in einer späteren Sitzung beraten.",
        department=paper.department,
        date=paper.date,
        resolution_proposal="Der Ausschuss stimmt dem ersten Konzept zu.",
        concepts=[kept],
        by=moderator,
    )
    assert (version.number, version.label) == (2, "Fassung 2 (Änderung)")
    dropped.refresh_from_db()
    assert dropped.status == Concept.Status.COORDINATED  # back from the committee
    # the first version and its PDF stay as they were
    first = paper.versions.get(number=1)
    assert len(first.content["concepts"]) == 2
    assert Report.objects.filter(paper_version__isnull=False).count() == 2

    client.force_login(moderator)
    page = client.get(reverse("committees:paper_detail", args=[paper.pk])).content.decode()
    assert "Fassung 2 (Änderung)" in page and "Fassung 1 (Vorlage)" in page
    assert "Was sich gegenüber Fassung 1 geändert hat" in page
    assert "Das zweite Konzept wird in einer späteren Sitzung beraten." in page
    assert f"{dropped.title}</del>" in page
    assert "ersten Konzept zu" in page


def test_the_decision_carries_the_meeting_date_and_locks_the_paper(client, moderator):
    meeting = MeetingFactory(starts_at=timezone.make_aware(datetime.datetime(2005, 3, 15, 17, 0)))
    paper = paper_with_concepts(
        concepts=1, ideas_per_concept=0, submitted=True, agenda_item__meeting=meeting
    )
    decision = services.decision_record(
        agenda_item=paper.agenda_item,
        text="Der Ausschuss stimmt zu.",
        result=Decision.Result.APPROVED,
        by=moderator,
    )
    assert decision.decided_on == datetime.date(2005, 3, 15)
    assert decision.recorded_at.date() != decision.decided_on
    concept = Concept.objects.get()
    assert concept.status == Concept.Status.ADOPTED
    assert concept.history.order_by("-history_date", "-history_id").first().history_user is None
    with pytest.raises(ValidationError, match="beschlossen"):
        services.paper_correct(
            paper=paper,
            kind=PaperVersion.Kind.SUPPLEMENT,
            note="Zu spät.",
            resolution_proposal="Anders.",
            by=moderator,
        )
    client.force_login(moderator)
    page = client.get(reverse("committees:paper_detail", args=[paper.pk])).content.decode()
    assert "Die Vorlage ist gesperrt" in page
    assert reverse("committees:paper_correct", args=[paper.pk]) not in page
    assert "am 15.03.2005" in page


def test_committee_member_downloads_the_final_pdf_at_once(
    client, committee_member, moderator, media_root
):
    paper = paper_with_concepts(concepts=1, ideas_per_concept=1, submitted=True)
    final = services.report_generate(report_id=Report.objects.get().pk)
    client.force_login(committee_member)
    page = client.get(reverse("committees:paper_detail", args=[paper.pk])).content.decode()
    assert "PDF anfordern" not in page
    download = reverse("committees:report_download", args=[final.pk])
    assert download in page and "PDF herunterladen: Fassung 1 (Vorlage)" in page
    assert final.sha256 in page
    response = client.get(download)
    content = b"".join(response.streaming_content)
    assert hashlib.sha256(content).hexdigest() == final.sha256
    assert "Beschlussvorlage-TOP-" in response["Content-Disposition"]
    assert "-Fassung-1.pdf" in response["Content-Disposition"]


def test_a_draft_shows_how_to_submit_and_its_previews(client, moderator):
    paper = paper_with_concepts(concepts=1, ideas_per_concept=0)
    client.force_login(moderator)
    page = client.get(reverse("committees:paper_detail", args=[paper.pk])).content.decode()
    assert "Entwurf" in page and "Vorlage einreichen" in page and "PDF anfordern" in page
    response = client.post(reverse("committees:paper_submit", args=[paper.pk]), follow=True)
    assert "Die Vorlage ist eingereicht (Fassung 1)" in response.content.decode()
    assert "Das endgültige PDF wird erstellt" in response.content.decode()


def test_report_speaks_of_the_committee_in_correct_german(moderator):
    from roundtable.committees.pdf import report_render
    from tests.committees.test_pdf import flat, pdf_text

    kreistag = CommitteeFactory(
        name="Kreistag", name_genitive="des Kreistages", name_dative="dem Kreistag"
    )
    paper = paper_with_concepts(
        concepts=1, ideas_per_concept=0, agenda_item__meeting__committee=kreistag
    )
    services.paper_submit(paper=paper, by=moderator)
    version = paper.versions.get()
    assert version.content["concepts"][0]["status_label"] == "dem Kreistag vorgelegt"
    text = flat(pdf_text(report_render(paper_id=paper.pk, snapshot=version.content).content))
    assert flat("Status: dem Kreistag vorgelegt") in text
    assert flat("Zur Sitzung des Kreistages am") in text
    # without the declined name, a phrase that stays correct
    assert CommitteeFactory(name="Beirat").genitive == "des Gremiums „Beirat“"


def test_previews_are_not_published_through_oparl(client, staff_user, media_root):
    paper = paper_with_concepts(concepts=1, ideas_per_concept=0)
    preview = services.report_generate(report_id=Report.objects.create(paper=paper, version=1).pk)
    services.paper_submit(paper=paper, by=None, check=False)
    final = services.report_generate(report_id=Report.objects.get(paper_version__isnull=False).pk)
    client.force_login(staff_user)
    files = client.get(f"/oparl/v1/body/{paper.agenda_item.meeting.committee.body_id}/files/")
    ids = [item["id"] for item in files.json()["data"]]
    assert any(str(final.pk) in i for i in ids) and not any(str(preview.pk) in i for i in ids)
