"""The store's parts without state: connection, records <-> Chunks, filters, partitions, errors.

The store keeps one Chroma collection per document language (a partition, ``<collection>__en``,
``__ru``, ...): a search within one language is then an unfiltered HNSW search of its partition,
where a ``where={"lang": ...}`` search of one big collection cost Chroma ~1.2 s at 1M passages.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any, NamedTuple, TypeVar

import numpy as np

from knowledge.errors import IndexOutdated, ModelMismatch, StoreCorrupt, StoreUnavailable
from knowledge.models import Chunk, DocumentMeta, SearchFilter
from knowledge.settings import KnowledgeSettings

PARTITION_SEP = "__"
DEFAULT_LANG = "en"  # a chunk without a language counts as English (as the retriever and LangStats do)
LAYOUT = "per_language"  # the head collection's ``layout``; absent in the old single-collection store

Hits = list[tuple[Chunk, float]]
H = TypeVar("H", tuple[Chunk, float], "Near")


class Near(NamedTuple):
    """One dense hit without its record: what the retriever's dense step needs."""

    chunk_id: str
    sim: float  # cosine similarity
    lang: str  # the partition it was found in


def connect(s: KnowledgeSettings, where: str, timeout_s: float, connect_s: float) -> Any:
    """A Chroma client: ``HttpClient`` with these timeouts on a server, else ``PersistentClient``
    (chromadb's own HTTP client never times out)."""
    import chromadb
    import httpx
    from chromadb.config import Settings as ChromaSettings

    cfg = ChromaSettings(anonymized_telemetry=False, allow_reset=True)
    try:
        if s.uses_server:
            client = chromadb.HttpClient(host=s.chroma_host or "", port=s.chroma_port, settings=cfg)
            with contextlib.suppress(AttributeError):  # private: chromadb's httpx session
                client._server._session.timeout = httpx.Timeout(  # type: ignore[attr-defined]
                    timeout_s, connect=connect_s
                )
            return client
        s.chroma_dir.mkdir(parents=True, exist_ok=True)
        return chromadb.PersistentClient(path=str(s.chroma_dir), settings=cfg)
    except Exception as exc:  # chromadb raises many types for an unreachable or broken store
        raise classify(exc, where) from exc


def date_int(iso: str) -> int:
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
        clauses.append({"date_int": {"$gte": date_int(flt.date_from)}})
    if flt.date_to:
        clauses.append({"date_int": {"$lte": date_int(flt.date_to) or 99999999}})
    if not clauses:
        return None
    return clauses[0] if len(clauses) == 1 else {"$and": clauses}


def partition_where(flt: SearchFilter | None) -> dict[str, Any] | None:
    """The ``where`` clause within one language's partition: the language is the partition."""
    if flt is None or not flt.lang:
        return to_where(flt)
    return to_where(SearchFilter(doc_ids=flt.doc_ids, topic=flt.topic, date_from=flt.date_from,
                                 date_to=flt.date_to))


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
        "date_int": date_int(m.date),
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


def chunks_of(res: dict[str, Any] | None) -> dict[str, Chunk]:
    """A ``get`` result's records that still exist, as chunks by id."""
    if res is None:
        return {}
    return {
        i: chunk_from_record(i, d, m)
        for i, d, m in zip(res["ids"], res["documents"], res["metadatas"], strict=True)
        if d is not None and m is not None
    }


def pages(get: Callable[..., Any], include: list[str], size: int) -> Iterator[Any]:
    """Every record of a collection, ``size`` at a time (``get`` may give None: no collection)."""
    offset = 0
    while True:
        res = get(include=include, limit=size, offset=offset)
        if res is None or not len(res["ids"]):
            return
        yield res
        offset += len(res["ids"])


def check_built(info: dict[str, Any], wanted: dict[str, Any], where: str) -> bool:
    """Whether a head collection's metadata ``info`` is in the partitioned layout; ModelMismatch
    or IndexOutdated when another model, dimension or index version built it."""
    built, built_dim = str(info.get("embedding_model", "")), int(info.get("dim", 0) or 0)
    if built != wanted["embedding_model"] or built_dim != wanted["dim"]:
        raise ModelMismatch(built, built_dim, wanted["embedding_model"], wanted["dim"])
    if int(info.get("index_version", 1) or 1) != wanted["index_version"]:
        raise IndexOutdated(where)
    return info.get("layout") == LAYOUT


def record_lang(meta: dict[str, Any] | None) -> str:
    """The partition a record belongs to."""
    return str((meta or {}).get("lang") or DEFAULT_LANG)


def partition_name(collection: str, lang: str) -> str:
    """``knowledge`` + ``zh`` -> ``knowledge__zh`` (characters Chroma refuses become ``-``)."""
    return f"{collection}{PARTITION_SEP}{re.sub(r'[^A-Za-z0-9]', '-', lang)}"


def partition_langs(collection: str, names: Iterable[str]) -> list[str]:
    """The languages of the partitions among collection ``names``, sorted."""
    prefix = collection + PARTITION_SEP
    return sorted(n[len(prefix) :] for n in names if n.startswith(prefix) and len(n) > len(prefix))


def lang_batches(ids: Sequence[str], docs: Sequence[Any], metas: Sequence[Any], vectors: np.ndarray,
                 size: int) -> Iterator[tuple[str, dict[str, Any]]]:
    """Records as (partition language, ``upsert`` arguments) in batches of at most ``size``."""
    for lang, rows in by_lang(metas).items():
        for i in range(0, len(rows), size):
            part = rows[i : i + size]
            yield lang, {"ids": [ids[n] for n in part], "documents": [docs[n] for n in part],
                         "metadatas": [metas[n] for n in part], "embeddings": vectors[part]}


def migrate_legacy(client: Any, legacy: Any, head: str, meta: dict[str, Any], page: int, size: int) -> None:
    """Move every record of an old single-collection store (``legacy``, named ``head``) into its
    language's partition, a page at a time (vectors, texts, metadata unchanged), then replace it
    by an empty head marked with the layout. Upserts are idempotent: a run stopped half-way leaves
    the old collection, and the next open finishes the move."""
    parts: dict[str, Any] = {}
    for res in pages(legacy.get, ["documents", "metadatas", "embeddings"], page):
        vectors = np.asarray(res["embeddings"], dtype=np.float32)
        for lang, batch in lang_batches(res["ids"], res["documents"], res["metadatas"], vectors, size):
            if lang not in parts:
                name = partition_name(head, lang)
                parts[lang] = client.get_or_create_collection(name, embedding_function=None, metadata=meta)
            parts[lang].upsert(**batch)
    client.delete_collection(head)
    client.create_collection(head, embedding_function=None, metadata={**meta, "layout": LAYOUT})


def by_lang(metas: Sequence[dict[str, Any] | None]) -> dict[str, list[int]]:
    """Positions of records per partition language, in order."""
    out: dict[str, list[int]] = {}
    for n, meta in enumerate(metas):
        out.setdefault(record_lang(meta), []).append(n)
    return out


def merge_best(lists: Iterable[Sequence[H]], k: int) -> list[H]:
    """The ``k`` most similar hits (``hit[1]`` is the similarity) of several partitions' lists:
    what one search over all of them returns (up to HNSW approximation). Stable, so equal
    similarities keep partition order."""
    return sorted((hit for hits in lists for hit in hits), key=lambda hit: -hit[1])[:k]


def merged(found: list[tuple[str, Any]], count: int, k: int, rows: Callable[[str, Any, int], list[H]]
           ) -> list[list[H]]:
    """For each of ``count`` query vectors, the best ``k`` of its rows in every partition's
    result (``found``: (language, Chroma query result) per partition)."""
    per_lang = [[rows(lang, res, n) for n in range(count)] for lang, res in found]
    return [merge_best((hits[n] for hits in per_lang), k) for n in range(count)]


def near_of(lang: str, ids: list[str], dists: list[float]) -> list[Near]:
    """One query's rows (ids and distances only) in partition ``lang``, best first."""
    return [Near(i, 1.0 - float(d), lang) for i, d in zip(ids, dists, strict=True)]


def hits_of(ids: list[str], docs: list[Any], metas: list[Any], dists: list[float]) -> Hits:
    """One query's rows as (chunk, cosine similarity), best first."""
    # a chunk deleted by a concurrent ingestion run between the vector search and the record
    # fetch comes back without document and metadata: it no longer exists, so skip it
    return [
        (chunk_from_record(i, d, m), 1.0 - float(dist))
        for i, d, m, dist in zip(ids, docs, metas, dists, strict=True)
        if d is not None and m is not None
    ]


def gone(exc: Exception) -> bool:
    return type(exc).__name__ == "NotFoundError" or "does not exist" in str(exc).lower()


def classify(exc: Exception, where: str) -> Exception:
    text = f"{type(exc).__name__}: {exc}"
    lowered = text.lower()
    network = ("connect", "connection", "timeout", "refused", "unreachable", "httpx", "503", "502")
    if any(word in lowered for word in network):
        return StoreUnavailable(f"The knowledge store at {where} is temporarily unavailable ({text}).")
    return StoreCorrupt(
        f"The knowledge store at {where} cannot be opened ({text}). It may be corrupted or written "
        "by another chromadb version: move it aside and re-run `python scripts/ingest.py --rebuild`."
    )


def with_search_ef(col: Any, ef: int) -> None:
    """Search ``col`` with an HNSW candidate list of ``ef`` (a query-time setting Chroma keeps
    with the collection; changed in place, no rebuild). Where the client reports no HNSW
    configuration (another index type), nothing changes."""
    hnsw = dict((getattr(col, "configuration", None) or {}).get("hnsw") or {})
    if hnsw and hnsw.get("ef_search") != ef:
        col.modify(configuration={"hnsw": {"ef_search": ef}})
