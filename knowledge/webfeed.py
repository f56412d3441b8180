"""A channel feed copied from the web (a Telegram channel's page, say): several posts, each closed
by a footer line with its views and time ("👁 12,4K Дина Ахметова, 18:05"). The article is the
post with the most prose; its first line, when it is not a sentence, is its title; the footer's
signature is its author, the day line above it its date, and the page's first line the channel
that publishes it. Everything else on the page (pinned and forwarded posts, polls) is not it."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from knowledge.bylines import valid_name
from knowledge.text import find_date
from knowledge.vocabulary import GENERIC_PLACES, is_country, places_in
from knowledge.webfurniture import is_furniture
from knowledge.wrapwidth import ends_sentence, size

# views, then maybe a signature, then the time: "👁 6,1K 09:12", "👍 31 | 👁 5,8K | 19:40"
_FOOTER = re.compile(
    r"👁\s*[\d.,]+\s*[KkMКкМ]?\s*\|?\s*(?:(?P<author>[^\W\d_][^|,]{1,40}?),\s*)?\d{1,2}:\d{2}\s*$"
)
# or, in a page's English or Russian interface, a line of views alone: "3.1K views", "2 418 просмотров"
_VIEWS = re.compile(r"^[\d.,\s]+[KkMКкМ]?\s*(?:views|просмотр\w*)$", re.IGNORECASE)
# the time under a views line, the previous post's ("09:12", "edited 14:37")
_TIME_LINE = re.compile(r"^(?:edited|изменено|已编辑)?\s*\d{1,2}:\d{2}$", re.IGNORECASE)
# a photo's post: its text is the photo's caption ("Фото подписчика: очередь…", "Photo")
_PHOTO = re.compile(r"^(?:photo|video|фото|видео|图片|视频)\b", re.IGNORECASE)
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
    channel = _channel(lines)
    own = [ln for ln in lines[start:end] if _post_line(ln, channel)]
    # the channel's other posts about the same place go with it (a thread of notes on one border
    # crossing), in page order; posts about anything else stay out
    about = _places(lines[start:end])
    related = [s for s in spans if s != (start, end) and about & _places(lines[s[0]:s[1]])
               and not any(_PHOTO.match(ln.strip()) for ln in lines[s[0]:s[1]])]
    if related:
        own = own + [ln for s0, s1 in related for ln in lines[s0:s1] if _post_line(ln, channel)]
    heads = [i for i, ln in enumerate(own) if not is_furniture(ln)]
    if not heads:
        return None
    first = own[heads[0]]
    title = channel if ends_sentence(first) else first  # a post with no heading line goes by its channel
    day = next((iso for ln in reversed(lines[:start + 1]) if size(ln) <= 6 and (iso := find_date(ln)[0])), "")
    m = _FOOTER.search(lines[end])
    return FeedPost(lines=own[heads[0]:], title=title, author=(m.group("author") or "").strip() if m else "",
                    date=day, channel=channel)


def _channel(lines: list[str]) -> str:
    """The channel's name: the line heading every post (a web preview repeats it over each), else
    the page's first line."""
    counts = Counter(ln.strip() for ln in lines if size(ln) <= 8 and not ends_sentence(ln))
    name, seen = counts.most_common(1)[0] if counts else ("", 0)
    heading = valid_name(name, 6) if seen >= 3 and not is_furniture(name) else ""
    return heading or (valid_name(lines[0], 6) if lines else "")


def _places(lines: list[str]) -> frozenset[str]:
    """The towns, crossings and routes a post names (not countries, which every post names)."""
    found = places_in(" ".join(lines)) - GENERIC_PLACES
    return frozenset(p for p in found if not is_country(p))


def _post_line(line: str, channel: str) -> bool:
    """A line of a post's text, not its stamp, its channel heading or a forwarding note."""
    bare = line.strip()
    return not ((channel and bare == channel) or _TIME_LINE.match(bare) or _VIEWS.match(bare)
                or _FOOTER.search(bare) or _FORWARDED.search(bare)
                or (find_date(bare)[1] is not None and size(bare) <= 6))
