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

from knowledge.bylines import valid_name
from knowledge.text import find_date
from knowledge.weblines import ends_sentence, size

PLATFORM = re.compile(
    r"^(?:linkedin|вконтакте|vk\b|facebook|meta platforms|x corp|twitter|instagram|medium\b|substack"
    r"|telegram|weibo|新浪|微博|百度|baidu|百家号|知乎|今日头条|头条号|抖音|微信|wechat|腾讯|tencent"
    r"|phpbb|pocket\b|read it later|instapaper|google\b)",
    re.IGNORECASE,
)
_FOLLOWERS = re.compile(
    r"^[\d\s.,]+\s*(?:[KkMm千万]\+?)?\s*(?:followers|subscribers|members|подписчик\w*|участник\w*|粉丝|关注者)$"
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
            or _BYLINE_START.match(bare) or _FOLLOWERS.search(bare)):
        return ""
    return valid_name(bare, 6)


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
