"""Metadata of a web-copied page: title, publisher, author and date from its header and footer.

The header is the run of lines before the first body paragraph: the title is the first prominent
line there (a headline, not the unpunctuated subtitle under it), the date a dateline, the author a
byline (``bylines``). The publisher is a WeChat account, the copyright holder (named in the page's
own script when the page names it so: 华新网 rather than HUAXIN.NET.CN), a "Source:" label, a
dateline lead or the masthead.
"""

from __future__ import annotations

import itertools
import re
import unicodedata

from knowledge.bylines import (
    about_author,
    dated_names,
    dateline_reporters,
    label_above,
    labelled_author,
    lone_names,
    name_line,
    names_with_roles,
    signed,
    speaker,
    valid_name,
    wechat_header,
)
from knowledge.models import DocumentMeta
from knowledge.text import CJK, CLOCK, cjk_count, find_date, word_count
from knowledge.webfurniture import BULLET, NAV, is_furniture, is_rates_widget
from knowledge.webholder import SOURCE, brand_name, copyright_holder
from knowledge.webposts import (
    LINKED_SITE,
    PLATFORM,
    Answered,
    account,
    answered,
    on_platform,
    split_account,
    thread,
)
from knowledge.webtitle import PUBLISHED, UPDATED, headline
from knowledge.webwiki import encyclopedia
from knowledge.wrapwidth import ends_sentence, size

_AGENCY = re.compile(r"\(([A-Z][\w.&' -]{1,40})\)\s*[-–—]{1,2}")
# what stands before a date without naming anyone: "Posted on", "Date of publication:", "发布时间："
_DATE_LABEL = re.compile(
    r"(?:^|\s)(?:posted|published|updated|last (?:modified|updated)|date(?: of publication)?"
    r"|опубликовано|обновлено|дата(?: публикации)?|发布(?:时间|日期)?|发表于|更新(?:时间)?)"
    r"\s*(?:on|at)?\s*[:：]?\s*$|[:：]\s*$",
    re.IGNORECASE,
)


# a print edition's line: "Выпуск № 27 (21456) от 18.02.2025", "Issue 214 | 7 June 2024", "第1234期"
_ISSUE = re.compile(r"\b(?:выпуск|номер|issue|edition)\b\s*(?:№|no\.?|#)?\s*\d|第\s*\d+\s*期", re.IGNORECASE)
# a "today is" widget, or today's weather beside the date ("Wednesday, March 4, 2026   Tashkent +9°C")
_TODAY = re.compile(r"today is|сегодня|今天是|今日|[+−-]?\d{1,2}\s?°\s?[CС]?", re.IGNORECASE)
_PUBLISHED_IN = re.compile(r"^(?:published in|опубликовано в)$", re.IGNORECASE)
# a government site's name is the government's ("X人民政府门户网站" -> "X人民政府"), a university's
# news site the university's ("X大学新闻网"), an app's the outlet's ("X客户端")
_PORTAL = re.compile(r"(?<=[\u4e00-\u9fff])(?:门户网站|官方网站|客户端|(?:\s?APP))$"
                     r"|(?<=大学|学院|医院)新闻网$", re.IGNORECASE)
# a mark before a dateline that says what the piece is, not who published it ("原创 2025-04-08 …")
# a forum's "Сообщение X » date" / "Post by X »": the writer, not the publisher
_POSTED_BY = re.compile(r"^(?:сообщение|post(?:ed)?(?: by)?|发表于|发帖)\b", re.IGNORECASE)
_PIECE_MARK = re.compile(r"^(?:原创|独家|首发|转载|exclusive|original)$", re.IGNORECASE)
# a paper's name in quotes with its kind: "«Сыр таңы» газеті", "газета «Новое время»"
_QUOTED_NAME = re.compile(
    r"^(?:(?:газета|журнал|агентство|издание)\s+)?(?:«?([^«»]+)»|[\"“]([^\"“”]+)[\"”]?)"
    r"(?:\s+(?:газеті|журналы|газета))?$",
    re.IGNORECASE,
)


def _publisher(lines: list[str], header: list[str], qa: Answered | None) -> str:
    """Copyright holder, then a 'Source:' label, then a dateline lead, then the site-name line.
    A holder who is the byline's person (a newsletter's "© 2025 Jane Doe") is the author."""
    top = lines[:len(header) + 4]  # a byline may follow a standfirst that reads as body
    holder = copyright_holder(lines)
    if on_platform(lines, holder, header) and (name := account(header)):
        return split_account(name)[1]
    if (m := PLATFORM.match(holder)) and qa is not None:  # an answer on a Q&A platform
        return m.group(0)
    if holder and not CJK.search(holder) and (own := _source_label(lines, cjk=True)):
        return own  # "Copyright © huaxun.com.cn" on a Chinese page that says "来源：华讯网"
    if holder and not PLATFORM.match(holder) and (name := holder) != name_line(top, _datelines(top), ""):
        name = (m.group(1) or m.group(2)) if (m := _QUOTED_NAME.match(name)) else name
        return _PORTAL.sub("", brand_name(name, lines))
    if name := _source_label(lines):
        return name
    for line in header:
        _, m = find_date(line)
        if m is not None and size(line) <= 16:
            lead = re.sub(r"^.*(?:e-?mail|print|comments?\(s\))\s*", "", line[: m.start()], flags=re.I)
            lead = lead.split("|")[-1]
            marked = any(cue.match(lead.strip()) for cue in (_PIECE_MARK, _POSTED_BY))
            labelled = marked or _DATE_LABEL.search(lead) or _ISSUE.search(lead)  # "X · ISSUE #118 · date"
            if not labelled and (name := valid_name(lead, 6)):
                return name
    for label, name in itertools.pairwise(lines):  # "Published in" / "Steppe Transit Notes"
        if _PUBLISHED_IN.match(label.strip()) and (found := valid_name(name, 6)):
            return found
    if site := _site_name(lines):
        return site
    for line in [ln for ln in lines if not is_furniture(ln) and find_date(ln)[1] is None][:3]:
        short_label = not NAV.search(line) and size(line) <= 10 and not ends_sentence(line)
        name = valid_name(re.split(r"\s[-–—|]\s", line)[0], 6)
        if short_label and not PLATFORM.match(line) and name:
            return _PORTAL.sub("", name)
    return next((name for ln in lines if (m := _AGENCY.search(ln)) and (name := valid_name(m.group(1)))), "")


def _source_label(lines: list[str], cjk: bool = False) -> str:
    """The outlet the first short "Source:"/"来源：" line names; with ``cjk``, the first one named
    in Chinese (a Chinese page's own name for its site)."""
    for line in lines:
        m = SOURCE.search(BULLET.sub("", line))
        name = valid_name(m.group("name"), 6) if m and size(line) <= 12 else ""
        if name and (not cjk or CJK.match(name[:1])):
            return name
    return ""


def _unmarked(title: str) -> str:
    """A title less the emoji framing it ("❗ С 15 марта … рейс ❗")."""
    start, end = 0, len(title)
    while start < end and (_symbol(title[start]) or title[start].isspace()):
        start += 1
    while end > start and (_symbol(title[end - 1]) or title[end - 1].isspace()):
        end -= 1
    return title[start:end]


def _symbol(ch: str) -> bool:
    return unicodedata.category(ch) in ("So", "Sk", "Mn", "Cf")


def _site_name(lines: list[str], reach: int = 25) -> str:
    """A name of three or more words standing alone both over the page and in its footer (a
    ministry's portal: "Министерство энергетики Республики Казахстан" as masthead and above the
    address): the site's own name, as a menu item or the headline never is."""
    head = {ln.strip() for ln in lines[:reach]}
    for line in lines[max(reach, len(lines) - reach):]:
        bare = line.strip()
        if (bare in head and word_count(bare) >= 3 and bare[:1].isupper() and not re.search(r"[\d•|]", bare)
                and not is_furniture(bare) and not NAV.search(bare)
                and not ends_sentence(bare) and (name := valid_name(bare))):
            return name
    return ""


_TITLE_LABEL = re.compile(r"^(?:标题|题目|title|заголовок)\s*[:：]\s*", re.IGNORECASE)


def _datelines(lines: list[str]) -> set[int]:
    """Indices of short lines holding a date."""
    return {i for i, ln in enumerate(lines) if size(ln) <= 16 and find_date(ln)[1] is not None}


def _author(lines: list[str], body_start: int, dated: set[int], source: str) -> str:
    head = lines[:body_start]
    # a byline under a standfirst that reads as the first sentence of the body
    under = [ln for ln in lines[body_start:body_start + 4] if size(ln) <= 8 and not ends_sentence(ln)]
    # credits after the article: "Reporting by X", "Подготовила X", a bare "By X" line (mobile pages)
    credits = [re.split(r"(?<=[a-zа-яё])\.\s", ln, maxsplit=1)[0] for ln in lines
               if re.match(r"(?:reporting|prepared|compiled|report|presented|hosted|narrated) by|подготовил",
                           ln, re.I)
               or (re.match(r"(?i:by|written by|author:|автор:?|текст:)\s+[A-ZА-ЯЁ]", ln) and size(ln) <= 6)
               # "Текст и фото — X", "Вопросы задавал X" under an article or an interview
               or (re.match(r"(?i:текст и фото|вопросы задавал)", ln) and size(ln) <= 8)]
    return (labelled_author(head) or dateline_reporters(" ".join(lines[body_start:body_start + 1]))
            or labelled_author(under) or labelled_author(credits) or label_above(head)
            or names_with_roles(head) or dated_names(head) or signed(lines[body_start:])
            or about_author(lines[body_start:])
            or name_line(lines, dated | _datelines(lines[:body_start + 4]), source)
            or lone_names(lines[body_start:]) or label_above(lines[body_start:]))


# a dateline leading the first paragraph: "Tashkent / Xi'an, 6 November 2024 – Nomad Gate …"
_LEAD = re.compile(r"^(?P<lead>[^\W\d][^.!?]{0,80}?)\s+[-–—]\s+[^\W\d]")


def _updated(line: str) -> bool:
    """A date labelled as an update's: the label before the date ("Updated: 5 March 2025"), not
    after it ("February 18, 2026 11:32 AM · Updated 3 hours ago" is the publication's date)."""
    label, found = UPDATED.search(line), find_date(line)[1]
    if label is None:
        return False
    return found is None or label.start() < found.start()


def _lead_date(first: list[str]) -> str:
    """The date in the dateline that leads the body's first paragraph, or ""."""
    m = _LEAD.match(first[0]) if first else None
    return (find_date(m.group("lead"))[0] or "") if m else ""


def header_meta(lines: list[str], body_start: int) -> tuple[DocumentMeta, set[int]]:
    """Title, author, source and date from the lines before the body; the indices they used."""
    head = lines[:body_start]
    used = {i for i, ln in enumerate(head) if find_date(ln)[1] is not None}  # datelines
    widgets = {i for i in used if is_rates_widget(head[i])}  # "Курсы на 23.09.2025: USD …": not the article's
    # a date labelled as the publication's first, then any but a "today is" widget's
    # (a print issue's date next: a date in the masthead may be today's)
    # (a sentence with a date in it, a photo's caption, after any dateline, even an update's)
    dated = sorted(used, key=lambda i: (not PUBLISHED.search(head[i]), not _ISSUE.search(head[i]),
                                        size(head[i]) > 16, _updated(head[i]),
                                        not CLOCK.search(head[i]), i))  # a timestamp over a bare date
    date = next((iso for i in dated if i not in widgets and not _TODAY.search(head[i])
                 and (iso := find_date(head[i])[0])), "")
    # else a "Published: ..." line elsewhere on the page (before an "Updated" one)
    elsewhere = sorted((ln for ln in lines if size(ln) <= 16 and find_date(ln)[0]
                        and not is_rates_widget(ln)),
                       key=lambda ln: (not PUBLISHED.search(ln), bool(UPDATED.search(ln))))
    # a publication date labelled anywhere ("Posted 16 April 2026 by the press office" under an
    # event's announcement) outranks an unlabelled date over the body (the event's "14–15 April")
    labelled = any(PUBLISHED.search(head[i]) for i in dated)
    if elsewhere and PUBLISHED.search(elsewhere[0]) and not UPDATED.search(elsewhere[0]) and not labelled:
        date = find_date(elsewhere[0])[0]
    date = date or _lead_date(lines[body_start:body_start + 1])
    date = date or (find_date(elsewhere[0])[0] if elsewhere else "")
    wechat = wechat_header(head)
    qa = answered(lines)
    source = wechat.account if wechat else _publisher(lines, head, qa)
    blogger, channel = split_account(account(head))
    author = (wechat.author if wechat else "") or (blogger if channel == source else "")
    author = author or _author(lines, body_start, set(used), source)
    used |= {i for i, ln in enumerate(head) if author and author in ln and size(ln) <= 16}
    title = ""
    if (i := headline(head, used, source)) is not None:
        title = head[i]
        used.add(i)
    title = _TITLE_LABEL.sub("", _unmarked(re.sub(r"^#+\s+", "", title.strip())))  # a Markdown heading
    # "文｜财汇 李嘉宁 周蔚": the outlet's short name before the reporters is not one of them
    first, _, rest = author.partition(" ")
    if rest and cjk_count(first) == len(first) and source.startswith(first):
        author = rest
    author = author or speaker(title)
    if (post := thread(lines)) is not None:  # a forum thread: its opening post
        used.add(post.title)
        title = LINKED_SITE.sub("", lines[post.title].strip())
        author, source = post.author or author, post.forum or source
    if qa is not None:  # a Q&A page: its question, its answerer
        used.add(qa.question)
        title, author = lines[qa.question].strip(), qa.author or author
    if (entry := encyclopedia(lines)) is not None:  # an encyclopedia names and dates itself elsewhere
        if entry.title is not None and entry.title < body_start:
            used.add(entry.title)
            title = lines[entry.title].strip()
        return DocumentMeta(title=title, source=entry.site or source, author="", date=entry.date), used
    return DocumentMeta(title=title, source=source, author=author, date=date), used
