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

from knowledge.text import CJK, word_count

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


def strip_pages(text: str) -> str:
    """``text`` without a copied PDF's page furniture; any other text unchanged."""
    lines = text.split("\n")
    numbers = {i for i, ln in enumerate(lines) if _PAGE_NUMBER.match(ln.strip())}
    if len(numbers) < 2:
        return text
    counts = Counter(ln.strip() for ln in lines if ln.strip())
    furniture = {i for i, ln in enumerate(lines)
                 if i in numbers or (counts[ln.strip()] >= 2 and 0 < word_count(ln) <= 15)}
    notes: set[str] = set()
    for end in sorted(furniture):
        if end - 1 in furniture:
            continue  # the footnotes sit over the first line of a page's furniture
        start = _footnotes_above(lines, end)
        for k in range(start, end):
            furniture.add(k)
            if m := _FOOTNOTE.match(lines[k].strip()):
                notes.add(m.group("n"))
    kept = [ln for i, ln in enumerate(lines) if i not in furniture]
    if notes:  # "…since 2019.1 Roughly" -> "…since 2019. Roughly", "百分点1。" -> "百分点。"
        n = "|".join(sorted(notes))
        mark = re.compile(rf"(?<=[\w%)»”][.;:])(?:{n})(?=\s+[A-ZА-ЯЁ«“\"]|\s*$)"
                          rf"|(?<=[a-zа-яё])(?:{n})(?=\s*$)|(?<=[\u4e00-\u9fff])(?:{n})(?=[。，；])")
        kept = [mark.sub("", ln) for ln in kept]
    return "\n".join(kept)
