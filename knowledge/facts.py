"""Fact cards: key figures with one self-contained sentence of context, and the no-repeat policy.

``extract_facts`` scans chunks for sentences carrying money, percentages, figures with units,
dates or named agreements (en/ru/zh) and keeps the best, deduplicated. ``next_card`` picks the
next card without repeats; the bot keeps what was delivered per chat in SQLite (``bot.state``).
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Sequence, Set

from knowledge.models import Chunk, Citation, FactCard
from knowledge.text import CJK, cjk_count
from knowledge.topics import COUNTRIES, SECTOR_RE, tags_for
from knowledge.vocabulary import places_in

MIN_SCORE = 2.5
_NUM = r"(?<![A-Za-zА-Яа-яЁё\d.,:/-])\d+(?:[.,]\d+)*"
_MULT_EN = r"(?:\s?(?:trillion|billion|million|thousand|bn|bln|mln|mn|tn|m|b)\b\.?)"
_MULT_RU = r"(?:\s?(?:трлн|млрд|млн|тыс)\.?|\s(?:триллион|миллиард|миллион|тысяч)\w*)"
_MULT_ZH = r"(?:万亿|亿|万|千)"
_CUR = (
    r"(?:US\s?dollars|dollars|USD|yuan|RMB|euros?|долл\w*|\$|юан\w*|руб\w*|тенге|сом\w*"
    r"|美元|港元|人民币|元)(?![A-Za-z])"
)
_UNITS = (
    r"(?:km|kilomet(?:er|re)s?|miles?|meters?|metres?|tons?|tonnes?|TEUs?|containers?|trains?|"
    r"trips|flights|cubic\s+met(?:er|re)s|bcm|hectares?|MW|GW|kWh|people|projects|companies|"
    r"enterprises|experts|students|jobs|visitors|shops|items|км|километр\w*|тонн\w*|"
    r"поезд\w*|контейнер\w*|рейс\w*|гектар\w*|человек|проект\w*|компани\w*|"
    r"公里|千米|吨|标方|立方米|列|人次|个|间|种|名|家|项|公顷)"
)
_MONTHS = (
    r"(?:January|February|March|April|May|June|July|August|September|October|November|December"
    r"|января|февраля|марта|апреля|мая|июня|июля|августа|сентября|октября|ноября|декабря)"
)
_YEAR = r"(?:19[5-9]\d|20[0-4]\d)"
# Ordered by salience: the first kind found in a sentence gives its headline.
_KINDS: list[tuple[str, float, re.Pattern[str]]] = [
    ("money", 3.0, re.compile(
        rf"(?:(?:US)?\$|USD\s?|€)\s?\d+(?:[.,]\d+)*{_MULT_EN}?"
        rf"|{_NUM}(?:{_MULT_EN}|{_MULT_RU})\s?(?:US\s)?{_CUR}(?:\sСША)?"
        rf"|{_NUM}\s?{_MULT_ZH}?{_CUR}", re.I)),
    ("percent", 2.6, re.compile(rf"{_NUM}\s?(?:%|％|percent\b|per\scent\b|процент\w*|个百分点)", re.I)),
    ("figure", 2.2, re.compile(
        rf"(?!{_YEAR}\s){_NUM}(?:{_MULT_EN}|{_MULT_RU}|\s?{_MULT_ZH})?(?:\s|余|多)?{_UNITS}(?![A-Za-zА-Яа-я])"
        rf"|{_NUM}-fold\b|\b(?:two|three|four|five|six|ten|hundred)fold\b", re.I)),
    ("date", 1.6, re.compile(
        rf"(?:\d{{1,2}}\s)?{_MONTHS}(?:\s\d{{1,2}},)?\s{_YEAR}(?:\sгода)?"
        rf"|{_YEAR}\s?[-–]\s?{_YEAR}|{_YEAR}年(?:\d{{1,2}}月(?:\d{{1,2}}日)?)?", re.I)),
    ("year", 1.3, re.compile(rf"(?<![\d.,$-]){_YEAR}(?![\d%-])")),
    ("agreement", 1.5, re.compile(
        r"(?:[A-Z][\w'’-]+\s){0,3}(?:Declaration|Treaty|Agreement|Charter|Convention)\s(?:of|on)\s"
        r"(?:(?:the|and)\s)?(?:[A-Z][\w'’-]+(?:\s(?:and|of|the)\s|\s)?){1,6}(?<!\s)"
        r"|(?:[A-Z][\w'’-]+\s(?:and\s|of\s|on\s|the\s)?){1,5}(?:Declaration|Treaty|Agreement|"
        r"Memorandum|Accord|Charter|Convention)\b|[А-ЯЁ][а-яё]+(?:ая|ий|ое)\s(?:декларация|договор|"
        r"соглашение|хартия)|《[^》]{2,40}》|[\u4e00-\u9fff]{2,12}(?:宣言|条约|协定)")),
]
_ORG_RE = re.compile(r"\bSCO\b|\bBRI\b|Belt and Road|\bCNPC\b|\bШОС\b|\bЕАЭС\b|上合|一带一路|中欧班列", re.I)
_PRONOUN_START = re.compile(
    r"^(?:this|that|these|those|it|its|they|their|he|she|his|her|such|there)\b|^(?:он|она|оно|они"
    r"|это|этот|эта|эти|его|её|их|там)\b|^(?:这|该|此|他|她|它|其|那)", re.I)
_CONNECTIVE = re.compile(
    r"^(?:however|moreover|furthermore|interestingly|meanwhile|also|besides|additionally|in addition"
    r"|for instance|for example|on the one hand|on the other hand|at the same time|ultimately|indeed"
    r"|однако|кроме того|также|при этом|между тем|например|к тому же|此外|同时|另外|而且|但是|例如)"
    r"\s*[,，、]\s*", re.I)
_META = re.compile(
    r"excerpt|fragment|garbled|source prints|фрагмент|отрыв[ок]|截断|опубликова|published", re.I
)
_EVENT = re.compile(
    r"\b(?:establish|launch|sign|found|open|inaugurat|adopt|began|begun|start|creat|build|built"
    r"|создан|подписа|основан|запущ|открыт|принят|начал)|成立|签署|启动|开通|建成|通车|投入运营", re.I)

_END = re.compile(r"[.!?。！？…][\"”»’)）]?$")
_CREDIT = re.compile(r"\s*\[(?:Photo|Image|File)[^\]]*\]\s*$", re.I)


def _length_units(sentence: str) -> float:
    cjk = cjk_count(sentence)
    return len(CJK.sub(" ", sentence).split()) + cjk / 1.6


def _clean(sentence: str) -> tuple[str, bool]:
    """Whitespace-normalised sentence without photo credits or a leading connective."""
    text = _CREDIT.sub("", " ".join(sentence.split()))
    stripped = _CONNECTIVE.sub("", text, count=1)
    if stripped != text and stripped:
        return stripped[0].upper() + stripped[1:], True
    return text, False


def _headline(sentence: str) -> tuple[str, str, float, int]:
    """(headline, kind, weight, how many kinds matched) for the most salient figure."""
    found = [(kind, w, m.group(0).strip()) for kind, w, rx in _KINDS if (m := rx.search(sentence))]
    if not found:
        return "", "", 0.0, 0
    kind, weight, text = found[0]
    return text.rstrip(",.;:"), kind, weight, len({k for k, _, _ in found} - {"year", "date"}) + 1


def score_sentence(sentence: str, had_connective: bool = False) -> tuple[str, float]:
    """(headline, score) of one cleaned sentence; score 0 when it carries no figure."""
    headline, kind, weight, kinds = _headline(sentence)
    if not headline:
        return "", 0.0
    score = weight + 0.3 * (kinds - 1) + (0.6 if kind in ("date", "year") and _EVENT.search(sentence) else 0)
    if kind == "money" and not re.search(r"[^\d\s$.,€]", headline.replace("US", "").replace("USD", "")):
        score -= 0.8
    countries = [n for n in COUNTRIES if n in places_in(sentence)]
    score += min(len(countries), 3) * 0.5 + (0.5 if _ORG_RE.search(sentence) else 0.0)
    score += 0.4 if any(rx.search(sentence) for rx in SECTOR_RE.values()) else 0.0
    units = _length_units(sentence)
    score -= 2.0 if units < 7 else 1.0 if units < 10 else 0.0
    score -= 2.0 if units > 70 else 1.0 if units > 48 else 0.0
    score -= 2.5 if _PRONOUN_START.search(sentence) else 0.0
    score -= 0.5 if had_connective else 0.0
    score -= 1.5 if _META.search(sentence) or sentence.rstrip().endswith("?") else 0.0
    return headline, round(score, 3)


def _sentences(chunk: Chunk, split: Callable[[str], list[str]]) -> list[str]:
    """The chunk's complete sentences: fragments cut by chunk boundaries are dropped."""
    parts = [line.strip() for p in split(chunk.text) for line in p.splitlines() if line.strip()]
    if parts and parts[0][:1].islower():
        parts = parts[1:]
    return [p for p in parts if _END.search(_CREDIT.sub("", p)) and not p[:1].islower()]


def _shingles(text: str) -> set[str]:
    norm = re.sub(r"[\W_]+", "", text.casefold())
    return {norm[i : i + 3] for i in range(max(len(norm) - 2, 1))}


def extract_facts(
    chunks: Sequence[Chunk],
    split_sentences: Callable[[str], list[str]],
    min_score: float = MIN_SCORE,
) -> list[FactCard]:
    """Fact cards from ``chunks``, best first; near-duplicate sentences are kept once."""
    candidates: list[FactCard] = []
    for chunk in chunks:
        for raw in _sentences(chunk, split_sentences):
            sentence, had_connective = _clean(raw)
            headline, score = score_sentence(sentence, had_connective)
            if not headline or score < min_score or headline not in sentence:
                continue
            card_id = hashlib.sha1(f"{chunk.doc_id}\n{sentence}".encode()).hexdigest()[:16]
            meta = chunk.meta
            citation = Citation(n=1, title=meta.title, source=meta.source, date=meta.date, url=meta.url,
                                snippet=sentence, chunk_id=chunk.chunk_id, doc_id=chunk.doc_id)
            tags = tags_for(sentence)
            if not set(tags) & set(COUNTRIES):  # e.g. "bilateral trade": the title names the parties
                tags = (*(t for t in tags_for(meta.title) if t in COUNTRIES), *tags)
            candidates.append(FactCard(card_id=card_id, headline=headline, sentence=sentence, tags=tags,
                                       citation=citation, score=score))
    candidates.sort(key=lambda c: (-c.score, c.card_id))
    kept: list[tuple[FactCard, set[str]]] = []
    for card in candidates:
        sh = _shingles(card.sentence)
        if all(len(sh & other) / max(len(sh | other), 1) < 0.7 for _, other in kept):
            kept.append((card, sh))
    return [card for card, _ in kept]


def next_card(pool: Sequence[FactCard], delivered: Set[str]) -> tuple[FactCard | None, frozenset[str]]:
    """The one "next card without repeats" policy (bot chats and the CLI alike).

    The best card of ``pool`` (best first) not yet ``delivered``; once every card of the pool was
    delivered, a new round starts with the best card again, and the pool's ids are returned as the
    history to forget. ``(None, {})`` for an empty pool.
    """
    if not pool:
        return None, frozenset()
    for card in pool:
        if card.card_id not in delivered:
            return card, frozenset()
    return pool[0], frozenset(c.card_id for c in pool)
