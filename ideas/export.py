"""The (filtered) list of ideas as a spreadsheet: CSV streamed row by row, XLSX written
in memory. Both read the rows in ONE query (``selectors.idea_export_rows``)."""

import csv
import datetime
import io
from collections.abc import Iterator

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from roundtable.operations.text import clean_text

from . import selectors
from .models import Idea

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def export_filename(extension: str) -> str:
    return f"ideen-{timezone.localdate():%Y-%m-%d}.{extension}"


def _header() -> list[str]:
    return [label for _name, label in selectors.EXPORT_FIELDS]


def export_rows(ideas: QuerySet[Idea]) -> Iterator[list]:
    """The rows as people read them: status labels, local times."""
    status_labels = selectors.status_labels()
    status_index = [name for name, _label in selectors.EXPORT_FIELDS].index("status")
    for row in selectors.idea_export_rows(ideas).iterator(chunk_size=2000):
        row = list(row)
        row[status_index] = status_labels.get(row[status_index], row[status_index])
        yield [
            timezone.localtime(v).strftime("%d.%m.%Y %H:%M")
            if isinstance(v, datetime.datetime)
            else v
            for v in row
        ]


def csv_safe(value):
    """Neutralises formula injection in spreadsheet programs; control characters stored
    before the forms refused them (ESC, say) do not reach the file."""
    if isinstance(value, str):
        value = clean_text(value)
        if value[:1] in ("=", "+", "-", "@", "\t", "\r"):
            return "'" + value
    return value


def xlsx_safe(value):
    """As ``csv_safe``; and control characters, which XML (and so XLSX) cannot hold, go."""
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    value = csv_safe(value)
    return ILLEGAL_CHARACTERS_RE.sub("", value) if isinstance(value, str) else value


class _Echo:
    def write(self, value):
        return value


def export_csv_lines(ideas: QuerySet[Idea]) -> Iterator[str]:
    """The CSV (semicolons, as German spreadsheet programs expect), one line at a time,
    so that a long list is never held in memory."""
    writer = csv.writer(_Echo(), delimiter=";")
    yield "\ufeff"  # so that spreadsheet programs read UTF-8
    yield writer.writerow(_header())
    for row in export_rows(ideas):
        yield writer.writerow([csv_safe(v) for v in row])


def export_xlsx(ideas: QuerySet[Idea]) -> bytes:
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(_("Ideen"))
    sheet.append(_header())
    for row in export_rows(ideas):
        sheet.append([xlsx_safe(v) for v in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
