"""The gate refit's sign constraints (``scripts/fit_gate.py``): pure numpy/scipy, no model."""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np

from knowledge.features import GATE_FEATURES

REPO = Path(__file__).resolve().parents[1]


def test_evidence_weights_keep_their_sign_and_priors_are_free() -> None:
    sys.path.insert(0, str(REPO / "scripts"))
    from fit_gate import LOWER, RAISE, fit_signed
    from fit_reader import fit_logistic

    rng = np.random.default_rng(7)
    n = 400
    y = (rng.random(n) < 0.5).astype(int)
    x = rng.normal(size=(n, len(GATE_FEATURES)))
    col = GATE_FEATURES.index
    x[:, col("best_logit")] += 2.0 * y  # real evidence
    x[:, col("best_sem_z")] -= 1.5 * y  # a quirk of the sample: a lower score "means" answerable
    x[:, col("best_year_other")] += 1.0 * y  # another: a year mismatch "means" answerable
    x[:, col("best_kind_asked")] -= 1.0 * y  # a prior, free to take either sign
    free = fit_logistic(x, y, GATE_FEATURES, 0.2)
    held = fit_signed(x, y, GATE_FEATURES, 0.2)
    assert free.coef[col("best_sem_z")] < -0.3 and free.coef[col("best_year_other")] > 0.3
    assert held.coef[col("best_sem_z")] == 0.0 and held.coef[col("best_year_other")] == 0.0
    assert held.coef[col("best_logit")] > 0.5 and held.coef[col("best_kind_asked")] < -0.3
    assert all(held.coef[col(n)] >= 0 for n in RAISE) and all(held.coef[col(n)] <= 0 for n in LOWER)
