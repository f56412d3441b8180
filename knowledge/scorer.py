"""The fitted answer scorer: logistic regression over candidate features, with its decline threshold.

Weights live in ``knowledge/data/reader_weights.json``, written by ``scripts/fit_reader.py`` from
the tuning split only (scikit-learn fits; at run time this is one dot product per candidate).
``threshold`` is the lowest best-candidate probability that is answered rather than declined,
chosen on the tuning split for the stated false-answer rate.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np

from knowledge.features import FEATURES


@dataclass(frozen=True, kw_only=True)
class Scorer:
    """Standardise, dot, sigmoid."""

    coef: np.ndarray
    intercept: float
    mean: np.ndarray
    scale: np.ndarray
    threshold: float
    info: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        n = len(FEATURES)
        if not (self.coef.shape == self.mean.shape == self.scale.shape == (n,)):
            raise ValueError(f"scorer weights must have {n} features ({', '.join(FEATURES)})")
        if not 0.0 < self.threshold < 1.0:
            raise ValueError(f"threshold must be in (0, 1), got {self.threshold}")

    def probabilities(self, features: np.ndarray) -> np.ndarray:
        """P(sentence states the answer) for each row of ``features``."""
        if features.size == 0:
            return np.zeros(0)
        z = ((features - self.mean) / self.scale) @ self.coef + self.intercept
        return 1.0 / (1.0 + np.exp(-z))

    def to_json(self) -> dict[str, Any]:
        return {
            "features": list(FEATURES),
            "coef": self.coef.round(6).tolist(),
            "intercept": round(self.intercept, 6),
            "mean": self.mean.round(6).tolist(),
            "scale": self.scale.round(6).tolist(),
            "threshold": round(self.threshold, 4),
            "info": self.info,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Scorer:
        if list(data.get("features", [])) != list(FEATURES):
            raise ValueError("scorer weights were fitted for other features; re-run scripts/fit_reader.py")
        return cls(
            coef=np.asarray(data["coef"], dtype=np.float64),
            intercept=float(data["intercept"]),
            mean=np.asarray(data["mean"], dtype=np.float64),
            scale=np.asarray(data["scale"], dtype=np.float64),
            threshold=float(data["threshold"]),
            info=dict(data.get("info", {})),
        )

    def save(self, path: Path) -> None:
        path.write_text(json.dumps(self.to_json(), indent=1, ensure_ascii=False) + "\n", encoding="utf-8")


@lru_cache(maxsize=1)
def default_scorer() -> Scorer:
    """The packaged weights."""
    text = resources.files("knowledge").joinpath("data", "reader_weights.json").read_text(encoding="utf-8")
    return Scorer.from_json(json.loads(text))
