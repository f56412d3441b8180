"""BM25 top-k over only the documents that contain a query token, with bm25s's exact scores.

bm25s scores a query into a dense array over every document and then selects the top k with
``argpartition`` over the whole array: the selection grows linearly with the collection and was
most of a lexical search at 100k passages. Here the scores are computed the same way (the same
float32 additions in the same token order, so every score is bit-identical), but the top k are
chosen among the documents with a positive score only (BM25's idf is positive, so these are
exactly the documents containing a query token).

When scores tie — among the k chosen, or between the last chosen and the best left out —
bm25s's order depends on how ``argpartition`` happened to arrange the whole array, which cannot
be reproduced from a subset; the caller then falls back to bm25s's own ``retrieve`` so results
stay identical in every case.
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


def top_k_positive(scores: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray] | None:
    """(doc ids, scores) of the best ``k`` positive scores, best first; None when ties make the
    order ambiguous (the caller falls back to bm25s's selection)."""
    candidates = np.flatnonzero(scores > 0)
    values = scores[candidates]
    if len(candidates) > k:
        part = np.argpartition(values, -k)
        chosen, rest = part[-k:], part[:-k]
        if values[rest].max() >= values[chosen].min():  # a tie across the cut
            return None
    else:
        chosen = np.arange(len(candidates))
    order = chosen[np.argsort(-values[chosen], kind="stable")]
    best = values[order]
    if len(best) > 1 and bool(np.any(best[1:] == best[:-1])):  # a tie inside the top k
        return None
    return candidates[order], best
