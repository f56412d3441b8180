"""Our web-copied fixture pages (eval/pages): metadata recovered, no furniture stored, no fragments.

The pages are written by the project in its own words around the structure of real news pages
(bylines, datelines, hard wraps, tag lines, related-headline lists, cookie notices, comment
forms); ``expected.jsonl`` beside them says what cleaning must recover and what it must drop.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from knowledge.loaders import load_document
from knowledge.text import SENTENCE_END

PAGES = Path(__file__).resolve().parents[1] / "eval" / "pages"
# held-out pages, written blind to the cleaning code (tests/pages/README.md)
HELD_OUT = Path(__file__).resolve().parent / "pages"


def _rows(root: Path) -> list[tuple[Path, dict[str, object]]]:
    return [
        (lang_dir, json.loads(line))
        for lang_dir in sorted(root.iterdir())
        if (lang_dir / "expected.jsonl").exists()
        for line in (lang_dir / "expected.jsonl").read_text(encoding="utf-8").splitlines()
        if line.strip()
    ]


ROWS = _rows(PAGES) + _rows(HELD_OUT)
# held-out pages the cleaner does not handle yet, each with why (strict: a fix shows as XPASS)
KNOWN_GAPS: dict[str, str] = {
    "zh-h52-zwgk-shangwubu-zhongya-nongchanpin-tongzhi.txt": (
        "a notice's introduction ending in a colon ('现就有关事项通知如下：') is joined with the numbered "
        "heading under it ('一、总体目标'): a short numbered heading is not yet told from a wrapped line"
    ),
    "en-h60-hkex-kunlun-zharma-copper-concentrator.txt": (
        "an exchange's PDF announcement: the cover reader takes lines in capitals for the issuer, so the "
        "title in capitals is passed over, and the issuing company is not told from the exchange's site"
    ),
    "ru-h63-silkmeridian-zapiska4-raschety-yuan.txt": (
        "a PDF note whose title wraps before a capitalised word ('…Центральной / Азии: итоги 2025 года') "
        "keeps only its first line; its publisher is read from the running header, not the cover"
    ),
    "ru-h58-rbe-hualong-dzhizak-zavod-elektromobilej.txt": (
        "the page dates itself '17 фев, 10:42' with no year: no date is guessed"
    ),
    "en-h62-telegram-silkroadfreightdesk-bakhty-terminal.txt": (
        "the channel's posts are dated 'Thursday 5 March' with no year: no date is guessed"
    ),
    "zh-h61-toutiao-siluxiaoguan-dongha-tongkuang.txt": (
        "a platform page: the account is recorded as the publisher (as for the other 头条/百家号 pages "
        "here), where this page's notes want the platform as publisher and the account as author"
    ),
    "zh-h69-baijiahao-xinjiang-diguan-wuzibiekesitan.txt": (
        "a 百家号 page: the account's category line ('农业领域创作者') is taken for the publisher, where the "
        "page's notes want the platform, and the account is not read as the author"
    ),
    "en-h65-steppeinform-shokpar-wind-farm-zhambyl.txt": (
        "the agency's masthead 'Steppeinform International News Agency' is kept longer than its short "
        "name, and the reporter's name under the headline (not beside the date) is not read"
    ),
    "ru-h64-kupets-kitai-med-koktas-sdelka.txt": (
        "a Kommersant-style page: the short headline ('Медь пошла на восток') loses to the longer lead "
        "under it, the publishing house's name is kept in full and the lone 'Ъ' mark is kept"
    ),
    "ru-h69-vk-tipichnyi-osh-avtobus-osh-kashgar.txt": (
        "a VK community post dated '4 мар в 18:20' with no year (no date is guessed); the community's "
        "description line is taken for its name"
    ),
    # ninth session, batches 24-25 (18 pages; 4 passed on first contact, 10 pass now)
    # ninth session, batches 26-27 (18 pages; 6 passed on first contact, 13 pass now)
    "en-h77-ectf-almaty-matchmaking-contracts.txt": (
        "an expo page: the fair's own dates are taken for the page's, where the notes want the date of "
        "the news item on it"
    ),
    "ru-h78-turan-temir-yol-kitaiskie-elektrovozy.txt": (
        "the company's name is recorded without its legal form and quotes ('Туран Темир Йўл'), where "
        "the notes want 'АО «Туран Темир Йўл»'"
    ),
    "zh-h77-sohu-changji-silu-gongfang-zhongya-xuesheng.txt": (
        "a 搜狐号 post: the portal's legal name ('Sohu.com Inc') is the publisher and the account is not "
        "read as the author, where the notes want 搜狐 and the account"
    ),
    "zh-h78-tencent-wuzibiekesitan-yaqizhan-touchan.txt": (
        "a 腾讯新闻 account's post: the account is recorded as the publisher (the convention for platform "
        "pages here), where the notes want the platform as publisher and the account as author"
    ),
    "zh-h80-pengpai-mahe-fanqie-wuzibieke.txt": (
        "a 澎湃号 government account's post: the account ('玛河发布') is not read as the author"
    ),
    "en-h70-prnewswire-tengri-cargo-zhetygen-dry-port.txt": (
        "a wire's press release: the wire's copyright holder is the publisher (as en-h50's notes want), "
        "where this page's notes want the issuing company under 'News provided by'"
    ),
    "en-h71-linkedin-tamdy-solar-park-lessons.txt": (
        "a LinkedIn article: the account is recorded as the publisher (the convention for platform "
        "pages here), where the page's notes want the platform as publisher and the person as author"
    ),
    "ru-h71-lj-pamir-dorogi-kulma-novaya-doroga.txt": (
        "a LiveJournal post: the journal's user name ('pamir_dorogi') is not read as the author"
    ),
    "zh-h72-wangyihao-hasakesitan-mianqian-youke.txt": (
        "a 网易号 post: 网易 is not known as a platform, so its company ('网易公司') is the publisher, "
        "where the page's notes want the platform and the account named after '来源'"
    ),
    "ru-h73-sfera-novosti-kazakhstan-pshenitsa-kitai.txt": (
        "an aggregator page: the aggregator is the publisher (as en-h45's notes want), where this "
        "page's notes want the outlet under 'Источник:'; its '5 марта, 11:20' has no year (none guessed)"
    ),
    "ru-h75-kase-dostyk-tranzit-terminal-kredit.txt": (
        "an exchange's disclosure page: the exchange (its copyright holder) is the publisher, where the "
        "notes want the issuing company"
    ),
    "zh-h73-weibo-huoerguosi-hezuo-zhongxin.txt": (
        "a 微博 post with no headline: the title is taken from a hashtag line, the account over the "
        "'3-6 10:21 来自 …' stamp is not read, and that stamp has no year"
    ),
    "zh-h74-ifeng-jierjisi-yisaike-fengdian.txt": (
        "a 凤凰网 reprint: the portal is the publisher (as for the other portal pages here), where the "
        "notes want the outlet under '来源'"
    ),
    "en-h82-adna-dostyk-altynkol-rail-freight.txt": (
        "an agency whose masthead is its acronym over its full name: the name is read without its 'News "
        "Agency' (as en-h65's notes want for 'Steppeinform International News Agency'), where this "
        "page's notes keep it"
    ),
    "en-h83-caspian-ledger-angren-copper-smelter-loans.txt": (
        "'By X in Tashkent and Y in Beijing' gives 'X, Y' (as en-h40's notes want for the same form), "
        "where this page's notes join the two names with 'and'"
    ),
    "en-h84-eurasian-grain-trader-kazakh-grain-china.txt": (
        "the sentence under an 'About the author' box ('X is the magazine's correspondent…') names the "
        "author and is stored as a paragraph, as the seed article's notes want its author's bio kept "
        "(tests/test_cleaning.py), where this page's notes want it dropped"
    ),
    "zh-h82-qinfeng-daily-changan-trains-central-asia.txt": (
        "a masthead '秦风网 | 秦风日报官方网站': the site (its copyright holder, 秦风网) is the publisher, "
        "where the notes want the newspaper named in '来源：' and in the masthead's 'official site of'"
    ),
    "zh-h84-xuefeng-tv-bukhara-wind-farm.txt": (
        "a broadcaster's site: the owner under '主办：' (雪峰广播电视台, as the earlier 主办 pages' notes "
        "want) is the publisher, where this page's notes want the channel of the masthead and of '来源：'"
    ),
}


def _case(lang_dir: Path, row: dict[str, object]) -> object:
    gap = KNOWN_GAPS.get(str(row["file"]))
    return pytest.param(lang_dir, row, id=str(row["file"]),
                        marks=[pytest.mark.xfail(strict=True, reason=gap)] if gap else [])


def _flat(text: str) -> str:
    return " ".join(text.split())


def test_fixture_pages_cover_three_languages() -> None:
    assert {d.name for d, _ in ROWS} == {"en", "ru", "zh"}
    assert len(_rows(PAGES)) >= 15 and len(_rows(HELD_OUT)) >= 261


@pytest.mark.parametrize(("lang_dir", "row"), [_case(d, row) for d, row in ROWS])
def test_page_is_cleaned(lang_dir: Path, row: dict[str, object]) -> None:
    doc = load_document(lang_dir / str(row["file"]))
    meta = doc.meta
    # whitespace is normalised (an ideographic space in a headline becomes a space)
    assert (_flat(meta.title), meta.source, meta.author, meta.date) == (
        _flat(str(row["title"])),
        row["publisher"],
        row["author"],
        row["date"],
    )
    assert meta.lang == lang_dir.name
    body = _flat(doc.text)
    kept = [f for f in row["furniture"] if _flat(str(f)) in body]  # type: ignore[attr-defined]
    assert not kept, kept
    lost = [c for c in row["content"] if _flat(str(c)) not in body]  # type: ignore[attr-defined]
    assert not lost, lost
    fragments = [p for p in doc.text.split("\n\n") if not SENTENCE_END.search(p.strip())]
    assert not fragments, fragments
