"""One place for the text rules every module shares: scripts and language, word patterns, years
and month names, the place/organisation gazetteer and the domain concept lexicon.

Pure functions and compiled patterns only; the lexicon file is read lazily on first use.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

# --- scripts ------------------------------------------------------------------------------------

CJK_CHARS = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
CJK = re.compile(f"[{CJK_CHARS}]")
CJK_RUN = re.compile(f"[{CJK_CHARS}]+")
CYRILLIC = re.compile(r"[\u0400-\u04ff]")
LATIN = re.compile(r"[A-Za-z\u00c0-\u024f]")
KANA_HANGUL = re.compile(r"[\u3040-\u30ff\uac00-\ud7af]")
LETTER = re.compile(r"[^\W\d_]")
# a CJK character (about a word's worth of meaning) or a run of letters/digits
WORD = re.compile(f"[{CJK_CHARS}]|[^\\W_]+")
# sentence-final punctuation of the three languages, with closing quotes/brackets after it
SENTENCE_END = re.compile(r"[.!?。！？…][\"'”’»)）\]]*$")


def words(text: str) -> list[str]:
    return WORD.findall(text)


def word_count(text: str) -> int:
    return len(WORD.findall(text))


def cjk_count(text: str) -> int:
    return len(CJK.findall(text))


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

YEAR = re.compile(r"(?<!\d)(1[89]\d{2}|20\d{2})(?!\d)")
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
    r"|суббота|воскресенье)$|^(?:星期|周)[一二三四五六日天]$",
    re.IGNORECASE,
)


def month_number(name: str) -> int:
    """1-12 for an English or Russian month name or abbreviation, else 0."""
    name = name.lower().rstrip(".")
    if name in EN_MONTHS:
        return EN_MONTHS[name]
    return next((number for stem, number in RU_MONTH_STEMS if name.startswith(stem)), 0)


# --- gazetteer: places and organisations --------------------------------------------------------


@dataclass(frozen=True)
class Place:
    """A named place or organisation and its surface forms (lower-case) in en / ru / zh."""

    name: str
    forms: tuple[str, ...]
    country: bool = False
    generic: bool = False  # implied by the whole knowledge base (China, Central Asia)


def _p(name: str, forms: str, *, country: bool = False, generic: bool = False) -> Place:
    return Place(name=name, forms=tuple(forms.split("|")), country=country, generic=generic)


GAZETTEER: tuple[Place, ...] = (
    _p("China", "china|chinese|beijing|sino-|prc|китай|китая|китаю|китае|кнр|пекин|中国|中方|北京", country=True,
       generic=True),
    _p("Central Asia", "central asia|центральн азии|центральной азии|центральная азия|中亚", generic=True),
    _p("Kazakhstan", "kazakhstan|kazakh|казахстан|казахск|哈萨克斯坦|哈萨克|哈方", country=True),
    _p("Kyrgyzstan", "kyrgyzstan|kyrgyz|кыргызстан|киргиз|кыргыз|吉尔吉斯", country=True),
    _p("Tajikistan", "tajikistan|tajik|таджикистан|таджик|塔吉克", country=True),
    _p("Turkmenistan", "turkmenistan|turkmen|туркменистан|туркмен|土库曼", country=True),
    _p("Uzbekistan", "uzbekistan|uzbek|узбекистан|узбек|乌兹别克", country=True),
    _p("Astana", "astana|астан|阿斯塔纳"),
    _p("Almaty", "almaty|алмат|阿拉木图"),
    _p("Bishkek", "bishkek|бишкек|比什凯克"),
    _p("Tashkent", "tashkent|ташкент|塔什干"),
    _p("Dushanbe", "dushanbe|душанбе|杜尚别"),
    _p("Ashgabat", "ashgabat|ашхабад|阿什哈巴德"),
    _p("Samarkand", "samarkand|самарканд|撒马尔罕"),
    _p("Xinjiang", "xinjiang|urumqi|синьцзян|урумчи|新疆|乌鲁木齐"),
    _p("Kashgar", "kashgar|кашгар|喀什"),
    _p("Xi'an", "xi'an|xian|сиань|西安"),
    _p("Shaanxi", "shaanxi|шэньси|陕西"),
    _p("Jiangsu", "jiangsu|цзянсу|江苏"),
    _p("Lianyungang", "lianyungang|ляньюньган|连云港"),
    _p("Khorgos", "khorgos|horgos|хоргос|霍尔果斯"),
    _p("Caspian", "caspian|каспи|里海"),
    _p("Russia", "russia|russian|moscow|россия|россии|москв|俄罗斯", country=True),
    _p("Europe", "europe|european|европ|欧洲"),
    _p("Iran", "iran|иран|伊朗", country=True),
    _p("Afghanistan", "afghanistan|афганистан|阿富汗", country=True),
    _p("Pakistan", "pakistan|пакистан|巴基斯坦", country=True),
    _p("Turkey", "turkey|türkiye|турци|土耳其", country=True),
    _p("Azerbaijan", "azerbaijan|азербайджан|阿塞拜疆", country=True),
    _p("Georgia", "georgia|грузи|格鲁吉亚", country=True),
    _p("Mongolia", "mongolia|монгол|蒙古", country=True),
    _p("India", "india|индия|индии|印度", country=True),
    _p("United States", "united states|u.s.|usa|america|сша|америк|美国", country=True),
    _p("Japan", "japan|япони|日本", country=True),
    _p("Brazil", "brazil|бразили|巴西", country=True),
    _p("Argentina", "argentina|аргентин|阿根廷", country=True),
    _p("SCO", "sco|shanghai cooperation|шос|шанхайск|上合|上海合作组织"),
    _p("BRI", "belt and road|bri|пояс и путь|пояса и пути|一带一路"),
    _p("TITR", "trans-caspian|titr|middle corridor|транскаспий|средний коридор|跨里海|中间走廊"),
    _p("EAEU", "eaeu|eurasian economic union|еаэс|евразийск|欧亚经济联盟"),
    _p("CNPC", "cnpc|china national petroleum|кннк|中石油|中国石油"),
    _p("CKU railway", "china-kyrgyzstan-uzbekistan|china–kyrgyzstan–uzbekistan|cku|кку|кук|китай — кыргызстан"
       "|китай-кыргызстан-узбекистан|中吉乌"),
)


def _form_pattern(form: str) -> str:
    if form.isascii() and len(form) <= 4:
        return rf"(?<!\w){re.escape(form)}(?!\w)"
    return re.escape(form)


_PLACE_RES = tuple((place, re.compile("|".join(_form_pattern(f) for f in place.forms))) for place in GAZETTEER)


@lru_cache(maxsize=65536)
def places_in(text: str) -> frozenset[str]:
    """Names of the gazetteer entries ``text`` mentions (any of the three languages)."""
    low = text.casefold()
    found = {place.name for place, pattern in _PLACE_RES if pattern.search(low)}
    if "CKU railway" in found:  # the short Chinese/Russian names imply the three countries
        found |= {"China", "Kyrgyzstan", "Uzbekistan"}
    return frozenset(found)


GENERIC_PLACES = frozenset(p.name for p in GAZETTEER if p.generic)
COUNTRIES = tuple(p.name for p in GAZETTEER if p.country)


# --- concept lexicon ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Lexicon:
    """Domain concepts with their forms per language (``knowledge/data/concepts.tsv``)."""

    patterns: tuple[tuple[str, re.Pattern[str]], ...]

    def concepts_in(self, text: str) -> frozenset[str]:
        return _concepts_in(self, text)


@lru_cache(maxsize=65536)
def _concepts_in(lex: Lexicon, text: str) -> frozenset[str]:
    low = text.casefold()
    return frozenset(name for name, pattern in lex.patterns if pattern.search(low))


def _concept_pattern(forms: list[str], cjk: bool) -> str:
    parts = []
    for form in forms:
        form = form.strip().casefold()
        if not form:
            continue
        if cjk:
            parts.append(re.escape(form))
        elif form.endswith("*"):
            parts.append(rf"(?<!\w){re.escape(form[:-1])}\w*")
        else:
            parts.append(rf"(?<!\w){re.escape(form)}(?:s|es)?(?!\w)")
    return "|".join(parts)


def parse_lexicon(text: str) -> Lexicon:
    rows = []
    for line in text.splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        cols = line.split("\t")
        if len(cols) < 4:
            continue
        name = cols[0].strip()
        alternatives = [
            _concept_pattern(col.split("|"), cjk=(i == 3)) for i, col in enumerate(cols[1:4], start=1)
        ]
        pattern = "|".join(a for a in alternatives if a)
        if pattern:
            rows.append((name, re.compile(pattern)))
    return Lexicon(patterns=tuple(rows))


@lru_cache(maxsize=1)
def lexicon() -> Lexicon:
    data = resources.files("knowledge").joinpath("data", "concepts.tsv")
    return parse_lexicon(data.read_text(encoding="utf-8")) if data.is_file() else Lexicon(patterns=())


# --- dates ----------------------------------------------------------------------------------------

_MON = r"(?P<mon>[A-Za-z]{3,9}|[а-яА-ЯёЁ]{3,9})\.?"
_DATE_PATTERNS = [
    re.compile(r"\b(?P<y>(?:19|20)\d\d)[-/.](?P<m>\d{1,2})[-/.](?P<d>\d{1,2})\b"),
    re.compile(r"(?P<y>(?:19|20)\d\d)\s*年\s*(?P<m>\d{1,2})\s*月\s*(?P<d>\d{1,2})\s*日"),
    re.compile(r"\b(?P<d>\d{1,2})[./](?P<m>\d{1,2})[./](?P<y>(?:19|20)\d\d)\b"),
    re.compile(r"\b" + _MON + r"\s+(?P<d>\d{1,2})(?:st|nd|rd|th)?,?\s+(?P<y>(?:19|20)\d\d)\b"),
    re.compile(r"\b(?P<d>\d{1,2})(?:st|nd|rd|th)?\s+(?:of\s+)?" + _MON + r",?\s+(?P<y>(?:19|20)\d\d)\b"),
]


def find_date(text: str) -> tuple[str, re.Match[str] | None]:
    """The first recognisable date in ``text`` as ISO ``YYYY-MM-DD`` (or "") and its match.

    Forms: 2024-07-24, 2024/7/24, 24.07.2024, 2024年7月24日, July 24, 2024, 24 July 2024,
    Среда, 15 мая 2024, 10:42.
    """
    found: list[tuple[int, str, re.Match[str]]] = []
    for pattern in _DATE_PATTERNS:
        for match in pattern.finditer(text):
            parts = match.groupdict()
            month = int(parts["m"]) if parts.get("m") else month_number(parts.get("mon") or "")
            day, year = int(parts["d"]), int(parts["y"])
            if 1 <= month <= 12 and 1 <= day <= 31:
                found.append((match.start(), f"{year:04d}-{month:02d}-{day:02d}", match))
                break
    if not found:
        return "", None
    _, iso, match = min(found, key=lambda f: f[0])
    return iso, match
