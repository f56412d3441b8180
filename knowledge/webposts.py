"""Pages of platforms that host other people's writing: a company's post on a professional network,
a community's post on a social network, a Weibo article, a forum thread, a read-later app's view.

The platform's name, logo and copyright are not the publisher of what a user copied: the account,
channel, forum or site it came from is. On such a page the account is the short name the platform
writes twice (as link and as label), the name over a followers counter, the name over the post's
date line, or the line that spells the site's domain ("Saved from caravanserai-review.com" /
"Caravanserai Review").
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass

from knowledge.bylines import FOLLOW_BUTTON, valid_name
from knowledge.text import find_date
from knowledge.webfurniture import SUBMITTED, UPVOTES
from knowledge.wrapwidth import ends_sentence, size

PLATFORM = re.compile(
    r"^(?:linkedin|вконтакте|vk\b|facebook|meta platforms|x corp|twitter|instagram|medium\b|substack"
    r"|telegram|дзен|dzen\b|weibo|新浪|微博|百度|baidu|百家号|知乎|今日头条|头条号|抖音|微信|wechat|腾讯|tencent"
    r"|phpbb|pocket\b|read it later|instapaper|google\b)",
    re.IGNORECASE,
)
_FOLLOWERS = re.compile(
    r"^[\d\s.,]+\s*(?:[KkMm千万]\+?|тыс\.?|млн\.?)?\s*(?:followers|subscribers|members|подписчик\w*|участник\w*|粉丝|关注者)$"
    r"|(?:粉丝|followers)\s*[:：]?\s*[\d.,]+\s*[万KkMm]?$",
    re.IGNORECASE,
)
_BYLINE_START = re.compile(r"^(?:by|от|автор|文|作者)\b", re.IGNORECASE)
_DOMAIN = re.compile(r"\b((?:[a-z0-9-]+\.)+)(?:com|net|org|info|kz|uz|kg|tj|tm|ru|cn|asia|media|news)\b",
                     re.IGNORECASE)


def _words(text: str) -> list[str]:
    return re.sub(r"[^a-z0-9]+", " ", text.casefold()).split()


def on_platform(lines: list[str], holder: str, header: list[str]) -> bool:
    """A platform's page: its copyright, its name among the first lines, or an account's followers
    counter over the post."""
    return bool(PLATFORM.match(holder) or any(PLATFORM.match(ln.strip()) for ln in lines[:2])
                or any(_FOLLOWERS.match(ln.strip()) for ln in header))


def _name(line: str) -> str:
    bare = line.strip()
    if (size(bare) > 6 or ends_sentence(bare) or find_date(bare)[1] is not None or PLATFORM.match(bare)
            or _BYLINE_START.match(bare) or _FOLLOWERS.search(bare) or FOLLOW_BUTTON.match(bare)):
        return ""
    return valid_name(bare, 6)


_PERSON = re.compile(r"[A-ZА-ЯЁ][a-zа-яё]+(?:\s[A-ZА-ЯЁ][a-zа-яё]+){1,2}")


def split_account(name: str) -> tuple[str, str]:
    """A blog named "Person | Channel" ("Тимур Аскаров | Азия без мифов"): its author and its
    name; ("", name) for any other account."""
    person, sep, channel = name.partition(" | ")
    if sep and _PERSON.fullmatch(person.strip()) and channel.strip():
        return person.strip(), channel.strip()
    return "", name


def account(header: list[str]) -> str:
    """The account a platform page's post came from, or ""."""
    lines = [ln.strip() for ln in header]
    for i, line in enumerate(lines):  # written twice within three lines
        if (name := _name(line)) and line in lines[i + 1:i + 4]:
            return name
    for line, below in itertools.pairwise(lines):  # over its followers counter
        if (name := _name(line)) and _FOLLOWERS.search(below):
            return name
    for line in lines:  # the line that spells the domain the page was saved from
        for m in _DOMAIN.finditer(line):
            found = next((ln for ln in lines if _words(ln) == _words(m.group(1))), "")
            if found and (name := _name(found)):
                return name
    for line, below in itertools.pairwise(lines):  # over the post's date line
        if (name := _name(line)) and find_date(below)[1] is not None and size(below) <= 12:
            return name
    return ""


# a question-and-answer site's answer (知乎, Quora-like): the question over its controls, the
# answerer (and a line about them) over the count of readers who upvoted the answer
_QA_CONTROL = re.compile(r"^(?:关注问题|写回答|邀请回答|follow question|answer question|ответить на вопрос)$",
                         re.IGNORECASE)


@dataclass(frozen=True, kw_only=True)
class Answered:
    """A Q&A page's question line (index) and answerer."""

    question: int
    author: str


def answered(lines: list[str]) -> Answered | None:
    """The question and the first answer's author of a Q&A page, or None for any other page."""
    bare = [ln.strip().strip("\u200b") for ln in lines]
    control = next((i for i, ln in enumerate(bare) if _QA_CONTROL.match(ln)), None)
    votes = next((i for i, ln in enumerate(bare) if UPVOTES.match(ln)), None)
    if control is None or votes is None or votes < control:
        return None
    asked = [i for i in range(control) if bare[i].endswith(("?", "？"))]
    if not asked:
        return None
    first = asked[-1]  # the question, over its description (which may ask too)
    while first - 1 in asked:
        first -= 1
    # the answerer and a line about them, over the votes (a follow button between does not count)
    near = [i for i in range(control + 1, votes) if not FOLLOW_BUTTON.match(bare[i])][-2:]
    names = [n for i in near if (n := _name(bare[i]))]
    return Answered(question=first, author=names[0] if names else "")


# a link post on a threaded forum (Reddit-style): the title with the linked site in brackets, then
# "submitted 5 hours ago by u/name"; the forum is named "r/Name" or in "reddit Name comments"
_FORUM = re.compile(r"^(?:reddit\s+(?P<name>\w+)\s+comments|(?P<r>r/\w+))$", re.IGNORECASE)
LINKED_SITE = re.compile(r"\s*\((?:[\w-]+\.)+[a-z]{2,12}\)$", re.IGNORECASE)  # "… (steppewire.com)"


@dataclass(frozen=True, kw_only=True)
class Thread:
    """A forum thread's opening post: its title line (index), poster and forum."""

    title: int
    author: str
    forum: str


def thread(lines: list[str]) -> Thread | None:
    """The opening post of a Reddit-style thread, or None for any other page."""
    bare = [ln.strip() for ln in lines]
    at, m = next(((i, m) for i, ln in enumerate(bare) if (m := SUBMITTED.match(ln))), (0, None))
    if not at or m is None:  # the title is the line over the byline
        return None
    forum = next((f"r/{f.group('name')}" if f.group("name") else f.group("r")
                  for ln in bare[:at] if (f := _FORUM.match(ln))), "")
    return Thread(title=at - 1, author=m.group("user"), forum=forum)
