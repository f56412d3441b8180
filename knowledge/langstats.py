"""Per-language similarity statistics, to put dense scores from different languages on one scale.

A multilingual embedder scores a question higher against documents in the question's own
language, whatever they say: measured here, Russian and Chinese questions pulled in Russian and
Chinese notes ahead of the English passage holding the answer. We therefore turn each cosine
similarity into a z-score within its document-language pool. The pool's mean and variance for
any query q follow exactly from the pool's mean vector mu and second-moment matrix S:
mean = q.mu, var = q.S.q - (q.mu)^2, so nothing is recomputed per question.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import numpy as np


@dataclass
class LangStats:
    """Mean vector and second moment of the chunk vectors of each document language."""

    generation: int
    means: dict[str, np.ndarray]
    moments: dict[str, np.ndarray]
    counts: dict[str, int]

    @classmethod
    def build(cls, items: Iterable[tuple[str, np.ndarray]], generation: int) -> LangStats:
        sums: dict[str, np.ndarray] = {}
        seconds: dict[str, np.ndarray] = {}
        counts: dict[str, int] = {}
        batch: dict[str, list[np.ndarray]] = {}

        def flush(lang: str) -> None:
            block = np.asarray(batch.pop(lang), dtype=np.float64)
            sums[lang] = sums.get(lang, 0) + block.sum(axis=0)
            seconds[lang] = seconds.get(lang, 0) + block.T @ block

        for lang, vec in items:
            batch.setdefault(lang, []).append(vec)
            counts[lang] = counts.get(lang, 0) + 1
            if len(batch[lang]) >= 4096:
                flush(lang)
        for lang in list(batch):
            flush(lang)
        means = {lang: (sums[lang] / counts[lang]).astype(np.float32) for lang in counts}
        moments = {lang: (seconds[lang] / counts[lang]).astype(np.float32) for lang in counts}
        return cls(generation, means, moments, counts)

    def normalise(self, query: np.ndarray, lang: str, sims: np.ndarray) -> np.ndarray:
        """z-scores of ``sims`` within the pool of ``lang`` (raw sims if the pool is unknown or tiny)."""
        if lang not in self.means or self.counts.get(lang, 0) < 3:
            return sims
        q = np.asarray(query, dtype=np.float32)
        mean = float(q @ self.means[lang])
        var = float(q @ self.moments[lang] @ q) - mean * mean
        return (sims - mean) / max(var, 1e-8) ** 0.5

    def share(self, lang: str) -> float:
        total = sum(self.counts.values())
        return self.counts.get(lang, 0) / total if total else 0.0

    def save(self, path: Path) -> None:
        arrays: dict[str, np.ndarray] = {"generation": np.array(self.generation)}
        for lang in self.counts:
            arrays[f"mean:{lang}"] = self.means[lang]
            arrays[f"moment:{lang}"] = self.moments[lang]
            arrays[f"count:{lang}"] = np.array(self.counts[lang])
        tmp = path.with_name(f".{path.name}.{os.getpid()}-{uuid.uuid4().hex[:8]}.tmp.npz")
        try:
            np.savez(tmp, **arrays)  # type: ignore[arg-type]
            os.replace(tmp, path)  # readers see the old file or the new one, never a partial one
        finally:
            tmp.unlink(missing_ok=True)

    @classmethod
    def load(cls, path: Path) -> LangStats | None:
        try:
            with np.load(path) as data:
                langs = [k.split(":", 1)[1] for k in data.files if k.startswith("count:")]
                return cls(
                    int(data["generation"]),
                    {lang: data[f"mean:{lang}"] for lang in langs},
                    {lang: data[f"moment:{lang}"] for lang in langs},
                    {lang: int(data[f"count:{lang}"]) for lang in langs},
                )
        except Exception:  # derived data (truncated zip, junk...): the caller rebuilds it
            return None
