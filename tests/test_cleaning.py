"""Cleaning: web furniture, header metadata, front matter, language detection."""

from __future__ import annotations

from pathlib import Path

import pytest

from knowledge.bylines import (
    dateline_reporters,
    label_above,
    labelled_author,
    lone_names,
    names_with_roles,
    signed,
    wechat_header,
)
from knowledge.cleaning import normalise_whitespace, parse_front_matter
from knowledge.pdftext import cover_issuer, cover_title, strip_pages
from knowledge.text import detect_language, find_date
from knowledge.webfeed import feed_post
from knowledge.weblines import paragraphs
from knowledge.webpage import clean_web_text, is_furniture

SEED = "corpus/seed/china-central-asia-cooperation-2024.txt"
FURNITURE = [
    "分享缩略图",
    "0 Comment(s)",
    "Print E-mail",
    "Adjust font size",
    "Opinion articles reflect the views",
    "Follow China.org.cn on Twitter",
    "App Download",
    "Bookmark and Share",
    "Go to Forum",
    "No comments.",
    "Add your comments",
    "User Name Required",
    "Your Comment",
    "Enter the words you see",
    "moderator",
    "Send your stories",
    "RSS",
    "Newsletter",
    "\u00a0",
    "[Photo/Xinhua]",
]


@pytest.fixture(scope="module")
def seed(shared_dir: Path) -> str:
    return (shared_dir / SEED).read_text(encoding="utf-8")


def test_seed_furniture_is_gone(seed: str) -> None:
    body, _ = clean_web_text(seed)
    for junk in FURNITURE:
        assert junk not in body, junk


def test_seed_keeps_caption_and_author_bio(seed: str) -> None:
    body, _ = clean_web_text(seed)
    assert body.startswith("An aerial view of the container terminal of Lianyungang port")
    assert "the first entity project inaugurated under the Belt and Road Initiative." in body
    assert body.endswith(
        "The author is a foreign affairs commentator, author and recipient of the Fulbright Award."
    )
    assert "since diplomatic relations were established in 1992" in body


def test_seed_metadata_recovered_and_header_removed(seed: str) -> None:
    body, meta = clean_web_text(seed)
    assert meta.title == "China-Central Asia cooperation shows no signs of slowing"
    assert meta.author == "Hannan Hussain"
    assert meta.source == "China.org.cn"
    assert meta.date == "2024-07-24"
    assert meta.title not in body
    assert "By Hannan Hussain" not in body
    assert "July 24, 2024" not in body


def test_seed_paragraphs_are_separated_by_one_blank_line(seed: str) -> None:
    body, _ = clean_web_text(seed)
    assert "\n\n\n" not in body
    paragraphs = body.split("\n\n")
    assert len(paragraphs) == 14
    assert all(p == p.strip() and "\n" not in p for p in paragraphs)


def test_generic_page_other_header_formats() -> None:
    page = (
        "Home | World | Business\n"
        "Kazakhstan and China sign new rail deal\n"
        "Written by Aliya Bekova | Staff reporter\n"
        "Updated: 24 July 2024 09:30\n"
        "Share on Facebook\n"
        "\n"
        "Kazakhstan and China signed an agreement on Tuesday to build a second railway crossing "
        "near the Bakhty checkpoint, officials said, adding that work would begin next year.\n"
        "The line is expected to carry ten million tonnes of cargo a year.\n"
        "Related articles\n"
        "China trade hits record\n"
        "Subscribe\n"
        "© 2024 Example News\n"
    )
    body, meta = clean_web_text(page)
    assert meta.title == "Kazakhstan and China sign new rail deal"
    assert meta.author == "Aliya Bekova"
    assert meta.date == "2024-07-24"
    assert body.startswith("Kazakhstan and China signed an agreement on Tuesday")
    assert body.endswith("ten million tonnes of cargo a year.")
    for junk in ("Share on", "Related", "China trade hits record", "Subscribe", "©", "Home |"):
        assert junk not in body


@pytest.mark.parametrize(
    ("text", "iso"),
    [
        ("China.org.cn, July 24, 2024", "2024-07-24"),
        ("24 July 2024", "2024-07-24"),
        ("2024-07-24", "2024-07-24"),
        ("Jul. 4, 2024", "2024-07-04"),
        ("2024/7/4", "2024-07-04"),
        ("24.07.2024", "2024-07-24"),
        ("24 июля 2024 г.", "2024-07-24"),
        ("3 мая 2023", "2023-05-03"),
        ("2024年7月24日", "2024-07-24"),
        ("May 2023", ""),
        ("2024-13-45", ""),
    ],
)
def test_find_date(text: str, iso: str) -> None:
    assert find_date(text)[0] == iso


BODY = (
    "Kazakhstan and China signed an agreement on Tuesday to build a second railway crossing near the "
    "Bakhty checkpoint, officials said, adding that work would begin next year."
)


@pytest.mark.parametrize(
    "line",
    ["0 Comment(s)Print E-mail", "• User Name Required", "Adjust font size:", "ChinaNews App Download",
     "Tags: Kazakhstan, rail", "Теги: КУК, железная дорога", "责任编辑：王明", "字号：大 中 小",
     "Фото: пресс-служба", "Photo credit: Xinhua", "Версия для печати",
     "We use cookies to improve your experience.",
     "We use cookies to improve your experience, analyse traffic and show you relevant advertising. By "
     "clicking \"Accept all\", you agree to the storing of cookies on your device and to our policy.",
     "View this email in your browser",
     "The views expressed in this brief are those of the authors and do not necessarily reflect the "
     "position of the institute or its funders.",
     "Справка подготовлена на основе открытых данных и не является официальным статистическим документом.",
     "本刊内容仅代表作者个人观点，不代表研究院立场。",
     "Tel.: +996 312 90 14 27 · info@tranzit-eurasia.kg",
     "电子邮箱：zygc@lhiie.org.cn",
     "Steppe Crossroads Institute, 42 Abay Avenue, Almaty 050000, Kazakhstan"],
)
def test_furniture_line_between_paragraphs_is_dropped(line: str) -> None:
    body, _ = clean_web_text(f"{BODY}\n\n{line}\n\n{BODY.replace('Tuesday', 'Friday')}")
    assert body.count("Kazakhstan and China signed") == 2
    assert line.strip("• ") not in body


@pytest.mark.parametrize(
    "credit", ["Reuters/Jane Doe", "Фото: Kazinform/Иван Петров", "(Photo: Ministry of Energy)"]
)
def test_photo_caption_above_a_credit_line_is_dropped(credit: str) -> None:
    caption = "Cranes move containers between Chinese and Kazakh wagons at the dry port, October 2, 2025."
    body, _ = clean_web_text(f"{BODY}\n\n{caption}\n{credit}\n\n{BODY.replace('Tuesday', 'Friday')}")
    assert body.count("Kazakhstan and China signed") == 2
    assert "Cranes move" not in body and credit not in body


def test_bylines_with_two_names_roles_and_signatures() -> None:
    two = "Фарход Усманов, Дильноза Каримова"
    assert labelled_author([f"Текст: {two}"]) == two
    assert labelled_author(["By Jane Doe, Almaty"]) == "Jane Doe"
    assert names_with_roles(["Maksat Abdyldaev | Energy reporter", "Dana Kim | Data editor"]) == (
        "Maksat Abdyldaev and Dana Kim")
    assert names_with_roles(["Home | News | Energy"]) == ""
    end = ["Конец статьи.", "Айгерим Нурланова", "обозреватель «Делового Иртыша»"]
    assert signed(end) == "Айгерим Нурланова"
    assert labelled_author(["作者：记者 周婷 通讯员 买买提·艾力"]) == "周婷 买买提·艾力"


def test_a_print_issue_date_wins_over_the_masthead_date() -> None:
    page = (f"Пятница, 21 февраля 2025\nВестник Самарканда\nВыпуск № 27 (21456) от 18.02.2025\n\n"
            f"Учебный центр открылся в Самарканде\n\n{BODY}")
    assert clean_web_text(page)[1].date == "2025-02-18"


def test_a_headline_asking_a_question_is_the_title_not_the_body() -> None:
    page = f"中亚游一季度热到了什么程度？\n原创 周晓岚 中亚财经观察 2025年04月09日 18:05 陕西\n\n{BODY}"
    _, meta = clean_web_text(page)
    assert meta.title == "中亚游一季度热到了什么程度？" and meta.author == "周晓岚"


def test_wrapped_prose_among_menu_lines_without_blank_lines_is_unwrapped() -> None:
    page = "\n".join([
        "Silkline Logistics", "Services", "Newsroom", "Contact",
        "XI'AN, 9 September 2025 -- Silkline Logistics, a freight operator based in",
        "Xi'an, today announced a weekly service between the Xi'an International",
        "Port and Tashkent, Uzbekistan. The first train left Xi'an on 6 September",
        "and is due in Tashkent on 15 September, carrying fifty containers.",
        "The new service combines rail haulage from Xi'an to Kashgar, trucking",
        "through the Irkeshtam crossing, and a rail leg from Andijan to Tashkent.",
        "Silkline plans 52 departures in the first year, with capacity for about",
        "2,600 containers and a dwell time at the border of under eight hours.",
        "© 2025 Silkline Logistics",
    ])
    body, _ = clean_web_text(page)
    assert "between the Xi'an International Port and Tashkent" in body
    assert "due in Tashkent on 15 September, carrying fifty containers." in body
    assert "Services" not in body and "Newsroom" not in body


def test_footnotes_go_and_their_marks_are_not_quoted() -> None:
    page = f"{BODY.rstrip('.')}, as the grid report shows.[2]\n\nNotes\n[2] National grid operator, 2023."
    body, _ = clean_web_text(page)
    assert body.endswith("as the grid report shows.") and "[2]" not in body and "National grid" not in body


def test_an_acronym_publisher_is_spelt_out_as_the_page_spells_it() -> None:
    page = (f"ВКУМР\nВосточно-Казахстанский университет минеральных ресурсов\nНовости\n\n{BODY}\n\n"
            "© 2024 ВКУМР. Все права защищены.")
    assert clean_web_text(page)[1].source == "Восточно-Казахстанский университет минеральных ресурсов"


def test_a_pull_quote_and_an_advertisement_go() -> None:
    quote = '"We stopped asking who builds the plant. We ask who carries the currency risk."'
    said = ('"We stopped asking who builds the plant. We ask who carries the currency risk," said a '
            "deputy director of the ministry in an interview in his Tashkent office.")
    ad = "Ship smarter across Eurasia: containers from Almaty to Xi'an in 9 days. Get a quote today."
    later = BODY.replace("Tuesday", "Friday")
    body, _ = clean_web_text(f"{BODY}\n\n{said}\n\n{quote}\n\nAdvertisement\n{ad}\n\n{later}")
    assert body.count("We stopped asking") == 1 and "Get a quote" not in body
    assert body.count("Kazakhstan and China signed") == 2


def test_authors_in_a_section_date_and_names_line() -> None:
    line = "ЭКОНОМИКА | 27 марта 2025 | Айгуль Бекова, Тимур Рахимов"
    page = f"Тянь-Шань Пресс\nЖелезная дорога идет к Торугарту\n{line}\n\n{BODY}"
    meta = clean_web_text(page)[1]
    assert (meta.author, meta.date) == ("Айгуль Бекова, Тимур Рахимов", "2025-03-27")


def test_a_copied_pdf_loses_its_page_furniture_and_runs_on_across_the_page_break() -> None:
    page = "\n".join([
        "Container traffic through Khorgos has almost tripled since 2019.1 Roughly 78 per cent of the",
        "units moved westbound, and operators reposition empty boxes at their own expense, which keeps",
        "eastbound tariffs high for shippers who send goods from Central Asia to China by rail, as",
        "1 National railway operators, annual operating statistics, 2020–2025.",
        "Page 1 of 2",
        "Steppe Crossroads Institute · Policy Brief No. 9",
        "forwarders told the institute in interviews held in November and December of last year.",
        "Page 2 of 2",
        "Steppe Crossroads Institute · Policy Brief No. 9",
    ])
    cleaned = strip_pages(page)
    assert "since 2019. Roughly" in cleaned
    assert "Page 1" not in cleaned and "Policy Brief" not in cleaned and "National railway" not in cleaned
    body, _ = clean_web_text(page)
    assert "Chinese by rail" not in body and "to China by rail, as forwarders told the institute" in body
    # one page number is no copied PDF: the text stays as it is
    assert strip_pages("Page 1 of 2\nSome text.") == "Page 1 of 2\nSome text."


@pytest.mark.parametrize(
    ("cover", "title"),
    [
        (["STEPPE CROSSROADS INSTITUTE", "Policy Brief No. 9 | February 2025",
          "Dry Ports and Digital Corridors: Making the Khorgos", "Gateway Work for Central Asian Exporters",
          "Dana Seitkali and Martin Oakes", "18 February 2025", "Summary"],
         "Dry Ports and Digital Corridors: Making the Khorgos Gateway Work for Central Asian Exporters"),
        (["ЦЕНТР ЕВРАЗИЙСКИХ АГРОЭКОНОМИЧЕСКИХ ИССЛЕДОВАНИЙ", "Аналитическая записка № 7/2025",
          "Зерновой коридор Казахстан — Китай: логистика,",
          "фитосанитарные требования и перспективы экспорта",
          "Авторы: А. Б. Жумабаев, Е. В. Корнилова", "Астана, 14 апреля 2025 г."],
         "Зерновой коридор Казахстан — Китай: логистика, фитосанитарные требования и перспективы экспорта"),
        (["国际合作简报", "2024年第6期（总第58期）", "西秦理工大学国际合作与交流处编 2024年12月25日",
          "中国—中亚铁路工程人才联合培养项目", "2024年度进展报告", "文/李卓然", "一、项目概况"],
         "中国—中亚铁路工程人才联合培养项目2024年度进展报告"),
    ],
)
def test_a_copied_pdf_is_titled_from_its_cover(cover: list[str], title: str) -> None:
    assert cover_title(cover) == title


def test_a_copied_pdf_names_its_issuer_as_it_writes_it() -> None:
    assert cover_issuer("CENTRAL EURASIA INFRASTRUCTURE BANK\nProject Summary\nText.") == (
        "Central Eurasia Infrastructure Bank")
    russian = ("Ассоциация «Транзит Евразия» · Справка\n"
               "АССОЦИАЦИЯ МЕЖДУНАРОДНЫХ ПЕРЕВОЗЧИКОВ «ТРАНЗИТ ЕВРАЗИЯ»\n")
    assert cover_issuer(russian) == "Ассоциация международных перевозчиков «Транзит Евразия»"
    chinese = "国际合作简报\n西秦理工大学国际合作与交流处编 2024年12月25日\n"
    assert cover_issuer(chinese) == "西秦理工大学国际合作与交流处"


def test_sentence_is_not_furniture() -> None:
    assert not is_furniture("No comments were made by the ministry on the agreement.")
    assert not is_furniture("The author is a foreign affairs commentator.")


def test_normalise_whitespace() -> None:
    raw = "a\u00a0\u00a0b  \r\n\r\n\r\n\u200bc\t d\n\n\n\n"
    assert normalise_whitespace(raw) == "a b\n\nc d"


def test_front_matter_full() -> None:
    text = "---\ntitle: A: B\ndate:\ntopics: [rail, trade]\ntags: x, y\nsource: 'Q'\n---\nBody\n"
    front, body = parse_front_matter(text)
    assert front == {
        "title": "A: B",
        "date": "",
        "topics": ["rail", "trade"],
        "tags": ["x", "y"],
        "source": "Q",
    }
    assert body == "Body\n"


def test_front_matter_block_list_and_comma_topics() -> None:
    front, _ = parse_front_matter("---\ntopics: energy, gas\nkeywords:\n  - a\n  - b\n---\nx")
    assert front["topics"] == ["energy", "gas"]
    assert front["keywords"] == ["a", "b"]


@pytest.mark.parametrize(
    "text",
    ["---\ntitle: x\nno closing", "---\nthis is not a key value line\n---\nbody", "no front matter", ""],
)
def test_malformed_front_matter_is_none(text: str) -> None:
    assert parse_front_matter(text) == ({}, text)


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("What did the Xi'an summit agree?", "en"),
        ("Что решили на саммите в Астане?", "ru"),
        ("中国与中亚的贸易额是多少？", "zh"),
        ("中国与中亚的GDP是多少", "zh"),
        ("Сколько стоит Line D?", "ru"),
        ("Khorgos 霍尔果斯", "zh"),
        ("😀👍", "en"),
        ("", "en"),
        ("12345 ?!", "en"),
        ("مرحبا بالعالم", "other"),
        ("こんにちは", "other"),
    ],
)
def test_detect_language(text: str, lang: str) -> None:
    assert detect_language(text) == lang


# --- rules for the second set of pages: each with a case where it must not fire ------------------

WRAPPED_RU = (  # hard-wrapped at about 70 characters
    "20 августа в Бишкеке министерство и китайская корпорация подписали\n"
    "соглашение о строительстве Казарманского каскада гидро-\n"
    "электростанций на реке Нарын и новой линии электропередачи Китай-\n"
    "Кыргызстан, которую начнут строить весной следующего года."
)


def test_word_hyphenated_at_a_line_break_is_rejoined() -> None:
    (para,) = paragraphs(WRAPPED_RU)
    assert "каскада гидроэлектростанций на реке" in para
    assert "гидро- " not in para


def test_hyphen_before_a_capital_or_digit_stays() -> None:
    (para,) = paragraphs(WRAPPED_RU)
    assert "электропередачи Китай-Кыргызстан, которую" in para
    (wrapped,) = paragraphs("The pandemic slowed work on the new terminal, and COVID-\n19 cases fell.")
    assert "COVID-19 cases" in wrapped


def test_compound_the_page_spells_with_a_hyphen_keeps_it_at_a_line_break() -> None:
    text = (
        "The Xi'an-based operator will run the new line, and the company said another Xi'an-\n"
        "based firm would supply the wagons for the first two years of the contract."
    )
    (para,) = paragraphs(text)
    assert "another Xi'an-based firm" in para


def test_dash_at_a_line_end_is_not_a_hyphen() -> None:
    (para,) = paragraphs(
        "Проект реализуется по модели «строительство — эксплуатация —\nпередача» на тридцать лет."
    )
    assert "эксплуатация — передача»" in para


def test_cjk_paragraph_cut_after_a_comma_goes_on_in_the_next_block() -> None:
    text = (
        "在田间管理上，集群把国内成熟的节水技术带到了当地。据介绍，棉田中采用滴灌的面积占62%，"
        "\n\n与传统沟灌相比每公顷节水约35%。"
    )
    assert paragraphs(text) == [text.replace("\n\n", "")]


@pytest.mark.parametrize(
    "text",
    [
        # a heading, a label, a quotation after a colon
        "01 留学生三年增长近六成\n\n据学校国际教育学院介绍，今年春季学期，该校在读的留学生达到2140人。",
        "字体：小 中 大 分享到：\n\n华新网塔什干5月27日电，上合组织能源部长会议27日在塔什干举行。",
        "院长王立新在毕业典礼上对全体毕业生、家长和来宾们说：\n\n“希望你们成为中外友谊的使者。”",
    ],
)
def test_cjk_block_after_a_heading_label_or_colon_stays_apart(text: str) -> None:
    assert len(paragraphs(text)) == 2


WRAPPED_EN = (  # prose hard-wrapped at about 70 characters
    "On 20 August 2025, in Astana, the Ministry of Energy and the state\n"
    "company Qazaq Green Power signed an investment agreement on the\n"
    "construction of a wind power plant with an energy storage system.\n"
    "\n"
    "The agreement was signed by Vice Minister of Energy Yerlan Akhmetzhanov,\n"
    "Chairman of the Management Board of Qazaq Green Power Marat Zhakupov and\n"
    "President of Xinyuan Wind Power Group Sun Hailong.\n"
    "\n"
    "The project provides for the installation of 167 wind turbines with a\n"
    "unit capacity of 6 MW and a battery energy storage system with a\n"
    "capacity of 300 MW.\n"
)


def test_block_as_wide_as_the_page_wrap_is_joined_even_without_lower_case_starts() -> None:
    paras = paragraphs(WRAPPED_EN)
    assert len(paras) == 3
    assert paras[1].startswith("The agreement was signed by Vice Minister of Energy Yerlan Akhmetzhanov, Ch")
    assert paras[1].endswith("Marat Zhakupov and President of Xinyuan Wind Power Group Sun Hailong.")


@pytest.mark.parametrize("second", ["By Aliya Bekova", "The deal is worth 1.4 billion dollars."])
def test_headline_block_is_not_joined_by_the_page_wrap(second: str) -> None:
    headline = "Kazakhstan and China's Xinyuan Wind Power sign 1 GW wind farm deal"
    paras = paragraphs(f"{headline}\n{second}\n\n{WRAPPED_EN}")
    assert paras[:2] == [headline, second]


def _page(*middle: str) -> str:
    return "\n\n".join([BODY, *middle, BODY.replace("Tuesday", "Friday")])


@pytest.mark.parametrize(
    "notice",
    [
        "Свидетельство о постановке на учет СМИ № 17342-ИА выдано Министерством информации и "
        "общественного развития РК.",
        "Сетевое издание зарегистрировано Роскомнадзором, свидетельство Эл № ФС77-81234 от 12.05.2021.",
        # a copyright line run into the legal notice below it, longer than any furniture label
        "版权所有 亚欧商报社 违法和不良信息举报电话：0991-0000000本网站所刊登的亚欧商报"
        "各种新闻、信息和各种专题专栏资料，均为亚欧商报社版权所有，未经协议授权，禁止下载使用。",
        "Copyright © Eurasia Capital Times Ltd 2025. All rights reserved. Not for redistribution.",
        "© 2008–2025 «Бизнес-Курьер». Все права защищены. Полное или частичное воспроизведение материалов "
        "без письменного согласия редакции запрещено. 18+",
    ],
)
def test_legal_notice_is_furniture_whatever_its_length(notice: str) -> None:
    assert is_furniture(notice)
    body, _ = clean_web_text(_page(notice))
    assert body.count("Kazakhstan and China signed") == 2 and "1234" not in body and "版权" not in body


@pytest.mark.parametrize(
    "sentence",
    [
        "Kazakhstan amended its copyright law in 2024 so that it also covers software, the ministry said.",
        "Роскомнадзор выдал изданию лицензию на вещание ещё в прошлом году, сообщили в ведомстве.",
        "新修订的著作权法明确了网络转载的授权规则，国家版权局表示将加强执法检查。",
    ],
)
def test_article_sentence_about_copyright_is_not_a_legal_notice(sentence: str) -> None:
    assert not is_furniture(sentence)
    body, meta = clean_web_text(_page(sentence))
    assert sentence in body
    assert meta.source == ""  # nor does it name a copyright holder


def test_end_of_story_mark_is_stripped() -> None:
    body, _ = clean_web_text(_page("The line is expected to carry ten million tonnes of cargo a year. ■"))
    assert "ten million tonnes of cargo a year.\n\n" in body and "■" not in body
    last = "上合组织能源部长会议将于2026年在吉尔吉斯斯坦举行，各方将继续讨论能源合作。"
    body, _ = clean_web_text(f"{BODY}\n\n{last}（完）")
    assert body.endswith(last)


@pytest.mark.parametrize(
    "line",
    [
        "Continue reading with our introductory offer: $1 for your first month. Cancel anytime.",
        "Already a subscriber? Sign in",
        "Чтобы дочитать статью до конца, оформите подписку на наш сайт всего за 99 рублей в месяц.",
        "Lorries queue on the Chinese side of the Irkeshtam crossing. Photo: Silk Freight Review",
        "About the author: Madina Kassymova is a senior fellow at Steppe Policy Lab. She worked at "
        "the National Bank.",
        "功能介绍：关注“一带一路”教育交流与合作，讲述中外学子的故事。",
    ],
)
def test_paywall_caption_and_profile_lines_are_furniture(line: str) -> None:
    body, _ = clean_web_text(_page(line))
    assert body.count("Kazakhstan and China signed") == 2 and line not in body


@pytest.mark.parametrize(
    "sentence",
    [
        "Analysts continue reading the market as supportive, and the bank expects demand to stay firm.",
        "Officials opened the bridge in May. Photo exhibitions about its construction will follow in June.",
        "The author of the study, Madina Kassymova, is a senior fellow at Steppe Policy Lab in Almaty.",
    ],
)
def test_sentences_like_paywall_caption_or_bio_lines_are_kept(sentence: str) -> None:
    body, _ = clean_web_text(_page(sentence))
    assert sentence in body


def test_comments_under_a_thoughts_on_heading_are_dropped() -> None:
    comment = "Useful piece. My company imports auto parts and switched to yuan completely, the fee is half."
    comments = f'3 thoughts on "Yuan in the steppe"\n\nDaniyar S.\n\n{comment}'
    body, _ = clean_web_text(f"{BODY}\n\n{comments}")
    assert body == BODY
    sentence = "3 comments on the draft law reached the ministry before the deadline, officials said."
    assert sentence in clean_web_text(_page(sentence))[0]


def test_wechat_past_posts_list_is_dropped_item_by_item() -> None:
    items = "往期推荐\n新疆高校首次举办中亚留学生技能大赛\n这所大学的俄语专业为何火了？\n暑期项目报名开始啦"
    assert paragraphs(items) == items.split("\n")
    body, _ = clean_web_text(_page(items))
    assert "新疆" not in body and "俄语" not in body


# --- header metadata: bylines, publisher, title ----------------------------------------------------


@pytest.mark.parametrize(
    ("line", "name"),
    [
        ("2025年08月12日 07:45 | 来源：亚欧商报 | 作者：本报驻塔什干记者 韩露", "韩露"),
        ("特约记者 王海涛", "王海涛"),
        ("通讯员：李明", "李明"),
        ("Special correspondent Jane Doe", "Jane Doe"),
        ("By Staff writer Jane Doe", "Jane Doe"),
        ("Автор: Корреспондент Иван Петров", "Иван Петров"),
        ("Спецкор Иван Петров", "Иван Петров"),
        ("Prepared by Jasur Rakhimov", "Jasur Rakhimov"),
        ("Подготовила Гулнара Абдыкадырова", "Гулнара Абдыкадырова"),
    ],
)
def test_byline_role_is_stripped(line: str, name: str) -> None:
    assert labelled_author([line]) == name


@pytest.mark.parametrize(
    "line",
    ["Reporters Without Borders condemned the arrest", "首页 | 时政 | 国际", "Корреспондентский пункт",
     "By Staff Writer", "本报记者"],
)
def test_no_byline_in_lines_that_only_look_like_roles(line: str) -> None:
    assert labelled_author([line]) == ""


@pytest.mark.parametrize(
    ("paragraph", "names"),
    [
        ("华新网塔什干5月27日电（记者 马骁 阿依古丽）上合组织能源部长会议27日举行。", "马骁 阿依古丽"),
        ("新华社北京1月11日电(记者 成欣、李明)外交部发言人11日表示，中方希望美方客观看待中国。", "成欣 李明"),
        ("本报阿斯塔纳3月2日电 记者张金江报道：哈萨克斯坦今天宣布新的铁路计划。", "张金江"),
        ("（记者 张三 摄）", ""),  # a photo credit, not a dateline
        ("上海合作组织成员国能源部长会议27日在塔什干举行（记者 马骁）。", ""),  # no "…电"
    ],
)
def test_reporters_in_a_chinese_dateline(paragraph: str, names: str) -> None:
    assert dateline_reporters(paragraph) == names


def test_wechat_article_header() -> None:
    head = ["新疆高校中亚留学生突破2000人", "原创 刘思远 丝路教育观察 2025年06月18日 09:30 新疆"]
    assert wechat_header(head) == ("刘思远", "丝路教育观察")
    assert wechat_header(["丝路教育观察 2025-06-18 09:30"]) == ("", "丝路教育观察")
    assert wechat_header(["2025-05-27 20:41:15 来源：华新网", "华新网 > 国际 > 正文"]) is None
    assert wechat_header(["发布时间 2025-05-27 09:30", "Posted 2025-05-27 09:30"]) is None
    page = (
        "新疆高校中亚留学生突破2000人 “2+2”联合培养首批学生毕业\n\n"
        "原创 刘思远 丝路教育观察 2025年06月18日 09:30 新疆\n\n"
        "点击蓝字 关注我们\n\n"
        "6月16日，新疆天山理工大学举行2025届毕业典礼，48名来自哈萨克斯坦和乌兹别克斯坦的学生拿到了毕业证书。\n"
    )
    body, meta = clean_web_text(page)
    assert (meta.source, meta.author, meta.date) == ("丝路教育观察", "刘思远", "2025-06-18")
    assert meta.title.startswith("新疆高校中亚留学生突破2000人") and body.startswith("6月16日")


def test_name_in_city_by_the_dateline_is_the_author() -> None:
    head = "Eurasia Capital Times\n\nChinese miner to take 60% of Kazakh tungsten project\n\n"
    page = f"{head}Dana Abdrakhmanova in Astana\n5 November 2025\n\n{BODY}"
    assert clean_web_text(page)[1].author == "Dana Abdrakhmanova"


ZH_BODY = "上海合作组织成员国第六次能源部长会议27日在乌兹别克斯坦首都塔什干举行，各方通过了合作路线图。"


def _site(head: str, foot: str, body: str = BODY) -> str:
    return f"{head}\n\n{body}\n\n{body.replace('Tuesday', 'Friday')}\n\n{foot}\n"


@pytest.mark.parametrize(
    ("head", "foot", "publisher", "body"),
    [
        # the page's own script before a romanised domain
        ("华新网\n\n上合组织能源部长会议在塔什干举行", "华新网版权所有 未经书面授权禁止使用\n"
         "Copyright © 2000-2025 HUAXIN.NET.CN All Rights Reserved.", "华新网", ZH_BODY),
        # ... and the romanised name when the page gives no other
        ("首页 | 时政 | 国际\n\n上合组织能源部长会议在塔什干举行",
         "Copyright © 2000-2025 Huaxin News. All Rights Reserved.", "Huaxin News", ZH_BODY),
        # the holder before the mark, not the rights phrase
        ("STEPPE MAGAZINE\n\nOur graduates are hired before they finish",
         "Steppe Magazine © 2025. All rights reserved.", "Steppe Magazine", BODY),
        ("Агроинформ\n\nЭкспорт черешни в Китай вырос", "Все права защищены © Агроинформ, 2019–2025.",
         "Агроинформ", BODY),
        # the masthead in capitals names the holder less its legal word
        ("SILK FREIGHT REVIEW\n\nIrkeshtam truck traffic jumps 31%",
         "© 2025 Silk Freight Review Ltd. All rights reserved.", "Silk Freight Review", BODY),
        # a domain-style name stays whole unless the page also uses the bare name
        ("Kunlik.uz\n\nChinese tourist arrivals more than double", "© 2025 Kunlik.uz. All rights reserved.",
         "Kunlik.uz", BODY),
        ("Kunlik.uz\n\nChinese tourist arrivals more than double\n\nPhoto: Shutterstock / Kunlik",
         "© 2025 Kunlik.uz. All rights reserved.", "Kunlik", BODY),
        # the menu before the mark is not the holder
        ("Caspian Newswire\n\nKhorgos volumes rise", "About us | Contacts | © 2025 Caspian Newswire. "
         "All rights reserved.", "Caspian Newswire", BODY),
        # a long official name
        ("Ministry of Energy\n\nKazakhstan signs wind farm deal", "© 2025 Ministry of Energy of the Republic "
         "of Kazakhstan. All rights reserved.", "Ministry of Energy of the Republic of Kazakhstan", BODY),
    ],
)
def test_publisher_from_the_copyright_line(head: str, foot: str, publisher: str, body: str) -> None:
    assert clean_web_text(_site(head, foot, body))[1].source == publisher


def test_english_page_keeps_a_latin_holder_and_a_date_label_is_no_publisher() -> None:
    assert clean_web_text(_site("Yuan in the steppe: why Central Asia settles in renminbi\n\n"
                                "Posted on 2 October 2025 by Madina Kassymova", ""))[1].source == ""
    head = "Date of publication: 21 August 2025, 16:20\n\nKazakhstan and China sign wind farm agreement"
    assert clean_web_text(_site(head, ""))[1].source == ""


@pytest.mark.parametrize(
    ("head", "title"),
    [
        # a headline over an unpunctuated subtitle: the headline
        ("БИЗНЕС-КУРЬЕР\nделовая газета Узбекистана\n\nФинансы / Банки\n\n"
         "Доля юаня в расчетах Узбекистана с Китаем выросла до 27%\n\n"
         "Центробанк: за восемь месяцев юань потеснил доллар в платежах за оборудование\n\n12.09.2025 08:50",
         "Доля юаня в расчетах Узбекистана с Китаем выросла до 27%"),
        # a masthead slogan or a breadcrumb above the headline is not a headline
        ("Steppe Policy Lab\nIndependent research on the economies of Central Asia\n\n"
         "Yuan in the steppe: why Central Asia settles more of its China trade in renminbi\n\n2 October 2025",
         "Yuan in the steppe: why Central Asia settles more of its China trade in renminbi"),
        ("You are here: Home » Education\n\nLuban Workshop in Dushanbe graduates 126 technicians"
         "\n\nNovember 4, 2025", "Luban Workshop in Dushanbe graduates 126 technicians"),
    ],
)
def test_title_is_the_first_prominent_line(head: str, title: str) -> None:
    assert clean_web_text(_site(head, ""))[1].title == title


FEED = """Steppe Freight
12 400 subscribers

Monday, 3 March 2025

Forwarded from: Port Daily
Ferry timetable for the week is out on the port's site. No weather delays are expected.
👁 2,1K 09:12

Khorgos handles a record month
The dry port handled 41,000 containers in February, a fifth more than a year ago, its operator said.
Most of the growth came from China-Europe transit, which now makes up two thirds of the volume.
What it means for shippers:
🔹 slots to China are booked ten days ahead;
🔹 grain has its own quota of four trains a day;
🔹 from 1 April requests go through the operator's platform only.
#Khorgos #containers
👍 120 | 🔥 14
👁 8,4K Aliya Sadykova, 18:05

Thursday, 6 March 2025
Poll: how many days do you plan for the border?
"""


def test_a_channel_feed_is_read_as_its_main_post() -> None:
    text, meta = clean_web_text(FEED)
    assert (meta.title, meta.source, meta.author, meta.date) == (
        "Khorgos handles a record month", "Steppe Freight", "Aliya Sadykova", "2025-03-03")
    assert "41,000 containers" in text and "Ferry timetable" not in text and "Poll" not in text
    # a list that is one sentence in prose stays one paragraph, without its marks
    listed = ("What it means for shippers: slots to China are booked ten days ahead; grain has its own "
              "quota of four trains a day; from 1 April requests go through the operator's platform only.")
    assert listed in text
    # one post is not a feed: the page is cleaned as an article, its post kept
    single = FEED.split("Khorgos handles")[0]
    assert feed_post(paragraphs(single)) is None and feed_post(paragraphs(FEED)) is not None
    assert "Ferry timetable for the week is out" in clean_web_text(single)[0]


def test_several_authors_under_a_lone_label_after_the_article() -> None:
    lines = ["Авторы", "Анна Соколова, Тимур Алиев, Ксения Мельник", "Теги"]
    assert label_above(lines) == "Анна Соколова, Тимур Алиев, Ксения Мельник"
    assert label_above(["Authors", "Jane Doe and John Smith"]) == "Jane Doe, John Smith"
    promo = "Подписывайтесь на наш канал в Telegram, чтобы не пропустить новости"
    assert label_above(["Авторы", promo]) == ""


def test_a_link_label_and_its_bare_address_are_furniture() -> None:
    assert is_furniture("View original content to download multimedia:https://www.example.com/news/1.html")
    assert is_furniture("Read more: www.example.kz/news/1")
    assert not is_furniture(
        "Details of the tender, the schedule and the documents are published by the ministry on https://gov.kz"
    )


def test_a_copyright_mark_run_into_its_holder_and_the_rights_words() -> None:
    from knowledge.webholder import copyright_holder

    assert copyright_holder(["©1997-2026网易公司版权所有"]) == "网易公司"


def test_an_office_signed_under_a_statement_is_not_its_author() -> None:
    body = " ".join(["Общество раскрывает эту информацию в соответствии с требованиями биржи."] * 2)
    assert lone_names([body, "Председатель Правления", "АО «Терминал»"]) == ""
    assert lone_names([body, "Даурен Оспанов", ""]) == "Даурен Оспанов"


def test_a_channel_over_its_subscribers_in_thousands_and_an_answerer_over_a_follow_button() -> None:
    from knowledge.webposts import account, answered

    assert account(["Войти", "Агрохроники Азии", "48,3 тыс подписчиков", "Подписаться"]) == "Агрохроники Азии"
    page = ["去乌兹别克斯坦做温室现在还有机会吗？", "关注问题", "写回答", "塔什干种菜的老周",
            "乌兹别克斯坦温室项目负责人，设施农业从业十五年", "\u200b关注", "386 人赞同了该回答", "谢邀。"]
    found = answered(page)
    assert found is not None and found.author == "塔什干种菜的老周"


def test_a_menus_more_item_does_not_turn_the_prose_under_it_into_a_list() -> None:
    block = "\n".join([
        "首页", "财经", "更多", "凤凰网财经 > 滚动", "中企承建风电项目首批风机并网发电",
        "3月13日，由中国企业承建的吉尔吉斯斯坦伊塞克湖州风电项目首批12台风机",
        "成功并网发电。这是吉尔吉斯斯坦目前规模最大的风电项目，也是中吉两国在",
        "新能源领域合作的重点工程。",
    ])
    assert "12台风机成功并网发电。" in "\n".join(paragraphs(block))


def test_a_place_rubric_over_the_time_line_is_not_a_byline() -> None:
    from knowledge.bylines import name_line

    lines = ["Азиакурьер", "Бывший СССР", "Средняя Азия", "14:05, 5 марта 2026", "Заголовок новости"]
    assert name_line(lines, {3}, "Азиакурьер") == ""
    signed = ["Азиакурьер", "Айгуль Бекова", "14:05, 5 марта 2026"]
    assert name_line(signed, {2}, "Азиакурьер") == "Айгуль Бекова"


def test_a_name_in_quotes_after_its_legal_form_is_the_quoted_name() -> None:
    from knowledge.bylines import valid_name

    assert valid_name('АО "Казахстанская фондовая биржа", 2026') == "Казахстанская фондовая биржа"
    assert valid_name("ТОО «Silk Way»") == "Silk Way"
    assert valid_name("«Деловой Иртыш»") == "Деловой Иртыш"


def test_a_headline_over_its_subtitle_on_a_hard_wrapped_chinese_page_stays_apart() -> None:
    body = ["经阿克套港中转的中国至欧洲集装箱达到八点六万标箱，同比增长明显，船舶平均在港时间缩短",
            "至二十二小时，码头作业效率进一步提升，当地员工占比超过九成，项目还为当地培训了港口机械",
            "操作和维修人员，今后将继续扩大合作规模，推动物流通道建设，服务中欧班列和跨里海运输走廊",
            "的发展，为两国经贸合作注入新的动力，也为地区互联互通作出贡献，各方对此给予积极评价和期",
            "待，认为这是中哈合作的又一成果，码头三期将建设滚装泊位和汽车堆场，计划于明年开工建设并",
            "投入使用。"]
    page = "\n".join(["中哈合建阿克套港集装箱码头二期投入运营", "年设计吞吐能力提升至五十万标箱", *body])
    paras = paragraphs(page)
    assert paras[:2] == ["中哈合建阿克套港集装箱码头二期投入运营", "年设计吞吐能力提升至五十万标箱"]
    assert paras[2].endswith("计划于明年开工建设并投入使用。")  # the wrapped paragraph is still one


def test_a_chinese_sites_owner_is_its_sponsor_line_less_its_office() -> None:
    from knowledge.webholder import brand_name, copyright_holder

    lines = ["无障碍", "长者模式", "克孜勒苏柯尔克孜自治州人民政府", "首页", "正文。",
             "主办：克孜勒苏柯尔克孜自治州人民政府办公室", "承办：克孜勒苏柯尔克孜自治州大数据中心"]
    assert is_furniture("无障碍") and is_furniture("主办：克孜勒苏柯尔克孜自治州人民政府办公室")
    holder = copyright_holder(lines)
    assert holder == "克孜勒苏柯尔克孜自治州人民政府办公室"
    assert brand_name(holder, lines) == "克孜勒苏柯尔克孜自治州人民政府"


def test_platform_and_registration_small_print_is_furniture() -> None:
    for line in ("Our Standards: How Caspian Wire checks its facts and keeps its reporting independent.",
                 "All quotes delayed a minimum of 15 minutes. See here for a complete list of exchanges.",
                 "Сетевое издание «Карвон» зарегистрировано Агентством информации и массовых коммуникаций. "
                 "Свидетельство № 1187 от 14.08.2023.",
                 "本文由澎湃号入驻机构自行上传发布，内容仅代表该机构观点，澎湃新闻只提供信息存储与发布服务。",
                 "如需开通澎湃号，请使用电脑端访问。"):
        assert is_furniture(line), line
    prose = "The company said quotes delayed by the exchange were not a concern for investors."
    assert not is_furniture(prose)


def test_a_russian_agencys_dateline_names_its_correspondent() -> None:
    assert dateline_reporters("АСТАНА, 5 мар — «Евразия Сегодня», Айгерим Тлеубаева. Руководители служб") == (
        "Айгерим Тлеубаева"
    )
    assert dateline_reporters("ТАШКЕНТ, 5 мар — «Karvon». Китай и Узбекистан") == ""
    assert dateline_reporters("寰宇在线消息（记者 马骏）：记者3月4日从西安获悉") == "马骏"
    assert dateline_reporters("本报讯（记者 王五）昨天，") == "王五"


def test_the_line_over_an_agencys_photo_credit_is_a_caption_not_the_headline() -> None:
    page = "\n".join([
        "Евразия Сегодня", "Экономика",
        "Таможни ШОС договорились о «зеленых коридорах» для агропродукции",
        "14:35 05.03.2026 (обновлено: 15:10 05.03.2026)",
        "Грузовые автомобили в пункте пропуска «Нур Жолы». Архивное фото",
        "© «Евразия Сегодня» / Ерлан Мухтаров", "",
        "АСТАНА, 5 мар — «Евразия Сегодня», Айгерим Тлеубаева. Руководители таможенных служб государств "
        "подписали меморандум о создании «зеленых коридоров» для сельскохозяйственной продукции.",
    ])
    _, meta = clean_web_text(page)
    assert meta.title == "Таможни ШОС договорились о «зеленых коридорах» для агропродукции"
    assert meta.author == "Айгерим Тлеубаева"


def test_a_photo_credit_with_a_copyright_sign_is_not_the_sites_holder() -> None:
    from knowledge.webholder import brand_name, copyright_holder

    assert copyright_holder(["Karvon", "© Karvon / Фарход Рашидов", "Текст.", "© 2026 Karvon"]) == "Karvon"
    lines = ["Eurasian Customs Cooperation Commission", "Home", "Text.", "© 2026 Commission"]
    assert brand_name(copyright_holder(lines), lines) == "Eurasian Customs Cooperation Commission"


def test_a_line_a_greedy_wrap_would_have_filled_is_not_a_cut_line() -> None:
    deck = [
        "The turbines on the Ustyurt plateau are spinning, but much of the power",
        "they could generate has nowhere to go, and the operator says the grid link",
        "to Kungrad will not be ready before the end of the year, which means the",
        "farm sells less than half of what it could. Officials promise a new line.",
    ]
    page = "\n".join(["Uzbekistan: Chinese-built wind farm runs into a grid bottleneck", *deck])
    paras = paragraphs(page)
    assert paras[0] == "Uzbekistan: Chinese-built wind farm runs into a grid bottleneck"
    assert paras[1].startswith("The turbines") and paras[1].endswith("Officials promise a new line.")
