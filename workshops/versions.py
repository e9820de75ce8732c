"""Snapshots of documents and what changed between two of them.

A snapshot is plain JSON (texts and lists of strings), so a version stored today reads
the same in ten years, whatever happened to the rows it was made from. The diff works
on any two snapshots given the fields to compare; committee papers use it too.
"""

import difflib
import re
from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _

from .models import Concept

_TOKENS = re.compile(r"\s+|\w+|[^\w\s]", re.UNICODE)


@dataclass(frozen=True)
class SnapshotField:
    key: str
    label: str
    kind: str = "text"  # "text": words are compared; "list": items are compared


@dataclass
class FieldChange:
    label: str
    kind: str
    #: text: (operation, text) with operation "equal", "delete" or "insert"
    segments: list[tuple[str, str]] = field(default_factory=list)
    #: list: items no longer there, and new items
    removed: list[str] = field(default_factory=list)
    added: list[str] = field(default_factory=list)


CONCEPT_FIELDS = (
    SnapshotField("title", _("Titel")),
    SnapshotField("summary", _("Zusammenfassung")),
    SnapshotField("goals", _("Ziele")),
    SnapshotField("measures", _("Maßnahmen"), "list"),
    SnapshotField("responsible_departments", _("Verantwortliche Ämter"), "list"),
    SnapshotField("responsible_organisations", _("Verantwortliche Organisationen"), "list"),
    SnapshotField("municipalities", _("Betroffene Städte und Gemeinden"), "list"),
    SnapshotField("ideas", _("Aufgegriffene Ideen"), "list"),
)


def idea_line(idea_id: int, title: str) -> str:
    return f"{_('Idee')} {idea_id}: {title}"


def concept_snapshot(concept: Concept) -> dict:
    """What the departments sign off and a committee is presented: texts and lists."""
    links = concept.idea_links.select_related("idea").order_by("position", "id")
    return {
        "title": concept.title,
        "summary": concept.summary,
        "goals": concept.goals,
        "measures": [m.text for m in concept.measures.order_by("position", "id")],
        "responsible_departments": [str(d) for d in concept.responsible_departments.all()],
        "responsible_organisations": [str(o) for o in concept.responsible_organisations.all()],
        "municipalities": [str(m) for m in concept.municipalities.order_by("name")],
        "ideas": [idea_line(link.idea_id, link.idea.title) for link in links],
    }


def _text_segments(old: str, new: str) -> list[tuple[str, str]]:
    a, b = _TOKENS.findall(old or ""), _TOKENS.findall(new or "")
    segments: list[tuple[str, str]] = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if op == "equal":
            segments.append(("equal", "".join(a[i1:i2])))
            continue
        if op in ("delete", "replace"):
            segments.append(("delete", "".join(a[i1:i2])))
        if op in ("insert", "replace"):
            segments.append(("insert", "".join(b[j1:j2])))
    return segments


def _list_changes(old: list, new: list) -> tuple[list[str], list[str]]:
    removed, added = [], []
    matcher = difflib.SequenceMatcher(None, old or [], new or [], autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op in ("delete", "replace"):
            removed += (old or [])[i1:i2]
        if op in ("insert", "replace"):
            added += (new or [])[j1:j2]
    return removed, added


def snapshot_diff(old: dict, new: dict, fields=CONCEPT_FIELDS) -> list[FieldChange]:
    """The fields that differ between two snapshots, in the order of ``fields``."""
    changes = []
    for spec in fields:
        before, after = old.get(spec.key), new.get(spec.key)
        if before == after:
            continue
        if spec.kind == "list":
            removed, added = _list_changes(before or [], after or [])
            if not removed and not added:  # only the order changed
                removed, added = list(before or []), list(after or [])
            changes.append(
                FieldChange(label=str(spec.label), kind="list", removed=removed, added=added)
            )
        else:
            changes.append(
                FieldChange(
                    label=str(spec.label),
                    kind="text",
                    segments=_text_segments(str(before or ""), str(after or "")),
                )
            )
    return changes
