"""Text copied out of a PDF viewer: page breaks, headings, tables, figures, the cover's people and
dates. Pure functions on short texts written here."""

from __future__ import annotations

from knowledge.bylines import labelled_author
from knowledge.pdftext import strip_pages
from knowledge.weblines import paragraphs
from knowledge.webpage import clean_web_text

WRAPPED = [
    "Customs data are transmitted electronically to the Chinese, Kyrgyz and Uzbek authorities at",
    "least 24 hours before the cargo reaches each border, which allows risk",
]


def test_a_paragraph_runs_on_across_the_blank_line_of_a_page_break() -> None:
    page = "\n".join([
        "Nomad Gate Logistics Group — Press Release",
        *WRAPPED,
        "1 Average for services routed via Dostyk and Saryagash, company data.",
        "Nomad Gate Logistics Group LLC · 18 Amir Temur Street, Tashkent",
        "1/2",
        "",
        "Nomad Gate Logistics Group — Press Release",
        "assessment to be completed while the train is still on its way to Kashgar. The operator said",
        "it would add a second weekly departure next spring if demand from importers kept growing.",
        "Nomad Gate Logistics Group LLC · 18 Amir Temur Street, Tashkent",
        "2/2",
    ])
    body, _ = clean_web_text(page)
    assert "which allows risk assessment to be completed" in body
    assert "Press Release" not in body and "1/2" not in body


def test_a_heading_after_a_full_line_of_prose_is_not_joined_to_it() -> None:
    lines = [
        "По оценкам авторов, при устранении логистических ограничений экспорт зерна мог бы",
        "вырасти до 4–4,5 млн тонн в год уже к 2027 году, а доля Китая в нём превысить треть.",
        "2. Динамика и структура экспорта",
        "В сезоне 2023/24 года Казахстан отправил в Китай 1,56 млн тонн пшеницы, что почти вдвое",
        "больше, чем сезоном ранее; ячмень и масличные культуры заняли остальную часть объёма.",
    ]
    paras = paragraphs("\n".join(lines))
    assert paras[0].endswith("превысить треть.")
    assert "2. Динамика и структура экспорта" in paras


def test_table_rows_stay_rows_and_a_number_spaced_in_thousands_goes_on() -> None:
    rows = paragraphs("Грузовые ТС, тыс. ед. 55,6 68,4 +23,0\nв т. ч. «Торугарт» 29,1 35,9 +23,4")
    assert rows == ["Грузовые ТС, тыс. ед. 55,6 68,4 +23,0", "в т. ч. «Торугарт» 29,1 35,9 +23,4"]
    prose = paragraphs("Строительство каскада из четырёх станций начнётся весной, сообщили в министерстве\n"
                       "энергетики. Каскад включает четыре станции общей установленной мощностью 1 120\n"
                       "МВт. Их среднегодовая выработка составит около 4,3 млрд кВт·ч электроэнергии.")
    assert len(prose) == 1


def test_chinese_prose_cut_before_a_figure_goes_on_but_a_date_line_stays_apart() -> None:
    table = ["表1 2024年主要陆路口岸货运量", "口岸 货运量（万吨） 同比增长（%）", "霍尔果斯 3120 14.2"]
    cut = paragraphs("\n".join(["农产品进口增长较快，全年自中亚进口小麦、大麦、油籽等农产品",
                                 "186万吨，同比增长27.6%。", *table]))
    assert cut[0] == "农产品进口增长较快，全年自中亚进口小麦、大麦、油籽等农产品186万吨，同比增长27.6%。"
    plus = paragraphs("\n".join(["第三，支持企业依托中欧班列和公路口岸发展“集拼",
                                  "+分拨”模式，在喀什布局分拨中心。", *table]))
    assert plus[0] == "第三，支持企业依托中欧班列和公路口岸发展“集拼+分拨”模式，在喀什布局分拨中心。"
    top = ["您当前的位置：首页 > 丝路 > 正文", "中塔合资纺织园二期投产 年加工棉花能力达12万吨",
           "2025年04月08日 09:30　来源：西域商报", "作者：李晓峰"]
    assert "中塔合资纺织园二期投产 年加工棉花能力达12万吨" in paragraphs("\n".join(top))


def test_footnote_marks_go_but_a_figure_keeps_its_decimals() -> None:
    page = "\n".join([
        "口岸 货运量（万吨） 同比增长（%）",
        "霍尔果斯 3120 14.2",
        "Transit reached 46 per cent.2 Imports were steady.",
        "2 Survey of 86 member companies.",
        "第1页",
        "第2页",
    ])
    cleaned = strip_pages(page)
    assert "霍尔果斯 3120 14.2" in cleaned
    assert "46 per cent. Imports" in cleaned


def test_a_titled_headline_and_its_standfirst_are_two_lines_and_the_dateline_dates_it() -> None:
    page = "\n".join([
        "Nomad Gate Logistics Group",
        "Home › Newsroom › Press releases",
        "Nomad Gate Opens Weekly Multimodal Service Between Xi'an and Tashkent",
        "Rail–road–rail route via the Irkeshtam crossing cuts average transit time to nine days",
        "",
        "Tashkent / Xi'an, 6 November 2024 – Nomad Gate Logistics Group, one of",
        "Uzbekistan's largest private freight operators, today announced the launch of a",
        "regular weekly multimodal service between the Xi'an International Inland Port",
        "and its Chukursay terminal in Tashkent. The service combines rail haulage from",
        "Xi'an to Kashgar, road transport across the Irkeshtam crossing into Kyrgyzstan,",
        "and a final rail leg from Osh to Tashkent through the Fergana Valley.",
    ])
    assert paragraphs(page)[2:4] == [
        "Nomad Gate Opens Weekly Multimodal Service Between Xi'an and Tashkent",
        "Rail–road–rail route via the Irkeshtam crossing cuts average transit time to nine days"]
    body, meta = clean_web_text(page)
    assert meta.title == "Nomad Gate Opens Weekly Multimodal Service Between Xi'an and Tashkent"
    assert meta.date == "2024-11-06"
    assert body.startswith("Tashkent / Xi'an, 6 November 2024")


def test_the_cover_names_its_authors_and_dates_the_document() -> None:
    assert labelled_author(["Авторы: А. Б. Жумабаев, Е. В. Корнилова"]) == "А. Б. Жумабаев, Е. В. Корнилова"
    cover = "\n".join([
        "STEPPE CROSSROADS INSTITUTE",
        "Dry Ports and Digital Corridors",
        "Dana Seitkali and Martin Oakes",
        "18 February 2025",
        "Container traffic through the Khorgos land port on the Kazakhstan–China border has almost",
        "tripled since 2019, yet exporters in Kazakhstan capture only a small share of the value.",
    ])
    assert clean_web_text(cover)[1].author == "Dana Seitkali and Martin Oakes"
    russian = "\n".join([
        "О работе автомобильных пунктов пропуска «Торугарт» и «Иркештам» в I полугодии 2024 года",
        "г. Бишкек 22 июля 2024 г.",
        "В январе — июне 2024 года через оба пункта пропуска проследовало 68,4 тыс. грузовых машин.",
    ])
    assert clean_web_text(russian)[1].date == "2024-07-22"
