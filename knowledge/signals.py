"""What a question asks for (pure functions): its profile.

A similarity score alone cannot tell "the passage states it" from "the passage is on the topic",
so the reader also checks (``evidence``) that a candidate sentence carries
- the question's *focus* and *head concept*: the thing asked about (tunnels, a grant, revenue),
  as domain concepts that match across English, Russian and Chinese (``vocabulary.lexicon``) and,
  within one language, as word stems;
- the *kind* of answer asked for: an amount of money, a count, a percentage, a date, a length,
  a person or a place;
- the places and years the question names, and no "current vs. target" mismatch.
These signals become features of the fitted scorer (``features``); none of them decides alone.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from functools import lru_cache

from knowledge.lexical import STOPWORDS, tokenize
from knowledge.metaquestions import meta_question
from knowledge.periods import periods_in
from knowledge.text import CJK, MONTH_WORD, YEAR, detect_language
from knowledge.vocabulary import GENERIC_PLACES, MEASURE_CONCEPTS, concepts_in, gazetteer, lexicon, places_in

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
            r"|\bтрат(?:ит|ят|ил|ила|или|ы|а|у)\b(?!\s+врем)|потратил"
            r"|доход|прибыль|прибылью|прибыльн|прибылей|бюджет|товарооборот|объ[её]м торгов"
            r"|сколько денег|долларов|юаней|на какую сумму|\bсумм[аеуы]\b|\bплат[аыуе]\b|тариф|зарплат|пошлин"
            r"|多少钱|投资|成本|造价|费用|花费|耗资|价格|电价|售价|单价|票价|收入|营收|利润|资金|贷款|赠款|援助|美元|人民币|货值|价值|产值|学费|运费|收费|租金|工资|薪|关税"
            r"|(?<![名份])额(?!外)",  # 金额, 贸易额, 交易额, 进出口额: an amount of money
            re.IGNORECASE,
        ),
    ),
    # a rate is a share: "interest rate", "процентная ставка", "年利率", "增长率" (not 功率, power)
    ("percent", re.compile(r"per ?cent|percentage|\bshare\b|\bstakes?\b|%|持股|股比|股份"
                           r"|процент|дол[яию]|ставк|占比|百分|比例|比重|份额"
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
                   r"|за сколько (?:часов|дней|суток)"
                   r"|多久|多长时间|多少(?:小时|天(?!然)|分钟|周)|几(?:个小时|天(?!然)|分钟|周)", re.I),
    ),
    (
        "area",
        re.compile(r"\barea\b|square (?:met|kilomet)|(?<!\ba )(?<!\bper )(?<!\beach )hectare|acre"
                   r"|площад|(?<!на )(?<!с )гектар|квадратн|面积|(?<!每)公顷|平方米|平方公里"
                   r"|(?<![多每])亩", re.I),
    ),
    (
        "date",
        re.compile(
            r"what year|which year|\bwhen\b|what date|which month|in what month"
            r"|в каком году|когда|какого числа|в каком месяце|с какого|"
            r"哪一年|哪年|什么时候|何时|哪天|几月|哪个月|日期|什么时间|哪个时间",
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
                          r"|\bкто\b|\bкем\b|\bкого\b|как (?:его |её |ее )?зовут"
                          r"|谁|哪位|叫什么(?:名字)?|什么名字|叫啥", re.I)),
    ("place", re.compile(r"\bwhere\b|which city|which province|which country|\bгде\b|\bкуда\b|в каком город"
                         r"|в какой стран|哪里|哪儿|在哪(?!一?年|天|个?月)|哪个城市|哪个省|哪个国家|何处",
                         re.I)),
)
NUMERIC_KINDS = frozenset({"money", "percent", "length", "duration", "area", "count", "quantity", "multiple"})
# a unit-bearing kind says more than "a number": it replaces count/quantity when both are cued
UNIT_KINDS = frozenset({"money", "percent", "length", "duration", "area"})

# whether sources disagree is what is asked ("do the sources agree on…", "расходятся ли данные…",
# "各方说法一致吗"); a sentence reporting a disagreement carries the same words
DISAGREEMENT = re.compile(
    r"\b(?:disagree\w*|discrepanc\w*|conflicting|(?:in)?consistent|inconsistenc\w*|contradict\w*)\b"
    r"|\b(?:sources?|reports?|figures|estimates|numbers|data|accounts|outlets|documents|articles)\b"
    r"[^?.]{0,60}\b(?:agree|differ|match|vary|varies|compare)"
    r"|\bdifferent (?:\w+ )?(?:figures|numbers|estimates|values|data|accounts|versions)\b"
    r"|\bis there (?:any )?agreement\b|\bthe same in (?:every|all|each|both)\b|\bconsistently\b"
    r"|\bwhich (?:figure|number|one|source|estimate|date|total)s? (?:is|are)"
    r" (?:right|correct|true|accurate)\b"
    r"|\b(?:who|which sources?) says? what\b|\bwhat does each (?:side|source|report)\b|\bfar apart\b"
    r"|\b(?:don't|do not|doesn't|does not) (?:give|report|say|show|quote) the same\b"
    r"|\bdifferent (?:\w+ ){1,2}(?:quoted|mentioned|reported|cited|given)\b"
    r"|\b(?:two|several|conflicting|differing) (?:\w+ ){0,2}(?:figures|numbers|totals|estimates|versions)\b"
    r"|\b(?:figures|estimates|numbers)\b[^?]{0,80}\bby whom\b"
    r"|расхожден\w*|расход(?:ятся|ится|ились|илась)|противореч\w*|несоответств\w*"
    r"|разн\w* источник\w*|одинаков\w* ли|кому верить|по-разному|одно и то же|кто какую"
    r"|разн\w* (?:\w+ )?(?:данн|цифр|оценк|сведен|верси)\w*|(?:сходятся|совпадают|различаются|отличаются) ли"
    r"|(?:данные|цифры|оценки|источники|сведения)[^?.]{0,60}(?:сходятся|совпадают|различаются|отличаются)"
    r"|是否一致|一致吗|不一致|是否相同|相同吗|一样吗|说法(?:不同|不一|是否)|有(?:较大|很大|一些|什么)?出入|出入吗"
    r"|矛盾|差异|不同(?:的)?(?:数据|数字|说法|来源|报道)|有的说|哪个(?:来源|数字|说法|数据)?(?:说得)?(?:对|准确|正确)"
    r"|各(?:方|来源|媒体|报道)[^？?。]{0,20}(?:一致(?!同意|认为|通过|表示|决定)|不同|相同)",
    re.IGNORECASE,
)
_CURRENT = re.compile(
    r"\b(current|currently|now|today|at present)\b|сейчас|текущ|настоящее время|现在|目前|当前", re.I
)
# questions about the document itself: who wrote it, its headline, its publisher, its date
_QUESTION_WORDS = frozenset(
    """what which who whom whose when where why how many much is are was were did does do tell me about
    please the a an of in on to for with and or by from as at its it this that there their be been
    какой какая какое какие каков каково сколько кто где когда почему зачем как ли же это был была было были
    расскажи скажи пожалуйста про о об во на по для из до при у""".split()  # noqa: SIM905
)


@dataclass(frozen=True, kw_only=True)
class QuestionProfile:
    """What a question asks for."""

    lang: str
    kinds: frozenset[str]
    places: frozenset[str]
    years: frozenset[int]
    focus: frozenset[str]  # domain concepts asked about (language-independent)
    head: str  # the one focus concept the answer is about ("tunnel" in "how many tunnels …")
    terms: frozenset[str]  # content-word stems (compared within one language)
    names: tuple[str, ...]  # capitalised words the gazetteer does not know (en/ru)
    asks_current: bool = False
    periods: frozenset[str] = frozenset()  # spans within a year ("m1-m6" for the first half)
    meta: str = ""  # "author" | "title" | "publisher" | "published" | ""
    conflict: bool = False  # asks whether the sources give different values

    @property
    def numeric(self) -> bool:
        return bool(self.kinds & NUMERIC_KINDS)


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
    return frozenset(kinds)


def _capitalised_names(question: str, known: frozenset[str]) -> tuple[str, ...]:
    out = []
    tokens = re.findall(r"[^\W\d_][\w'’-]*", question)
    # words of the places the question names ("Central" of "Central Asia")
    place_words = {w for name in known if (p := gazetteer().get(name)) for f in p.forms for w in f.split()}
    for i, token in enumerate(tokens):
        if i == 0 or not token[0].isupper() or token.casefold() in _QUESTION_WORDS:
            continue
        if token.casefold() in place_words or MONTH_WORD.search(token):
            continue
        named = places_in(token)
        if named - GENERIC_PLACES or named & known or (token.isupper() and len(token) <= 4):
            continue
        out.append(token)
    return tuple(out)


# where the asked-for thing is named: right after the question word in English and Russian
# ("how many tunnels", "сколько тоннелей"), next to it in Chinese ("隧道有多少条", "多少条隧道")
_ASK_CUE = re.compile(
    r"\b(?:how (?:many|much|long|big|large)|what|which|who|whom|when|where)\b"
    r"|(?<!\w)(?:сколько|какой|какая|какое|какие|каков\w*|кто|когда|где|куда|во сколько)(?!\w)"
    r"|多少|几|什么|哪|谁|何时|多大|多长",
    re.IGNORECASE,
)


@lru_cache(maxsize=4096)
def head_concept(question: str) -> str:
    """The domain concept the question asks about: the first one after its question word (or the
    nearest one in Chinese, where the noun may come first); "" when there is none."""
    named = [(at, name) for at, name in lexicon().positions(question) if name not in MEASURE_CONCEPTS]
    cue = _ASK_CUE.search(question)
    if not named:
        return ""
    if cue is None:
        return named[0][1]
    if CJK.search(cue.group(0)):
        return min(named, key=lambda n: abs(n[0] - cue.start()))[1]
    after = [name for at, name in named if at >= cue.end()]
    return after[0] if after else named[-1][1]


# a category asked for ("which goods", "what company", "какие товары", "哪家企业") is the kind of the
# answer, not a subject the answer sentence must name: "wheat went via Khorgos" answers "which goods"
_ASKED_CATEGORY = {
    "goods": re.compile(r"\b(?:which|what)\s+(?:\w+\s+)?(?:goods|products?|commodit\w+|merchandise)\b"
                        r"|\bкак(?:ие|ой|ая|ую)\s+(?:\w+\s+)?(?:товар|продукц)"
                        r"|(?:哪些|什么|哪种|哪类)(?:商品|产品|货物)",
                        re.IGNORECASE),
    "company": re.compile(r"\b(?:which|what)\s+(?:\w+\s+)?(?:compan(?:y|ies)|firms?|enterprises?"
                          r"|corporations?)\b"
                          r"|\bкак(?:ая|ие|ую|ой)\s+(?:\w+\s+)?(?:компани|фирм|предприят|корпорац)"
                          r"|(?:哪家|哪些|什么|哪个)(?:企业|公司)", re.IGNORECASE),
}


def asked_categories(question: str) -> frozenset[str]:
    return frozenset(name for name, cue in _ASKED_CATEGORY.items() if cue.search(question))


def profile_question(question: str) -> QuestionProfile:
    places = places_in(question)
    categories = asked_categories(question)
    focus = concepts_in(question) - MEASURE_CONCEPTS - categories
    place_tokens = {t for p in places for t in tokenize(p)}
    terms = frozenset(
        t
        for t in tokenize(question)
        if t not in STOPWORDS and t not in _QUESTION_WORDS and t not in place_tokens and not t.isdigit()
    )
    return QuestionProfile(
        lang=detect_language(question),
        kinds=question_kinds(question),
        places=places,
        years=frozenset(int(y) for y in YEAR.findall(question)),
        focus=frozenset(focus),
        head="" if (head := head_concept(question)) in categories else head,
        terms=terms,
        names=_capitalised_names(question, places),
        asks_current=bool(_CURRENT.search(question)),
        periods=periods_in(question),
        meta=meta_question(question),
        conflict=bool(DISAGREEMENT.search(question)),
    )


def follow_up_profile(profile: QuestionProfile, previous: QuestionProfile) -> QuestionProfile:
    """A follow-up ("and in 2023?") keeps what it changes and inherits the rest."""
    return replace(
        profile,
        kinds=profile.kinds or previous.kinds,
        places=profile.places | previous.places,
        years=profile.years or previous.years,
        periods=profile.periods or previous.periods,
        focus=profile.focus | previous.focus,
        head=profile.head or previous.head,
        terms=profile.terms | previous.terms,
        meta=profile.meta or previous.meta,
    )
