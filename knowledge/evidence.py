"""What a sentence carries, measured against a question's profile (pure functions): the kinds of
answer it states, the share of the question's places, focus and words it names, its years."""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache

from knowledge.lexical import sentence_tokens
from knowledge.models import Passage
from knowledge.signals import QuestionProfile
from knowledge.text import CJK_CHARS, MONTH_WORD, YEAR, date_spans, detect_language
from knowledge.vocabulary import (
    GENERIC_PLACES,
    concepts_in,
    countries_of,
    implied_by,
    is_country,
    lexicon,
    on_the_map,
    places_in,
)

PERCENT = re.compile(r"\d\s?(%|％|percent|per cent|процент|个百分点)|百分之|%", re.IGNORECASE)
MONEY = re.compile(
    r"[$€¥£]\s?\d|\b(?:usd|us\$|rmb|cny|eur|kzt|uzs|kgs|tjs|tmt|rub)\s?\d|\d[\d.,]*\s?(?:(?:tn|bn|mn|m|b|trillion|billion|million|thousand)\s)?(?:u\.?s\.?\s)?"
    r"(?:dollars?|yuan|usd|rmb|euros?|roubles?|rubles?|tenge|soms?|cents?)\b|(?:долл|рубл|руб\.|тенге|сомов|юан|евро)"
    r"|(?:美元|人民币|元|港元|欧元|卢布|坚戈|索姆)",
    re.IGNORECASE,
)
LENGTH = re.compile(
    r"\d[\d.,]*(?:\s?|-)(?:km|kilomet\w*|miles?|metres?|meters?|км|километр\w*|метр\w*|公里|千米|米)",
    re.IGNORECASE,
)
DURATION = re.compile(
    r"\d[\d.,]*(?:\s?|-)(?:(?:calendar|working|business)\s)?(?:hours?|hrs?|days?|weeks?|minutes?|mins?|months?|years?)\b"
    r"|\b(?:one|two|three|four|five|six|seven|eight|nine|ten|twelve|a few|several|an?)"
    r" (?:hours?|days?|weeks?|minutes?)\b"
    r"|\d[\d.,]*\s?(?:(?:календарн|рабоч)\w+\s)?(?:час\w*|дн(?:я|ей|ь)|сут\w*|минут\w*|недел\w*|месяц\w*|лет\b)"
    r"|(?:\d|[一二两三四五六七八九十半几])\s?(?:个?小时|天(?!然)|分钟|个?星期|周|个月)|(?<![月\d])\d{1,3}\s?日(?!元)"
    r"|(?<![\d.])\d{1,2}\s?多?年(?![\d代级])",  # "期限25年", "运营25年" (a year is four digits)
    re.IGNORECASE,
)
# a multiplier between a figure and its unit: "120 тыс. кв. метров", "1.2 million square metres", "3万平方米"
_TIMES = r"(?:\s?(?:тыс\.?|млн\.?|thousand|million|万|千))?"
AREA = re.compile(
    r"\d[\d.,]*" + _TIMES + r"(?:\s?|-)(?:square (?:met|kilomet|km|mile)\w*|sq\.? ?(?:m|km|ft)\b|m²|km²"
    r"|hectares?|ha\b|acres?|кв\.\s?(?:м\b|км\b|метр\w*|километр\w*)|квадратн\w* (?:метр|километр)\w*"
    r"|гектар\w*|га\b"
    r"|平方米|平方公里|公顷|亩)",
    re.IGNORECASE,
)
# a four-digit number followed by a unit is an amount, not a year ("1800 square metres", "1800平方米")
_UNIT_AFTER = re.compile(
    r"\s?(?:%|km|kilomet|met|sq|square|hectare|ha\b|tonn|tons?\b|t\b|mw|gw|kw|teu|units?\b"
    r"|км|кв|га\b|тонн|т\b|мвт|гвт|квт|человек|平方|米|吨|公里|千瓦|万|亿|人|辆|列|台|个|家|所|条|名)",
    re.IGNORECASE,
)
MULTIPLE = re.compile(
    r"\d[\d.,]*\s?(?:-|\u2011)?\s?(?:fold|times)\b|\b(?:two|three|four|five|six|ten|hundred)[- ]?fold\b"
    r"|\b(?:doubled|tripled|quadrupled|twice|double|triple)\b"
    r"|\bв\s?\d[\d.,]*\s?раз|\bв\s(?:два|три|четыре|пять|шесть|десять|сто|полтора)\s+раз|вдвое|втрое|вчетверо|удво(?:ил|ен)|утро(?:ил|ен)"
    r"|\d[\d.,]*\s?倍|[一二两三四五六七八九十百千]+倍|翻(?:了)?[一两三四]?番",
    re.IGNORECASE,
)
_NUMBER = re.compile(r"(?<![\d.])\d[\d,.\s]*\d|\d")
_NUMBER_WORD = re.compile(
    r"\b(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|dozens?|hundreds?|thousands?"
    r"|двух|два|две|три|трех|четыре|пять|шесть|семь|восемь|девять|десять|десятк\w*|сотн\w*)\b"
    r"|[一二两三四五六七八九十百千万]+(?:个|座|家|所|条|名|项|次|列|台|批)",
    re.IGNORECASE,
)
_NAME_SEQUENCE = re.compile(r"\b[A-ZА-ЯЁ][\w'’-]+(?:\s+[A-ZА-ЯЁ][\w'’.-]+)+")
_CJK_PLACE = re.compile(f"[{CJK_CHARS}]{{1,6}}(?:省|市|州|县|区|港|站|口岸|国)")
_RELATIVE_YEAR = {
    # a comparison with a year earlier speaks of the document's own year
    0: re.compile(r"\bthis year\b|в этом году|今年|\ba year (earlier|ago)\b|year[- ]on[- ]year|\by/y\b"
                  r"|same period (of )?last year|годом ранее|год назад|в годовом выражении"
                  r"|аналогичн\w+ период\w* прошлого года|同比|上年同期|去年同期", re.I),
    -1: re.compile(r"\blast year\b|в прошлом году|去年", re.I),
}
_TARGET = re.compile(
    r"\b(target|goal|aim|aims|plan|plans|planned|by (the )?(end|20\d\d)|decade)\b|к 20\d\d|目标|计划", re.I
)

def _figures(sentence: str) -> list[re.Match[str]]:
    """The digit runs of a sentence that are not parts of a date or a time of day."""
    spans = date_spans(sentence)
    return [m for m in _NUMBER.finditer(sentence) if not any(a <= m.start() < b for a, b in spans)]


def _non_year_number(sentence: str) -> bool:
    for match in _figures(sentence):
        digits = re.sub(r"\D", "", match.group(0))
        if not (len(digits) == 4 and YEAR.fullmatch(digits)) or _UNIT_AFTER.match(sentence, match.end()):
            return True
    return bool(_NUMBER_WORD.search(sentence))


@lru_cache(maxsize=65536)
def sentence_kinds(sentence: str) -> frozenset[str]:
    """The kinds of answer a sentence can give."""
    kinds = set()
    if MONEY.search(sentence):
        kinds.add("money")
    if PERCENT.search(sentence):
        kinds.add("percent")
    if LENGTH.search(sentence):
        kinds.add("length")
    if DURATION.search(sentence):
        kinds.add("duration")
    if AREA.search(sentence):
        kinds.add("area")
    if YEAR.search(sentence) or MONTH_WORD.search(sentence):
        kinds.add("date")
    if _non_year_number(sentence):
        kinds |= {"count", "quantity"}
    if MULTIPLE.search(sentence):
        kinds.add("multiple")
    if _NAME_SEQUENCE.search(sentence) or detect_language(sentence) == "zh":
        kinds.add("person")
    if places_in(sentence) - GENERIC_PLACES or _CJK_PLACE.search(sentence) or _NAME_SEQUENCE.search(sentence):
        kinds.add("place")
    return frozenset(kinds)


def satisfies_kind(kinds: frozenset[str], sentence: str) -> bool:
    """Whether the sentence carries at least one of the asked answer kinds (True if none asked)."""
    return not kinds or bool(kinds & sentence_kinds(sentence))


def place_coverage(places: frozenset[str], text: str) -> float:
    """Share of the question's specific places the text names (1.0 when it names none).

    China and Central Asia are implied by the whole knowledge base, so they do not count unless
    they are the only places named.
    """
    specific = places - GENERIC_PLACES or places
    if not specific:
        return 1.0
    return len(specific & places_in(text)) / len(specific)


def unmentioned(places: frozenset[str], passages: Sequence[Passage]) -> frozenset[str]:
    """The question's specific places (on the map, not routes or organisations) that no passage
    names in any language, by name or through what the name stands for ("Beijing and Astana"
    said... is about China and Kazakhstan)."""
    asked = set(on_the_map(places - GENERIC_PLACES))
    for p in passages:
        named = places_in(f"{p.chunk.meta.title} {p.chunk.text}")
        asked = {a for a in asked if a not in named and not (implied_by(a) and implied_by(a) <= named)}
        if not asked:
            break
    return frozenset(asked)


def place_conflict(places: frozenset[str], text: str) -> bool:
    """The question names specific places; the text names none of them but another country
    ("...in Tajikistan" for a question about Kyrgyzstan): it is about someone else. The country
    an asked town lies in is not another country ("Uzbekistan" for a question about Jizzakh)."""
    specific = places - GENERIC_PLACES
    if not specific:
        return False
    named = places_in(text) - GENERIC_PLACES
    home = {c for p in specific for c in countries_of(p)}
    return not (named & specific) and any(is_country(n) and n not in home for n in named)


def has_head(profile: QuestionProfile, text: str) -> bool:
    """The text names the concept the question asks about (True when it names none)."""
    return not profile.head or profile.head in concepts_in(text)


def head_near_figure(profile: QuestionProfile, sentence: str, reach: int = 40) -> bool:
    """The concept asked about is named within ``reach`` characters of a figure ("five tunnels",
    "тоннелей — 41", "隧道41条"): the sentence states a value *of it*, not of something else.
    False when the question has no head concept or asks for no figure."""
    if not profile.head or not profile.numeric:
        return False
    at = [start for start, name in lexicon().positions(sentence) if name == profile.head]
    return any(abs(a - f) <= reach for a in at for f in figure_offsets(sentence))


@lru_cache(maxsize=8192)
def figure_offsets(sentence: str) -> tuple[int, ...]:
    """Where the sentence's figures (digits or number words) start."""
    return tuple(m.start() for found in (_figures(sentence), _NUMBER_WORD.finditer(sentence)) for m in found)


def focus_coverage(focus: frozenset[str], text: str) -> float:
    """Share of the question's focus concepts the text carries (1.0 when the question has none)."""
    if not focus:
        return 1.0
    return len(focus & concepts_in(text)) / len(focus)


def term_coverage(terms: frozenset[str], text: str) -> float:
    if not terms:
        return 1.0
    return len(terms & set(sentence_tokens(text))) / len(terms)


def names_missing(names: Sequence[str], text: str) -> int:
    """How many of the question's unknown capitalised names the text does not contain (prefix match
    of five letters, so Russian inflection still matches)."""
    low = text.casefold()
    return sum(1 for name in names if name.casefold()[:5] not in low)


def target_mismatch(profile: QuestionProfile, sentence: str) -> bool:
    """The question asks about the present but the sentence states a goal or plan."""
    return profile.asks_current and bool(_TARGET.search(sentence))


def years_in(text: str, doc_date: str = "") -> set[int]:
    """Years a text names, with 'this year' / 'last year' resolved against the document's date."""
    years = {int(y) for y in YEAR.findall(text)}
    if doc_date[:4].isdigit():
        base = int(doc_date[:4])
        years |= {base + delta for delta, cue in _RELATIVE_YEAR.items() if cue.search(text)}
    return years


def year_relation(question_years: frozenset[int], sentence: str, doc_date: str) -> int:
    """+1 when the sentence names an asked year, -1 when it names only other years, 0 otherwise."""
    if not question_years:
        return 0
    said = years_in(sentence, doc_date)
    if said & question_years:
        return 1
    return -1 if said else 0


def adds_coverage(profile: QuestionProfile, chosen: list[str], sentence: str) -> bool:
    """The sentence carries a focus concept, place or content word of the question the chosen
    ones lack."""
    joined = " ".join(chosen)
    more = f"{joined} {sentence}"
    before = (focus_coverage(profile.focus, joined), place_coverage(profile.places, joined),
              term_coverage(profile.terms, joined))
    after = (focus_coverage(profile.focus, more), place_coverage(profile.places, more),
             term_coverage(profile.terms, more))
    return after[0] > before[0] or after[1] > before[1] or after[2] > before[2] + 0.15
