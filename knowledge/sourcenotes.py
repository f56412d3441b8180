"""Per-fact sources inside one document: ``<!-- source: Outlet | YYYY-MM-DD | URL | Title -->``.

A bundled document gathers facts from several outlets. A source note on its own line gives the
paragraphs after it (up to the next note) their own outlet, date, link and article title; the
headings directly above a note belong to its section. Text before the first note keeps the
document's metadata, and so does a paragraph after an empty note (``<!-- source: -->``), e.g. one
comparing what several outlets say. Empty fields are allowed (``<!-- source: Orient | | URL | Title
-->`` for an undated article). The notes are stripped from the text: the chunker cuts chunks at note
boundaries, so every chunk, and every citation and fact card made from it, names one source.
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass

from knowledge.models import DocumentMeta

NOTE = re.compile(r"^[ \t]*<!--\s*source:(?P<fields>.*?)-->[ \t]*(?:\n|\Z)", re.MULTILINE | re.IGNORECASE)
_HEADING_OR_BLANK = re.compile(r"[ \t]*(?:#{1,6}[ \t].*)?")
_ISO_DATE = re.compile(r"\d{4}(?:-\d{2}(?:-\d{2})?)?")


@dataclass(frozen=True, kw_only=True)
class Section:
    """A stretch of a document's text (notes removed) and the metadata its facts carry."""

    text: str
    meta: DocumentMeta


def note_meta(fields: str, doc: DocumentMeta) -> DocumentMeta:
    """The document's metadata with a note's outlet, date, URL and title (author unknown)."""
    parts = [p.strip() for p in fields.split("|")] + [""] * 4
    if not any(parts):
        return doc  # back to the document's own (several) sources
    outlet, date, url, title = parts[:4]
    return dataclasses.replace(
        doc,
        source=outlet or doc.source,
        date=date if _ISO_DATE.fullmatch(date) else "",
        url=url if re.fullmatch(r"https?://\S+", url) else "",
        title=title or doc.title,
        author="",
    )


def _section_start(text: str, note_start: int) -> int:
    """Where a note's section begins: the headings and blank lines directly above it join it."""
    start = note_start
    while start > 0:
        line_start = text.rfind("\n", 0, start - 1) + 1
        if not _HEADING_OR_BLANK.fullmatch(text[line_start : start - 1]):
            break
        start = line_start
    return start


def split_by_source(text: str, meta: DocumentMeta) -> list[Section]:
    """``text`` cut at its source notes; one section, the whole text, when it has none."""
    notes = list(NOTE.finditer(text))
    if not notes:
        return [Section(text=text, meta=meta)]
    sections: list[Section] = []
    cuts = [_section_start(text, n.start()) for n in notes]
    head = text[: cuts[0]]
    if head.strip():
        sections.append(Section(text=head, meta=meta))
    for i, note in enumerate(notes):
        end = cuts[i + 1] if i + 1 < len(notes) else len(text)
        body = text[cuts[i] : note.start()] + text[note.end() : end]
        if body.strip():
            sections.append(Section(text=body, meta=note_meta(note.group("fields"), meta)))
    return sections


def strip_notes(text: str) -> str:
    """``text`` without its source notes."""
    return NOTE.sub("", text)
