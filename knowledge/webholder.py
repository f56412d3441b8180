"""The copyright holder a pasted page names in its small print ("© 2025 Kunlik.uz. All rights
reserved", "Steppe Magazine © 2025", "版权所有：X"): the first witness of who publishes it (pure
functions)."""

from __future__ import annotations

import re

from knowledge.bylines import valid_name
from knowledge.text import CJK, CYRILLIC, cjk_count, detect_language
from knowledge.weblines import size

# a copyright mark: the sign, or the word at a line's start or before a year ("copyright law" is none)
_MARK = re.compile(r"©|\(c\)|^copyright\b|\bcopyright(?=\s*(?:©|\(c\)|\d{4}))|版权所有", re.IGNORECASE)
_YEARS = re.compile(r"^[\s:：©]*(?:(?:19|20)\d\d\s*[-–—]\s*)?(?:(?:19|20)\d\d)?[\s,.]*")
# where a holder's name ends: a sentence end (not a dot inside "Kunlik.uz"), a comma, a separator
_HOLDER_END = re.compile(
    r"\.(?:\s|$)|[,，。|·•]|\s[—–-]\s|\s+(?:all rights|все права|保留)|\s+(?:未经|违法|联系|本站|本网)"
    r"|\s*版权所有"  # the rights words run on after the name: "©1997-2026网易公司版权所有"
    r"|\s*[\u4e00-\u9fff]?ICP[备证]",  # a licence number run on after the name: "丝路合作网京ICP备…"
    re.IGNORECASE,
)
# what a holder's name may end with that a reader leaves out: "Oxus Press news agency"
_KIND_WORDS = re.compile(r"\s+(?:news agency|information agency)$", re.IGNORECASE)
_RIGHTS = re.compile(r"all rights|все права|未经|禁止|reserved", re.IGNORECASE)


def _holders(line: str) -> list[str]:
    """The names a copyright line gives, in order of trust: the one before the mark ("Steppe
    Magazine © 2025", "华新网版权所有"), then the one after it ("© 2025 Kunlik.uz. All rights
    reserved", "版权所有 亚欧商报社")."""
    m = _MARK.search(line)
    if m is None or size(line) > 30:  # a copyright line is short; prose only mentions copyright
        return []
    before = re.split(r"\s*[|·•]\s*", line[: m.start()])[-1].strip()  # not the menu before it
    before = re.sub(r"^powered by\s+", "", before, flags=re.IGNORECASE)
    after = line[m.end():].lstrip(" :：")  # "版权所有：X"
    while (again := _MARK.match(after.strip())) is not None:
        after = after.strip()[again.end():]
    after = _HOLDER_END.split(_YEARS.sub("", after), maxsplit=1)[0]
    names = [_KIND_WORDS.sub("", n) for n in (before, after) if n and not re.search(r"[:：【】]", n)]
    return [name for n in names if not _RIGHTS.search(n) and (name := _holder_name(n))]


def _holder_name(name: str) -> str:
    """A copyright holder's name; an embassy's or a ministry's may be long ("Embassy of the Republic
    of Kazakhstan in the People's Republic of China", "中华人民共和国驻乌兹别克斯坦共和国大使馆")."""
    bare = name.strip()
    if bare and cjk_count(bare) == len(bare) and len(bare) <= 30:
        return bare
    return valid_name(name, 14)


def _in_script(name: str, lang: str) -> bool:
    return bool(CJK.search(name)) if lang == "zh" else bool(CYRILLIC.search(name)) if lang == "ru" else True


def copyright_holder(lines: list[str]) -> str:
    """The copyright holder named last on the page, one in the page's own script first."""
    holders = [name for line in reversed(lines) for name in _holders(line)]
    lang = detect_language(" ".join(lines))
    own = [name for name in holders if _in_script(name, lang)]
    return (own or holders or [""])[0]
