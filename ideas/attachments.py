"""What an attachment may be: checked by its content (magic bytes), not its name.

Only documents that browsers do not execute are accepted: PDF, PNG, JPEG and
the office formats ODT and DOCX (zip containers whose inner structure is
checked). SVG, HTML and anything else are refused.
"""

import re
import zipfile
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

ODT = "application/vnd.oasis.opendocument.text"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@dataclass(frozen=True)
class Detected:
    content_type: str
    extension: str


def _detect_zip(uploaded) -> Detected | None:
    uploaded.seek(0)
    try:
        with zipfile.ZipFile(uploaded) as archive:
            names = set(archive.namelist())
            if "mimetype" in names and archive.read("mimetype").strip() == ODT.encode():
                return Detected(ODT, "odt")
            if "[Content_Types].xml" in names and "word/document.xml" in names:
                return Detected(DOCX, "docx")
    except (zipfile.BadZipFile, OSError, KeyError, RuntimeError, ValueError):
        return None
    finally:
        uploaded.seek(0)
    return None


def detect(uploaded) -> Detected | None:
    """The allowed type of ``uploaded`` judged by its first bytes, or None."""
    uploaded.seek(0)
    head = uploaded.read(16)
    uploaded.seek(0)
    if head.startswith(b"%PDF-"):
        return Detected("application/pdf", "pdf")
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return Detected("image/png", "png")
    if head.startswith(b"\xff\xd8\xff"):
        return Detected("image/jpeg", "jpg")
    if head.startswith(b"PK\x03\x04"):
        return _detect_zip(uploaded)
    return None


def validate_attachment(uploaded) -> Detected:
    """Raises ValidationError (German) unless ``uploaded`` is small enough and allowed."""
    limit = settings.ATTACHMENT_MAX_BYTES
    if uploaded.size > limit:
        raise ValidationError(
            _("Die Datei ist zu groß (höchstens %(limit)s).") % {"limit": filesizeformat(limit)},
            code="too_large",
        )
    if uploaded.size == 0:
        raise ValidationError(_("Die Datei ist leer."), code="empty")
    detected = detect(uploaded)
    if detected is None:
        raise ValidationError(
            _("Dieser Dateityp ist nicht erlaubt. Erlaubt sind PDF, PNG, JPEG, ODT und DOCX."),
            code="type",
        )
    return detected


def safe_name(original: str, detected: Detected) -> str:
    """The original name, made safe, with the extension of the detected type."""
    stem = original.rsplit("/", 1)[-1].rsplit("\\", 1)[-1]
    if "." in stem:
        stem = stem.rsplit(".", 1)[0]
    stem = re.sub(r"[^\w.-]+", "_", stem).strip("._")[:200] or "anhang"
    return f"{stem}.{detected.extension}"
