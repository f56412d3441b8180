"""Pure question/sentence signals used by the composer."""

from __future__ import annotations

from knowledge.signals import (
    entities_in,
    entity_coverage,
    profile_question,
    satisfies_kind,
    target_mismatch,
    time_match,
    year_conflict,
    years_in,
)


def test_kinds_in_three_languages() -> None:
    assert profile_question("What year did the BRI start?").kinds == {"year"}
    assert profile_question("В каком году основали ШОС?").kinds == {"year"}
    assert profile_question("哈萨克斯坦现在可再生能源发电占比是多少？").kinds == {"percent"}
    assert profile_question("How much money did Beijing invest?").kinds == {"money"}
    assert profile_question("How long is the railway?").kinds == {"length"}
    assert profile_question("作者用哪几个特点来概括合作？").kinds == frozenset()


def test_money_needs_a_currency_not_just_a_big_number() -> None:
    assert not satisfies_kind(frozenset({"money"}), "The route can handle 6 million tons.")
    assert satisfies_kind(frozenset({"money"}), "Trade bordered on $90 billion last year.")
    assert satisfies_kind(frozenset({"money"}), "贸易额达1063亿美元。")
    assert satisfies_kind(frozenset({"length"}), "Its length is roughly 523 kilometers.")
    assert not satisfies_kind(frozenset({"length"}), "Work starts on December 27.")


def test_entities_cross_languages() -> None:
    assert entities_in("Казахстан и ШОС") == {"kazakhstan", "sco"}
    assert entities_in("哈萨克斯坦的可再生能源") == {"kazakhstan", "renewables"}
    assert "sco" not in entities_in("the disco was closed")
    assert entity_coverage(frozenset({"china", "uzbekistan"}), "Uzbekistan's strategy") == 1.0
    assert entity_coverage(frozenset({"china", "uzbekistan"}), "Kazakhstan's strategy") == 0.0


def test_current_versus_target() -> None:
    profile = profile_question("What is Kazakhstan's renewable share now?")
    assert target_mismatch(profile, "Kazakhstan aims for 15% renewables by the end of the decade.")
    assert not target_mismatch(profile_question("What is the goal?"), "It aims for 15% by 2030.")


def test_years_relative_to_the_document_date() -> None:
    assert years_in("double-digit growth this year and $90 billion last year", "2024-07-24") == {2024, 2023}
    assert year_conflict({2024}, "21.3% over January-November 2023", "2023-12-01")
    assert not year_conflict({2024}, "growth in the first four months of this year", "2024-07-24")
    assert not year_conflict({2024}, "a sentence with no year", "")
    assert time_match("trade volume last year?", frozenset(), "bordered on $90 billion last year")
    assert not time_match("trade volume last year?", frozenset(), "rose 100-fold by 2012")


def test_follow_up_detection() -> None:
    from knowledge.engine import is_follow_up

    for text in ("and in 2023?", "What about Kazakhstan?", "а в 2023 году?", "那2023年呢？", "In 2023?"):
        assert is_follow_up(text), text
    for text in ("What is the Trans-Caspian International Transport Route?", "Когда основали ШОС?"):
        assert not is_follow_up(text), text
