"""The lexical fast path returns exactly what bm25s's own retrieve returned (real bm25s index)."""

from __future__ import annotations

import random
from pathlib import Path

import numpy as np
import pytest

from knowledge.lexical import LexicalIndex, tokenize
from knowledge.lextopk import scores_for, top_k_positive

_WORDS = (
    "china kazakhstan railway pipeline gas trade billion summit corridor caspian port "
    "uzbekistan kyrgyzstan energy agreement transport cargo container xi'an astana 2023 2024 "
    "китай казахстан железная дорога газопровод торговля саммит коридор "
    "中国 哈萨克斯坦 铁路 天然气 管道 贸易 峰会 走廊 中亚"
)
WORDS = tuple(_WORDS.split())


def corpus(n: int, seed: int) -> list[str]:
    """Short generated passages in three languages: many equal scores (ties) on purpose."""
    rng = random.Random(seed)
    return [" ".join(rng.choices(WORDS, k=rng.randint(3, 25))) for _ in range(n)]


def bm25s_results(index: LexicalIndex, query: str, k: int) -> list[tuple[str, float]]:
    """What LexicalIndex.search returned before the fast path: bm25s's retrieve."""
    return index.reference_search(query, k)


@pytest.fixture(scope="module")
def index() -> LexicalIndex:
    return LexicalIndex.build(((f"c{i}", t) for i, t in enumerate(corpus(3000, seed=5))), generation=1)


QUERIES = [
    *corpus(150, seed=9),
    "How long is the China–Kyrgyzstan–Uzbekistan railway?",
    "Когда был подписан договор о газопроводе?",
    "中国与中亚的贸易额是多少？",
    "caspian",
    "nothing matches here",
]


def test_scores_are_bit_identical_to_bm25s(index: LexicalIndex) -> None:
    assert index._postings is not None
    for query in QUERIES:
        known = [t for t in tokenize(query) if t in index._bm25.vocab_dict]
        if not known:
            continue
        ids = np.asarray(index._bm25.get_tokens_ids(known))
        assert np.array_equal(scores_for(index._postings, ids), index._bm25.get_scores(known))


@pytest.mark.parametrize("k", [1, 5, 30, 500, 5000])
def test_search_returns_exactly_what_bm25s_returned(index: LexicalIndex, k: int) -> None:
    for query in QUERIES:
        assert index.search(query, k) == bm25s_results(index, query, k), query


def test_top_k_positive_declines_ties_and_orders_distinct_scores() -> None:
    scores = np.array([0.0, 3.0, 1.0, 2.0, 0.0, 5.0], dtype=np.float32)
    docs, values = top_k_positive(scores, 3)  # type: ignore[misc]
    assert docs.tolist() == [5, 1, 3] and values.tolist() == [5.0, 3.0, 2.0]
    docs, _ = top_k_positive(scores, 10)  # type: ignore[misc]
    assert docs.tolist() == [5, 1, 3, 2]  # zeros are never returned
    assert top_k_positive(np.array([1.0, 2.0, 2.0], dtype=np.float32), 1) is None  # tie across the cut
    assert top_k_positive(np.array([2.0, 2.0, 1.0], dtype=np.float32), 3) is None  # tie inside
    assert top_k_positive(np.array([2.0, 2.0, 3.0], dtype=np.float32), 1) is not None  # tie below the cut
    empty = top_k_positive(np.zeros(4, dtype=np.float32), 3)
    assert empty is not None and len(empty[0]) == len(empty[1]) == 0


def test_saved_and_loaded_index_keeps_the_fast_path(index: LexicalIndex, tmp_path: Path) -> None:
    directory = tmp_path / "bm25"
    index.save(directory)
    loaded = LexicalIndex.load(directory)
    assert loaded is not None and loaded._postings is not None
    for query in QUERIES[:40]:
        assert loaded.search(query, 30) == index.search(query, 30)


def test_both_paths_are_exercised(index: LexicalIndex) -> None:
    """The generated queries hit the fast path and the tie fallback alike."""
    assert index._postings is not None
    outcomes = set()
    for query in QUERIES:
        known = [t for t in tokenize(query) if t in index._bm25.vocab_dict]
        if known:
            dense = scores_for(index._postings, np.asarray(index._bm25.get_tokens_ids(known)))
            outcomes.add(top_k_positive(dense, 30) is None)
    assert outcomes == {True, False}
