"""Encyclopedia entries, Q&A answers, briefing transcripts and blogs copied from a browser: where
they keep their headline, publisher, author and date (pure cleaning, no model)."""

from __future__ import annotations

import pytest

from knowledge.bylines import speaker
from knowledge.webpage import clean_web_text
from knowledge.webposts import split_account

_BODY = {
    "en": ("The Saryozek Bypass is a 41-kilometre road that takes transit trucks around the town of "
           "Saryozek in Kazakhstan's Almaty Region.[1] It opened in June 2024 and cost about 96 million "
           "dollars.[2]"),
    "ru": ("Сарыозекский обход — автодорога длиной 41 километр в Алматинской области Казахстана, по "
           "которой транзитные грузовики идут в обход Сарыозека.[1] Её открыли в июне 2024 года."),
    "zh": ("萨雷奥泽克绕城公路是哈萨克斯坦阿拉木图州一条长41公里的公路，"
           "于2024年6月通车，耗资约9600万美元。[1]"),
}


@pytest.mark.parametrize(
    ("lang", "tagline", "languages", "edited", "site", "date"),
    [
        ("en", "From Wikipedia, the free encyclopedia", "4 languages",
         "This page was last edited on 3 March 2026, at 10:15 (UTC).", "Wikipedia", "2026-03-03"),
        ("ru", "Материал из Википедии — свободной энциклопедии", "3 языка",
         "Последнее изменение этой страницы: 10:15, 3 марта 2026.", "Википедия", "2026-03-03"),
        ("zh", "维基百科，自由的百科全书", "5种语言", "本页面最后修订于2026年3月3日 (星期二) 10:15。",
         "维基百科", "2026-03-03"),
    ],
)
def test_an_encyclopedia_entry_is_named_by_its_tagline_and_dated_by_its_last_edit(
    lang: str, tagline: str, languages: str, edited: str, site: str, date: str
) -> None:
    title = {"en": "Saryozek Bypass", "ru": "Сарыозекский обход", "zh": "萨雷奥泽克绕城公路"}[lang]
    page = "\n".join([
        "Main menu", "Search", "", title, "", languages, "Article", "Talk", "Read", "Edit", "",
        tagline, "", title, "Opened\t12 June 2024", "Length\t41 km", "", _BODY[lang], "",
        "References", '^ "Saryozek bypass opens". Steppe Roads. 12 June 2024. Retrieved 1 March 2026.', "",
        edited, "Privacy policy", "",
    ])
    body, meta = clean_web_text(page)
    assert (meta.title, meta.source, meta.author, meta.date) == (title, site, "", date)
    assert "[1]" not in body and "Retrieved" not in body and tagline not in body and "last edited" not in body
    assert _BODY[lang][:20] in body


def test_a_qa_answer_is_headed_by_its_question_and_signed_by_its_answerer() -> None:
    page = "\n".join([
        "首页", "发现", "", "去阿拉木图做跨境电商现在还来得及吗？", "想听听在当地做过的人怎么说？",
        "关注问题", "写回答", "",
        "阿拉木图小李", "在哈萨克斯坦做电商五年", "2,048 人赞同了该回答", "",
        "来得及，但要先把物流和收款想清楚。去年我们店铺的订单量增长了一倍，主要靠本地仓发货。", "",
        "发布于 2025-10-02 21:14・IP 属地新疆", "赞同 2048", "", "相关问题",
        "哈萨克斯坦的快递为什么这么慢？ 88 个回答", "",
        "© 2026 知乎",
    ])
    body, meta = clean_web_text(page)
    assert (meta.title, meta.source, meta.author, meta.date) == (
        "去阿拉木图做跨境电商现在还来得及吗？", "知乎", "阿拉木图小李", "2025-10-02")
    assert body.startswith("来得及") or "来得及，但要先把物流" in body
    assert "个回答" not in body and "人赞同" not in body


@pytest.mark.parametrize(
    ("headline", "name"),
    [("Foreign Ministry Spokesperson Lin Jian's Regular Press Conference on March 3, 2026", "Lin Jian"),
     ("2026年3月3日外交部发言人林剑主持例行记者会", "林剑"),
     ("Kazakhstan and China open a new border crossing", "")],
)
def test_a_briefing_is_signed_by_the_spokesperson_its_headline_names(headline: str, name: str) -> None:
    assert speaker(headline) == name


def test_a_dated_headline_is_the_title_but_a_site_and_date_line_is_not() -> None:
    page = "\n".join([
        "Ministry of Foreign Affairs", "Home > Spokesperson's Remarks", "",
        "Foreign Ministry Spokesperson Lin Jian's Regular Press Conference on March 3, 2026",
        "2026-03-03 20:06", "",
        "Q: Could you share more about the Tashkent meeting of transport ministers held yesterday?", "",
        "A: The ministers agreed to open two more freight routes and to raise rail traffic by 15%.", "",
    ])
    _, meta = clean_web_text(page)
    assert meta.title.startswith("Foreign Ministry Spokesperson Lin Jian") and meta.author == "Lin Jian"
    assert meta.date == "2026-03-03"


def test_a_blog_named_person_and_channel_gives_both() -> None:
    assert split_account("Тимур Аскаров | Азия без мифов") == ("Тимур Аскаров", "Азия без мифов")
    assert split_account("Silk road notes | Daily digest") == ("", "Silk road notes | Daily digest")


def test_a_forwarded_email_is_the_message_under_its_headers() -> None:
    page = "\n".join([
        "Inbox 1,204", "Fwd: Steppe Energy Weekly: a lender for the Kambarata cascade", "Inbox",
        "Jon Berg <jon@example.org>", "Mon, Mar 9, 2026, 8:14 AM", "to me", "",
        "Hi Ana, see the hydro item below, useful for the country report.", "",
        "---------- Forwarded message ---------", "From: Steppe Energy Weekly <news@steppe-energy.example>",
        "Date: Fri, Mar 6, 2026 at 6:00 AM",
        "Subject: Steppe Energy Weekly: a lender for the Kambarata cascade",
        "To: <jon@example.org>", "", "View in browser", "", "By Dana Ospanova, energy editor", "",
        "A Chinese policy bank has agreed to lend 1.1 billion dollars for the Kambarata cascade.",
        "", "Unsubscribe | Update preferences",
    ])
    body, meta = clean_web_text(page)
    assert (meta.title, meta.source, meta.author, meta.date) == (
        "Steppe Energy Weekly: a lender for the Kambarata cascade", "Steppe Energy Weekly", "Dana Ospanova",
        "2026-03-06")
    assert "1.1 billion dollars" in body and "country report" not in body


def test_a_forum_thread_is_its_opening_post_by_its_poster_in_its_forum() -> None:
    page = "\n".join([
        "jump to content", "reddit CentralAsia comments", "1284",
        "Kazakhstan and China agree a third track to Altynkol (steppewire.example)",
        "submitted 5 hours ago by u/caravan_logistics", "",
        "The deal covers 286 kilometres of line and is priced at 412 billion tenge, the article says.", "",
        "147 comments share save hide report", "[–]dry_port_dan 412 points 4 hours ago",
        "The yard, not the track, is the bottleneck: dwell time averaged 31 hours in January this year.",
        "Reply Share Report", "", "this post was submitted on 04 Mar 2026",
    ])
    body, meta = clean_web_text(page)
    assert (meta.title, meta.source, meta.author, meta.date) == (
        "Kazakhstan and China agree a third track to Altynkol", "r/CentralAsia", "u/caravan_logistics",
        "2026-03-04")
    assert "412 billion tenge" in body and "dwell time" not in body  # readers' comments are not the post


@pytest.mark.parametrize(
    ("masthead", "copyright_line"),
    [("Embassy of the Republic of Kazakhstan in the People's Republic of China",
      "© 2026 Embassy of the Republic of Kazakhstan in the People's Republic of China. All rights reserved."),
     ("中华人民共和国驻乌兹别克斯坦共和国大使馆", "版权所有：中华人民共和国驻乌兹别克斯坦共和国大使馆")],
)
def test_an_embassys_long_masthead_is_the_publisher_not_the_headline(masthead: str,
                                                                     copyright_line: str) -> None:
    headline = ("Kazakhstan and China agree on wider access for flaxseed and alfalfa" if masthead[0] == "E"
                else "大使出席中乌农业投资合作论坛并致辞")
    page = "\n".join([
        "Skip to main content", masthead, "Home", "首页", "Press Service", "当前位置：首页>>使馆动态", "",
        headline, "11 February 2026, 16:20", "",
        "The parties noted that Kazakhstan's farm exports to China reached USD 1.46 billion in 2025.", "",
        copyright_line,
    ])
    _, meta = clean_web_text(page)
    assert (meta.title, meta.source) == (headline, masthead)
