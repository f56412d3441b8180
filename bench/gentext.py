"""Generated passages in English, Russian and Chinese for search-scaling benchmarks.

Not one text repeated: every passage is drawn afresh. English and Russian passages sample words
with their frequencies in the shared corpus (so common words are common and posting lists have a
realistic, Zipf-like spread); Chinese passages splice 2–6 character pieces of the corpus's Chinese
paragraphs. The mix is 70 % English, 20 % Russian, 10 % Chinese, like the bundled knowledge.
"""

from __future__ import annotations

import itertools
import random
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass

LANG_MIX = ("en",) * 7 + ("ru",) * 2 + ("zh",)
WORDS_PER_PASSAGE = (50, 110)
ZH_CHARS_PER_PASSAGE = (80, 160)


@dataclass(frozen=True, kw_only=True)
class Vocabulary:
    """Words with their corpus counts per language, and the Chinese paragraphs to splice."""

    words: dict[str, tuple[str, ...]]
    cum_weights: dict[str, tuple[int, ...]]
    zh_text: str


def vocabulary(paragraphs: list[tuple[str, str]]) -> Vocabulary:
    """Word frequencies of the en/ru paragraphs and the concatenated zh paragraphs."""
    counts: dict[str, Counter[str]] = {"en": Counter(), "ru": Counter()}
    zh: list[str] = []
    for lang, para in paragraphs:
        if lang == "zh":
            zh.append(para.replace(" ", ""))
        elif lang in counts:
            counts[lang].update(para.split())
    words = {lang: tuple(sorted(c)) for lang, c in counts.items()}
    cum = {lang: tuple(itertools.accumulate(counts[lang][w] for w in words[lang])) for lang in counts}
    return Vocabulary(words=words, cum_weights=cum, zh_text="".join(zh))


def passage(vocab: Vocabulary, lang: str, rng: random.Random) -> str:
    """One generated passage in ``lang``."""
    if lang == "zh":
        text, want, out = vocab.zh_text, rng.randint(*ZH_CHARS_PER_PASSAGE), []
        size = 0
        while size < want:
            start = rng.randrange(max(1, len(text) - 6))
            piece = text[start : start + rng.randint(2, 6)]
            out.append(piece)
            size += len(piece)
        return "".join(out)
    n = rng.randint(*WORDS_PER_PASSAGE)
    return " ".join(rng.choices(vocab.words[lang], cum_weights=vocab.cum_weights[lang], k=n))


def passages(vocab: Vocabulary, n: int, seed: int = 11) -> Iterator[tuple[str, str]]:
    """``n`` (language, passage) pairs, deterministic for a seed."""
    rng = random.Random(seed)
    for i in range(n):
        lang = LANG_MIX[i % len(LANG_MIX)]
        yield lang, passage(vocab, lang, rng)


SENTENCE_WORDS = (8, 20)
ZH_SENTENCE_CHARS = (14, 34)


def sentence(vocab: Vocabulary, lang: str, rng: random.Random) -> str:
    """One generated sentence in ``lang`` ending with a full stop, words stripped of punctuation;
    drawn again until ``split_sentences`` cuts it off the next sentence exactly (no "no." or
    "Co." read as an abbreviation), so a passage of such sentences splits back into them."""
    from knowledge.chunking import split_sentences

    while True:
        out = _sentence(vocab, lang, rng)
        if split_sentences(f"{out} Next one.")[0] == out:
            return out


def _sentence(vocab: Vocabulary, lang: str, rng: random.Random) -> str:
    if lang == "zh":
        text, want, out, size = vocab.zh_text, rng.randint(*ZH_SENTENCE_CHARS), [], 0
        while size < want:
            start = rng.randrange(max(1, len(text) - 6))
            piece = "".join(ch for ch in text[start : start + rng.randint(2, 6)] if ch.isalnum())
            out.append(piece)
            size += len(piece) or 1
        return "".join(out) + "。"
    words: list[str] = []
    while len(words) < SENTENCE_WORDS[0]:
        picked = rng.choices(vocab.words[lang], cum_weights=vocab.cum_weights[lang], k=SENTENCE_WORDS[1])
        words += ["".join(ch for ch in w if ch.isalnum()) for w in picked]
        words = [w for w in words if len(w) > 1]  # a lone letter before a full stop reads as an initial
    words = words[: rng.randint(*SENTENCE_WORDS)]
    return " ".join([words[0][:1].upper() + words[0][1:], *words[1:]]) + "."
