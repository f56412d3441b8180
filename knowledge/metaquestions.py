"""Questions about a document itself (who wrote it, when, where it was published, its headline)
and whether a question asks for a figure: cue patterns in English, Russian and Chinese."""

from __future__ import annotations

import re

_META_CUES: tuple[tuple[str, re.Pattern[str]], ...] = (
    (
        "author",
        re.compile(
            r"who (wrote|is the author|was the author|authored)|(name|names) of the (author|writer|reporter)"
            r"|who (?:conducted|did) the interview|\bthe interviewer\b"
            r"|author'?s? name|\bauthor\?$|кто (автор|написал|подготовил|(?:взял|брал|записал)\w* интервью)"
            r"|автор (статьи|материала|публикации|заметки)\?$"
            r"|作者是谁|谁写的|作者是|作者叫|记者是谁|哪位记者|谁采访的|采访者是谁",
            re.I,
        ),
    ),
    ("title", re.compile(r"headline|\btitle of (the|this|that) (article|piece|story|report)"
                         r"|заголов|标题|题目", re.I)),
    (
        "publisher",
        re.compile(
            r"which (?:[\w-]+ )?(?:news )?(outlet|site|website|newspaper|publication|agency|media)"
            r"|what (outlet|site|publication)"
            r"|which (?:body|organi[sz]ation|institution|ministry|department|authority|company|university)"
            r"\s+(?:published|posted|issued|released|put out|ran)\b"
            r"|which channel (?:posted|published|reported|wrote)"
            r"|\bpublisher\b|какое (издание|сми|агентство)|какая газета"
            r"|какой (?:[\w]+-)?канал (?:написал|сообщил|опубликовал|выложил|рассказал)"
            r"|каком (издании|сайте|канале)|哪家媒体|哪个网站|哪家报纸|哪家通讯社|哪个公众号|哪个频道|"
            r"(?:哪|什么)(?:个|家)?(?:媒体|网站|平台)(?:发布|刊登|报道)",
            re.I,
        ),
    ),
    (
        "published",
        re.compile(
            r"when (was|did) .{0,120}\b(published|posted|come out|run|appear)|date of publication"
            r"|(published|posted) (on|when)|publication date|date of (the )?(article|piece|story)"
            r"|(когда|какого числа|в какой день)\b.{0,80}(опубликова|вышл[аи]|вышел|размести)"
            r"|дата (публикации|выхода)"
            r"|(什么时候|何时|哪一?天|几月几号|几号|几月)(发布|发表|刊登|刊发|发的|发出|登出)|发布(日期|时间)"
            r"|(发布|发表|刊发)于(何时|哪一?天)",
            re.I,
        ),
    ),
)
_REPORTED = re.compile(r"\bwho (?:reported|filed|covered)\b", re.I)
_ARTICLE_WORD = re.compile(r"article|piece|story|report|commentary|op-ed|column|press release|interview"
                           r"|feature"
                           r"|статья|стать|материал|публикац|новост|репортаж|интервью|пресс-релиз|"
                           r"заметк|文章|报道|评论|稿件|稿子|这篇|该文|本文|新闻|消息|通稿"
                           r"|《[^》]+》", re.I)  # 《…》 quotes a work's title
# a question word asking for a figure (a topic word such as "investment" names a kind but asks nothing)
_ASKS_FIGURE = re.compile(
    r"how (?:much|many)|what (?:was|is|were|are) the (?:[\w–-]+ ){0,4}(?:turnover|figure|amount|total"
    r"|value|cost|price|number|volume|share|capacity)"
    r"|сколько|каков\w* (?:был\w* )?(?:объ[её]м|размер|сумм|стоимост)"
    r"|多少|几(?!乎)",
    re.IGNORECASE,
)


def asks_figure(question: str) -> bool:
    return _ASKS_FIGURE.search(question) is not None


def meta_question(question: str) -> str:
    """Which metadata field a question about a document asks for ("" when it is not one)."""
    for field, cue in _META_CUES:
        if not cue.search(question):
            continue
        if field in ("title", "published") and not _ARTICLE_WORD.search(question):
            continue
        return field
    # "who reported the SteppeWire story": the author, when a piece is named after it ("who reported
    # the figure?" asks for a source)
    reported = _REPORTED.search(question)
    return "author" if reported and _ARTICLE_WORD.search(question[reported.end():]) else ""
