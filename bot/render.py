"""Pure rendering: Answer / FactCard / sources -> Telegram HTML, split to fit, and terminal text.

Everything that comes from documents or users is escaped with ``html.escape``; links get an
``href`` only for http(s) URLs, with a text fragment that opens the page at the quoted sentence.
Lengths are counted the conservative way (UTF-16 code units of the text after entity parsing),
which is how Telegram measures its 4096 / 1024 limits.
"""

from __future__ import annotations

import html
import re
from collections.abc import Sequence
from dataclasses import dataclass

from bot.i18n import LANGUAGES, t
from bot.links import with_text_fragment
from knowledge.models import Answer, Citation, FactCard, SourceInfo
from knowledge.text import detect_language, human_date

MESSAGE_LIMIT = 4096
CAPTION_LIMIT = 1024
SNIPPET_CHARS = 400

_TOKEN = re.compile(r"<[^<>]*>|&(?:#\d+|#x[0-9a-fA-F]+|[a-zA-Z]+);|.", re.DOTALL)
_TAG_NAME = re.compile(r"</?\s*([a-zA-Z0-9-]+)")
_LINK = re.compile(r'<a\s+href="([^"]*)"\s*>(.*?)</a>', re.DOTALL)
_TAG = re.compile(r"<[^<>]*>")


def escape(text: str) -> str:
    """Escape user or document text for Telegram HTML."""
    return html.escape(text, quote=True)


def safe_url(url: str) -> str | None:
    """The URL if it is a plain http(s) URL, else None (no javascript:, tg:, or whitespace)."""
    url = url.strip()
    if re.fullmatch(r"https?://[^\s<>\"']+", url, flags=re.IGNORECASE):
        return url
    return None


def utf16_len(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


@dataclass(frozen=True)
class _Tok:
    raw: str
    kind: str  # "open", "close" or "text"
    name: str
    char: str  # the visible character for text tokens
    width: int


def _tokenize(markup: str) -> list[_Tok]:
    tokens = []
    for match in _TOKEN.finditer(markup):
        raw = match.group(0)
        if raw.startswith("<"):
            name_match = _TAG_NAME.match(raw)
            name = name_match.group(1).lower() if name_match else ""
            tokens.append(_Tok(raw, "close" if raw.startswith("</") else "open", name, "", 0))
        else:
            char = html.unescape(raw) if raw.startswith("&") else raw
            tokens.append(_Tok(raw, "text", "", char, utf16_len(char)))
    return tokens


def visible_text(markup: str) -> str:
    """The text a reader sees (tags removed, entities decoded)."""
    return "".join(tok.char for tok in _tokenize(markup))


def visible_length(markup: str) -> int:
    """Telegram's length of a formatted message: UTF-16 code units after entity parsing."""
    return sum(tok.width for tok in _tokenize(markup))


def _stacks(tokens: Sequence[_Tok]) -> list[tuple[tuple[str, str], ...]]:
    """stacks[i] = the tags open before token i (name, raw open tag); len = len(tokens) + 1."""
    stack: tuple[tuple[str, str], ...] = ()
    out = []
    for tok in tokens:
        out.append(stack)
        if tok.kind == "open":
            stack = (*stack, (tok.name, tok.raw))
        elif tok.kind == "close":
            for k in range(len(stack) - 1, -1, -1):
                if stack[k][0] == tok.name:
                    stack = stack[:k] + stack[k + 1 :]
                    break
    out.append(stack)
    return out


def _best_cut(tokens: Sequence[_Tok], start: int, stop: int) -> int:
    """Where to end a part in (start, stop]: last paragraph break, else line break, else space."""
    for wanted in ("\n\n", "\n", " "):
        for j in range(stop, start, -1):
            if j >= len(tokens) or tokens[j].kind != "text":
                continue
            if wanted == "\n\n":
                if tokens[j].char == "\n" and j > start + 1 and tokens[j - 1].char == "\n":
                    return j - 1
            elif tokens[j].char == wanted:
                return j
    return stop


def split_html(markup: str, limit: int = MESSAGE_LIMIT) -> list[str]:
    """Split well-formed Telegram HTML into messages of at most ``limit`` visible units.

    Cuts prefer paragraph breaks, then line breaks, then spaces; a cut never falls inside a tag
    or an entity, and tags open at a cut are closed and re-opened in the next part.
    """
    if limit < 1:
        raise ValueError("limit must be positive")
    tokens = _tokenize(markup)
    stacks = _stacks(tokens)
    parts: list[str] = []
    start, n = 0, len(tokens)
    while start < n:
        while start < n and tokens[start].kind == "text" and tokens[start].char.isspace():
            start += 1
        if start >= n:
            break
        width, stop = 0, start
        while stop < n and width + tokens[stop].width <= limit:
            width += tokens[stop].width
            stop += 1
        cut = n if stop >= n else _best_cut(tokens, start, stop)
        if cut <= start:
            cut = max(stop, start + 1)
        body = "".join(tok.raw for tok in tokens[start:cut])
        opened = "".join(raw for _, raw in stacks[start])
        closed = "".join(f"</{name}>" for name, _ in reversed(stacks[cut]))
        part = opened + body + closed
        if visible_text(part).strip():
            parts.append(part)
        start = cut
    return parts


def truncate_html(markup: str, limit: int) -> str:
    """The first ``limit`` visible units of ``markup`` as well-formed HTML, with … when cut."""
    parts = split_html(markup, max(1, limit - 1))
    if not parts:
        return ""
    return parts[0] if len(parts) == 1 else parts[0] + "…"


def html_to_text(markup: str) -> str:
    """Terminal rendering of our HTML: links become ``title (url)``, tags vanish, entities decode."""

    def _link(match: re.Match[str]) -> str:
        url, label = html.unescape(match.group(1)), match.group(2)
        return label if visible_text(label) == url else f"{label} ({escape(url)})"

    text = _LINK.sub(_link, markup)
    text = re.sub(r"<blockquote[^>]*>", "│ ", text)
    return html.unescape(_TAG.sub("", text))


def _cite_line(c: Citation, lang: str) -> str:
    title = escape(c.title or c.source or c.doc_id)
    url = safe_url(c.url)
    label = f'<a href="{escape(with_text_fragment(url, c.snippet))}">{title}</a>' if url else title
    extra = ", ".join(escape(x) for x in (c.publishers(), human_date(c.date, lang)) if x and x != c.title)
    return f"[{c.n}] {label}" + (f" — {extra}" if extra else "")


def _clip(snippet: str, limit: int = SNIPPET_CHARS) -> str:
    """A snippet on one line, cut to ``limit`` characters with an ellipsis."""
    snippet = " ".join(snippet.split())
    return snippet if len(snippet) <= limit else snippet[: limit - 1].rstrip() + "…"


def render_answer(answer: Answer, lang: str) -> str:
    """One HTML string (maybe longer than a message): the answer, then numbered sources."""
    if answer.abstained or not answer.text.strip():
        lines = [escape(t(lang, "no_answer"))]
        if answer.closest is not None:
            quote = f"<blockquote>{escape(_clip(answer.closest.snippet))}</blockquote>"
            lines.append(f"{escape(t(lang, 'closest'))}\n{quote}\n{_cite_line(answer.closest, lang)}")
        elif answer.suggestions:
            topics = ", ".join(escape(s) for s in answer.suggestions)
            lines.append(t(lang, "try_topics", topics=topics))
        return "\n\n".join(lines)
    blocks = [escape(answer.text.strip())]
    if answer.conflict:
        blocks.append(f"<i>{escape(t(lang, 'conflict'))}</i>")
    others = list(dict.fromkeys(q for c in answer.citations
                                if (q := detect_language(c.snippet)) != lang and q in LANGUAGES))
    if others:
        names = ", ".join(t(lang, f"lang_{q}") for q in others)
        blocks.append(f"<i>{escape(t(lang, 'quoted_as_written', languages=names))}</i>")
    if answer.citations:
        cites = "\n".join(_cite_line(c, lang) for c in answer.citations)
        blocks.append(f"<b>{escape(t(lang, 'sources_heading'))}</b>\n{cites}")
    return "\n\n".join(blocks)


def render_answer_messages(answer: Answer, lang: str, limit: int = MESSAGE_LIMIT) -> list[str]:
    return split_html(render_answer(answer, lang), limit)


def with_quotes(base: str, answer: Answer, lang: str, limit: int = MESSAGE_LIMIT) -> str:
    """``base`` plus the quoted snippets (as written, not translated), shortened to fit ``limit``."""
    room = limit - visible_length(base) - 40
    quotes = [c for c in answer.citations if c.snippet.strip()]
    if not quotes or room <= 0:
        return base
    each = max(40, min(SNIPPET_CHARS, room // len(quotes) - 12))
    blocks: list[str] = []
    for c in quotes:
        block = f"<blockquote>[{c.n}] {escape(_clip(c.snippet, each))}</blockquote>"
        if visible_length("".join(blocks) + block) > room:
            break
        blocks.append(block)
    if not blocks:
        return base
    return f"{base}\n\n<b>{escape(t(lang, 'quotes_heading'))}</b>\n" + "".join(blocks)


def render_sources(sources: Sequence[SourceInfo], lang: str, limit: int = MESSAGE_LIMIT) -> list[str]:
    """/sources: every document with its date and link, split into messages."""
    lines = [f"<b>{escape(t(lang, 'documents_title', n=len(sources)))}</b>"]
    for i, s in enumerate(sorted(sources, key=lambda x: (x.date, x.title), reverse=True), 1):
        title = escape(s.title or s.doc_id)
        url = safe_url(s.url)
        label = f'<a href="{escape(url)}">{title}</a>' if url else title
        meta = ", ".join(escape(x) for x in (s.source, s.date) if x)
        lines.append(f"{i}. {label}" + (f" — {meta}" if meta else ""))
    return split_html("\n".join(lines), limit)


def render_help(lang: str, sources: Sequence[SourceInfo], counts: tuple[int, int]) -> str:
    """/start and /help: what the bot knows, how to ask, example questions."""
    titles = [escape(s.title) for s in sources[:5] if s.title]
    known = "\n".join(f"• {x}" for x in titles)
    examples = "\n".join(f"• <i>{escape(t(lang, f'example_{i}'))}</i>" for i in (1, 2, 3))
    blocks = [
        escape(t(lang, "intro", docs=counts[0], chunks=counts[1])),
        f"<b>{escape(t(lang, 'knows_title'))}</b>\n{known}" if known else "",
        escape(t(lang, "how_to_ask")),
        f"<b>{escape(t(lang, 'examples_title'))}</b>\n{examples}",
        escape(t(lang, "commands")),
    ]
    return "\n\n".join(b for b in blocks if b)


def render_card_caption(card: FactCard, limit: int = CAPTION_LIMIT) -> str:
    """A fact card's photo caption, at most ``limit`` visible units."""
    c = card.citation
    url = safe_url(c.url)
    title = escape(c.title or c.source)
    source = f'<a href="{escape(with_text_fragment(url, card.sentence))}">{title}</a>' if url else title
    meta = ", ".join(escape(x) for x in (c.publishers(card.sentence), c.date) if x and x != c.title)
    footer = f"<i>{source}" + (f" — {meta}" if meta else "") + "</i>"
    head = f"<b>{escape(card.headline)}</b>"
    room = limit - visible_length(head + footer) - 8
    sentence = card.sentence.strip()
    if len(sentence) > room:
        sentence = sentence[: max(0, room - 1)].rstrip() + "…"
    caption = f"{head}\n{escape(sentence)}\n\n{footer}"
    return caption if visible_length(caption) <= limit else truncate_html(caption, limit)


def render_card_text(card: FactCard) -> str:
    """A fact card as a text message (when no image can be drawn) or terminal output."""
    return render_card_caption(card, MESSAGE_LIMIT)
