"""BM25 top-k over only the documents that contain a query token, with bm25s's exact scores.

bm25s scores a query into a dense array over every document and then selects the top k with
``argpartition`` over the whole array: the selection grows linearly with the collection and was
most of a lexical search at 100k passages. Here the scores are computed the same way (the same
float32 additions in the same token order, so every score is bit-identical), but the top k are
chosen among the documents with a positive score only (BM25's idf is positive, so these are
exactly the documents containing a query token).

When scores tie, bm25s's order depends on how ``argpartition`` happened to arrange the whole
array: an accident of the selection, not a ranking. Here ties are broken by document position
(earlier first), at the cut and inside the top k alike, so the result is the same on every run and
needs no second pass over every document (bm25s's own selection over a million scores cost 30 ms
and more). Without ties the result is exactly bm25s's; with ties it holds the same scores.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np


@dataclass(frozen=True, kw_only=True)
class Postings:
    """bm25s's eager score matrix (CSC by token): ``data[indptr[t]:indptr[t+1]]`` for token t."""

    data: np.ndarray
    indices: np.ndarray
    indptr: np.ndarray
    num_docs: int
    dtype: np.dtype


def postings_of(bm25: Any) -> Postings | None:
    """The score matrix of a bm25s index, or None for variants this module does not reproduce
    (a non-occurrence term, as in BM25L/BM25+, or the numba backend)."""
    if getattr(bm25, "nonoccurrence_array", None) is not None or getattr(bm25, "backend", "") != "numpy":
        return None
    s = bm25.scores
    return Postings(
        data=s["data"],
        indices=s["indices"],
        indptr=s["indptr"],
        num_docs=int(s["num_docs"]),
        dtype=np.dtype(bm25.dtype),
    )


def scores_for(postings: Postings, token_ids: np.ndarray) -> np.ndarray:
    """Dense BM25 scores of one query, identical to bm25s's ``get_scores_from_ids``.

    bm25s uses ``np.add.at``; within one token's postings every document appears once, so a plain
    indexed add performs the very same float32 addition per document, in the same token order.
    """
    scores = np.zeros(postings.num_docs, dtype=postings.dtype)
    for t in token_ids:
        start, end = int(postings.indptr[t]), int(postings.indptr[t + 1])
        docs = postings.indices[start:end]
        scores[docs] += postings.data[start:end]
    return scores


def top_k_positive(scores: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
    """(doc ids, scores) of the best ``k`` positive scores, best first; equal scores in document
    order, and among equal scores at the cut the earliest documents are kept."""
    candidates = np.flatnonzero(scores > 0)
    values = scores[candidates]
    if len(candidates) > k:
        cut = values[np.argpartition(values, -k)[-k:]].min()
        above = np.flatnonzero(values > cut)
        at_cut = np.flatnonzero(values == cut)[: k - len(above)]
        chosen = np.concatenate([above, at_cut])
    else:
        chosen = np.arange(len(candidates))
    order = chosen[np.lexsort((chosen, -values[chosen]))]
    return candidates[order], values[order]
