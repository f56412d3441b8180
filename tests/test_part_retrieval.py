"""A question that asks two things retrieves for each part too: the second part's evidence may sit
in a document the whole question does not bring back. Real engine, real model, real Chroma in a
temporary directory; the documents are written here."""

from __future__ import annotations

from pathlib import Path

import pytest

from knowledge.engine import Engine
from knowledge.models import Chunk, DocumentMeta, Passage
from knowledge.retrieval import interleaved
from knowledge.settings import KnowledgeSettings

COST = """---
title: Contract signed for Uzbek mountain rail project
source: Tashkent Rail Bulletin
date: 2024-02-11
lang: en
---
Uzbekistan's railway company signed a $455 million contract with a Chinese builder for the Kamchik
rail project, the bulletin reported. Financing comes from a state loan repaid over twenty years.
"""


def _passage(chunk_id: str) -> Passage:
    meta = DocumentMeta(title="t", source="s", lang="en")
    return Passage(chunk=Chunk(chunk_id=chunk_id, doc_id=chunk_id[0], text=chunk_id, position=0, meta=meta),
                   score=0.0)


def test_interleaved_takes_turns_and_counts_a_shared_passage_once() -> None:
    first = [_passage(i) for i in ("a1", "b1", "c1")]
    second = [_passage(i) for i in ("b1", "d1")]
    assert [p.chunk.chunk_id for p in interleaved(first, second, 10)] == ["a1", "b1", "d1", "c1"]
    assert [p.chunk.chunk_id for p in interleaved(first, second, 2)] == ["a1", "b1"]
    assert interleaved([], [], 3) == []


@pytest.mark.slow
def test_each_part_of_a_two_part_question_is_retrieved_for(tmp_path: Path, kb_embedder: object) -> None:
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "cost.md").write_text(COST, encoding="utf-8")
    # many pieces on the tunnel's length, none on its cost: they fill the whole question's passages
    for i in range(8):
        (docs / f"length{i}.md").write_text(
            f"---\ntitle: The Kamchik tunnel, report {i}\nsource: Pass Wire {i}\ndate: 2023-0{1 + i}-05\n"
            f"lang: en\n---\nThe Kamchik tunnel under the Kamchik pass is 19.2 kilometres long, report {i} "
            f"says. How long the Kamchik tunnel is makes it the longest tunnel in Central Asia.\n",
            encoding="utf-8")
    settings = KnowledgeSettings(_env_file=None, data_dir=tmp_path / "kb", top_k=3)  # type: ignore[call-arg]
    engine = Engine(settings, embedder=kb_embedder)  # type: ignore[arg-type]
    assert engine.ingest([docs]).ok
    question = "How long is the Kamchik tunnel, and how much did the Kamchik rail project cost?"
    ctx, _ = engine.read_context(question)
    # the whole question's passages do not hold the cost: only the second part's retrieval finds it
    assert "455" not in " ".join(p.chunk.text for p in ctx.passages)
    assert len(ctx.parts) == 2
    assert any("455" in p.chunk.text for p in ctx.parts[1].passages)
    answer = engine.ask(question)
    assert "19.2" in answer.text and "$455 million" in answer.text
    assert any(c.source == "Tashkent Rail Bulletin" for c in answer.citations)
