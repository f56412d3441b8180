"""What the reader's sentence-vector lookup costs on a big Chroma server store.

``python -m bench.lookup --port P [--out FILE]`` against a running ``chroma run`` server (the
1M benchmark store: ``bench.million``). The reader asks the store for the vectors of a fresh
question's sentences in one ``get`` by ids (``ChunkStore.sentence_vectors``); this times that
call, with ids drawn at random from each collection, on collections from a few hundred to
700k records, so that the lookup's growth with the collection's size is measured rather than
assumed.
"""

from __future__ import annotations

import argparse
import json
import random
import time
from pathlib import Path
from typing import Any

from bench.common import load_average, summary

REPO = Path(__file__).resolve().parent.parent


def sample_ids(coll: Any, rng: random.Random, pages: int = 10, page: int = 200) -> list[str]:
    """Up to ``pages`` × ``page`` distinct ids read at random offsets."""
    count = coll.count()
    offsets = rng.sample(range(max(count - page, 1)), min(pages, max(count - page, 1)))
    ids = {i for off in offsets for i in coll.get(offset=off, limit=page, include=[])["ids"]}
    return sorted(ids)


def time_gets(coll: Any, ids: list[str], per_call: int, calls: int, rng: random.Random) -> dict[str, float]:
    took = []
    for _ in range(calls):
        pick = rng.sample(ids, min(per_call, len(ids)))
        start = time.perf_counter()
        res = coll.get(ids=pick, include=["embeddings"])
        took.append((time.perf_counter() - start) * 1000)
        if len(res["ids"]) != len(pick):
            raise RuntimeError(f"{coll.name}: asked {len(pick)} ids, got {len(res['ids'])}")
    return summary(took)


def run(host: str, port: int, calls: int) -> dict[str, Any]:
    import chromadb

    client = chromadb.HttpClient(host=host, port=port)
    rng = random.Random(7)
    result: dict[str, Any] = {"load_average": load_average(), "collections": {}}
    for coll in client.list_collections():
        coll = client.get_collection(coll.name)
        if coll.count() == 0:
            continue
        ids = sample_ids(coll, rng)
        result["collections"][coll.name] = {
            "records": coll.count(),
            **{f"get_{n}_ids_ms": time_gets(coll, ids, n, calls, rng) for n in (50, 100, 200)},
        }
    result["load_average_end"] = load_average()
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--calls", type=int, default=60)
    parser.add_argument("--out", type=Path, default=REPO / "bench" / "sentence_lookup_1m.json")
    args = parser.parse_args(argv)
    result = run(args.host, args.port, args.calls)
    args.out.write_text(json.dumps(result, indent=1) + "\n", encoding="utf-8")
    for name, row in result["collections"].items():
        print(name, row["records"], {k: (v["p50"], v["p95"]) for k, v in row.items() if k != "records"})
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
