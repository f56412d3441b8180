"""What a question asks for (pure functions): its profile.

A similarity score alone cannot tell "the passage states it" from "the passage is on the topic",
so the reader also checks (``evidence``) that a candidate sentence carries
- the question's *focus* and *head concept*: the thing asked about (tunnels, a grant, revenue),
  as domain concepts that match across English, Russian and Chinese (``vocabulary.lexicon``) and,
  within one language, as word stems;
- the *kind* of answer asked for: an amount of money, a count, a percentage, a date, a length,
  a person or a place;
- the places and years the question names, and no "current vs. target" mismatch.
These signals become features of the fitted scorer (``features``); none of them decides alone.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from functools import lru_cache

from knowledge.askedkinds import NUMERIC_KINDS, question_kinds
from knowledge.lexical import STOPWORDS, tokenize
from knowledge.metaquestions import meta_question
from knowledge.periods import periods_in
from knowledge.text import CJK, MONTH_WORD, YEAR, detect_language
from knowledge.vocabulary import GENERIC_PLACES, MEASURE_CONCEPTS, concepts_in, gazetteer, lexicon, places_in

# whether sources disagree is what is asked ("do the sources agree on…", "расходятся ли данные…",
# "各方说法一致吗"); a sentence reporting a disagreement carries the same words
DISAGREEMENT = re.compile(
    r"\b(?:disagree\w*|discrepanc\w*|conflicting|(?:in)?consistent|inconsistenc\w*|contradict\w*)\b"
    r"|\b(?:sources?|reports?|figures|estimates|numbers|data|accounts|outlets|documents|articles)\b"
    r"[^?.]{0,60}\b(?:agree|differ|match|vary|varies|compare)"
    r"|\bdifferent (?:\w+ )?(?:figures|numbers|estimates|values|data|accounts|versions)\b"
    r"|\bis there (?:any )?agreement\b|\bthe same in (?:every|all|each|both)\b|\bconsistently\b"
    r"|\bwhich (?:figure|number|one|source|estimate|date|total)s? (?:is|are)"
    r" (?:right|correct|true|accurate)\b"
    r"|\b(?:who|which sources?) says? what\b|\bwhat does each (?:side|source|report)\b|\bfar apart\b"
    r"|\b(?:don't|do not|doesn't|does not) (?:give|report|say|show|quote) the same\b"
    r"|\bdifferent (?:\w+ ){1,2}(?:quoted|mentioned|reported|cited|given)\b"
    r"|\b(?:two|several|conflicting|differing) (?:\w+ ){0,2}(?:figures|numbers|totals|estimates|versions)\b"
    r"|\b(?:figures|estimates|numbers)\b[^?]{0,80}\bby whom\b"
    r"|расхожден\w*|расход(?:ятся|ится|ились|илась)|противореч\w*|несоответств\w*"
    r"|разн\w* источник\w*|одинаков\w* ли|кому верить|по-разному|одно и то же|кто какую"
    r"|разн\w* (?:\w+ )?(?:данн|цифр|оценк|сведен|верси)\w*|(?:сходятся|совпадают|различаются|отличаются) ли"
    r"|(?:данные|цифры|оценки|источники|сведения)[^?.]{0,60}(?:сходятся|совпадают|различаются|отличаются)"
    r"|是否一致|一致吗|不一致|是否相同|相同吗|一样吗|说法(?:不同|不一|是否)|有(?:较大|很大|一些|什么)?出入|出入吗"
    r"|矛盾|差异|不同(?:的)?(?:数据|数字|说法|来源|报道)|有的说|哪个(?:来源|数字|说法|数据)?(?:说得)?(?:对|准确|正确)"
    r"|各(?:方|来源|媒体|报道)[^？?。]{0,20}(?:一致(?!同意|认为|通过|表示|决定)|不同|相同)",
    re.IGNORECASE,
)
_CURRENT = re.compile(
    r"\b(current|currently|now|today|at present)\b|сейчас|текущ|настоящее время|现在|目前|当前", re.I
)
# questions about the document itself: who wrote it, its headline, its publisher, its date
_QUESTION_WORDS = frozenset(
    """what which who whom whose when where why how many much is are was were did does do tell me about
    please the a an of in on to for with and or by from as at its it this that there their be been
    какой какая какое какие каков каково сколько кто где когда почему зачем как ли же это был была было были
    расскажи скажи пожалуйста про о об во на по для из до при у""".split()  # noqa: SIM905
)


@dataclass(frozen=True, kw_only=True)
class QuestionProfile:
    """What a question asks for."""

    lang: str
    kinds: frozenset[str]
    places: frozenset[str]
    years: frozenset[int]
    focus: frozenset[str]  # domain concepts asked about (language-independent)
    head: str  # the one focus concept the answer is about ("tunnel" in "how many tunnels …")
    terms: frozenset[str]  # content-word stems (compared within one language)
    names: tuple[str, ...]  # capitalised words the gazetteer does not know (en/ru)
    asks_current: bool = False
    periods: frozenset[str] = frozenset()  # spans within a year ("m1-m6" for the first half)
    meta: str = ""  # "author" | "title" | "publisher" | "published" | ""
    conflict: bool = False  # asks whether the sources give different values

    @property
    def numeric(self) -> bool:
        return bool(self.kinds & NUMERIC_KINDS)




def _capitalised_names(question: str, known: frozenset[str]) -> tuple[str, ...]:
    out = []
    tokens = re.findall(r"[^\W\d_][\w'’-]*", question)
    # words of the places the question names ("Central" of "Central Asia")
    place_words = {w for name in known if (p := gazetteer().get(name)) for f in p.forms for w in f.split()}
    for i, token in enumerate(tokens):
        if i == 0 or not token[0].isupper() or token.casefold() in _QUESTION_WORDS:
            continue
        if token.casefold() in place_words or MONTH_WORD.search(token):
            continue
        named = places_in(token)
        if named - GENERIC_PLACES or named & known or (token.isupper() and len(token) <= 4):
            continue
        out.append(token)
    return tuple(out)


# where the asked-for thing is named: right after the question word in English and Russian
# ("how many tunnels", "сколько тоннелей"), next to it in Chinese ("隧道有多少条", "多少条隧道")
_ASK_CUE = re.compile(
    r"\b(?:how (?:many|much|long|big|large)|what|which|who|whom|when|where)\b"
    r"|(?<!\w)(?:сколько|какой|какая|какое|какие|каков\w*|кто|когда|где|куда|во сколько)(?!\w)"
    r"|多少|几|什么|哪|谁|何时|多大|多长",
    re.IGNORECASE,
)


@lru_cache(maxsize=4096)
def head_concept(question: str) -> str:
    """The domain concept the question asks about: the first one after its question word (or the
    nearest one in Chinese, where the noun may come first); "" when there is none."""
    named = [(at, name) for at, name in lexicon().positions(question) if name not in MEASURE_CONCEPTS]
    cue = _ASK_CUE.search(question)
    if not named:
        return ""
    if cue is None:
        return named[0][1]
    if CJK.search(cue.group(0)):
        return min(named, key=lambda n: abs(n[0] - cue.start()))[1]
    after = [name for at, name in named if at >= cue.end()]
    return after[0] if after else named[-1][1]


# a category asked for ("which goods", "what company", "какие товары", "哪家企业") is the kind of the
# answer, not a subject the answer sentence must name: "wheat went via Khorgos" answers "which goods"
_ASKED_CATEGORY = {
    "goods": re.compile(r"\b(?:which|what)\s+(?:\w+\s+)?(?:goods|products?|commodit\w+|merchandise)\b"
                        r"|\bкак(?:ие|ой|ая|ую)\s+(?:\w+\s+)?(?:товар|продукц)"
                        r"|(?:哪些|什么|哪种|哪类)(?:商品|产品|货物)",
                        re.IGNORECASE),
    "company": re.compile(r"\b(?:which|what)\s+(?:\w+\s+)?(?:compan(?:y|ies)|firms?|enterprises?"
                          r"|corporations?)\b"
                          r"|\bкак(?:ая|ие|ую|ой)\s+(?:\w+\s+)?(?:компани|фирм|предприят|корпорац)"
                          r"|(?:哪家|哪些|什么|哪个)(?:企业|公司)", re.IGNORECASE),
}


def asked_categories(question: str) -> frozenset[str]:
    return frozenset(name for name, cue in _ASKED_CATEGORY.items() if cue.search(question))


def unknown_names(question: str) -> tuple[str, ...]:
    """The question's capitalised words the gazetteer does not know (en/ru): names of its own."""
    return _capitalised_names(question, places_in(question))


def profile_question(question: str) -> QuestionProfile:
    places = places_in(question)
    categories = asked_categories(question)
    focus = concepts_in(question) - MEASURE_CONCEPTS - categories
    place_tokens = {t for p in places for t in tokenize(p)}
    terms = frozenset(
        t
        for t in tokenize(question)
        if t not in STOPWORDS and t not in _QUESTION_WORDS and t not in place_tokens and not t.isdigit()
    )
    return QuestionProfile(
        lang=detect_language(question),
        kinds=question_kinds(question),
        places=places,
        years=frozenset(int(y) for y in YEAR.findall(question)),
        focus=frozenset(focus),
        head="" if (head := head_concept(question)) in categories else head,
        terms=terms,
        names=_capitalised_names(question, places),
        asks_current=bool(_CURRENT.search(question)),
        periods=periods_in(question),
        meta=meta_question(question),
        conflict=bool(DISAGREEMENT.search(question)),
    )


def follow_up_profile(profile: QuestionProfile, previous: QuestionProfile) -> QuestionProfile:
    """A follow-up ("and in 2023?") keeps what it changes and inherits the rest."""
    return replace(
        profile,
        kinds=profile.kinds or previous.kinds,
        places=profile.places | previous.places,
        years=profile.years or previous.years,
        periods=profile.periods or previous.periods,
        focus=profile.focus | previous.focus,
        head=profile.head or previous.head,
        terms=profile.terms | previous.terms,
        meta=profile.meta or previous.meta,
    )
