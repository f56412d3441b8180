"""One place for the text rules every module shares: scripts and language, word patterns, years
and month names, the place/organisation gazetteer and the domain concept lexicon.

Pure functions and compiled patterns only; the lexicon file is read lazily on first use.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
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
WORD = re.compile(f"[{CJK_CHARS}]|[^\\W_{CJK_CHARS}]+")
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


# --- gazetteer and concept lexicon (knowledge/data/*.tsv, read on first use) --------------------

LANGS = ("en", "ru", "zh")
# concepts that name the kind of answer, not the thing asked about
MEASURE_CONCEPTS = frozenset(
    """amount number total volume value count quantity figure size length area cost price percentage share
    rate date time year month day headline title author publisher article report published""".split()  # noqa: SIM905
)
# places every document of this knowledge base implies: naming them narrows nothing
GENERIC_PLACES = frozenset({"China", "Central Asia"})


def _script_lang(form: str) -> str:
    return "zh" if CJK.search(form) else "ru" if CYRILLIC.search(form) else "en"


@dataclass(frozen=True, kw_only=True)
class Place:
    """A named place or organisation and its surface forms (lower-case) per language."""

    name: str
    forms: tuple[str, ...]
    country: bool = False
    implies: tuple[str, ...] = ()  # a short name that stands for several places (中吉乌)

    def in_language(self, lang: str) -> tuple[str, ...]:
        return tuple(f for f in self.forms if _script_lang(f) == lang)


@dataclass(frozen=True, kw_only=True)
class Concept:
    """A domain concept (tunnel, grant, revenue) and its forms per language; ``*`` ends a prefix."""

    name: str
    forms: tuple[str, ...]

    def in_language(self, lang: str) -> tuple[str, ...]:
        return tuple(f.rstrip("*") for f in self.forms if _script_lang(f) == lang)


def _place_pattern(form: str) -> str:
    """Short forms (кук, сша, cku) are whole words, longer ones are stems ("казахстан" also
    matches "казахстана"); every non-CJK form starts a word (see ``_compile``)."""
    if CJK.search(form):
        return re.escape(form)
    return rf"{re.escape(form)}(?!\w)" if len(form) <= 4 else re.escape(form)


def _concept_pattern(form: str) -> str:
    """``form*`` is a prefix; other non-CJK forms are words, with an optional -s/-es."""
    if CJK.search(form):
        return re.escape(form)
    if form.endswith("*"):
        return re.escape(form[:-1])
    return rf"{re.escape(form)}(?:s|es)?(?!\w)"


@dataclass(frozen=True, eq=False)
class Vocabulary:
    """Named entries (places or concepts), each with one compiled pattern over its forms."""

    entries: tuple[Place | Concept, ...]
    patterns: tuple[re.Pattern[str], ...]
    by_name: dict[str, Place | Concept] = field(default_factory=dict)
    # entry indices by the key of each of their forms (see ``_form_key``); -1 lists the entries
    # with a form that has no key, which are always tried
    by_key: dict[str, list[int]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.by_name.update((e.name, e) for e in self.entries)
        if len(self.by_name) != len(self.entries):
            raise ValueError("duplicate names in a vocabulary file")
        for i, entry in enumerate(self.entries):
            for key in {_form_key(f) for f in entry.forms}:
                self.by_key.setdefault(key, []).append(i)

    def candidates(self, low: str) -> list[int]:
        """Indices of the entries that can match the case-folded ``low``: a cheap filter on word
        beginnings and CJK characters, so that only those entries' patterns run."""
        keys = {""} | {w[:n] for w in _KEY_WORD.findall(low) for n in (1, 2, 3)}
        keys |= {run[i : i + n] for run in CJK_RUN.findall(low) for n in (1, 2) for i in range(len(run))}
        return sorted({i for key in keys for i in self.by_key.get(key, ())})

    def names_in(self, text: str) -> frozenset[str]:
        return _names_in(self, text)

    def positions(self, text: str) -> list[tuple[int, str]]:
        """(offset, name) of the first match of every entry ``text`` mentions, in text order."""
        low = text.casefold()
        found = ((m.start(), self.entries[i].name) for i in self.candidates(low)
                 if (m := self.patterns[i].search(low)))
        return sorted(found)

    def get(self, name: str) -> Place | Concept | None:
        return self.by_name.get(name)


@lru_cache(maxsize=131072)
def _names_in(vocab: Vocabulary, text: str) -> frozenset[str]:
    low = text.casefold()
    found = [vocab.entries[i] for i in vocab.candidates(low) if vocab.patterns[i].search(low)]
    return frozenset(name for e in found for name in (e.name, *getattr(e, "implies", ())))


_KEY_WORD = re.compile(f"[^\\W_{CJK_CHARS}]+")


def _form_key(form: str) -> str:
    """What a text must contain for ``form`` to match: the first one or two characters of a CJK
    form, the first (up to) three letters of the first word of any other; "" when the form does
    not start with a word (always tried)."""
    form = form.rstrip("*")
    if CJK.match(form):
        return form[:2] if len(form) > 1 and CJK.match(form[1]) else form[:1]
    word = _KEY_WORD.match(form)
    return word.group(0)[:3] if word else ""


def _rows(text: str, columns: int) -> list[list[str]]:
    rows = [line.split("\t") for line in text.splitlines() if line.strip() and not line.startswith("#")]
    bad = [r[0] for r in rows if len(r) != columns]
    if bad:
        raise ValueError(f"expected {columns} tab-separated columns in rows {bad[:3]}")
    return rows


def _forms(columns: list[str]) -> tuple[str, ...]:
    forms = (f.strip().casefold() for col in columns for f in col.split("|"))
    return tuple(f for f in forms if f and f != "-")


def parse_places(text: str) -> Vocabulary:
    """``name<TAB>flags<TAB>en forms<TAB>ru forms<TAB>zh forms``; flags, comma-separated: ``country``,
    ``implies:A;B`` (the name stands for places A and B too), or ``-``."""
    places = []
    for row in _rows(text, 5):
        flags = [f.strip() for f in row[1].split(",")]
        implied = next((f.split(":", 1)[1] for f in flags if f.startswith("implies:")), "")
        places.append(Place(name=row[0].strip(), forms=_forms(row[2:]), country="country" in flags,
                            implies=tuple(n.strip() for n in implied.split(";") if n.strip())))
    return Vocabulary(tuple(places), tuple(_compile(p.forms, _place_pattern) for p in places))


def parse_lexicon(text: str) -> Vocabulary:
    """``concept<TAB>en forms<TAB>ru forms<TAB>zh forms``; English forms also match with -s/-es."""
    concepts = [Concept(name=r[0].strip(), forms=_forms(r[1:])) for r in _rows(text, 4)]
    return Vocabulary(tuple(concepts), tuple(_compile(c.forms, _concept_pattern) for c in concepts))


def _compile(forms: tuple[str, ...], pattern: Callable[[str], str]) -> re.Pattern[str]:
    """One pattern for an entry: CJK forms anywhere, the others at the start of a word (one
    look-behind for all of them, which keeps the search fast)."""
    cjk = [pattern(f) for f in forms if CJK.search(f)]
    words = [pattern(f) for f in forms if not CJK.search(f)]
    parts = ([rf"(?<!\w)(?:{'|'.join(words)})"] if words else []) + cjk
    return re.compile("|".join(parts))


def _data(name: str) -> str:
    return resources.files("knowledge").joinpath("data", name).read_text(encoding="utf-8")


@lru_cache(maxsize=1)
def gazetteer() -> Vocabulary:
    return parse_places(_data("places.tsv"))


@lru_cache(maxsize=1)
def lexicon() -> Vocabulary:
    return parse_lexicon(_data("concepts.tsv"))


def places_in(text: str) -> frozenset[str]:
    """Names of the gazetteer entries ``text`` mentions (any of the three languages)."""
    return gazetteer().names_in(text)


def concepts_in(text: str) -> frozenset[str]:
    """Domain concepts ``text`` mentions (any of the three languages)."""
    return lexicon().names_in(text)


def is_country(name: str) -> bool:
    place = gazetteer().get(name)
    return isinstance(place, Place) and place.country


def foreign_forms(text: str, lang: str, per_language: int = 3) -> str:
    """The places and concepts of ``text`` as written in the other two languages: a dictionary
    translation for lexical search across languages ("Alashankou grain" -> "阿拉山口 粮食 …")."""
    out: list[str] = []
    places, concepts = places_in(text) - GENERIC_PLACES, concepts_in(text) - MEASURE_CONCEPTS
    for vocab, names in ((gazetteer(), places), (lexicon(), concepts)):
        for entry in (vocab.by_name[name] for name in sorted(names)):
            for other in (o for o in LANGS if o != lang):
                out.extend(entry.in_language(other)[:per_language])
    return " ".join(dict.fromkeys(out))


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
