"""Pure question/sentence signals used by the reader, in English, Russian and Chinese."""

from __future__ import annotations

import pytest

from knowledge.askedkinds import question_kinds
from knowledge.evidence import (
    figure_offsets,
    focus_coverage,
    place_coverage,
    satisfies_kind,
    sentence_kinds,
    target_mismatch,
    unmentioned,
    year_relation,
    years_in,
)
from knowledge.metaquestions import meta_question
from knowledge.models import Chunk, DocumentMeta, Passage
from knowledge.signals import profile_question
from knowledge.vocabulary import gazetteer, lexicon, places_in


@pytest.mark.parametrize(
    ("question", "kind"),
    [
        ("What year did the BRI start?", "date"),
        ("В каком году основали ШОС?", "date"),
        ("中吉乌铁路什么时候开工？", "date"),
        ("How much did the dry port expansion cost?", "money"),
        ("Сколько стоит проект?", "money"),
        ("这个项目投资多少？", "money"),
        ("Сколько стоил тоннель?", "money"),
        ("Во сколько обошлась реконструкция?", "money"),
        ("How much was spent on the upgrade?", "money"),
        ("修这条路花费了多少？", "money"),
        ("Какая цена за тонну?", "money"),
        ("风电项目的上网电价是多少？", "money"),
        ("How many tunnels does the road have?", "count"),
        ("Сколько тоннелей на участке?", "count"),
        ("隧道有几座？", "count"),
        ("How long is the railway?", "length"),
        ("How deep does the tunnel run?", "length"),
        ("Какова высота перевала над уровнем моря?", "length"),
        ("口岸海拔多少米？", "length"),
        ("Какова протяженность дороги?", "length"),
        ("What share of the gas comes from Turkmenistan?", "percent"),
        ("Who heads the secretariat?", "person"),
        ("Где находится база?", "place"),
        ("How long does a container train take from Xi'an to Almaty?", "duration"),
        ("Сколько часов фуры стоят на границе?", "duration"),
        ("班列运行需要多久？", "duration"),
        ("How big is the new training building?", "quantity"),  # a size in any unit (area, money…)
        ("Какова площадь теплиц?", "area"),
        ("实训楼面积有多大？", "area"),
    ],
)
def test_kinds_in_three_languages(question: str, kind: str) -> None:
    assert kind in question_kinds(question)


def test_standing_is_not_costing() -> None:
    # "стоят" (trucks stand) shares its stem with "стоит/стоил" (costs, cost)
    assert "money" not in question_kinds("Сколько часов фуры стоят на границе?")
    assert "money" not in question_kinds("Где стоял памятник?")
    assert "money" not in question_kinds("Как оценили проект эксперты?")


def test_money_needs_a_currency_not_just_a_big_number() -> None:
    assert not satisfies_kind(frozenset({"money"}), "The route can handle 6 million tons.")
    assert satisfies_kind(frozenset({"money"}), "Trade bordered on $90 billion last year.")
    assert satisfies_kind(frozenset({"money"}), "贸易额达1063亿美元。")
    assert satisfies_kind(frozenset({"money"}), "Проект оценивается в 4,7 млрд долларов.")
    assert satisfies_kind(frozenset({"length"}), "Its length is roughly 523 kilometers.")
    assert not satisfies_kind(frozenset({"length"}), "Work starts on December 27.")
    assert not satisfies_kind(frozenset({"count"}), "The line opened in 2023.")
    assert satisfies_kind(frozenset({"count"}), "The road has five tunnels.")


def test_money_cues_are_not_adjectives_or_people() -> None:
    assert question_kinds("In which city will the Chinese-funded laboratory be?") == {"place"}
    assert question_kinds("Who are the investors?") == {"person"}
    assert question_kinds("How much funding did the bank provide?") == {"money"}
    assert question_kinds("How much did China invest in Kazakhstan?") == {"money"}


def test_a_unit_kind_replaces_the_bare_number_kinds() -> None:
    assert question_kinds("How many hectares of cotton were sown?") == {"area"}
    assert question_kinds("How many days does the trip take?") == {"duration"}
    assert question_kinds("How long is the railway?") == {"length"}
    assert question_kinds("When did the line open?") == {"date"}


@pytest.mark.parametrize(
    ("kind", "sentence"),
    [
        ("money", "A full truckload now costs around USD 3,800."),
        ("money", "The loan is worth RMB 2 billion."),
        ("duration", "Now the average wait is about six hours."),
        ("duration", "Ожидание на границе сократилось до 6 часов."),
        ("duration", "运输时间缩短至7天。"),
        ("area", "The building covers 1,800 square metres."),
        ("area", "二期实训楼面积1800平方米。"),
        ("area", "Теплицы займут 12 гектаров."),
        # a four-digit amount followed by its unit is not a year
        ("count", "二期实训楼面积1800平方米。"),
        ("count", "The new line runs 1800 km."),
    ],
)
def test_sentence_kinds_by_unit(kind: str, sentence: str) -> None:
    assert satisfies_kind(frozenset({kind}), sentence)


@pytest.mark.parametrize(
    ("kind", "sentence"),
    [
        ("duration", "The line opened in 2023 after years of talks."),
        ("area", "The plant opened in Almaty in 2024."),
        ("money", "The route can handle 6 million tons."),
        ("count", "In 2024 trade grew."),
    ],
)
def test_sentence_kinds_do_not_fire_without_the_unit(kind: str, sentence: str) -> None:
    assert not satisfies_kind(frozenset({kind}), sentence)


def test_places_cross_languages_and_the_short_railway_name() -> None:
    assert places_in("Казахстан и ШОС") == {"Kazakhstan", "SCO"}
    assert "SCO" not in places_in("the disco was closed")
    assert {"China", "Kyrgyzstan", "Uzbekistan"} <= places_in("中吉乌铁路")
    # the Central Asian side first, as Kazakh and Kyrgyz sources write it
    assert "Kazakhstan" in places_in("哈中天然气管道")
    assert "Kyrgyzstan" in places_in("吉中两国贸易额")
    assert place_coverage(frozenset({"China", "Uzbekistan"}), "Uzbekistan's strategy") == 1.0
    assert place_coverage(frozenset({"China", "Uzbekistan"}), "Kazakhstan's strategy") == 0.0
    assert place_coverage(frozenset({"Brazil", "Argentina"}), "China–Central Asia trade rose.") == 0.0


def test_a_dimension_asked_is_part_of_the_focus() -> None:
    # depth, altitude and width are lengths, but a tunnel's length does not answer its depth
    focus = profile_question("How deep below the mountain does the tunnel run?").focus
    assert {"depth", "tunnel"} <= focus
    assert focus_coverage(focus, "The tunnel is 12.7 km long.") < 1.0
    assert focus_coverage(focus, "The tunnel runs at a depth of up to 1,200 metres.") == 1.0
    assert "altitude" in profile_question("伊尔克什坦口岸海拔多高？").focus
    # "how high" asks about prices and rates as often as heights
    assert not profile_question("How high are the prices?").focus & {"altitude"}


def test_focus_is_matched_across_languages() -> None:
    focus = profile_question("Сколько тоннелей построят?").focus
    assert focus, "the lexicon must know tunnels"
    assert focus_coverage(focus, "The section has five tunnels.") == 1.0
    assert focus_coverage(focus, "The section has 14 bridges.") == 0.0
    revenue = profile_question("What was the dry port's revenue in 2025?").focus
    assert focus_coverage(revenue, "The port handled 412,300 TEU of containers.") < 1.0


@pytest.mark.parametrize(
    ("question", "field"),
    [
        ("Who wrote the article about the Khorgos dry port?", "author"),
        ("Кто автор статьи о тоннеле?", "author"),
        ("这篇报道的作者是谁？", "author"),
        ("What is the headline of the piece on Line D?", "title"),
        ("Which outlet published the story about the solar plant?", "publisher"),
        ("When was the article on the Luban Workshop published?", "published"),
        ("How many tunnels are there?", ""),
        ("When did the railway open?", ""),
        ("Какого числа агентство опубликовало новость о терминале?", "published"),
        ("Когда открыли терминал на Иркештаме?", ""),
        ("Кто взял интервью у директора центра?", "author"),  # the interviewer wrote the piece
        ("这篇采访是谁采访的？", "author"),
        ("Who interviewed the workers at the site?", ""),  # a question about the story
        ("Какой Telegram-канал написал о рекорде Хоргоса?", "publisher"),
        ("Какой канал орошения построили?", ""),  # a canal, not a channel
        ("《中国与中亚绿色氢能合作》是什么时候发布的？", "published"),  # 《…》 quotes the work's title
        ("which news agency ran the story about tourists?", "publisher"),
        ("Which body published the update on the green channel?", "publisher"),
        ("Which company built the plant?", ""),
        ("Когда на сайте вышел репортаж о тоннеле?", "published"),
        ("关于学生实习的那条新闻是哪天发布的？", "published"),
        ("那篇说合作没有放缓迹象的评论是几号发的？", "published"),  # colloquial: "what day was it put out"
        ("贸易额几号公布？", ""),  # no piece named: a figure's release, not a document's
        ("when was the Silk Road finance site's article on the Karatau phase II wind farm grid connection "
         "published?", "published"),
        ("Who reported the wire story on the pipeline deal?", "author"),
        ("Who reported the 2024 trade figure?", ""),  # a source, not a byline
        ("Which government website published the news about the tractors?", "publisher"),
    ],
)
def test_metadata_questions(question: str, field: str) -> None:
    assert meta_question(question) == field


@pytest.mark.parametrize(
    ("question", "asked"),
    [
        ("Do the sources agree on the length of the railway?", True),
        ("What different figures are given for the cost of Line D?", True),
        ("Is there a discrepancy in the reported trade figures?", True),
        ("Сходятся ли данные о товарообороте?", True),
        ("Источники расходятся в оценке длины дороги?", True),
        ("关于中吉乌铁路的长度，各方说法一致吗？", True),
        ("两个来源的数字有出入吗？", True),
        ("What did China and Kazakhstan agree on?", False),
        ("How do the two railways differ?", False),
        ("Какие расходы на строительство дороги?", False),
        ("各方一致同意了什么？", False),
        ("今年一季度经霍尔果斯口岸出入境的旅客有多少？", False),
    ],
)
def test_questions_asking_whether_sources_disagree(question: str, asked: bool) -> None:
    assert profile_question(question).conflict is asked


def test_current_versus_target() -> None:
    profile = profile_question("What is Kazakhstan's renewable share now?")
    assert target_mismatch(profile, "Kazakhstan aims for 15% renewables by the end of the decade.")
    assert not target_mismatch(profile_question("What is the goal?"), "It aims for 15% by 2030.")


def test_years_relative_to_the_document_date() -> None:
    assert years_in("double-digit growth this year and $90 billion last year", "2024-07-24") == {2024, 2023}
    assert year_relation(frozenset({2024}), "21.3% over January-November 2023", "2023-12-01") == -1
    assert year_relation(frozenset({2024}), "growth in the first four months of this year", "2024-07-24") == 1
    assert year_relation(frozenset({2024}), "a sentence with no year", "") == 0


def test_follow_up_detection() -> None:
    from knowledge.engine import is_follow_up

    for text in ("and in 2023?", "What about Kazakhstan?", "а в 2023 году?", "那2023年呢？", "In 2023?"):
        assert is_follow_up(text), text
    for text in ("What is the Trans-Caspian International Transport Route?", "Когда основали ШОС?"):
        assert not is_follow_up(text), text


def test_vocabulary_filter_finds_what_every_pattern_finds() -> None:
    """The key filter in front of the gazetteer and lexicon patterns changes speed, not results."""
    texts = [
        "Грузы идут через Алашанькоу и Хоргос в Ляньюньган.",
        "阿拉山口口岸每天换装6000吨粮食，中吉乌铁路开工。",
        "The China–Kyrgyzstan–Uzbekistan railway will have 41 tunnels; U.S. and SCO observers came.",
        "Сколько тоннелей построят на КУК и какова выручка сухого порта?",
    ]
    for vocab in (gazetteer(), lexicon()):
        for text in texts:
            low = text.casefold()
            every = {vocab.entries[i].name for i, p in enumerate(vocab.patterns) if p.search(low)}
            assert every, text
            filtered = {vocab.entries[i].name for i in vocab.candidates(low) if vocab.patterns[i].search(low)}
            assert filtered == every


def test_unmentioned_places_are_places_on_the_map_named_in_no_passage() -> None:
    meta = DocumentMeta(title="Xi'an trains", source="Desk", author="", date="2025-07-01", lang="en")
    chunk = Chunk(chunk_id="c", doc_id="d", position=0, meta=meta,
                  text="1,200 freight trains left Xi'an for Central Asia under the SCO framework.")
    passages = [Passage(chunk=chunk, score=1.0)]
    assert unmentioned(frozenset({"Jiaozhou", "Xi'an", "China"}), passages) == {"Jiaozhou"}
    # routes and organisations are not places: the SCO or the Middle Corridor may go unnamed
    assert unmentioned(frozenset({"TITR", "BRI"}), passages) == frozenset()
    # a passage in another language names the place in its own script
    zh = Chunk(chunk_id="z", doc_id="z", position=0, meta=meta, text="上半年从西安开出的中亚班列达1200列。")
    assert unmentioned(frozenset({"Xi'an"}), [Passage(chunk=zh, score=1.0)]) == frozenset()


@pytest.mark.parametrize(
    "question",
    [
        "What interest rate does the Chinese loan carry?",
        "Под какой процент банки кредитуют фермеров?",
        "Какова ставка НДС на импорт?",
        "这笔贷款的年利率是多少？",
        "What share of the trade is settled in yuan?",
        "去年贸易额的增长率是多少？",
    ],
)
def test_a_rate_or_a_share_asks_for_a_percentage_not_a_sum(question: str) -> None:
    assert question_kinds(question) == {"percent"}


@pytest.mark.parametrize(
    "question",
    ["How much is the tuition fee?", "At what tariff will the wind farm sell its power?",
     "Какая плата за обучение?", "По какому тарифу продают электроэнергию?", "学生每年学费是多少？",
     "一个标准箱运费多少？"],
)
def test_fees_tariffs_and_fares_ask_for_money(question: str) -> None:
    assert question_kinds(question) == {"money"}


def test_power_is_not_a_rate() -> None:
    assert "percent" not in question_kinds("电站装机功率多少兆瓦？")


def test_arrival_date_and_year_questions_are_read_as_dates() -> None:
    # "прибыл" (arrived) is not "прибыль" (profit); "какого числа" asks a date; "在哪一年" a year
    assert question_kinds("Когда на терминал прибыл первый поезд из Сианя?") == {"date"}
    assert question_kinds("Какого числа запустили завод?") == {"date"}
    assert question_kinds("管道计划在哪一年前把输送能力提高到每年2000万吨？") == {"date"}
    assert question_kinds("Какова прибыль компании?") == {"money"}
    assert question_kinds("会议在哪举行？") == {"place"}


def test_a_quantity_in_tens_of_thousands_is_not_a_year() -> None:
    assert not profile_question("输送能力提高到每年2000万吨").years
    assert profile_question("2025年的贸易额是多少？").years


@pytest.mark.parametrize(
    "question",
    ["Во сколько раз вырос товарооборот с 1992 года?", "How many times did bilateral trade grow since 1992?",
     "中国与中亚贸易额增长了多少倍？", "By what factor did the investment increase?"],
)
def test_a_multiple_is_asked_not_the_amount_it_multiplies(question: str) -> None:
    # "товарооборот" and "贸易额" alone ask for money; asked how many times it grew, the ratio is the answer
    assert question_kinds(question) == {"multiple"}


def test_how_many_times_without_a_comparison_is_a_count() -> None:
    assert question_kinds("How many times has the summit met?") == {"count"}


@pytest.mark.parametrize(
    ("sentence", "says"),
    [("Trade rose 100-fold since diplomatic ties were set up.", True), ("Оборот вырос в 2,3 раза.", True),
     ("贸易额增长了3倍。", True), ("Exports doubled in five years.", True), ("Оборот вырос утром.", False),
     ("Trade rose by $3 billion.", False)],
)
def test_a_sentence_states_a_multiple(sentence: str, says: bool) -> None:
    assert satisfies_kind(frozenset({"multiple"}), sentence) is says


@pytest.mark.parametrize(
    ("question", "kinds"),
    [
        ("2024年中亚天然气管道向中国输送了多少天然气？", {"count"}),  # 天然气 (gas) is not 天 (days)
        ("Какой будет суммарная мощность каскада ГЭС?", {"quantity"}),  # "суммарная" is not "сумма"
        ("Сколько пустых вагонов порой стоит на станции?", {"count"}),  # wagons stand, they do not cost
        ("Сколько будет стоить билет на электропоезд?", {"money"}),
        ("Сколько проектов Китай профинансировал с 2013 года?", {"count"}),  # projects counted, not paid
        ("Сколько инвестиций привлекли?", {"money"}),
        ("How large was the panda bond?", {"quantity"}),  # a size in any unit, not an area
        ("With drip irrigation, how much water does a hectare of cotton need?", {"quantity"}),
        ("副司长叫什么名字？", {"person"}),
        ("Who invested in the plant?", {"person"}),
        ("中方在合资企业占多少股份？", {"percent"}),
        ("海关是怎么把通关时间压缩下来的？", set()),  # 时间 (time) alone does not ask when
        ("Сколько в среднем тратит турист за поездку?", {"money"}),  # spending is money …
        ("На что тратят время водители?", set()),  # … spending time is not
    ],
)
def test_question_kinds_read_the_asked_thing(question: str, kinds: set[str]) -> None:
    assert question_kinds(question) == kinds


@pytest.mark.parametrize(
    ("kind", "sentence"),
    [("duration", "The plants pass to the state after 30 years of operation."),
     ("duration", "It went from a signed agreement to first power in 19 months."),
     ("duration", "每次入境停留不超过30日。"), ("money", "The grid pays 5.6 US cents per kilowatt-hour."),
     ("money", "It was built at a cost of 36 million U.S. dollars."),
     ("area", "Центр площадью 120 тыс. кв. метров откроют в 2026 году.")],
)
def test_sentence_kinds_years_months_days_and_cents(kind: str, sentence: str) -> None:
    assert satisfies_kind(frozenset({kind}), sentence)


def test_a_date_is_not_a_duration_and_gas_is_not_days() -> None:
    assert not satisfies_kind(frozenset({"duration"}), "会议于2025年3月18日举行。")
    assert not satisfies_kind(frozenset({"duration"}), "管道输送了432亿立方米天然气。")


@pytest.mark.parametrize(
    "question",
    ["Which goods went from China to Central Asia via Khorgos?", "Какие товары везут через Хоргос?",
     "哪些商品增长最快？", "Какая компания строила электростанцию?", "哪家企业承建了电站？"],
)
def test_a_category_asked_for_is_the_answers_kind_not_its_subject(question: str) -> None:
    # "wheat went via Khorgos" answers "which goods": the sentence need not say "goods"
    profile = profile_question(question)
    assert not profile.focus & {"goods", "company"} and profile.head not in ("goods", "company")


def test_a_category_counted_is_still_the_subject() -> None:
    assert "company" in profile_question("How many companies were added to the register?").focus


@pytest.mark.parametrize(
    "sentence",
    [
        "3月初的陕西杨凌，基地的温室里，来自吉尔吉斯斯坦的学员正在学习滴灌技术。",
        "A twice-weekly passenger train between Semey and Tacheng was introduced on 16 May 2025.",
        "ALMATY, Kazakhstan, March 3, 2026 -- TengriFreight JSC announced the launch of the service.",
        "Поезд прибыл в Алматы 15 мая в 10:42.",
        "The report was published on 07.10.2025 in Astana.",
    ],
)
def test_the_days_and_times_of_a_date_are_not_counts(sentence: str) -> None:
    assert not sentence_kinds(sentence) & {"count", "quantity"}
    assert figure_offsets(sentence) == ()


@pytest.mark.parametrize(
    "sentence",
    ["共安装62台风电机组，于2024年9月开工建设。", "On 3 March the first train carried 46 containers.",
     "15 мая отгружено 12 вагонов зерна."],
)
def test_a_figure_beside_a_date_is_still_a_count(sentence: str) -> None:
    assert {"count", "quantity"} <= sentence_kinds(sentence)
    assert len(figure_offsets(sentence)) >= 1


@pytest.mark.parametrize(
    ("question", "kinds"),
    [
        ("how long is the power purchase agreement for the wind farm", {"duration"}),
        ("how long is the railway", {"length"}),
        ("насколько сократилось время доставки груза из Сианя в Баку", {"duration"}),
        ("сколько теперь занимает дорога до Кашгара", {"duration"}),
        ("购电协议签多少年？", {"duration"}),
        ("какой аналитик комментировал цены на машины", {"person"}),
        ("which expert commented on the tariff", {"person"}),
        ("by how much can sellers cut logistics costs", {"money", "percent"}),
        ("How is the railway financed?", set()),
        ("喀什海关是怎么把通关时间压缩下来的？", set()),
        ("路线图覆盖哪几年？", {"date"}),
        ("сколько стоит доставка контейнера", {"money"}),
    ],
)
def test_question_kinds_terms_delays_people_and_ways(question: str, kinds: set[str]) -> None:
    assert question_kinds(question) == frozenset(kinds)


@pytest.mark.parametrize(
    "sentence",
    ["Ответ должен быть направлен в течение 30 календарных дней.", "Payment is due within 30 calendar days.",
     "政府为大型新能源项目提供期限25年的购电协议。"],
)
def test_durations_in_calendar_days_and_chinese_years(sentence: str) -> None:
    assert "duration" in sentence_kinds(sentence)


def test_a_year_is_not_a_duration() -> None:
    assert "duration" not in sentence_kinds("2025年产量增长了12%。")


@pytest.mark.parametrize(
    ("question", "kinds"),
    [
        ("За сколько китайцы покупают долю в Коктасе?", {"money"}),
        ("почем билет на автобус Ош — Кашгар", {"money"}),
        ("почему компания решила продать долю китайскому инвестору", set()),
        ("how big is the new training centre, in sq m?", {"area"}),
        ("какая часть урожая черешни пропадает по пути", {"percent"}),
        ("за сколько часов доезжает автобус", {"duration"}),
    ],
)
def test_question_kinds_prices_reasons_areas_and_parts(question: str, kinds: set[str]) -> None:
    assert question_kinds(question) == frozenset(kinds)
