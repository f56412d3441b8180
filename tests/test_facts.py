"""Fact extraction on the real seed article, and the no-repeat FactDeck."""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pytest

from knowledge.facts import FactDeck, extract_facts, tags_for, topic_matches
from knowledge.models import Chunk, Citation, DocumentMeta, FactCard

SHARED = Path(__file__).resolve().parents[1].parent / "shared"


@pytest.fixture
def shared_root() -> Path:
    """../shared, skipped when absent unless REQUIRE_SHARED=1 (then it fails)."""
    if not SHARED.is_dir():
        if os.environ.get("REQUIRE_SHARED") == "1":
            pytest.fail(f"{SHARED} is missing and REQUIRE_SHARED=1")
        pytest.skip(f"{SHARED} is absent (shared corpus not laid out on this machine)")
    return SHARED


def split(text: str) -> list[str]:
    return [s for s in re.split(r"(?<=[.!?])\s+(?=[\"“«A-ZА-ЯЁ\d])|(?<=[。！？])", text) if s.strip()]


def seed_chunks(root: Path) -> list[Chunk]:
    text = (root / "corpus/seed/china-central-asia-cooperation-2024.txt").read_text(encoding="utf-8")
    meta = DocumentMeta(title="China-Central Asia cooperation shows no signs of slowing",
                        source="China.org.cn", date="2024-07-24", lang="en")
    paragraphs = [p for p in re.split(r"\n\s*\n", text) if p.strip()]
    return [Chunk(f"seed-{i}", "seed", i, p, meta) for i, p in enumerate(paragraphs)]


def test_seed_article_yields_key_figures(shared_root: Path) -> None:
    cards = extract_facts(seed_chunks(shared_root), split)
    heads = {c.headline for c in cards}
    assert {"$90 billion", "1992", "2013", "15%"} <= heads, heads
    assert "May 2014" in heads
    for card in cards:
        assert card.headline in card.sentence
        assert card.sentence == card.citation.snippet and card.citation.n == 1
        assert card.citation.source == "China.org.cn" and card.citation.doc_id == "seed"
        assert re.search(r"[.!?\"”]$", card.sentence), card.sentence
        assert not re.match(r"(This|It|However|For instance)\b", card.sentence)
    top = cards[0]
    assert top.headline == "$90 billion" and "China" in top.tags and "trade" in top.tags
    assert len({c.card_id for c in cards}) == len(cards)


def test_multilingual_money_and_tags() -> None:
    meta = DocumentMeta(title="t", source="s")
    chunks = [
        Chunk("c1", "d1", 0, "据海关数据，中国与哈萨克斯坦双边贸易全年达1063亿美元，比上年多12%。", meta),
        Chunk("c2", "d2", 0, "По словам президента, объём торговли между Казахстаном и Китаем в 2024 году "
              "составил 41 млрд долларов США.", meta),
        Chunk("c3", "d3", 0,
              "It grew. The Line D pipeline from Turkmenistan will carry 25 bcm of gas.", meta),
    ]
    cards = {c.citation.doc_id: c for c in extract_facts(chunks, split)}
    assert cards["d1"].headline == "1063亿美元"
    assert {"China", "Kazakhstan", "trade"} <= set(cards["d1"].tags)
    assert cards["d2"].headline == "41 млрд долларов США"
    assert {"China", "Kazakhstan", "trade"} <= set(cards["d2"].tags)
    assert cards["d3"].headline == "25 bcm" and {"Turkmenistan", "energy"} <= set(cards["d3"].tags)
    assert cards["d3"].sentence.startswith("The Line D")


def test_fragments_pronoun_starts_and_duplicates_dropped() -> None:
    meta = DocumentMeta()
    text = ("and then trade rose 40% in 2023 with China. This figure reached $5 billion in Kazakhstan. "
            "China's trade with Kazakhstan reached $41 billion in 2023, a record. China's trade with "
            "Kazakhstan reached $41 billion in 2023, a record! Trade with Uzbekistan rose by 12 percent to")
    cards = extract_facts([Chunk("c", "d", 0, text, meta), Chunk("c2", "d2", 0, text, meta)], split)
    assert [c.headline for c in cards] == ["$41 billion"]


def test_tags_and_topic_matching_across_languages() -> None:
    assert tags_for("Газопровод из Туркменистана в Китай") == ("China", "Turkmenistan", "energy")
    assert tags_for("中吉乌铁路") == ("China", "Kyrgyzstan", "Uzbekistan", "transport")
    card = _card("a", 1.0, tags=("Kazakhstan", "energy"), sentence="Kazakhstan targets 15% renewables.")
    assert topic_matches(card, None) and topic_matches(card, "energy")
    assert topic_matches(card, "энергетика") and topic_matches(card, "能源")
    assert topic_matches(card, "Казахстан") and topic_matches(card, "renewables")
    assert not topic_matches(card, "trade") and not topic_matches(card, "railway gauge")


def _card(cid: str, score: float, tags: tuple[str, ...] = ("China",), sentence: str = "") -> FactCard:
    cit = Citation(1, "T", "S", "", "", sentence or f"Sentence {cid}.", f"ch-{cid}", "doc")
    return FactCard(cid, "1%", sentence or f"Sentence {cid}.", tags, cit, score)


def test_deck_never_repeats_until_exhausted_and_persists(tmp_path: Path) -> None:
    pool = [_card(f"c{i}", float(i)) for i in range(5)]
    path = tmp_path / "state" / "deck.json"
    deck = FactDeck(path)
    first = [deck.draw(pool, "chat1") for _ in range(3)]
    assert [c.card_id for c in first if c] == ["c4", "c3", "c2"]  # best score first
    deck = FactDeck(path)  # re-open from disk
    rest = [deck.draw(pool, "chat1") for _ in range(2)]
    ids = [c.card_id for c in first + rest if c]
    assert sorted(ids) == sorted(c.card_id for c in pool)
    again = [deck.draw(pool, "chat1") for _ in range(5)]  # pool used up: starts over, still no repeats
    assert sorted(c.card_id for c in again if c) == sorted(ids)
    assert deck.draw(pool, "other") is not None and deck.choose(pool, "other").card_id == "c3"  # type: ignore[union-attr]
    assert json.loads(path.read_text())["keys"]["chat1"]
    assert not list(path.parent.glob("*.tmp"))


def test_choose_does_not_write_and_topic_filter(tmp_path: Path) -> None:
    pool = [_card("e1", 5, ("energy",)), _card("e2", 4, ("energy",)), _card("t1", 9, ("trade",))]
    deck = FactDeck(tmp_path / "deck.json")
    chosen = deck.choose(pool, "cli", "energy")
    assert chosen is not None and chosen.card_id == "e1"
    assert deck.choose(pool, "cli", "energy") == chosen and not (tmp_path / "deck.json").exists()
    deck.mark("cli", chosen.card_id)
    assert deck.draw(pool, "cli", "energy").card_id == "e2"  # type: ignore[union-attr]
    assert deck.draw(pool, "cli", "energy").card_id == "e1"  # type: ignore[union-attr]
    assert deck.draw(pool, "cli").card_id == "t1"  # type: ignore[union-attr]
    assert deck.draw(pool, "cli", "agriculture") is None
    assert FactDeck(tmp_path / "deck.json").delivered("cli") == {"e1", "e2", "t1"}


def test_corrupt_state_starts_empty(tmp_path: Path) -> None:
    path = tmp_path / "deck.json"
    path.write_text("{not json")
    deck = FactDeck(path)
    assert deck.delivered("x") == frozenset()
    assert deck.draw([_card("a", 1)], "x") is not None
