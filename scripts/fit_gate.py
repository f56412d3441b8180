"""Refit the answer gate alone: on the tuning questions and on the pending held-out sets, with the
evidence weights held to their natural sign; the sentence scorer stays as packaged.

    python scripts/fit_gate.py                   # rewrites the gate in knowledge/data/reader_weights.json
    python scripts/fit_gate.py --dry-run --false-answer-rate 0.2

Why: fitted on the ~300 tuning questions alone, the gate learned signs no reader would defend (a
best sentence *without* the question's focus, or a lower semantic score, raised the odds of
answering) and it discriminated worse on questions and pages nobody tuned on. Measured leaving one
pending set out at a time (README, "Evaluation"): a gate fitted on the tuning questions plus the
other pending sets ranks answerable above unanswerable questions better on 11 of 12 held-out sets
(mean AUC 0.748 -> 0.784); with its signs held it keeps that and its weights read sensibly.

Rows: every question of the suite's tune split and the shared dev questions (over the suite, the
seed article with its notes, the article alone: ``fit_reader.tuning_views``) and every question of
``eval/pending/heldout_pages*.jsonl`` (over every document, the held-out pages included) and
``eval/pending/direct.jsonl`` (over the suite's documents). The test split is never read. The gate
sees the packaged sentence scores; the threshold is the lowest at which at most
``--false-answer-rate`` of the pooled unanswerable questions would be answered.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from evaluate import SHARED
from fit_reader import collect_rows, gate_rows, out_of_fold, report, threshold_for, tuning_views

from knowledge.evalsuite import EVAL_DIR, suite_documents
from knowledge.evaluation import Question, load_questions
from knowledge.features import GATE_FEATURES
from knowledge.scorer import Logistic, Scorer, default_scorer
from knowledge.signals import profile_question

ROOT = Path(__file__).resolve().parents[1]
# evidence that the documents answer: never counted against answering ...
RAISE = frozenset({"best_logit", "margin", "best_raw", "best_sem_z", "best_focus", "best_head",
                   "best_kind_ok", "best_places_context", "any_focus_kind", "any_head_kind", "best_xcos"})
# ... and evidence that they answer something else: never counted for it (the question-type priors,
# such as "a kind of answer is asked", keep their fitted sign)
LOWER = frozenset({"best_names_missing", "best_year_other", "best_place_conflict", "best_period_other"})


def fit_signed(x: np.ndarray, y: np.ndarray, names: tuple[str, ...], c: float) -> Logistic:
    """L2-regularised, class-balanced logistic regression on standardised features with the
    ``RAISE`` weights held >= 0 and the ``LOWER`` ones <= 0 (L-BFGS-B with bounds)."""
    from scipy.optimize import minimize

    mean, scale = x.mean(axis=0), x.std(axis=0)
    scale[scale < 1e-9] = 1.0
    z = (x - mean) / scale
    positives = max(int(y.sum()), 1)
    weight = np.where(y == 1, len(y) / (2 * positives), len(y) / (2 * max(len(y) - positives, 1)))

    def loss(params: np.ndarray) -> tuple[float, np.ndarray]:
        w, b = params[:-1], params[-1]
        logit = z @ w + b
        value = float(np.sum(weight * (np.logaddexp(0.0, logit) - y * logit)) + 0.5 / c * w @ w)
        g = weight * (1.0 / (1.0 + np.exp(-logit)) - y)
        return value, np.r_[z.T @ g + w / c, g.sum()]

    bounds = [(0.0, None) if n in RAISE else (None, 0.0) if n in LOWER else (None, None) for n in names]
    res = minimize(loss, np.zeros(z.shape[1] + 1), jac=True, method="L-BFGS-B",
                   bounds=[*bounds, (None, None)])
    return Logistic(features=names, coef=res.x[:-1], intercept=float(res.x[-1]), mean=mean, scale=scale)


def pending_views(shared: Path) -> list[tuple[list[Path], list[Question]]]:
    """The pending held-out sets and the documents each is asked over."""
    suite = suite_documents(shared)
    held_out = sorted((ROOT / "tests" / "pages").rglob("*.txt"))
    pending = EVAL_DIR / "pending"
    ordinary = [q for f in sorted(pending.glob("heldout_pages*.jsonl")) for q in load_questions(f)]
    direct = load_questions(pending / "direct.jsonl")
    keep = [q for q in ordinary if not profile_question(q.question).conflict]
    return [([*suite, *held_out], keep), (suite, direct)]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--shared", type=Path, default=SHARED)
    ap.add_argument("--false-answer-rate", type=float, default=0.25,
                    help="share of the pooled unanswerable questions that may be answered (default 0.25)")
    ap.add_argument("--gate-C", type=float, default=0.2, help="inverse regularisation strength")
    ap.add_argument("--threshold", type=float, default=None,
                    help="keep this decline threshold instead of the rate-calibrated one (recorded)")
    ap.add_argument("--dry-run", action="store_true")
    args = ap.parse_args(argv)

    packaged = default_scorer()
    views = [*tuning_views(args.shared), *pending_views(args.shared)]
    x, y, groups, questions = collect_rows(views, packaged)
    gx, gy, asked = gate_rows(x, packaged.sentence.probabilities(x), groups, y)
    answerable = np.array([questions[int(g)].answerable for g in asked])
    ids = [q.id for q in questions]

    oof = out_of_fold(gx, answerable.astype(int), asked, ids,
                      lambda a, b: fit_signed(a, b, GATE_FEATURES, args.gate_C))
    gate = fit_signed(gx, answerable.astype(int), GATE_FEATURES, args.gate_C)
    calibrated = threshold_for(gate.probabilities(gx), answerable, args.false_answer_rate)
    threshold = calibrated if args.threshold is None else args.threshold
    answered = oof >= threshold
    info: dict[str, Any] = {
        **packaged.info,
        "gate_fitted_on": "eval/questions tune split + shared dev questions (three document sets) and "
                          "eval/pending held-out and direct sets, evidence weights sign-held "
                          "(scripts/fit_gate.py)",
        "gate_questions": len(asked),
        "gate_false_answer_rate_target": args.false_answer_rate,
        "gate_threshold_for_target": round(float(calibrated), 4),
        "gate_out_of_fold_threshold": round(float(threshold), 4),  # the figures below are at this one
        "gate_out_of_fold": {
            "unanswerable_answered": round(float(answered[~answerable].mean()), 3),
            "answerable_declined": round(float((~answered[answerable]).mean()), 3),
            "answered_and_best_holds_evidence": round(float(gy[answered & answerable].mean()), 3),
        },
    }
    scorer = Scorer(sentence=packaged.sentence, gate=gate, threshold=threshold, info=info)
    report(scorer, (gate,), {**info["gate_out_of_fold"], "questions": len(asked)}, args.dry_run)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
