"""Smoke test of scripts/bench.py: a small subset runs end to end and writes well-formed JSON.

Asserts structure only, never timings (the machine may be busy).
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow

REPO = Path(__file__).resolve().parents[1]


def test_quick_latency_writes_results(tmp_path: Path, shared_dir: Path) -> None:
    out = tmp_path / "results.json"
    proc = subprocess.run(
        [
            sys.executable,
            str(REPO / "scripts" / "bench.py"),
            "--quick",
            "--only",
            "latency",
            "--no-profile",
            "--out",
            str(out),
            "--work",
            str(tmp_path / "work"),
        ],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    data = json.loads(out.read_text(encoding="utf-8"))
    assert set(data["machine"]) >= {"cpu", "cores", "ram_gb", "load_average", "date"}
    lat = data["latency"]
    assert lat["questions"] > 0
    for step in ("embed_ms", "dense_ms", "lexical_ms", "fusion_ms", "compose_ms", "total_ms"):
        assert set(lat["steps"][step]) >= {"p50", "p95", "n"}
        assert lat["steps"][step]["n"] == lat["questions"] * lat["rounds"]
    assert isinstance(lat["goal"]["met"], bool)
    assert "| Metric | Value | Goal | Status |" in proc.stdout
    assert "ask total p50 / p95 (ms)" in proc.stdout


def test_report_helpers() -> None:
    sys.path.insert(0, str(REPO))
    from bench.coldstart import import_chain, parse_importtime
    from bench.common import pct, summary
    from bench.report import extrapolate

    assert pct([1, 2, 3, 4], 50) == 2.5 and summary([])["n"] == 0
    stderr = (
        "import time: self [us] | cumulative | imported package\n"
        "import time:        10 |         10 |     torch._C\n"
        "import time:        20 |         30 |   torch\n"
        "import time:         5 |         35 | sentence_transformers\n"
    )
    rows = parse_importtime(stderr)
    assert import_chain(rows, "torch") == ["sentence_transformers", "torch", "torch._C"]
    sizes = [
        {"size": 1000, "reached": True, "q": {"p50": 1.0}},
        {"size": 10000, "reached": True, "q": {"p50": 10.0}},
    ]
    assert extrapolate(sizes, "q") == 1000.0
