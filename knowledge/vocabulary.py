"""The place/organisation gazetteer and the domain concept lexicon, in English, Russian and
Chinese: data files in ``knowledge/data`` (``places.tsv``, ``concepts.tsv``), read on first use.

One place for countries, places and concepts: the reader's question profile, cross-lingual
lexical search, topics and fact cards all ask here.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources

from knowledge.text import CJK, CJK_CHARS, CJK_RUN, script_of

LANGS = ("en", "ru", "zh")
# concepts that name the kind of answer, not the thing asked about
MEASURE_CONCEPTS = frozenset(
    """amount number total volume value count quantity figure size length area cost price percentage share
    rate date time year month day headline title author publisher article report published""".split()  # noqa: SIM905
)
# places every document of this knowledge base implies: naming them narrows nothing
GENERIC_PLACES = frozenset({"China", "Central Asia"})


@dataclass(frozen=True, kw_only=True)
class Place:
    """A named place or organisation and its surface forms (lower-case) per language."""

    name: str
    forms: tuple[str, ...]
    country: bool = False
    entity: bool = False  # a route, pipeline, organisation or programme rather than a place
    implies: tuple[str, ...] = ()  # a short name that stands for several places (中吉乌)
    within: tuple[str, ...] = ()  # the country it lies in (two for a border crossing)

    def in_language(self, lang: str) -> tuple[str, ...]:
        return tuple(f for f in self.forms if script_of(f) == lang)


@dataclass(frozen=True, kw_only=True)
class Concept:
    """A domain concept (tunnel, grant, revenue) and its forms per language; ``*`` ends a prefix."""

    name: str
    forms: tuple[str, ...]

    def in_language(self, lang: str) -> tuple[str, ...]:
        return tuple(f.rstrip("*") for f in self.forms if script_of(f) == lang)


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
        return list(_positions(self, text))

    def get(self, name: str) -> Place | Concept | None:
        return self.by_name.get(name)


@lru_cache(maxsize=131072)
def _names_in(vocab: Vocabulary, text: str) -> frozenset[str]:
    low = text.casefold()
    found = [vocab.entries[i] for i in vocab.candidates(low) if vocab.patterns[i].search(low)]
    return frozenset(name for e in found for name in (e.name, *getattr(e, "implies", ())))


@lru_cache(maxsize=8192)
def _positions(vocab: Vocabulary, text: str) -> tuple[tuple[int, str], ...]:
    low = text.casefold()
    found = ((m.start(), vocab.entries[i].name) for i in vocab.candidates(low)
             if (m := vocab.patterns[i].search(low)))
    return tuple(sorted(found))


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
    ``entity`` (a route or organisation), ``implies:A;B`` (the name stands for places A and B too),
    ``in:A;B`` (it lies in country A, or on the border of A and B), or ``-``."""
    places = []
    for row in _rows(text, 5):
        flags = [f.strip() for f in row[1].split(",")]

        def listed(key: str, flags: list[str] = flags) -> tuple[str, ...]:
            value = next((f.split(":", 1)[1] for f in flags if f.startswith(f"{key}:")), "")
            return tuple(n.strip() for n in value.split(";") if n.strip())

        places.append(Place(name=row[0].strip(), forms=_forms(row[2:]), country="country" in flags,
                            entity="entity" in flags, implies=listed("implies"), within=listed("in")))
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


# the United States named only as a currency's issuer: "US dollars", "US$", "долларов США"
_CURRENCY_ISSUER = re.compile(r"\bu\.?s\.? ?(?=dollar|\$)|(?<=долл)(ар\w*|\.)\s*сша\b", re.IGNORECASE)


def places_in(text: str) -> frozenset[str]:
    """Names of the gazetteer entries ``text`` mentions (any of the three languages)."""
    return gazetteer().names_in(_CURRENCY_ISSUER.sub(lambda m: m.group(1) or " ", text))


def concepts_in(text: str) -> frozenset[str]:
    """Domain concepts ``text`` mentions (any of the three languages)."""
    return lexicon().names_in(text)


def is_country(name: str) -> bool:
    place = gazetteer().get(name)
    return isinstance(place, Place) and place.country


def on_the_map(names: frozenset[str]) -> frozenset[str]:
    """The names that are places, not routes or organisations (the SCO, the gas pipeline)."""
    table = gazetteer()
    return frozenset(n for n in names if not getattr(table.get(n), "entity", False))


def countries_of(name: str) -> frozenset[str]:
    """The countries a place lies in (Jizzakh: Uzbekistan; Khorgos: Kazakhstan and China)."""
    place = gazetteer().get(name)
    return frozenset(getattr(place, "within", ()) or getattr(place, "implies", ()))


def implied_by(name: str) -> frozenset[str]:
    """The places a name stands for besides itself (Astana: Kazakhstan)."""
    return frozenset(getattr(gazetteer().get(name), "implies", ()))


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
