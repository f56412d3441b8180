"""bot.render: escaping, links, and the 4096 split checked against the fake Telegram HTML parser."""

from __future__ import annotations

import re

from fake_bot_html import parse_telegram_html, utf16_len
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.render import (
    escape,
    html_to_text,
    render_answer,
    render_card_caption,
    render_sources,
    safe_url,
    split_html,
    truncate_html,
    visible_text,
    with_quotes,
)
from knowledge.models import Answer, Citation, FactCard, SourceInfo

WORDS = st.text(
    alphabet=st.characters(codec="utf-8", exclude_categories=("Cs", "Cc"))
    | st.sampled_from([" ", "\n", "<", ">", "&", '"', "😀", "中"]),
    max_size=60,
)
TAGS = ["b", "i", "u", "s", "code", "blockquote"]


@st.composite
def markup(draw: st.DrawFn) -> str:
    """Random well-formed Telegram HTML: escaped text in (possibly nested) allowed tags and links."""
    pieces = []
    for _ in range(draw(st.integers(1, 25))):
        text = escape(draw(WORDS))
        kind = draw(st.sampled_from(["plain", "tag", "link", "nested"]))
        if kind == "tag":
            tag = draw(st.sampled_from(TAGS))
            text = f"<{tag}>{text}</{tag}>"
        elif kind == "link":
            text = f'<a href="{escape("https://example.org/?q=" + draw(WORDS))}">{text}</a>'
        elif kind == "nested":
            text = f"<b>x <i>{text}</i> y</b>"
        pieces.append(text + draw(st.sampled_from(["", " ", "\n", "\n\n"])))
    return "".join(pieces)


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


@settings(max_examples=200, deadline=None)
@given(markup(), st.integers(min_value=20, max_value=300))
def test_split_parts_are_valid_fit_and_lose_nothing(html: str, limit: int) -> None:
    parts = split_html(html, limit)
    for part in parts:
        plain = parse_telegram_html(part)  # raises like Telegram on a broken tag or entity
        assert utf16_len(plain) <= limit
        assert plain.strip()
    assert _squash("".join(visible_text(p) for p in parts)) == _squash(visible_text(html))


def test_split_prefers_paragraphs_then_lines() -> None:
    para = "word " * 30
    html = f"<b>{para}</b>\n\n{para}\nline two\n\n{para}"
    parts = split_html(html, 200)
    assert parts[0] == f"<b>{para}</b>"
    assert all(not p.startswith((" ", "\n")) for p in parts)


def test_split_reopens_tags_and_keeps_entities_whole() -> None:
    html = "<b>" + "&amp;" * 50 + "</b>"
    parts = split_html(html, 16)
    assert all(p.startswith("<b>") and p.endswith("</b>") for p in parts)
    assert all(parse_telegram_html(p) == "&" * len(parse_telegram_html(p)) for p in parts)


def _answer(text: str = "Relations began in 1992 [1].", url: str = "https://example.org/a?x=1&y=2") -> Answer:
    cite = Citation(
        n=1,
        title="Ties <since> 1992 & after",
        source="China.org.cn",
        date="2024-07-24",
        url=url,
        snippet="diplomatic relations were established in 1992 <quoted>",
        chunk_id="c1",
        doc_id="d1",
    )
    return Answer(question="q?", text=text, citations=(cite,), abstained=False, language="en")


def test_answer_is_escaped_with_safe_links() -> None:
    html = render_answer(_answer("x < y & z [1]"), "en")
    parse_telegram_html(html)
    assert "x &lt; y &amp; z [1]" in html
    # the link opens at the quoted snippet (a URL text fragment, percent-encoded)
    fragment = "#:~:text=diplomatic%20relations%20were%20established%20in%201992%20%3Cquoted%3E"
    link = f'<a href="https://example.org/a?x=1&amp;y=2{fragment}">'
    assert f"{link}Ties &lt;since&gt; 1992 &amp; after</a>" in html
    bad = render_answer(_answer(url="javascript:alert(1)"), "en")
    assert "href" not in bad and "javascript" not in bad


def test_a_quote_in_another_language_is_said_to_be_quoted_as_written() -> None:
    english = render_answer(_answer(), "en")  # the snippet is English
    assert "Quoted as written" not in english
    assert "Цитаты приведены на языке источника (английский)" in render_answer(_answer(), "ru")
    assert "引文保留来源原文（英文）" in render_answer(_answer(), "zh")


def test_citation_dates_are_written_in_the_reply_language() -> None:
    assert "China.org.cn, 24 July 2024" in render_answer(_answer(), "en")
    assert "China.org.cn, 24 июля 2024 года" in render_answer(_answer(), "ru")
    assert "China.org.cn, 2024年7月24日" in render_answer(_answer(), "zh")


def test_safe_url_only_http() -> None:
    assert safe_url("https://a.b/c") == "https://a.b/c"
    assert safe_url("tg://resolve") is None and safe_url("http://a b") is None and safe_url("") is None


def test_abstained_answer_lists_suggestions_in_language() -> None:
    answer = Answer(question="q", text="", citations=(), abstained=True, language="ru", reason="no evidence",
                    suggestions=("rail <links>",))
    html = render_answer(answer, "ru")
    parse_telegram_html(html)
    assert "не нашёл" in html and "rail &lt;links&gt;" in html


def test_a_decline_shows_the_nearest_passage_cited_and_marked_as_maybe_not_the_answer() -> None:
    snippet = "The 5,252-meter tunnel <b>opened</b> in 2012. " * 20
    near = Citation(n=1, title="Tunnel <opened>", source="Asia-Plus", date="2012-10-27",
                    url="https://example.org/t", snippet=snippet, chunk_id="c", doc_id="d")
    answer = Answer(question="How long?", text="", citations=(), abstained=True, language="en",
                    suggestions=("Some topic",), closest=near)
    html = render_answer(answer, "en")
    plain = parse_telegram_html(html)
    assert plain.startswith("I could not find an answer") and "it may not answer the question" in plain
    assert "The 5,252-meter tunnel <b>opened</b> in 2012." in plain and "…" in plain
    assert "[1] Tunnel <opened> — Asia-Plus, 27 October 2012" in plain
    assert 'href="https://example.org/t' in html and "Some topic" not in plain
    assert "возможно, это не ответ" in render_answer(answer, "ru")
    assert "27 октября 2012 года" in render_answer(answer, "ru")


def test_quotes_fit_and_stay_as_written() -> None:
    base = render_answer(_answer(), "zh")
    html = with_quotes(base, _answer(), "zh")
    plain = parse_telegram_html(html)
    assert "引用原文" in plain and "diplomatic relations were established in 1992 <quoted>" in plain
    long_base = "x" * 4000
    assert utf16_len(parse_telegram_html(with_quotes(long_base, _answer(), "en"))) <= 4096


def test_long_sources_list_splits_under_limit() -> None:
    sources = [
        SourceInfo(
            doc_id=f"d{i}", title=f"Document <{i}> & more " * 3, source="Desk", date="2024-01-01",
            url=f"https://example.org/{i}", chunks=3,
        )
        for i in range(300)
    ]
    parts = render_sources(sources, "en")
    assert len(parts) > 1
    for part in parts:
        assert utf16_len(parse_telegram_html(part)) <= 4096
    assert sum(parse_telegram_html(p).count("Document <") for p in parts) == 900


def test_caption_fits_1024() -> None:
    cite = _answer().citations[0]
    card = FactCard(card_id="c1", headline="86% <more> cargo", sentence="Long sentence & more. " * 200,
                    tags=("rail",), citation=cite)
    caption = render_card_caption(card)
    assert utf16_len(parse_telegram_html(caption)) <= 1024
    assert "86% &lt;more&gt; cargo" in caption


def test_truncate_and_terminal_text() -> None:
    html = render_answer(_answer(), "en")
    assert utf16_len(parse_telegram_html(truncate_html(html * 100, 500))) <= 500
    text = html_to_text(html)
    assert "Ties <since> 1992 & after (https://example.org/a?x=1&y=2#:~:text=diplomatic%20" in text
    assert "<b>" not in text
