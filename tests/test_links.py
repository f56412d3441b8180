"""Citation links with URL text fragments, checked against the Scroll-to-Text-Fragment rules."""

from __future__ import annotations

import re
from urllib.parse import unquote

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.links import encode_directive_value, fragment_terms, with_text_fragment
from bot.render import render_answer, render_card_caption
from knowledge.models import Answer, Citation, FactCard

# What may stand unencoded in a text directive value: the spec's explicit characters minus the
# ones it reserves as syntax (-, &, ,); we are stricter still and keep only unreserved ones.
VALUE = re.compile(r"(?:[A-Za-z0-9._~]|%[0-9A-F]{2})*")
URL = "https://example.org/news/2024/rail?id=7"


@pytest.mark.parametrize(
    ("text", "encoded"),
    [
        ("Khorgos", "Khorgos"),
        ("China-Kyrgyzstan-Uzbekistan", "China%2DKyrgyzstan%2DUzbekistan"),  # - marks prefix/suffix
        ("trade, transport", "trade%2C%20transport"),  # , separates start and end
        ("oil & gas", "oil%20%26%20gas"),  # & separates directives
        ("50% #1 <b> \"q\" 'a' `x`", "50%25%20%231%20%3Cb%3E%20%22q%22%20%27a%27%20%60x%60"),
        ("中国", "%E4%B8%AD%E5%9B%BD"),  # UTF-8, as the spec says
        ("Жанат", "%D0%96%D0%B0%D0%BD%D0%B0%D1%82"),
        ("$1.5bn (2023)", "%241.5bn%20%282023%29"),
    ],
)
def test_values_are_percent_encoded_as_the_spec_says(text: str, encoded: str) -> None:
    assert encode_directive_value(text) == encoded


@given(st.text(min_size=1, max_size=80))
def test_any_text_encodes_to_a_valid_value_that_decodes_back(text: str) -> None:
    value = encode_directive_value(text)
    assert VALUE.fullmatch(value) and unquote(value, errors="strict") == text


def test_short_snippet_is_quoted_whole() -> None:
    url = with_text_fragment(URL, "Cargo rose 86 percent in 2023.")
    assert url == f"{URL}#:~:text=Cargo%20rose%2086%20percent%20in%202023."


def test_long_snippet_quotes_words_at_both_ends() -> None:
    snippet = ("The Trans-Caspian International Transport Route links China through Kazakhstan, "
               "the Caspian Sea, Azerbaijan and Georgia to Europe.")
    assert fragment_terms(snippet) == ("The Trans-Caspian International Transport", "and Georgia to Europe.")
    fragment = with_text_fragment(URL, snippet).split("#", 1)[1]
    assert fragment == (
        ":~:text=The%20Trans%2DCaspian%20International%20Transport,and%20Georgia%20to%20Europe."
    )
    start, end = fragment.removeprefix(":~:text=").split(",")  # exactly one unencoded comma
    assert VALUE.fullmatch(start) and VALUE.fullmatch(end)


def test_chinese_without_spaces_quotes_characters_at_both_ends() -> None:
    snippet = "据海关数据，双边货物贸易全年达1063亿美元，比上年多12%，连续第五年上升。"
    start, end = fragment_terms(snippet)
    assert snippet.startswith(start) and snippet.endswith(end or "") and end
    assert fragment_terms("中吉乌铁路开工。") == ("中吉乌铁路开工。", None)


def test_several_quotes_point_at_the_first() -> None:
    assert fragment_terms("First quote here. … Second quote there.") == ("First quote here.", None)


@pytest.mark.parametrize(
    "url",
    ["https://example.org/a#section-2", "https://example.org/a#:~:text=x", "ftp://example.org/a",
     "bundled/energy.md", "", "javascript:alert(1)"],
)
def test_links_with_a_fragment_or_not_on_the_web_stay_plain(url: str) -> None:
    assert with_text_fragment(url, "Cargo rose 86 percent.") == url


def test_empty_snippet_leaves_the_link_plain() -> None:
    assert with_text_fragment(URL, "  ") == URL


def test_citations_and_cards_link_to_the_quote() -> None:
    cite = Citation(n=1, title="Rail note", source="Desk", date="2024-05-01", url=URL,
                    snippet="Cargo rose 86 percent in 2023.", chunk_id="c", doc_id="d")
    html = render_answer(Answer(question="q", text="Cargo rose 86 percent in 2023. [1]", citations=(cite,),
                                abstained=False, language="en"), "en")
    assert f'<a href="{URL}#:~:text=Cargo%20rose%2086%20percent%20in%202023.">Rail note</a>' in html
    card = FactCard(card_id="k", headline="86 percent", sentence=cite.snippet, tags=("transport",),
                    citation=cite, score=3.0)
    assert "#:~:text=Cargo%20rose" in render_card_caption(card)
    plain = Citation(n=1, title="Rail note", source="Desk", date="", url="https://example.org/a#top",
                     snippet="Cargo rose.", chunk_id="c", doc_id="d")
    html = render_answer(Answer(question="q", text="Cargo rose. [1]", citations=(plain,), abstained=False,
                                language="en"), "en")
    assert '<a href="https://example.org/a#top">' in html
