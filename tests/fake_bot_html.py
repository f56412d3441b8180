"""Telegram's HTML parse mode, strictly: what the fake Bot API accepts, and the text it yields."""

from __future__ import annotations

import html
import re

ALLOWED = {
    "b",
    "strong",
    "i",
    "em",
    "u",
    "ins",
    "s",
    "strike",
    "del",
    "a",
    "code",
    "pre",
    "tg-spoiler",
    "span",
    "blockquote",
    "tg-emoji",
}
_ENTITY = re.compile(r"&(lt|gt|amp|quot|#\d{1,7}|#x[0-9a-fA-F]{1,6});")
_ATTR = re.compile(r'\s+([a-zA-Z-]+)(?:\s*=\s*(?:"([^"]*)"|\'([^\']*)\'|([^\s"\'>]+)))?')


class HtmlError(Exception):
    """The description after "can't parse entities: "."""


def utf16_len(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def _attrs(rest: str, offset: int) -> dict[str, str]:
    attrs: dict[str, str] = {}
    pos = 0
    while pos < len(rest):
        if rest[pos:].strip() == "":
            break
        match = _ATTR.match(rest, pos)
        if match is None:
            raise HtmlError(f"Unexpected character in tag at byte offset {offset}")
        value = next((g for g in match.groups()[1:] if g is not None), "")
        attrs[match.group(1).lower()] = html.unescape(value)
        pos = match.end()
    return attrs


def _check_start(name: str, attrs: dict[str, str], stack: list[str], offset: int) -> None:
    if name not in ALLOWED:
        raise HtmlError(f'Unsupported start tag "{name}" at byte offset {offset}')
    if name == "a":
        if "a" in stack:
            raise HtmlError(f"Nested <a> tags are not allowed at byte offset {offset}")
        if "href" not in attrs:
            raise HtmlError(f"Tag <a> must have an href attribute at byte offset {offset}")
    if name == "span" and attrs.get("class") != "tg-spoiler":
        raise HtmlError(f'Tag "span" must have class "tg-spoiler" at byte offset {offset}')
    if name == "tg-emoji" and "emoji-id" not in attrs:
        raise HtmlError(f'Tag "tg-emoji" must have attribute "emoji-id" at byte offset {offset}')
    if name == "blockquote" and "blockquote" in stack:
        raise HtmlError(f"Nested blockquotes are not allowed at byte offset {offset}")


def parse_telegram_html(text: str) -> str:
    """Validate ``text`` as Telegram HTML and return the plain text a reader sees."""
    out: list[str] = []
    stack: list[str] = []
    i = 0
    while i < len(text):
        ch = text[i]
        offset = len(text[:i].encode("utf-8"))
        if ch == "<":
            end = text.find(">", i)
            if end < 0:
                raise HtmlError(f"Unclosed start tag at byte offset {offset}")
            inner = text[i + 1 : end]
            if inner.startswith("/"):
                name = inner[1:].strip().lower()
                if not stack:
                    raise HtmlError(f"Unexpected end tag at byte offset {offset}")
                if stack[-1] != name:
                    raise HtmlError(
                        f'Unmatched end tag at byte offset {offset}, expected "</{stack[-1]}>", '
                        f'found "</{name}>"'
                    )
                stack.pop()
            else:
                match = re.match(r"([a-zA-Z][a-zA-Z0-9-]*)", inner)
                if match is None:
                    raise HtmlError(f'Unsupported start tag "" at byte offset {offset}')
                name = match.group(1).lower()
                _check_start(name, _attrs(inner[match.end() :], offset), stack, offset)
                stack.append(name)
            i = end + 1
        elif ch == "&":
            match = _ENTITY.match(text, i)
            if match is None:
                raise HtmlError(f'Unsupported entity or unescaped "&" at byte offset {offset}')
            out.append(html.unescape(match.group(0)))
            i = match.end()
        else:
            out.append(ch)
            i += 1
    if stack:
        raise HtmlError(f'Can\'t find end tag corresponding to start tag "{stack[-1]}"')
    return "".join(out)
