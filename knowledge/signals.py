"""Pure question and sentence signals used to pick answer sentences and to decide to abstain.

A similarity score alone cannot tell an answerable question from an unanswerable one here (the
top score is no higher for answerable questions), so the composer also checks that a candidate
sentence has what the question asks for: the expected kind of answer (a year, a figure, an
amount, a percentage), the named entities the question is about (matched across English,
Russian and Chinese through a small gazetteer), and no "current vs. target" mismatch.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

YEAR = re.compile(r"(?<!\d)(1[89]\d{2}|20\d{2})(?!\d)")
NUMBER = re.compile(r"\d")
PERCENT = re.compile(r"\d\s?(%|percent|per cent|процент)|%|百分之", re.IGNORECASE)
MONEY = re.compile(
    r"[$€¥£]\s?\d|\d\s?(dollars?|yuan|usd|долл|руб|тенге|美元|元)|\b(usd|dollars?|yuan)\b|доллар|美元|人民币",
    re.IGNORECASE,
)
MONTHS = re.compile(
    r"\b(january|february|march|april|may|june|july|august|september|october|november|december)\b",
    re.IGNORECASE,
)

LENGTH = re.compile(
    r"\d[\d.,]*\s?(km|kilomet\w*|miles?|metres?|meters?|км|километр\w*|公里|千米|米)|\d\s?(days?|hours?|years?|дн|час|天|小时)",
    re.IGNORECASE,
)
_FIGURE = re.compile(
    r"(\$?\d[\d,.]*)\s*(billion|million|km|kilometers|kilometres|километр\w*|公里|亿|%|percent)",
    re.IGNORECASE,
)

# (answer kind, cue patterns in en / ru / zh)
_KIND_CUES: list[tuple[str, re.Pattern[str]]] = [
    ("length", re.compile(r"how long|\blength\b|how far|протяж|длин|多长|长度|多远", re.I)),
    ("percent", re.compile(r"percent|percentage|%|\bshare\b|процент|дол[яию]|占比|百分|比例", re.I)),
    ("money", re.compile(r"how much money|invest(ed|ment)? (amount|total)|сколько денег|多少钱|金额", re.I)),
    (
        "year",
        re.compile(r"what year|which year|\bwhen\b|в каком году|когда|哪一年|哪年|什么时候|何时|年份", re.I),
    ),
    (
        "number",
        re.compile(
            r"how many|how much|how long|\bvolume\b|\btotal\b"
            r"|во сколько|сколько|объ[её]м|多少|(?<!哪)几|总额|规模",
            re.I,
        ),
    ),
]
_RELATIVE_YEAR = {
    0: re.compile(r"\bthis year\b|в этом году|今年", re.I),
    -1: re.compile(r"\blast year\b|в прошлом году|去年", re.I),
}
_CURRENT = re.compile(
    r"\b(current|currently|now|today|at present)\b|сейчас|текущ|настоящее время|现在|目前|当前", re.I
)
_TARGET = re.compile(
    r"\b(target|goal|aim|aims|plan|plans|by (the )?(end|20\d\d)|decade)\b|к 20\d\d|目标|计划", re.I
)

# canonical entity -> surface forms in en / ru / zh (lower-case)
GAZETTEER: dict[str, tuple[str, ...]] = {
    "china": ("china", "chinese", "beijing", "китай", "китая", "пекин", "中国", "北京"),
    "kazakhstan": (
        "kazakhstan",
        "kazakh",
        "astana",
        "казахстан",
        "астан",
        "哈萨克斯坦",
        "哈萨克",
        "阿斯塔纳",
    ),
    "kyrgyzstan": ("kyrgyzstan", "kyrgyz", "bishkek", "кыргызстан", "киргиз", "吉尔吉斯"),
    "tajikistan": ("tajikistan", "tajik", "dushanbe", "таджикистан", "таджик", "塔吉克"),
    "turkmenistan": ("turkmenistan", "turkmen", "туркменистан", "туркмен", "土库曼"),
    "uzbekistan": ("uzbekistan", "uzbek", "tashkent", "узбекистан", "узбек", "乌兹别克"),
    "sco": ("sco", "shanghai cooperation", "шос", "шанхайск", "上合", "上海合作组织"),
    "bri": ("belt and road", "bri", "пояс и путь", "пояса и пути", "一带一路"),
    "titr": (
        "trans-caspian",
        "titr",
        "middle corridor",
        "транскаспий",
        "средний коридор",
        "跨里海",
        "中间走廊",
    ),
    "xi'an": ("xi'an", "xian", "сиань", "西安"),
    "shaanxi": ("shaanxi", "шэньси", "陕西"),
    "lianyungang": ("lianyungang", "ляньюньган", "连云港"),
    "khorgos": ("khorgos", "horgos", "хоргос", "霍尔果斯"),
    "renewables": ("renewable", "возобновля", "可再生"),
    "railway": ("railway", "rail", "железн", "铁路"),
    "pipeline": ("pipeline", "газопровод", "管道"),
    "nev": ("new energy vehicle", "nev", "electric vehicle", "электромобил", "新能源汽车", "电动汽车"),
}


@dataclass(frozen=True)
class QuestionProfile:
    """What a question asks for: answer kinds, entities it names, and whether it asks about 'now'."""

    kinds: frozenset[str]
    entities: frozenset[str]
    asks_current: bool
    years: frozenset[int] = frozenset()


def entities_in(text: str) -> frozenset[str]:
    low = text.casefold()
    found = set()
    for name, forms in GAZETTEER.items():
        for form in forms:
            if form.isascii() and len(form) <= 4:
                if re.search(rf"(?<![\w]){re.escape(form)}(?![\w])", low):
                    found.add(name)
                    break
            elif form in low:
                found.add(name)
                break
    return frozenset(found)


def profile_question(question: str) -> QuestionProfile:
    kinds = {kind for kind, cue in _KIND_CUES if cue.search(question)}
    if kinds & {"percent", "money", "length"}:
        kinds.discard("number")
    years = frozenset(int(y) for y in YEAR.findall(question))
    return QuestionProfile(frozenset(kinds), entities_in(question), bool(_CURRENT.search(question)), years)


def satisfies_kind(kinds: frozenset[str], sentence: str) -> bool:
    """Whether the sentence carries at least one of the asked answer kinds (True if none asked)."""
    if not kinds:
        return True
    checks = {
        "percent": bool(PERCENT.search(sentence)),
        "money": bool(MONEY.search(sentence)),
        "year": bool(YEAR.search(sentence)) or bool(MONTHS.search(sentence)),
        "number": bool(NUMBER.search(sentence)) or _has_number_word(sentence),
        "length": bool(LENGTH.search(sentence)),
    }
    return any(checks[k] for k in kinds)


def _has_number_word(sentence: str) -> bool:
    words = r"\b(one|two|three|four|five|six|seven|eight|nine|ten|hundred|double|doubling|half|fold)\b"
    return bool(re.search(words, sentence, re.IGNORECASE))


def entity_coverage(entities: frozenset[str], text: str) -> float:
    """Share of the question's non-generic entities the text mentions (1.0 when none are named).

    China and the region are implied by the whole knowledge base, so they do not count unless they
    are the only entities named.
    """
    specific = entities - {"china"} if entities - {"china"} else entities
    if not specific:
        return 1.0
    return len(specific & entities_in(text)) / len(specific)


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


def year_conflict(question_years: set[int], sentence: str, doc_date: str) -> bool:
    """The question names years and the sentence names others (and none of the asked ones)."""
    if not question_years:
        return False
    said = years_in(sentence, doc_date)
    return bool(said) and not (said & question_years)


_TIME_PHRASES = {
    "this year": re.compile(r"\bthis year\b|в этом году|今年", re.I),
    "last year": re.compile(r"\blast year\b|в прошлом году|去年", re.I),
    "this month": re.compile(r"\bthis month\b|в этом месяце|本月|这个月", re.I),
    "last month": re.compile(r"\blast month\b|в прошлом месяце|上个月", re.I),
}


def time_match(question: str, question_years: frozenset[int], sentence: str) -> bool:
    """The sentence names the same time the question asks about (a year or 'last year' etc.)."""
    if question_years and question_years & {int(y) for y in YEAR.findall(sentence)}:
        return True
    return any(cue.search(question) and cue.search(sentence) for cue in _TIME_PHRASES.values())


def figures(sentence: str) -> set[tuple[str, str]]:
    """(number, unit) pairs, normalised, e.g. ('523', 'km')."""
    out = set()
    for num, unit in _FIGURE.findall(sentence):
        unit = unit.lower()
        unit = "km" if unit.startswith(("kilomet", "километ", "公里")) else unit
        out.add((num.lstrip("$").rstrip(".,").replace(",", ""), unit))
    return out


def same_subject(a: str, b: str) -> bool:
    """Two sentences plausibly state the same measure: they name the same things (besides China)
    and do not name different years."""
    ea, eb = entities_in(a) - {"china"}, entities_in(b) - {"china"}
    if not ea or not eb or len(ea & eb) * 2 < len(ea | eb):
        return False
    ya, yb = years_in(a), years_in(b)
    return not (ya and yb and not ya & yb)


def figures_conflict(a: str, b: str) -> bool:
    """Two sentences about the same thing state different figures in the same unit."""
    if not same_subject(a, b):
        return False
    fa, fb = figures(a), figures(b)
    units = {u for _, u in fa} & {u for _, u in fb}
    return any({n for n, u in fa if u == unit} != {n for n, u in fb if u == unit} for unit in units)


def has_conflict(sentences: Sequence[str], doc_ids: Sequence[str]) -> bool:
    """Two documents give different figures in the same unit for the same thing."""
    return any(
        doc_ids[i] != doc_ids[j] and figures_conflict(sentences[i], sentences[j])
        for i in range(len(sentences))
        for j in range(i + 1, len(sentences))
    )
