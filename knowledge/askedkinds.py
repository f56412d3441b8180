"""The kind of answer a question asks for (pure functions): an amount of money, a share, a length,
a duration, an area, a date, a count, a quantity, a multiple, a person or a place, read from cues
in English, Russian and Chinese. ``signals.profile_question`` puts it in the question's profile;
``evidence.sentence_kinds`` reads the same kinds off a sentence."""

from __future__ import annotations

import re

# answer kind -> cue in the question (en / ru / zh). Order matters: see ``profile_question``.
_KIND_CUES: tuple[tuple[str, re.Pattern[str]], ...] = (
    (
        "money",
        re.compile(
            r"how much money|\bcost|\bprice|\bworth\b|\binvest(?!or)|\bfunding\b|\bgrant|\bloan"
            r"|\brevenue|\bbudget|\bfees?\b|\btuition|\bfares?\b|\brent\b|\bsalar(?:y|ies)|\bwages?\b|\btariffs?\b"
            r"|\bprofit|\bincome|\bturnover|trade volume|\bvalue of|\bdollars?\b|\byuan\b"
            r"|\bhow expensive|\bspen[dt]\b"
            r"|стоимост|(?:сколько|дорого|дешевле|дороже)\s+"
            r"(?:(?:же|будет|будут|в итоге|примерно|всего|сейчас|теперь|обычно)\s+)?стои[тл]"
            r"|обош(?:[её]л|л[аио])сь|обойд[её]тся|\bцен(?:а|ы|у|ой|е)\b|инвест|финанс|грант|кредит|займ|выручк"
            r"|\bтрат(?:ит|ят|ил|ила|или|ы|а|у)\b(?!\s+врем)|потратил|\bпоч[её]м\b"
            r"|доход|прибыль|прибылью|прибыльн|прибылей|бюджет|товарооборот|объ[её]м торгов"
            r"|сколько денег|долларов|юаней|на какую сумму|\bсумм[аеуы]\b|\bплат[аыуе]\b|тариф|зарплат|пошлин"
            r"|多少钱|投资|成本|造价|费用|花费|耗资|价格|电价|售价|单价|票价|收入|营收|利润|资金|贷款|赠款|援助|美元|人民币|货值|价值|产值|学费|运费|收费|租金|工资|薪|关税"
            r"|(?<![名份])额(?!外)",  # 金额, 贸易额, 交易额, 进出口额: an amount of money
            re.IGNORECASE,
        ),
    ),
    # a rate is a share: "interest rate", "процентная ставка", "年利率", "增长率" (not 功率, power)
    ("percent", re.compile(r"per ?cent|percentage|\bshare\b|\bstakes?\b|%|持股|股比|股份"
                           r"|\bwhat (?:part|portion|fraction) of\b|как(?:ая|ую) част[ьи]\b|几成|多大比例"
                           r"|процент|дол[яию]|\bставк|占比|百分|比例|比重|份额"
                           r"|\b(?:interest|tax|royalty|growth|inflation|unemployment|utili[sz]ation|occupancy"
                           r"|loss|discount|duty|tariff) rates?\b"
                           r"|利率|税率|费率|增长率|增速|增幅|降幅|涨幅|利用率|占有率|覆盖率|损耗率|年息",
                           re.I)),
    (
        "length",
        re.compile(r"how long is|\blength|how far|how many (km|kilomet|miles)"
                   r"|how (?:deep|tall|wide)\b|\b(?:depth|height|altitude|elevation|width)\b"
                   r"|протяж|длин|глубин|высот|ширин"
                   r"|多长|长度|多远|多少公里|多深|深度|高度|海拔|多宽|宽度", re.I),
    ),
    (
        "duration",
        re.compile(r"how long (?:does|did|do|will|would|can|could|has|have|had|must|should)\b"
                   r"|how many (?:hours|days|weeks|minutes)|how much time"
                   r"|как долго|сколько (?:времени|часов|дней|суток|минут|недель)"
                   r"|за сколько (?:часов|дней|суток)|сколько (?:лет|месяцев)|на какой срок"
                   r"|сколько (?:теперь )?занима"
                   # the time of a journey, a delivery or a wait, however asked ("насколько сократилось
                   # время доставки", "how much shorter is the transit time", "通关时间缩短了多少")
                   r"|(?:врем\w*|срок\w*) (?:в пути|доставк\w*|ожидани\w*|прохождени\w*|оформлени\w*"
                   r"|перевозк\w*)"
                   r"|\b(?:delivery|transit|travel|journey|waiting|wait|clearance|lead|turnaround) times?\b"
                   r"|(?:运输|通关|等待|运行|行驶|旅行|交货)时间|多少年|(?<!哪)几年|期限"
                   r"|多久|多长时间|多少(?:小时|天(?!然)|分钟|周)|几(?:个小时|天(?!然)|分钟|周)", re.I),
    ),
    (
        "area",
        re.compile(r"\barea\b|square (?:met|kilomet)|\bsq\.? ?(?:m|km|ft)\b|m²|km²|кв\.\s?(?:м|км)\b"
                   r"|(?<!\ba )(?<!\bper )(?<!\beach )hectare|acre"
                   r"|площад|(?<!на )(?<!с )гектар|квадратн|面积|(?<!每)公顷|平方米|平方公里"
                   r"|(?<![多每])亩", re.I),
    ),
    (
        "date",
        re.compile(
            r"what year|which year|\bwhen\b|what date|which month|in what month"
            r"|в каком году|когда|какого числа|в каком месяце|с какого|"
            r"哪一年|哪几年|哪年|什么时候|何时|哪天|几月|哪个月|日期|什么时间|哪个时间",
            re.I,
        ),
    ),
    (
        "count",
        # "какого числа" asks a date, not a count
        re.compile(r"how many|сколько|多少|(?<!哪)几(?!乎)|number of|the count of|(?<!какого )числ[оа]"
                   r"|数量|数目", re.I),
    ),
    # a multiple ("grew 100-fold", "в 2,3 раза", "增长了3倍") is its own answer, whatever was multiplied:
    # "во сколько раз вырос товарооборот" asks a ratio, not a sum of money
    ("multiple", re.compile(r"\bby what factor\b|\bhow many[- ]fold\b|во сколько раз|в сколько раз"
                            r"|多少倍|几倍|\bhow many times\b(?=[^?]*\b(?:more|larger|bigger|higher|greater"
                            r"|as (?:much|many|big|large)|gr[eo]w|increas|ris[ei]|rose|expand|multipl))",
                            re.I)),
    ("quantity", re.compile(r"how much|how big|how large(?! a share)|\bvolume|\bcapacity|\btotal|объ[её]м"
                            r"|мощност|规模|容量|产能|总量|有多大", re.I)),
    ("person", re.compile(r"\bwho\b|\bwhom\b|which official|what is (?:his|her|the \w+'s) name"
                          r"|\b(?:which|what) (?:analyst|expert|economist|engineer|researcher|minister"
                          r"|spokes\w+)s?\b|\bкак(?:ой|ая|ого|ие) (?:аналитик|эксперт|экономист|инженер"
                          r"|специалист|министр|чиновник)"
                          r"|哪位|哪个(?:专家|官员|分析师|人)"
                          r"|\bкто\b|\bкем\b|\bкого\b|как (?:его |её |ее )?зовут"
                          r"|谁|哪位|叫什么(?:名字)?|什么名字|叫啥", re.I)),
    ("place", re.compile(r"\bwhere\b|which city|which province|which country|\bгде\b|\bкуда\b|в каком город"
                         r"|в какой стран|哪里|哪儿|在哪(?!一?年|天|个?月)|哪个城市|哪个省|哪个国家|何处",
                         re.I)),
)
NUMERIC_KINDS = frozenset({"money", "percent", "length", "duration", "area", "count", "quantity", "multiple"})
# a unit-bearing kind says more than "a number": it replaces count/quantity when both are cued
UNIT_KINDS = frozenset({"money", "percent", "length", "duration", "area"})

# counting things that are not money ("сколько проектов профинансировал", "how many projects were
# funded", "多少个项目"): a verb of paying does not make the answer a sum
_COUNTED = re.compile(
    r"\bhow many (?!(?:us |u\.s\. )?(?:dollars|yuan|euros?|tenge|roubles|rubles|soms?|usd|rmb)\b)[a-z]"
    r"|сколько\s+(?:[а-яё]+\s+)?(?!долл|юан|рубл|евро|сомов|денег|средств|инвест|кредит|займ|субсид|доход"
    r"|прибыл|выручк|пошлин|налог)[а-яё]+(?:ов|ев|ей|ий)\b"
    r"|多少(?:个|座|家|所|条|名|项|次|列|台|辆|位|架|套|批)",
    re.IGNORECASE,
)
_HOW_MUCH = re.compile(r"how much|сколько|多少", re.IGNORECASE)


def question_kinds(question: str) -> frozenset[str]:
    kinds = {kind for kind, cue in _KIND_CUES if cue.search(question)}
    if "multiple" in kinds:  # the ratio is asked, not the amount it multiplies
        kinds -= NUMERIC_KINDS - {"multiple"}
    if "count" in kinds and "money" in kinds and _COUNTED.search(question):
        kinds.discard("money")
    if "person" in kinds and not _HOW_MUCH.search(question):  # "who invested", "кто профинансировал"
        kinds.discard("money")
    if kinds & UNIT_KINDS:
        kinds -= {"count", "quantity"}
    if "percent" in kinds:  # "what share of trade", "the loan's interest rate": a share, not the sum
        kinds.discard("money")
    if "duration" in kinds:
        kinds.discard("date")
    if "count" in kinds:
        kinds.discard("quantity")
    if "date" in kinds and kinds & NUMERIC_KINDS and re.search(r"\bhow long\b", question, re.I):
        kinds.discard("date")
    if _MANNER.search(question) and not _HOW_MUCH.search(question):  # "怎么把通关时间压缩下来的": a way
        kinds -= NUMERIC_KINDS
    if _WHY.search(question):  # "почему решила продать долю": a reason, not the share
        kinds -= NUMERIC_KINDS
    if _PRICE_PAID.search(question):  # "за сколько покупают долю": the price, not the share
        kinds = (kinds - {"percent", "count", "quantity"}) | {"money"}
    if "length" in kinds and _TERM.search(question):  # "how long is the power purchase agreement"
        kinds = (kinds - {"length"}) | {"duration"}
    if "money" in kinds and _BY_HOW_MUCH.search(question):  # "by how much can sellers cut costs": or a share
        kinds.add("percent")
    return frozenset(kinds)


# how something is done, not how much: "how does the commentary want fees decided", "如何", "каким образом"
_MANNER = re.compile(
    r"^(?:\w+ )?how (?:does|do|did|will|would|can|could|should|is|are|was|were)\b"
    r"|怎么|怎样|如何|каким образом"
    r"|за сч[её]т чего|\bкак (?:удалось|именно|планируют|собираются|будут)",
    re.IGNORECASE,
)
_WHY = re.compile(r"^(?:\w+[,]?\s+)?(?:why|почему|зачем|отчего)\b|为什么|为何", re.IGNORECASE)
_PRICE_PAID = re.compile(r"\bза сколько\s+(?:[а-яё]+\s+){0,2}(?:покуп|купи|куп[ля]|прода|приобр|сда[её]т"
                         r"|арендо)|\bfor how much\b", re.IGNORECASE)
# what lasts rather than stretches: "how long is the agreement / the loan / the trip"
_TERM = re.compile(
    r"how long is (?:the |a |an |this |that |its )?(?:[\w-]+ ){0,3}(?:agreements?|contracts?|loans?|leases?"
    r"|terms?|concessions?|visas?|stays?|trips?|journeys?|flights?|rides?|waits?|delays?|programmes?|programs?"
    r"|courses?"
    r"|training|internships?|warranty|guarantee)\b",
    re.IGNORECASE,
)
# a change asked about, which a share states as well as a sum
_BY_HOW_MUCH = re.compile(r"\bby how much\b|(?:降低|减少|下降|节省|节约|压缩|提高|增加|增长)(?:了)?多少",
                         re.IGNORECASE)
