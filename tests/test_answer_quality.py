"""Answer quality on the frozen test split of our own question suite (never tuned on), per
language, as the answers issue sets the floors; real model, real Chroma, all suite documents
(bundled knowledge, the shared seed and notes, our web-copied pages).

The tuning split and the shared dev questions are reported in the README beside these figures
(``scripts/evaluate.py --suite --split tune`` and ``--questions ../shared/eval/dev_qa.jsonl``).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from knowledge.engine import Engine
from knowledge.evalsuite import load_suite, run
from knowledge.evaluation import Result
from knowledge.settings import KnowledgeSettings
from knowledge.text import SENTENCE_END

pytestmark = pytest.mark.slow

# The answers issue's floors, per language. They are not met yet (README, "Evaluation": the
# frozen test split measures 0.50-0.57 keyword hit); the tests below that check them are marked
# as expected failures, so CI shows the gap without hiding it: an XPASS means a floor is reached.
FLOORS = {"keyword_hit": 0.85, "cited": 0.85, "declined": 0.85, "wrongly_declined": 0.10}
# What the engine reaches today on the test split, less a margin: a change that falls below these
# has made answers worse, and fails. Keyword hit and cited keep the bounds they had on the smaller
# split of before (0.50, 0.60). Declining is held per language about one question below today's
# level (8-9 unanswerable questions per language: one question moves "declined" by 0.11-0.13;
# these two bounds were 0.55 and 0.25 on the old split and had to move with it), and the pooled
# bounds over all 189 questions (26 unanswerable) are the tighter check. Measured
# 2026-12-07 (en / ru / zh): keyword hit 0.556 / 0.532 / 0.500, cited 0.745 / 0.848 / 0.656,
# declined 0.778 / 0.375 / 0.778, wrongly declined 0.236 / 0.298 / 0.273; pooled 0.534 / 0.75 /
# 0.654 / 0.264. The split grew that day from 112 questions to 189 with 15 new web-copied pages
# (11 of them test), which also stand as distractors beside the older questions; on the grown
# split the engine as it was before that day's work measures 0.472 / 0.745 / 0.654 / 0.325
# (pooled), so the pooled bounds sit at or above where it was.
GUARDS = {"keyword_hit": 0.50, "cited": 0.60, "declined": 0.25, "wrongly_declined": 0.36}
POOLED_GUARDS = {"keyword_hit": 0.48, "cited": 0.70, "declined": 0.50, "wrongly_declined": 0.30}


@pytest.fixture(scope="module")
def test_results(tmp_path_factory: pytest.TempPathFactory, shared_dir: Path) -> list[Result]:
    suite = load_suite(shared_dir, "test")
    engine = Engine(KnowledgeSettings(_env_file=None, data_dir=tmp_path_factory.mktemp("suite-kb")))  # type: ignore[call-arg]
    report = engine.ingest(suite.documents)
    # the shared notes folder holds an INDEX.tsv, which ingestion skips (it is not a document)
    assert report.added >= 60 and report.failed == [], report
    assert [Path(p).name for p, _ in report.skipped] == ["INDEX.tsv"], report
    return run(engine, suite.questions)


def _by_lang(results: list[Result], lang: str) -> list[Result]:
    return [r for r in results if lang in ("all", r.q.lang)]


def test_the_split_is_large_and_covers_every_language_and_kind(test_results: list[Result]) -> None:
    assert len(test_results) >= 90
    for lang in ("en", "ru", "zh"):
        rs = _by_lang(test_results, lang)
        assert sum(r.q.answerable for r in rs) >= 10 and sum(not r.q.answerable for r in rs) >= 3, lang
    kinds = {"absent", "off-topic", "metadata", "multi-part", "number", "conflict"}
    assert kinds <= {r.q.kind for r in test_results}


def _measures(results: list[Result], lang: str) -> dict[str, float]:
    rs = _by_lang(results, lang)
    answerable = [r for r in rs if r.q.answerable]
    answered = [r for r in answerable if not r.abstained]
    negatives = [r for r in rs if not r.q.answerable]
    return {
        "keyword_hit": sum(r.keyword_hit for r in answerable) / len(answerable),
        "cited": sum(r.citation_ok for r in answered) / max(len(answered), 1),
        "declined": sum(r.abstained for r in negatives) / len(negatives),
        "wrongly_declined": sum(r.abstained for r in answerable) / len(answerable),
    }


def _below(measured: dict[str, float], bounds: dict[str, float]) -> dict[str, tuple[float, float]]:
    """The measures on the wrong side of their bound (wrongly_declined is an upper bound)."""
    return {
        name: (round(value, 3), bounds[name])
        for name, value in measured.items()
        if (value > bounds[name] if name == "wrongly_declined" else value < bounds[name])
    }


@pytest.mark.parametrize("lang", ["en", "ru", "zh"])
def test_answers_hold_todays_level(test_results: list[Result], lang: str) -> None:
    missed = _below(_measures(test_results, lang), GUARDS)
    assert not missed, missed


def test_answers_hold_todays_level_over_all_languages(test_results: list[Result]) -> None:
    missed = _below(_measures(test_results, "all"), POOLED_GUARDS)
    assert not missed, missed


@pytest.mark.xfail(reason="issue 9's floors are not reached yet: see README, Evaluation", strict=False)
@pytest.mark.parametrize("lang", ["en", "ru", "zh"])
def test_answers_reach_the_issue_floors(test_results: list[Result], lang: str) -> None:
    missed = _below(_measures(test_results, lang), FLOORS)
    assert not missed, missed


def test_no_fragment_is_quoted_from_web_copied_pages(test_results: list[Result]) -> None:
    """Answers over our web-copied pages quote whole sentences: no hard-wrapped line ends, no
    headline, caption or credit line."""
    quoted = [
        (r.q.id, part.strip())
        for r in test_results
        if r.q.doc.startswith(("en-", "ru-", "zh-")) and not r.abstained
        for part in re.split(r"\[\d+\]", r.answer)
        if part.strip()
    ]
    assert len(quoted) >= 10
    fragments = [(qid, part[-60:]) for qid, part in quoted if not SENTENCE_END.search(part)]
    assert not fragments, fragments
