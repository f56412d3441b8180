"""The shared text helpers: dates written the way a reader of each language writes them."""

from __future__ import annotations

import pytest

from knowledge.evaluation import Question, score, split_key
from knowledge.models import Answer
from knowledge.text import find_date, human_date, iso_dates


@pytest.mark.parametrize(
    ("iso", "lang", "expected"),
    [
        ("2025-06-03", "en", "3 June 2025"),
        ("2025-06-03", "ru", "3 июня 2025 года"),
        ("2025-06-03", "zh", "2025年6月3日"),
        ("2024-11", "en", "November 2024"),
        ("2024-11", "ru", "ноябрь 2024"),
        ("2024-11", "zh", "2024年11月"),
        ("2024", "ru", "2024"),
        ("2025-13-01", "en", "2025-13-01"),  # not a date: shown as stored
        ("", "en", ""),
        ("soon", "zh", "soon"),
    ],
)
def test_human_date(iso: str, lang: str, expected: str) -> None:
    assert human_date(iso, lang) == expected


@pytest.mark.parametrize("iso", ["2025-06-03", "2024-01-31", "2023-12-09"])
def test_human_date_reads_back(iso: str) -> None:
    for lang in ("en", "ru", "zh"):
        assert find_date(human_date(iso, lang))[0] == iso


def test_iso_dates_finds_every_form() -> None:
    text = "发布于2025年3月18日。 Signed on 3 June 2025; see also 2024-01-02 and 5 мая 2023 года."
    assert sorted(iso_dates(text)) == ["2023-05-05", "2024-01-02", "2025-03-18", "2025-06-03"]
    assert iso_dates("No date here, only 2025 and 31.02.") == []


def test_a_date_keyword_matches_the_date_in_any_written_form() -> None:
    question = Question(id="q", question="When was it published?", lang="zh", answerable=True,
                        evidence=(), keywords=("2025-03",), kind="metadata")

    def keyword_hit(text: str) -> float:
        answer = Answer(question=question.question, text=text, citations=(), abstained=False, language="zh")
        return score(question, answer, []).keyword_hit

    assert keyword_hit("《报道》发布于2025年3月18日。 [1]") == 1.0
    assert keyword_hit("Published on 18 March 2025. [1]") == 1.0
    assert keyword_hit("发布于2024年3月18日。 [1]") == 0.0


def test_questions_on_a_web_page_split_with_the_page() -> None:
    def question(qid: str, doc: str) -> Question:
        return Question(id=qid, question="?", lang="en", answerable=True, evidence=(), keywords=(),
                        kind="number", doc=doc)

    page = "ru-04-cherry-export.txt"
    # any new question on a page goes where the page's questions went: a test page is never tuned on
    assert split_key(question("pgen-001", page), {}) == f"doc:{page}"
    assert split_key(question("dir-001", page), {}) == f"doc:{page}"
    # other documents split by question, and a question frozen by its id keeps that key
    assert split_key(question("dir-002", "trade.md"), {}) == "id:dir-002"
    assert split_key(question("bund-020", page), {"id:bund-020": "tune"}) == "id:bund-020"


def test_a_date_glued_to_a_chinese_word_is_found_but_not_inside_a_number() -> None:
    assert find_date("来源：丝路网2024-11-20 16:07")[0] == "2024-11-20"
    assert find_date("订单号 12024-11-20")[0] == ""


def test_a_footnote_mark_after_the_full_stop_still_ends_a_sentence() -> None:
    from knowledge.text import SENTENCE_END

    for line in ("Trade reached USD 5.9 billion in 2025.¹", "It opened in 2024.[3]", "贸易额增长19%。[1]"):
        assert SENTENCE_END.search(line), line
    assert not SENTENCE_END.search("Trade reached USD 5.9 billion in 2025¹")


@pytest.mark.parametrize(
    "written",
    ["24 – 26 February 2026", "24-26 February 2026", "February 24–26, 2026", "24–26 февраля 2026 г."],
)
def test_a_range_of_days_is_dated_by_its_first(written: str) -> None:
    assert find_date(written)[0] == "2026-02-24"
