"""The indexes derived from the store: BM25 (bm25s) and per-language similarity statistics of
chunks and sentences. Rebuilt from the store whenever they are missing, unreadable or older than
the manifest's generation; the ingestion run and the engine both refresh them through here."""

from __future__ import annotations

from dataclasses import dataclass

from knowledge.langstats import LangStats
from knowledge.lexical import LexicalIndex
from knowledge.manifest import langstats_path, lexical_dir, lock_path
from knowledge.runlock import run_lock
from knowledge.settings import KnowledgeSettings
from knowledge.store import ChunkStore


@dataclass(frozen=True, kw_only=True)
class DerivedIndexes:
    lexical: LexicalIndex
    chunk_stats: LangStats
    sentence_stats: LangStats


def refresh_derived(
    settings: KnowledgeSettings, store: ChunkStore, generation: int, *, force: bool = False,
    holding_lock: bool = False,
) -> DerivedIndexes:
    """The derived indexes of ``generation``, loaded, or rebuilt from ``store`` unless current.

    A rebuilt index is saved only by the ingestion run (``holding_lock``: it holds the run lock)
    or by a reader while no run is in progress, so a reader never labels an index built from a
    half-done run with the run's generation.
    """
    if holding_lock:
        return _derive(settings, store, generation, force=force, save=True)
    with run_lock(lock_path(settings), wait=False) as free:
        return _derive(settings, store, generation, force=force, save=free)


def _derive(
    settings: KnowledgeSettings, store: ChunkStore, generation: int, *, force: bool, save: bool
) -> DerivedIndexes:
    if not store.is_open:
        store.open(create=False)
    directory = lexical_dir(settings)
    index = None if force else LexicalIndex.load(directory)
    if index is None or index.generation != generation:
        index = LexicalIndex.build(((c.chunk_id, c.text) for c in store.iter_chunks()), generation)
        if save:
            index.save(directory)
    stats = []
    for sentences in (False, True):
        path = langstats_path(settings, sentences)
        loaded = None if force else LangStats.load(path)
        if loaded is None or loaded.generation != generation:
            loaded = LangStats.build(store.iter_vectors(sentences), generation)
            if save:
                loaded.save(path)
        stats.append(loaded)
    return DerivedIndexes(lexical=index, chunk_stats=stats[0], sentence_stats=stats[1])
