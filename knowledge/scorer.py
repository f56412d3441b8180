"""The fitted answer scorer: two small logistic regressions and a calibrated decline threshold.

- ``sentence``: P(this sentence states the answer), over the candidate features
  (``knowledge.features.FEATURES``); it ranks the sentences of the retrieved passages.
- ``gate``: P(the documents answer the question), over the best candidate's features, its score,
  its margin over the runner-up and what the other candidates carry (``GATE_FEATURES``); the
  reader answers when this clears ``threshold`` and declines otherwise.

Weights live in ``knowledge/data/reader_weights.json``, written by ``scripts/fit_reader.py`` from
the tuning split and the shared dev questions, never the test split (scikit-learn fits; at run
time this is a dot product per candidate). The threshold is chosen on out-of-fold predictions for
a stated false-answer rate.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np

from knowledge.features import FEATURES, GATE_FEATURES


@dataclass(frozen=True, kw_only=True)
class Logistic:
    """Standardise, dot, sigmoid."""

    features: tuple[str, ...]
    coef: np.ndarray
    intercept: float
    mean: np.ndarray
    scale: np.ndarray

    def __post_init__(self) -> None:
        n = len(self.features)
        if not (self.coef.shape == self.mean.shape == self.scale.shape == (n,)):
            raise ValueError(f"weights must have {n} values ({', '.join(self.features)})")

    def probabilities(self, x: np.ndarray) -> np.ndarray:
        if x.size == 0:
            return np.zeros(0)
        z = ((x - self.mean) / self.scale) @ self.coef + self.intercept
        return 1.0 / (1.0 + np.exp(-z))

    def to_json(self) -> dict[str, Any]:
        return {
            "features": list(self.features),
            "coef": self.coef.round(6).tolist(),
            "intercept": round(self.intercept, 6),
            "mean": self.mean.round(6).tolist(),
            "scale": self.scale.round(6).tolist(),
        }

    @classmethod
    def from_json(cls, data: dict[str, Any], expected: tuple[str, ...]) -> Logistic:
        if tuple(data.get("features", ())) != expected:
            raise ValueError("scorer weights were fitted for other features; re-run scripts/fit_reader.py")
        return cls(
            features=expected,
            coef=np.asarray(data["coef"], dtype=np.float64),
            intercept=float(data["intercept"]),
            mean=np.asarray(data["mean"], dtype=np.float64),
            scale=np.asarray(data["scale"], dtype=np.float64),
        )


@dataclass(frozen=True, kw_only=True)
class Scorer:
    """Sentence ranking, the answer gate and its threshold."""

    sentence: Logistic
    gate: Logistic
    threshold: float
    info: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if self.sentence.features != FEATURES or self.gate.features != GATE_FEATURES:
            raise ValueError("scorer features do not match knowledge.features")
        if not 0.0 < self.threshold < 1.0:
            raise ValueError(f"threshold must be in (0, 1), got {self.threshold}")

    def probabilities(self, features: np.ndarray) -> np.ndarray:
        """P(sentence states the answer) for each row of candidate ``features``."""
        return self.sentence.probabilities(features)

    def answer_probability(self, gate_row: np.ndarray) -> float:
        """P(the documents answer the question), from ``features.gate_features``."""
        return float(self.gate.probabilities(gate_row[None, :])[0])

    def to_json(self) -> dict[str, Any]:
        return {
            "sentence": self.sentence.to_json(),
            "gate": self.gate.to_json(),
            "threshold": round(self.threshold, 4),
            "info": self.info,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Scorer:
        return cls(
            sentence=Logistic.from_json(data["sentence"], FEATURES),
            gate=Logistic.from_json(data["gate"], GATE_FEATURES),
            threshold=float(data["threshold"]),
            info=dict(data.get("info", {})),
        )

    @classmethod
    def neutral(cls) -> Scorer:
        """All weights zero: every sentence scores 0.5 (the starting point for fitting)."""

        def zero(names: tuple[str, ...]) -> Logistic:
            n = len(names)
            zeros = np.zeros(n)
            return Logistic(features=names, coef=zeros, intercept=0.0, mean=zeros, scale=np.ones(n))

        return cls(sentence=zero(FEATURES), gate=zero(GATE_FEATURES), threshold=0.5, info={"neutral": True})

    def save(self, path: Path) -> None:
        path.write_text(json.dumps(self.to_json(), indent=1, ensure_ascii=False) + "\n", encoding="utf-8")


@lru_cache(maxsize=1)
def default_scorer() -> Scorer:
    """The packaged weights."""
    text = resources.files("knowledge").joinpath("data", "reader_weights.json").read_text(encoding="utf-8")
    return Scorer.from_json(json.loads(text))
