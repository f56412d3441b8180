"""One place for the text rules every module shares: scripts and language, word patterns, years,
month names and dates. The gazetteer and the concept lexicon are in ``knowledge.vocabulary``.

Pure functions and compiled patterns only.
"""

from __future__ import annotations

import re

# --- scripts ------------------------------------------------------------------------------------

CJK_CHARS = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
CJK = re.compile(f"[{CJK_CHARS}]")
CJK_RUN = re.compile(f"[{CJK_CHARS}]+")
CYRILLIC = re.compile(r"[\u0400-\u04ff]")
LATIN = re.compile(r"[A-Za-z\u00c0-\u024f]")
KANA_HANGUL = re.compile(r"[\u3040-\u30ff\uac00-\ud7af]")
LETTER = re.compile(r"[^\W\d_]")
# a CJK character (about a word's worth of meaning) or a run of letters/digits
WORD = re.compile(f"[{CJK_CHARS}]|[^\\W_{CJK_CHARS}]+")
# sentence-final punctuation of the three languages, with closing quotes/brackets after it
# "…in 2024.[3]" and "…in 2020.¹" end one too (a footnote's mark after the full stop)
# a footnote's mark may follow: "[2]", "¹", or a plain digit where a copy lost the superscript ("tourist.1")
SENTENCE_END = re.compile(r"[.!?。！？…][\"'”’»)）\]]*(?:\[\d{1,3}\]|[¹²³⁴⁵⁶⁷⁸⁹⁰]+|(?<=[^\W\d_]\.)\d{1,2})*$")


def words(text: str) -> list[str]:
    return WORD.findall(text)


def word_count(text: str) -> int:
    return len(WORD.findall(text))


def cjk_count(text: str) -> int:
    return len(CJK.findall(text))


_ROMAN = str.maketrans({
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ё": "e", "ж": "zh", "з": "z", "и": "i",
    "й": "i", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o", "п": "p", "р": "r", "с": "s", "т": "t",
    "у": "u", "ф": "f", "х": "kh", "ц": "ts", "ч": "ch", "ш": "sh", "щ": "shch", "ъ": "", "ы": "i",
    "ь": "", "э": "e", "ю": "yu", "я": "ya", "ә": "a", "ғ": "g", "қ": "k", "ң": "n", "ө": "o", "ұ": "u",
    "ү": "u", "һ": "h", "і": "i", "y": "i",
})


def romanised(text: str) -> str:
    """Lower case, Cyrillic written in Latin letters, 'y' and 'i' one letter: a name written in
    either script ("Деловой Иртыш", "Delovoy Irtysh") compares equal ("delovoi irtish")."""
    return " ".join(text.casefold().translate(_ROMAN).split())


def names(name: str, text: str) -> bool:
    """Whether ``text`` names ``name`` (a publisher, a person), in either script."""
    name, text = romanised(name), romanised(text)
    if CJK.search(name):  # Chinese has no spaces to bound a name
        return len(name) >= 2 and name in text
    return len(name) >= 3 and re.search(rf"(?<!\w){re.escape(name)}(?!\w)", text) is not None


def script_of(word: str) -> str:
    """The language a word's script writes: "zh" for any CJK, else "ru" for any Cyrillic, else "en"
    (one name or form, not a text: ``detect_language`` weighs a text's scripts)."""
    return "zh" if CJK.search(word) else "ru" if CYRILLIC.search(word) else "en"


def detect_language(text: str) -> str:
    """ "zh", "ru", "en" or "other" by script proportions; "en" when there are no letters at all.

    A CJK character carries about as much as a short word, so it weighs three Latin letters.
    """
    sample = text[:5000]
    scores = {
        "zh": 3 * len(CJK.findall(sample)),
        "ru": len(CYRILLIC.findall(sample)),
        "en": len(LATIN.findall(sample)),
    }
    other = len(LETTER.findall(sample)) - scores["zh"] // 3 - scores["ru"] - scores["en"]
    other += 2 * len(KANA_HANGUL.findall(sample))
    best = max(scores, key=lambda k: scores[k])
    if scores[best] == 0 and other <= 0:
        return "en"
    return best if scores[best] >= other else "other"


# --- years and months ---------------------------------------------------------------------------

# a year, not a quantity in tens of thousands ("每年2000万吨")
YEAR = re.compile(r"(?<!\d)(1[89]\d{2}|20\d{2})(?![\d万亿])")
WEB_ADDRESS = r"(?:https?:)?//\S+|www\.\S+"  # a link as pasted text
CLOCK = re.compile(r"(?<!\d)\d{1,2}:\d{2}(?!\d)")  # a time of day, "18:40"
EN_MONTHS: dict[str, int] = {
    name: number
    for number, names in enumerate(
        [
            ("jan", "january"),
            ("feb", "february"),
            ("mar", "march"),
            ("apr", "april"),
            ("may",),
            ("jun", "june"),
            ("jul", "july"),
            ("aug", "august"),
            ("sep", "sept", "september"),
            ("oct", "october"),
            ("nov", "november"),
            ("dec", "december"),
        ],
        start=1,
    )
    for name in names
}
RU_MONTH_STEMS: tuple[tuple[str, int], ...] = (
    ("янв", 1),
    ("фев", 2),
    ("мар", 3),
    ("апр", 4),
    ("мая", 5),
    ("мае", 5),
    ("май", 5),
    ("июн", 6),
    ("июл", 7),
    ("авг", 8),
    ("сен", 9),
    ("окт", 10),
    ("ноя", 11),
    ("дек", 12),
)
MONTH_WORD = re.compile(
    r"\b(?:january|february|march|april|may|june|july|august|september|october|november|december"
    r"|январ\w*|феврал\w*|март\w*|апрел\w*|ма[йяе]|июн\w*|июл\w*|август\w*|сентябр\w*|октябр\w*"
    r"|ноябр\w*|декабр\w*)\b|\d{1,2}\s*月",
    re.IGNORECASE,
)
WEEKDAY = re.compile(
    r"^(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*\.?$|^(?:понедельник|вторник|среда|четверг|пятница"
    r"|суббота|воскресенье|пн|вт|ср|чт|пт|сб|вс)\.?$|^(?:星期|周)[一二三四五六日天]$",
    re.IGNORECASE,
)


def month_number(name: str) -> int:
    """1-12 for an English or Russian month name or abbreviation, else 0."""
    name = name.lower().rstrip(".")
    if name in EN_MONTHS:
        return EN_MONTHS[name]
    return next((number for stem, number in RU_MONTH_STEMS if name.startswith(stem)), 0)


# --- dates ----------------------------------------------------------------------------------------

_MON = r"(?P<mon>[A-Za-z]{3,9}|[а-яА-ЯёЁ]{3,9})\.?"
_DATE_PATTERNS = [
    re.compile(r"(?<![\w.])(?P<y>(?:19|20)\d\d)[-/.](?P<m>\d{1,2})[-/.](?P<d>\d{1,2})\b"),
    # glued to a Chinese word before it ("来源：丝路网2024-11-20")
    re.compile(r"(?<=[\u4e00-\u9fff])(?P<y>(?:19|20)\d\d)-(?P<m>\d{1,2})-(?P<d>\d{1,2})\b"),
    re.compile(r"(?P<y>(?:19|20)\d\d)\s*年\s*(?P<m>\d{1,2})\s*月\s*(?P<d>\d{1,2})\s*日"),
    re.compile(r"\b(?P<d>\d{1,2})[./](?P<m>\d{1,2})[./](?P<y>(?:19|20)\d\d)\b"),
    re.compile(r"\b" + _MON + r"\s+(?P<d>\d{1,2})(?:st|nd|rd|th)?,?\s+(?P<y>(?:19|20)\d\d)\b"),
    re.compile(r"\b(?P<d>\d{1,2})(?:st|nd|rd|th)?\s+(?:of\s+)?" + _MON + r",?\s+(?P<y>(?:19|20)\d\d)\b"),
    re.compile(r"\b(?P<d>\d{1,2})-(?P<mon>[A-Za-z]{3,9})-(?P<y>(?:19|20)\d\d)\b"),  # "05-Mar-2026"
    # a range of days is dated by its first ("24 – 26 February 2026", "February 24–26, 2026")
    re.compile(r"\b(?P<d>\d{1,2})\s*[-–—]\s*\d{1,2}\s+" + _MON + r",?\s+(?P<y>(?:19|20)\d\d)\b"),
    re.compile(r"\b" + _MON + r"\s+(?P<d>\d{1,2})\s*[-–—]\s*\d{1,2},?\s+(?P<y>(?:19|20)\d\d)\b"),
]


_MONTH_NAME = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?"
    r"|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?|январ\w*|феврал\w*|март\w*|апрел\w*|ма[йяе]|июн\w*|июл\w*"
    r"|август\w*|сентябр\w*|октябр\w*|ноябр\w*|декабр\w*|(?:янв|фев|мар|апр|авг|сен|сент|окт|ноя|дек)\.?(?!\w))"
)
# a post's stamp without a year: "4 мар в 18:20", "Mar 4 at 6:20 PM", "3月4日 18:20"
STAMP = re.compile(r"^(?:\d{1,2}\s*" + _MONTH_NAME + r"|" + _MONTH_NAME + r"\s*\d{1,2}|\d{1,2}月\d{1,2}日)"
                   r"(?:,?\s*(?:at|в)?\s*\d{1,2}:\d{2}(?:\s*[ap]m)?)$", re.IGNORECASE)
# a day or month written beside a month name or as 3月/9日/15号: part of a date, not an amount
_DATE_PART = re.compile(
    r"(?<![\d.,])\d{1,2}\s*(?:月|日|号)"
    r"|\b" + _MONTH_NAME + r"\.?\s+\d{1,2}(?:st|nd|rd|th)?\b(?![\d.,]\d)"
    r"|(?<![\d.,])\d{1,2}(?:st|nd|rd|th)?\s+(?:of\s+)?" + _MONTH_NAME + r"\b",
    re.IGNORECASE,
)


def date_spans(text: str) -> tuple[tuple[int, int], ...]:
    """Where ``text`` writes a date, a day beside a month, or a time of day: the numbers inside
    these spans are parts of a date ("16 May", "3月初", "07.10.2025", "10:42"), not figures."""
    patterns = (*_DATE_PATTERNS, _DATE_PART, CLOCK)
    return tuple(sorted(m.span() for pattern in patterns for m in pattern.finditer(text)))


def find_date(text: str) -> tuple[str, re.Match[str] | None]:
    """The first recognisable date in ``text`` as ISO ``YYYY-MM-DD`` (or "") and its match.

    Forms: 2024-07-24, 2024/7/24, 24.07.2024, 2024年7月24日, July 24, 2024, 24 July 2024,
    Среда, 15 мая 2024, 10:42.
    """
    found: list[tuple[int, str, re.Match[str]]] = []
    for pattern in _DATE_PATTERNS:
        for match in pattern.finditer(text):
            iso = _iso(match)
            if iso:
                found.append((match.start(), iso, match))
                break
    if not found:
        return "", None
    _, iso, match = min(found, key=lambda f: f[0])
    return iso, match


def iso_dates(text: str) -> list[str]:
    """Every recognisable date in ``text`` as ISO ``YYYY-MM-DD``, in no particular order."""
    return [iso for pattern in _DATE_PATTERNS for match in pattern.finditer(text) if (iso := _iso(match))]


def _iso(match: re.Match[str]) -> str:
    parts = match.groupdict()
    month = int(parts["m"]) if parts.get("m") else month_number(parts.get("mon") or "")
    day, year = int(parts["d"]), int(parts["y"])
    return f"{year:04d}-{month:02d}-{day:02d}" if 1 <= month <= 12 and 1 <= day <= 31 else ""


_EN_MONTH_NAMES = ("January", "February", "March", "April", "May", "June", "July", "August",
                   "September", "October", "November", "December")
_RU_MONTH_GENITIVE = ("января", "февраля", "марта", "апреля", "мая", "июня", "июля", "августа",
                      "сентября", "октября", "ноября", "декабря")
_RU_MONTH_NOMINATIVE = ("январь", "февраль", "март", "апрель", "май", "июнь", "июль", "август",
                        "сентябрь", "октябрь", "ноябрь", "декабрь")
_ISO_PARTS = re.compile(r"(?P<y>\d{4})(?:-(?P<m>\d{2})(?:-(?P<d>\d{2}))?)?")


def human_date(iso: str, lang: str) -> str:
    """An ISO date (``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``) as a reader of ``lang`` writes it:
    "3 June 2025", "3 июня 2025 года", "2025年6月3日". Anything else comes back unchanged."""
    match = _ISO_PARTS.fullmatch(iso.strip())
    if not match:
        return iso
    year = int(match["y"])
    month = int(match["m"]) if match["m"] else 0
    day = int(match["d"]) if match["d"] else 0
    if not match["m"]:
        return str(year)
    if not 1 <= month <= 12 or (match["d"] and not 1 <= day <= 31):
        return iso
    if lang == "zh":
        return f"{year}年{month}月" + (f"{day}日" if day else "")
    if lang == "ru":
        if day:
            return f"{day} {_RU_MONTH_GENITIVE[month - 1]} {year} года"
        return f"{_RU_MONTH_NOMINATIVE[month - 1]} {year}"
    return f"{day} {_EN_MONTH_NAMES[month - 1]} {year}" if day else f"{_EN_MONTH_NAMES[month - 1]} {year}"
