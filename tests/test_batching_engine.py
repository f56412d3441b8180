"""Batching on the real engine: the packaged model, a real Chroma store in a temp dir.

The same questions are answered one at a time with batching off, and all at once with batching
on (forced into one shared encoder call and shared Chroma calls); the answers and the passages
they were read from must be identical.
"""

from __future__ import annotations

import dataclasses
import json
import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from knowledge.embeddings import E5Embedder
from knowledge.engine import Engine, encoder_lanes
from knowledge.settings import KnowledgeSettings

pytestmark = pytest.mark.slow

NOTES = (
    "013-china-central-asia-trade-2022-astanatimes.md",
    "007-trilateral-rail-agreement-silkroadnews.md",
    "019-central-asia-china-gas-pipeline-line-d-peoplesmap.md",
)


class GatedE5(E5Embedder):
    """The real model; its first batched call waits until the test opens the gate."""

    def __init__(self) -> None:
        super().__init__()
        self.gate = threading.Event()
        self.entered = threading.Event()

    def embed_queries(self, texts: Any) -> np.ndarray:
        self.entered.set()
        assert self.gate.wait(60), "test gate never opened"
        return super().embed_queries(texts)


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory: pytest.TempPathFactory, shared_dir: Path) -> Path:
    data = tmp_path_factory.mktemp("batch-kb")
    files = [*sorted((shared_dir / "corpus" / "seed").glob("*"))]
    files += [
        shared_dir / "corpus" / "notes" / n for n in NOTES if (shared_dir / "corpus" / "notes" / n).exists()
    ]
    engine = Engine(KnowledgeSettings(_env_file=None, data_dir=data))  # type: ignore[call-arg]
    assert engine.ingest(files).ok
    return data


@pytest.fixture(scope="module")
def questions(shared_dir: Path) -> list[str]:
    rows = [json.loads(x) for x in (shared_dir / "eval" / "dev_qa.jsonl").read_text().splitlines() if x]
    by_lang = {lang: [r["question"] for r in rows if r["lang"] == lang] for lang in ("en", "ru", "zh")}
    return by_lang["en"][:5] + by_lang["ru"][:2] + by_lang["zh"][:2]


def comparable(answer: Any, passages: list[Any]) -> tuple[Any, list[tuple[str, float, float]]]:
    """Everything but the timings."""
    return (
        dataclasses.replace(answer, timings={}),
        [(p.chunk.chunk_id, p.score, p.dense_sim) for p in passages],
    )


def test_the_packaged_model_encodes_a_batch_exactly_as_one_at_a_time(questions: list[str]) -> None:
    emb = E5Embedder()
    batch = emb.embed_queries(questions)
    alone = np.stack([emb.embed_query(q) for q in questions])
    assert np.array_equal(batch, alone)


def test_batched_answers_equal_unbatched_answers(data_dir: Path, questions: list[str]) -> None:
    off = Engine(KnowledgeSettings(_env_file=None, data_dir=data_dir, batch_queries=False))  # type: ignore[call-arg]
    off.warm_up()
    expected = [comparable(*off.ask_traced(q)) for q in questions]

    gated = GatedE5()
    on = Engine(KnowledgeSettings(_env_file=None, data_dir=data_dir), embedder=gated)  # type: ignore[call-arg]
    on.warm_up()
    with ThreadPoolExecutor(max_workers=len(questions)) as pool:
        first = pool.submit(on.ask_traced, questions[0])
        assert gated.entered.wait(60)
        rest = [pool.submit(on.ask_traced, q) for q in questions[1:]]
        for _ in range(60_000):
            if on.batching._encoder.pending == len(questions) - 1:
                break
            threading.Event().wait(0.001)
        gated.gate.set()
        got = [comparable(*f.result()) for f in [first, *rest]]

    assert on.batching.stats()["encode"].largest == len(questions) - 1  # one shared encoder call
    for q, g, e in zip(questions, got, expected, strict=True):
        assert g == e, q


def test_one_chroma_call_for_several_vectors_gives_each_its_own_hits(
    data_dir: Path, questions: list[str]
) -> None:
    from knowledge.store import SearchFilter

    engine = Engine(KnowledgeSettings(_env_file=None, data_dir=data_dir))  # type: ignore[call-arg]
    engine.warm_up()
    vectors = list(engine.embedder.embed_queries(questions))
    for k, flt in ((90, None), (30, SearchFilter(lang="ru")), (5, SearchFilter(lang="en"))):
        together = engine.store.query_many(vectors, k, flt)
        assert together == [engine.store.query(v, k, flt) for v in vectors]


def test_the_thread_count_changes_no_vector(questions: list[str]) -> None:
    """One thread per question encode (the default) or every core: the same bits, alone and in
    batches, and passages keep every core."""
    one, every = E5Embedder(query_threads=1), E5Embedder(query_threads=0)
    assert np.array_equal(one.embed_queries(questions), every.embed_queries(questions))
    assert all(np.array_equal(one.embed_query(q), every.embed_query(q)) for q in questions)
    assert np.array_equal(one.embed_documents(questions), every.embed_documents(questions))
    assert one._threads.default >= 1


def test_encoder_lanes_follow_the_query_threads() -> None:
    assert encoder_lanes(E5Embedder(query_threads=1), 2) == 2
    assert encoder_lanes(E5Embedder(query_threads=2), 8) == 4
    assert encoder_lanes(E5Embedder(query_threads=0), 2) == 1  # a batch uses every core
    assert encoder_lanes(E5Embedder(query_threads=4), 2) == 1
