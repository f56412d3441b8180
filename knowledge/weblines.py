"""Lines of text copied from a web page -> paragraphs: hard wraps undone, line measures.

A browser copy keeps the page's line breaks: prose that was hard-wrapped comes as lines of
similar width, and blocks are separated by blank lines. ``paragraphs`` joins the wrapped lines
back into paragraphs and keeps every other line (menus, labels, headlines) on its own.
"""

from __future__ import annotations

import itertools
import re

from knowledge.cleaning import normalise_whitespace
from knowledge.text import CJK, SENTENCE_END, cjk_count, word_count
from knowledge.webfurniture import is_standalone


def size(line: str) -> float:
    """Length in words, a CJK character counting half a word."""
    return word_count(line) - cjk_count(line) / 2


def width(line: str) -> int:
    return len(line) + cjk_count(line)  # a CJK character is drawn about two Latin letters wide


def ends_sentence(line: str) -> bool:
    return bool(SENTENCE_END.search(line))


# a word broken at the line end with a hyphen ("гидро-" / "электростанций")
_HYPHEN_BREAK = re.compile(r"[^\W\d_][-\u2010]$")


def _join(a: str, b: str) -> str:
    """Two pieces of one paragraph. A word hyphenated at the break is rejoined when the next line
    goes on in lower case ("гидро-" + "электростанций"); before a capital or a digit the hyphen is
    part of the word ("Китай-" + "Кыргызстан", "COVID-" + "19") and stays, without a space."""
    if _HYPHEN_BREAK.search(a):
        return a[:-1] + b if b[:1].islower() else a + b
    if CJK.match(a[-1:]) or CJK.match(b[:1]):
        return a + b
    return f"{a} {b}"


def unwrap(block: list[str]) -> list[str]:
    """Lines of one block (no blank lines inside) -> paragraphs.

    A block whose lines (but the last) share a typical wrap width is a hard-wrapped paragraph:
    its lines are joined, and a new paragraph starts only after a short line that ends a
    sentence. Elsewhere a line is joined to the next only when it stops mid-sentence and the
    next starts in lower case.
    """
    if len(block) < 2:
        return block
    widths = [width(line) for line in block[:-1]]
    wide = max(widths)
    cjk = cjk_count(" ".join(block)) * 2 > len(" ".join(block))
    # Latin and Cyrillic wrap at word ends (widths vary by a word), CJK at any character
    banded = [w for w in widths if w >= (0.9 if cjk else 0.6) * wide]
    # wrapped prose breaks mid-sentence: some continuation line starts in lower case (CJK: no case)
    continues = cjk or any(line[:1].islower() for line in block[1:])
    wrapped = continues and 30 <= wide <= 120 and len(banded) >= max(1, round(0.7 * len(widths)))
    out = [block[0]]
    for prev, line in itertools.pairwise(block):
        if is_standalone(prev) or is_standalone(line):
            new_paragraph = True
        elif _HYPHEN_BREAK.search(prev):  # no word ends in a hyphen: the line goes on below
            new_paragraph = False
        elif wrapped:
            new_paragraph = ends_sentence(prev) and width(prev) < 0.75 * wide
        else:
            new_paragraph = ends_sentence(prev) or not (line[:1].islower() or CJK.match(line[:1]))
            new_paragraph = new_paragraph or width(prev) < 30
        if new_paragraph:
            out.append(line)
        else:
            out[-1] = _join(out[-1], line)
    return out


_GAPS = re.compile(r"(?<=\S)(?: {2,}|\t+|\u3000+)(?=\S)")


def paragraphs(text: str) -> list[str]:
    """Whitespace-normalised, unwrapped paragraphs of a pasted page. A line of items separated
    by wide gaps (a menu copied from a browser) gets " | " separators first."""
    text = "\n".join(
        _GAPS.sub(" | ", line) if len(_GAPS.findall(line.strip(" \u3000"))) >= 2 else line
        for line in text.split("\n")
    )
    out: list[str] = []
    for block in normalise_whitespace(text).split("\n\n"):
        lines = [line for line in block.split("\n") if line.strip()]
        out.extend(unwrap(lines))
    return out
