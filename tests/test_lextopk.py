"""The lexical fast path returns bm25s's own scores and ranking, with ties in document order (real
bm25s index)."""

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


def by_score_then_position(index: LexicalIndex, query: str, k: int) -> list[tuple[str, float]]:
    """The specification, by brute force: every positive score, best first, ties by position."""
    known = [t for t in tokenize(query) if t in index._bm25.vocab_dict]
    if not known:
        return []
    scores = index._bm25.get_scores(known)
    ranked = sorted((i for i in range(len(scores)) if scores[i] > 0), key=lambda i: (-scores[i], i))
    return [(index.ids[i], float(scores[i])) for i in ranked[:k]]


@pytest.mark.parametrize("k", [1, 5, 30, 500, 5000])
def test_search_ranks_by_bm25s_score_then_document_position(index: LexicalIndex, k: int) -> None:
    for query in QUERIES:
        got = index.search(query, k)
        assert got == by_score_then_position(index, query, k), query
        reference = bm25s_results(index, query, k)
        assert [s for _, s in got] == [s for _, s in reference], query  # bm25s's very scores
        if len({s for _, s in reference}) == len(reference):  # no ties: bm25s's very ranking
            assert got == reference, query


def test_top_k_positive_orders_ties_by_position() -> None:
    scores = np.array([0.0, 3.0, 1.0, 2.0, 0.0, 5.0], dtype=np.float32)
    docs, values = top_k_positive(scores, 3)
    assert docs.tolist() == [5, 1, 3] and values.tolist() == [5.0, 3.0, 2.0]
    docs, _ = top_k_positive(scores, 10)
    assert docs.tolist() == [5, 1, 3, 2]  # zeros are never returned
    docs, _ = top_k_positive(np.array([1.0, 2.0, 2.0, 2.0], dtype=np.float32), 2)  # tie across the cut
    assert docs.tolist() == [1, 2]
    docs, _ = top_k_positive(np.array([2.0, 3.0, 2.0, 1.0, 3.0], dtype=np.float32), 4)  # ties inside
    assert docs.tolist() == [1, 4, 0, 2]
    empty = top_k_positive(np.zeros(4, dtype=np.float32), 3)
    assert len(empty[0]) == len(empty[1]) == 0


def test_saved_and_loaded_index_keeps_the_fast_path(index: LexicalIndex, tmp_path: Path) -> None:
    directory = tmp_path / "bm25"
    index.save(directory)
    loaded = LexicalIndex.load(directory)
    assert loaded is not None and loaded._postings is not None
    for query in QUERIES[:40]:
        assert loaded.search(query, 30) == index.search(query, 30)


def test_the_generated_queries_meet_ties_and_distinct_scores(index: LexicalIndex) -> None:
    """Both cases of the ranking are exercised: top-30 lists with tied scores and without."""
    tied = set()
    for query in QUERIES:
        scores = [s for _, s in index.search(query, 30)]
        if scores:
            tied.add(len(set(scores)) < len(scores))
    assert tied == {True, False}
