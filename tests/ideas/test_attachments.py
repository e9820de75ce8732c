import io
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from ideas import services
from ideas.attachments import DOCX, ODT, detect, safe_name, validate_attachment
from ideas.models import Attachment
from participants.models import Profile
from tests.factories import IdeaFactory, UserFactory
from tests.ideas.conftest import HTML, PDF, PNG, SVG, upload

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "files"
    return settings.MEDIA_ROOT


def _zip(entries: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, content in entries.items():
            archive.writestr(name, content)
    return buffer.getvalue()


ODT_BYTES = _zip({"mimetype": ODT.encode(), "content.xml": b"<office:document-content/>"})
DOCX_BYTES = _zip({"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<w:document/>"})
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 20


@pytest.mark.parametrize(
    ("content", "content_type", "extension"),
    [
        (PDF, "application/pdf", "pdf"),
        (PNG, "image/png", "png"),
        (JPEG, "image/jpeg", "jpg"),
        (ODT_BYTES, ODT, "odt"),
        (DOCX_BYTES, DOCX, "docx"),
    ],
)
def test_allowed_types_by_content(content, content_type, extension):
    detected = validate_attachment(upload("datei.bin", content))
    assert (detected.content_type, detected.extension) == (content_type, extension)


@pytest.mark.parametrize(
    "content",
    [
        SVG,
        HTML,
        b"<?xml version='1.0'?><svg/>",
        b"MZ\x90\x00 an executable",
        _zip({"index.html": b"<script>alert(1)</script>"}),  # a zip that is no document
        b"PK\x03\x04 broken zip",
        b"",
    ],
)
def test_refused_types(content):
    with pytest.raises(ValidationError):
        validate_attachment(upload("harmlos.pdf", content))


def test_size_cap(settings):
    settings.ATTACHMENT_MAX_BYTES = 100
    with pytest.raises(ValidationError, match="zu groß"):
        validate_attachment(upload("gross.pdf", PDF + b"x" * 100))
    assert validate_attachment(upload("klein.pdf", PDF)).extension == "pdf"


def test_name_gets_extension_of_the_content():
    detected = detect(upload("x", PNG))
    assert safe_name("../../etc/Bild für Mütter.pdf", detected) == "Bild_für_Mütter.png"
    assert safe_name("", detected) == "anhang.png"
    assert safe_name("...", detected) == "anhang.png"


def test_upload_and_download_through_permission_checked_view(client, staff_user, open_phase):
    idea = IdeaFactory(author=staff_user)
    client.force_login(staff_user)
    response = client.post(
        reverse("ideas:attachment_upload", args=[idea.pk]),
        {"file": upload("Konzept Sprachkurs.pdf", PDF, "text/html")},
    )
    assert response.status_code == 302
    attachment = Attachment.objects.get()
    assert attachment.content_type == "application/pdf"  # not what the browser claimed
    response = client.get(reverse("ideas:attachment_download", args=[attachment.pk]))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    assert "Konzept_Sprachkurs.pdf" in response["Content-Disposition"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content) == PDF

    # no media URL exists: only the view serves files
    assert client.get("/media/" + attachment.file.name).status_code == 404

    nobody = UserFactory(username="ohne-rolle")
    Profile.objects.filter(user=nobody).delete()
    client.force_login(nobody)
    assert client.get(reverse("ideas:attachment_download", args=[attachment.pk])).status_code == 403
    client.force_login(staff_user)
    assert (
        client.get(reverse("ideas:attachment_download", args=[attachment.pk + 99])).status_code
        == 404
    )


def test_svg_upload_refused_with_message(client, staff_user, open_phase):
    idea = IdeaFactory(author=staff_user)
    client.force_login(staff_user)
    response = client.post(
        reverse("ideas:attachment_upload", args=[idea.pk]),
        {"file": upload("bild.png", SVG, "image/png")},
    )
    assert response.status_code == 200
    assert "Dieser Dateityp ist nicht erlaubt" in response.content.decode()
    assert not Attachment.objects.exists()


def test_only_author_before_review_or_moderation_may_upload(client, staff_user, moderator):
    idea = IdeaFactory(author=moderator)
    client.force_login(staff_user)
    response = client.post(
        reverse("ideas:attachment_upload", args=[idea.pk]), {"file": upload("a.pdf", PDF)}
    )
    assert response.status_code == 403
    with pytest.raises(Exception, match="add_attachment"):
        services.attachment_add(idea=idea, by=staff_user, uploaded=upload("a.pdf", PDF))
    assert not Attachment.objects.exists()


def test_submit_form_with_attachment(client, staff_user, topic, open_phase, settings):
    settings.ATTACHMENT_MAX_BYTES = 1000
    client.force_login(staff_user)
    data = {"title": "Mit Anhang", "description": "Siehe PDF", "topic": topic.pk}
    response = client.post(
        reverse("ideas:create"), {**data, "attachment": upload("gross.pdf", PDF + b"0" * 2000)}
    )
    assert response.status_code == 200
    assert "zu groß" in response.content.decode()
    assert "Siehe PDF" in response.content.decode()  # the text is kept
    response = client.post(reverse("ideas:create"), {**data, "attachment": upload("a.pdf", PDF)})
    assert response.status_code == 302
    assert Attachment.objects.get().idea.title == "Mit Anhang"
