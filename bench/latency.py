"""Goal 1: warm ``Engine.ask`` latency over the dev questions, split by pipeline step."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from bench.common import DEV_QA, summary

STEPS = ("embed_ms", "dense_ms", "lexical_ms", "fusion_ms", "compose_ms", "total_ms")
GOAL_P50, GOAL_P95 = 50.0, 120.0  # issue 11: lone warm question


def run(
    data_dir: Path, *, rounds: int, profile: bool, profiles: dict[str, str], limit: int | None = None
) -> dict[str, Any]:
    from knowledge.engine import Engine
    from knowledge.evaluation import load_questions
    from knowledge.settings import KnowledgeSettings

    questions = [q.question for q in load_questions(DEV_QA)][:limit]
    engine = Engine(KnowledgeSettings(_env_file=None, data_dir=data_dir))  # type: ignore[call-arg]
    started = time.perf_counter()
    engine.warm_up()
    warm_up_s = time.perf_counter() - started
    engine.ask(questions[0])  # first call pays lazy imports and caches
    samples: dict[str, list[float]] = {s: [] for s in STEPS}
    wall: list[float] = []
    for _ in range(rounds):
        for question in questions:
            t = time.perf_counter()
            answer = engine.ask(question)
            wall.append((time.perf_counter() - t) * 1000)
            for step in STEPS:
                samples[step].append(float(answer.timings.get(step, 0.0)))
    result: dict[str, Any] = {
        "questions": len(questions),
        "rounds": rounds,
        "warm_up_s": round(warm_up_s, 2),
        "steps": {s: summary(v) for s, v in samples.items()},
        "wall_ms": summary(wall),
    }
    total = result["steps"]["total_ms"]
    result["goal"] = {
        "p50_ms": GOAL_P50,
        "p95_ms": GOAL_P95,
        "met": total["p50"] <= GOAL_P50 and total["p95"] <= GOAL_P95,
    }
    result["embed_share"] = round(sum(samples["embed_ms"]) / max(sum(samples["total_ms"]), 1e-9), 3)
    if profile and not result["goal"]["met"]:
        from bench.common import profiled

        with profiled(True, profiles, "latency"):
            for question in questions:
                engine.ask(question)
    return result


def run_subprocess(data_dir: Path, env_extra: dict[str, str], rounds: int) -> dict[str, Any]:
    """The same measurement in a fresh process with extra environment (e.g. OMP_WAIT_POLICY)."""
    import json
    import subprocess

    from bench.common import PYTHON, REPO, kb_env

    proc = subprocess.run(
        [PYTHON, "-m", "bench.latency", str(data_dir), str(rounds)],
        cwd=REPO,
        env=kb_env(data_dir, **env_extra),
        capture_output=True,
        text=True,
        check=True,
    )
    res: dict[str, Any] = json.loads(proc.stdout)
    res["env"] = env_extra
    return res


def rows(res: dict[str, Any]) -> list[tuple[str, str, str, str]]:
    """(metric, value, goal, status) rows for the Markdown table."""
    out = []
    tag = f" [{', '.join(f'{k}={v}' for k, v in res['env'].items())}]" if res.get("env") else ""
    for step in STEPS:
        s = res["steps"][step]
        goal, status = "", ""
        if step == "total_ms":
            goal = f"p50 ≤ {GOAL_P50:.0f} ms, p95 ≤ {GOAL_P95:.0f} ms"
            status = "met" if res["goal"]["met"] else "MISSED"
        out.append(
            (f"ask {step.removesuffix('_ms')} p50 / p95 (ms){tag}", f"{s['p50']} / {s['p95']}", goal, status)
        )
    return out


if __name__ == "__main__":
    import json
    import sys

    print(json.dumps(run(Path(sys.argv[1]), rounds=int(sys.argv[2]), profile=False, profiles={})))
