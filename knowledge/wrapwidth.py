"""How wide a pasted page's lines are, and the width its prose was hard-wrapped at (pure functions).

A wrapped paragraph's lines (all but its last) are about equally wide: Latin and Cyrillic prose
is cut at a word end, Chinese at any character. ``weblines`` undoes the wraps these widths reveal.
"""

from __future__ import annotations

import itertools
import re

from knowledge.text import CJK, SENTENCE_END, cjk_count, word_count
from knowledge.webfurniture import is_standalone


def size(line: str) -> float:
    """Length in words, a CJK character counting half a word."""
    return word_count(line) - cjk_count(line) / 2


def width(line: str) -> int:
    return len(line) + cjk_count(line)  # a CJK character is drawn about two Latin letters wide


def ends_sentence(line: str) -> bool:
    return bool(SENTENCE_END.search(line))


# a word broken at the line end with a hyphen ("гидро-" / "электростанций"); a lone letter before
# it is a control's label ("A+ A A-"), not a broken word
HYPHEN_BREAK = re.compile(r"[^\W\d_]{2}[-\u2010]$")


def wrap_width(block: list[str]) -> int | None:
    """The width a block was hard-wrapped at, or None when its lines are not wrapped prose.

    Its lines (but the last) share a typical width (Latin and Cyrillic wrap at word ends, so
    widths vary by a word; CJK at any character), and some line goes on a sentence: it starts in
    lower case (CJK has no case)."""
    if len(block) < 2:
        return None
    widths = [width(line) for line in block[:-1]]
    wide = max(widths)
    cjk = cjk_count(" ".join(block)) * 2 > len(" ".join(block))
    banded = [w for w in widths if w >= (0.9 if cjk else 0.6) * wide]
    continues = cjk or any(line[:1].islower() for line in block[1:])
    # a wrapped paragraph's first line is a full one: a short CJK line over longer ones is a name or
    # a label over them ("霍尔果斯老陈" over a line of their profile)
    if cjk and widths[0] < 0.6 * wide:
        return None
    if continues and 30 <= wide <= 120 and len(banded) >= max(1, round(0.7 * len(widths))):
        return wide
    return None


def page_wrapped(block: list[str], page_width: int | None, in_body: bool = False) -> bool:
    """A block of prose wrapped at the page's wrap width though no line of it starts in lower case
    ("... signed by Vice Minister X," / "Chairman Y and" / "President Z."): three lines or more,
    every one but the last about as wide as the page's wrapped paragraphs, and the last ending a
    sentence. Two lines could as well be a headline over a one-sentence standfirst: they count
    only below the article's first wrapped paragraph (an author's note: "X covers mining for Steppe
    Capital" / "Weekly from Karaganda."), the second shorter than a full line."""
    if page_width is None or len(block) < 2 or not ends_sentence(block[-1]):
        return False
    if len(block) == 2 and not (in_body and width(block[1]) < 0.75 * page_width):
        return False
    return all(0.75 * page_width <= width(line) <= 1.1 * page_width for line in block[:-1])


def mixed_width(block: list[str]) -> int:
    """The wrap width of prose paragraphs pasted without blank lines between them and the page's
    menus, labels and headlines (``wrap_width`` needs the whole block wrapped), or 0: at least
    three lines go on in lower case on the next line, most of them about as wide as the widest."""
    if cjk_count(" ".join(block)) * 2 > len(" ".join(block)):
        return 0
    goes_on = [width(a) for a, b in itertools.pairwise(block) if b[:1].islower() and not is_standalone(a)]
    if len(goes_on) < 3:
        return 0
    wide = max(goes_on)
    near = [w for w in goes_on if w >= 0.75 * wide]
    return wide if 30 <= wide <= 120 and len(near) >= 0.6 * len(goes_on) else 0


def cjk_wrap_width(lines: list[str]) -> int:
    """The width a page's Chinese prose is hard-wrapped at, or 0: most long Chinese lines are about
    equally wide (a wrap cuts at any character)."""
    widths = [width(ln) for ln in lines if CJK.match(ln[:1]) and cjk_count(ln) >= 20]
    if len(widths) < 5:
        return 0
    common = max(set(widths), key=widths.count)
    near = sum(1 for w in widths if abs(w - common) <= 3)
    return common if near >= 0.6 * len(widths) else 0


def first_piece(line: str) -> str:
    """What a greedy wrap would have had to fit on the line above: the first word, whole (a wrapper
    may or may not break "January-June" after the hyphen; the whole word is the cautious reading)."""
    return line.split()[0] if line.split() else ""


def greedy_wrap_width(lines: list[str]) -> int:
    """The column a page's Latin or Cyrillic prose was greedily wrapped at (a lower bound), or 0.

    Every line a wrap cut (the next goes on in lower case) is at most the column wide, and with the
    next line's first word it would not have fitted. When such a column exists for three cuts or
    more (a monospaced wrap, not a PDF's proportional lines), the widest cut is a lower bound."""
    cuts = [(width(a), width(a) + 1 + len(first_piece(b))) for a, b in itertools.pairwise(lines)
            if b[:1].islower() and a.strip() and not CJK.search(a) and not HYPHEN_BREAK.search(a)]
    if len(cuts) < 3:
        return 0
    widest, tightest = max(w for w, _ in cuts), min(f for _, f in cuts)
    return widest if widest < tightest else 0
