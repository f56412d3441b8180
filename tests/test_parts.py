"""Multi-part questions: split into the questions they ask, each answered or named as missing."""

from __future__ import annotations

import pytest

from knowledge.parts import part_profile, question_parts
from knowledge.signals import profile_question


@pytest.mark.parametrize(
    ("question", "parts"),
    [
        ("Shahriston tunnel - how long is it and how much did it cost?",
         ["Shahriston tunnel - how long is it", "how much did it cost?"]),
        ("When was the company set up, and when does construction start?",
         ["When was the company set up", "when does construction start?"]),
        ("Сколько Китай экспортировал в 2025 году и сколько оттуда импортировал?",
         ["Сколько Китай экспортировал в 2025 году", "сколько оттуда импортировал?"]),
        ("Контракт подписан в Урумчи: какой объем и на какую сумму?",
         ["Контракт подписан в Урумчи: какой объем", "на какую сумму?"]),
        ("伊尔克什坦口岸海拔多高？离奥什有多远？", ["伊尔克什坦口岸海拔多高？", "离奥什有多远？"]),
        ("江布尔州风电项目一期多少兆瓦，计划什么时候投运？",
         ["江布尔州风电项目一期多少兆瓦", "计划什么时候投运？"]),
        ("2025年中国对中亚出口多少、从中亚进口多少？", ["2025年中国对中亚出口多少", "从中亚进口多少？"]),
    ],
)
def test_splits_the_questions_a_message_asks(question: str, parts: list[str]) -> None:
    assert question_parts(question) == parts


@pytest.mark.parametrize(
    "question",
    [
        "How much did China and Kazakhstan trade in 2024?",  # "and" joins two names, not two questions
        "When and where was the SCO founded?",  # one question about one event
        "What stakes will the consortium and the state holding have?",
        "据报道，中吉乌铁路有多长？",  # a comma after a lead-in that asks nothing
        "中国和哈萨克斯坦的贸易额是多少？",
        "Сколько стоит проект?",
        "Thanks. How long is the railway?",  # one question, one remark
        "When the new line opens, how long will the trip take?",  # "when" joins a clause here
    ],
)
def test_one_question_stays_whole(question: str) -> None:
    assert question_parts(question) == [question]


def test_a_part_inherits_what_it_leaves_out_but_asks_its_own_thing() -> None:
    question = "How many tunnels does the Kazarman road have, and what is their total length?"
    whole = profile_question(question)
    first, second = question_parts(question)
    assert part_profile(first, whole).kinds == {"count"}
    second_profile = part_profile(second, whole)
    assert second_profile.kinds == {"length"}
    assert second_profile.focus >= profile_question(first).focus
    # a question about the document itself keeps only its own kind of answer
    whole = profile_question("what was the 2024 trade?")
    meta_part = part_profile("which newspaper printed the column?", whole)
    assert meta_part.meta == "publisher" and not meta_part.kinds
