"""BM25 (bm25s) over chunk texts, with a tokenizer that handles English, Russian and Chinese.

bm25s's default tokenizer keeps a run of Chinese characters as one token, so a Chinese question
never matches; here CJK text becomes character unigrams and bigrams, Latin and Cyrillic words are
lower-cased and stemmed (Snowball via PyStemmer), and common stopwords are dropped.
The index is derived data: it is saved beside the store with the manifest generation it was
built from, and rebuilt from the store whenever that generation moves.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import sys
import uuid
from collections.abc import Iterable, Sequence
from functools import cached_property, lru_cache
from pathlib import Path
from typing import Any

import numpy as np

from knowledge.lextopk import postings_of, scores_for, top_k_positive
from knowledge.namekeys import NameKeys
from knowledge.text import CJK, CJK_CHARS, CYRILLIC

_TOKEN = re.compile(f"[{CJK_CHARS}]+|[^\\W_]+", re.UNICODE)

_STOPWORD_TEXT = """
a an and are as at be by did do does for from had has have how in into is it its of on or
that the their there these this those to was were what when where which who why will with
would about after also than then they them can could been being our your you we i me my и
в во не что он на я с со как а то все она так его но да ты к у же вы за бы по только ее
мне было вот от меня еще нет о из ему теперь когда даже ну ли если уже или ни быть был
него до вас нибудь опять уж вам ведь там потом себя ничего ей может они тут где есть надо
ней для мы тебя их чем была сам чтобы без будто чего раз тоже себе под будет ж тогда кто
этот того потому этого какой совсем ним здесь этом один почти мой тем чтобы нее сейчас
были куда зачем всех никогда можно при наконец два об другой хоть после над больше тот
через эти нас про всего них какая много разве три эту моя впрочем хорошо свою этой перед
иногда лучше чуть том нельзя такой им более всегда конечно всю между каком каком году
каких какие 的 了 和 是 在 有 我 他 这 那 们 个 中 上 也 就 都 而 及 与 或 吗 呢 什么 哪些 哪个 多少
"""
STOPWORDS = frozenset(_STOPWORD_TEXT.split())


@lru_cache(maxsize=2)
def _stemmer(lang: str) -> Any:
    import Stemmer  # PyStemmer

    return Stemmer.Stemmer(lang)


def tokenize(text: str) -> list[str]:
    """Lexical tokens for BM25: stems for Latin/Cyrillic words, unigrams+bigrams for CJK runs."""
    tokens: list[str] = []
    for match in _TOKEN.finditer(text.lower()):
        piece = match.group(0)
        if CJK.match(piece):
            tokens.extend(ch for ch in piece if ch not in STOPWORDS)
            tokens.extend(piece[i : i + 2] for i in range(len(piece) - 1))
        elif piece in STOPWORDS or (len(piece) == 1 and not piece.isdigit()):
            continue
        elif CYRILLIC.search(piece):
            tokens.append(_stemmer("russian").stemWord(piece))
        else:
            tokens.append(_stemmer("english").stemWord(piece))
    return tokens


@lru_cache(maxsize=8192)
def sentence_tokens(text: str) -> tuple[str, ...]:
    """``tokenize(text)``, remembered: the reader tokenizes the same retrieved sentences question
    after question (8192 sentences, a few MB at most; the index build calls ``tokenize``)."""
    return tuple(tokenize(text))


class LexicalIndex:
    """A BM25 index over chunk ids; ``search`` returns (chunk_id, score) best first."""

    def __init__(self, ids: Sequence[str], retriever: Any, generation: int) -> None:
        self.ids = list(ids)
        self._bm25 = retriever
        self.generation = generation
        self._postings = postings_of(retriever) if retriever is not None and self.ids else None

    @cached_property
    def name_keys(self) -> NameKeys:
        """The name keys of the index's Latin and Cyrillic words (built on first use)."""
        return NameKeys.build(self._bm25.vocab_dict if self._bm25 is not None else ())

    @classmethod
    def build(cls, items: Iterable[tuple[str, str]], generation: int) -> LexicalIndex:
        import bm25s

        ids: list[str] = []
        corpus: list[list[str]] = []
        for chunk_id, text in items:
            ids.append(chunk_id)
            # interned: a large index holds each distinct token string once, not once per use
            corpus.append([sys.intern(t) for t in tokenize(text)] or ["\u2400"])
        retriever = bm25s.BM25()
        if corpus:
            retriever.index(corpus, show_progress=False)
        return cls(ids, retriever, generation)

    def reference_search(self, query: str, k: int) -> list[tuple[str, float]]:
        """bm25s's own ``retrieve``: what ``search`` equals up to the order of tied scores (tests,
        benchmarks, and index variants the fast path does not reproduce)."""
        known = [t for t in tokenize(query) if t in self._bm25.vocab_dict]
        if not self.ids or not known:
            return []
        docs, scores = self._bm25.retrieve([known], k=min(k, len(self.ids)), show_progress=False)
        return [(self.ids[int(d)], float(s)) for d, s in zip(docs[0], scores[0], strict=True) if s > 0]

    def search(self, query: str, k: int) -> list[tuple[str, float]]:
        tokens = tokenize(query)
        if not self.ids or not tokens:
            return []
        known = [t for t in tokens if t in self._bm25.vocab_dict]
        if not known:
            return []
        k = min(k, len(self.ids))
        if self._postings is None:  # an index variant the fast path does not reproduce
            return self.reference_search(query, k)
        # same scores as bm25s; top k among documents holding a query token, ties in document order
        dense = scores_for(self._postings, np.asarray(self._bm25.get_tokens_ids(known)))
        return [(self.ids[int(d)], float(s)) for d, s in zip(*top_k_positive(dense, k), strict=True)]

    def save(self, directory: Path) -> None:
        """Write atomically: a fresh version directory, then a pointer file swapped in by rename.

        A reader resolves the pointer once and loads one version, so it never mixes the ids of one
        generation with the BM25 arrays of another; the previous version is kept for such readers.
        """
        directory.mkdir(parents=True, exist_ok=True)
        name = f"g{self.generation}-{uuid.uuid4().hex[:12]}"
        tmp = directory / f".{name}.tmp"
        tmp.mkdir()
        if self.ids:
            self._bm25.save(str(tmp), show_progress=False)
        (tmp / "ids.json").write_text(json.dumps({"generation": self.generation, "ids": self.ids}))
        tmp.rename(directory / name)
        previous = _current(directory)
        pointer = directory / f".{name}.current"
        pointer.write_text(name)
        os.replace(pointer, directory / _POINTER)
        for old in directory.iterdir():  # earlier versions and leftovers of interrupted saves
            if old.name not in (name, previous, _POINTER):
                shutil.rmtree(old, ignore_errors=True) if old.is_dir() else old.unlink(missing_ok=True)

    @classmethod
    def load(cls, directory: Path) -> LexicalIndex | None:
        """The saved index, or None when absent or unreadable (the caller rebuilds)."""
        try:
            version = directory / _current(directory)
            meta = json.loads((version / "ids.json").read_text())
            ids, generation = list(meta["ids"]), int(meta["generation"])
            if not ids:
                return cls([], None, generation)
            import bm25s

            retriever = bm25s.BM25.load(str(version), show_progress=False)
            if int(retriever.scores["num_docs"]) != len(ids):
                return None
            return cls(ids, retriever, generation)
        except Exception:  # derived data: whatever is wrong with it, rebuilding fixes it
            return None


_POINTER = "CURRENT"


def _current(directory: Path) -> str:
    """The version directory the pointer names ("" when there is none)."""
    try:
        name = (directory / _POINTER).read_text().strip()
    except OSError:
        return ""
    return name if name and "/" not in name and not name.startswith(".") else ""
