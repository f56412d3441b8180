"""Text copied out of a PDF viewer: page furniture between the lines of the running text.

A copied PDF keeps each page's running header and footer, its page number ("Page 2 of 3",
"Стр. 1 из 3", "— 2 —", "第2页 共3页") and its footnotes at the foot of the page, wherever the page
broke, often inside a sentence. When a text has two page numbers or more it is read as such a
copy: its page numbers, the short lines that repeat on every page (running headers and footers)
and the footnotes just above them go, and so do the footnotes' marks in the text ("2019.1" ->
"2019."), so that a paragraph runs on across the page break as it did in the document.
"""

from __future__ import annotations

import re
from collections import Counter

from knowledge.text import CJK, find_date
from knowledge.webfurniture import CONTENTS_LINE
from knowledge.wrapwidth import ends_sentence, size

_PAGE_NUMBER = re.compile(
    r"^(?:page\s+\d+(?:\s*(?:of|/)\s*\d+)?|p\.\s*\d+|стр\.?\s*\d+(?:\s*из\s*\d+)?|страница\s+\d+(?:\s+из\s+\d+)?"
    r"|[-–—]\s*\d{1,3}\s*[-–—]|\d{1,3}\s*/\s*\d{1,3}|第\s*\d+\s*页(?:\s*[，,]?\s*共\s*\d+\s*页)?)$",
    re.IGNORECASE,
)
# a footnote at the foot of a page: its number, a space, then a capital or a Chinese character
_FOOTNOTE = re.compile(r"^(?P<n>\d{1,2})\s+[A-ZА-ЯЁ\u4e00-\u9fff“«\"]")


def _footnotes_above(lines: list[str], end: int) -> int:
    """Where the footnotes over a page's footer (``end``) start: ``end`` when there are none.
    Going up, a footnote's overflow lines (lower case or Chinese) come before its number."""
    start, k = end, end - 1
    while k >= 0 and end - k <= 8:
        line = lines[k].strip()
        if _FOOTNOTE.match(line):
            start = k
        elif not (line[:1].islower() or CJK.match(line[:1])):
            break
        k -= 1
    return start


def is_pdf_copy(text: str) -> bool:
    """Two page numbers or more: a text copied out of a PDF viewer."""
    return sum(1 for ln in text.split("\n") if _PAGE_NUMBER.match(ln.strip())) >= 2


# a browser's PDF viewer copied with the text: the file's name, the zoom and its buttons
_VIEWER = re.compile(r"^(?:\S+\.pdf|[−+-]|\d{1,3}\s?%|download|print|zoom in|zoom out|скачать|печать"
                     r"|下载|打印)$", re.IGNORECASE)


def viewer_chrome(line: str) -> bool:
    return _VIEWER.match(line.strip()) is not None


def strip_pages(text: str) -> str:
    """``text`` without a copied PDF's page furniture; any other text unchanged."""
    lines = text.split("\n")
    numbers = {i for i, ln in enumerate(lines) if _PAGE_NUMBER.match(ln.strip())}
    if len(numbers) < 2:
        return text
    counts = Counter(ln.strip() for ln in lines if ln.strip())
    furniture = {i for i, ln in enumerate(lines)
                 if i in numbers or (counts[ln.strip()] >= 2 and 0 < size(ln) <= 15)
                 or viewer_chrome(ln)}
    notes: set[str] = set()
    for end in sorted(furniture):
        if end - 1 in furniture:
            continue  # the footnotes sit over the first line of a page's furniture
        start = _footnotes_above(lines, end)
        for k in range(start, end):
            furniture.add(k)
            if m := _FOOTNOTE.match(lines[k].strip()):
                notes.add(m.group("n"))
    # a page break is not a paragraph break: blank lines around a page's furniture go with it, so
    # a paragraph running on to the next page is read whole
    for i in sorted(furniture):
        for step in (-1, 1):
            k = i + step
            while 0 <= k < len(lines) and not lines[k].strip():
                furniture.add(k)
                k += step
    kept = [ln for i, ln in enumerate(lines) if i not in furniture]
    if notes:  # "…since 2019.1 Roughly" -> "…since 2019. Roughly", "百分点1。" -> "百分点。"
        n = "|".join(sorted(notes))
        # before a new sentence, or at a line's end after a word's full stop: never a figure's
        # decimal ("霍尔果斯 3120 14.2" keeps its 2)
        mark = re.compile(rf"(?<=[\w%)»”][.;:])(?:{n})(?=\s+[A-ZА-ЯЁ«“\"])"
                          rf"|(?:(?<=[^\W\d][.;:])|(?<=[%)»”][.;:]))(?:{n})(?=\s*$)"
                          rf"|(?<=[a-zа-яё])(?:{n})(?=\s*$)|(?<=[\u4e00-\u9fff])(?:{n})(?=[。，；])")
        kept = [mark.sub("", ln) for ln in kept]
    return "\n".join(kept)


# cover lines that are not the title: the document's kind and number, labels, authors, contents
_NOT_TITLE = re.compile(
    r"№|\bno\.\s*\S*\d|〔\d|第\s*\d+\s*期|总第|^(?:press release|for immediate release|contents"
    r"|содержание|оглавление|status|date of|авторы?|подготовил\w*|by|summary|аннотация|目\s*录|文\s*/|作者"
    r"|【?摘要)",
    re.IGNORECASE,
)
# an organisation's name on the cover ("天山口岸经济监测中心", "…交流处编 2024年…")
_ORGANISATION = re.compile(r"(?:中心|研究院|研究所|大学|学院|处|局|部|委员会|协会|公司|集团|银行)编?$")
_ABSTRACT = re.compile(r"^(?:【?摘\s*要|summary|abstract|аннотация|резюме)\b", re.IGNORECASE)
_SECTION = re.compile(r"^(?:\d{1,2}\.\s|[一二三四五六七八九十]+、)")


def cover_title(lines: list[str]) -> str:
    """The title on a copied PDF's cover: the first line that is not the issuer (in capitals),
    the document's kind or number, a date, an author or the contents, joined with the next when
    that one goes on (in lower case, after an open quote, or Title Case after Title Case, or
    Chinese that does not name an organisation)."""
    cover: list[str] = []
    for line in (ln.strip() for ln in lines if ln.strip()):
        heading = _SECTION.match(line) and not re.search(CONTENTS_LINE, line)
        if heading or ends_sentence(line) or _ABSTRACT.match(line):
            break  # the first section heading, abstract or sentence: the text has begun
        cover.append(line)
    fit = [i for i, ln in enumerate(cover) if not (ln.isupper() or _NOT_TITLE.search(ln) or find_date(ln)[1]
                                                  or re.search(CONTENTS_LINE, ln)
                                                  or _ORGANISATION.search(ln) or size(ln) < 3)]
    if not fit:
        return ""
    # the first such line, unless it is a series' short name ("国际合作简报", "Project Summary
    # Information") over a longer one
    at = fit[0] if size(cover[fit[0]]) >= 5 else max(fit, key=lambda i: (size(cover[i]), -i))
    first = cover[at]
    if at + 1 in fit and _goes_on(first, cover[at + 1]):
        nxt = cover[at + 1]
        return first + nxt if CJK.search(first[-1:]) else f"{first} {nxt}"
    return first


def _title_case(line: str) -> bool:
    words = [w for w in re.findall(r"[^\W\d_][\w'’-]*", line) if len(w) > 3]
    return bool(words) and sum(w[0].isupper() for w in words) >= 0.8 * len(words)


# the authors under a cover's title: "Saule Abenova and Li Weichen", "A. Ivanov, B. Petrova"
_NAME_PAIR = r"[A-ZА-ЯЁ][\w.'-]*\s[A-ZА-ЯЁ][\w'-]+"
_AUTHORS = re.compile(rf"^{_NAME_PAIR}(?:(?:,|\sand|\sи|\s&)\s{_NAME_PAIR})+$")


def _goes_on(first: str, nxt: str) -> bool:
    if re.search(r"[.!?。！？:：]$", first) or _AUTHORS.match(nxt):
        return False
    return bool(nxt[:1].islower() or nxt[:1] in "«“\"(" or (_title_case(first) and _title_case(nxt))
                or ((CJK.match(nxt[:1]) or nxt[:1].isdigit()) and CJK.search(first[-1:])))


_ORG_WORD = re.compile(
    r"\b(?:group|bank|institute|centre|center|association|ministry|agency|university|company|corporation"
    r"|foundation|council|forum|центр(?:а|у|ом|е)?|ассоциаци\w*|институт\w*|министерств\w*|агентств\w*|университет\w*"
    r"|банк\w*|фонд\w*|компани\w*)\b",
    re.IGNORECASE,
)


def cover_issuer(text: str) -> str:
    """Who issued a copied PDF: the longest of its top lines that names an organisation (in
    capitals, or with an organisation's word or ending), as the document spells it elsewhere, or
    else in ordinary case."""
    found = []
    for line in [ln.strip() for ln in text.split("\n") if ln.strip() and not viewer_chrome(ln)][:8]:
        part = re.split(r"\s[—·|]\s", line)[0]
        if _ORG_WORD.search(part):  # "Tian Shan Institute for Economic Research, Almaty": less the city
            part = re.sub(r",\s*[A-ZА-ЯЁ][\w-]+$", "", part)
        part = re.sub(r"编?\s*\d{4}\s*年.*$", "", part).strip()  # "…交流处编 2024年12月25日"
        if not 2 <= size(part) <= 10 or part[:1].islower() or _NOT_TITLE.search(part) or find_date(part)[1]:
            continue
        if (part.isupper() and not CJK.search(part)) or _ORG_WORD.search(part) or _ORGANISATION.search(part):
            found.append(part)
    if not found:
        return ""
    name = max(found, key=len)
    if not name.isupper():
        return name
    written = [m.group() for m in re.finditer(rf"(?<!\w){re.escape(name)}(?!\w)", text, re.IGNORECASE)]
    plain = next((w for w in written if not w.isupper()), _ordinary_case(name))
    # a quoted name inside it as the document writes it elsewhere («Транзит Евразия»)
    return re.sub(r"«([^»]+)»", lambda m: f"«{_spelt(m.group(1), text)}»", plain)


def _spelt(name: str, text: str) -> str:
    written = (m.group(1) for m in re.finditer(rf"«({re.escape(name)})»", text, re.IGNORECASE))
    return next((w for w in written if not w.isupper()), name)


_SMALL_WORDS = frozenset({"and", "of", "for", "the", "in", "on", "at", "to"})


def _ordinary_case(name: str) -> str:
    """A name set in capitals, as it is written: Title Case in English, sentence case in Russian
    (and after an opening quote: «Транзит Евразия»)."""
    words = name.split()
    if re.search(r"[А-ЯЁ]", name):
        out = name.lower()
        return re.sub(r"(^|«|\")(\w)", lambda m: m.group(1) + m.group(2).upper(), out)
    return " ".join(w.capitalize() if i == 0 or w.lower() not in _SMALL_WORDS else w.lower()
                    for i, w in enumerate(words))
