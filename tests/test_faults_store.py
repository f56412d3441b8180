"""A corrupted or mismatched store on disk: the CLIs say what to do, without a traceback."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from knowledge.embeddings import Embedder
from knowledge.ingest import Ingester
from knowledge.manifest import langstats_path, lexical_dir, manifest_path
from knowledge.settings import KnowledgeSettings

REPO = Path(__file__).resolve().parents[1]
pytestmark = [pytest.mark.slow, pytest.mark.usefixtures("kb_clean_env")]
DOC = "---\ntitle: Khorgos\nlang: en\n---\n\n" + (
    "Khorgos is a dry port on the China-Kazakhstan border. It opened in 2015.\n"
)


def build(tmp_path: Path, embedder: Embedder) -> tuple[KnowledgeSettings, Path]:
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "khorgos.md").write_text(DOC)
    settings = KnowledgeSettings(_env_file=None, data_dir=tmp_path / "data")  # type: ignore[call-arg]
    assert Ingester(settings, embedder).run([docs]).added == 1
    return settings, docs


def run(args: list[str], settings: KnowledgeSettings, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("KB_")}
    env["KB_DATA_DIR"] = str(settings.data_dir)
    return subprocess.run(
        [sys.executable, *args], env=env, cwd=cwd, capture_output=True, text=True, timeout=300
    )


def ask(settings: KnowledgeSettings, cwd: Path) -> subprocess.CompletedProcess[str]:
    return run(["-m", "bot", "ask", "What is Khorgos?"], settings, cwd)


def junk_sqlite(s: KnowledgeSettings) -> None:
    (s.chroma_dir / "chroma.sqlite3").write_bytes(b"not a database\x00" * 500)


def truncated_sqlite(s: KnowledgeSettings) -> None:
    path = s.chroma_dir / "chroma.sqlite3"
    path.write_bytes(path.read_bytes()[:3000])


def no_hnsw(s: KnowledgeSettings) -> None:
    for d in s.chroma_dir.iterdir():
        if d.is_dir():
            shutil.rmtree(d)


def corrupt_manifest(s: KnowledgeSettings) -> None:
    manifest_path(s).write_text('{"generation": 3, "documents": {"a": ')


CORRUPTIONS: dict[str, Callable[[KnowledgeSettings], None]] = {
    "junk sqlite": junk_sqlite,
    "truncated sqlite": truncated_sqlite,
    "deleted HNSW segment": no_hnsw,
    "corrupt manifest": corrupt_manifest,
}


@pytest.mark.parametrize("name", list(CORRUPTIONS))
def test_corrupted_store_is_a_clear_error(name: str, tmp_path: Path, kb_embedder: Embedder) -> None:
    settings, docs = build(tmp_path, kb_embedder)
    CORRUPTIONS[name](settings)
    asked = ask(settings, tmp_path)
    ingested = run([str(REPO / "scripts" / "ingest.py"), "--json", str(docs)], settings, tmp_path)
    for proc in (asked, ingested):
        out = proc.stdout + proc.stderr
        if proc.returncode == 0:  # chroma recovered by itself (e.g. rebuilt a missing segment)
            assert "Traceback" not in out
            continue
        assert "Traceback" not in out, out
        assert "--rebuild" in out or "ingest.py" in out, out
    rebuilt = run([str(REPO / "scripts" / "ingest.py"), "--json", "--rebuild", str(docs)], settings, tmp_path)
    if rebuilt.returncode == 0:  # after moving a junk store aside the user can always rebuild
        assert "Khorgos" in ask(settings, tmp_path).stdout


def test_other_model_in_collection_metadata(tmp_path: Path, kb_embedder: Embedder) -> None:
    settings, _ = build(tmp_path, kb_embedder)
    import chromadb
    from chromadb.config import Settings

    cfg = Settings(anonymized_telemetry=False, allow_reset=True)
    client = chromadb.PersistentClient(path=str(settings.chroma_dir), settings=cfg)
    client.get_collection("knowledge").modify(metadata={"embedding_model": "usem3", "dim": 512})
    asked = ask(settings, tmp_path)
    assert asked.returncode != 0 and "'usem3'" in asked.stderr and "Traceback" not in asked.stderr


@pytest.mark.parametrize("part", ["bm25", "langstats"])
def test_corrupt_derived_files_are_rebuilt_silently(part: str, tmp_path: Path, kb_embedder: Embedder) -> None:
    settings, _ = build(tmp_path, kb_embedder)
    if part == "bm25":
        for f in lexical_dir(settings).rglob("*"):
            if f.is_file():
                f.write_bytes(b"\x00junk" * 10)
    else:
        for sentences in (False, True):
            path = langstats_path(settings, sentences)
            path.write_bytes(path.read_bytes()[:100])
    asked = ask(settings, tmp_path)
    assert asked.returncode == 0 and "Khorgos" in asked.stdout, asked.stderr
