"""The only module that imports chromadb: chunks and vectors in, Chunks and scores out.

Embedded ``PersistentClient`` under ``KB_DATA_DIR`` by default, ``HttpClient`` when
``KB_CHROMA_HOST`` is set. We always pass our own embeddings. Layout (``storeops``): a head
collection ``<collection>`` holds no records, only which embedding model, dimension and index
version built the store (it refuses to be opened with another model); the chunks live in one
partition per document language, ``<collection>__en``, ``__ru``, ``__zh``; sentence vectors in
``<collection>_sentences``. A store in the old layout (every chunk in ``<collection>``) is moved
into partitions when opened (``_migrate``).
"""

from __future__ import annotations

import contextlib
import functools
from collections.abc import Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import numpy as np

from knowledge.errors import KnowledgeError, StoreMissing
from knowledge.models import Chunk, SearchFilter
from knowledge.settings import KnowledgeSettings
from knowledge.storeops import (
    LAYOUT,
    Hits,
    Near,
    check_built,
    chunk_metadata,
    chunks_of,
    classify,
    connect,
    gone,
    hits_of,
    lang_batches,
    merged,
    migrate_legacy,
    near_of,
    pages,
    partition_langs,
    partition_name,
    partition_where,
    to_where,
    with_search_ef,
)

__all__ = ["ChunkStore", "SearchFilter", "to_where"]

MAX_BATCH = 2000
# Bump when what is stored changes meaning (chunk sizes, what sentence vectors embed, ...):
# an index written by another version is refused with a pointer to --rebuild.
INDEX_VERSION = 2
PAGE = 5000
HTTP_CONNECT_TIMEOUT_S = 3.0  # a question fails fast when the Chroma server is down...
HTTP_TIMEOUT_S = 30.0  # ...or hangs (chromadb's own HTTP client never times out)
PARTITION_THREADS = 4  # partitions searched at once (threads start when first needed)
SENTENCES = "*sentences"  # the key of the sentence-vector collection among the partitions' languages


class ChunkStore:
    """Chunks in one Chroma collection per document language, built by one embedding model."""

    def __init__(self, settings: KnowledgeSettings, model_name: str, dim: int) -> None:
        if dim <= 0:
            raise ValueError("dim must be positive")
        self._settings = settings
        self._model = model_name
        self._dim = dim
        self._client: Any = None
        self._parts: dict[str, Any] = {}  # language -> partition collection
        self._sent: Any = None
        self._open = False
        self._create = False
        self._stale = False  # the server went away or the collections were re-created: reopen
        self._threads = ThreadPoolExecutor(max_workers=PARTITION_THREADS, thread_name_prefix="kb-partitions")

    @property
    def where(self) -> str:
        s = self._settings
        return f"chroma://{s.chroma_host}:{s.chroma_port}" if s.uses_server else str(s.chroma_dir)

    @property
    def _meta(self) -> dict[str, Any]:
        return {"embedding_model": self._model, "dim": self._dim, "index_version": INDEX_VERSION,
                "hnsw:space": "cosine"}

    def _connect(self) -> Any:
        return connect(self._settings, self.where, HTTP_TIMEOUT_S, HTTP_CONNECT_TIMEOUT_S)

    def _names(self) -> set[str]:
        return {c if isinstance(c, str) else c.name for c in self._client.list_collections()}

    def open(self, create: bool) -> None:
        """Open the store; with ``create`` make it, otherwise fail with StoreMissing. A store in
        the old single-collection layout is moved into per-language partitions first."""
        self._create, self._stale = create, False
        self._client = self._connect()
        head = self._settings.collection
        try:
            names = self._names()
            if not create and head not in names and not partition_langs(head, names):
                raise StoreMissing(self.where)
            # a new store is made in the partitioned layout; an old one keeps its metadata (no relabel)
            col = self._client.get_or_create_collection(head, embedding_function=None,
                                                        metadata={**self._meta, "layout": LAYOUT})
            if not check_built(dict(col.metadata or {}), self._meta, self.where):
                migrate_legacy(self._client, col, head, self._meta, PAGE, MAX_BATCH)
            self._sent = self._client.get_or_create_collection(f"{head}_sentences", embedding_function=None,
                                                               metadata=self._meta)
            self._parts = {
                lang: self._client.get_collection(partition_name(head, lang), embedding_function=None)
                for lang in partition_langs(head, self._names())
            }
            for part in self._parts.values():
                with_search_ef(part, self._settings.hnsw_search_ef)
        except KnowledgeError:
            raise
        except Exception as exc:
            raise classify(exc, self.where) from exc
        self._open = True

    def drop(self) -> None:
        """Delete every collection of the store (for ``--rebuild``)."""
        client = self._client or self._connect()
        self._client = client
        head = self._settings.collection
        try:
            names = self._names()
        except Exception:  # unreachable: the deletes below fail quietly too
            names = set()
        parts = [partition_name(head, lang) for lang in partition_langs(head, names)]
        for name in (head, head + "_sentences", *parts):
            with contextlib.suppress(Exception):  # absent already: nothing to drop
                client.delete_collection(name)
        self._parts, self._sent, self._open = {}, None, False

    @property
    def is_open(self) -> bool:
        return self._open

    @property
    def languages(self) -> list[str]:
        """The document languages that have a partition, sorted."""
        self._handle(SENTENCES)
        return sorted(self._parts)

    def _handle(self, key: str, create: bool = False) -> Any:
        """The collection for a language (``None`` when it has no partition and not ``create``)
        or ``SENTENCES``; reopens the store first when it went stale."""
        if not self._open:
            raise RuntimeError("ChunkStore.open() must be called first")
        if self._stale:
            self.open(self._create)
        if key == SENTENCES:
            return self._sent
        col = self._parts.get(key)
        if col is None:
            name = partition_name(self._settings.collection, key)
            if create:
                col = self._client.get_or_create_collection(name, embedding_function=None,
                                                            metadata=self._meta)
            elif name in self._names():  # made by another process since we opened
                col = self._client.get_collection(name, embedding_function=None)
            if col is not None:
                with_search_ef(col, self._settings.hnsw_search_ef)
                self._parts = {**self._parts, key: col}
        return col

    def _call(self, key: str, method: str, _retry: bool = True, **kwargs: Any) -> Any:
        """``method`` of collection ``key`` (a language or ``SENTENCES``); a partition that does not
        exist gives None. Reopens and retries once when another process re-created the store."""
        try:
            col = self._handle(key)
            return None if col is None else getattr(col, method)(**kwargs)
        except (ValueError, TypeError, KeyError, RuntimeError, KnowledgeError):
            raise
        except Exception as exc:
            if _retry and gone(exc):  # another process re-created the collection (`--rebuild`)
                self._stale = True
                return self._call(key, method, _retry=False, **kwargs)
            error = classify(exc, self.where)
            # Drop the handles so the next call reconnects (e.g. a restarted Chroma server).
            self._stale = self._open
            raise error from exc

    def count(self) -> int:
        return sum(int(self._call(lang, "count") or 0) for lang in self.languages)

    def upsert(self, chunks: Sequence[Chunk], vectors: np.ndarray) -> None:
        if len(chunks) != len(vectors):
            raise ValueError("one vector per chunk")
        ids, texts = [c.chunk_id for c in chunks], [c.text for c in chunks]
        self._write(ids, texts, [chunk_metadata(c) for c in chunks], np.asarray(vectors, dtype=np.float32))

    def _write(self, ids: list[str], docs: list[str], metas: list[Any], vectors: np.ndarray) -> None:
        """Upsert records into their languages' partitions; an id is first removed from any other
        partition (a document whose language changed)."""
        for lang, batch in lang_batches(ids, docs, metas, vectors, MAX_BATCH):
            self._handle(lang, create=True)
            self._remove(batch["ids"], [other for other in self.languages if other != lang])
            self._call(lang, "upsert", **batch)


    def _remove(self, ids: list[str], keys: Sequence[str]) -> None:
        """Delete those of ``ids`` that exist in collections ``keys`` (only those: Chroma logs a
        delete for every id it is given)."""
        for key in keys:
            found = self._call(key, "get", ids=ids, include=[])
            if found is not None and found["ids"]:
                self._call(key, "delete", ids=list(found["ids"]))

    def ids_for_doc(self, doc_id: str, sentences: bool = False) -> set[str]:
        keys = [SENTENCES] if sentences else self.languages
        found = (self._call(key, "get", where={"doc_id": doc_id}, include=[]) for key in keys)
        return {i for got in found if got is not None for i in got["ids"]}

    def delete_ids(self, ids: Sequence[str], sentences: bool = False) -> None:
        for i in range(0, len(ids), MAX_BATCH):
            part = list(ids[i : i + MAX_BATCH])
            if sentences:
                self._call(SENTENCES, "delete", ids=part)
            else:
                self._remove(part, self.languages)

    def upsert_sentences(self, doc_id: str, lang: str, ids: Sequence[str], vectors: np.ndarray) -> None:
        """Sentence vectors for the answer composer, keyed by content-derived ids."""
        for i in range(0, len(ids), MAX_BATCH):
            part = list(ids[i : i + MAX_BATCH])
            meta = {"doc_id": doc_id, "lang": lang}
            self._call(SENTENCES, "upsert", ids=part, metadatas=[meta] * len(part),
                       embeddings=np.asarray(vectors[i : i + MAX_BATCH], dtype=np.float32))

    def sentence_vectors(self, ids: Sequence[str]) -> dict[str, np.ndarray]:
        if not ids or self._sent is None:
            return {}
        res = self._call(SENTENCES, "get", ids=list(ids), include=["embeddings"])
        pairs = zip(res["ids"], res["embeddings"], strict=True)
        return {i: np.asarray(v, dtype=np.float32) for i, v in pairs}

    def query(self, vector: np.ndarray, k: int, flt: SearchFilter | None = None) -> Hits:
        """Nearest chunks with cosine similarity (1 - distance), best first."""
        return self.query_many([vector], k, flt)[0]

    def nearest(self, vector: np.ndarray, k: int, flt: SearchFilter | None = None) -> list[Near]:
        """``query`` without the records (see ``nearest_many``)."""
        return self.nearest_many([vector], k, flt)[0]

    def query_many(
        self, vectors: Sequence[np.ndarray], k: int, flt: SearchFilter | None = None
    ) -> list[Hits]:
        """``query`` for several vectors, one Chroma call per partition searched: only the
        filter's language, else every language, each partition's top k merged by similarity."""
        found = self._search(vectors, k, flt, ["documents", "metadatas", "distances"])
        return merged(found, len(vectors), k, lambda _, res, n: hits_of(
            res["ids"][n], res["documents"][n], res["metadatas"][n], res["distances"][n]))

    def nearest_many(
        self, vectors: Sequence[np.ndarray], k: int, flt: SearchFilter | None = None
    ) -> list[list[Near]]:
        """``query_many`` without reading the records: ids, similarities and languages (Chroma
        answers a k = 90 search of a partition 3-4 times faster without texts and metadata)."""
        found = self._search(vectors, k, flt, ["distances"])
        return merged(found, len(vectors), k,
                      lambda lang, res, n: near_of(lang, res["ids"][n], res["distances"][n]))

    def _search(
        self, vectors: Sequence[np.ndarray], k: int, flt: SearchFilter | None, include: list[str]
    ) -> list[tuple[str, Any]]:
        """(language, Chroma result) of each partition searched, at the same time."""
        # no count() first: Chroma returns what exists when k exceeds it (count cost 40% of the
        # dense step in the profile)
        langs = [flt.lang] if flt is not None and flt.lang else self.languages
        embeddings = [np.asarray(v, dtype=np.float32) for v in vectors]
        found = self._each(langs, "query", query_embeddings=embeddings, n_results=max(1, k),
                           where=partition_where(flt), include=include)
        return [(lang, res) for lang, res in zip(langs, found, strict=True) if res is not None]

    def get(self, ids: Sequence[str]) -> dict[str, Chunk]:
        """The chunks that still exist among ``ids``."""
        if not ids:
            return {}
        out: dict[str, Chunk] = {}
        for res in self._each(self.languages, "get", ids=list(ids), include=["documents", "metadatas"]):
            out.update(chunks_of(res))
        return {i: out[i] for i in ids if i in out}

    def _each(self, langs: list[str], method: str, **kwargs: Any) -> list[Any]:
        """``method`` on each language's partition, at the same time (a question's searches of three
        partitions take about as long as one: Chroma answers them on its own threads)."""
        if len(langs) <= 1:
            return [self._call(lang, method, **kwargs) for lang in langs]
        return list(self._threads.map(lambda lang: self._call(lang, method, **kwargs), langs))

    def iter_chunks(self) -> Iterator[Chunk]:
        """Every chunk, paged: partition by partition (languages sorted), each in Chroma's order."""
        for lang in self.languages:
            for res in pages(functools.partial(self._call, lang, "get"), ["documents", "metadatas"], PAGE):
                yield from chunks_of(res).values()

    def iter_vectors(self, sentences: bool = False) -> Iterator[tuple[str, np.ndarray]]:
        """(document language, vector) of every chunk (or stored sentence), paged."""
        for key in [SENTENCES] if sentences else self.languages:
            for res in pages(functools.partial(self._call, key, "get"), ["metadatas", "embeddings"], PAGE):
                for meta, vec in zip(res["metadatas"], res["embeddings"], strict=True):
                    yield str((meta or {}).get("lang") or "en"), np.asarray(vec, dtype=np.float32)
