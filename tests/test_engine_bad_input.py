"""Bad questions get a clear answer or abstention from the real engine, never a traceback."""

from __future__ import annotations

from typing import Any

import pytest

pytestmark = pytest.mark.slow

BAD = [
    "",
    "   \n\t  ",
    "🙂🙂🚀",
    "x" * 10_000,
    "Where is Khorgos? " * 600,
    "Где Хоргос? 霍尔果斯在哪里? Where is Khorgos?",
    '<b>bold</b> <a href="javascript:alert(1)">x</a> **md** `code` &amp; Where is Khorgos?',
    "\u200b\u200f\u202e Where is Khorgos?\x00\x07",
]


@pytest.mark.parametrize("question", BAD, ids=range(len(BAD)))
def test_bad_questions_are_answered_or_declined(bot_engine: Any, question: str) -> None:
    answer = bot_engine.ask(question)
    assert answer.abstained or answer.citations
    assert answer.question == question
    if answer.abstained:
        assert answer.reason and not answer.citations and not answer.text
    for citation in answer.citations:
        assert f"[{citation.n}]" in answer.text


def test_empty_questions_do_not_touch_the_store(bot_engine: Any) -> None:
    for question in ("", "   ", "🙂"):
        answer = bot_engine.ask(question)
        assert answer.abstained and answer.reason == "empty question"
