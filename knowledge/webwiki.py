"""Encyclopedia pages copied from a browser (Wikipedia and wikis like it, Baidu Baike-style 百科
entries): who publishes them, their headline and their date, which are not where a news page has
them (pure functions).

- the publisher is named by the tagline under the headline ("From Wikipedia, the free
  encyclopedia", "Материал из Википедии — свободной энциклопедии", "维基百科，自由的百科全书") or by
  the masthead of a 百科 site, whose pages say "词条" (entry) in their controls;
- the headline is the line over the count of the page's other languages ("6 languages"), else the
  line over the tagline;
- an encyclopedia entry is dated by its last edit ("This page was last edited on …", "Последнее
  изменение этой страницы: …", "本页面最后修订于…", "最近更新：…"); the dates in its infobox
  ("Opened 28 November 2024", "开通时间 2022年4月16日") are facts of its subject, not its date;
- an entry has no author.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from knowledge.text import find_date

TAGLINE = re.compile(
    r"^(?:From (?P<en>[^,]{2,40}), the free encyclopedia"
    r"|Материал из (?P<ru>.{2,40}?) — свободной энциклопедии|(?P<zh>\S{2,12})，自由的百科全书)$",
    re.IGNORECASE,
)
LAST_EDITED = re.compile(
    r"^(?:This page was last edited on|Последнее изменение этой страницы|本页面最后修订于|最近更新)[\s:：]*",
    re.IGNORECASE,
)
# a reference of the list under "References": Wikipedia's back-link caret, "Retrieved <date>",
# 百科's "[引用日期…]"
REFERENCE = re.compile(r"^\^\s|\bRetrieved (?:\d{1,2} \w+|\w+ \d{1,2},) \d{4}|Проверено \d{1,2}|\[引用日期",
                       re.IGNORECASE)
_LANGUAGES = re.compile(r"^\d{1,3}\s*(?:languages?|язык(?:а|ов)?|种语言)$", re.IGNORECASE)
_ENTRY = re.compile(r"^(?:进入词条|本词条由|词条统计|词条标签)")
_BAIKE_SITE = re.compile(r"^\S{1,10}百科$")
_ENTRY_CONTROLS = re.compile(r"^播报$")  # the read-aloud control under a 百科 entry's name


@dataclass(frozen=True, kw_only=True)
class Encyclopedia:
    """What an encyclopedia page says of itself: its site, headline line (index) and last edit."""

    site: str
    title: int | None
    date: str


def _nominative(site: str) -> str:
    """"Википедии" (the tagline's genitive) -> "Википедия"."""
    return site[:-2] + "ия" if site.endswith("ии") else site


def encyclopedia(lines: list[str]) -> Encyclopedia | None:
    """The page's encyclopedia metadata, or None when it is not an encyclopedia entry."""
    stripped = [ln.strip() for ln in lines]
    tagline = next(((i, m) for i, ln in enumerate(stripped) if (m := TAGLINE.match(ln))), None)
    entry = any(_ENTRY.match(ln) for ln in stripped)
    if tagline is None and not entry:
        return None
    if tagline is not None:
        at, m = tagline
        site = _nominative(m.group("en") or m.group("ru") or m.group("zh"))
    else:
        at = len(stripped)
        site = next((ln for ln in stripped[:3] if _BAIKE_SITE.match(ln)), "")
    languages = next((i for i, ln in enumerate(stripped[:at]) if _LANGUAGES.match(ln)), None)
    controls = next((i for i, ln in enumerate(stripped[1:at], start=1) if _ENTRY_CONTROLS.match(ln)
                     and not _ENTRY_CONTROLS.match(stripped[i - 1])), None)
    above = languages if languages is not None else (at if tagline is not None else controls)
    title = next((i for i in range(above - 1, -1, -1) if stripped[i]), None) if above else None
    edited = next((find_date(LAST_EDITED.sub("", ln))[0] for ln in stripped if LAST_EDITED.match(ln)), "")
    return Encyclopedia(site=site, title=title, date=edited or "")
