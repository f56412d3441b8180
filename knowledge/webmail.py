"""An e-mail forwarded to someone and pasted from the mail client (a newsletter, a press release):
the message is what follows the forwarded headers, its title the subject, its publisher the
sender and its date the forwarded message's own date, not the forward's (pure functions)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from knowledge.text import find_date

_FORWARD = re.compile(
    r"^(?:-{2,}\s*(?:forwarded message|original message|пересылаемое сообщение|转发的邮件|原始邮件)\s*-{2,}"
    r"|begin forwarded message:?)$",
    re.IGNORECASE,
)
_HEADER = re.compile(
    r"^(?P<key>from|date|sent|subject|to|cc|от|дата|отправлено|тема|кому|发件人|日期|发送时间|主题|收件人|抄送)"
    r"\s*[:：]\s*(?P<value>.*)$",
    re.IGNORECASE,
)
_KEYS = {"from": "from", "от": "from", "发件人": "from", "date": "date", "sent": "date", "дата": "date",
         "отправлено": "date", "日期": "date", "发送时间": "date", "subject": "subject", "тема": "subject",
         "主题": "subject"}
_REPLY_PREFIX = re.compile(r"^(?:(?:fwd?|fw|re|отв|пересл|转发|回复)\s*[:：]\s*)+", re.IGNORECASE)


@dataclass(frozen=True, kw_only=True)
class Forwarded:
    """Where the forwarded message starts (line index) and what its headers say."""

    start: int
    subject: str
    sender: str
    date: str


def forwarded(lines: list[str]) -> Forwarded | None:
    """The forwarded message of a pasted e-mail, or None for any other page."""
    at = next((i for i, ln in enumerate(lines) if _FORWARD.match(ln.strip())), None)
    if at is None:
        return None
    fields: dict[str, str] = {}
    i = at + 1
    while i < len(lines) and (m := _HEADER.match(lines[i].strip())):
        key = _KEYS.get(m.group("key").casefold(), "")
        if key and key not in fields:
            fields[key] = m.group("value").strip()
        i += 1
    sender = re.sub(r"\s*<[^>]*>\s*$", "", fields.get("from", "")).strip(" \"'")
    return Forwarded(start=i, subject=_REPLY_PREFIX.sub("", fields.get("subject", "")).strip(),
                     sender=sender, date=find_date(fields.get("date", ""))[0] or "")
