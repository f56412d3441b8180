"""The evaluation suite: our own questions (``eval/questions``) over the bundled knowledge, the
shared seed and notes, and our web-copied pages (``eval/pages``), with a frozen tune/test split.

Used by ``scripts/evaluate.py``, ``scripts/fit_reader.py`` and the answer-quality tests.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from knowledge.engine import Engine, clean_question
from knowledge.evaluation import Question, Result, assign_splits, load_questions, norm, score, with_splits
from knowledge.reader import ExtractiveReader
from knowledge.text import YEAR

ROOT = Path(__file__).resolve().parents[1]
EVAL_DIR = ROOT / "eval"
SPLIT_FILE = EVAL_DIR / "split.json"
BUNDLED = Path(__file__).resolve().parent / "corpus"


@dataclass(frozen=True, kw_only=True)
class Suite:
    questions: list[Question]
    documents: list[Path]


def suite_documents(shared: Path) -> list[Path]:
    pages = sorted(p for p in (EVAL_DIR / "pages").rglob("*.txt"))
    return [BUNDLED, shared / "corpus" / "seed", shared / "corpus" / "notes", *pages]


def frozen_splits() -> dict[str, str]:
    return json.loads(SPLIT_FILE.read_text(encoding="utf-8")) if SPLIT_FILE.exists() else {}


def freeze_splits(questions: Sequence[Question]) -> dict[str, str]:
    """Add split assignments for new questions (existing ones never move) and save them."""
    splits = assign_splits(questions, frozen_splits())
    SPLIT_FILE.write_text(json.dumps(dict(sorted(splits.items())), indent=1) + "\n", encoding="utf-8")
    return splits


def load_suite(shared: Path, split: str = "all") -> Suite:
    """The suite's questions with their frozen split ("tune", "test" or "all")."""
    files = sorted((EVAL_DIR / "questions").glob("*.jsonl"))
    questions = with_splits(load_questions(*files), frozen_splits())
    missing = [q.id for q in questions if not q.split]
    if missing:
        raise ValueError(f"questions without a frozen split: {missing[:5]}; run evaluate.py --freeze-split")
    if split != "all":
        questions = [q for q in questions if q.split == split]
    return Suite(questions=questions, documents=suite_documents(shared))


def doc_ids_by_name(engine: Engine) -> dict[str, str]:
    """Document file name -> doc id, from the engine's manifest."""
    return {Path(key).name: doc_id for key, doc_id in engine.doc_ids().items()}


def run(engine: Engine, questions: Sequence[Question]) -> list[Result]:
    ids = doc_ids_by_name(engine)
    out = []
    for q in questions:
        answer, passages = engine.ask_traced(q.question)
        out.append(score(q, answer, passages, ids))
    return out


_GROUPED = re.compile(r"(?<=\d)[\s,.\u00a0\u202f](?=\d{3}(?!\d))")


def _numbers(text: str) -> set[str]:
    """The digit runs of a text, with thousands separators removed ("1 063", "1,063" -> "1063")."""
    return set(re.findall(r"\d+", _GROUPED.sub("", text)))


def restates_figures(q: Question, sentence: str) -> bool:
    """The sentence carries every figure the answer needs (not a bare year) without holding the
    evidence string: most often the same fact in a parallel document in another language
    ("523 километров" for "about 523 kilometers"). Such a sentence is neither a clean positive
    nor a clean negative, so it is left out of training."""
    figures = [k for k in q.keywords if any(ch.isdigit() for ch in k) and not YEAR.fullmatch(k.strip())]
    if not figures:
        return False
    said = _numbers(sentence)
    return all(_numbers(k) <= said for k in figures)


def training_rows(engine: Engine, questions: Sequence[Question]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Candidate features, labels (the sentence holds an evidence string) and question index, for
    every question the scorer decides (metadata questions are answered from metadata instead).
    A sentence that restates the answer's figures elsewhere is left out (``restates_figures``)."""
    feats: list[np.ndarray] = []
    labels: list[int] = []
    groups: list[int] = []
    for i, q in enumerate(questions):
        ctx, _ = engine.read_context(clean_question(q.question))
        if ctx.profile.meta:
            continue
        candidates = engine.reader.candidates(ctx) if isinstance(engine.reader, ExtractiveReader) else []
        evidence = [norm(e) for e in q.evidence] if q.answerable else []
        for c in candidates:
            label = int(any(e in norm(c.sentence) for e in evidence))
            if not label and q.answerable and restates_figures(q, c.sentence):
                continue
            feats.append(c.features)
            labels.append(label)
            groups.append(i)
    width = len(feats[0]) if feats else 0
    return (np.vstack(feats) if feats else np.zeros((0, width)), np.asarray(labels), np.asarray(groups))
