"""The one topic matcher, for cards and for retrieval filters alike."""

from __future__ import annotations

import pytest

from knowledge.topics import topic_matches

SENTENCE = "Kazakhstan targets 15% renewables in its power mix by 2030."


@pytest.mark.parametrize("topic", [None, "", "energy", "энергетика", "能源", "Казахстан", "renewables",
                                   "kazakhstan energy", "哈萨克斯坦"])
def test_topics_in_any_language_match(topic: str | None) -> None:
    assert topic_matches(topic, ("Kazakhstan", "energy"), SENTENCE)


@pytest.mark.parametrize("topic", ["trade", "торговля", "贸易", "railway gauge", "Uzbekistan energy",
                                   "zzz-no-such-topic"])
def test_other_topics_do_not_match(topic: str) -> None:
    assert not topic_matches(topic, ("Kazakhstan", "energy"), SENTENCE)


def test_tags_come_from_the_text_when_not_given() -> None:
    """A retrieved chunk has no card tags: its text (and title) carry them."""
    assert topic_matches("энергетика", (), "China and Turkmenistan: the gas pipeline")
    assert not topic_matches("энергетика", (), "Trade between China and Kyrgyzstan grew.")


def test_literal_front_matter_topics_and_plain_words() -> None:
    assert topic_matches("bri", ("bri",), "A note.")
    assert topic_matches("Khorgos", (), "The Khorgos Gateway dry port")
    assert not topic_matches("Aktau", (), "The Khorgos Gateway dry port")
