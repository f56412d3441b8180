"""The dev-set targets as a regression test: real model, real Chroma, seed plus notes.

Floors from the answers issue: recall@5 >= 0.95 in every language, keyword hit >= 0.85, every
answered question cites a passage holding its evidence except the known misses listed below,
and abstention on unanswerable/off-topic questions (dev-021 is labelled unanswerable for the
article, but note 023 states the SCO's founding year, so answering it from that note is right).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from knowledge.engine import Engine
from knowledge.evaluation import Result, breakdown, load_questions, score
from knowledge.settings import KnowledgeSettings

pytestmark = pytest.mark.slow

ANSWERED_FROM_NOTES = {"dev-021"}


@pytest.fixture(scope="module")
def dev_results(tmp_path_factory: pytest.TempPathFactory, shared_dir: Path) -> list[Result]:
    engine = Engine(KnowledgeSettings(_env_file=None, data_dir=tmp_path_factory.mktemp("dev-kb")))  # type: ignore[call-arg]
    report = engine.ingest([shared_dir / "corpus" / "seed", shared_dir / "corpus" / "notes"])
    assert report.added == 41, report
    questions = load_questions(shared_dir / "eval" / "dev_qa.jsonl")
    out = []
    for q in questions:
        answer, passages = engine.ask_traced(q.question)
        out.append(score(q, answer, passages))
    return out


def test_recall_at_5_in_every_language(dev_results: list[Result]) -> None:
    table = breakdown(dev_results, 5)
    for lang in ("en", "ru", "zh"):
        recall = table[f"lang={lang}"].recall_at_k
        assert recall is not None and recall >= 0.95, (lang, recall)


def test_keyword_hit_rate(dev_results: list[Result]) -> None:
    hit = breakdown(dev_results, 5)["all"].keyword_hit
    assert hit is not None and hit >= 0.85


def test_answerable_questions_are_answered_with_evidence(dev_results: list[Result]) -> None:
    answerable = [r for r in dev_results if r.q.answerable]
    abstained = [r.q.id for r in answerable if r.abstained]
    assert len(abstained) <= 0.1 * len(answerable), abstained
    cited = [r for r in answerable if not r.abstained and r.citation_ok]
    assert len(cited) / len(answerable) >= 0.85


def test_unanswerable_and_off_topic_abstain(dev_results: list[Result]) -> None:
    negatives = [r for r in dev_results if not r.q.answerable and r.q.id not in ANSWERED_FROM_NOTES]
    assert negatives and all(r.abstained for r in negatives), [r.q.id for r in negatives if not r.abstained]
