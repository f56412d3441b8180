"""Readers turn retrieved passages into an answer. One interface, so that a generative reader (an
OpenAI-compatible endpoint, say) can later stand beside the extractive one without touching
retrieval or the bot: it takes a ``ReadContext`` and returns an ``Answer``.

The extractive reader quotes source sentences. Each sentence of the top passages is scored by
the fitted scorer (``scorer``) for the probability that it states what was asked; the best is
quoted when that probability clears the calibrated threshold, otherwise the reader declines (near
the threshold, showing the nearest sentence as such). Further sentences are added only when they
cover a part of the question the first leaves out, and "the sources differ" only when two
documents give different values for the same asked quantity (``answer.disagree``); a question
asking whether the sources disagree gets the disagreement when there is one (``answer.differing``).
"""

from __future__ import annotations

import threading
from abc import ABC, abstractmethod
from collections import OrderedDict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace

import numpy as np

from knowledge.answer import (
    NOT_STATED,
    abstention,
    build_answer,
    differing,
    disagree,
    document_asked,
    is_statement,
    joined,
    metadata_answer,
    parts_answer,
)
from knowledge.askedkinds import NUMERIC_KINDS, UNIT_KINDS
from knowledge.evidence import (
    adds_coverage,
    focus_coverage,
    satisfies_kind,
    unmentioned,
)
from knowledge.features import (
    Candidate,
    candidate_features,
    foreign,
    gate_features,
    question_tokens,
    relative_features,
    with_cross,
)
from knowledge.metaquestions import asks_figure
from knowledge.models import Answer, Passage
from knowledge.parts import part_profile, question_parts
from knowledge.scorer import Scorer, default_scorer
from knowledge.signals import QuestionProfile, profile_question

Normaliser = Callable[[np.ndarray, str, np.ndarray], np.ndarray]
SentenceVectors = Callable[[list[tuple[str, str]]], np.ndarray]


@dataclass(frozen=True, kw_only=True)
class ReadContext:
    """Everything a reader may use: the question, its profile and the retrieved passages."""

    question: str
    language: str
    profile: QuestionProfile
    passages: Sequence[Passage]
    query_vector: np.ndarray
    normalise: Normaliser | None = None
    # a question that asks several things: one context per part, each retrieved for its part
    # (empty: the parts, if any, are read from this context's passages)
    parts: Sequence[ReadContext] = ()


def part_contexts(ctx: ReadContext) -> tuple[ReadContext, ...]:
    """The parts of a question that asks several things, read from the whole question's passages
    (one context: the question asks one thing)."""
    parts = question_parts(ctx.question)
    if len(parts) == 1:
        return (ctx,)
    return tuple(replace(ctx, question=part, profile=part_profile(part, ctx.profile)) for part in parts)


class Reader(ABC):
    """Passages in, an Answer out."""

    name: str = "reader"

    @abstractmethod
    def read(self, ctx: ReadContext) -> Answer: ...

    def warm_up(self) -> None:  # noqa: B027 - optional hook, most readers need nothing
        """Load what the first question would otherwise pay for (nothing by default)."""


@dataclass(frozen=True, kw_only=True)
class CrossLingual:
    """A second encoder, for sentences in another language than the question: its question
    vector and its (cached) sentence vectors, keyed like the first encoder's."""

    query: Callable[[str], np.ndarray]
    vectors: SentenceVectors


@dataclass(frozen=True, kw_only=True)
class ReaderConfig:
    max_sentences: int = 3
    extra_margin: float = 0.35  # an added sentence scores within this of the best
    sentence_floor: float = 0.5  # and at least this (the balanced decision boundary)
    tie_margin: float = 0.05  # a runner-up this close to the best is quoted too: the scorer cannot tell
    cross_candidates: int = 8  # foreign sentences given the second encoder's opinion, the likeliest first
    nearest_share: float = 0.5  # a decline whose gate score reached this share of the threshold shows
    # the nearest sentence, marked as possibly not the answer


class VectorCache:
    """Sentence vectors: an LRU cache (thread-safe), then the store, then the model."""

    def __init__(
        self,
        embed: Callable[[list[str]], np.ndarray],
        stored: Callable[[list[tuple[str, str]]], dict[tuple[str, str], np.ndarray]] | None = None,
        size: int = 20000,
    ) -> None:
        if size < 1:
            raise ValueError("cache size must be positive")
        self._embed = embed
        self._stored = stored
        self._size = size
        self._cache: OrderedDict[tuple[str, str], np.ndarray] = OrderedDict()
        self._lock = threading.Lock()

    def __call__(self, keys: list[tuple[str, str]]) -> np.ndarray:
        with self._lock:
            found = {k: self._cache[k] for k in dict.fromkeys(keys) if k in self._cache}
        todo = [k for k in dict.fromkeys(keys) if k not in found]
        if todo:
            fetched = self._stored(todo) if self._stored is not None else {}
            missing = [k for k in todo if k not in fetched]
            if missing:
                fetched.update(zip(missing, self._embed([s for _, s in missing]), strict=True))
            found.update(fetched)
        with self._lock:
            for k, v in found.items():
                self._cache[k] = v
                self._cache.move_to_end(k)
            while len(self._cache) > self._size:
                self._cache.popitem(last=False)
        return np.vstack([found[k] for k in keys])

    def __len__(self) -> int:
        return len(self._cache)


class ExtractiveReader(Reader):
    """Quotes the sentences most likely to state the answer, or declines."""

    name = "extractive"

    def __init__(
        self,
        vectors: SentenceVectors,
        windows: Callable[[str], list[tuple[str, str]]],
        *,
        scorer: Scorer | None = None,
        config: ReaderConfig | None = None,
        cross: CrossLingual | None = None,
    ) -> None:
        self._vectors = vectors
        self._windows = windows
        self._cross = cross
        self._scorer = scorer
        self.config = config or ReaderConfig()

    def warm_up(self) -> None:
        _ = self.scorer
        profile_question("warm-up: how many tunnels were built in Kazakhstan in 2024?")
        if self._cross is not None:
            self._cross.query("warm-up")

    @property
    def scorer(self) -> Scorer:
        """The given scorer, else the packaged weights (read on first use)."""
        if self._scorer is None:
            self._scorer = default_scorer()
        return self._scorer

    @scorer.setter
    def scorer(self, scorer: Scorer) -> None:
        self._scorer = scorer

    def candidates(self, ctx: ReadContext) -> list[Candidate]:
        """Every quotable sentence of the first passages, scored, best first."""
        items = []
        for rank, passage in enumerate(ctx.passages):
            for own, window in self._windows(passage.chunk.text):
                if not is_statement(own):
                    continue
                # quote the previous sentence too when it names the subject this one leans on
                lean = focus_coverage(ctx.profile.focus, own) < focus_coverage(ctx.profile.focus, window) or (
                    own[:1].islower() and window != own
                )
                items.append((rank, passage, window if lean else own, own))
        if not items:
            return []
        raw = self._vectors([(p.chunk.doc_id, own) for _, p, _, own in items]) @ ctx.query_vector
        sims = raw.copy()
        if ctx.normalise is not None:
            for lang in {p.chunk.meta.lang for _, p, _, _ in items}:
                idx = [j for j, (_, p, _, _) in enumerate(items) if p.chunk.meta.lang == lang]
                sims[idx] = ctx.normalise(ctx.query_vector, lang, sims[idx])
        q_tokens = question_tokens(ctx.question)
        feats = relative_features(np.vstack(
            [
                candidate_features(
                    profile=ctx.profile,
                    q_tokens=q_tokens,
                    sentence=sentence,
                    passage=passage,
                    rank=rank,
                    semantic=float(sim),
                    cosine=float(cos),
                )
                for (rank, passage, sentence, _), sim, cos in zip(items, sims, raw, strict=True)
            ]
        ))
        probs = self.scorer.probabilities(feats)
        if self._cross is not None:  # the second opinion, for the likeliest foreign sentences
            feats = with_cross(feats, self._cross_cosines(ctx, [(p, own) for _, p, _, own in items],
                                                          foreign(feats), probs))
            probs = self.scorer.probabilities(feats)
        out = [
            Candidate(passage=p, sentence=s, rank=r, features=f, probability=float(pr))
            for (r, p, s, _), f, pr in zip(items, feats, probs, strict=True)
        ]
        return sorted(out, key=lambda c: -c.probability)

    def _cross_cosines(self, ctx: ReadContext, sentences: list[tuple[Passage, str]],
                       other: np.ndarray, first: np.ndarray) -> np.ndarray:
        """The second encoder's cosine for the sentences in another language than the question
        (``other``) that score best without it (``ReaderConfig.cross_candidates`` of them: the
        evidence of 98% of questions asked across languages is among the first 8), 0 for the rest."""
        out = np.zeros(len(sentences))
        if self._cross is None or not len(other):
            return out
        chosen = sorted(other.tolist(), key=lambda j: -first[j])[: self.config.cross_candidates]
        keys = [(sentences[j][0].chunk.doc_id, sentences[j][1]) for j in chosen]
        out[chosen] = self._cross.vectors(keys) @ self._cross.query(ctx.question)
        return out

    def read(self, ctx: ReadContext) -> Answer:
        parts = ctx.parts or part_contexts(ctx)
        if len(parts) <= 1:
            return self._read_one(ctx)
        # each part read on its own: every part gets its answer, or is named as not found
        answers = [self._read_one(part) for part in parts]
        quoted = [c.snippet for a in answers if not a.abstained for c in a.citations]
        # a part another part's sentence answers too ("how long is it" in "the 5,252-meter tunnel
        # cost $51.7 million") is not missing
        unanswered = [part.question for part, a in zip(parts, answers, strict=True)
                      if a.abstained and not (part.profile.kinds
                                              and any(satisfies_kind(part.profile.kinds, q) for q in quoted))]
        return parts_answer(question=ctx.question, answers=answers, unanswered=unanswered)

    def _read_one(self, ctx: ReadContext) -> Answer:
        if ctx.profile.meta and ctx.passages:
            about = metadata_answer(question=ctx.question, language=ctx.language, field=ctx.profile.meta,
                                    passage=document_asked(ctx.profile, ctx.passages, ctx.question))
            if not (ctx.profile.kinds & NUMERIC_KINDS and asks_figure(ctx.question)):
                return about
            # "what was the figure, and which newspaper printed it?": both parts
            content = self._read_one(replace(ctx, profile=replace(ctx.profile, meta="")))
            return about if content.abstained else joined(content, about)
        if unmentioned(ctx.profile.places, ctx.passages):
            # no retrieved passage names the asked place: whatever they say is about somewhere else
            return abstention(ctx.question, ctx.language, NOT_STATED, ctx.passages)
        ranked = self.candidates(ctx)
        if not ranked:
            return abstention(ctx.question, ctx.language, "no passages", ctx.passages)
        if ctx.profile.focus and not any(c.feature("focus_context") > 0 for c in ranked):
            # what the question is about (films, a tunnel, revenue) is named in no retrieved passage
            return abstention(ctx.question, ctx.language, NOT_STATED, ctx.passages)
        best = ranked[0]
        shown = differing(ranked, ctx.profile, self.config.sentence_floor) if ctx.profile.conflict else []
        if shown:  # the disagreement asked about, as the sources state it
            return build_answer(question=ctx.question, language=ctx.language, chosen=shown, conflict=True)
        confidence = self.scorer.answer_probability(
            gate_features(np.array([c.probability for c in ranked]), np.vstack([c.features for c in ranked]))
        )
        # a decline near the threshold still shows what the documents say nearest to the question
        # (an off-topic question, far below it, gets only the covered topics)
        near = confidence >= self.config.nearest_share * self.scorer.threshold
        nearest = best if near and best.probability >= self.config.sentence_floor else None
        if confidence < self.scorer.threshold:
            return abstention(ctx.question, ctx.language, NOT_STATED, ctx.passages, nearest)
        chosen = self.select(ranked, ctx.profile)
        # an amount of money, a share, a length, a duration or an area is asked: quoting a sentence
        # without one answers something else (a container count for "revenue"); their units are read
        # reliably, counts and names less so
        stated = ctx.profile.kinds & UNIT_KINDS
        if stated and not any(satisfies_kind(stated, c.sentence) for c in chosen):
            return abstention(ctx.question, ctx.language, NOT_STATED, ctx.passages, nearest)
        rival = next((c for c in ranked[1:] if c.probability >= self._floor(best)
                      and disagree(best, c, ctx.profile)), None)
        if rival is not None and rival not in chosen:
            chosen = [chosen[0], rival, *chosen[1:]][: self.config.max_sentences]
        answer = build_answer(question=ctx.question, language=ctx.language, chosen=chosen,
                              conflict=rival is not None)
        return replace(answer, timings={"best_probability": round(best.probability, 4),
                                        "confidence": round(confidence, 4)})

    def _floor(self, best: Candidate) -> float:
        """The least score of a sentence quoted beside the best one."""
        return max(self.config.sentence_floor, best.probability - self.config.extra_margin)

    def select(self, ranked: list[Candidate], profile: QuestionProfile) -> list[Candidate]:
        """The best sentence, then any that covers a part of the question the chosen ones miss."""
        cfg = self.config
        best = ranked[0]
        chosen = [best]
        for c in ranked[1:]:
            if len(chosen) >= cfg.max_sentences or c.probability < self._floor(best):
                break
            # a window holding a chosen sentence replaces it when it adds what the question asks for
            inside = [i for i, x in enumerate(chosen)
                      if x.sentence != c.sentence and x.sentence in c.sentence]
            if any(_overlaps(c.sentence, x.sentence) for x in chosen) and not inside:
                continue
            adds = adds_coverage(profile, [x.sentence for x in chosen], c.sentence)
            close = len(chosen) == 1 and c.probability >= best.probability - self.config.tie_margin
            if inside and adds:
                chosen[inside[0]] = c
            elif not inside and (close or adds):
                chosen.append(c)
        return sorted(chosen, key=lambda c: (c.doc_id != best.doc_id, c.doc_id, c.passage.chunk.position,
                                             c.passage.chunk.text.find(c.sentence)))


def _overlaps(a: str, b: str) -> bool:
    return a == b or a in b or b in a
