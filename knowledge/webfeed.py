"""A channel feed copied from the web (a Telegram channel's page, say): several posts, each closed
by a footer line with its views and time ("👁 12,4K Дина Ахметова, 18:05"). The article is the
post with the most prose; its first line, when it is not a sentence, is its title; the footer's
signature is its author, the day line above it its date, and the page's first line the channel
that publishes it. Everything else on the page (pinned and forwarded posts, polls) is not it."""

from __future__ import annotations

import re
from dataclasses import dataclass

from knowledge.bylines import valid_name
from knowledge.text import find_date
from knowledge.webfurniture import is_furniture
from knowledge.weblines import ends_sentence, size

# views, then maybe a signature, then the time: "👁 6,1K 09:12", "👍 31 | 👁 5,8K | 19:40"
_FOOTER = re.compile(
    r"👁\s*[\d.,]+\s*[KkMКкМ]?\s*\|?\s*(?:(?P<author>[^\W\d_][^|,]{1,40}?),\s*)?\d{1,2}:\d{2}\s*$"
)
# or, in a page's English or Russian interface, a line of views alone: "3.1K views", "2 418 просмотров"
_VIEWS = re.compile(r"^[\d.,\s]+[KkMКкМ]?\s*(?:views|просмотр\w*)$", re.IGNORECASE)
# the time under a views line, the previous post's ("09:12", "edited 14:37")
_TIME_LINE = re.compile(r"^(?:edited|изменено|已编辑)?\s*\d{1,2}:\d{2}$", re.IGNORECASE)
_FORWARDED = re.compile(r"^(?:forwarded from|переслано из|转发自)\b", re.IGNORECASE)


@dataclass(frozen=True, kw_only=True)
class FeedPost:
    """One post of a feed page: its lines (title first) and what the feed says about it."""

    lines: list[str]
    title: str
    author: str
    date: str
    channel: str


def feed_post(lines: list[str]) -> FeedPost | None:
    """The main post of a feed page, or None when the page is not a feed (fewer than two posts)."""
    ends = [i for i, ln in enumerate(lines) if _FOOTER.search(ln) or _VIEWS.match(ln.strip())]
    if len(ends) < 2:
        return None
    spans = list(zip([0, *(e + 1 for e in ends[:-1])], ends, strict=True))
    start, end = max(spans, key=lambda s: sum(size(ln) for ln in lines[s[0]:s[1]] if ends_sentence(ln)))
    if any(_FORWARDED.search(ln) for ln in lines[start:end]):
        return None  # the longest post is someone else's: leave the page to the ordinary cleaner
    channel = valid_name(lines[0], 6) if lines else ""
    # a post's own lines: not its date or time, nor the channel's name over it
    own = [ln for ln in lines[start:end] if not (find_date(ln)[1] is not None and size(ln) <= 6)
           and not _TIME_LINE.match(ln.strip()) and not (channel and ln.strip() == channel)]
    heads = [i for i, ln in enumerate(own) if not is_furniture(ln)]
    if not heads:
        return None
    first = own[heads[0]]
    title = "" if ends_sentence(first) else first
    day = next((iso for ln in reversed(lines[:start + 1]) if size(ln) <= 6 and (iso := find_date(ln)[0])), "")
    m = _FOOTER.search(lines[end])
    return FeedPost(lines=own[heads[0]:], title=title, author=(m.group("author") or "").strip() if m else "",
                    date=day, channel=channel)
