"""Cleaning rules added for the tenth session's held-out pages (tests/pages/*-h82 … h87), each on a
short page written here: bylines, captions, mastheads, dates and pager lines."""

from __future__ import annotations

from knowledge.webpage import clean_web_text, is_furniture

BODY = ("Kazakhstan and China signed an agreement on Tuesday to build a second grain terminal at the "
        "border, officials said. The terminal is to handle 1.2 million tonnes a year from 2027.\n\n"
        "The two sides will share the cost of about $85 million, according to the ministry.")
RU_BODY = ("Во вторник в Шымкенте открыли новый цех по сборке насосов для систем орошения. Проект "
           "обошёлся в 4,2 млрд тенге.\n\nНа предприятии работают 180 человек, сообщили в акимате.")


def test_a_correspondent_label_gives_the_author_and_an_operator_does_not() -> None:
    page = ("Степь ТВ\nНовости\nЦех насосов открыли в Шымкенте\n10.02.2026 19:40\n"
            f"Корреспондент: Алия Сарсенова\nОператор: Ерлан Досов\n\n{RU_BODY}")
    assert clean_web_text(page)[1].author == "Алия Сарсенова"


def test_a_name_over_the_authors_photo_credit_over_the_date_is_the_author() -> None:
    page = ("Город-Портал\nНовости\nЦех насосов открыли в Шымкенте при поддержке инвестора\n"
            f"Алия Сарсенова\nФото автора\n16 декабря 2025 г.\n\n{RU_BODY}")
    meta = clean_web_text(page)[1]
    assert (meta.author, meta.date) == ("Алия Сарсенова", "2025-12-16")


def test_a_caption_ending_in_its_outlet_and_photographer_is_not_the_headline() -> None:
    caption = ("Cranes over the terminal site near the border crossing, February 2026. "
               "The Steppe Ledger/Daniyar Omarov")
    page = ("The Steppe Ledger\nMarkets\nChina and Kazakhstan agree on second border grain terminal\n"
            f"By Dana Ospan\nMarch 4, 2026\n{caption}\n{BODY}")
    body, meta = clean_web_text(page)
    assert meta.title == "China and Kazakhstan agree on second border grain terminal"
    assert is_furniture(caption) and "Daniyar Omarov" not in body


def test_a_chinese_caption_ending_in_the_photographers_credit_is_not_the_headline() -> None:
    caption = "4月15日，满载货物的卡车在口岸排队等待通关。记者 李明 摄"
    page = (f"西部新闻\n打开APP\n\n口岸一季度出口汽车1.2万辆 同比增长三成\n\n西部新闻  2026-04-18 09:32\n\n"
            f"{caption}\n\n记者从海关获悉，今年一季度经口岸出口汽车1.2万辆，同比增长31%。\n\n"
            "其中新能源汽车4800辆，占比近四成。")
    assert clean_web_text(page)[1].title == "口岸一季度出口汽车1.2万辆 同比增长三成"


def test_the_slogan_under_a_masthead_over_its_menu_is_not_the_headline() -> None:
    page = ("GRAIN ROUTES\nThe monthly magazine for grain and oilseed trade from the Black Sea to the "
            "Pacific\nHome\nNews\nMarkets\nKazakh grain sales to China rise as new terminals open\n"
            f"18/02/2026\n\n{BODY}")
    assert clean_web_text(page)[1].title == "Kazakh grain sales to China rise as new terminals open"


def test_a_release_date_label_wins_over_dates_of_other_releases_listed_below() -> None:
    page = ("Transit Statistics Office\nStatistical release\nRail freight rose 9.4% in January–September\n"
            f"Release date: 14 October 2026, 10:00\n\n{BODY}\n\nOther releases\n"
            "Road freight, Q3 2026 (published 21 October 2026)")
    assert clean_web_text(page)[1].date == "2026-10-14"


def test_pager_links_with_arrows_are_furniture_and_a_numbered_headline_keeps_its_number() -> None:
    assert is_furniture("← Previous issue: #117 — Gas math and pipelines (16 June 2026)")
    assert is_furniture("Next issue: #119 — The border backlog, explained (30 June 2026) →")
    page = ("Steppe Letter\nArchive\n\n← Previous issue: #117 — Gas math and pipelines (16 June 2026)\n\n"
            "STEPPE LETTER · ISSUE #118 · 23 JUNE 2026\n\n#118: Cherries by air and cables by rail\n\n"
            f"By Harriet Lind\n\n{BODY}")
    meta = clean_web_text(page)[1]
    assert (meta.title, meta.source) == ("#118: Cherries by air and cables by rail", "Steppe Letter")


def test_an_owner_after_a_slash_in_the_copyright_line_is_not_the_publisher() -> None:
    page = ("GRAIN ROUTES\nNews\nKazakh grain sales to China rise as new terminals open\n18/02/2026\n\n"
            f"{BODY}\n\n© 2026 Grain Routes / Harvest Media Group. All rights reserved.")
    assert clean_web_text(page)[1].source == "Grain Routes"


def test_an_about_the_author_box_names_the_author_and_a_print_note_goes() -> None:
    note = "This article appears in the March 2026 print edition of Grain Routes."
    page = ("Grain Routes\nNews\nKazakh grain sales to China rise as new terminals open\n"
            f"Markets | Central Asia | 18/02/2026\n\n{BODY}\n\n{note}\n\nAbout the author\n"
            "Katya Mulda is Grain Routes' Central Asia correspondent, based in Astana.")
    body, meta = clean_web_text(page)
    assert meta.author == "Katya Mulda" and note not in body


def test_a_channels_plug_after_the_story_is_furniture_and_news_about_more_is_not() -> None:
    assert is_furniture("Больше новостей — в эфире «Степь ТВ» ежедневно в 19:00 и 21:00.")
    assert is_furniture("更多精彩请锁定西部卫视。")
    assert not is_furniture("Больше новостей о стройке появится позже, сообщили в акимате.")
    assert not is_furniture("更多信息显示，该项目投资5亿元。")
