"""Evaluation metrics over questions with evidence strings and answer keywords (pure functions)."""

from __future__ import annotations

import hashlib
import json
import re
import statistics
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from knowledge.models import Answer, Passage
from knowledge.text import iso_dates

_QUOTES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u201c": '"', "\u201d": '"', "\u00a0": " "})


def norm(text: str) -> str:
    return re.sub(r"\s+", " ", text.translate(_QUOTES)).strip().casefold()


@dataclass(frozen=True, kw_only=True)
class Question:
    id: str
    question: str
    lang: str
    answerable: bool
    evidence: tuple[str, ...]
    keywords: tuple[str, ...]
    kind: str
    doc: str = ""  # file name of the document holding the answer
    split: str = ""  # "tune" or "test" (see ``assign_splits``)


def load_questions(*paths: Path) -> list[Question]:
    out: list[Question] = []
    for path in paths:
        for line in path.read_text(encoding="utf-8").splitlines():
            if not line.strip():
                continue
            d = json.loads(line)
            out.append(
                Question(
                    id=str(d.get("id", len(out))),
                    question=d["question"],
                    lang=d.get("lang", ""),
                    answerable=bool(d.get("answerable", True)),
                    evidence=tuple(d.get("evidence", ())),
                    keywords=tuple(d.get("answer_keywords", ())),
                    kind=d.get("kind", ""),
                    doc=d.get("doc", ""),
                )
            )
    return out


_PAGE = re.compile(r"(?:en|ru|zh)-\d\d-[\w-]+\.txt")  # a web-copied page of eval/pages


def split_key(q: Question, frozen: Mapping[str, str]) -> str:
    """What a question is split by: its page for web pages (a test page is never seen while
    tuning), otherwise the question itself; a question already frozen by its id keeps that key."""
    own = f"id:{q.id}"
    page = f"doc:{q.doc}" if _PAGE.fullmatch(q.doc) else ""
    if q.id.startswith("pg") and page:  # the page questions were always split by page (a stale
        return page                      # id entry in split.json must not move one of them)
    return own if own in frozen or not page else page


def assign_splits(questions: Sequence[Question], frozen: Mapping[str, str]) -> dict[str, str]:
    """Split assignments: the frozen ones kept, new keys halved by a hash (never re-drawn)."""
    out = dict(frozen)
    for q in questions:
        key = split_key(q, out)
        if key not in out:
            digest = int(hashlib.sha256(key.encode()).hexdigest(), 16)
            out[key] = "test" if digest % 2 else "tune"
    return out


def with_splits(questions: Sequence[Question], splits: Mapping[str, str]) -> list[Question]:
    return [replace(q, split=splits.get(split_key(q, splits), "")) for q in questions]


@dataclass
class Result:
    """One question's outcome."""

    q: Question
    found_at: list[int]  # per evidence string: 1-based rank of first passage holding it, 0 = not found
    keyword_hit: float
    abstained: bool
    citation_ok: bool
    latency_ms: float
    answer: str = ""
    citations: tuple[str, ...] = ()  # the cited chunk ids, in order


def evidence_ranks(evidence: Sequence[str], passages: Sequence[Passage]) -> list[int]:
    texts = [norm(p.chunk.text) for p in passages]
    return [next((i for i, t in enumerate(texts, start=1) if norm(ev) in t), 0) for ev in evidence]


def score(
    q: Question, answer: Answer, passages: Sequence[Passage], doc_ids: Mapping[str, str] | None = None
) -> Result:
    """One question's outcome. ``doc_ids`` maps document file names to doc ids, so that an answer
    without evidence strings (a metadata question) counts as cited when it cites the right document."""
    # a date counts in any of its written forms: "2025年3月18日" holds the keyword "2025-03"
    text = " ".join([norm(answer.text), *iso_dates(answer.text)])
    kw = sum(norm(k) in text for k in q.keywords) / len(q.keywords) if q.keywords else 0.0
    cited = [norm(c.snippet) + " " for c in answer.citations]
    by_id = {p.chunk.chunk_id: norm(p.chunk.text) for p in passages}
    cited_full = [by_id.get(c.chunk_id, "") for c in answer.citations]
    if q.evidence:
        ok = any(norm(ev) in t for ev in q.evidence for t in cited + cited_full)
    else:
        wanted = (doc_ids or {}).get(q.doc)
        ok = wanted is not None and any(c.doc_id == wanted for c in answer.citations)
    return Result(
        q,
        evidence_ranks(q.evidence, passages),
        kw,
        answer.abstained,
        ok,
        answer.timings.get("total_ms", 0.0),
        answer.text,
        tuple(c.chunk_id for c in answer.citations),
    )


def answers_record(results: Sequence[Result]) -> list[dict[str, Any]]:
    """Per question: the answer text, cited chunk ids and whether it declined (to diff two runs)."""
    return [
        {"id": r.q.id, "question": r.q.question, "answer": r.answer, "citations": list(r.citations),
         "abstained": r.abstained, "found_at": r.found_at}
        for r in results
    ]


def changed_answers(before: Sequence[Mapping[str, Any]], after: Sequence[Mapping[str, Any]]) -> list[str]:
    """Ids of the questions whose answer text, citations or declining differ between two
    ``answers_record``s (a question in only one of them counts as changed)."""
    def key(row: Mapping[str, Any]) -> tuple[Any, ...]:
        return row["answer"], list(row["citations"]), bool(row["abstained"])

    old, new = {r["id"]: key(r) for r in before}, {r["id"]: key(r) for r in after}
    return [i for i in dict.fromkeys([*old, *new]) if old.get(i) != new.get(i)]


@dataclass
class Summary:
    n: int
    recall_at_k: float | None
    mrr: float | None
    keyword_hit: float | None
    citation_precision: float | None
    abstain_precision: float | None
    abstain_recall: float | None
    answerable_abstained: float | None
    p50_ms: float
    p95_ms: float
    extra: dict[str, Any] = field(default_factory=dict)


def _mean(xs: Iterable[float]) -> float | None:
    xs = list(xs)
    return round(sum(xs) / len(xs), 3) if xs else None


def summarise(results: Sequence[Result], k: int) -> Summary:
    answerable = [r for r in results if r.q.answerable]
    with_evidence = [r for r in answerable if r.q.evidence]
    negatives = [r for r in results if not r.q.answerable]
    abstained = [r for r in results if r.abstained]
    answered = [r for r in answerable if not r.abstained]
    lat = sorted(r.latency_ms for r in results) or [0.0]
    p95 = lat[min(len(lat) - 1, round(0.95 * (len(lat) - 1)))]
    return Summary(
        n=len(results),
        recall_at_k=_mean(sum(0 < f <= k for f in r.found_at) / len(r.found_at) for r in with_evidence),
        mrr=_mean(1 / min((f for f in r.found_at if f), default=10**9) for r in with_evidence),
        keyword_hit=_mean(r.keyword_hit for r in answerable),
        citation_precision=_mean(float(r.citation_ok) for r in answered),
        abstain_precision=_mean(float(not r.q.answerable) for r in abstained) if abstained else None,
        abstain_recall=_mean(float(r.abstained) for r in negatives),
        answerable_abstained=_mean(float(r.abstained) for r in answerable),
        p50_ms=round(statistics.median(lat), 1),
        p95_ms=round(p95, 1),
    )


def breakdown(results: Sequence[Result], k: int, kinds: bool = True) -> dict[str, Summary]:
    """Overall, per language and (optionally) per kind."""
    groups: dict[str, list[Result]] = {"all": list(results)}
    for r in results:
        groups.setdefault(f"lang={r.q.lang}", []).append(r)
        if kinds:
            groups.setdefault(f"kind={r.q.kind}", []).append(r)
    return {name: summarise(rs, k) for name, rs in groups.items()}
