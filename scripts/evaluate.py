"""Evaluate retrieval, answers and abstention on a question set.

    python scripts/evaluate.py --questions ../shared/eval/dev_qa.jsonl --docs ../shared/corpus/seed
    python scripts/evaluate.py --questions FILE.jsonl --docs A B --json

Builds (or reuses, when the documents are unchanged) an index under --data-dir (default: a
directory per document set under ./data/eval), asks every question in one process and prints
recall@k, MRR, keyword hit rate, citation precision, abstention precision/recall and latency
percentiles, overall, per language and per kind.
"""

from __future__ import annotations

import argparse
import dataclasses
import hashlib
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from knowledge.engine import Engine
from knowledge.errors import KnowledgeError
from knowledge.evaluation import Result, breakdown, load_questions, score
from knowledge.settings import load_knowledge_settings

COLUMNS = (
    "n",
    "recall_at_k",
    "mrr",
    "keyword_hit",
    "citation_precision",
    "abstain_precision",
    "abstain_recall",
    "answerable_abstained",
    "p50_ms",
    "p95_ms",
)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--questions", type=Path, required=True)
    ap.add_argument("--docs", type=Path, nargs="+", required=True, help="documents to index")
    ap.add_argument("--data-dir", type=Path, help="index location (default: data/eval/<hash of --docs>)")
    ap.add_argument("-k", type=int, default=5, help="cut-off for recall@k")
    ap.add_argument("--model", help="embedding model (default: KB_EMBEDDING_MODEL)")
    ap.add_argument("--json", action="store_true")
    ap.add_argument("--show", action="store_true", help="print every question's answer")
    args = ap.parse_args(argv)
    key = hashlib.sha1("|".join(sorted(str(p.resolve()) for p in args.docs)).encode()).hexdigest()[:10]
    overrides: dict[str, object] = {}
    if args.model:
        overrides["embedding_model"] = args.model
    try:
        settings = load_knowledge_settings(**overrides)
        model = settings.embedding_model.replace("/", "_")
        data_dir = args.data_dir or settings.data_dir / "eval" / f"{key}-{model}"
        settings = settings.model_copy(update={"data_dir": data_dir})
        engine = Engine(settings)
        report = engine.ingest(args.docs)
        results: list[Result] = []
        for q in load_questions(args.questions):
            answer, passages = engine.ask_traced(q.question)
            results.append(score(q, answer, passages))
    except KnowledgeError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    table = breakdown(results, args.k)
    if args.json:
        out = {name: dataclasses.asdict(s) for name, s in table.items()}
        out["_meta"] = {
            "model": settings.embedding_model,
            "docs": [str(p) for p in args.docs],
            "k": args.k,
            "ingest": report.to_json(),
        }
        print(json.dumps(out, ensure_ascii=False, indent=1))
        return 0
    if args.show:
        for r in results:
            mark = "ABSTAIN" if r.abstained else ("ok " if r.keyword_hit == 1 else "MISS")
            print(f"{r.q.id} [{r.q.lang}] {mark} ev@{r.found_at} kw={r.keyword_hit:.2f} :: {r.answer[:160]}")
    print(f"model={settings.embedding_model} docs={' '.join(map(str, args.docs))} k={args.k}")
    print("| group | " + " | ".join(COLUMNS) + " |")
    print("|---" * (len(COLUMNS) + 1) + "|")
    for name, s in table.items():
        vals = [getattr(s, c) for c in COLUMNS]
        print(f"| {name} | " + " | ".join("–" if v is None else str(v) for v in vals) + " |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
