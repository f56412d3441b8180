"""Per-fact source notes: parsed, stripped, and carried by the chunks (and so by citations)."""

from __future__ import annotations

import re
from pathlib import Path

from knowledge.chunking import chunk_document
from knowledge.loaders import load_document
from knowledge.models import Document, DocumentMeta
from knowledge.sourcenotes import NOTE, split_by_source

META = DocumentMeta(title="Energy cooperation", source="CGTN; Kazinform; Orient", author="Many",
                    url="https://news.example/summary", date="2023-05-19", lang="en", kind="summary")
TEXT = """# Energy cooperation

Intro written by us, with no outlet of its own, about pipelines and power.

## The gas pipeline
<!-- source: Kazinform | 2019-04-19 | https://kznews.kz/newscn/2632/ | 中亚天然气管道累计输气 -->

Kazinform reported that the pipeline began operating in December 2009 and had delivered
263.2 billion cubic meters by March 2019.

<!-- source: Orient |  | https://orient.tm/en/post/97283/ | Gurbanguly Berdimuhamedov met head of CNPC -->
According to Orient, the talks focused on developing the super-giant Galkynysh gas field.
"""


def test_sections_carry_their_own_source_and_the_notes_are_gone() -> None:
    intro, kazinform, orient = split_by_source(TEXT, META)
    assert intro.meta == META and "Intro written by us" in intro.text
    assert kazinform.text.lstrip().startswith("## The gas pipeline")  # the heading joins its note
    assert (kazinform.meta.source, kazinform.meta.date, kazinform.meta.url) == (
        "Kazinform", "2019-04-19", "https://kznews.kz/newscn/2632/"
    )
    assert kazinform.meta.title == "中亚天然气管道累计输气"
    assert kazinform.meta.author == "" and kazinform.meta.lang == "en"
    assert (orient.meta.source, orient.meta.date) == ("Orient", "")  # undated: no date, not a guess
    assert all("<!--" not in s.text and "source:" not in s.text for s in (intro, kazinform, orient))


def test_text_without_notes_is_one_section() -> None:
    [only] = split_by_source("Just text.\n\nMore text.", META)
    assert only.text == "Just text.\n\nMore text." and only.meta == META


def test_an_empty_note_returns_to_the_documents_sources() -> None:
    text = "<!-- source: A | 2020-01-01 | https://a.example | T -->\nA says 1.\n\n"
    text += "<!-- source: -->\nA and B differ."
    first, second = split_by_source(text, META)
    assert first.meta.source == "A" and second.meta == META and second.text.strip() == "A and B differ."


def test_bad_fields_are_dropped_not_trusted() -> None:
    [_, section] = split_by_source("Intro here.\n<!-- source: X | last May | javascript:x | -->\nFact.", META)
    assert (section.meta.source, section.meta.date, section.meta.url, section.meta.title) == (
        "X", "", "", META.title
    )


def test_chunks_never_cross_a_note_and_carry_its_source() -> None:
    doc = Document(doc_id="d" * 16, source_key="k", text=TEXT, meta=META, content_hash="h")
    chunks = chunk_document(doc, max_tokens=400)  # room for everything in one chunk, yet three
    assert [c.meta.source for c in chunks] == ["CGTN; Kazinform; Orient", "Kazinform", "Orient"]
    assert "263.2 billion" in chunks[1].text and "Galkynysh" not in chunks[1].text
    assert all("<!--" not in c.text for c in chunks)
    assert chunks[2].meta.url == "https://orient.tm/en/post/97283/"


BUNDLED = sorted((Path(__file__).resolve().parents[1] / "knowledge" / "corpus").glob("*.md"))


def test_bundled_documents_give_most_facts_their_own_source() -> None:
    """Each bundled note is well-formed, and most passages name one outlet (the rest compare
    outlets and keep the document's list)."""
    chunks = []
    for path in BUNDLED:
        doc = load_document(path)
        for note in NOTE.finditer(doc.text):
            fields = [f.strip() for f in note.group("fields").split("|")]
            assert fields == [""] or (len(fields) == 4 and fields[0] and fields[3]), note.group(0)
            assert not fields[1:2] or fields[1] == "" or re.fullmatch(r"\d{4}-\d{2}-\d{2}", fields[1])
            assert len(fields) < 3 or fields[2] == "" or fields[2].startswith(("http://", "https://"))
        chunks += chunk_document(doc, max_tokens=120)
    single = [c for c in chunks if ";" not in c.meta.source]
    assert len(single) >= 0.8 * len(chunks)
    kazinform = next(c for c in chunks if c.text.startswith("Kazinform reported on 19 April 2019"))
    assert (kazinform.meta.source, kazinform.meta.date, kazinform.meta.url) == (
        "Kazinform (kznews.kz)", "2019-04-19", "https://kznews.kz/newscn/2632/"
    )
