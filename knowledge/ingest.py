"""Files in, indexed knowledge out: incremental, idempotent and crash-safe.

Per document the order is: load and chunk, embed, upsert the new chunks (content-derived ids, so
re-running is a no-op), delete the document's chunks that are no longer current, and only then
record the document's hash in the manifest. A run killed at any point therefore leaves every
document either at its old version or its new one (never half of one), and the manifest never
claims work that was not done: the next run redoes exactly the unfinished documents.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from knowledge.chunking import chunk_document, split_sentences
from knowledge.embeddings import Embedder
from knowledge.errors import DocumentError, StoreCorrupt
from knowledge.facts import extract_facts
from knowledge.langstats import LangStats
from knowledge.lexical import LexicalIndex
from knowledge.loaders import iter_files, load_document
from knowledge.models import Document
from knowledge.runlock import run_lock
from knowledge.settings import KnowledgeSettings
from knowledge.store import ChunkStore

log = logging.getLogger(__name__)
BUNDLED_DIR = Path(__file__).resolve().parent / "corpus"
CHUNK_TOKENS = 120
SAVE_EVERY_S = 2.0

Progress = Callable[[str, str], None]


@dataclass
class IngestReport:
    """What a run did; ``failed`` holds (path, reason) pairs."""

    added: int = 0
    updated: int = 0
    unchanged: int = 0
    removed: int = 0
    failed: list[tuple[str, str]] = field(default_factory=list)
    chunks_written: int = 0
    seconds: float = 0.0
    dry_run: bool = False

    @property
    def ok(self) -> bool:
        return not self.failed

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["failed"] = [{"path": p, "reason": r} for p, r in self.failed]
        data["ok"] = self.ok
        return data


class Manifest:
    """Document hashes and fact cards per source key, written atomically (temp file + rename)."""

    def __init__(self, path: Path, *, discard_corrupt: bool = False) -> None:
        self.path = path
        self.entries: dict[str, dict[str, Any]] = {}
        self.generation = 0
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            self.entries = dict(data["documents"])
            self.generation = int(data["generation"])
        except FileNotFoundError:
            pass
        except (OSError, ValueError, TypeError, KeyError, AttributeError) as exc:
            # Hashes of the source files cannot be recovered from the store: only a rebuild can
            # make the manifest trustworthy again, and --rebuild starts from an empty one.
            if not discard_corrupt:
                raise StoreCorrupt(
                    f"The ingestion manifest {path} is unreadable ({type(exc).__name__}: {exc}). "
                    "Re-index with `python scripts/ingest.py --rebuild PATH...` (the store is rebuilt "
                    "from your files; nothing else is lost)."
                ) from None
            self.entries, self.generation = {}, 0

    def save(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        tmp = self.path.with_suffix(".tmp")
        payload = {"generation": self.generation, "documents": self.entries}
        with tmp.open("w", encoding="utf-8") as fh:
            json.dump(payload, fh, ensure_ascii=False)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, self.path)


def _store_tag(settings: KnowledgeSettings) -> str:
    """Names the store in file names, so that an embedded and a server store sharing KB_DATA_DIR
    never share a manifest or a derived index."""
    s = settings
    suffix = f"{s.chroma_host}-{s.chroma_port}-" if s.uses_server else ""
    return f"{suffix}{s.collection}"


def manifest_path(settings: KnowledgeSettings) -> Path:
    return settings.data_dir / f"manifest-{_store_tag(settings)}.json"


def lexical_dir(settings: KnowledgeSettings) -> Path:
    return settings.data_dir / f"bm25-{_store_tag(settings)}"


def lock_path(settings: KnowledgeSettings) -> Path:
    return settings.data_dir / f"ingest-{_store_tag(settings)}.lock"


def langstats_path(settings: KnowledgeSettings, sentences: bool = False) -> Path:
    kind = "sentences" if sentences else "chunks"
    return settings.data_dir / f"langstats-{_store_tag(settings)}-{kind}.npz"


def sentence_id(doc_id: str, sentence: str) -> str:
    """Content-derived id of a sentence vector within its document."""
    return hashlib.sha1(f"{doc_id}\x00{sentence}".encode()).hexdigest()[:24]


def source_key_for(path: Path) -> str:
    """Stable identity of a file: bundled documents by name, others by absolute path."""
    resolved = path.resolve()
    if resolved.is_relative_to(BUNDLED_DIR):
        return "bundled/" + resolved.relative_to(BUNDLED_DIR).as_posix()
    return resolved.as_posix()


def _entry(doc: Document, n_chunks: int, facts: list[dict[str, Any]]) -> dict[str, Any]:
    m = doc.meta
    return {
        "doc_id": doc.doc_id,
        "hash": doc.content_hash,
        "title": m.title,
        "source": m.source,
        "date": m.date,
        "url": m.url,
        "lang": m.lang,
        "chunks": n_chunks,
        "facts": facts,
    }


class Ingester:
    """One ingestion run's collaborators; ``run`` is the whole job."""

    def __init__(self, settings: KnowledgeSettings, embedder: Embedder) -> None:
        self.settings = settings
        settings.apply_runtime()
        self.embedder = embedder
        self.store = ChunkStore(settings, embedder.name, embedder.dim)
        self._writing = False  # inside run(): this ingester holds the run lock

    def run(
        self,
        paths: Sequence[Path],
        *,
        dry_run: bool = False,
        rebuild: bool = False,
        prune: bool = False,
        progress: Progress | None = None,
    ) -> IngestReport:
        """The whole job; a second run on the same store waits for the first to finish."""
        if dry_run:
            return self._run(paths, dry_run=True, rebuild=rebuild, prune=prune, progress=progress)
        with run_lock(lock_path(self.settings), wait=True):
            self._writing = True
            try:
                return self._run(paths, dry_run=False, rebuild=rebuild, prune=prune, progress=progress)
            finally:
                self._writing = False

    def _run(
        self, paths: Sequence[Path], *, dry_run: bool, rebuild: bool, prune: bool, progress: Progress | None
    ) -> IngestReport:
        started = time.perf_counter()
        report = IngestReport(dry_run=dry_run)
        notify = progress or (lambda _p, _s: None)
        manifest = Manifest(manifest_path(self.settings), discard_corrupt=rebuild and not dry_run)
        if rebuild:  # a dry run only pretends: everything would be added anew
            if not dry_run:
                self.store.drop()
            manifest.entries, manifest.generation = {}, manifest.generation + 1
        if not dry_run:
            self.store.open(create=True)
        roots = [p.resolve() for p in paths]
        seen: set[str] = set()
        last_save = time.monotonic()
        changed = rebuild
        # A changed run's manifest carries a new generation from its first save on: if the run dies
        # after a periodic save, the derived indexes (older generation) are rebuilt by the next run.
        new_generation = manifest.generation + 1
        # With --prune, a file given by name that no longer exists is a deletion, not an error.
        walk = [r for r in roots if r.exists()] if prune else roots
        for path in iter_files(walk):
            key = source_key_for(path)
            seen.add(key)
            status = self._one(path, key, manifest, report, dry_run)
            changed = changed or status in ("added", "updated")
            notify(str(path), status)
            if not dry_run and time.monotonic() - last_save > SAVE_EVERY_S:
                if changed:
                    manifest.generation = new_generation
                manifest.save()
                last_save = time.monotonic()
        if prune:
            for key in sorted(k for k in manifest.entries if k not in seen and _under(k, roots)):
                if not dry_run:
                    doc_id = manifest.entries[key]["doc_id"]
                    self.store.delete_ids(sorted(self.store.ids_for_doc(doc_id)))
                    self.store.delete_ids(sorted(self.store.ids_for_doc(doc_id, True)), sentences=True)
                    del manifest.entries[key]
                report.removed += 1
                changed = True
                notify(key, "removed")
        if not dry_run:
            if changed:
                manifest.generation = new_generation
            manifest.save()
            self.refresh_derived(manifest.generation, force=changed)
        report.seconds = round(time.perf_counter() - started, 3)
        return report

    def _one(self, path: Path, key: str, manifest: Manifest, report: IngestReport, dry_run: bool) -> str:
        try:
            doc = load_document(path, source_key=key, max_bytes=int(self.settings.max_file_mb * 2**20))
        except DocumentError as exc:
            report.failed.append((str(path), exc.reason))
            return "failed"
        old = manifest.entries.get(key)
        # Trust the manifest only if the store agrees: a run that died after upserting an edit
        # (file since reverted) or an interrupted --rebuild leaves extra or missing chunks.
        if (
            old is not None
            and old.get("hash") == doc.content_hash
            and (dry_run or len(self.store.ids_for_doc(doc.doc_id)) == old.get("chunks"))
        ):
            report.unchanged += 1
            return "unchanged"
        try:
            chunks = chunk_document(doc, max_tokens=CHUNK_TOKENS, count_tokens=self.embedder.count_tokens)
        except Exception as exc:  # a chunker bug must cost one file, not the run
            log.exception("chunking failed for %s", path)
            report.failed.append((str(path), f"could not split into passages ({type(exc).__name__}: {exc})"))
            return "failed"
        if not chunks:
            report.failed.append((str(path), "no indexable text after cleaning"))
            return "failed"
        if not dry_run:
            # Sentences are embedded on their own: embedding each with its neighbour (a window)
            # was measured and raised the similarity of unrelated sentences (abstention recall on
            # the dev questions fell from 0.8 to 0.4). The composer quotes the neighbour instead.
            sentences = sorted({s for c in chunks for s in split_sentences(c.text)})
            vectors = self.embedder.embed_documents([c.text for c in chunks] + sentences)
            sentence_ids = [sentence_id(doc.doc_id, s) for s in sentences]
            self.store.upsert_sentences(
                doc.doc_id, doc.meta.lang or "en", sentence_ids, vectors[len(chunks) :]
            )
            self.store.upsert(chunks, vectors[: len(chunks)])
            stale = sorted(self.store.ids_for_doc(doc.doc_id) - {c.chunk_id for c in chunks})
            self.store.delete_ids(stale)
            stale = sorted(self.store.ids_for_doc(doc.doc_id, sentences=True) - set(sentence_ids))
            self.store.delete_ids(stale, sentences=True)
            facts = [card.to_json() for card in extract_facts(chunks, split_sentences)]
            manifest.entries[key] = _entry(doc, len(chunks), facts)
        report.chunks_written += len(chunks)
        if old is None:
            report.added += 1
            return "added"
        report.updated += 1
        return "updated"

    def refresh_derived(
        self, generation: int, *, force: bool = False
    ) -> tuple[LexicalIndex, LangStats, LangStats]:
        """BM25 index and chunk/sentence language statistics, rebuilt from the store unless current.

        Missing, unreadable or stale files are rebuilt; the rebuilt index is saved only by the
        ingestion run (or by a reader while no run is in progress), so a reader never labels an
        index built from a half-done run with the run's generation.
        """
        if self._writing:
            return self._derived(generation, force, save=True)
        with run_lock(lock_path(self.settings), wait=False) as free:
            return self._derived(generation, force, save=free)

    def _derived(self, generation: int, force: bool, save: bool) -> tuple[LexicalIndex, LangStats, LangStats]:
        if not self.store.is_open:
            self.store.open(create=False)
        directory = lexical_dir(self.settings)
        index = None if force else LexicalIndex.load(directory)
        if index is None or index.generation != generation:
            index = LexicalIndex.build(((c.chunk_id, c.text) for c in self.store.iter_chunks()), generation)
            if save:
                index.save(directory)
        stats = []
        for sentences in (False, True):
            path = langstats_path(self.settings, sentences)
            loaded = None if force else LangStats.load(path)
            if loaded is None or loaded.generation != generation:
                loaded = LangStats.build(self.store.iter_vectors(sentences), generation)
                if save:
                    loaded.save(path)
            stats.append(loaded)
        return index, stats[0], stats[1]


def _under(key: str, roots: Sequence[Path]) -> bool:
    """Whether a manifest key lies under one of this run's roots (what ``--prune`` may remove)."""
    path = BUNDLED_DIR / key.removeprefix("bundled/") if key.startswith("bundled/") else Path(key)
    return any(path == r or path.is_relative_to(r) for r in roots)
