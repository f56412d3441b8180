"""The only module that imports chromadb: chunks and vectors in, Chunks and scores out.

Embedded ``PersistentClient`` under ``KB_DATA_DIR`` by default, ``HttpClient`` when
``KB_CHROMA_HOST`` is set. We always pass our own embeddings; the collection records which
embedding model and dimension built it and refuses to be opened with another.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator, Sequence
from typing import Any

import numpy as np

from knowledge.errors import IndexOutdated, ModelMismatch, StoreCorrupt, StoreMissing, StoreUnavailable
from knowledge.models import Chunk, DocumentMeta, SearchFilter
from knowledge.settings import KnowledgeSettings

MAX_BATCH = 2000
# Bump when what is stored changes meaning (chunk sizes, what sentence vectors embed, ...):
# an index written by another version is refused with a pointer to --rebuild.
INDEX_VERSION = 2
PAGE = 5000
HTTP_CONNECT_TIMEOUT_S = 3.0  # a question fails fast when the Chroma server is down...
HTTP_TIMEOUT_S = 30.0  # ...or hangs (chromadb's own HTTP client never times out)


def _date_int(iso: str) -> int:
    digits = iso.replace("-", "")[:8]
    return int(digits.ljust(8, "0")) if digits.isdigit() else 0


def to_where(flt: SearchFilter | None) -> dict[str, Any] | None:
    """A Chroma ``where`` clause for a filter (topic is matched after retrieval)."""
    if flt is None:
        return None
    clauses: list[dict[str, Any]] = []
    if flt.doc_ids:
        clauses.append({"doc_id": {"$in": list(flt.doc_ids)}})
    if flt.lang:
        clauses.append({"lang": flt.lang})
    if flt.date_from:
        clauses.append({"date_int": {"$gte": _date_int(flt.date_from)}})
    if flt.date_to:
        clauses.append({"date_int": {"$lte": _date_int(flt.date_to) or 99999999}})
    if not clauses:
        return None
    return clauses[0] if len(clauses) == 1 else {"$and": clauses}


def chunk_metadata(chunk: Chunk) -> dict[str, Any]:
    m = chunk.meta
    return {
        "doc_id": chunk.doc_id,
        "position": chunk.position,
        "title": m.title,
        "source": m.source,
        "author": m.author,
        "url": m.url,
        "date": m.date,
        "date_int": _date_int(m.date),
        "lang": m.lang,
        "kind": m.kind,
        "topics": ",".join(m.topics),
    }


def chunk_from_record(chunk_id: str, text: str, meta: dict[str, Any]) -> Chunk:
    topics = tuple(t for t in str(meta.get("topics", "")).split(",") if t)
    dm = DocumentMeta(
        title=str(meta.get("title", "")),
        source=str(meta.get("source", "")),
        author=str(meta.get("author", "")),
        url=str(meta.get("url", "")),
        date=str(meta.get("date", "")),
        lang=str(meta.get("lang", "")),
        topics=topics,
        kind=str(meta.get("kind", "")),
    )
    return Chunk(chunk_id=chunk_id, doc_id=str(meta.get("doc_id", "")), position=int(meta.get("position", 0)),
                 text=text, meta=dm)


class ChunkStore:
    """A Chroma collection of chunks built by one embedding model."""

    def __init__(self, settings: KnowledgeSettings, model_name: str, dim: int) -> None:
        if dim <= 0:
            raise ValueError("dim must be positive")
        self._settings = settings
        self._model = model_name
        self._dim = dim
        self._client: Any = None
        self._col: Any = None
        self._sent: Any = None
        self._create = False
        self._stale = False  # the server went away or the collection was re-created: reopen

    @property
    def where(self) -> str:
        s = self._settings
        return f"chroma://{s.chroma_host}:{s.chroma_port}" if s.uses_server else str(s.chroma_dir)

    def _connect(self) -> Any:
        import chromadb
        import httpx
        from chromadb.config import Settings as ChromaSettings

        cfg = ChromaSettings(anonymized_telemetry=False, allow_reset=True)
        s = self._settings
        try:
            if s.uses_server:
                client = chromadb.HttpClient(host=s.chroma_host or "", port=s.chroma_port, settings=cfg)
                with contextlib.suppress(AttributeError):  # private: chromadb's httpx session
                    client._server._session.timeout = httpx.Timeout(  # type: ignore[attr-defined]
                        HTTP_TIMEOUT_S, connect=HTTP_CONNECT_TIMEOUT_S
                    )
                return client
            s.chroma_dir.mkdir(parents=True, exist_ok=True)
            return chromadb.PersistentClient(path=str(s.chroma_dir), settings=cfg)
        except Exception as exc:  # chromadb raises many types for an unreachable or broken store
            raise _classify(exc, self.where) from exc

    def open(self, create: bool) -> None:
        """Open the collection; with ``create`` make it, otherwise fail with StoreMissing."""
        self._create, self._stale = create, False
        self._client = self._connect()
        name = self._settings.collection
        meta = {
            "embedding_model": self._model,
            "dim": self._dim,
            "index_version": INDEX_VERSION,
            "hnsw:space": "cosine",
        }
        try:
            if not create:
                names = {c if isinstance(c, str) else c.name for c in self._client.list_collections()}
                if name not in names:
                    raise StoreMissing(self.where)
            self._col = self._client.get_or_create_collection(name, embedding_function=None, metadata=meta)
            self._sent = self._client.get_or_create_collection(
                name + "_sentences", embedding_function=None, metadata=meta
            )
        except (StoreMissing, StoreUnavailable):
            raise
        except Exception as exc:
            raise _classify(exc, self.where) from exc
        info: dict[str, Any] = dict(self._col.metadata or {})
        built, built_dim = str(info.get("embedding_model", "")), int(info.get("dim", 0) or 0)
        if built != self._model or built_dim != self._dim:
            raise ModelMismatch(built, built_dim, self._model, self._dim)
        if int(info.get("index_version", 1) or 1) != INDEX_VERSION:
            raise IndexOutdated(self.where)

    def drop(self) -> None:
        """Delete the whole collection (for ``--rebuild``)."""
        client = self._client or self._connect()
        self._client = client
        for name in (self._settings.collection, self._settings.collection + "_sentences"):
            with contextlib.suppress(Exception):  # absent already: nothing to drop
                client.delete_collection(name)
        self._col = self._sent = None

    @property
    def is_open(self) -> bool:
        return self._col is not None

    @property
    def col(self) -> Any:
        if self._col is None:
            raise RuntimeError("ChunkStore.open() must be called first")
        if self._stale:
            self.open(self._create)
        return self._col

    @property
    def sent(self) -> Any:
        self.col  # noqa: B018 - reopens when stale
        return self._sent

    def count(self) -> int:
        return int(self._call(self.col.count))

    def upsert(self, chunks: Sequence[Chunk], vectors: np.ndarray) -> None:
        if len(chunks) != len(vectors):
            raise ValueError("one vector per chunk")
        for i in range(0, len(chunks), MAX_BATCH):
            part = chunks[i : i + MAX_BATCH]
            self._call(
                self.col.upsert,
                ids=[c.chunk_id for c in part],
                documents=[c.text for c in part],
                metadatas=[chunk_metadata(c) for c in part],
                embeddings=np.asarray(vectors[i : i + MAX_BATCH], dtype=np.float32),
            )

    def ids_for_doc(self, doc_id: str, sentences: bool = False) -> set[str]:
        col = self.sent if sentences else self.col
        got = self._call(col.get, where={"doc_id": doc_id}, include=[])
        return set(got["ids"])

    def delete_ids(self, ids: Sequence[str], sentences: bool = False) -> None:
        col = self.sent if sentences else self.col
        for i in range(0, len(ids), MAX_BATCH):
            self._call(col.delete, ids=list(ids[i : i + MAX_BATCH]))

    def upsert_sentences(self, doc_id: str, lang: str, ids: Sequence[str], vectors: np.ndarray) -> None:
        """Sentence vectors for the answer composer, keyed by content-derived ids."""
        for i in range(0, len(ids), MAX_BATCH):
            part = list(ids[i : i + MAX_BATCH])
            self._call(
                self.sent.upsert,
                ids=part,
                metadatas=[{"doc_id": doc_id, "lang": lang}] * len(part),
                embeddings=np.asarray(vectors[i : i + MAX_BATCH], dtype=np.float32),
            )

    def sentence_vectors(self, ids: Sequence[str]) -> dict[str, np.ndarray]:
        if not ids or self._sent is None:
            return {}
        res = self._call(self.sent.get, ids=list(ids), include=["embeddings"])
        return {
            i: np.asarray(v, dtype=np.float32) for i, v in zip(res["ids"], res["embeddings"], strict=True)
        }

    def query(self, vector: np.ndarray, k: int, flt: SearchFilter | None = None) -> list[tuple[Chunk, float]]:
        """Nearest chunks with cosine similarity (1 - distance), best first."""
        return self.query_many([vector], k, flt)[0]

    def query_many(
        self, vectors: Sequence[np.ndarray], k: int, flt: SearchFilter | None = None
    ) -> list[list[tuple[Chunk, float]]]:
        """``query`` for several vectors in one Chroma call (same results as one call each)."""
        # no count() first: Chroma returns what exists when k exceeds it (count cost 40% of the
        # dense step in the profile)
        k = max(1, k)
        res = self._call(
            self.col.query,
            query_embeddings=[np.asarray(v, dtype=np.float32) for v in vectors],
            n_results=k,
            where=to_where(flt),
            include=["documents", "metadatas", "distances"],
        )
        return [
            _hits(res["ids"][n], res["documents"][n], res["metadatas"][n], res["distances"][n])
            for n in range(len(vectors))
        ]

    def get(self, ids: Sequence[str]) -> dict[str, Chunk]:
        """The chunks that still exist among ``ids``."""
        if not ids:
            return {}
        res = self._call(self.col.get, ids=list(ids), include=["documents", "metadatas"])
        return {
            i: chunk_from_record(i, d, m)
            for i, d, m in zip(res["ids"], res["documents"], res["metadatas"], strict=True)
            if d is not None and m is not None
        }

    def iter_chunks(self) -> Iterator[Chunk]:
        """Every chunk, paged, in a stable order of ids."""
        offset = 0
        while True:
            res = self._call(self.col.get, include=["documents", "metadatas"], limit=PAGE, offset=offset)
            if not res["ids"]:
                return
            for i, d, m in zip(res["ids"], res["documents"], res["metadatas"], strict=True):
                if d is not None and m is not None:
                    yield chunk_from_record(i, d, m)
            offset += len(res["ids"])

    def iter_vectors(self, sentences: bool = False) -> Iterator[tuple[str, np.ndarray]]:
        """(document language, vector) of every chunk (or stored sentence), paged."""
        offset = 0
        col = self.sent if sentences else self.col
        while True:
            res = self._call(col.get, include=["metadatas", "embeddings"], limit=PAGE, offset=offset)
            if not len(res["ids"]):
                return
            for meta, vec in zip(res["metadatas"], res["embeddings"], strict=True):
                yield str((meta or {}).get("lang") or "en"), np.asarray(vec, dtype=np.float32)
            offset += len(res["ids"])

    def _call(self, fn: Any, *args: Any, _retry: bool = True, **kwargs: Any) -> Any:
        try:
            return fn(*args, **kwargs)
        except (ValueError, TypeError, KeyError):
            raise
        except Exception as exc:
            owner = getattr(fn, "__self__", None)
            if _retry and owner is not None and owner in (self._col, self._sent) and _gone(exc):
                # another process re-created the collection (`--rebuild`): reopen, retry once
                self._stale = True
                target = self.sent if owner is self._sent else self.col
                return self._call(getattr(target, fn.__name__), *args, _retry=False, **kwargs)
            error = _classify(exc, self.where)
            # Drop the handles so the next call reconnects (e.g. a restarted Chroma server).
            self._stale = self._col is not None
            raise error from exc


def _hits(ids: list[str], docs: list[Any], metas: list[Any], dists: list[float]) -> list[tuple[Chunk, float]]:
    """One query's rows as (chunk, cosine similarity), best first."""
    # a chunk deleted by a concurrent ingestion run between the vector search and the record
    # fetch comes back without document and metadata: it no longer exists, so skip it
    return [
        (chunk_from_record(i, d, m), 1.0 - float(dist))
        for i, d, m, dist in zip(ids, docs, metas, dists, strict=True)
        if d is not None and m is not None
    ]


def _gone(exc: Exception) -> bool:
    return type(exc).__name__ == "NotFoundError" or "does not exist" in str(exc).lower()


def _classify(exc: Exception, where: str) -> Exception:
    text = f"{type(exc).__name__}: {exc}"
    lowered = text.lower()
    network = ("connect", "connection", "timeout", "refused", "unreachable", "httpx", "503", "502")
    if any(word in lowered for word in network):
        return StoreUnavailable(f"The knowledge store at {where} is temporarily unavailable ({text}).")
    return StoreCorrupt(
        f"The knowledge store at {where} cannot be opened ({text}). It may be corrupted or written "
        "by another chromadb version: move it aside and re-run `python scripts/ingest.py --rebuild`."
    )
