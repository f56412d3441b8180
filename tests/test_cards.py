"""Fact card PNGs rendered with real Pillow and the real CJK-capable font."""

from __future__ import annotations

import io
from importlib import metadata

import pytest
from PIL import Image

from knowledge.cards import layout_card, render_card_png
from knowledge.fonts import (
    FONT_DISTRIBUTION,
    FontNotFound,
    find_font,
    load_font,
    missing_glyphs,
    packaged_fonts,
)
from knowledge.models import Citation, FactCard


@pytest.fixture(scope="module", autouse=True)
def _font_available() -> None:
    try:
        find_font(False)
        find_font(True)
    except FontNotFound as exc:  # the font is a pinned dependency: pip install -e . brings it
        pytest.fail(str(exc))


def test_font_comes_from_the_pinned_package_under_the_ofl() -> None:
    """The README's install is the whole set-up: the font is the installed package's file."""
    dist = metadata.distribution(FONT_DISTRIBUTION)
    assert dist.metadata["License-Expression"] == "OFL-1.1"
    packaged = packaged_fonts()
    assert packaged and find_font(False) in packaged and find_font(True) in packaged


def card(headline: str, sentence: str, tags: tuple[str, ...] = ("China", "trade"),
         title: str = "China-Central Asia cooperation shows no signs of slowing") -> FactCard:
    cit = Citation(n=1, title=title, source="China.org.cn", date="2024-07-24", url="", snippet=sentence,
                   chunk_id="ch", doc_id="doc")
    return FactCard(card_id="id", headline=headline, sentence=sentence, tags=tags, citation=cit, score=5.0)


EN = card("$90 billion",
          "China's aggregate trade with Central Asian economies bordered on $90 billion last year.")
RU = card("44 млрд долларов США", "По словам Токаева, в 2024 году товарооборот Казахстана и Китая вышел "
          "на рекордный уровень в 44 млрд долларов США.", ("China", "Kazakhstan", "trade"))
ZH = card("1063亿美元", "据海关数据，双边货物贸易全年达1063亿美元，比上年多12%，连续第五年上升。",
          ("China", "trade"), title="突破1000亿美元大关 中国首次跃居中亚各国第一大贸易伙伴")
LONG = card("Treaty on Eternal Good-Neighborliness, Friendship and Cooperation and Many More Words",
            " ".join(["China and the five Central Asian states signed a landmark treaty in Astana."] * 30),
            ("China", "Kazakhstan", "Kyrgyzstan", "Tajikistan", "Turkmenistan", "Uzbekistan",
             "trade", "transport", "energy", "agriculture", "security", "diplomacy"),
            title="A very long title " * 20)


@pytest.mark.parametrize("fc", [EN, RU, ZH, LONG], ids=["en", "ru", "zh", "long"])
@pytest.mark.parametrize("size", [(1080, 1080), (800, 600)])
def test_png_decodes_at_requested_size(fc: FactCard, size: tuple[int, int]) -> None:
    data = render_card_png(fc, *size)
    assert data.startswith(b"\x89PNG")
    image = Image.open(io.BytesIO(data))
    image.load()
    assert image.size == size and image.mode == "RGB"


@pytest.mark.parametrize("fc", [EN, RU, ZH, LONG], ids=["en", "ru", "zh", "long"])
@pytest.mark.parametrize("size", [(1080, 1080), (800, 600), (640, 1136)])
def test_text_never_overflows(fc: FactCard, size: tuple[int, int]) -> None:
    width, height = size
    texts, rects = layout_card(fc, width, height)
    margin = 0.05 * min(width, height)
    for t in texts:
        x0, y0, x1, y1 = t.bbox
        assert margin <= x0 and x1 <= width - margin and margin <= y0 and y1 <= height - margin, t.text
    for x0, y0, x1, y1 in rects:
        assert 0 <= x0 <= x1 <= width and 0 <= y0 <= y1 <= height
    for i, a in enumerate(texts):  # no two lines of text overlap
        for b in texts[i + 1 :]:
            apart = a.bbox[2] <= b.bbox[0] or b.bbox[2] <= a.bbox[0] or a.bbox[3] <= b.bbox[1] \
                or b.bbox[3] <= a.bbox[1]
            assert apart, (a.text, b.text)


def test_long_sentence_is_shrunk_and_ellipsised() -> None:
    texts, _ = layout_card(LONG)
    joined = " ".join(t.text for t in texts)
    assert "…" in joined


@pytest.mark.parametrize("bold", [False, True])
def test_cjk_and_cyrillic_glyphs_are_not_tofu(bold: bool) -> None:
    font = load_font(bold, 48)
    assert missing_glyphs(font, "中国哈萨克斯坦贸易亿美元ЖжКитайAg$%") == []
    assert (font.getname()[0] or "").endswith("SC")  # the Simplified Chinese face of the collection
    assert missing_glyphs(font, "\U0010fffd") == ["\U0010fffd"]  # the check does see tofu


def test_bold_is_heavier_than_regular() -> None:
    """The variable font is set to real weights (its default instance is Thin)."""
    regular, bold = bytes(load_font(False, 60).getmask("中Ж")), bytes(load_font(True, 60).getmask("中Ж"))
    assert sum(bold) > 1.3 * sum(regular)


@pytest.mark.parametrize("fc", [EN, RU, ZH], ids=["en", "ru", "zh"])
def test_every_drawn_line_has_real_glyphs(fc: FactCard) -> None:
    """Each line on the card, in the font it is drawn with, has no .notdef glyph: a font without
    Cyrillic or CJK (or none at all) fails here."""
    texts, _ = layout_card(fc)
    assert fc.headline in " ".join(t.text for t in texts)
    for placed in texts:
        assert missing_glyphs(placed.font, placed.text) == [], placed.text
