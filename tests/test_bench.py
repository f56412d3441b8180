"""Smoke test of scripts/bench.py: a small subset runs end to end and writes well-formed JSON.

Asserts structure only, never timings (the machine may be busy).
"""

from __future__ import annotations

import importlib.util
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
            "latency,concurrency",
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
    conc = data["concurrency"]
    assert conc["levels"] == [1, 5, 20, 50, 150]
    for mode in ("on", "off"):
        for level in conc["levels"]:
            row = conc[mode][str(level)]
            assert row["answers"] > 0 and row["answers_per_s"] > 0
            assert set(row["steps_ms"]) >= {"encode", "dense", "lexical", "read"}
    assert conc["off"]["50"]["encoder_calls"] == 0 and conc["on"]["50"]["encoder_calls"] >= 1
    assert isinstance(conc["summary"]["met"], bool)
    assert (out.parent / conc["plot"]).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert "burst ÷ one-at-a-time throughput" in proc.stdout


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


def test_concurrency_summary_plot_and_burst_spec(tmp_path: Path) -> None:
    sys.path.insert(0, str(REPO))
    from bench.botload import limiter_floor_p95, parse_bursts
    from bench.concurrency import summarise
    from bench.plot import draw, nice_top

    assert parse_bursts("50x1, 60x3,200", 3) == [(50, 1), (60, 3), (200, 3)]
    # a 30/s bucket that starts full: 30 answers leave at once, answer k at (k - 30) / 30 s
    assert limiter_floor_p95(30) == 0.0 and limiter_floor_p95(50) == 0.58 and limiter_floor_p95(180) == 4.7
    assert nice_top(37.0) == 40.0 and nice_top(0.0) == 1.0
    res = {
        "levels": [1, 5, 50],
        "on": {"1": {"answers_per_s": 20.0}, "5": {"answers_per_s": 30.0}, "50": {"answers_per_s": 70.0}},
        "off": {"1": {"answers_per_s": 20.0}, "5": {"answers_per_s": 25.0}, "50": {"answers_per_s": 35.0}},
    }
    summ = summarise(res)
    assert summ["burst_over_one_at_a_time"] == {"5": 1.5, "50": 3.5} and summ["met"]
    assert summ["batching_on_over_off"]["50"] == 2.0
    png = draw(res, tmp_path / "t.png", "test")
    from PIL import Image

    with Image.open(png) as img:
        assert img.size == (640, 400)


def test_million_composition_sizes_and_flag() -> None:
    sys.path.insert(0, str(REPO))
    import numpy as np

    from bench.compose import SentencePool, compose_vector, passages, pool_sizes
    from bench.million import parse_sizes
    from knowledge.chunking import split_sentences

    spec = importlib.util.spec_from_file_location("bench_script", REPO / "scripts" / "bench.py")
    assert spec is not None and spec.loader is not None
    script = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(script)

    vectors = np.array([[1.0, 0.0], [0.0, 2.0], [3.0, 4.0]], dtype=np.float32)
    got = compose_vector(vectors, [0, 2])
    assert np.allclose(got, np.array([4.0, 4.0]) / np.sqrt(32.0)) and got.dtype == np.float32
    assert np.allclose(compose_vector(vectors, [1, 1]), [0.0, 1.0])
    assert pool_sizes(1000) == {"en": 700, "ru": 200, "zh": 100}
    assert parse_sizes("1m, 100k,2000,100k") == [2000, 100_000, 1_000_000]
    with pytest.raises(ValueError):
        parse_sizes("0")
    texts: dict[str, tuple[str, ...]] = {
        "en": ("One two three.", "Four five six."),
        "ru": ("Раз два три.", "Четыре пять."),
        "zh": ("一二三。", "四五六。"),
    }
    rng = np.random.default_rng(0)
    unit = {lang: rng.standard_normal((2, 4)).astype(np.float32) for lang in texts}
    pool = SentencePool(
        texts=texts, vectors={k: v / np.linalg.norm(v, axis=1, keepdims=True) for k, v in unit.items()}
    )
    # the same index gives the same passage whichever range it is drawn in
    whole = list(passages(pool, 0, 25_000, seed=3))
    part = list(passages(pool, 9_990, 10_010, seed=3))
    assert [p.index for p in part] == list(range(9_990, 10_010))
    assert all(
        a.text == whole[a.index].text and np.array_equal(a.vector, whole[a.index].vector) for a in part
    )
    assert [p.lang for p in whole[:10]] == ["en"] * 7 + ["ru"] * 2 + ["zh"]
    for p in whole[:30]:
        rows = [texts[p.lang].index(s) for s in split_sentences(p.text)]
        assert np.allclose(p.vector, compose_vector(pool.vectors[p.lang], rows), atol=1e-6)
    args = script.parse_args(["--million", "--million-sizes", "100k,1m"])
    assert args.million and "--sizes" in script.million_command(args, Path("/tmp/w"))
    with pytest.raises(SystemExit):
        script.parse_args(["--million", "--quick"])
