"""Evaluate retrieval, answers and declining on a question set.

    python scripts/evaluate.py --suite --split test            # our suite, the frozen test split
    python scripts/evaluate.py --suite --split tune --show     # the split thresholds are fitted on
    python scripts/evaluate.py --questions ../shared/eval/dev_qa.jsonl --docs ../shared/corpus/seed
    python scripts/evaluate.py --suite --freeze-split          # give new questions a split, once
    python scripts/evaluate.py --suite --split test --answers before.json   # then, after a change:
    python scripts/evaluate.py --suite --split test --same-as before.json   # exit 1 if answers moved

Builds (or reuses, when the documents are unchanged) an index under --data-dir (default: a
directory per document set under ./data/eval), asks every question in one process and prints
recall@k, MRR, keyword hit, citation precision, declining precision/recall and latency, overall
and per language (and per kind with --kinds).
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
from knowledge.evalsuite import freeze_splits, load_suite, run
from knowledge.evaluation import Question, answers_record, breakdown, changed_answers, load_questions
from knowledge.reader import ExtractiveReader
from knowledge.scorer import Scorer
from knowledge.settings import KnowledgeSettings, load_knowledge_settings

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
SHARED = Path(__file__).resolve().parents[2] / "shared"


def suite_engine(
    docs: list[Path], data_dir: Path | None, model: str | None, scorer: Scorer | None = None
) -> tuple[Engine, KnowledgeSettings]:
    """An engine over ``docs``, its index kept per document set and model under data/eval;
    ``scorer`` replaces the packaged reader weights (fitting starts from a neutral one)."""
    key = hashlib.sha1("|".join(sorted(str(p.resolve()) for p in docs)).encode()).hexdigest()[:10]
    settings = load_knowledge_settings(**({"embedding_model": model} if model else {}))
    name = settings.embedding_model.replace("/", "_")
    where = data_dir or settings.data_dir / "eval" / f"{key}-{name}"
    settings = settings.model_copy(update={"data_dir": where})
    engine = Engine(settings)
    if scorer is not None and isinstance(engine.reader, ExtractiveReader):
        engine.reader.scorer = scorer
    engine.ingest(docs)
    return engine, settings


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--suite", action="store_true", help="our question suite over its documents")
    ap.add_argument("--split", choices=("tune", "test", "all"), default="all", help="with --suite")
    ap.add_argument("--freeze-split", action="store_true", help="assign splits to new suite questions")
    ap.add_argument("--shared", type=Path, default=SHARED, help="the shared material (seed, notes)")
    ap.add_argument("--questions", type=Path, nargs="+")
    ap.add_argument("--docs", type=Path, nargs="+", help="documents to index")
    ap.add_argument("--data-dir", type=Path, help="index location (default: data/eval/<hash of --docs>)")
    ap.add_argument("-k", type=int, default=5, help="cut-off for recall@k")
    ap.add_argument("--model", help="embedding model (default: KB_EMBEDDING_MODEL)")
    ap.add_argument("--kinds", action="store_true", help="break results down by question kind too")
    ap.add_argument("--json", action="store_true")
    ap.add_argument("--show", action="store_true", help="print every question's answer")
    ap.add_argument("--answers", type=Path, help="write each answer and its citations to this JSON")
    ap.add_argument("--same-as", type=Path, help="an earlier --answers file: exit 1 if any answer differs")
    args = ap.parse_args(argv)
    questions: list[Question]
    if args.freeze_split:
        files = sorted((Path(__file__).resolve().parents[1] / "eval" / "questions").glob("*.jsonl"))
        splits = freeze_splits(load_questions(*files))
        print(f"{len(splits)} split keys frozen in eval/split.json")
        return 0
    if args.suite:
        suite = load_suite(args.shared, args.split)
        questions, docs = suite.questions, suite.documents
    elif args.questions and args.docs:
        questions, docs = load_questions(*args.questions), args.docs
    else:
        ap.error("give --suite, or --questions and --docs")
    try:
        engine, settings = suite_engine(docs, args.data_dir, args.model)
        results = run(engine, questions)
    except KnowledgeError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    record = answers_record(results)
    if args.answers:
        args.answers.write_text(json.dumps(record, ensure_ascii=False, indent=1), encoding="utf-8")
    if args.same_as:
        changed = changed_answers(json.loads(args.same_as.read_text(encoding="utf-8")), record)
        print(f"{len(changed)} of {len(record)} answers differ from {args.same_as}: {' '.join(changed)}")
        if changed:
            return 1
    table = breakdown(results, args.k, kinds=args.kinds)
    if args.json:
        out = {name: dataclasses.asdict(s) for name, s in table.items()}
        out["_meta"] = {"model": settings.embedding_model, "docs": [str(p) for p in docs], "k": args.k}
        print(json.dumps(out, ensure_ascii=False, indent=1))
        return 0
    if args.show:
        for r in results:
            mark = "DECLINE" if r.abstained else ("ok " if r.keyword_hit == 1 else "MISS")
            cite = "cited" if r.citation_ok else "uncited"
            want = "ans" if r.q.answerable else "NEG"
            print(f"{r.q.id} [{r.q.lang}/{r.q.kind}/{want}] {mark} {cite} ev@{r.found_at} "
                  f"kw={r.keyword_hit:.2f} :: {r.q.question[:70]} => {r.answer[:200]}")
    print(f"model={settings.embedding_model} questions={len(questions)} split={args.split} k={args.k}")
    print("| group | " + " | ".join(COLUMNS) + " |")
    print("|---" * (len(COLUMNS) + 1) + "|")
    for name, s in table.items():
        vals = [getattr(s, c) for c in COLUMNS]
        print(f"| {name} | " + " | ".join("–" if v is None else str(v) for v in vals) + " |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
