"""Text copied from a web page: unwrap it, strip the page furniture, recover the metadata.

Cleaning goes by structure first and phrases second:
- hard-wrapped paragraphs (lines of similar width) are joined back into paragraphs;
- the header (lines before the body) yields title, byline (or a bare name by the dateline), date;
- lines that are not sentences (short and without sentence-final punctuation: menus, headline
  lists, captions and their credits, widget labels) are dropped, and so are the lists under "Related" /
  "Читайте также" / "相关新闻" headings and labelled lines (tags, credits, copyright, cookies,
  comment forms, print and font controls) in English, Russian and Chinese;
- after the last body paragraph only sentences of some length survive.
"""

from __future__ import annotations

import itertools
import re

from knowledge.cleaning import normalise_whitespace
from knowledge.models import DocumentMeta
from knowledge.text import CJK, CJK_CHARS, SENTENCE_END, WEEKDAY, cjk_count, find_date, word_count

_LABELLED = re.compile(
    r"^(?:tags?|topics?|keywords?|filed under|теги|метки|ключевые слова|рубрик[аи]|标签|关键词|关键字"
    r"|photos?|images?|pictures?|photo credit|credit|illustration|фото|фотография|иллюстрация|источник фото"
    r"|图片来源|图片|摄影|图|视频|video"
    r"|editor|edited by|editing by|責任編輯|责任编辑|编辑|校对|审核|主编|监制|制作"
    r"|source|источник|来源|出处)\s*[:：|/]",
    re.IGNORECASE,
)
_FURNITURE = re.compile(
    r"^(?:©|\(c\)|copyright\b|all rights reserved|все права защищены|版权所有|版权声明|perepechatka)"
    r"|^(?:reporting|writing|editing|additional reporting|compiled) by\b"
    r"|cookies?\b|файл\w* cookie|куки|隐私政策|privacy policy|terms of (use|service)"
    r"|your e-?mail address will not be published|required fields are marked|leave a (comment|reply)"
    r"|^(post|add|write|show|view|load) (a |your |more )?(comments?|reply)|оставить комментарий"
    r"|добавить комментарий|^комментари|发表评论|我要评论|网友评论|^评论|^comments?\b"
    r"|версия для печати|print version|^print\b|打印|字号|【纠错】|^纠错|分享到|^分享|^收藏|copy link"
    r"|сообщить об ошибке|нашли ошибку|report an? (error|typo|correction)"
    r"|подписывайтесь|подпишитесь|subscribe|sign up|newsletter|рассылк|订阅|关注我们|扫码|扫一扫"
    r"|^share\b|поделиться|^(follow us|follow)\b|в соцсетях"
    r"|просмотр\w*\s*[:：]?\s*\d|阅读数|阅读\s*[:：]|浏览\s*[:：]|分享\s*[:：]|^\d[\d\s]*просмотр|\bviews?\s*[:：]?\s*\d|阅读量|浏览量|点击量"
    r"|reflect the views|views expressed|не обязательно совпада|мнение редакции|仅代表作者|不代表本(网|站)"
    r"|found (a|an) (mistake|error|typo)|ctrl ?\+ ?enter"
    r"|^skip to|^back to top|^advertisement|^реклама$|^广告$|^\d+\+$"
    r"|^图为|[（(][^（()）]{1,30}(?:摄|供图)[)）]$",  # Chinese captions: "图为…", "…（记者 张三 摄）"
    re.IGNORECASE,
)
_RELATED = re.compile(
    r"^(?:read (also|more|next)|related( articles| stories| news| coverage| content)?|see also"
    r"|more (from|on|stories|news)|most (read|popular|viewed|shared)|recommended( for you)?|you may also like"
    r"|top stories|latest( news)?|trending|читайте также"
    r"|читайте еще|читайте по теме|по теме|похожие( новости)?"
    r"|самое (читаемое|популярное)|популярное|главное|другие новости|новости по теме|последние новости"
    r"|новости партнеров|相关(新闻|阅读|报道|文章|推荐)?"
    r"|热点推荐|推荐阅读|热门(新闻|推荐)?|延伸阅读|更多(新闻|报道)?"
    r"|精彩推荐|猜你喜欢|热点新闻)\s*[:：]?$",
    re.IGNORECASE,
)
# where readers' comments begin: nothing after it is article text
_COMMENTS = re.compile(
    r"^(?:\d+\s+)?(?:comments?|responses?|replies|discussion|комментари\w*|обсуждение|评论|网友评论|留言)"
    r"(?:\s*\(\d+\))?\s*[:：]?$"
    r"|^(?:leave|post|add|write) (?:a |your )?(?:comment|reply)|^оставить комментарий"
    r"|^(?:发表|我要)评论",
    re.IGNORECASE,
)
_BULLET = re.compile(r"^[•·*\-–—▪►>»]+\s*")
_NAV = re.compile(r"(?:\s[|›»>·/]\s.*){2,}|(?:\S+ {2,}){3,}\S+")  # menus and breadcrumbs
_CREDIT = re.compile(
    r"\s*[\[(（](?:file )?(?:photos?|image|picture|video|graphic|фото|图)\s*[/:：][^\])）\n]{1,60}[\])）]",
    re.IGNORECASE,
)
# a photo credit on its own line ("Reuters/Jane Doe", "Фото: Kazinform/Иван Петров"): the line
# above it is the photo's caption
_PHOTO_LINE = re.compile(
    r"^(?:(?:photo|фото|图片?)\s*[:：]\s*)?[^\W\d][\w.'’ -]{1,40}\s?/\s?[^\W\d][\w.'’ -]{1,40}$",
    re.IGNORECASE,
)
_BYLINE = re.compile(
    r"^(?:by|written by|reporting by|автор|текст|author|作者|文|记者|撰文|撰稿)\s*[:：/—-]?\s*"
    r"(?:(?:本报|本网|特约)?(?:记者|通讯员)\s*)?"
    r"(?P<name>[^\W\d_][^|;,\n]{1,60}?)\s*(?:[|;,(（].*|\s+(?:for|from|in)\s.*)?$",
    re.IGNORECASE,
)
_CJK_BYLINE = re.compile(
    r"(?:^|\s|（|\()(?:作者|记者|撰文|撰稿|文)\s*[:：/]?\s*(?:本报记者|本报|记者)?\s*"
    r"(?P<name>[\u4e00-\u9fff·]{2,5}(?:\s[\u4e00-\u9fff·]{2,5}){0,2})(?=$|\s|）|\)|\|)"
)
_TRAILING_BY = re.compile(
    r"(?:^|\s)(?:by|автор[:]?)\s+(?P<name>[A-ZА-ЯЁ][\w'’.-]+(?:\s+[A-ZА-ЯЁ][\w'’.-]+){0,3})\s*$"
)
_AGENCY = re.compile(r"\(([A-Z][\w.&' -]{1,40})\)\s*[-–—]{1,2}")
_COPYRIGHT = re.compile(
    r"(?:(?:©|\(c\)|copyright|版权所有)\s*)+(?:\d{4}\s*[-–—]\s*)?\d{0,4}\s*(?P<name>[^.|]{2,60})", re.I
)
_SOURCE = re.compile(
    r"(?:source|источник|来源|出处)\s*[:：]\s*(?P<name>[^|\s][^|]{0,40}?)\s*(?:[|].*)?$", re.I
)
_TIME = re.compile(r"^\d{1,2}:\d{2}")
# an unlabelled byline: a person's two or three capitalised names, perhaps ", role" or ", city"
_NAME = r"[A-ZА-ЯЁ][a-zа-яё'’]+(?:-[A-ZА-ЯЁa-zа-яё][a-zа-яё'’]+)?"
_NAME_LINE = re.compile(rf"^(?P<name>{_NAME}(?:\s+{_NAME}){{1,2}})(?:\s*,\s*[^\W\d][^,\d]{{0,30}})?$")
def _size(line: str) -> float:
    """Length in words, a CJK character counting half a word."""
    return word_count(line) - cjk_count(line) / 2


def _width(line: str) -> int:
    return len(line) + cjk_count(line)  # a CJK character is drawn about two Latin letters wide


def _ends_sentence(line: str) -> bool:
    return bool(SENTENCE_END.search(line))


def _join(a: str, b: str) -> str:
    if CJK.match(a[-1:]) or CJK.match(b[:1]):
        return a + b
    return f"{a} {b}"


def unwrap(block: list[str]) -> list[str]:
    """Lines of one block (no blank lines inside) -> paragraphs.

    A block whose lines (but the last) share a typical wrap width is a hard-wrapped paragraph:
    its lines are joined, and a new paragraph starts only after a short line that ends a
    sentence. Elsewhere a line is joined to the next only when it stops mid-sentence and the
    next starts in lower case.
    """
    if len(block) < 2:
        return block
    widths = [_width(line) for line in block[:-1]]
    wide = max(widths)
    cjk = cjk_count(" ".join(block)) * 2 > len(" ".join(block))
    # Latin and Cyrillic wrap at word ends (widths vary by a word), CJK at any character
    banded = [w for w in widths if w >= (0.9 if cjk else 0.6) * wide]
    # wrapped prose breaks mid-sentence: some continuation line starts in lower case (CJK: no case)
    continues = cjk or any(line[:1].islower() for line in block[1:])
    wrapped = continues and 30 <= wide <= 120 and len(banded) >= max(1, round(0.7 * len(widths)))
    out = [block[0]]
    for prev, line in itertools.pairwise(block):
        if _standalone(prev) or _standalone(line):
            new_paragraph = True
        elif wrapped:
            new_paragraph = _ends_sentence(prev) and _width(prev) < 0.75 * wide
        else:
            new_paragraph = _ends_sentence(prev) or not (line[:1].islower() or CJK.match(line[:1]))
            new_paragraph = new_paragraph or _width(prev) < 30
        if new_paragraph:
            out.append(line)
        else:
            out[-1] = _join(out[-1], line)
    return out


def _standalone(line: str) -> bool:
    """A line never joined to its neighbours: a list item, a heading of a headline list, a label."""
    bare = line.strip()
    return bool(_BULLET.match(bare) or _RELATED.match(bare) or _LABELLED.match(bare) or _NAV.search(bare)
                or _COMMENTS.match(bare))


_GAPS = re.compile(r"(?<=\S)(?: {2,}|\t+|\u3000+)(?=\S)")


def paragraphs(text: str) -> list[str]:
    """Whitespace-normalised, unwrapped paragraphs of a pasted page. A line of items separated
    by wide gaps (a menu copied from a browser) gets " | " separators first."""
    text = "\n".join(
        _GAPS.sub(" | ", line) if len(_GAPS.findall(line.strip(" \u3000"))) >= 2 else line
        for line in text.split("\n")
    )
    out: list[str] = []
    for block in normalise_whitespace(text).split("\n\n"):
        lines = [line for line in block.split("\n") if line.strip()]
        out.extend(unwrap(lines))
    return out


def is_sentence(line: str) -> bool:
    """Prose rather than a label: ends like a sentence and has some length, or is long."""
    n = _size(line)
    return n >= 25 or (_ends_sentence(line) and n >= 6)


def is_furniture(line: str) -> bool:
    """A labelled or well-known furniture line (tags, credits, copyright, cookies, forms, controls)."""
    bare = _BULLET.sub("", line).strip()
    if not bare or word_count(bare) > 45:  # long text is prose, whatever phrase it contains
        return not bare
    return bool(_LABELLED.match(bare) or _FURNITURE.search(bare) or _NAV.search(bare) or _RELATED.match(bare))


def _valid_name(name: str) -> str:
    """A publisher or author name, or "" for a date, a time, a weekday or a sentence."""
    name = name.strip()
    if CJK.match(name[:1]) and not all(len(part) <= 5 and CJK.match(part) for part in name.split()):
        name = name.split()[0] if name.split() else ""
    name = re.sub(r"[,\s]+(?:19|20)\d\d(?:\s*[-–—]\s*(?:19|20)\d\d)?\s*$", "", name)
    name = name.strip(" .,:;：|-–—«»\"“”„")
    if "«" in name and "»" not in name:
        name = name.split("«", 1)[1]
    if (not name or WEEKDAY.match(name) or _TIME.match(name) or find_date(name)[1] is not None
            or not any(ch.isalpha() for ch in name) or word_count(name) > (12 if CJK.match(name[:1]) else 6)):
        return ""
    return name


def _publisher(lines: list[str], header: list[str]) -> str:
    """Copyright holder, then a 'Source:' label, then a dateline lead, then the site-name line."""
    for line in reversed(lines):
        m = _COPYRIGHT.search(line)
        if m and (name := _valid_name(re.split(r"\s[-–—|]\s|\. ", m.group("name"))[0])):
            return _masthead(name, lines)
    for line in lines:
        m = _SOURCE.search(_BULLET.sub("", line))
        if m and (name := _valid_name(m.group("name"))) and _size(line) <= 12:
            return name
    for line in header:
        _, m = find_date(line)
        if m is not None and _size(line) <= 16:
            lead = re.sub(r"^.*(?:e-?mail|print|comments?\(s\))\s*", "", line[: m.start()], flags=re.I)
            if name := _valid_name(lead.split("|")[-1]):
                return name
    for line in lines[:3]:
        short_label = not _NAV.search(line) and _size(line) <= 10 and not _ends_sentence(line)
        if short_label and (name := _valid_name(re.split(r"\s[-–—|]\s", line)[0])):
            return name
    return next((name for ln in lines if (m := _AGENCY.search(ln)) and (name := _valid_name(m.group(1)))), "")


def _masthead(name: str, lines: list[str]) -> str:
    """The copyright holder less a trailing legal word ("X Ltd", "X社") when that is how the
    masthead or a "Source:" label names the site."""
    for label in lines[:3] + [m.group("name") for ln in lines if (m := _SOURCE.search(ln))]:
        short = _valid_name(re.split(r"\s[-–—|]\s", label)[0])
        if short and re.fullmatch(re.escape(short) + f"(?: [^\\W\\d]+|[{CJK_CHARS}])", name):
            return short
    return name


def _name_line(lines: list[str], dated: set[int], publisher: str) -> str:
    """An unlabelled byline: a person's name next to the dateline, unless it names the publication
    or is a menu item (a section label)."""
    menu = {it.strip().casefold() for ln in lines if _NAV.search(ln) for it in re.split(r"\s[|›»>·/]\s", ln)}
    for i, line in enumerate(lines):
        if (m := _NAME_LINE.match(line.strip())) and {i - 1, i + 1} & dated and not is_furniture(line):
            name, site = m.group("name").casefold(), publisher.casefold() or "\0"
            if name not in site and site not in name and name not in menu:
                return m.group("name")
    return ""


def _author(lines: list[str]) -> str:
    segments = [seg.strip() for line in lines for seg in re.split(r"\s\|\s|\s{2,}", line)]
    for line in segments:
        bare = _BULLET.sub("", line).strip()
        m = _BYLINE.match(bare) or _TRAILING_BY.search(bare) or _CJK_BYLINE.search(bare)
        if m and _size(line) <= 16:
            name = _valid_name(m.group("name"))
            if name and (name[0].isupper() or CJK.match(name[0])) and _size(name) <= 5:
                return name
    return ""


def _header(lines: list[str], body_start: int) -> tuple[DocumentMeta, set[int]]:
    """Title, author, source and date from the lines before the body; the indices they used."""
    head = lines[:body_start]
    used = {i for i, ln in enumerate(head) if find_date(ln)[1] is not None}  # datelines
    date = next((iso for i in sorted(used) if (iso := find_date(head[i])[0])), "")
    # else a "Published: ..." line elsewhere on the page
    date = date or next((find_date(ln)[0] for ln in lines if _size(ln) <= 12 and find_date(ln)[0]), "")
    source = _publisher(lines, head)
    author = (_author(head) or _author([ln for ln in lines if re.match(r"reporting by", ln, re.I)])
              or _name_line(lines, set(used), source))
    used |= {i for i, ln in enumerate(head) if author and author in ln and _size(ln) <= 16}
    candidates = [(i, ln) for i, ln in enumerate(head) if i not in used and not is_furniture(ln)
                  and not _ends_sentence(ln.rstrip("?!")) and (word_count(ln) >= 4 or cjk_count(ln) >= 6)]
    title = ""
    if candidates:
        i, title = max(candidates, key=lambda c: (word_count(c[1]), -c[0]))
        used.add(i)
    title = title.lstrip("#").strip()
    return DocumentMeta(title=title, source=source, author=author, date=date), used


def clean_web_text(text: str) -> tuple[str, DocumentMeta]:
    """The article text of a pasted page (paragraphs separated by blank lines) and its metadata."""
    lines = paragraphs(text)
    body_start = next((i for i, ln in enumerate(lines) if is_sentence(ln) and not is_furniture(ln)), 0)
    meta, used = _header(lines, body_start)
    last_body = max((i for i, ln in enumerate(lines) if is_sentence(ln) and word_count(ln) >= 15
                     and not is_furniture(ln)), default=len(lines) - 1)
    captions = {i for i in range(len(lines) - 1) if _PHOTO_LINE.match(lines[i + 1].strip())}
    kept: list[str] = []
    in_list = False
    for i, line in enumerate(lines):
        bare = _BULLET.sub("", line).strip()
        if _RELATED.match(bare):
            in_list = True
            continue
        if i > body_start and _COMMENTS.match(bare):
            break
        if in_list and not (is_sentence(bare) and word_count(bare) >= 15):
            continue
        in_list = False
        if i in used or i in captions or is_furniture(line) or not is_sentence(bare):
            continue
        if i > last_body and word_count(bare) < 10:
            continue
        kept.append(_CREDIT.sub("", bare))
    body = "\n\n".join(k for k in kept if k.strip())
    return body, meta
