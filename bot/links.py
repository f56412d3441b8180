"""Citation links that open at the quoted sentence: URL text fragments (``#:~:text=start,end``).

Text fragments are the WICG Scroll-to-Text-Fragment syntax that Chromium browsers, Safari and
Telegram's in-app browser on most phones follow: the page scrolls to the first match of the
quoted text and highlights it. A browser without support opens the page at its top, as before.

Encoding, per the spec's text directive grammar: a value may only hold unreserved characters
unencoded; everything else is percent-encoded as UTF-8. That covers the characters the directive
itself uses as syntax (``-`` marks a prefix or suffix, ``,`` separates start and end, ``&``
separates directives), which must be percent-encoded inside values, and everything that is not
allowed in a URL fragment (spaces, quotes, ``<``, ``>``, backticks, ``#``, ``%``, non-ASCII).
"""

from __future__ import annotations

import re
from urllib.parse import quote

DIRECTIVE = ":~:text="
EDGE_WORDS = 4  # words quoted at each end of a long snippet
SHORT_WORDS = 2 * EDGE_WORDS + 2  # up to this many words, the whole snippet is quoted
EDGE_CHARS = 10  # for text without spaces (Chinese): characters at each end
SHORT_CHARS = 2 * EDGE_CHARS + 6
_WEB = re.compile(r"https?://[^\s#]+", re.IGNORECASE)


def encode_directive_value(text: str) -> str:
    """``text`` percent-encoded for a text directive: only ``A-Z a-z 0-9 . _ ~`` stay as they are;
    ``-``, ``,`` and ``&`` (directive syntax) and everything else become UTF-8 ``%XX``."""
    return quote(text, safe="").replace("-", "%2D")


def fragment_terms(snippet: str) -> tuple[str, str | None]:
    """(start, end) to quote for ``snippet``: the whole of a short one (end None), else a few
    words (or, without spaces, characters) at its start and at its end. A snippet joining several
    quotes with " … " points at its first quote."""
    text = " ".join(snippet.split(" … ")[0].split()).strip(" …")
    words = text.split(" ")
    if len(words) > 1:
        if len(words) <= SHORT_WORDS:
            return text, None
        return " ".join(words[:EDGE_WORDS]), " ".join(words[-EDGE_WORDS:])
    if len(text) <= SHORT_CHARS:
        return text, None
    return text[:EDGE_CHARS], text[-EDGE_CHARS:]


def with_text_fragment(url: str, snippet: str) -> str:
    """``url`` with a text fragment pointing at ``snippet``; unchanged when it is not a web
    address (http/https), already has a fragment, or the snippet is empty."""
    url = url.strip()
    if not _WEB.fullmatch(url) or not snippet.strip():
        return url
    start, end = fragment_terms(snippet)
    value = encode_directive_value(start) + ("," + encode_directive_value(end) if end else "")
    return f"{url}#{DIRECTIVE}{value}"
