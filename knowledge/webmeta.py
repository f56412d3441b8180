"""Metadata of a web-copied page: title, publisher, author and date from its header and footer.

The header is the run of lines before the first body paragraph: the title is a headline there,
the date a dateline, the author a byline (``bylines``). The publisher is a WeChat account, the
copyright holder, a "Source:" label, a dateline lead or the masthead.
"""

from __future__ import annotations

import re

from knowledge.bylines import (
    dateline_reporters,
    labelled_author,
    name_line,
    valid_name,
    wechat_header,
)
from knowledge.models import DocumentMeta
from knowledge.text import CJK_CHARS, cjk_count, find_date, word_count
from knowledge.webfurniture import BULLET, NAV, is_furniture
from knowledge.weblines import ends_sentence, size

_AGENCY = re.compile(r"\(([A-Z][\w.&' -]{1,40})\)\s*[-–—]{1,2}")
_COPYRIGHT = re.compile(
    r"(?:(?:©|\(c\)|copyright|版权所有)\s*)+(?:\d{4}\s*[-–—]\s*)?\d{0,4}\s*(?P<name>[^.|]{2,60})", re.I
)
_SOURCE = re.compile(
    r"(?:source|источник|来源|出处)\s*[:：]\s*(?P<name>[^|\s][^|]{0,40}?)\s*(?:[|].*)?$", re.I
)
def _publisher(lines: list[str], header: list[str]) -> str:
    """Copyright holder, then a 'Source:' label, then a dateline lead, then the site-name line."""
    for line in reversed(lines):
        m = _COPYRIGHT.search(line)
        if m and (name := valid_name(re.split(r"\s[-–—|]\s|\. ", m.group("name"))[0], 6)):
            return _masthead(name, lines)
    for line in lines:
        m = _SOURCE.search(BULLET.sub("", line))
        if m and (name := valid_name(m.group("name"), 6)) and size(line) <= 12:
            return name
    for line in header:
        _, m = find_date(line)
        if m is not None and size(line) <= 16:
            lead = re.sub(r"^.*(?:e-?mail|print|comments?\(s\))\s*", "", line[: m.start()], flags=re.I)
            if name := valid_name(lead.split("|")[-1], 6):
                return name
    for line in lines[:3]:
        short_label = not NAV.search(line) and size(line) <= 10 and not ends_sentence(line)
        if short_label and (name := valid_name(re.split(r"\s[-–—|]\s", line)[0], 6)):
            return name
    return next((name for ln in lines if (m := _AGENCY.search(ln)) and (name := valid_name(m.group(1)))), "")


def _masthead(name: str, lines: list[str]) -> str:
    """The copyright holder less a trailing legal word ("X Ltd", "X社") when that is how the
    masthead or a "Source:" label names the site."""
    for label in lines[:3] + [m.group("name") for ln in lines if (m := _SOURCE.search(ln))]:
        short = valid_name(re.split(r"\s[-–—|]\s", label)[0], 6)
        if short and re.fullmatch(re.escape(short) + f"(?: [^\\W\\d]+|[{CJK_CHARS}])", name):
            return short
    return name


def _title(head: list[str], used: set[int], source: str) -> int | None:
    """The headline: the longest line that is neither used nor furniture nor a sentence."""
    candidates = {i: ln for i, ln in enumerate(head) if i not in used and not is_furniture(ln)
                  and not ends_sentence(ln.rstrip("?!")) and (word_count(ln) >= 4 or cjk_count(ln) >= 6)}
    if not candidates:
        return None
    return max(candidates, key=lambda i: (word_count(candidates[i]), -i))


def _author(lines: list[str], body_start: int, dated: set[int], source: str) -> str:
    head = lines[:body_start]
    credits = [ln for ln in lines if re.match(r"(?:reporting|prepared|compiled) by|подготовил", ln, re.I)]
    return (labelled_author(head) or dateline_reporters(" ".join(lines[body_start:body_start + 1]))
            or labelled_author(credits) or name_line(lines, dated, source))


def header_meta(lines: list[str], body_start: int) -> tuple[DocumentMeta, set[int]]:
    """Title, author, source and date from the lines before the body; the indices they used."""
    head = lines[:body_start]
    used = {i for i, ln in enumerate(head) if find_date(ln)[1] is not None}  # datelines
    date = next((iso for i in sorted(used) if (iso := find_date(head[i])[0])), "")
    # else a "Published: ..." line elsewhere on the page
    date = date or next((find_date(ln)[0] for ln in lines if size(ln) <= 12 and find_date(ln)[0]), "")
    wechat = wechat_header(head)
    source = wechat.account if wechat else _publisher(lines, head)
    author = (wechat.author if wechat else "") or _author(lines, body_start, set(used), source)
    used |= {i for i, ln in enumerate(head) if author and author in ln and size(ln) <= 16}
    title = ""
    if (i := _title(head, used, source)) is not None:
        title = head[i]
        used.add(i)
    title = title.lstrip("#").strip()
    return DocumentMeta(title=title, source=source, author=author, date=date), used
