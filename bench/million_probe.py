"""One fresh engine process against the big server store: memory, dense, lexical, whole answers.

``python -m bench.million_probe --data-dir KB --port P --pool pool.npz --out FILE`` (run by
``bench.million``). The engine is the real ``Engine`` (warm-up loads the saved BM25 index and
statistics, as the bot does); the only substitution is the reader's sentence-vector source for
generated passages, which comes from the embedded sentence pool instead of Chroma.
"""

from __future__ import annotations

import argparse
import json
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

from bench.common import DEV_QA, load_average, proc_status_kb, summary
from bench.latency import STEPS
from bench.scaling import lexical_queries

K = 30
GEN_DOC_PREFIX = "gen-"
Keys = list[tuple[str, str]]
Lookup = Callable[[Keys], dict[tuple[str, str], np.ndarray]]


def pool_lookup(path: Path) -> dict[str, np.ndarray]:
    with np.load(path, allow_pickle=False) as data:
        langs = [k.split(":", 1)[1] for k in data.files if k.startswith("vec:")]
        return {
            str(t): v
            for lang in langs
            for t, v in zip(data[f"text:{lang}"], data[f"vec:{lang}"], strict=True)
        }


def split_lookup(pool: dict[str, np.ndarray], stored: Lookup, misses: list[int]) -> Lookup:
    """Sentence vectors: generated documents' from the pool, the others' from the store."""

    def lookup(keys: Keys) -> dict[tuple[str, str], np.ndarray]:
        found = {k: pool[k[1]] for k in keys if k[0].startswith(GEN_DOC_PREFIX) and k[1] in pool}
        misses[0] += sum(1 for k in keys if k[0].startswith(GEN_DOC_PREFIX) and k[1] not in pool)
        rest = [k for k in keys if k not in found]
        return {**found, **(stored(rest) if rest else {})}

    return lookup


def make_engine(data_dir: Path, port: int, pool: dict[str, np.ndarray], misses: list[int]) -> Any:
    from knowledge.chunking import sentence_windows
    from knowledge.embeddings import make_embedder
    from knowledge.engine import Engine
    from knowledge.reader import ExtractiveReader, VectorCache
    from knowledge.settings import KnowledgeSettings

    settings = KnowledgeSettings(_env_file=None, data_dir=data_dir, chroma_host="127.0.0.1", chroma_port=port)  # type: ignore[call-arg]
    embedder = make_embedder(settings.embedding_model)
    engine = Engine(settings, embedder)
    cache = VectorCache(embedder.embed_documents, split_lookup(pool, engine._stored_sentences, misses))
    engine.sentence_vectors = cache
    engine.reader = ExtractiveReader(cache, sentence_windows)
    return engine


def count_dense(engine: Any, calls: dict[str, int]) -> None:
    """Count the engine's dense searches (one language's partition, or every partition) and the
    Chroma queries with a ``where`` on the language (the slow filtered kind; none expected)."""
    from chromadb.api.models.Collection import Collection

    inner, chroma_query = engine.batching.dense_query, Collection.query

    def counted(vector: np.ndarray, k: int, flt: Any = None) -> Any:
        calls["one_language" if flt is not None and flt.lang else "all_languages"] += 1
        return inner(vector, k, flt)

    def spied(col: Any, *args: Any, **kwargs: Any) -> Any:
        calls["chroma_queries"] += 1
        calls["chroma_queries_with_lang_where"] += "lang" in repr(kwargs.get("where"))
        return chroma_query(col, *args, **kwargs)

    engine.batching.dense_query = counted
    Collection.query = spied  # type: ignore[method-assign,assignment]


def raw_dense(engine: Any, questions: list[str]) -> dict[str, Any]:
    """``ChunkStore.query`` k=30 (with the records) over every language's partition (merged) and
    zh's only; ``ChunkStore.nearest`` k=90 (ids and similarities) of zh, as the retriever asks."""
    from knowledge.store import SearchFilter

    vectors = [engine.embedder.embed_query(q) for q in questions]
    zh = SearchFilter(lang="zh")
    calls = {
        "query_all_partitions_ms": lambda v: engine.store.query(v, K),
        "query_zh_partition_ms": lambda v: engine.store.query(v, K, zh),
        "nearest_zh_partition_k90_ms": lambda v: engine.store.nearest(v, 3 * K, zh),
    }
    out = {}
    for name, call in calls.items():
        took = []
        for v in vectors:
            t = time.perf_counter()
            call(v)
            took.append((time.perf_counter() - t) * 1000)
        out[name] = summary(took, 2)
    return out


def answers(engine: Any, questions: list[str], rounds: int) -> dict[str, Any]:
    samples: dict[str, list[float]] = {s: [] for s in (*STEPS, "dense_plus_lexical_ms")}
    abstained, cites_generated = 0, 0
    kinds = ("one_language", "all_languages", "chroma_queries", "chroma_queries_with_lang_where")
    calls = dict.fromkeys(kinds, 0)
    count_dense(engine, calls)
    for _ in range(rounds):
        for q in questions:
            ans = engine.ask(q)
            for step in STEPS:
                samples[step].append(float(ans.timings.get(step, 0.0)))
            samples["dense_plus_lexical_ms"].append(
                ans.timings.get("dense_ms", 0) + ans.timings.get("lexical_ms", 0)
            )
            abstained += ans.abstained
            cites_generated += any(c.doc_id.startswith(GEN_DOC_PREFIX) for c in ans.citations)
    n = rounds * len(questions)
    return {
        "questions": len(questions),
        "rounds": rounds,
        "steps_ms": {s: summary(v) for s, v in samples.items()},
        "abstained": abstained,
        "citing_generated": cites_generated,
        "dense_searches_per_answer": {k: round(v / n, 2) for k, v in calls.items()},
    }


def run(args: argparse.Namespace) -> dict[str, Any]:
    from knowledge.evaluation import load_questions

    misses = [0]
    before = proc_status_kb("VmRSS")
    engine = make_engine(args.data_dir, args.port, pool_lookup(args.pool), misses)
    pool_mb = (proc_status_kb("VmRSS") - before) / 1024
    t = time.perf_counter()
    engine.warm_up()
    warm_s = time.perf_counter() - t
    rss_warm = proc_status_kb("VmRSS") / 1024
    lexical = engine._lexical
    queries = lexical_queries()
    lat = []
    for q in queries:
        t = time.perf_counter()
        lexical.search(q, K)
        lat.append((time.perf_counter() - t) * 1000)
    dev = [q.question for q in load_questions(DEV_QA)]
    engine.ask(dev[0])  # first call pays lazy imports
    loads = [load_average()[0]]
    result = {
        "chunks": engine.store.count(),
        "lexical_docs": len(lexical.ids),
        "warm_up_s": round(warm_s, 1),
        "engine_rss_mb_after_warm_up": round(rss_warm, 1),
        "sentence_pool_in_memory_mb": round(pool_mb, 1),
        "lexical_search_ms": summary(lat, 2),
        "lexical_queries": len(queries),
        "dense_raw": raw_dense(engine, dev),
        "answer": answers(engine, dev, args.rounds),
        "engine_rss_mb_end": round(proc_status_kb("VmRSS") / 1024, 1),
        "engine_peak_rss_mb": round(proc_status_kb("VmHWM") / 1024, 1),
        "generated_sentences_not_in_pool": misses[0],
    }
    loads.append(load_average()[0])
    result["load_average_during_probe"] = loads
    return result


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--data-dir", type=Path, required=True)
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--pool", type=Path, required=True)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args()
    args.out.write_text(json.dumps(run(args), indent=1))


if __name__ == "__main__":
    main()
