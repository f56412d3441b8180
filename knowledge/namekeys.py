"""Names across scripts: "Tamdy", "Тамды" and "塔姆迪" are one place, written three ways.

The gazetteer knows the places it lists; a page about a solar park, a mine or a border post names
places it does not (Tamdy, Karabulak, Kulma, Bazar-Korgon). A question in another language then
writes that name in its own script, and neither the dense model nor the word index connects the
two. A *name key* is what such spellings share: the word in Latin letters (Cyrillic by
``text.romanised``, Chinese by its pinyin from ``anyascii``), its consonants only, in broad classes
(r/l, p/b/f/v/w, t/d, the sibilants, k/g/h), so "Tamdy" → "dmd", "塔姆迪" (ta-mu-di) → "dmd",
"Karabulak" and "卡拉布拉克" (ka-la-bu-la-ke) → "klblk".

A key is loose, so it is only ever used for names: capitalised words the question's gazetteer
does not know (``signals``), or in Chinese a run of the characters Chinese uses to write foreign
names. ``NameKeys`` maps keys to the words of the lexical index written in Latin or Cyrillic letters, and
``foreign_name_forms`` turns a question's names into those words, for the lexical search in the
other languages (``retrieval``).
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from difflib import SequenceMatcher

from knowledge.text import CJK, romanised, script_of

# characters of the standard Chinese transliteration of foreign names (阿拉木图, 塔什干, 卡拉布拉克)
TRANSLITERATION = frozenset(
    "阿埃艾爱安昂奥巴拜班邦鲍贝本比彼宾波伯布查察达戴丹道德迪蒂丁杜顿多厄恩尔法菲费芬弗福盖甘冈戈格"
    "根古哈海汉豪赫亨胡霍基吉加贾杰捷喀卡凯坎康考科克肯库奎拉莱赖兰朗劳勒雷里利林卢鲁伦罗洛马迈曼"
    "芒梅门蒙米敏莫姆穆纳奈南瑙内尼纽努诺帕潘佩彭皮珀普奇齐恰乔切钦琼丘萨塞桑瑟森沙尚舍什斯松苏"
    "索塔泰坦汤特提廷图托瓦万旺威韦维温沃乌西希谢辛休雅亚扬耶伊因尤扎泽詹兹佐别阔买楚克孜"
)
_CHINESE_NAME = re.compile(f"[{''.join(sorted(TRANSLITERATION))}]{{2,}}")
_DIGRAPHS = (("shch", "s"), ("kh", "k"), ("zh", "s"), ("sh", "s"), ("ch", "s"), ("ts", "s"))
_CLASSES = str.maketrans("rpfvwtzcxjqgh", "lbbbbdssssskk", "aeiouy")
MIN_KEY = 3  # consonants: shorter keys match too many words
MIN_LIKENESS = 0.65  # difflib ratio of the two spellings in Latin letters


def latin(word: str) -> str:
    """A word in lower-case Latin letters only: Cyrillic romanised, Chinese as pinyin."""
    if CJK.search(word):
        from anyascii import anyascii

        return re.sub(r"[^a-z]", "", anyascii(word).lower())
    return re.sub(r"[^a-z]", "", romanised(word))


def name_key(word: str) -> str:
    """The consonant skeleton of a name in any of the three scripts ("" when it has too few)."""
    spelled = latin(word)
    for digraph, sound in _DIGRAPHS:
        spelled = spelled.replace(digraph, sound)
    key = re.sub(r"(.)\1+", r"\1", spelled.translate(_CLASSES))
    return key if len(key) >= MIN_KEY else ""


def alike(a: str, b: str) -> bool:
    """Two spellings close enough, vowels included, to be one name ("tamudi", "tamdi"; not
    "tomato"): a shared key alone matches too many common words."""
    return SequenceMatcher(None, latin(a), latin(b)).ratio() >= MIN_LIKENESS


def chinese_names(text: str) -> tuple[str, ...]:
    """Runs of transliteration characters in Chinese text: the foreign names it may write."""
    return tuple(_CHINESE_NAME.findall(text))


@dataclass(frozen=True, kw_only=True)
class NameKeys:
    """Name keys of an index's Latin and Cyrillic words: key -> the words, per script."""

    by_key: dict[str, dict[str, tuple[str, ...]]]

    @classmethod
    def build(cls, vocabulary: Iterable[str]) -> NameKeys:
        found: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
        for word in vocabulary:
            if len(word) >= 4 and not CJK.search(word) and not word.isdigit() and (key := name_key(word)):
                found[key][script_of(word)].append(word)
        return cls(by_key={k: {s: tuple(w) for s, w in v.items()} for k, v in found.items()})

    def words(self, name: str, lang: str, most: int = 4) -> list[str]:
        """The index's words in the other scripts that share ``name``'s key."""
        scripts = self.by_key.get(name_key(name), {})
        found = (w for script, words in sorted(scripts.items()) if script != lang for w in words)
        return [w for w in found if alike(name, w)][:most]


def question_names(question: str, lang: str, capitalised: Iterable[str]) -> list[str]:
    """The names a question writes: its unknown capitalised words split at hyphens (en/ru), or its
    runs of transliteration characters (zh)."""
    if lang == "zh":
        return list(chinese_names(question))
    return [part for name in capitalised for part in re.split(r"[-‐–]", name) if part]


def foreign_name_forms(names: Iterable[str], lang: str, keys: NameKeys) -> str:
    """The question's names as the index writes them in the other scripts, for lexical search."""
    return " ".join(dict.fromkeys(w for name in names for w in keys.words(name, lang)))
