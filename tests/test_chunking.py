"""Sentence splitting and chunk packing."""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest

from knowledge.chunking import chunk_document, chunk_id, split_sentences
from knowledge.embeddings import approx_tokens
from knowledge.loaders import iter_files, load_document
from knowledge.models import Document, DocumentMeta


def make_doc(text: str, doc_id: str = "d" * 16) -> Document:
    return Document(doc_id=doc_id, source_key="k", text=text, meta=DocumentMeta(title="T"), content_hash="h")


def words(text: str) -> int:
    return len(text.split())


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Dr. Smith flew to the U.S. on Monday. He paid 1.5 million dollars. Was it worth it? Yes!",
            [
                "Dr. Smith flew to the U.S. on Monday.",
                "He paid 1.5 million dollars.",
                "Was it worth it?",
                "Yes!",
            ],
        ),
        (
            "K.K. Tokaev met Sh.M. Mirziyoyev in Astana. J. R. Smith was there, e.g. as an observer.",
            ["K.K. Tokaev met Sh.M. Mirziyoyev in Astana.", "J. R. Smith was there, e.g. as an observer."],
        ),
        ('He said "We agree." Then he left.', ['He said "We agree."', "Then he left."]),
        (
            "Trade hit $90 bn in 2023. In 2024 it grew by 12.5%.",
            ["Trade hit $90 bn in 2023.", "In 2024 it grew by 12.5%."],
        ),
        (
            "See No. 5 in the list. it continues lower-case.",
            ["See No. 5 in the list. it continues lower-case."],
        ),
        (
            "Товарооборот вырос на 12%. Это рекорд! См. таблицу, т.е. выше. В 2023 г. Казахстан рос.",
            [
                "Товарооборот вырос на 12%.",
                "Это рекорд!",
                "См. таблицу, т.е. выше.",
                "В 2023 г. Казахстан рос.",
            ],
        ),
        (
            "中国与中亚贸易增长12%。这是第一次！真的吗？是的；“一带一路”继续推进。",
            # a full-width semicolon joins two clauses of one sentence: quoting up to it is a fragment
            ["中国与中亚贸易增长12%。", "这是第一次！", "真的吗？", "是的；“一带一路”继续推进。"],
        ),
        ("他说：“我们同意。”然后离开了。", ["他说：“我们同意。”", "然后离开了。"]),
        ("A wrapped\nline goes on. Next one.", ["A wrapped\nline goes on.", "Next one."]),
        ("- first item\n- second item", ["- first item", "- second item"]),
        ("", []),
        ("   ", []),
        ("no terminator at all", ["no terminator at all"]),
    ],
)
def test_split_sentences(text: str, expected: list[str]) -> None:
    assert split_sentences(text) == expected


LONG = "\n\n".join(
    " ".join(f"Paragraph {p} sentence {s} says something about trade and railways." for s in range(7))
    for p in range(9)
)


@pytest.mark.parametrize("max_tokens", [20, 50, 120, 400])
@pytest.mark.parametrize("counter", [approx_tokens, words, len])
def test_no_chunk_exceeds_max_tokens(max_tokens: int, counter: object) -> None:
    assert callable(counter)
    extra = "An endless clause, " * 60 + "x" * 300 + " 中国" * 80 + "。"
    doc = make_doc(LONG + "\n\n" + extra)
    chunks = chunk_document(doc, max_tokens=max_tokens, count_tokens=counter)
    assert chunks
    assert all(counter(c.text) <= max_tokens for c in chunks)
    assert [c.position for c in chunks] == list(range(len(chunks)))
    assert all(c.text in doc.text and c.text == c.text.strip() for c in chunks)


def test_every_sentence_is_covered_in_order() -> None:
    doc = make_doc(LONG)
    chunks = chunk_document(doc, max_tokens=60)
    joined = " ".join(c.text for c in chunks)
    for sentence in split_sentences(LONG.replace("\n\n", " ")):
        assert sentence in joined


def test_overlap_repeats_one_short_sentence_within_a_paragraph() -> None:
    doc = make_doc(LONG)
    chunks = chunk_document(doc, max_tokens=60, overlap_sentences=1)
    repeated = 0
    for first, second in itertools.pairwise(chunks):
        last = split_sentences(first.text)[-1]
        if second.text.startswith(last):
            repeated += 1
            assert last.split()[1] == second.text.split()[1]  # same paragraph
    assert repeated >= 3
    no_overlap = chunk_document(doc, max_tokens=60, overlap_sentences=0)
    assert sum(words(c.text) for c in no_overlap) == words(LONG)


def test_paragraph_boundary_starts_a_new_chunk_when_half_full() -> None:
    doc = make_doc(LONG)
    chunks = chunk_document(doc, max_tokens=200, overlap_sentences=0)
    assert all(c.text.startswith("Paragraph") and c.text.endswith(".") for c in chunks)
    # each paragraph (~ 100 tokens) is more than half of 200: chunks never straddle paragraphs
    assert all("\n\n" not in c.text for c in chunks)
    small = chunk_document(
        make_doc("One short line here.\n\nAnother short paragraph here.\n\nThird one here.")
    )
    assert len(small) == 1 and small[0].text.count("\n\n") == 2


def test_chunk_ids_are_stable_and_content_derived() -> None:
    doc = make_doc(LONG)
    first = [c.chunk_id for c in chunk_document(doc, max_tokens=80)]
    again = [c.chunk_id for c in chunk_document(make_doc(LONG), max_tokens=80)]
    assert first == again
    assert len(set(first)) == len(first) and all(len(i) == 24 for i in first)
    edited = chunk_document(
        make_doc(LONG.replace("Paragraph 8 sentence 6", "Paragraph 8 sentence six")), max_tokens=80
    )
    assert [c.chunk_id for c in edited][:-1] == first[:-1]
    assert edited[-1].chunk_id != first[-1]
    assert chunk_document(make_doc(LONG, doc_id="e" * 16), max_tokens=80)[0].chunk_id != first[0]
    assert first[0] == chunk_id(doc.doc_id, chunk_document(doc, max_tokens=80)[0].text)


def test_duplicate_text_gets_suffixed_ids() -> None:
    para = "The Khorgos dry port handles rail cargo between China and Kazakhstan every single day."
    chunks = chunk_document(make_doc("\n\n".join([para] * 3)), max_tokens=20)
    assert [c.text for c in chunks] == [para] * 3
    base = chunk_id("d" * 16, para)
    assert [c.chunk_id for c in chunks] == [base, f"{base}-1", f"{base}-2"]


def test_tiny_furniture_chunks_dropped_unless_document_is_tiny() -> None:
    text = ("A long sentence about the Central Asia–China gas pipeline and its four lines. " * 3).strip()
    chunks = chunk_document(make_doc(text + "\n\nRead more\n\n" + text), max_tokens=40, overlap_sentences=0)
    assert all(c.text != "Read more" for c in chunks)
    assert [c.text for c in chunk_document(make_doc("Khorgos port"))] == ["Khorgos port"]
    assert [c.text for c in chunk_document(make_doc("Opened 2015"), max_tokens=3)] == ["Opened 2015"]
    assert chunk_document(make_doc("")) == []


def test_meta_and_doc_id_are_carried() -> None:
    doc = make_doc(LONG)
    assert all(c.meta is doc.meta and c.doc_id == doc.doc_id for c in chunk_document(doc))


@pytest.mark.parametrize(("max_tokens", "overlap"), [(0, 1), (10, -1)])
def test_bad_arguments(max_tokens: int, overlap: int) -> None:
    with pytest.raises(ValueError):
        chunk_document(make_doc("x"), max_tokens=max_tokens, overlap_sentences=overlap)


def test_real_corpus_chunks_fit(shared_dir: Path) -> None:
    docs = [load_document(p) for p in iter_files([shared_dir / "corpus"]) if p.suffix != ".tsv"]
    assert len(docs) == 41
    for doc in docs:
        chunks = chunk_document(doc, max_tokens=128)
        assert chunks, doc.source_key
        assert all(approx_tokens(c.text) <= 128 and c.text in doc.text for c in chunks)
