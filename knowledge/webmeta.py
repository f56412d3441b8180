"""Metadata of a web-copied page: title, publisher, author and date from its header and footer.

The header is the run of lines before the first body paragraph: the title is a headline there,
the date a dateline, the author a byline (or a bare name by the dateline). The publisher is the
copyright holder, a "Source:" label, a dateline lead or the masthead.
"""

from __future__ import annotations

import re

from knowledge.models import DocumentMeta
from knowledge.text import CJK, CJK_CHARS, WEEKDAY, cjk_count, find_date, word_count
from knowledge.webfurniture import BULLET, NAV, is_furniture
from knowledge.weblines import ends_sentence, size

_BYLINE = re.compile(
    r"^(?:by|written by|reporting by|автор|текст|author|作者|文|记者|撰文|撰稿)\s*[:：/—-]?\s*"
    r"(?:(?:本报|本网|特约)?(?:记者|通讯员)\s*)?"
    r"(?P<name>[^\W\d_][^|;,\n]{1,60}?)\s*(?:[|;,(（].*|\s+(?:for|from|in)\s.*)?$",
    re.IGNORECASE,
)
_CJK_BYLINE = re.compile(
    r"(?:^|\s|（|\()(?:作者|记者|撰文|撰稿|文)\s*[:：/]?\s*(?:本报记者|本报|记者)?\s*"
    r"(?P<name>[\u4e00-\u9fff·]{2,5}(?:\s[\u4e00-\u9fff·]{2,5}){0,2})(?=$|\s|）|\)|\|)"
)
_TRAILING_BY = re.compile(
    r"(?:^|\s)(?:by|автор[:]?)\s+(?P<name>[A-ZА-ЯЁ][\w'’.-]+(?:\s+[A-ZА-ЯЁ][\w'’.-]+){0,3})\s*$"
)
_AGENCY = re.compile(r"\(([A-Z][\w.&' -]{1,40})\)\s*[-–—]{1,2}")
_COPYRIGHT = re.compile(
    r"(?:(?:©|\(c\)|copyright|版权所有)\s*)+(?:\d{4}\s*[-–—]\s*)?\d{0,4}\s*(?P<name>[^.|]{2,60})", re.I
)
_SOURCE = re.compile(
    r"(?:source|источник|来源|出处)\s*[:：]\s*(?P<name>[^|\s][^|]{0,40}?)\s*(?:[|].*)?$", re.I
)
_TIME = re.compile(r"^\d{1,2}:\d{2}")
# an unlabelled byline: a person's two or three capitalised names, perhaps ", role" or ", city"
_NAME = r"[A-ZА-ЯЁ][a-zа-яё'’]+(?:-[A-ZА-ЯЁa-zа-яё][a-zа-яё'’]+)?"
_NAME_LINE = re.compile(rf"^(?P<name>{_NAME}(?:\s+{_NAME}){{1,2}})(?:\s*,\s*[^\W\d][^,\d]{{0,30}})?$")


def valid_name(name: str) -> str:
    """A publisher or author name, or "" for a date, a time, a weekday or a sentence."""
    name = name.strip()
    if CJK.match(name[:1]) and not all(len(part) <= 5 and CJK.match(part) for part in name.split()):
        name = name.split()[0] if name.split() else ""
    name = re.sub(r"[,\s]+(?:19|20)\d\d(?:\s*[-–—]\s*(?:19|20)\d\d)?\s*$", "", name)
    name = name.strip(" .,:;：|-–—«»\"“”„")
    if "«" in name and "»" not in name:
        name = name.split("«", 1)[1]
    if (not name or WEEKDAY.match(name) or _TIME.match(name) or find_date(name)[1] is not None
            or not any(ch.isalpha() for ch in name) or word_count(name) > (12 if CJK.match(name[:1]) else 6)):
        return ""
    return name


def _publisher(lines: list[str], header: list[str]) -> str:
    """Copyright holder, then a 'Source:' label, then a dateline lead, then the site-name line."""
    for line in reversed(lines):
        m = _COPYRIGHT.search(line)
        if m and (name := valid_name(re.split(r"\s[-–—|]\s|\. ", m.group("name"))[0])):
            return _masthead(name, lines)
    for line in lines:
        m = _SOURCE.search(BULLET.sub("", line))
        if m and (name := valid_name(m.group("name"))) and size(line) <= 12:
            return name
    for line in header:
        _, m = find_date(line)
        if m is not None and size(line) <= 16:
            lead = re.sub(r"^.*(?:e-?mail|print|comments?\(s\))\s*", "", line[: m.start()], flags=re.I)
            if name := valid_name(lead.split("|")[-1]):
                return name
    for line in lines[:3]:
        short_label = not NAV.search(line) and size(line) <= 10 and not ends_sentence(line)
        if short_label and (name := valid_name(re.split(r"\s[-–—|]\s", line)[0])):
            return name
    return next((name for ln in lines if (m := _AGENCY.search(ln)) and (name := valid_name(m.group(1)))), "")


def _masthead(name: str, lines: list[str]) -> str:
    """The copyright holder less a trailing legal word ("X Ltd", "X社") when that is how the
    masthead or a "Source:" label names the site."""
    for label in lines[:3] + [m.group("name") for ln in lines if (m := _SOURCE.search(ln))]:
        short = valid_name(re.split(r"\s[-–—|]\s", label)[0])
        if short and re.fullmatch(re.escape(short) + f"(?: [^\\W\\d]+|[{CJK_CHARS}])", name):
            return short
    return name


def _name_line(lines: list[str], dated: set[int], publisher: str) -> str:
    """An unlabelled byline: a person's name next to the dateline, unless it names the publication
    or is a menu item (a section label)."""
    menu = {it.strip().casefold() for ln in lines if NAV.search(ln) for it in re.split(r"\s[|›»>·/]\s", ln)}
    for i, line in enumerate(lines):
        if (m := _NAME_LINE.match(line.strip())) and {i - 1, i + 1} & dated and not is_furniture(line):
            name, site = m.group("name").casefold(), publisher.casefold() or "\0"
            if name not in site and site not in name and name not in menu:
                return m.group("name")
    return ""


def _author(lines: list[str]) -> str:
    segments = [seg.strip() for line in lines for seg in re.split(r"\s\|\s|\s{2,}", line)]
    for line in segments:
        bare = BULLET.sub("", line).strip()
        m = _BYLINE.match(bare) or _TRAILING_BY.search(bare) or _CJK_BYLINE.search(bare)
        if m and size(line) <= 16:
            name = valid_name(m.group("name"))
            if name and (name[0].isupper() or CJK.match(name[0])) and size(name) <= 5:
                return name
    return ""


def header_meta(lines: list[str], body_start: int) -> tuple[DocumentMeta, set[int]]:
    """Title, author, source and date from the lines before the body; the indices they used."""
    head = lines[:body_start]
    used = {i for i, ln in enumerate(head) if find_date(ln)[1] is not None}  # datelines
    date = next((iso for i in sorted(used) if (iso := find_date(head[i])[0])), "")
    # else a "Published: ..." line elsewhere on the page
    date = date or next((find_date(ln)[0] for ln in lines if size(ln) <= 12 and find_date(ln)[0]), "")
    source = _publisher(lines, head)
    author = (_author(head) or _author([ln for ln in lines if re.match(r"reporting by", ln, re.I)])
              or _name_line(lines, set(used), source))
    used |= {i for i, ln in enumerate(head) if author and author in ln and size(ln) <= 16}
    candidates = [(i, ln) for i, ln in enumerate(head) if i not in used and not is_furniture(ln)
                  and not ends_sentence(ln.rstrip("?!")) and (word_count(ln) >= 4 or cjk_count(ln) >= 6)]
    title = ""
    if candidates:
        i, title = max(candidates, key=lambda c: (word_count(c[1]), -c[0]))
        used.add(i)
    title = title.lstrip("#").strip()
    return DocumentMeta(title=title, source=source, author=author, date=date), used

