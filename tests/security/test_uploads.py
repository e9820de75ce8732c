"""Uploads as the ideas app built them: size limit, type by magic bytes against an
allowlist, SVG/HTML refused, download only as attachment after a permission check."""

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from ideas.models import Attachment
from tests.factories import IdeaFactory, UserFactory

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


def _docx() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<document/>")
    return buffer.getvalue()


def _zip_with_html() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("index.html", "<script>alert(1)</script>")
    return buffer.getvalue()


@pytest.fixture
def idea(staff_user):
    return IdeaFactory(author=staff_user)


def _upload(client, idea, name, content, content_type="application/octet-stream"):
    return client.post(
        f"/ideen/{idea.pk}/anhaenge/",
        {"file": SimpleUploadedFile(name, content, content_type=content_type)},
    )


@pytest.mark.parametrize(
    ("name", "content", "stored_type"),
    [
        ("plan.pdf", PDF, "application/pdf"),
        ("foto.png", PNG, "image/png"),
        (
            "brief.docx",
            _docx(),
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ),
        # the name lies, the content decides
        ("bericht.html", PDF, "application/pdf"),
    ],
)
def test_allowed_types_are_stored_and_come_back_byte_for_byte(
    client, staff_user, idea, name, content, stored_type
):
    client.force_login(staff_user)
    response = _upload(client, idea, name, content, content_type="text/html")
    assert response.status_code == 302
    attachment = Attachment.objects.get(idea=idea)
    assert attachment.content_type == stored_type
    assert not attachment.file.name.endswith(".html")
    download = client.get(f"/ideen/anhaenge/{attachment.pk}/")
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == content
    assert download["Content-Disposition"].startswith("attachment;")
    assert download["Content-Type"] == stored_type
    assert download["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in download["Content-Security-Policy"]


@pytest.mark.parametrize(
    ("name", "content", "content_type"),
    [
        (
            "bild.svg",
            b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
            "image/svg+xml",
        ),
        ("seite.html", b"<!doctype html><script>alert(1)</script>", "text/html"),
        ("seite.pdf", b"<html><body onload=alert(1)>", "application/pdf"),
        ("text.txt", b"Nur Text", "text/plain"),
        ("paket.zip", _zip_with_html(), "application/zip"),
        ("programm.exe", b"MZ\x90\x00\x03", "application/pdf"),
        ("leer.pdf", b"", "application/pdf"),
    ],
)
def test_other_types_are_refused(client, staff_user, idea, name, content, content_type):
    client.force_login(staff_user)
    response = _upload(client, idea, name, content, content_type)
    assert response.status_code == 200
    assert Attachment.objects.count() == 0
    assert "is-invalid" in response.content.decode() or "nicht erlaubt" in response.content.decode()


def test_size_limit(client, staff_user, idea, settings):
    settings.ATTACHMENT_MAX_BYTES = 1024
    client.force_login(staff_user)
    response = _upload(client, idea, "gross.pdf", PDF + b"0" * 1024)
    assert response.status_code == 200
    assert "zu groß" in response.content.decode()
    assert Attachment.objects.count() == 0
    assert _upload(client, idea, "klein.pdf", PDF).status_code == 302


def test_download_needs_login_and_a_role(client, staff_user, idea):
    client.force_login(staff_user)
    _upload(client, idea, "plan.pdf", PDF)
    attachment = Attachment.objects.get()
    client.logout()
    response = client.get(f"/ideen/anhaenge/{attachment.pk}/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
    client.force_login(UserFactory(role=""))
    assert client.get(f"/ideen/anhaenge/{attachment.pk}/").status_code == 403
    client.force_login(staff_user)
    assert client.get("/ideen/anhaenge/999999/").status_code == 404


def test_others_cannot_attach_to_an_idea(client, idea):
    client.force_login(UserFactory(username="fremd"))
    response = _upload(client, idea, "plan.pdf", PDF)
    assert response.status_code == 403
    assert Attachment.objects.count() == 0
