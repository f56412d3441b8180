"""Lines of text copied from a web page -> paragraphs: hard wraps undone, line measures.

A browser copy keeps the page's line breaks: prose that was hard-wrapped comes as lines of
similar width, and blocks are separated by blank lines. ``paragraphs`` joins the wrapped lines
back into paragraphs and keeps every other line (menus, labels, headlines) on its own.
"""

from __future__ import annotations

import itertools
import re

from knowledge.cleaning import normalise_whitespace
from knowledge.text import CJK, CJK_CHARS, CLOCK, cjk_count, find_date, word_count
from knowledge.webfurniture import BULLET, LABELLED, RELATED, is_furniture, is_standalone
from knowledge.wrapwidth import (
    HYPHEN_BREAK,
    cjk_wrap_width,
    ends_sentence,
    first_piece,
    greedy_wrap_width,
    mixed_width,
    page_wrapped,
    size,
    width,
    wrap_width,
)


def _join(a: str, b: str, compounds: frozenset[str] = frozenset()) -> str:
    """Two pieces of one paragraph. A word hyphenated at the break is rejoined when the next line
    goes on in lower case ("гидро-" + "электростанций"), unless the page spells that compound with
    its hyphen elsewhere ("Xi'an-based"); before a capital or a digit the hyphen is part of the word
    ("Китай-" + "Кыргызстан", "COVID-" + "19") and stays, without a space."""
    if HYPHEN_BREAK.search(a):
        head, tail = re.search(r"[\w'’]*[-\u2010]$", a), re.match(r"[\w'’]*", b)
        compound = f"{head.group()[:-1] if head else ''}-{tail.group() if tail else ''}".casefold()
        return a[:-1] + b if b[:1].islower() and compound not in compounds else a + b
    if CJK.match(a[-1:]) or CJK.match(b[:1]) or a[-1:] in _CJK_OPENING:
        return a + b
    if _NUMERIC_END.search(a) and _NUMERIC_START.match(b) and cjk_count(a) * 2 > len(a):
        return a + b  # a figure wrapped inside Chinese prose ("3" / "0万公顷"): no space in it
    return f"{a} {b}"


_CJK_OPENING = "（“《‘「"
_NUMERIC_END = re.compile(r"[\d.,]$")
_NUMERIC_START = re.compile(r"[\d.,%]")


_COMPOUND = re.compile(r"[^\W\d_][\w'’]*-[^\W\d_][\w'’]*")


def _compounds(text: str) -> frozenset[str]:
    """Hyphenated words written on one line of the page: its own spelling of compounds."""
    return frozenset(word.casefold() for word in _COMPOUND.findall(text))


def unwrap(
    block: list[str], page_width: int | None = None, compounds: frozenset[str] = frozenset(),
    in_body: bool = False, cjk_wrap: int = 0, greedy: int = 0,
) -> list[str]:
    """Lines of one block (no blank lines inside) -> paragraphs.

    A hard-wrapped block (``wrap_width``, or lines as wide as the page's other wrapped
    paragraphs) has its lines joined, and a new paragraph starts only after a short line that
    ends a sentence. Elsewhere a line is joined to the next only when it stops mid-sentence and
    the next starts in lower case (or is CJK).
    """
    if len(block) < 2:
        return block
    wide = wrap_width(block) or 0
    if not wide and page_wrapped(block, page_width, in_body):
        wide = max(width(line) for line in block[:-1])
    # a block of menus and a paragraph wrapped like the page's others (one of its lines goes on in
    # lower case): the page's wrap width
    evidence = any(b[:1].islower() for b in block[1:])
    mixed = 0 if wide else (mixed_width(block) or (page_width or 0 if evidence else 0))
    out = [block[0]]
    listing = False  # the lines under a "Related" / "往期推荐" heading are items, one a line
    headings = _headings(block, wide or mixed)
    for i, (prev, line) in enumerate(itertools.pairwise(block), start=1):
        listing = listing or bool(RELATED.match(prev.strip()))
        if listing and line[:1].islower() and not ends_sentence(prev):
            listing = False  # a wrapped paragraph goes on under a one-headline "Читайте также" insert
        # in a block of wrapped prose among menus and labels, only a full line is wrapped prose
        full = mixed if 0.75 * mixed <= width(prev) <= mixed and not is_furniture(prev) else 0
        # where Chinese prose is hard-wrapped, a Chinese line well short of the wrap that ends no
        # sentence or clause was not cut by it: a headline over its subtitle, a caption
        short = (cjk_wrap and not wide and CJK.match(prev[:1]) and CJK.match(line[:1])
                 and width(prev) < 0.8 * cjk_wrap and not ends_sentence(prev)
                 and prev.rstrip()[-1:] not in f"{_CJK_OPENING}，,、：:")
        # a greedy wrap would have put the next line's first word on this one: not a cut line
        fits = (greedy and not CJK.search(prev) and not HYPHEN_BREAK.search(prev)
                and not _OPEN_WORD.search(prev) and width(prev) + 1 + len(first_piece(line)) <= greedy)
        if listing or i in headings or short or fits or _breaks(prev, line, wide or full):
            out.append(line)
        else:
            out[-1] = _join(out[-1], line, compounds)
    return out


def _title_case(line: str) -> bool:
    """A headline's line: four longer words or more, every one in upper case, no comma or figure
    (a line of prose naming a ministry has them: "On 20 August 2025, in Astana, the Ministry of")."""
    words = re.findall(r"[^\W\d_][\w'’-]*", line)
    long = [w for w in words if len(w) >= 4]
    return len(long) >= 4 and all(w[0].isupper() for w in long) and not re.search(r"[,\d]", line)


def _headings(block: list[str], wide: int) -> set[int]:
    """Lines of wrapped prose that are headings ("2. Export dynamics", "Table 1. Container
    traffic", "Service at a glance"): after a sentence's end, short, not ending one themselves, the
    next line (if any) not going on in lower case."""
    if not wide:
        return set()
    return {
        i for i in range(1, len(block))
        if ends_sentence(block[i - 1]) and not ends_sentence(block[i]) and width(block[i]) < 0.75 * wide
        and not CJK.match(block[i][:1]) and (i + 1 == len(block) or not block[i + 1][:1].islower())
    }


def _breaks(prev: str, line: str, wide: int) -> bool:
    """Whether a new paragraph starts at ``line`` after ``prev``; ``wide`` is the block's wrap
    width, 0 when the block is not wrapped prose."""
    cut = wide and width(prev) >= 0.75 * wide and not ends_sentence(prev) and not prev.rstrip().endswith(":")
    if line.startswith(("— ", "– ")) and (prev.rstrip().endswith(",") or cut):
        # «…», / — сказала она: the speaker's words go on after a dash; so does a full line that
        # a wrap cut just before a dash ("из них шестеро / — из Китая")
        return False
    if is_standalone(line) or (_CITY_DATE.match(line) and size(line) <= 8 and find_date(line)[0]):
        return True
    if _timestamped(line) or _timestamped(prev):  # "原创 周安然 欧亚数贸观察 2026年3月11日 20:15 新疆"
        return True
    if _table_row(prev) or _table_row(line):  # a table's rows stay rows
        return True
    # no heading or paragraph ends in "to", "of", "и": "… IN RELATION TO / THE ZHARMA …"
    if (_OPEN_WORD.search(prev) and word_count(prev) >= 4 and not ends_sentence(prev)
            and not is_standalone(prev)):
        return False
    if not CJK.search(prev) and re.search(r"[^\W\d_]{2}", prev) and CJK.match(line[:1]):
        return True  # a Latin line (a company's name) over a Chinese one: two texts, not a wrap
    full = wide and width(prev) >= 0.9 * wide  # a line the wrap cut, however its words are cased
    if (_title_case(prev) and not ends_sentence(prev) and line[:1].isupper() and not _title_case(line)
            and not full):
        return True  # a headline in Title Case over its standfirst in sentence case
    if is_standalone(prev):
        # a labelled line ("About the author: ...") or a list item or an interview reply led by
        # a dash ("— В Туркестанской области ...") may itself be wrapped onto the next line
        led = LABELLED.match(prev.strip()) or BULLET.match(prev.strip())
        return not (wide and led and width(prev) >= 0.75 * wide and not ends_sentence(prev))
    if HYPHEN_BREAK.search(prev):  # no word ends in a hyphen: the line goes on below
        return False
    if wide:
        # a short line ends its paragraph, unless the next goes on in lower case or in Chinese; a
        # menu item or a masthead above wrapped prose is short too
        # (CJK has no case; a wrapped Chinese line is cut at any character, so a Chinese line of
        # less than half the width is not one: "欧亚数贸观察" over its account's motto)
        short_cjk = bool(CJK.match(prev[:1])) and width(prev) < 0.5 * wide
        goes_on = line[:1].islower() or bool(CJK.match(line[:1]) and not short_cjk)
        return width(prev) < 0.75 * wide and (ends_sentence(prev) or not goes_on)
    # a short Chinese line that ends no sentence under a longer one is a label or a name (the
    # account under a headline: "…棉农算了一笔账" / "天山农经说"), not the rest of a paragraph
    if (CJK.match(line[:1]) and cjk_count(line) <= 10 and not ends_sentence(line) and not ends_sentence(prev)
            and cjk_count(prev) > 2 * cjk_count(line) and prev.rstrip()[-1:] not in "，,、：:（(“"):
        return True
    # an open bracket or quote goes on whatever the next line starts with ("…经营者”（" / "AEO）…")
    cjk_goes_on = prev[-1:] in _CJK_OPENING
    # Chinese prose cut before a figure or a "+" goes on ("…油籽等农产品" / "186万吨…", "集拼" / "+分拨")
    cut = (bool(CJK.match(prev[-1:])) and (line[:1].isdigit() or line[:1] == "+") and cjk_count(prev) >= 20
           and not _DATE_START.match(line))
    cjk_goes_on = cjk_goes_on or cut
    if ends_sentence(prev) or not (line[:1].islower() or CJK.match(line[:1]) or cjk_goes_on):
        return True
    # a wrapped line is as wide as the page allows: a Chinese line followed by a much wider one was
    # not cut by the wrap (a headline over its standfirst)
    if (cjk_count(prev) and width(line) > 1.25 * width(prev) and len(line) > 1.25 * len(prev)
            and not cjk_goes_on):
        return True
    return width(prev) < 30


def _timestamped(line: str) -> bool:
    """A short line with a date and a time of day ("编辑于 2025-11-23 18:40・IP 属地新疆") is a
    line of its own: a post's or an account's stamp, never a wrapped piece of prose."""
    return size(line) <= 16 and CLOCK.search(line) is not None and find_date(line)[1] is not None


# a line ending in a word that never ends a heading or a sentence
_OPEN_WORD = re.compile(r"\s(?:to|of|in|and|the|for|with|a|an|в|на|и|по|для|с|к|о|об|из)$", re.IGNORECASE)
# a Russian document's place and date under its title: "г. Бишкек 22 июля 2024 г."
_CITY_DATE = re.compile(r"^г\.\s*[А-ЯЁ]")
_FIGURES_END = re.compile(r"(?:^|\s)(?P<a>[+−–-]?\d[\d.,]*%?)\s+(?P<b>[+−–-]?\d[\d.,]*%?)$")


def _table_row(line: str) -> bool:
    """A table's row copied as text: it ends in two figures ("в т. ч. «Торугарт» 29,1 35,9 +23,4",
    "霍尔果斯 3120 14.2"), not in one number spaced in thousands ("мощностью 1 120")."""
    m = _FIGURES_END.search(line)
    if m is None:
        return False
    return not (re.fullmatch(r"\d{1,3}", m["a"]) and re.fullmatch(r"\d{3}", m["b"]))


_DATE_START = re.compile(r"\d{4}\s*[年./-]")
_GAPS = re.compile(r"(?<=\S)(?: {2,}|\t+|\u3000+)(?=\S)")


def paragraphs(text: str) -> list[str]:
    """Whitespace-normalised, unwrapped paragraphs of a pasted page. A line of items separated
    by wide gaps (a menu copied from a browser) gets " | " separators first."""
    text = "\n".join(
        _GAPS.sub(" | ", line) if len(_GAPS.findall(line.strip(" \u3000"))) >= 2 else line
        for line in text.split("\n")
    )
    text = normalise_whitespace(text)
    blocks = [[line for line in block.split("\n") if line.strip()] for block in text.split("\n\n")]
    # the width the page's prose is wrapped at (Latin and Cyrillic: CJK wraps anywhere)
    wraps = [wrap_width(block) for block in blocks]
    widths = sorted(w for block, w in zip(blocks, wraps, strict=True) if w and not cjk_count(block[0]))
    page_width = widths[len(widths) // 2] if len(widths) >= 2 else None
    compounds = _compounds(text)
    cjk_wrap, greedy = cjk_wrap_width(text.split("\n")), greedy_wrap_width(text.split("\n"))
    out: list[str] = []
    in_body = False  # below the article's first wrapped paragraph
    for block, wrap in zip(blocks, wraps, strict=True):
        for para in unwrap(block, page_width, compounds, in_body, cjk_wrap, greedy):
            if out and _continued(out[-1], para):
                out[-1] = _join(out[-1], para)
            else:
                out.append(para)
        in_body = in_body or wrap is not None
    return _join_lists(out)


# a list item's mark: a bullet or a pictograph ("🔹", "✅")
ITEM_MARK = re.compile(r"^(?:[•·*\-–—▪►>»]|[\U0001F300-\U0001FAFF\u2600-\u27BF\u2B00-\u2BFF])+\s*")


def _join_lists(paras: list[str]) -> list[str]:
    """A list that is one sentence in prose ("Что это значит: — первое; — второе; — третье.") as
    one paragraph: a line ending in a colon, items ending in a semicolon, a last item ending the
    sentence, the items' marks dropped."""
    out: list[str] = []
    i = 0
    while i < len(paras):
        j = i + 1
        lead = paras[i].rstrip().endswith((":", "："))
        while lead and j < len(paras) and paras[j].rstrip().endswith((";", "；")):
            j += 1
        if j > i + 1 and j < len(paras) and ends_sentence(paras[j]) and size(paras[j]) <= 60:
            items = [ITEM_MARK.sub("", p).strip() for p in paras[i + 1:j + 1]]
            out.append(" ".join([paras[i].strip(), *items]))
            i = j + 1
        else:
            out.append(paras[i])
            i += 1
    return out


# a CJK paragraph cut after a comma-like mark goes on in the next block
_OPEN_END = re.compile(f"[{CJK_CHARS}\\d%）”][，、；：,;]$")


def _continued(prev: str, para: str) -> bool:
    """``para`` continues ``prev`` across a blank line: ``prev`` is CJK prose that stops at a
    comma, enumeration comma, semicolon or colon (never at the end of a sentence), and ``para``
    goes on with a CJK character or a digit. Labels ("分享到：") and list headings are not prose."""
    if not (_OPEN_END.search(prev) and (CJK.match(para[:1]) or para[:1].isdigit())):
        return False
    if is_standalone(prev) or is_standalone(para) or is_furniture(prev) or is_furniture(para):
        return False
    return cjk_count(prev) >= 20
