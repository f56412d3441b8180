"""Fit the answer scorer on the tuning split only, and calibrate when to decline.

    python scripts/fit_reader.py                      # writes knowledge/data/reader_weights.json
    python scripts/fit_reader.py --false-answer-rate 0.08 --dry-run

Every sentence of the retrieved passages of every tuning question is a row: its features
(``knowledge.features``) and whether it holds one of the question's evidence strings. A
logistic regression (scikit-learn) learns P(sentence states the answer). The decline threshold
is the lowest best-candidate probability at which at most ``--false-answer-rate`` of the
unanswerable tuning questions would be answered. The test split is never read here.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from evaluate import SHARED, suite_engine  # noqa: E402

from knowledge.evalsuite import load_suite, training_rows  # noqa: E402
from knowledge.scorer import Scorer  # noqa: E402

WEIGHTS = Path(__file__).resolve().parents[1] / "knowledge" / "data" / "reader_weights.json"


def threshold_for(best: np.ndarray, answerable: np.ndarray, rate: float) -> float:
    """Lowest threshold answering at most ``rate`` of the unanswerable questions."""
    negatives = np.sort(best[~answerable])[::-1]
    allowed = int(np.floor(rate * len(negatives)))
    if len(negatives) == 0:
        return 0.5
    cut = negatives[allowed] if allowed < len(negatives) else 0.0
    return float(min(max(cut + 1e-4, 0.02), 0.98))


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--shared", type=Path, default=SHARED)
    ap.add_argument("--false-answer-rate", type=float, default=0.10)
    ap.add_argument("-C", type=float, default=1.0, help="inverse regularisation strength")
    ap.add_argument("--dry-run", action="store_true")
    args = ap.parse_args(argv)
    from sklearn.linear_model import LogisticRegression

    suite = load_suite(args.shared, "tune")
    engine, _ = suite_engine(suite.documents, None, None)
    x, y, groups = training_rows(engine, suite.questions)
    mean, scale = x.mean(axis=0), x.std(axis=0)
    scale[scale < 1e-9] = 1.0
    model = LogisticRegression(C=args.C, max_iter=2000, class_weight="balanced")
    model.fit((x - mean) / scale, y)
    probe = Scorer(coef=model.coef_[0], intercept=float(model.intercept_[0]), mean=mean, scale=scale,
                   threshold=0.5)
    probs = probe.probabilities(x)
    asked = sorted(set(groups.tolist()))
    best = np.array([probs[groups == g].max() for g in asked])
    top_ok = np.array([bool(y[groups == g][np.argmax(probs[groups == g])]) for g in asked])
    answerable = np.array([suite.questions[g].answerable for g in asked])
    threshold = threshold_for(best, answerable, args.false_answer_rate)
    answered = best >= threshold
    info = {
        "fitted_on": "eval/questions, tune split (scripts/fit_reader.py)",
        "questions": len(asked),
        "rows": int(len(y)),
        "positives": int(y.sum()),
        "false_answer_rate_target": args.false_answer_rate,
        "tune_unanswerable_answered": round(float(answered[~answerable].mean()), 3) if (~answerable).any() else None,
        "tune_answerable_declined": round(float((~answered[answerable]).mean()), 3),
        "tune_top_sentence_holds_evidence": round(float(top_ok[answerable & answered].mean()), 3),
    }
    scorer = Scorer(coef=probe.coef, intercept=probe.intercept, mean=mean, scale=scale, threshold=threshold,
                    info=info)
    for name, w in sorted(zip(scorer.to_json()["features"], scorer.coef, strict=True), key=lambda t: -abs(t[1])):
        print(f"  {name:16s} {w:+.3f}")
    print(f"threshold {threshold:.3f}", info)
    if not args.dry_run:
        scorer.save(WEIGHTS)
        print(f"wrote {WEIGHTS}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
