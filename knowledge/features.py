"""Candidate answer sentences and their features for the fitted scorer (pure functions).

A candidate is one sentence of a retrieved passage. Its features say how close it is to the
question (semantic z-score, cosine, word overlap, retrieval rank) and whether it carries what
the question asks for (focus concepts, answer kind, places, years, names). ``scorer`` turns
them into the probability that the sentence states the answer; the weights are fitted on the
tuning split by ``scripts/fit_reader.py``.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from knowledge.evidence import (
    focus_coverage,
    has_head,
    head_near_figure,
    names_missing,
    place_conflict,
    place_coverage,
    satisfies_kind,
    target_mismatch,
    term_coverage,
    year_relation,
)
from knowledge.lexical import sentence_tokens, tokenize
from knowledge.models import Passage
from knowledge.periods import period_relation
from knowledge.signals import QuestionProfile
from knowledge.text import word_count
from knowledge.vocabulary import GENERIC_PLACES

FEATURES: tuple[str, ...] = (
    "sem_z",
    "raw",
    "passage_z",
    "lexical",
    "rank",
    "focus",
    "focus_context",
    "has_focus",
    "has_place",
    "head",
    "head_context",
    "head_near_figure",
    "terms",
    "same_lang",
    "xcos",
    "kind_asked",
    "kind_ok",
    "places",
    "places_context",
    "place_conflict",
    "year_match",
    "year_other",
    "period_match",
    "period_other",
    "names_missing",
    "target_mismatch",
    "length",
    # relative to the best of all candidates for the same question: ranking needs comparisons
    "sem_gap",
    "raw_gap",
    "focus_gap",
    "terms_gap",
)
_RELATIVE = {"sem_gap": "sem_z", "raw_gap": "raw", "focus_gap": "focus", "terms_gap": "terms"}

# the answer gate reads the best candidate, its score, its lead over the runner-up, and whether
# any retrieved sentence carries both the question's focus and the kind of answer asked for
_GATE_BEST = ("raw", "sem_z", "focus", "head", "head_near_figure", "kind_ok", "places_context",
              "names_missing", "year_other", "place_conflict", "period_other", "has_focus", "has_place",
              "kind_asked", "same_lang", "xcos")
GATE_FEATURES: tuple[str, ...] = (
    "best_logit", "margin", "any_focus_kind", "any_head_kind", *(f"best_{f}" for f in _GATE_BEST)
)


@dataclass(frozen=True, kw_only=True)
class Candidate:
    """One sentence of a retrieved passage, its features and (once scored) its probability."""

    passage: Passage
    sentence: str
    rank: int
    features: np.ndarray
    probability: float = 0.0

    @property
    def doc_id(self) -> str:
        return self.passage.chunk.doc_id

    def feature(self, name: str) -> float:
        return float(self.features[FEATURES.index(name)])


def bigrams(tokens: Sequence[str]) -> set[str]:
    """Adjacent token pairs, so a phrase match ("last year", "trade volume") counts more."""
    return {f"{a} {b}" for a, b in itertools.pairwise(tokens)}


@lru_cache(maxsize=8192)
def sentence_grams(sentence: str) -> frozenset[str]:
    """A sentence's tokens and bigrams, remembered (retrieved sentences recur across questions)."""
    tokens = sentence_tokens(sentence)
    return frozenset(tokens) | bigrams(tokens)


def question_tokens(question: str) -> set[str]:
    tokens = tokenize(question)
    return set(tokens) | bigrams(tokens)


def candidate_features(
    *,
    profile: QuestionProfile,
    q_tokens: set[str],
    sentence: str,
    passage: Passage,
    rank: int,
    semantic: float,
    cosine: float,
) -> np.ndarray:
    """The feature vector of one sentence (order: ``FEATURES``); ``xcos`` is filled in by
    ``with_cross`` when the reader has a second encoder."""
    chunk = passage.chunk
    context = f"{chunk.meta.title} {chunk.text}"
    same_lang = float(profile.lang == (chunk.meta.lang or "en"))
    lexical = len(q_tokens & sentence_grams(sentence)) / len(q_tokens) if q_tokens else 0.0
    year = year_relation(profile.years, sentence, chunk.meta.date)
    period = period_relation(profile.periods, sentence)
    values = (
        semantic,
        cosine,
        passage.dense_z,
        lexical * same_lang,
        1.0 / (1 + rank),
        focus_coverage(profile.focus, sentence),
        focus_coverage(profile.focus, context),
        float(bool(profile.focus)),
        float(bool(profile.places - GENERIC_PLACES)),
        float(has_head(profile, sentence)),
        float(has_head(profile, context)),
        float(head_near_figure(profile, sentence)),
        term_coverage(profile.terms, sentence) * same_lang,
        same_lang,
        0.0,  # xcos: ``with_cross``
        float(bool(profile.kinds)),
        float(bool(profile.kinds) and satisfies_kind(profile.kinds, sentence)),
        place_coverage(profile.places, sentence),
        place_coverage(profile.places, context),
        float(place_conflict(profile.places, sentence)),
        float(year > 0),
        float(year < 0),
        float(period > 0),
        float(period < 0),
        float(names_missing(profile.names, context)) * same_lang,
        float(target_mismatch(profile, sentence)),
        math.log1p(word_count(sentence)),
        *(0.0 for _ in _RELATIVE),  # filled in by ``relative_features`` over all candidates
    )
    return np.asarray(values, dtype=np.float64)


def relative_features(features: np.ndarray) -> np.ndarray:
    """Fill the gap columns of all candidates of one question: each value minus the best one."""
    out = features.copy()
    for gap, base in _RELATIVE.items():
        column = features[:, FEATURES.index(base)]
        out[:, FEATURES.index(gap)] = column - column.max()
    return out


def foreign(features: np.ndarray) -> np.ndarray:
    """Indices of the candidates in another language than the question."""
    return np.flatnonzero(features[:, FEATURES.index("same_lang")] == 0)


def with_cross(features: np.ndarray, cosines: np.ndarray) -> np.ndarray:
    """Candidates' rows with ``xcos`` set: the second encoder's cosine of question and sentence for
    a sentence in another language than the question (0 for the others)."""
    out = features.copy()
    out[:, FEATURES.index("xcos")] = cosines * (1.0 - features[:, FEATURES.index("same_lang")])
    return out


def _logit(p: float) -> float:
    p = min(max(p, 1e-6), 1 - 1e-6)
    return math.log(p / (1 - p))


def gate_features(probabilities: np.ndarray, features: np.ndarray) -> np.ndarray:
    """The gate's feature row (order: ``GATE_FEATURES``) for candidates sorted best first: their
    probabilities and their feature rows."""
    best = _logit(float(probabilities[0]))
    second = _logit(float(probabilities[1])) if len(probabilities) > 1 else _logit(0.0)
    focus = features[:, FEATURES.index("focus")]
    asked = features[:, FEATURES.index("kind_asked")] > 0
    kind = np.where(asked, features[:, FEATURES.index("kind_ok")], 1.0)
    head = features[:, FEATURES.index("head")]
    row = np.asarray((best, best - second, (focus * kind).max(), (head * kind).max()), dtype=np.float64)
    return np.concatenate([row, features[0, [FEATURES.index(f) for f in _GATE_BEST]]])
