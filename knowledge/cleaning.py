"""Pure text cleaning: front matter, web-page furniture, header metadata, language detection."""

from __future__ import annotations

import re

from knowledge.models import DocumentMeta

# --- whitespace -------------------------------------------------------------------------------

_SPACES = re.compile(r"[\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000\t\f\v]")
_INVISIBLE = re.compile(r"[\u200b-\u200d\u2060\ufeff\u00ad]")
_MANY_SPACES = re.compile(r" {2,}")
_MANY_BLANKS = re.compile(r"\n{3,}")


def normalise_whitespace(text: str) -> str:
    """NBSP and exotic spaces -> space, strip lines, paragraphs separated by exactly one blank line."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = _INVISIBLE.sub("", _SPACES.sub(" ", text))
    lines = [_MANY_SPACES.sub(" ", line).strip() for line in text.split("\n")]
    return _MANY_BLANKS.sub("\n\n", "\n".join(lines)).strip()


# --- front matter -----------------------------------------------------------------------------

_FM_KEY = re.compile(r"^([A-Za-z_][\w-]*)\s*:\s*(.*)$")
_FM_ITEM = re.compile(r"^\s+-\s*(.*)$|^-\s+(.*)$")
_LIST_KEYS = frozenset({"topics", "tags", "keywords"})


def _unquote(value: str) -> str:
    value = value.strip()
    if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
        return value[1:-1].strip()
    return value


def _parse_value(key: str, raw: str) -> str | list[str]:
    raw = raw.strip()
    if raw.startswith("[") and raw.endswith("]"):
        return [_unquote(v) for v in raw[1:-1].split(",") if _unquote(v)]
    if key in _LIST_KEYS:
        return [_unquote(v) for v in raw.split(",") if _unquote(v)]
    return _unquote(raw)


def parse_front_matter(text: str) -> tuple[dict[str, str | list[str]], str]:
    """Split a ``---`` delimited ``key: value`` block from the body.

    Keys are lower-cased; values may be blank; ``[a, b]`` (or, for topics/tags/keywords, ``a, b``)
    and YAML-style ``- item`` lines become lists. Malformed front matter counts as none:
    ``({}, text)`` is returned unchanged.
    """
    lines = text.lstrip("\ufeff").split("\n")
    if not lines or lines[0].strip() != "---":
        return {}, text
    data: dict[str, str | list[str]] = {}
    last_key = ""
    for i, line in enumerate(lines[1:200], start=1):
        stripped = line.strip()
        if stripped in ("---", "..."):
            body = "\n".join(lines[i + 1 :])
            return data, body
        if not stripped or stripped.startswith("#"):
            continue
        item = _FM_ITEM.match(line)
        if item and last_key:
            current = data.get(last_key, "")
            values = current if isinstance(current, list) else ([current] if current else [])
            value = _unquote(item.group(1) if item.group(1) is not None else item.group(2))
            data[last_key] = [*values, value] if value else values
            continue
        match = _FM_KEY.match(line)
        if match is None:
            return {}, text
        last_key = match.group(1).lower()
        data[last_key] = _parse_value(last_key, match.group(2))
    return {}, text


# --- language ---------------------------------------------------------------------------------

_CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_KANA_HANGUL = re.compile(r"[\u3040-\u30ff\uac00-\ud7af]")
_CYRILLIC = re.compile(r"[\u0400-\u04ff]")
_LATIN = re.compile(r"[A-Za-z\u00c0-\u024f]")
_LETTER = re.compile(r"[^\W\d_]")


def detect_language(text: str) -> str:
    """ "zh", "ru", "en" or "other" by script proportions; "en" when there are no letters at all.

    A CJK character carries about as much as a short word, so it weighs three Latin letters.
    """
    sample = text[:5000]
    scores = {
        "zh": 3 * len(_CJK.findall(sample)),
        "ru": len(_CYRILLIC.findall(sample)),
        "en": len(_LATIN.findall(sample)),
    }
    other = len(_LETTER.findall(sample)) - scores["zh"] // 3 - scores["ru"] - scores["en"]
    other += 2 * len(_KANA_HANGUL.findall(sample))
    best = max(scores, key=lambda k: scores[k])
    if scores[best] == 0 and other <= 0:
        return "en"
    return best if scores[best] >= other else "other"


# --- dates ------------------------------------------------------------------------------------

_EN_MONTHS = {
    m: i
    for i, names in enumerate(
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
    for m in names
}
_RU_MONTHS = (
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
_MON = r"(?P<mon>[A-Za-z]{3,9}|[а-яА-ЯёЁ]{3,9})\.?"
_DATE_PATTERNS = [
    re.compile(r"\b(?P<y>(?:19|20)\d\d)[-/.](?P<m>\d{1,2})[-/.](?P<d>\d{1,2})\b"),
    re.compile(r"(?P<y>(?:19|20)\d\d)\s*年\s*(?P<m>\d{1,2})\s*月\s*(?P<d>\d{1,2})\s*日"),
    re.compile(r"\b(?P<d>\d{1,2})\.(?P<m>\d{1,2})\.(?P<y>(?:19|20)\d\d)\b"),
    re.compile(r"\b" + _MON + r"\s+(?P<d>\d{1,2})(?:st|nd|rd|th)?,?\s+(?P<y>(?:19|20)\d\d)\b"),
    re.compile(r"\b(?P<d>\d{1,2})(?:st|nd|rd|th)?\s+(?:of\s+)?" + _MON + r",?\s+(?P<y>(?:19|20)\d\d)\b"),
]


def _month_number(name: str) -> int:
    name = name.lower().rstrip(".")
    if name in _EN_MONTHS:
        return _EN_MONTHS[name]
    return next((number for stem, number in _RU_MONTHS if name.startswith(stem)), 0)


def find_date(text: str) -> tuple[str, re.Match[str] | None]:
    """The first recognisable date in ``text`` as ISO ``YYYY-MM-DD`` (or "") and its match."""
    found: list[tuple[int, str, re.Match[str]]] = []
    for pattern in _DATE_PATTERNS:
        for match in pattern.finditer(text):
            parts = match.groupdict()
            month = int(parts["m"]) if parts.get("m") else _month_number(parts.get("mon") or "")
            day, year = int(parts["d"]), int(parts["y"])
            if 1 <= month <= 12 and 1 <= day <= 31:
                found.append((match.start(), f"{year:04d}-{month:02d}-{day:02d}", match))
                break
    if not found:
        return "", None
    _, iso, match = min(found, key=lambda f: f[0])
    return iso, match


# --- web furniture ----------------------------------------------------------------------------

_FURNITURE = [
    re.compile(p, re.IGNORECASE)
    for p in (
        r"^(分享|分享缩略图|分享到.*|share( this( article| story| page)?)?( on .*)?|share thumbnail)$",
        r"^(go to forum\s*>*\s*)?\d*\s*comments?(\(s\))?\b.*$",
        r"^(adjust )?(font|text) size\b.*$",
        r"^(opinion articles|the views expressed|views expressed in this) .*(views?|opinions?)\b.*$",
        r"^follow\b.{1,60}\bon (twitter|facebook|x|instagram|weibo|wechat|telegram)\b.*$",
        r"^(\w+\s*)?app download$|^download (the|our) (\w+ )?app\b.*$",
        r"^print\b.{0,40}\b(e-?mail|share|bookmark)\b.*$",
        r"^go to forum\b.*$",
        r"^no comments?( yet)?\.?$",
        r"^(add|leave|post|write) (your |a )?(comments?|reply)\b.*$",
        r"^(user ?name|your (comment|name|e-?mail))( required)?:?$",
        r"^enter the (words|code|characters|text) (you see|shown)\b.*$",
        r".*\b(may be removed|will be reviewed) by (the |a )?moderators?\b.*$",
        r"^send your stories\b.*$|.*\brss\s*newsletter$",
        r"^(copyright|©|all rights reserved)\b.*$",
        r"^(related|read more|more from|recommended|most (read|popular))( (articles|stories|news))?:?$",
        r"^(editor|责任编辑|编辑)\s*[:：].{0,40}$",
        r"^(?:[^|›»>·/]{1,30}\s[|›»>·/]\s+){2,}[^|›»>·/]{1,30}$",  # nav bar / breadcrumbs
        r"^(back to top|top|home|subscribe|sign (in|up)|log ?in|skip to (main )?content|advertisement)$",
    )
]
_BULLET = re.compile(r"^[•·*\-–—▪►>]+\s*")
_CREDIT = re.compile(
    r"\s*[\[(](?:file )?(?:photos?|image|picture|video|graphic)\s*[/:：][^\])\n]{1,60}[\])]", re.IGNORECASE
)
_SENTENCE_END = re.compile(r"[.!?。！？…:：\"'”’»)\]]$")
_BYLINE = re.compile(
    r"^(?:(?:[Bb][Yy]|[Ww]ritten by)\s+|(?:[Аа]втор|作者)\s*[:：]?\s*)"
    r"(?P<name>[^\W\d_][\w.'’\- ]{1,60}?)\s*(?:[|,/].*)?$"
)
_DATELINE_LEAD = re.compile(
    r"^(?:\d+\s*comments?(?:\(s\))?\s*)?(?:print\s*)?(?:e-?mail\s*)?"
    r"(?:(?:updated|published|posted|source|来源)\s*[:：]?\s*)?",
    re.IGNORECASE,
)
_MD_ITEM = re.compile(r"^(?:[-*+]|\d{1,3}[.)])\s+\S")
_CJK_OR_WORD = re.compile(r"[\u3400-\u9fff]|[^\W_]+")


def _words(line: str) -> int:
    return len(_CJK_OR_WORD.findall(line))


def is_furniture(line: str) -> bool:
    """True when a single stripped line is common news-site furniture (buttons, forms, notices)."""
    bare = _BULLET.sub("", line).strip()
    return not bare or any(p.match(bare) for p in _FURNITURE)


def _is_body(line: str) -> bool:
    return _words(line) >= 20 or (_words(line) >= 8 and bool(_SENTENCE_END.search(line)))


def _is_tail_furniture(line: str) -> bool:
    """Short lines without sentence punctuation (link lists, widgets); Markdown list items excepted."""
    return _words(line) <= 12 and not _SENTENCE_END.search(line) and not _MD_ITEM.match(line)


def _dateline(line: str) -> tuple[str, str] | None:
    """(publisher, iso date) when the short header line is a dateline."""
    if _words(line) > 16:
        return None
    iso, match = find_date(line)
    if match is None:
        return None
    lead = line[: match.start()]
    lead = _DATELINE_LEAD.sub("", lead.strip()).strip(" ,|-–—·:")
    lead = lead.split("|")[-1].strip()
    return (lead if 0 < _words(lead) <= 6 else ""), iso


def clean_web_text(text: str) -> tuple[str, DocumentMeta]:
    """Strip furniture from text copied off a web page and recover title/author/source/date.

    The header (lines before the first body-like paragraph) yields the title (first substantial
    line), the byline and the dateline, which are then removed from the text. Furniture lines are
    dropped everywhere, and in the tail of the page short lines without sentence punctuation too.
    """
    lines = [ln for ln in normalise_whitespace(text).split("\n") if ln]
    body_start = next((i for i, ln in enumerate(lines) if _is_body(ln) and not is_furniture(ln)), 0)
    title = author = source = date = ""
    drop: set[int] = set()
    for i, line in enumerate(lines[:body_start]):
        dated = _dateline(line)
        byline = _BYLINE.match(_BULLET.sub("", line))
        if dated is not None and not date:
            source = source or dated[0]
            date = dated[1]
        elif byline and not author and not byline.group("name")[0].islower():
            author = byline.group("name").strip()
        elif not title and not is_furniture(line) and _words(line) >= 3:
            title = line.lstrip("#").strip()
        else:
            continue
        drop.add(i)

    end = len(lines)
    while end > body_start and (is_furniture(lines[end - 1]) or _is_tail_furniture(lines[end - 1])):
        end -= 1

    kept = [
        _CREDIT.sub("", line)
        for i, line in enumerate(lines[:end])
        if i not in drop and not is_furniture(line) and (i >= body_start or _words(line) >= 3)
    ]
    body = "\n\n".join(line for line in kept if line.strip())
    return body, DocumentMeta(title=title, source=source, author=author, date=date)
