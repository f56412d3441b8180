"""Names written in another script: keys, the likeness check, and the lexical forms they give."""

from __future__ import annotations

import pytest

from knowledge.lexical import LexicalIndex
from knowledge.namekeys import chinese_names, foreign_name_forms, name_key, question_names
from knowledge.signals import unknown_names


@pytest.mark.parametrize(
    "spellings",
    [
        ("Tamdy", "Тамды", "塔姆迪"),
        ("Karabulak", "Карабулак", "卡拉布拉克"),
        ("Kulma", "Кульма", "阔勒买"),
        ("Bakhty", "Бахты", "巴赫特"),
        ("Khorgos", "Хоргос", "霍尔果斯"),
    ],
)
def test_one_name_in_three_scripts_has_one_key(spellings: tuple[str, ...]) -> None:
    keys = {name_key(s) for s in spellings}
    assert len(keys) == 1 and "" not in keys, keys


def test_short_names_have_no_key() -> None:
    assert name_key("Bel") == name_key("Ош") == ""


def test_chinese_names_are_runs_of_transliteration_characters() -> None:
    assert chinese_names("塔姆迪电站二期要新增多少兆瓦") == ("塔姆迪",)
    assert chinese_names("阔勒买口岸现在一天能过多少辆货车") == ("阔勒买",)
    assert chinese_names("电站二期要新增多少兆瓦") == ()


@pytest.fixture(scope="module")
def index() -> LexicalIndex:
    texts = [
        "Фермеры из Базар-Коргона отправили в Китай 41 тонну черешни.",
        "Пассажир вошел в поезд на вокзале, а томат вывезли на базу.",
        "The Tamdy solar park will add 150 MW in its second phase.",
        "A tomato farm near the town used timid pricing.",
    ]
    return LexicalIndex.build(((f"c{i}", t) for i, t in enumerate(texts)), generation=1)


def forms(index: LexicalIndex, question: str, lang: str) -> set[str]:
    names = question_names(question, lang, unknown_names(question))
    return set(foreign_name_forms(names, lang, index.name_keys).split())


def test_a_question_finds_the_name_as_the_other_scripts_write_it(index: LexicalIndex) -> None:
    assert forms(index, "How many cherries did Bazar-Korgon growers ship?", "en") == {"базар", "коргон"}
    assert forms(index, "Сколько мегаватт добавит Тамды?", "ru") == {"tamdi"}
    assert forms(index, "塔姆迪电站二期要新增多少兆瓦", "zh") == {"tamdi"}


def test_words_sharing_only_the_consonants_are_not_names(index: LexicalIndex) -> None:
    # "пассажир", "вошел" share Bazar's key, "tomato" and "timid" Tamdy's: not alike enough
    found = forms(index, "How many cherries did Bazar-Korgon growers ship?", "en")
    found |= forms(index, "塔姆迪电站二期要新增多少兆瓦", "zh")
    assert not found & {"пассажир", "вошел", "томат", "tomato", "timid"}


def test_a_question_without_unknown_names_adds_nothing(index: LexicalIndex) -> None:
    assert forms(index, "How much did trade grow last year?", "en") == set()
