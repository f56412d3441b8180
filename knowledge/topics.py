"""The one topic matcher: "energy", "энергетика" and "能源" name the same topic.

Topics are matched through tags: six countries and six sectors, each recognised by keywords in
English, Russian and Chinese. Fact cards (``/fact``, ``python -m bot fact``) and retrieval filters
(``--topic``) both use ``topic_matches``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from knowledge.vocabulary import places_in

# the six countries a topic or a card can be about; recognised through the gazetteer (a capital
# names its country: Astana -> Kazakhstan)
COUNTRIES = ("China", "Kazakhstan", "Kyrgyzstan", "Tajikistan", "Turkmenistan", "Uzbekistan")
SECTORS: dict[str, str] = {
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
SECTOR_RE = {k: re.compile(v, re.I) for k, v in SECTORS.items()}
_NOT_SECTOR = re.compile(r"belt and road|silk road", re.I)


def tags_for(text: str) -> tuple[str, ...]:
    """Country tags (English names) then sector tags whose keywords occur in ``text``."""
    named = places_in(text)
    countries = [name for name in COUNTRIES if name in named]
    plain = _NOT_SECTOR.sub(" ", text)
    return (*countries, *(name for name, rx in SECTOR_RE.items() if rx.search(plain)))


def topic_matches(topic: str | None, tags: Iterable[str], text: str) -> bool:
    """Does an item with ``tags`` and ``text`` belong to ``topic``?

    True for an empty topic. When the topic names tags, in any of the three languages
    ("энергетика" -> energy, "Казахстан" -> Kazakhstan) or literally (a front-matter topic such as
    "sco"), the item must carry all of them, given in ``tags`` or found in ``text``. Otherwise
    every word of the topic must occur in ``text``.
    """
    if not topic or not topic.strip():
        return True
    words = topic.casefold().split()
    have = {t.casefold() for t in (*tags, *tags_for(text))}
    wanted = {t.casefold() for t in tags_for(topic)} | {w for w in words if w in have}
    if wanted:
        return wanted <= have
    lowered = text.casefold()
    return all(word in lowered for word in words)
