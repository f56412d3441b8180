"""Pure text cleaning: whitespace and front matter (web pages: ``webpage``)."""

from __future__ import annotations

import re

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


# --- reference lists ----------------------------------------------------------------------------

_REFERENCE_HEADING = re.compile(
    r"^(#{1,6})\s*(?:sources?|references?|bibliography|further reading|источники|литература|ссылки"
    r"|参考(?:资料|文献)?|来源|资料来源)\s*:?\s*$",
    re.IGNORECASE,
)
_HEADING = re.compile(r"^(#{1,6})\s")


def drop_reference_sections(body: str) -> str:
    """Markdown without its reference-list sections ("## Sources" up to the next heading of the
    same or a higher level): a list of titles and links is not content to retrieve or quote."""
    out: list[str] = []
    skipping = 0  # heading level of the section being skipped, 0 when keeping
    for line in body.split("\n"):
        heading = _HEADING.match(line)
        if skipping and heading and len(heading.group(1)) <= skipping:
            skipping = 0
        ref = _REFERENCE_HEADING.match(line.strip())
        if ref:
            skipping = len(ref.group(1))
        if not skipping:
            out.append(line)
    return "\n".join(out).strip()
