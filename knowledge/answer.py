"""Building answers: quoted sentences with numbered citations, metadata answers, declines, and the
test for two sources really disagreeing on a figure (pure functions)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace

from knowledge.askedkinds import NUMERIC_KINDS, UNIT_KINDS
from knowledge.evidence import (
    focus_coverage,
    place_conflict,
    place_coverage,
    satisfies_kind,
    sentence_kinds,
    term_coverage,
    year_relation,
    years_in,
)
from knowledge.features import Candidate
from knowledge.models import Answer, Citation, Passage
from knowledge.periods import periods_in
from knowledge.signals import DISAGREEMENT, QuestionProfile
from knowledge.text import CJK, WEB_ADDRESS, human_date, names, word_count
from knowledge.vocabulary import GENERIC_PLACES, places_in

_LINK = re.compile(rf"{WEB_ADDRESS}|(?:%[0-9A-Fa-f]{{2}}){{2,}}\S*")
NOT_STATED = "no passage states what the question asks for"
_FIGURE = re.compile(
    r"(\$?\d[\d,.]*)\s*(trillion|billion|million|thousand|km|kilomet\w*|километр\w*|公里|万亿|亿|万|%|percent"
    r"|per cent|процент\w*|млрд|млн|тыс|bcm|tons?|tonnes?|тонн\w*|吨|teu)",
    re.IGNORECASE,
)
_UNIT = {"kilomet": "km", "километ": "km", "公里": "km", "percent": "%", "per cent": "%", "процент": "%",
         "млрд": "billion", "млн": "million", "тыс": "thousand",
         "tonne": "t", "ton": "t", "тонн": "t", "吨": "t"}


def is_statement(sentence: str) -> bool:
    """A sentence worth quoting: not a heading, a short label or a reference-list entry."""
    stripped = sentence.lstrip()
    if stripped.startswith("#") or len(sentence) <= 12:
        return False
    if stripped[:1] in "-*•" and "http" in stripped:  # a bibliography entry, not a statement
        return False
    prose = _LINK.sub(" ", sentence)  # links and encoded URLs are not words
    return len(CJK.findall(prose)) >= 8 or word_count(prose) >= 5


def figures(sentence: str) -> set[tuple[str, str]]:
    """(number, unit) pairs, normalised, e.g. ('523', 'km')."""
    out = set()
    for num, unit in _FIGURE.findall(sentence):
        unit = unit.lower()
        unit = next((v for k, v in _UNIT.items() if unit.startswith(k)), unit)
        out.add((num.lstrip("$").rstrip(".,").replace(",", ""), unit))
    return out


def disagree(a: Candidate, b: Candidate, profile: QuestionProfile, asked_years: bool = False) -> bool:
    """Two sources give different values for the same asked quantity: same subject (places), same
    period (years and spans within them; with ``asked_years``, both name every year the question
    asks about, other years beside), a kind the question asks for, and no value in common for the
    shared unit."""
    if a.doc_id == b.doc_id:
        return False
    shared_kinds = sentence_kinds(a.sentence) & sentence_kinds(b.sentence)
    asked = profile.kinds if profile.kinds else NUMERIC_KINDS  # "what was trade in 2023?" asks a figure
    if not (asked & shared_kinds & NUMERIC_KINDS):
        return False
    covered = focus_coverage(profile.focus, a.sentence), focus_coverage(profile.focus, b.sentence)
    if profile.focus and covered != (1.0, 1.0):
        return False
    pa, pb = places_in(a.sentence) - GENERIC_PLACES, places_in(b.sentence) - GENERIC_PLACES
    if pa != pb:
        return False
    ya = years_in(a.sentence, a.passage.chunk.meta.date)
    yb = years_in(b.sentence, b.passage.chunk.meta.date)
    same_years = profile.years <= ya & yb if asked_years and profile.years else ya == yb
    if not same_years or periods_in(a.sentence) != periods_in(b.sentence):  # "January-May" is not the year
        return False
    fa, fb = figures(a.sentence), figures(b.sentence)
    shared = {u for _, u in fa} & {u for _, u in fb}
    return any(
        not ({n for n, u in fa if u == unit} & {n for n, u in fb if u == unit}) for unit in shared
    )


def differing(
    ranked: Sequence[Candidate], profile: QuestionProfile, floor: float, limit: int = 10
) -> list[Candidate]:
    """For a question asking whether the sources disagree: a sentence that reports a disagreement
    itself (a word of disagreement and two values in one unit, about what was asked), else the
    best-scored pair of sentences from two sources that disagree on the asked quantity; [] when
    the retrieved sentences show neither."""
    top = [c for c in ranked[:limit] if c.probability >= floor]
    for c in top:
        units = [u for _, u in figures(c.sentence)]
        # the values are of the asked kind: lengths do not answer "how much freight"
        said = sentence_kinds(c.sentence) & UNIT_KINDS
        of_kind = not profile.kinds or (satisfies_kind(profile.kinds, c.sentence)
                                        and (not said or bool(said & profile.kinds)))
        if (DISAGREEMENT.search(c.sentence) and len(units) > len(set(units)) and of_kind
                and (not profile.focus or focus_coverage(profile.focus, c.sentence) >= 0.5)):
            return [c]
    return next(([a, b] for i, a in enumerate(top) for b in top[i + 1:]
                 if disagree(a, b, profile, asked_years=True)), [])


def _citation(n: int, passage: Passage, snippet: str) -> Citation:
    chunk = passage.chunk
    m = chunk.meta
    return Citation(
        n=n,
        title=m.title,
        source=m.source,
        date=m.date,
        url=m.url,
        snippet=snippet,
        chunk_id=chunk.chunk_id,
        doc_id=chunk.doc_id,
    )


def build_answer(
    *, question: str, language: str, chosen: Sequence[Candidate], conflict: bool, note: str = ""
) -> Answer:
    """Quoted sentences with [n] markers, one citation per passage quoted."""
    numbers: dict[str, int] = {}
    snippets: dict[str, list[str]] = {}
    passages: dict[str, Passage] = {}
    parts = []
    for c in chosen:
        cid = c.passage.chunk.chunk_id
        if cid not in numbers:
            numbers[cid] = len(numbers) + 1
            snippets[cid] = []
            passages[cid] = c.passage
        snippets[cid].append(c.sentence)
        parts.append(f"{c.sentence} [{numbers[cid]}]")
    citations = tuple(_citation(numbers[cid], passages[cid], " … ".join(snippets[cid])) for cid in numbers)
    text = " ".join(parts)
    if conflict:
        text = f"{DIFFER[language if language in DIFFER else 'en']} {text}"
    if note:
        text = f"{text} {note}"
    return Answer(question=question, text=text, citations=citations, abstained=False, language=language,
                  conflict=conflict)


DIFFER = {
    "en": "The sources differ on this figure:",
    "ru": "Источники расходятся в этой цифре:",
    "zh": "各来源的数字不一致：",
}
_META_TEXT = {
    "en": {
        "author": "“{title}” was written by {value}.",
        "title": "The headline is “{title}”.",
        "publisher": "“{title}” was published by {value}.",
        "published": "“{title}” was published on {value}.",
        "missing": "“{title}” does not state its {field}.",
    },
    "ru": {
        "author": "Автор материала «{title}» — {value}.",
        "title": "Заголовок: «{title}».",
        "publisher": "Материал «{title}» опубликовало издание {value}.",
        "published": "Материал «{title}» опубликован {value}.",
        "missing": "В материале «{title}» не указано: {field}.",
    },
    "zh": {
        "author": "《{title}》的作者是{value}。",
        "title": "标题是《{title}》。",
        "publisher": "《{title}》由{value}发布。",
        "published": "《{title}》发布于{value}。",
        "missing": "《{title}》未注明{field}。",
    },
}
_FIELD_NAMES = {
    "en": {"author": "author", "publisher": "publisher", "published": "date"},
    "ru": {"author": "автор", "publisher": "издание", "published": "дата"},
    "zh": {"author": "作者", "publisher": "发布机构", "published": "日期"},
}


def metadata_answer(*, question: str, language: str, field: str, passage: Passage) -> Answer:
    """Answer a question about a document itself (author, headline, publisher, date) from its
    metadata, citing the document."""
    lang = language if language in _META_TEXT else "en"
    meta = passage.chunk.meta
    fields = {"author": meta.author, "title": meta.title, "publisher": meta.source, "published": meta.date}
    value = human_date(fields[field], lang) if field == "published" else fields[field]
    templates = _META_TEXT[lang]
    if value:
        text = templates[field].format(title=meta.title, value=value)
    else:
        text = templates["missing"].format(title=meta.title, field=_FIELD_NAMES[lang][field])
    first = passage.chunk.text.split("\n")[0][:200]
    citation = _citation(1, passage, first)
    return Answer(question=question, text=f"{text} [1]", citations=(citation,), abstained=False,
                  language=language)


def document_asked(profile: QuestionProfile, passages: Sequence[Passage], question: str) -> Passage:
    """For a question about a document itself: the retrieved document whose passages rank high
    and whose title names what the question describes (its best passage stands for it): its
    words (same language), concepts, places and years, less a title about another place or year."""
    scores: dict[str, float] = {}
    best: dict[str, Passage] = {}
    for rank, p in enumerate(passages):
        doc = p.chunk.doc_id
        best.setdefault(doc, p)
        scores.setdefault(doc, 1.0 / (1 + rank))  # its best passage: a long document is not favoured
    for doc, p in best.items():
        title = p.chunk.meta.title
        words = term_coverage(profile.terms, title) if profile.lang == (p.chunk.meta.lang or "en") else 0.0
        concepts = focus_coverage(profile.focus, title) if profile.focus else 0.0
        places = place_coverage(profile.places, title) if profile.places - GENERIC_PLACES else 0.0
        elsewhere = float(place_conflict(profile.places, title))
        year = year_relation(profile.years, title, p.chunk.meta.date)
        scores[doc] += words + concepts + places - elsewhere + year
    # an outlet the question names ("the Delovoy Irtysh piece") narrows the choice to its documents
    named = [doc for doc, p in best.items() if names(p.chunk.meta.source, question)]
    return best[max(named or scores, key=lambda d: scores[d])]


def joined(first: Answer, second: Answer) -> Answer:
    """Two answers to two parts of one question as one, the second's citations numbered on."""
    shift = len(first.citations)
    text = re.sub(r"\[(\d+)\]", lambda m: f"[{int(m.group(1)) + shift}]", second.text)
    citations = (*first.citations, *(replace(c, n=c.n + shift) for c in second.citations))
    return replace(first, text=f"{first.text} {text}", citations=citations,
                   conflict=first.conflict or second.conflict)


_NOT_FOUND = {
    "en": "The documents do not answer: {parts}.",
    "ru": "В документах нет ответа на вопрос: {parts}.",
    "zh": "文档中没有找到以下问题的答案：{parts}。",
}
_QUOTE = {"en": "“{}”", "ru": "«{}»", "zh": "“{}”"}


def parts_answer(*, question: str, answers: Sequence[Answer], unanswered: Sequence[str]) -> Answer:
    """The answers to the parts of one question as one: each part's sentences (once, even when
    one sentence answers two parts), then the parts the documents do not answer, by name."""
    found = [a for a in answers if not a.abstained]
    if not found:
        return replace(answers[0], question=question)
    merged = found[0]
    for answer in found[1:]:
        quoted = {(c.chunk_id, c.snippet) for c in merged.citations}
        if not {(c.chunk_id, c.snippet) for c in answer.citations} <= quoted:
            merged = joined(merged, answer)
    if unanswered:
        lang = merged.language if merged.language in _NOT_FOUND else "en"
        named = "; ".join(_QUOTE[lang].format(part.rstrip("?？ ")) for part in unanswered)
        merged = replace(merged, text=f"{merged.text} {_NOT_FOUND[lang].format(parts=named)}")
    return replace(merged, question=question)


def abstention(question: str, language: str, reason: str, passages: Sequence[Passage],
               closest: Candidate | None = None) -> Answer:
    """A plain 'the knowledge base does not say', with the closest covered topics as suggestions
    and, when given, the nearest sentence as what the documents do say (cited, not an answer)."""
    titles = list(dict.fromkeys(p.chunk.meta.title for p in passages if p.chunk.meta.title))
    return Answer(question=question, text="", citations=(), abstained=True, language=language, reason=reason,
                  suggestions=tuple(titles[:3]),
                  closest=_citation(1, closest.passage, closest.sentence) if closest else None)
