"""Periods within a year (``knowledge.periods``), the place-conflict check and the training-label
rule for parallel documents: pure functions, no model."""

from __future__ import annotations

import pytest

from knowledge.evalsuite import restates_figures
from knowledge.evaluation import Question
from knowledge.evidence import place_conflict
from knowledge.periods import period_relation, periods_in
from knowledge.signals import profile_question
from knowledge.vocabulary import places_in


@pytest.mark.parametrize(
    ("text", "spans"),
    [
        ("container volumes rose 18% in January-November", {"m1-m11"}),
        ("Throughput in the first half of the year stood at 214,600 TEU", {"m1-m6"}),
        ("November alone brought 39,800 TEU", {"m11"}),
        ("товарооборот за десять месяцев 2025 года", {"m1-m10"}),
        ("в январе–октябре 2025 года", {"m1-m10"}),
        ("在上半年", {"m1-m6"}),
        ("1-11月，中欧班列开行", {"m1-m11"}),
        ("前10个月进出口", {"m1-m10"}),
        ("in the first two months of 2025", {"m1-m2"}),
        ("exports rose in Q3", {"m7-m9"}),
        ("в мае отгрузки выросли", {"m5"}),
        ("on May 15 the line opened", {"m5"}),
    ],
)
def test_periods_in_three_languages(text: str, spans: set[str]) -> None:
    assert periods_in(text) == spans


@pytest.mark.parametrize("text", ["prices may rise by 5 percent", "2024年6月18日 09:30", "it took 10个月"])
def test_no_period_in_modal_verbs_dates_or_durations(text: str) -> None:
    assert periods_in(text) == frozenset()


def test_period_relation_same_other_and_none() -> None:
    asked = profile_question("How much did Khorgos handle in the first half of 2025?").periods
    assert asked == {"m1-m6"}
    assert period_relation(asked, "In January-June the port handled 214,600 TEU.") == 1
    assert period_relation(asked, "In January-November it handled 412,300 TEU.") == -1
    assert period_relation(asked, "The port was opened in 2012.") == 0
    assert period_relation(frozenset(), "In January-June it handled 214,600 TEU.") == 0


def test_place_conflict_only_when_another_country_stands_in() -> None:
    asked = places_in("How many students did the Luban Workshop in Kyrgyzstan admit?")
    assert place_conflict(asked, "Tajikistan's workshop admitted 120 students.")
    assert not place_conflict(asked, "The Bishkek workshop in Kyrgyzstan admitted 160 students.")
    assert not place_conflict(asked, "The workshop admitted 160 students.")
    assert not place_conflict(places_in("How many Luban Workshops are there?"), "Tajikistan has one.")


def _question(keywords: tuple[str, ...]) -> Question:
    return Question(id="q", question="q", lang="en", answerable=True, evidence=("about 523 kilometers",),
                    keywords=keywords, kind="number")


def test_a_parallel_sentence_with_the_same_figures_is_left_out_of_training() -> None:
    assert restates_figures(_question(("523",)), "Длина дороги составит около 523 километров.")
    assert restates_figures(_question(("1,063",)), "Всего прошло 1 063 поезда.")
    assert not restates_figures(_question(("523",)), "Длина дороги составит около 486 километров.")
    # a bare year is no figure of its own: a sentence naming it is still a negative
    assert not restates_figures(_question(("2013",)), "The initiative began in 2013.")


def test_the_country_an_asked_town_lies_in_is_not_another_country() -> None:
    asked = places_in("吉扎克新能源车工厂中方占多少股份？")  # Jizzakh
    assert not place_conflict(asked, "工厂由骏驰汽车与乌兹别克斯坦一家国有汽车企业合资建设，中方持股60%。")
    assert place_conflict(asked, "The plant in Kazakhstan is 60% Chinese-owned.")
    # a border crossing lies in both countries
    torugart = places_in("How many trucks crossed at Torugart?")
    assert not place_conflict(torugart, "Kyrgyzstan cleared 900 trucks a day.")
    assert place_conflict(torugart, "Tajikistan cleared 900 trucks.")
