"""Who wrote a web-copied page: bylines, reporters in a dateline, WeChat article headers.

A byline is a label and a name ("By X", "Автор: X", "作者：X"), a role and a name ("Special
correspondent X", "Корреспондент X", "本报驻塔什干记者 X"), a name by the dateline ("X in Astana"),
reporters in the dateline's parenthesis ("新华社北京1月11日电（记者 X Y）") or a credit after the
article ("Prepared by X", "Подготовила X"). Roles and labels are stripped, the name is kept.
"""

from __future__ import annotations

import itertools
import re
from typing import NamedTuple

from knowledge.text import CJK, CYRILLIC, SENTENCE_END, WEEKDAY, cjk_count, find_date, word_count
from knowledge.vocabulary import places_in
from knowledge.webfurniture import BULLET, NAV, is_furniture

_TIME = re.compile(r"^\d{1,2}:\d{2}")
_NAME = r"[A-ZА-ЯЁ][a-zа-яё'’]+(?:-[A-ZА-ЯЁa-zа-яё][a-zа-яё'’]+)?"
# a reporter's role before the name, in the three languages
_ROLE_WORDS = (
    r"(?i:(?:(?:our|staff|special|senior|chief|foreign|regional|contributing)\s+)?"
    r"(?:writer|reporter|correspondent|columnist|contributor)"
    r"|(?:(?:специальн|собственн|старш|наш)\w*\s+)?(?:корреспондент|спецкор|собкор|обозревател)\w*\.?)"
)
_CJK_ROLE = (
    r"(?:(?:本报|本网|本台|本刊)?(?:驻[\u4e00-\u9fff]{1,8}?)?(?:特约|特派|实习|首席|资深)?(?:记者|通讯员)|实习生)"
)
# a Chinese name, or a transliterated one in parts joined by "·" (古丽米拉·艾山)
_CJK_NAME = r"(?:[\u4e00-\u9fff]{1,8}(?:·[\u4e00-\u9fff]{1,8})+|[\u4e00-\u9fff]{2,5})"
_ROLE = re.compile(rf"^{_ROLE_WORDS}\s+|^{_CJK_ROLE}\s*[:：]?\s*")
_BYLINE = re.compile(
    r"^(?:by|written by|reporting by|report by|prepared by|text by|interview by|words by|story by|curated by"
    r"|posted by|correspondent|reporter|автор текста|авторы|автор|корреспондент|репортёр|репортер"
    r"|текст(?: и фото)?|подготовил[аи]?|материал подготовил[аи]?"
    r"|беседовал[аи]?|беседу вел[аи]?|записал[аи]?|вопросы задавал[аи]?"
    r"|author|作者(?:\s*author)?|文(?=\s*[:：/|｜])|撰文|撰稿)\s*[:：/|｜—-]?\s*"
    r"(?P<name>[^\W\d_][^|;,\n]{1,60}?)\s*(?:[|;,(（].*|\s[·•]\s.*|\s+(?:for|from|in)\s.*)?$",
    re.IGNORECASE,
)
_CJK_BYLINE = re.compile(
    rf"(?:(?:^|\s|（|\()(?:(?:作者|撰文|撰稿|文)(?:\s*(?:Author|By))?\s*[:：/|｜]?\s*(?:{_CJK_ROLE})?|{_CJK_ROLE})"
    # an outlet's reporter: "涌流新闻记者 王梓涵", "鲸闻财经记者 X"
    rf"|(?:(?<=新闻|日报|晚报|商报|时报|财经)|(?<=[网社台刊]))记者)"
    rf"\s*[:：]?\s*"
    rf"(?P<name>{_CJK_NAME}(?:[\s、]{_CJK_NAME}){{0,3}})(?=$|\s|）|\)|\|)"
)
_TRAILING_BY = re.compile(
    r"(?:^|\s)(?:by|автор[:]?)\s+(?P<name>[A-ZА-ЯЁ][\w'’.-]+(?:\s+[A-ZА-ЯЁ][\w'’.-]+){0,3})\s*$"
)
# a role on a line of its own, maybe with its beat: "Business correspondent", "Старший корреспондент"
# a role on its own line, perhaps with its beat ("Senior Correspondent, Central Asia")
# the reading time a page states: "6 min read", "6–7 minutes", "5 мин чтения", "阅读需3分钟"
READING_TIME = re.compile(r"^\d+(?:\s*[–-]\s*\d+)?\s*(?:min(?:ute)?s?(?: read)?|мин\w*(?: чтения)?)\.?$"
                          r"|^阅读(?:需|时间)?\s*[:：]?\s*\d+\s*分钟$", re.IGNORECASE)
# a photo the author took, credited under the name: "Фото автора", "Photo by the author", "作者供图"
_AUTHOR_PHOTO = re.compile(r"^(?:фото(?: и текст)? автора|photos? by the author|作者供图)$", re.IGNORECASE)
_ROLE_ALONE = re.compile(rf"^(?:[^\W\d_]+\s+)?{_ROLE_WORDS}(?:\s*,\s*[^\W\d][^,\d]{{0,40}})?$")
# a role and a name and nothing else: "Special correspondent Jane Doe", "Корреспондент Иван Петров"
_ROLE_LINE = re.compile(rf"^{_ROLE_WORDS}\s+(?P<name>{_NAME}(?:\s+{_NAME}){{1,2}})$")
# an unlabelled byline: a person's two or three capitalised names, perhaps ", role", ", city" or
# "in City"
_NAME_LINE = re.compile(
    rf"^(?P<name>{_NAME}(?:\s+{_NAME}){{1,2}})"
    r"(?:\s*,\s*[^\W\d][^,\d]{0,30}|\s+(?:in|в)\s+[A-ZА-ЯЁ][\w'’-]+(?:\s+[A-ZА-ЯЁ][\w'’-]+)?)?$"
)
# reporters named in a Chinese dateline: "华新网塔什干5月27日电（记者 马骁 阿依古丽）", "…电 记者张三报道："
_DATELINE_REPORTERS = re.compile(
    r"^\S{2,30}?(?:电|消息|讯)\s*(?:[（(]\s*(?:本报|本网)?(?:特约|实习)?记者\s*(?P<paren>[^）)]{2,30})[）)]"
    r"|记者\s*(?P<plain>\S{2,12}?)报道)"
)
# a copied WeChat article header: "原创 <author> <account> 2025年06月18日 09:30 <place>"
_WECHAT = re.compile(
    r"^(?:原创\s+)?(?:(?P<author>[^\s\d:：|]{2,12})\s+)?(?P<account>[^\s\d:：|]{2,20})\s+"
    r"(?P<date>(?:19|20)\d\d(?:年\d{1,2}月\d{1,2}日|-\d{1,2}-\d{1,2}))"
    r"(?:\s+\d{1,2}:\d{2})?(?:\s+[^\s\d:：|]{2,10})?$"
)

# words of a dateline's labels, never an author's or an account's name
_HEADER_LABEL = re.compile(r"时间|日期|发布|来源|更新|作者|编辑|浏览|阅读")


class Byline(NamedTuple):
    author: str
    account: str  # a WeChat account: the publisher


def valid_name(name: str, max_words: int = 8) -> str:
    """A publisher or author name, or "" for a date, a time, a weekday or a sentence."""
    name = name.strip()
    if CJK.match(name[:1]) and not all(len(part) <= (12 if "·" in part else 5) and CJK.match(part)
                                       for part in name.split()):
        name = name.split()[0] if name.split() else ""
    name = re.sub(r"[,\s]+(?:19|20)\d\d(?:\s*[-–—]\s*(?:19|20)\d\d)?\s*$", "", name)
    name = name.strip(" .,:;：|-–—«»\"“”„")
    # a quote left open once its closing mark was stripped: the name is what it quotes
    # ('АО "Казахстанская фондовая биржа"', 'ТОО «Silk Way»')
    for opening, closing in (("«", "»"), ("“", "”")):
        if name.count(opening) - name.count(closing) == 1:
            name = name.split(opening, 1)[1]
    if name.count('"') == 1:
        name = name.split('"', 1)[1]
    if (not name or WEEKDAY.match(name) or _TIME.match(name) or find_date(name)[1] is not None
            or not any(ch.isalpha() for ch in name)
            or word_count(name) > (12 if CJK.match(name[:1]) else max_words)):
        return ""
    return name


def strip_role(name: str) -> str:
    """"本报驻塔什干记者 韩露" -> "韩露", "Special correspondent Jane Doe" -> "Jane Doe"."""
    bare = _ROLE.sub("", name.strip(), count=1).strip()
    return bare if bare else name.strip()


def _person(raw: str) -> str:
    if re.fullmatch(rf"{_ROLE_WORDS}|{_CJK_ROLE}", raw.strip()):  # "By Staff Writer": a role, no name
        return ""
    raw = _WORDS_BY.sub("", _CREDIT_AFTER.split(raw, maxsplit=1)[0])  # "文/X 图/Y", "X 编辑｜Y": X
    raw = _INNER_ROLE.sub(" ", raw)  # "记者 周婷 通讯员 买买提·艾力": the names only
    name = valid_name(strip_role(raw).replace("、", " "))
    if name and (name[0].isupper() or CJK.match(name[0])) and word_count(name) - cjk_count(name) / 2 <= 5:
        return name
    return ""


def labelled_author(lines: list[str]) -> str:
    """The name in a byline ("By X", "Автор: Корреспондент X", "作者：本报驻塔什干记者 X")."""
    segments = [seg.strip() for line in lines for seg in re.split(r"\s\|\s|\s{2,}", line)]
    for line in segments:
        bare = BULLET.sub("", line).strip()
        if word_count(bare) - cjk_count(bare) / 2 > 16:
            continue
        m = (_BYLINE.match(bare) or _ROLE_LINE.match(bare) or _TRAILING_BY.search(bare)
             or _CJK_BYLINE.search(bare))
        if m and (name := _person(m.group("name"))):
            # a second name after a comma, and nothing else ("Текст: Фарход Усманов, Дильноза Каримова")
            rest = bare[m.end("name"):]
            # or after the first one's city ("Reporting by X in Almaty and Y in Beijing; Editing by Z")
            second = (_SECOND_NAME.match(rest) or _AND_IN.match(rest)) if m.re is _BYLINE else None
            if second and _UNIT.search(second.group("name")):  # "By X, Press Office": X's office
                second = None
            return f"{name}, {second.group('name')}" if second else name
    return ""


_INNER_ROLE = re.compile(rf"(?<=[\u4e00-\u9fff])\s+{_CJK_ROLE}\s+(?=[\u4e00-\u9fff])")
# a full name, or initials and a surname ("Е. В. Корнилова")
_SECOND_NAME = re.compile(
    rf"\s*,\s*(?P<name>{_NAME}(?:\s+{_NAME}){{1,2}}|(?:[A-ZА-ЯЁ]\.\s?){{1,2}}{_NAME})\s*$")
# words of an office or a desk, not of a person's name
_UNIT = re.compile(r"\b(?:press|office|officer|service|department|bureau|desk|team|staff|news|agency"
                   r"|university|institute|group|company|пресс|служб\w*|отдел\w*)\b", re.IGNORECASE)
_AND_IN = re.compile(
    rf"^\s+(?:in|в)\s+[A-ZА-ЯЁ][\w'’-]+(?:\s+[A-ZА-ЯЁ][\w'’-]+)?\s+(?:and|и)\s+"
    rf"(?P<name>{_NAME}(?:\s+{_NAME}){{1,2}})(?=\s+(?:in|в)\s|\s*[;,.]|\s*$)")
_CREDIT_AFTER = re.compile(r"\s+(?:编辑|责编|摄影|校对|审核|监制|图)\s*[|｜:：/]"
                           r"|\s+(?i:edited by|editor|photos? by|редактор|фото)\b\s*[:：]?")
_WORDS_BY = re.compile(r"^(?:文|撰文)\s*[/:：|｜]\s*")  # "文/杨晓宁": the text by
# a byline label on a line of its own, the name on the next ("By" / "Jane Doe", "楼主" / "戈壁老刘")
_LONE_LABEL = re.compile(r"^(?:by|authors?|авторы?|作者|楼主|文)\s*[:：]?$", re.IGNORECASE)


def label_above(lines: list[str]) -> str:
    """The name under a byline label that stands alone on its line; several names under
    "Authors"/"Авторы" ("Анна Соколова, Тимур Алиев") are all kept."""
    for label, name in itertools.pairwise(lines):
        if not _LONE_LABEL.match(label.strip()):
            continue
        people = [_person(part) for part in re.split(r",\s*|\s+(?:and|и)\s+", name.strip())]
        if people and all(p and word_count(p) <= 4 for p in people) and len(people) <= 4:
            return ", ".join(people)
    return ""


# a signature after the article: "Гульнара Юсупова, собкор «…»", "Jane Doe, staff correspondent"
_SIGNATURE = re.compile(rf"^(?P<name>{_NAME}(?:\s+{_NAME}){{1,2}}),\s*{_ROLE_WORDS}")
# Chinese reporters' names alone on a line over the dateline: "李文涛 王雪"
_CJK_NAMES_LINE = re.compile(rf"^{_CJK_NAME}(?:\s+{_CJK_NAME}){{1,3}}$")


# a name alone on its line, and a line that starts with a journalist's role ("обозреватель «…»")
_NAME_ONLY = re.compile(rf"^(?P<name>{_NAME}(?:\s+{_NAME}){{1,2}})$")
_ROLE_START = re.compile(
    rf"^(?:[^\W\d_]+\s+)?(?:{_ROLE_WORDS}|(?i:editor|producer|редактор\w*|продюсер\w*))(?=\s|,|$)"
)
# "Maksat Abdyldaev | Energy reporter": a name, a bar, the role
_NAME_BAR_ROLE = re.compile(rf"^(?P<name>{_NAME}(?:\s+{_NAME}){{1,2}})\s*[|｜]\s*(?P<role>.+)$")


def signed(lines: list[str]) -> str:
    """The name in a signature after the body starts: a name, a comma and a reporter's role on one
    line, or a name over its role ("Айгерим Нурланова" / "обозреватель «…»")."""
    one_line = next((m.group("name") for ln in lines if (m := _SIGNATURE.match(ln.strip()))), "")
    over = next((m.group("name") for name, role in itertools.pairwise(ln.strip() for ln in lines)
                 if (m := _NAME_ONLY.match(name)) and _ROLE_START.match(role)), "")
    return one_line or over


def names_with_roles(lines: list[str]) -> str:
    """Authors on lines of their own, each a name, a bar and a role ("Jane Doe | Energy reporter"),
    joined as the page's language joins names ("A and B", "А, Б")."""
    names = [m.group("name") for ln in lines
             if (m := _NAME_BAR_ROLE.match(ln.strip())) and _ROLE_START.match(m.group("role").strip())]
    if len(names) > 1 and not CYRILLIC.search(names[0]):
        return " and ".join(names)
    return ", ".join(names)


_NAMES = rf"{_NAME}(?:\s+{_NAME}){{1,2}}"
_NAMES_SEGMENT = re.compile(rf"^{_NAMES}(?:\s*(?:,|\band\b|\bи\b)\s*{_NAMES})?$")


def dated_names(lines: list[str]) -> str:
    """Authors in a line of bar-separated parts with the date: "ЭКОНОМИКА | 27 марта 2025 | Айгуль
    Бекова, Тимур Рахимов" (one or two names, as written)."""
    for line in lines:
        parts = [part.strip() for part in re.split(r"\s[|｜·•]\s", line)]
        if len(parts) >= 2 and any(find_date(part)[1] is not None for part in parts):
            named = next((part for part in parts if _NAMES_SEGMENT.match(part) and not places_in(part)), "")
            if named:
                return named
    return ""


# an author box after the article: "About the author" / "Jane Doe is the magazine's correspondent …"
_ABOUT_LABEL = re.compile(r"^(?:about the author|об авторе)\s*[:：]?$", re.IGNORECASE)
_ABOUT_NAME = re.compile(rf"^(?P<name>{_NAME}(?:\s+{_NAME}){{1,2}})(?:\s+(?:is|was)\s|\s+[—–-]\s|,\s)")


def about_author(lines: list[str]) -> str:
    """The person an "About the author" box introduces."""
    for label, text in itertools.pairwise(ln.strip() for ln in lines):
        if _ABOUT_LABEL.match(label) and (m := _ABOUT_NAME.match(text)) and not places_in(m.group("name")):
            return m.group("name")
    return ""


def lone_names(lines: list[str]) -> str:
    """One or two people's names alone on the line under the text's last paragraph or its hashtags:
    a post's or a forum message's signature ("Нурбек Асанов", "Андрей Мельников, Ольга Ержанова")."""
    bare = [ln.strip() for ln in lines]
    for above, line, below in zip(bare, bare[1:], [*bare[2:], ""], strict=False):
        closes = above.startswith("#") or (word_count(above) >= 15 and SENTENCE_END.search(above))
        heading = word_count(below) >= 15  # "About Silkline Logistics" over its paragraph
        if (closes and not heading and _NAMES_SEGMENT.match(line) and not _SECTION_WORD.search(line)
                and not _POSITION.search(line)):
            return line
    return ""


# an office signed under a statement, not a person ("Председатель Правления", "Chief Executive Officer")
_POSITION = re.compile(r"\b(?:председател|заместител|директор|руководител|начальник|президент|министр"
                       r"|бухгалтер|секретар|chair\w*|director|president|minister|secretary|officer"
                       r"|manager|treasurer|accountant)", re.IGNORECASE)
# a field's label over its value on a record page ("Approval Date" / "January 29, 2026")
_FIELD_LABEL = re.compile(r"\b(?:date|time|status|updated|дата|время|статус)\b", re.IGNORECASE)
# words of a section's heading, never of a signature ("Key Details", "Project Overview")
_SECTION_WORD = re.compile(r"\b(?:details|information|overview|summary|documents|contacts|resources"
                           r"|highlights|facts|подробности|информация|документы|контакты)\b", re.IGNORECASE)


# an agency's Russian dateline with its correspondent: "АСТАНА, 5 мар — «Агентство», Имя Фамилия."
_AGENCY_DATELINE = re.compile(
    rf"^[А-ЯЁ][А-ЯЁ -]+,\s*\d{{1,2}}\s+[а-яё]{{3,8}}\.?\s*[—–-]\s*(?:«[^»]{{2,40}}»|[^\W\d][^,.]{{1,30}}),"
    rf"\s*(?P<name>{_NAME}\s+{_NAME})\."
)


def dateline_reporters(paragraph: str) -> str:
    """Reporters named in a dateline at the start of the first paragraph: Chinese ("新华社阿斯塔纳
    3月5日电（记者 张三）"), or a Russian agency's ("АСТАНА, 5 мар — «Агентство», Имя Фамилия.")."""
    if agency := _AGENCY_DATELINE.match(paragraph):
        return agency.group("name")
    m = _DATELINE_REPORTERS.match(paragraph)
    if m is None:
        return ""
    names = [n for n in re.split(r"[\s、，,]+", m.group("paren") or m.group("plain") or "") if n]
    return " ".join(n for n in names if re.fullmatch(_CJK_NAME, n))


def wechat_header(lines: list[str]) -> Byline | None:
    """The author and account of a WeChat article header among the first lines of a page, on one
    line or one part a line ("原创" / "徐立" / "亚欧农业合作在线" / "2025年08月12日 18:30")."""
    short = [ln.strip() for ln in lines[:8]]
    runs = [" ".join(short[i:i + n]) for i in range(len(short)) for n in range(2, 6)
            if short[i] == "原创" and all(len(part) <= 20 for part in short[i:i + n])]
    for line in [*lines[:4], *runs]:
        m = _WECHAT.match(line.strip())
        names = f"{m.group('author') or ''} {m.group('account')}" if m else ""
        if m and cjk_count(line) >= 2 and not _HEADER_LABEL.search(names):
            return Byline(author=m.group("author") or "", account=m.group("account"))
    return None


# a user's handle ("kairat_ops", "@steppe.notes", "trader42"): lower case, with "_", ".", "@" or a digit
_HANDLE_LINE = re.compile(r"^(?=@|[a-z][a-z0-9]*[_.\d])@?[a-z][a-z0-9_.]{2,29}$")
# a follow button under an account's name
FOLLOW_BUTTON = re.compile(r"^(?:\+\s*)?(?:关注|follow|subscribe|подписаться|отслеживать)$", re.IGNORECASE)
_NICKNAME = re.compile(r"^[^\s|:：]{2,20}$")  # one token: a user's display name


# the authors' institution between their names and the date on a report's cover
_AFFILIATION = re.compile(r"^[A-ZА-ЯЁ][\w' -]{0,60}\b(?:Institute|University|Centre|Center|Academy|School"
                          r"|Институт|Университет|Центр|Академия)\b[\w' ,-]{0,60}$")


def name_line(lines: list[str], dated: set[int], publisher: str) -> str:
    """An unlabelled byline: a person's name next to the dateline, unless it names the publication
    or is a menu item (a section label)."""
    menu = {it.strip().casefold() for ln in lines if NAV.search(ln) for it in re.split(r"\s[|›»>·/]\s", ln)}
    for i, line in enumerate(lines[1:], start=1):  # the first line is the masthead, never a byline
        if _CJK_NAMES_LINE.match(line.strip()) and i + 1 in dated:  # two or more Chinese names
            return line.strip()
        if _HANDLE_LINE.match(line.strip()) and i + 1 in dated:  # a blog's author handle over the date
            return line.strip()
        # a platform's user over its follow button and the post's date ("戈壁滩的老K" / "关注" / "发布于…")
        if (i + 2 in dated and i + 1 < len(lines) and FOLLOW_BUTTON.match(lines[i + 1].strip())
                and (m := _NICKNAME.match(line.strip()))):
            return m.group(0)
        # next to the dateline, or with a role between ("Jane Doe" / "Business correspondent" / date)
        # a role or the reading time between ("Jane Doe" / "Business correspondent" / date)
        between = i + 1 < len(lines) and bool(_ROLE_ALONE.match(lines[i + 1].strip())
                                              or READING_TIME.match(lines[i + 1].strip())
                                              or _AFFILIATION.match(lines[i + 1].strip())
                                              or _AUTHOR_PHOTO.match(lines[i + 1].strip()))
        role = between and i + 2 in dated
        beside = bool({i - 1, i + 1} & dated) or role
        # not a role ("Senior Correspondent, X") nor a field's label over its value ("Approval Date")
        plain = (not is_furniture(line) and not _ROLE_ALONE.match(line.strip())
                 and not _FIELD_LABEL.search(line))
        # not a place either: a rubric ("Средняя Азия") over the time line
        if (m := _NAME_LINE.match(line.strip())) and beside and plain and not places_in(m.group("name")):
            name, site = m.group("name").casefold(), publisher.casefold() or "\0"
            if name not in site and site not in name and name not in menu:
                return m.group("name")
        # two people over the date ("Dana Seitkali and Martin Oakes" / "18 February 2025"), not places
        two = _NAMES_SEGMENT.match(line.strip()) and re.search(r",|\band\b|\bи\b", line)
        if two and beside and not is_furniture(line) and not places_in(line):
            return line.strip()
    return ""


# a briefing's transcript is headed by its speaker: "Foreign Ministry Spokesperson Shen Yuqing's
# Regular Press Conference on …", "外交部发言人贺嘉宁主持例行记者会", "Брифинг официального
# представителя МИД России Марии Захаровой"
_SPEAKER = re.compile(
    r"\bSpokes(?:person|man|woman) (?P<en>[A-Z][a-z]+(?: [A-Z][a-z]+){1,2})'s\b"
    r"|发言人(?P<zh>[\u4e00-\u9fff]{2,3})(?:主持|答记者问)"
    r"|(?:официального представителя|пресс-секретаря) (?:МИД\s+)?(?:\S+\s+)?"
    r"(?P<ru>[А-ЯЁ][а-яё]+ [А-ЯЁ][а-яё]+)$"
)


def speaker(headline: str) -> str:
    """The spokesperson whose briefing the headline names, or ""."""
    m = _SPEAKER.search(headline.strip())
    return next((g for g in m.groups() if g), "") if m else ""
