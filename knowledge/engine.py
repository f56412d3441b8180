"""The engine facade the bot, the CLI and the scripts call: ask, facts, sources, ingest.

``Engine(settings)`` only validates; ``warm_up()`` loads the model and opens the store once.
"""

from __future__ import annotations

import dataclasses
import os
import threading
import time
import unicodedata
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from knowledge.answer import abstention
from knowledge.chunking import sentence_windows
from knowledge.derived import refresh_derived
from knowledge.embeddings import Embedder, make_embedder
from knowledge.errors import StoreMissing
from knowledge.ingest import Ingester, IngestReport, Manifest, manifest_path, sentence_id
from knowledge.langstats import LangStats
from knowledge.lexical import LexicalIndex
from knowledge.models import Answer, FactCard, Passage, SourceInfo
from knowledge.querybatch import QueryBatching
from knowledge.reader import (
    CrossLingual,
    ExtractiveReader,
    ReadContext,
    Reader,
    VectorCache,
    part_contexts,
)
from knowledge.retrieval import RetrievalConfig, Retriever, interleaved
from knowledge.settings import KnowledgeSettings
from knowledge.signals import follow_up_profile, profile_question
from knowledge.store import ChunkStore, SearchFilter
from knowledge.text import detect_language, names
from knowledge.topics import topic_matches

MAX_QUESTION_CHARS = 1000
_FOLLOW_UP_WORDS = 2


def clean_question(text: str) -> str:
    """Drop control and zero-width characters, collapse whitespace, cap the length."""
    kept = "".join(ch for ch in text if unicodedata.category(ch)[0] != "C" or ch in "\n\t")
    return " ".join(kept.split())[:MAX_QUESTION_CHARS]


_CHAT_SPEAK = {"yr": "year", "yrs": "years", "govt": "government", "pct": "percent", "bn": "billion"}


def expand_chat_speak(text: str) -> str:
    """Spell out a few chat abbreviations so lexical matching sees the words the documents use."""
    return " ".join(_CHAT_SPEAK.get(w.lower(), w) for w in text.split(" "))


def has_words(text: str) -> bool:
    return any(unicodedata.category(ch)[0] in "LN" for ch in text)


class Engine:
    """Question answering and fact cards over one knowledge store."""

    def __init__(
        self, settings: KnowledgeSettings, embedder: Embedder | None = None, reader: Reader | None = None
    ) -> None:
        self.settings = settings
        settings.apply_runtime()
        self.embedder = embedder or make_embedder(settings.embedding_model, settings.query_threads)
        self._store: ChunkStore | None = None
        self._lexical: LexicalIndex | None = None
        self._stats: LangStats | None = None
        self._sentence_stats: LangStats | None = None
        self._manifest: Manifest | None = None
        self._manifest_mtime = -1.0
        self._lock = threading.RLock()
        self.sentence_vectors = VectorCache(self.embedder.embed_documents, self._stored_sentences)
        self.reader = reader or ExtractiveReader(self.sentence_vectors, sentence_windows,
                                                 cross=cross_lingual(settings.crosslingual_model))
        self.retrieval_config = RetrievalConfig()
        # concurrent questions share encoder and Chroma calls beneath ask() (knowledge/querybatch.py)
        self.batching = QueryBatching(
            embedder=self.embedder,
            store=lambda: self.store,
            enabled=settings.batch_queries,
            max_batch=settings.batch_max,
            lanes=encoder_lanes(self.embedder, os.cpu_count() or 1),
        )

    # -- start-up -------------------------------------------------------------------------
    def warm_up(self) -> None:
        """Load the model, open the store and the lexical index; StoreMissing when empty."""
        self.embedder.warm_up()
        # the first encode initialises the runtime: keep that cost off the first question
        self.embedder.embed_query("warm-up")
        # so do the reader's weights and the gazetteer and concept patterns (compiled on first use)
        self.reader.warm_up()
        store = ChunkStore(self.settings, self.embedder.name, self.embedder.dim)
        store.open(create=False)
        if store.count() == 0:
            raise StoreMissing(store.where)
        self._store = store
        self._refresh()

    @property
    def store(self) -> ChunkStore:
        if self._store is None:
            self.warm_up()
        assert self._store is not None
        return self._store

    def _refresh(self) -> None:
        """Reload the manifest and BM25 index when an ingestion run has changed them."""
        path = manifest_path(self.settings)
        mtime = path.stat().st_mtime if path.exists() else 0.0
        if mtime == self._manifest_mtime and self._manifest is not None:
            return
        with self._lock:
            manifest = Manifest(path)
            # reuse the engine's open store: no second client per refresh
            store = self._store or ChunkStore(self.settings, self.embedder.name, self.embedder.dim)
            derived = refresh_derived(self.settings, store, manifest.generation)
            if derived.lexical is not None:  # the name keys of its words: built here, not on a question
                _ = derived.lexical.name_keys
            self._manifest, self._lexical = manifest, derived.lexical
            self._stats, self._sentence_stats = derived.chunk_stats, derived.sentence_stats
            self._manifest_mtime = mtime

    def _stored_sentences(self, keys: list[tuple[str, str]]) -> dict[tuple[str, str], np.ndarray]:
        ids = {sentence_id(doc_id, s): (doc_id, s) for doc_id, s in keys}
        return {ids[i]: v for i, v in self.store.sentence_vectors(list(ids)).items()}

    def retriever(self) -> Retriever:
        return Retriever(
            self.store,
            self.batching.embed_query,
            lambda: self._lexical,
            lambda: self._stats,
            self.retrieval_config,
            dense_query=self.batching.dense_query,
            fetch=self.batching.fetch,
        )

    # -- questions ------------------------------------------------------------------------
    def ask(self, question: str, *, previous: str | None = None, flt: SearchFilter | None = None) -> Answer:
        """Answer one question (blocking: model and store). Bad input gives an abstention."""
        return self.ask_traced(question, previous=previous, flt=flt)[0]

    def ask_traced(
        self, question: str, *, previous: str | None = None, flt: SearchFilter | None = None
    ) -> tuple[Answer, list[Passage]]:
        """The answer and the passages it was read from (for evaluation and debugging)."""
        started = time.perf_counter()
        text = clean_question(question)
        language = detect_language(text) if text else "en"
        if not has_words(text):
            return abstention(question, language, "empty question", []), []
        ctx, timings = self.read_context(text, previous=previous, flt=flt)
        t = time.perf_counter()
        answer = self.reader.read(ctx)
        timings["compose_ms"] = (time.perf_counter() - t) * 1000
        timings["total_ms"] = (time.perf_counter() - started) * 1000
        answer = dataclasses.replace(answer, question=question, timings={**answer.timings, **timings})
        return answer, list(ctx.passages)

    def read_context(
        self, question: str, *, previous: str | None = None, flt: SearchFilter | None = None
    ) -> tuple[ReadContext, dict[str, float]]:
        """Retrieve for a cleaned question: what a reader reads, and the retrieval timings."""
        _ = self.store  # opens the store (and loads the model) on first use
        self._refresh()
        text = expand_chat_speak(question)
        query = text
        profile = profile_question(text)
        if previous and is_follow_up(text):
            query = f"{clean_question(previous)} {text}"
            profile = follow_up_profile(profile, profile_question(previous))
        found = self.retriever().search(query, self.settings.top_k, flt)
        stats = self._sentence_stats
        # a question about a document that names its outlet ("the Delovoy Irtysh piece") reads
        # that outlet's documents first, retrieved or not (another script, another language)
        named = self._named_documents(text, found.passages) if profile.meta else []
        ctx = ReadContext(
            question=text,
            language=detect_language(text),
            profile=profile,
            passages=[*named, *found.passages],
            query_vector=found.query_vector,
            normalise=stats.normalise if stats is not None else None,
        )
        timings = dict(found.timings)
        parts = part_contexts(ctx)
        if len(parts) > 1:
            # a question that asks several things: each part is also retrieved for on its own, its
            # passages alternating with the whole question's (measured on the pending sets: the
            # second part's evidence is often not among the whole question's passages)
            t = time.perf_counter()
            ctx = dataclasses.replace(ctx, parts=tuple(self._part_context(part, ctx, flt) for part in parts))
            timings["parts_ms"] = (time.perf_counter() - t) * 1000
        return ctx, timings

    def _part_context(self, part: ReadContext, whole: ReadContext, flt: SearchFilter | None) -> ReadContext:
        found = self.retriever().search(part.question, self.settings.top_k, flt)
        passages = interleaved(found.passages, whole.passages, len(whole.passages))
        return dataclasses.replace(part, passages=passages, query_vector=found.query_vector)

    def _named_documents(self, question: str, found: Sequence[Passage], most: int = 3) -> list[Passage]:
        """The first passage of each document not retrieved (up to ``most``) whose publisher the
        question names (each distinct publisher compared once)."""
        entries = self._manifest.entries.values() if self._manifest else []
        have = {p.chunk.doc_id for p in found}
        by_source: dict[str, list[str]] = {}
        for entry in entries:
            if entry.source and entry.doc_id not in have:
                by_source.setdefault(entry.source, []).append(entry.doc_id)
        docs = [doc for source, ids in by_source.items() if names(source, question) for doc in ids][:most]
        out = []
        for doc in docs:
            chunks = self.store.get(sorted(self.store.ids_for_doc(doc))).values()
            if (first := min(chunks, key=lambda c: c.position, default=None)) is not None:
                out.append(Passage(chunk=first, score=0.0))
        return out

    # -- facts, sources, stats -------------------------------------------------------------
    def fact_cards(self, topic: str | None = None) -> list[FactCard]:
        self._refresh()
        entries = self._manifest.entries.values() if self._manifest else []
        text = "{0.headline}\n{0.sentence}\n{0.citation.title}".format
        cards = [c for e in entries for c in e.facts if topic_matches(topic, c.tags, text(c))]
        return sorted(cards, key=lambda c: (-c.score, c.card_id))

    def sources(self) -> list[SourceInfo]:
        self._refresh()
        entries = self._manifest.entries.values() if self._manifest else []
        infos = [e.source_info() for e in entries]
        return sorted(infos, key=lambda s: (s.date or "0000", s.title), reverse=True)

    def doc_ids(self) -> dict[str, str]:
        """Source key (the file's path) -> doc id, for every ingested document."""
        self._refresh()
        entries = self._manifest.entries if self._manifest else {}
        return {key: e.doc_id for key, e in entries.items()}

    def counts(self) -> tuple[int, int]:
        self._refresh()
        docs = len(self._manifest.entries) if self._manifest else 0
        return docs, self.store.count()

    def ingest(self, paths: Sequence[Path], *, prune: bool = False) -> IngestReport:
        """Ingest with the same code as scripts/ingest.py, then pick up the new state."""
        with self._lock:
            report = Ingester(self.settings, self.embedder).run(paths, prune=prune)
            self._manifest_mtime = -1.0
        if self._store is None:
            self.warm_up()
        self._refresh()
        return report


def cross_lingual(name: str) -> CrossLingual | None:
    """The reader's second encoder for sentences in another language ('' = none)."""
    if not name.strip():
        return None
    embedder = make_embedder(name, setting="KB_CROSSLINGUAL_MODEL")
    return CrossLingual(query=embedder.embed_query, vectors=VectorCache(embedder.embed_documents))


def encoder_lanes(embedder: Embedder, cores: int) -> int:
    """Query batches that may encode at once: one per ``query_threads`` cores when the embedder
    sets its threads per call, else one (a batch then uses every core)."""
    if not embedder.threads_per_call or embedder.query_threads < 1:
        return 1
    return max(1, cores // embedder.query_threads)


def is_follow_up(text: str) -> bool:
    """A question that only makes sense after the previous one: "and in 2023?", "what about
    Kazakhstan?", "а в 2023?", "那2023年呢？", or anything of at most two words."""
    lowered = text.lower()
    starts = ("and ", "what about", "how about", "а ", "и ", "а что", "那", "还有")
    short = len(text.split()) <= _FOLLOW_UP_WORDS and len(text) <= 24
    return short or lowered.startswith(starts) or text.rstrip("?？ ").endswith("呢")
