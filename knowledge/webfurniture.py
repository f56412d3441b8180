"""Page furniture of text copied from a web page: which lines are not article text.

Structure first, phrases second: menus and breadcrumbs (items between separators), bulleted
headline lists, labelled lines ("Tags:", "Фото:", "责任编辑："), and well-known furniture phrases
(copyright, cookies, comment forms, print and font controls) in English, Russian and Chinese.
"""

from __future__ import annotations

import re

from knowledge.text import SENTENCE_END, WEB_ADDRESS, cjk_count, word_count
from knowledge.webwiki import LAST_EDITED, REFERENCE, TAGLINE

LABELLED = re.compile(
    r"^(?:[（(【]|[←‹«]\s*)?(?:tags?|topics?|keywords?|filed under|теги|метки|ключевые слова|рубрик[аи]"
    r"|标签|关键词|关键字"
    r"|photos?|images?|pictures?|photo credit|credit|illustration|фото|фотография|иллюстрация|источник фото"
    r"|图片来源|图片|摄影|图|视频|video"
    r"|editor|edited by|editing by|責任編輯|责任编辑|责编|编辑|校对|审核|审校|终审|主编|监制|制作"
    r"|免责声明|声明|主办(?:单位)?|承办(?:单位)?|协办(?:单位)?|技术支持|网站标识码"
    r"|source|источник|来源|出处"
    r"|about the author|об авторе|作者简介|功能介绍|账号简介|微信号|原标题"
    r"|上一(?:条|篇)|下一(?:条|篇)|previous(?: article| post| story)?|next(?: article| post| story)?"
    r"|предыдущая(?: новость| статья)?|следующая(?: новость| статья)?)"
    r"(?:\s+[A-Za-z]+)?\s*[:：|/]",  # a bilingual label too: "上一篇 Previous：", "来源 Source:"
    re.IGNORECASE,
)
# a contact line: "Tel.: +996 …", "地址：…", "电子邮箱：…", an e-mail address among a few words
_CONTACT = (r"^(?:tel|phone|fax|e-?mail|address|тел|факс|адрес|электронная почта"
            r"|电话|联系电话|传真|电子邮箱|邮箱|地址)\.?\s*[:：]|^\S+@\S+\.\w+(?:\s*[|·]\s*\S+)?$"
            # a postal address: a postcode and a street ("42 Abay Avenue, Almaty 050000")
            r"|^(?=.{0,120}$)(?=.*(?<!\d)\d{5,6}(?!\d))(?=.*(?:\bavenue\b|\bstreet\b|\bул\.|\bпр\.|\bпросп|路|街))")
# a table of contents' line: "1. Introduction ....... 2", "四、下一步工作…………3"
CONTENTS_LINE = r"(?:\.{4,}|…{2,}|·{4,})\s*\d{1,3}$"
# a Chinese photo caption: "图为…", "…（记者 张三 摄）"
_CJK_CAPTION = r"^图为|[（(][^（()）]{1,30}(?:摄|供图|提供)[)）]$"
FURNITURE = re.compile(
    r"^(?:©|\(c\)|copyright\b|all rights reserved|все права защищены|版权所有|版权声明|perepechatka)"
    r"|^(?:reporting|writing|editing|additional reporting|compiled) by\b"
    r"|cookies?\b|файл\w* cookie|куки|隐私政策|privacy policy|terms of (use|service)"
    r"|your e-?mail address will not be published|required fields are marked|leave a (comment|reply)"
    r"|^(post|add|write|show|view|load) (a |your |more )?(comments?|reply)|оставить комментарий"
    r"|добавить комментарий|^комментари|发表评论|我要评论|网友评论|^评论|^comments?\b"
    r"|версия для печати|print version|^print\b|打印|字号|^font size\b|^размер шрифта|^字体\s*[:：]"
    r"|【纠错】|^纠错|分享到|^分享|^收藏|copy link"
    r"|сообщить об ошибке|нашли ошибку|report an? (error|typo|correction)"
    r"|подписывайтесь|подпишитесь|subscribe|sign up|newsletter|рассылк|订阅|关注我们|扫码|扫一扫"
    r"|become an? (?:member|subscriber|patron|supporter)|support (?:our|independent) journalism"
    r"|поддержите (?:нас|редакцию|проект|журналистику)|支持我们"
    r"|^share\b|поделиться|^(follow us|follow)\b|в соцсетях"
    r"|просмотр\w*\s*[:：]?\s*\d|阅读数|阅读\s*[:：]|浏览\s*[:：]|分享\s*[:：]|^\d[\d\s]*просмотр|\bviews?\s*[:：]?\s*\d|阅读量|浏览量|点击量"
    r"|^дочитали до конца|^\d[\d,.\s]*(?:тыс\.\s*)?(?:прочитали|дочитали)|^read to the end\b"
    r"|reflect the views|views expressed|не обязательно совпада|мнение редакции|仅代表(?:该?作者|该?机构)"
    r"|不代表本(网|站)|仅?提供信息(?:存储|发布)|请(?:下载|打开|使用).{0,8}(?:app|客户端|电脑端)"
    r"|^our standards\b|^(?:all )?(?:market )?quotes (?:are )?delayed|^котировки .{0,30}задерж"
    r"|not responsible for the content of external"
    r"|не несет ответственности за содержание (?:внешних|сторонних)"
    r"|found (a|an) (mistake|error|typo)|ctrl ?\+ ?enter"
    r"|^view (?:this|it|the) (?:email|e-mail|newsletter|message) (?:in|on) (?:your|a|the) (?:web )?browser"
    r"|^(?:открыть|смотреть) (?:письмо )?в браузере|^(?:在)?浏览器中(?:打开|查看)"
    r"|^(?:try|get|upgrade to) premium\b|^(?:0|no) notifications\b"
    # a channel's plug after the story: "Больше новостей — в эфире «X» ежедневно…", "更多精彩请锁定…"
    r"|^(?:ещё )?больше новостей\s*(?:[—–-]\s*)?(?:в эфире|на (?:канале|сайте|нашем))"
    r"|^more news (?:on|at) (?:our|the)\b|^更多(?:精彩|新闻|资讯)?(?:请|敬请)?(?:关注|锁定|收看)"
    r"|" + _CONTACT + r"|^skip to|^back to top|^(?:вернуться )?(?:к началу|наверх)(?: страницы)?$|^返回顶部$"
    r"|^advertisement|^реклама$|^广告$|^\d+\+$"
    r"|^перейти к (?:основному )?(?:содержани|контент)\w*"
    r"|^(?:версия для слабовидящих|accessibility version)$"
    r"|^(?:无障碍(?:浏览|阅读)?|长者模式|适老化(?:模式)?|关怀版)$"
    # a language switch's items, one per line
    r"|^(?:қаз|қазақша|рус|русский|eng|english|中文|简体中文|繁體中文|o[\'‘’]zbek(?:cha)?|кыргызча|тоҷикӣ)$|^跳(?:到|转至)(?:主要)?内容"
    r"|^open in (?:the )?app$|^get the app\b"
    r"|^(?:打开|下载)\s?APP(?:$|[，,]|阅读|查看)|^(?:打开|下载).{1,8}(?:APP|客户端)(?:$|[，,].{0,16}$)|^视频加载中"
    r"|尽在.{1,10}(?:APP|客户端)$|^炒股就看"  # an app's tag line: "海量资讯、精准解读，尽在X财经APP"
    r"|^\[\d{1,3}\]\s"  # a footnote under the article: "[2] Annual Report 2023, p. 41."
    r"|^[^\s>]{1,20}(?:\s*(?:>>|＞＞|»)\s*[^\s>]{1,20})+$"  # a breadcrumb: "环球时讯网>>一带一路"
    r"|" + CONTENTS_LINE + r"|^you are here\b|^вы здесь|^(?:当前|您的)位置"
    r"|" + _CJK_CAPTION,
    re.IGNORECASE,
)
RELATED = re.compile(
    r"^(?:read (also|more|next)|related(?: [^\W\d_]+)?|see also|notes|footnotes|references|endnotes"
    r"|more (from|on|stories|news|by (?:this|the) author)|примечания|сноски|注释|参考文献"
    r"|most (read|popular|viewed|shared)|recommended( for you)?|you may also like"
    r"|top stories|latest( news)?|trending|читайте также"
    r"|читайте еще|читайте по теме|по теме|похожие( новости)?"
    r"|самое (читаемое|популярное)|популярное|главное|другие новости|новости по теме|последние новости"
    r"|новости партн[её]ров|相关(新闻|阅读|报道|文章|推荐|链接|问题|词条|搜索)?|related links|похожие вопросы"
    r"|热点推荐|推荐阅读|热门(新闻|推荐)?|延伸阅读|更多(新闻|报道|精彩|推荐|阅读)|本版其他稿件|本版其他"
    r"|精彩推荐|猜你喜欢|热点新闻|热点精选|往期(?:推荐|回顾|精选|文章)|历史文章)\s*[:：]?$",
    re.IGNORECASE,
)
# a forum post's byline line: "submitted 5 hours ago by u/caravan_logistics"
SUBMITTED = re.compile(r"^submitted\b.{0,40}?\bby\s+(?P<user>u/[\w-]+)", re.IGNORECASE)
# the count of readers who upvoted an answer on a Q&A site
UPVOTES = re.compile(r"^[\d\s.,]+\s*[万KkMm]?\s*(?:人赞同了该回答|people upvoted this|upvotes?)$",
                     re.IGNORECASE)
ANSWER_COUNT = re.compile(r"[?？]\s*[\d,.]+\s*万?\s*(?:个回答|answers?|ответ(?:а|ов)?)$", re.IGNORECASE)
# where readers' comments begin: nothing after it is article text
COMMENTS = re.compile(
    r"^(?:\d+\s+)?(?:comments?|responses?|replies|discussion|комментари\w*|обсуждение"
    r"|(?:热门|最新|全部|精彩|网友)?(?:评论|留言))"
    r"(?:\s*\(\d+\))?\s*[:：]?$"
    r"|^(?:leave|post|add|write) (?:a |your )?(?:comment|reply)|^оставить комментарий"
    r"|^(?:发表|我要)评论"
    r"|^\d+\s+(?:thoughts?|comments?|responses?|replies|комментари\w*)\s+(?:on|to|к)\s+[\"“«‘'].*[\"”»’']$"
    r"|^(?:共|已有)?\d+条(?:评论|留言)$"
    r"|^\[[–-]\]\S+.{0,20}?\s\d+\s+points?\b"  # a threaded comment's header: "[–]dry_port_dan 412 points"
    r"|^(?:\d+\s*#|#\s*\d+|\d+\s*楼|沙发|板凳|地板)$"  # a forum's reply floors: "2#", "3楼"
    # the comments' sort control: "Сначала интересные", "按热度", "Most relevant"
    r"|^(?:сначала (?:интересные|новые|старые|популярные)|按热度|按时间|最热评论|most relevant|newest first"
    r"|oldest first|top comments|sort by\b.*)$",
    re.IGNORECASE,
)
BULLET = re.compile(r"^[•·*\-–—▪►>»]+\s*")
# a labelled byline or dateline ("记者：X　摄影：Y", "发布时间：…", "Автор: X", "Published: …"): never
# part of the headline above it
BYLINE_LABEL = re.compile(r"^(?:记者|作者|撰文|撰稿|通讯员|摄影|发布时间|发布日期|时间|日期|автор|текст"
                          r"|опубликовано|published|posted|updated)\s*[:：]", re.IGNORECASE)
# a line that ends in a reporter's role and name ("天山观察客户端 记者 马晓东")
REPORTER_END = re.compile(r"(?:记者|通讯员|实习生)\s*[\u4e00-\u9fff·]{2,12}$")
# menus and breadcrumbs: items between separators or wide gaps, or short Chinese words spaced
# apart (Chinese prose has no spaces between words)
NAV = re.compile(r"(?:\s[|｜›»>·/]\s.*){2,}|(?:\S+ {2,}){3,}\S+"
                 r"|^(?:[\u4e00-\u9fff]{1,5} ){3,}[\u4e00-\u9fff]{1,5}$")
CREDIT = re.compile(
    r"\s*[\[(（](?:file )?(?:photos?|image|picture|video|graphic|фото|图)\s*[/:：][^\])）\n]{1,60}[\])）]",
    re.IGNORECASE,
)
# a photo credit on its own line ("Reuters/Jane Doe", "Фото: Kazinform/Иван Петров"): the line
# above it is the photo's caption
PHOTO_LINE = re.compile(  # not two short Chinese words, a page's buttons ("举报/反馈", "登录/注册")
    r"^(?![\u4e00-\u9fff]{1,4}\s?/\s?[\u4e00-\u9fff]{1,4}$)"
    r"(?:(?:photo|фото|图片?)\s*[:：]\s*)?[^\W\d][\w.'’ -]{1,40}\s?/\s?[^\W\d][\w.'’ -]{1,40}$",
    re.IGNORECASE,
)


# what a paywall says where the free part of an article stops
PAYWALL = re.compile(
    r"^(?:subscribe|sign in|log in|register) (?:now )?to (?:read|continue|unlock|keep reading)"
    r"|^(?:to )?continue reading\b|^already (?:a subscriber|have an account)"
    r"|^this (?:article|content|story) is (?:only )?(?:for|available to|exclusive to) (?:subscribers|members)"
    r"|^(?:чтобы|для того,? чтобы) (?:продолжить|дочитать|прочитать)|^(?:оформите|купите|продлите) подписку"
    r"|доступ\w* (?:только )?(?:по подписке|подписчикам)|^уже (?:есть подписка|подписаны)"
    r"|^(?:订阅|付费|登录|开通会员)后(?:可)?(?:阅读|查看)|^(?:剩余|还剩)\s*\d+%?\s*(?:内容)?未读|^(?:付费|会员)(?:内容|专享)",
    re.IGNORECASE,
)
# a photo credit on its own line, labelled ("Photo: Jane Doe", "(Фото: пресс-служба)"); in brackets
# it closes the caption above it
CREDIT_LINE = re.compile(r"^[(\[（]?(?:photo|image(?: source)?|picture|credit|фото|图片?|摄影)\s*[:：]"
                         r"|^©\s*(?!\d)[^/\d]{2,60}\s/\s*[^\W\d]",  # an agency's photo: "© «X» / Name"
                         re.IGNORECASE)
# a credit in brackets on its own line: "(Photo: Ministry of Energy)", "（图片由机场方面提供）"
BRACKETED_CREDIT = re.compile(r"^[(\[（](?:(?:photo|image|picture|фото|图片?)\s*[:：][^)\]）]{1,80}"
                              r"|[^（()）]{1,30}(?:摄|供图|提供))[)\]）]$", re.IGNORECASE)
# a photo caption that ends in its credit: "Lorries queue at the crossing. Photo: Jane Doe"
CAPTION_CREDIT = re.compile(
    r"[.!?。]\s*(?:photo|photograph|image|picture|фото|снимок|图片?|摄影)\s*(?:by\s|[:：])\s*[^.!?。]{2,60}$"
    # an agency's credit closing a caption: "… April 14, 2026. (Huaxia/Daniyar Omarov)", "(Photo/Xinhua)"
    r"|[.!?。]\s*\((?:[A-Z][\w.-]*\s?){1,3}/(?:[A-Z][\w.'’-]*\s?){1,4}\)$"
    # ... or the outlet and the photographer with no brackets: "… February 2026. The Ledger/Jane Doe"
    r"|[.!?]\s+(?-i:(?:[A-ZА-ЯЁ][\w.'’-]*\s){0,3}[A-ZА-ЯЁ][\w.'’-]*/(?:[A-ZА-ЯЁ][\w.'’-]*\s?){1,4})$"
    # ... or the photographer's "摄": "…排队等待通关。记者 马晓燕 摄"
    r"|。\s*(?:(?:本报|本网)?(?:记者|通讯员)\s*)?[\u4e00-\u9fff·]{2,10}(?:\s+[\u4e00-\u9fff·]{2,10}){0,2}\s*摄$",
    re.IGNORECASE,
)
# a site's cookie or consent notice, however long its sentence ("We use cookies to …, By clicking
# 'Accept all', you agree …"): its phrases, not a mere mention of cookies
CONSENT = re.compile(
    r"\b(?:we|this (?:web)?site|our (?:web)?site) uses? cookies\b"
    r"|\bby (?:clicking|continuing)\b.{0,60}\bcookies\b"
    r"|\bиспольз\w+ (?:файлы )?cookie|\bпродолжая (?:пользоваться|использовать)\b.{0,40}(?:сайт|cookie)"
    r"|(?:使用|采用)\s?cookies?\b|cookie\s?(?:政策|设置)",
    re.IGNORECASE,
)
# an advertisement's call to action closing a short promotional line ("… Get a quote today.")
PROMO = re.compile(
    r"(?:\bget a (?:free )?quote|\bbook (?:now|today)|\border (?:now|today)|\bshop now|\blearn more"
    r"|\bcall (?:us )?(?:now|today)|\btry (?:it )?(?:for )?free|оставьте заявку|закажите (?:сейчас|сегодня)"
    r"|узнайте подробнее|立即(?:咨询|购买|预订|下载|抢购))(?: today)?[.!！。]?$",
    re.IGNORECASE,
)
# an end-of-story mark after the last sentence: "■", "(完)", "Enditem"
END_MARK = re.compile(r"\s*(?:[■□◆◇▪∎]|[(（](?:完|END|end)[)）]|\bEnditem)\s*$")
# legal small print: copyright and reuse terms, media registration, site licences. Strong cues only
# (a copyright mark, "all rights reserved", a reuse ban, a registration number), not a bare
# "copyright" or "лицензия" that an article may well talk about.
_LEGAL = re.compile(
    r"©|\(c\)\s*\d{4}|copyright\s*(?:©|\(c\)|\d{4})|all rights reserved|not for (?:re)?distribution"
    r"|(?:reproduction|republication|redistribution|reprint\w*|reuse)\b.{0,60}"
    r"\b(?:without|only with|prohibited)"
    r"|without (?:the )?(?:prior )?written (?:permission|consent)"
    r"|registered (?:as|with)\b.{0,60}(?:no\.|number|№)\s*\S*\d"
    r"|registration (?:certificate|no\.|number)\s*\S*\d"
    r"|все права (?:защищены|сохранены)|(?:воспроизведение|перепечатка|использование|цитирование)\b.{0,80}"
    r"(?:запрещ|только с|без (?:письменного )?(?:согласия|разрешения))|ссылк\w* .{0,40}обязательн"
    r"|(?:свидетельство|лицензия)\b.{0,60}№\s*\S*\d|\b(?:ЭЛ|ПИ|ИА)\s*№\s*(?:ФС)?\s*\d"
    r"|版权所有|版权声明|未经.{0,12}(?:授权|许可|同意)|(?:禁止|严禁|不得)(?:转载|下载|复制|使用|摘编)"
    r"|accepts? no responsibility for the contents of this|expressly disclaims? any liability"
    r"|本文(?:为|系).{0,12}原创|available under the creative commons|creative commons attribution"
    r"|转载请(?:注明|联系)|如需转载|不构成(?:任何)?投资建议|not (?:constitute )?investment advice"
    r"|не является инвестиционной рекомендацией"
    r"|ICP(?:备|证)|公网安备|违法和不良信息举报|新闻信息服务许可"
    # a publication's disclaimer: "the views expressed are those of the authors", "не является
    # официальным документом", "仅代表作者个人观点", "由…负责解释"
    r"|views expressed\b.{0,60}\b(?:are|do not)\b|do(?:es)? not necessarily reflect"
    r"|отража\w* (?:позицию|мнение|точку зрения) автор|не является (?:официальн|международн)"
    r"|не созда[её]т правовых обязательств|仅代表(?:该?作者|该?机构)|不代表.{0,24}立场|负责解释"
    r"|仅?提供信息(?:存储|发布)(?:平台|服务|空间)"
    # a media registration: "Сетевое издание «X» зарегистрировано Агентством информации …"
    r"|зарегистрирован\w*\s+(?:в\s+)?(?:агентств|министерств|роскомнадзор|федеральн|комитет|служб)"
    # where the piece first ran: "This article first appeared in the February print edition of X"
    r"|^(?:this|a version of this) (?:article|story|piece|interview|report) (?:first |originally )?"
    r"(?:appears?|appeared|ran|runs|was (?:first )?published|is published) in\b"
    r"|^(?:статья|материал) (?:впервые )?(?:опубликован|вышел)\w* в "
    r"|^本文(?:原)?(?:刊登|刊发|发表|刊载)于|^原载"
    # an aggregator's notice: "X links to and summarises reporting from other outlets. Quoted
    # material remains the property of its original publishers."
    r"|\b(?:remains?|is|are) the (?:sole )?property of (?:its|their|the) (?:original |respective )?"
    r"(?:publishers?|owners?|authors?|outlets?)"
    r"|\blinks to (?:and summari[sz]es )?(?:reporting|articles|stories|news) (?:from|by) other "
    r"(?:outlets|sources|publications|media)",
    re.IGNORECASE,
)
_SENTENCES = re.compile(r"(?<=[.!?])\s+|(?<=[。！？])|\s[|·•]\s")


def is_legal_notice(text: str) -> bool:
    """Copyright, reuse and registration small print, however long (a copyright line run into
    the legal notice below it): every sentence of it but short ones ("18+", a city) is legal."""
    sentences = [s for s in _SENTENCES.split(text) if s.strip()]
    legal = [bool(_LEGAL.search(s)) for s in sentences]
    return any(legal) and all(ok or word_count(s) <= 4 for s, ok in zip(sentences, legal, strict=True))


def is_standalone(line: str) -> bool:
    """A line never joined to its neighbours: a list item, a heading of a headline list, a label."""
    bare = line.strip()
    return bool(BULLET.match(bare) or RELATED.match(bare) or LABELLED.match(bare) or NAV.search(bare)
                or COMMENTS.match(bare) or BYLINE_LABEL.match(bare) or re.search(_CJK_CAPTION, bare)
                or (REPORTER_END.search(bare) is not None and cjk_count(bare) <= 30)
                or re.search(CONTENTS_LINE, bare) is not None
                or re.match(_CONTACT, bare, re.IGNORECASE) is not None
                or bare in ("原创", "独家", "首发")  # a WeChat header's mark on its own line
                or _HANDLE.fullmatch(bare) is not None or UPVOTES.match(bare.strip("\u200b")) is not None
                or _DOC_NUMBER.match(bare) is not None or SUBMITTED.match(bare) is not None
                or re.match(r"^文\s*[｜|/]", bare) is not None)


# a Chinese official document's number under its title: "商合发〔2026〕12号"
_DOC_NUMBER = re.compile(r"^[\u4e00-\u9fff]{1,8}[〔\[［(（]\d{4}[〕\]］)）]\s*\d{1,4}\s*号$")


# a user name, handle or domain alone on its line ("a.melnikov", "@silk_transit_kz"): never prose
_HANDLE = re.compile(r"@?[a-z0-9]+(?:[._-][a-z0-9]+)+|@[a-z0-9_]+")


# a preview cut short by the page ("… ещё", "... see more", "…展开全文"): a comment or a teaser
TRUNCATED = re.compile(r"(?:…|\.\.\.)\s*(?:ещё|еще|see more|more|展开(?:全文)?)\s*$", re.IGNORECASE)
# currency codes as an exchange-rate widget writes them ("USD 541,37   EUR 638,02")
_RATE = re.compile(r"\b(?:USD|EUR|CNY|RUB|KZT|UZS|KGS|TJS|GBP|JPY)\b\s*[▲▼↑↓]?\s*\d")


def is_rates_widget(line: str) -> bool:
    """A short line of exchange rates, not prose quoting two prices."""
    rates = len(_RATE.findall(line))
    return rates >= 2 and word_count(line) <= 4 * rates + 4 and not SENTENCE_END.search(line.strip())


_LINK = re.compile(rf"(?:{WEB_ADDRESS})$", re.IGNORECASE)


def is_link_line(line: str) -> bool:
    """A line that ends in a bare web address after a few words: a link's label and its target
    ("View original content to download multimedia:https://…", "Read more: www.…")."""
    m = _LINK.search(line)
    return m is not None and word_count(line[: m.start()]) <= 8


def is_furniture(line: str) -> bool:
    """A labelled or well-known furniture line (tags, credits, copyright, cookies, forms, controls)."""
    bare = BULLET.sub("", line).strip()
    if is_rates_widget(bare):
        return True
    if bare and is_legal_notice(bare):
        return True
    if CONSENT.search(bare) and word_count(bare) <= 70:
        return True
    if TAGLINE.match(bare) or LAST_EDITED.match(bare) or REFERENCE.search(bare):  # an encyclopedia's lines
        return True
    if ANSWER_COUNT.search(bare):  # a question listed with its number of answers
        return True
    if is_link_line(bare):
        return True
    if not bare or word_count(bare) > 45:  # long text is prose, whatever phrase it contains
        return not bare
    # a furniture phrase inside a longer line is prose ("Рады поделиться новостью…"), at its start a widget
    phrase = FURNITURE.search(bare)
    short = word_count(bare) - cjk_count(bare) / 2 <= 25  # a CJK character counts half a word
    return bool(LABELLED.match(bare) or (phrase and (phrase.start() == 0 or short))
                or NAV.search(bare) or RELATED.match(bare) or PAYWALL.search(bare)
                or CAPTION_CREDIT.search(bare) or TRUNCATED.search(bare) or (short and PROMO.search(bare)))
