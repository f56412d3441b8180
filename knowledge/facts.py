"""Fact cards: key figures with one self-contained sentence of context, and a no-repeat deck.

``extract_facts`` scans chunks for sentences carrying money, percentages, figures with units,
dates or named agreements (en/ru/zh) and keeps the best, deduplicated. ``FactDeck`` hands
cards out per audience without repeats until a topic's pool is used up, persisting to JSON.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import re
import tempfile
import threading
from collections.abc import Callable, Sequence
from pathlib import Path

from knowledge.models import Chunk, Citation, FactCard
from knowledge.text import CJK, cjk_count

log = logging.getLogger(__name__)

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
_COUNTRIES: dict[str, str] = {
    "China": r"\bchin(?:a|ese)\b|\bbeijing|\bsino-|\bprc\b|\bкита|\bкнр\b|\bпекин"
    r"|中国|中方|北京|中哈|中吉|中塔|中乌|中土",
    "Kazakhstan": r"\bkazakh|\bastana\b|\balmaty|\bказах|\bастан|\bалмат|哈萨克|中哈|哈方",
    "Kyrgyzstan": r"\bkyrgyz|\bbishkek|\bкыргыз|\bкиргиз|\bбишкек|吉尔吉斯|中吉",
    "Tajikistan": r"\btajik|\bdushanbe|\bтаджик|\bдушанбе|塔吉克|中塔",
    "Turkmenistan": r"\bturkmen|\bashgabat|\bтуркмен|\bашхабад|土库曼",
    "Uzbekistan": r"\buzbek|\btashkent|\bузбек|\bташкент|乌兹别克|中乌|吉乌",
}
_SECTORS: dict[str, str] = {
    "trade": r"\btrade|\bexport|\bimport|\bcommerc|\bcustoms|\bturnover|\bторгов|\bтоварооборот"
    r"|\bэкспорт|\bимпорт|\bтаможн|贸易|出口|进口|经贸|海关|电商",
    "transport": r"\brail|\bhighway|\btransport|\blogistic|\bcorridor|\bports?\b|\bcargo|\bcontainer"
    r"|\btunnel|\btransit|\btitr\b|\bжелезн|\bтранспорт|\bлогист|\bкоридор|\bгруз|\bтранзит|\bколе"
    r"|铁路|公路|交通|物流|运输|班列|口岸|隧道|走廊",
    "energy": r"\benerg|\bgas\b|\bpipeline|\boil\b|\bpower\b|\brenewable|\belectric|\bsolar|\bnev\b"
    r"|\bэнерг|\bгаз|\bнефт|\bтрубопровод|\bэлектр|能源|天然气|管道|石油|电力|新能源",
    "agriculture": r"\bagricultur|\bfarm|\bcrops?\b|\bseed|\byields?\b|\bgrain|\bсельск|\bаграр"
    r"|\bагро|\bурожа|\bзерн|农业|农产品|粮食|种子",
    "security": r"\bsecurity|\bterror|\bextremis|\bseparatis|\bdefen[cs]e|\bmilitary|\bбезопасн"
    r"|\bтеррор|\bэкстремиз|安全|反恐|极端",
    "diplomacy": r"\bsummit|\bdeclaration|\btreaty|\bdiplomat|\bpresident|\bstate visit|\bpartnership"
    r"|\bagreement|\bmemorand|\bminister|\bsco\b|\bсаммит|\bдеклараци|\bдоговор|\bдипломат"
    r"|\bпрезидент|\bвизит|\bпартн[её]р|\bсоглашени|峰会|宣言|条约|外交|元首|访问|伙伴|协定",
}
_COUNTRY_RE = {k: re.compile(v, re.I) for k, v in _COUNTRIES.items()}
_SECTOR_RE = {k: re.compile(v, re.I) for k, v in _SECTORS.items()}
_ORG_RE = re.compile(r"\bSCO\b|\bBRI\b|Belt and Road|\bCNPC\b|\bШОС\b|\bЕАЭС\b|上合|一带一路|中欧班列", re.I)
_NOT_SECTOR = re.compile(r"belt and road|silk road", re.I)
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


def tags_for(text: str) -> tuple[str, ...]:
    """Country tags (English names) then sector tags whose keywords occur in ``text``."""
    countries = [name for name, rx in _COUNTRY_RE.items() if rx.search(text)]
    plain = _NOT_SECTOR.sub(" ", text)
    return (*countries, *(name for name, rx in _SECTOR_RE.items() if rx.search(plain)))


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
    countries = [n for n, rx in _COUNTRY_RE.items() if rx.search(sentence)]
    score += min(len(countries), 3) * 0.5 + (0.5 if _ORG_RE.search(sentence) else 0.0)
    score += 0.4 if any(rx.search(sentence) for rx in _SECTOR_RE.values()) else 0.0
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
            citation = Citation(1, meta.title, meta.source, meta.date, meta.url, sentence,
                                chunk.chunk_id, chunk.doc_id)
            tags = tags_for(sentence)
            if not set(tags) & _COUNTRY_RE.keys():  # e.g. "bilateral trade": the title names the parties
                tags = (*(t for t in tags_for(meta.title) if t in _COUNTRY_RE), *tags)
            candidates.append(FactCard(card_id, headline, sentence, tags, citation, score))
    candidates.sort(key=lambda c: (-c.score, c.card_id))
    kept: list[tuple[FactCard, set[str]]] = []
    for card in candidates:
        sh = _shingles(card.sentence)
        if all(len(sh & other) / max(len(sh | other), 1) < 0.7 for _, other in kept):
            kept.append((card, sh))
    return [card for card, _ in kept]


def topic_matches(card: FactCard, topic: str | None) -> bool:
    """True when ``topic`` is empty, names tags the card carries, or its words occur in the card."""
    if not topic or not topic.strip():
        return True
    wanted = set(tags_for(topic)) | {t for t in card.tags if t.casefold() in topic.casefold().split()}
    if wanted:
        return wanted <= set(card.tags)
    text = f"{card.headline} {card.sentence}".casefold()
    return all(word in text for word in topic.casefold().split())


class FactDeck:
    """Per-audience no-repeat drawing of cards, persisted as JSON at ``path``.

    For each audience key the deck remembers when each card was last delivered. ``choose``
    prefers cards never delivered to that key (best score first, ties rotated per key); once
    every card matching a topic has been delivered, that topic starts over in the order of least
    recent delivery, which repeats the previous round's order without any card twice per round.
    """

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self._lock = threading.Lock()
        self._seen: dict[str, dict[str, int]] = {}
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
            self._seen = {str(k): {str(c): int(n) for c, n in v.items()} for k, v in data["keys"].items()}
        except FileNotFoundError:
            pass
        except (OSError, ValueError, KeyError, TypeError, AttributeError) as exc:
            log.warning("Fact deck state %s is unreadable (%s); starting with an empty history.", path, exc)

    def delivered(self, key: str) -> frozenset[str]:
        """Card ids already delivered to ``key``."""
        with self._lock:
            return frozenset(self._seen.get(key, {}))

    def choose(self, pool: Sequence[FactCard], key: str, topic: str | None = None) -> FactCard | None:
        """The card to deliver next to ``key`` (nothing is written); None when no card matches."""
        matching = [c for c in pool if topic_matches(c, topic)]
        if not matching:
            return None
        with self._lock:
            seen = dict(self._seen.get(key, {}))
        fresh = [c for c in matching if c.card_id not in seen]
        if fresh:
            def rank(c: FactCard) -> tuple[float, str]:
                return -round(c.score, 1), hashlib.sha1(f"{key}\n{c.card_id}".encode()).hexdigest()

            return min(fresh, key=rank)
        return min(matching, key=lambda c: (seen[c.card_id], c.card_id))

    def mark(self, key: str, card_id: str) -> None:
        """Record that ``card_id`` was delivered to ``key`` and persist atomically."""
        with self._lock:
            history = self._seen.setdefault(key, {})
            history[card_id] = max(history.values(), default=0) + 1
            self._save()

    mark_delivered = mark

    def draw(self, pool: Sequence[FactCard], key: str, topic: str | None = None) -> FactCard | None:
        """``choose`` then ``mark``: the next card for ``key``, recorded as delivered."""
        card = self.choose(pool, key, topic)
        if card is not None:
            self.mark(key, card.card_id)
        return card

    def reset(self, key: str) -> None:
        """Forget everything delivered to ``key``."""
        with self._lock:
            if self._seen.pop(key, None) is not None:
                self._save()

    def _save(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{self.path.name}.", suffix=".tmp", dir=self.path.parent)
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as fh:
                json.dump({"version": 1, "keys": self._seen}, fh, ensure_ascii=False)
                fh.flush()
                os.fsync(fh.fileno())
            os.replace(tmp, self.path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
