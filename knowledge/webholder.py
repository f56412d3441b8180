"""The copyright holder a pasted page names in its small print ("© 2025 Kunlik.uz. All rights
reserved", "Steppe Magazine © 2025", "版权所有：X"): the first witness of who publishes it, and the
name the page goes by when the holder is a legal name ("Eurasian Rail Review Media Ltd" →
"Eurasian Rail Review"; pure functions)."""

from __future__ import annotations

import re

from knowledge.bylines import valid_name
from knowledge.text import CJK, CJK_CHARS, CYRILLIC, cjk_count, detect_language, find_date, word_count
from knowledge.webfurniture import CREDIT_LINE, is_furniture
from knowledge.wrapwidth import ends_sentence, size

# a copyright mark: the sign, or the word at a line's start or before a year ("copyright law" is none)
# (a Chinese site's owner is its "主办单位", written where others write a copyright line)
_MARK = re.compile(
    r"©|\(c\)|^copyright\b|\bcopyright(?=\s*(?:©|\(c\)|\d{4}))|版权所有|^主办(?:单位)?(?=[:：])",
    re.IGNORECASE,
)
_YEARS = re.compile(r"^[\s:：©]*(?:(?:19|20)\d\d\s*[-–—]\s*)?(?:(?:19|20)\d\d)?[\s,.]*")
# where a holder's name ends: a sentence end (not a dot inside "Kunlik.uz"), a comma, a separator
_HOLDER_END = re.compile(
    r"\.(?:\s|$)|[,，。|·•]|\s[—–/-]\s|\s+(?:all rights|все права|保留)|\s+(?:未经|违法|联系|本站|本网)"
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
    if m is None or size(line) > 30 or CREDIT_LINE.match(line.strip()):  # short; not a photo's credit
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


SOURCE = re.compile(
    r"(?:source|источник|来源|出处)\s*[:：]\s*(?P<name>[^|\s][^|]{0,40}?)\s*(?:[|].*)?$", re.I
)
# what a company's legal name adds to its brand: "Eurasian Rail Review" + " Media Ltd"
_COMPANY_FORM = re.compile(r"(?:,?\s+(?:media|publishing|publications|group|holdings?|ltd\.?|limited|llc"
                           r"|inc\.?|plc|gmbh|jsc|corp\.?|company))+", re.IGNORECASE)


def brand_name(holder: str, lines: list[str]) -> str:
    """The name a page goes by, from its copyright holder's: the masthead's shorter form, the brand
    of a legal name, a domain-style name less its domain, an acronym spelt out."""
    return _spelt_out(_brand(_trade_name(_masthead(holder, lines), lines), lines), lines)


_DOMAIN = re.compile(r"(?P<base>[^\W_][\w-]*)(?:\.[a-z]{2,6}){1,2}", re.IGNORECASE)


def _brand(name: str, lines: list[str]) -> str:
    """A domain-style name ("EurasiaBiz.kz") less its domain when the page also calls the site
    so elsewhere (a photo credit "Shutterstock / EurasiaBiz"); else the name as it stands."""
    m = _DOMAIN.fullmatch(name)
    if m is None:
        return name
    bare = re.compile(rf"(?<![\w.]){re.escape(m.group('base'))}(?![\w.])")
    return m.group("base") if any(bare.search(line) for line in lines) else name


def _spelt_out(name: str, lines: list[str]) -> str:
    """An acronym (ВКУМР) as the page spells it out near the top (Восточно-Казахстанский
    университет минеральных ресурсов): a line whose words' initials are its letters."""
    if not (2 <= len(name) <= 8 and name.isupper() and name.isalpha()):
        return name
    for line in lines[:5]:
        words = re.findall(r"[^\W\d_]+", line)
        if len(words) == len(name) and "".join(w[0] for w in words).upper() == name:
            return line.strip()
    return name


def _first_word(name: str) -> str:
    """The first word of a name but an article ("THE PAMIR DISPATCH", "Pamir Dispatch Media LLC")."""
    words = name.casefold().split()
    if words[:1] == ["the"]:
        words = words[1:]
    return words[0] if words else ""


def _trade_name(holder: str, lines: list[str]) -> str:
    """The brand a page goes by when its copyright line gives the legal name: a masthead that
    shares the holder's first word and is shorter ("TUMAR TV" for "Tumar Television and Radio
    Company"), written as the page writes it in running text ("Tumar TV")."""
    top = next((ln.strip() for ln in lines if not is_furniture(ln) and find_date(ln)[1] is None), "")
    if (not top or size(top) > 4 or len(top) >= len(holder) or _first_word(top) != _first_word(holder)
            or holder.casefold().startswith(top.casefold())):  # "Ministry of Energy" of the Republic of …
        return holder
    if top.isupper():  # a logo in capitals: the page's own spelling elsewhere, if any
        written = re.compile(rf"(?<!\w){re.escape(top)}(?!\w)", re.IGNORECASE)
        spelt = (m.group() for ln in lines[1:] if (m := written.search(ln)) and not m.group().isupper())
        return next(spelt, holder)
    return top


def _masthead(name: str, lines: list[str]) -> str:
    """The copyright holder less a trailing legal word ("X Ltd", "X社") when that is how the
    masthead (in any case: "SILK FREIGHT REVIEW") or a "Source:" label names the site."""
    # the masthead naming it in full ("Ministry of Foreign Affairs" / "… of the People's Republic of China")
    full = next((ln.strip() for ln in lines[:10] if ln.strip().startswith(f"{name} of ")
                 and word_count(ln) <= 12 and not ends_sentence(ln)), "")
    if full:
        return full
    top = [ln.strip() for ln in lines[:10] if not is_furniture(ln)][:3]
    # the masthead naming it in full where the holder is its last word ("… Cooperation Commission")
    if top and top[0].casefold().endswith(f" {name.casefold()}") and word_count(top[0]) <= 8:
        return top[0]
    for label in top + [m.group("name") for ln in lines if (m := SOURCE.search(ln))]:
        head = re.split(r"\s[-–—|]\s", label)[0].strip()
        # a Chinese masthead may be long ("克孜勒苏柯尔克孜自治州人民政府")
        short = head if CJK.match(head[:1]) and cjk_count(head) == len(head) <= 30 else valid_name(head)
        # "… Media Ltd", "… Ltd", "…社", "…办公室", "…网络传媒有限公司"
        legal = (f"{_COMPANY_FORM.pattern}| [^\\W\\d]+|[{CJK_CHARS}]{{1,4}}"
                 f"|[{CJK_CHARS}]{{0,6}}(?:公司|集团|办公室)")
        if short and re.fullmatch(f"{re.escape(short)}(?:{legal})", name, re.IGNORECASE):
            return name[: len(short)]
    return name
