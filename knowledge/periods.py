"""Periods within a year that a text names, as canonical month spans (pure functions).

Trade and freight figures come per period: "January–November", "the first half", "за десять
месяцев", "1-11月", "上半年", "in October alone". A question about one period should be answered
from a sentence about the same period, so each mention becomes a span ``"m1-m11"`` (a range) or
``"m10"`` (one month); halves and quarters become their month spans ("first half" -> ``"m1-m6"``).
"""

from __future__ import annotations

import re

from knowledge.text import month_number

_EN_MONTH = (r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|(?-i:May)|may(?=\s+\d)|june?|july?"
             r"|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?")
_RU_MONTH = r"(?:январ|феврал|март|апрел|ма[йяе]|июн|июл|август|сентябр|октябр|ноябр|декабр)[а-яё]*"
_MONTH = rf"(?:{_EN_MONTH}|{_RU_MONTH})"
_DASH = r"\s*(?:-|–|—|to|through|till|until|по|до)\s*"
_COUNT_WORDS = {
    "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
    "ten": 10, "eleven": 11, "два": 2, "двух": 2, "три": 3, "трех": 3, "трёх": 3, "четыре": 4,
    "четырех": 4, "пять": 5, "шесть": 6, "семь": 7, "восемь": 8, "девять": 9, "десять": 10,
    "одиннадцать": 11, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8,
    "九": 9, "十": 10, "十一": 11,
}
_COUNT = r"(\d{1,2}|" + "|".join(sorted(_COUNT_WORDS, key=len, reverse=True)) + ")"
# (English ordinal, Russian ordinal stem, Chinese numeral, first month) of each quarter
_QUARTERS = (("first|1st", "перв", "一1", 1), ("second|2nd", "втор", "二2", 4),
             ("third|3rd", "трет", "三3", 7), ("fourth|4th", "четверт", "四4", 10))
_HALF_QUARTER = [
    (re.compile(r"\b(?:first|1st)\s+half\b|\bH1\b|перв\w*\s+полугоди|上半年", re.IGNORECASE), "m1-m6"),
    (re.compile(r"\b(?:second|2nd)\s+half\b|\bH2\b|втор\w*\s+полугоди|下半年", re.IGNORECASE), "m7-m12"),
    *(
        (re.compile(rf"\b(?:{en})\s+quarter\b|\bQ{i + 1}\b|{ru}\w*\s+квартал|(?:第)?[{zh}]季度",
                    re.IGNORECASE), f"m{first}-m{first + 2}")
        for i, (en, ru, zh, first) in enumerate(_QUARTERS)
    ),
]
_NAMED_RANGE = re.compile(rf"\b({_MONTH}){_DASH}({_MONTH})(?![а-яёa-z])", re.IGNORECASE)
_ZH_RANGE = re.compile(r"(?<!\d)(\d{1,2})\s*(?:-|–|—|至|到|~)\s*(\d{1,2})\s*月")
_FIRST_MONTHS = re.compile(
    rf"\b(?:first|за|первые|за\s+первые)\s+{_COUNT}\s+(?:months|месяц[а-я]*)|前{_COUNT}个?月", re.IGNORECASE
)
_ONE_MONTH = re.compile(rf"\b({_MONTH})(?![а-яёa-z])|(?<![\d个])(\d{{1,2}})\s*月(?!\s*\d{{1,2}}\s*日)",
                        re.IGNORECASE)


def _count(word: str) -> int:
    return int(word) if word.isdigit() else _COUNT_WORDS.get(word.lower(), 0)


def _span(first: int, last: int) -> str:
    if not (1 <= first <= 12 and 1 <= last <= 12) or first > last:
        return ""
    return f"m{first}" if first == last else f"m{first}-m{last}"


def periods_in(text: str) -> frozenset[str]:
    """The periods ``text`` names, e.g. {"m1-m11"} for "January-November" or {"m10"} for "in
    October"; a month already inside a range, half or quarter is not counted again."""
    found: set[str] = set()
    rest = text
    for pattern, span in _HALF_QUARTER:
        if pattern.search(rest):
            found.add(span)
            rest = pattern.sub(" ", rest)
    for match in _NAMED_RANGE.finditer(rest):
        found.add(_span(month_number(match.group(1)), month_number(match.group(2))))
    rest = _NAMED_RANGE.sub(" ", rest)
    for match in _ZH_RANGE.finditer(rest):
        found.add(_span(int(match.group(1)), int(match.group(2))))
    rest = _ZH_RANGE.sub(" ", rest)
    for match in _FIRST_MONTHS.finditer(rest):
        found.add(_span(1, _count(match.group(1) or match.group(2))))
    rest = _FIRST_MONTHS.sub(" ", rest)
    for match in _ONE_MONTH.finditer(rest):
        month = month_number(match.group(1)) if match.group(1) else int(match.group(2))
        found.add(_span(month, month))
    return frozenset(found - {""})


def period_relation(asked: frozenset[str], text: str) -> int:
    """+1 when the text names an asked period, -1 when it names only other periods, 0 when the
    question names none or the text names none."""
    if not asked:
        return 0
    said = periods_in(text)
    if said & asked:
        return 1
    return -1 if said else 0
