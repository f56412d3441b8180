"""Shared helpers: machine info, percentiles, /proc memory, the prepared store, profiling."""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import platform
import shutil
import socket
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
CORPUS = SHARED / "corpus"
DEV_QA = SHARED / "eval" / "dev_qa.jsonl"
CACHE = REPO / "bench-results" / "cache"
PYTHON = sys.executable
QUICK_NOTES = 3  # notes besides the seed article when --quick has no cached full store


def load_average() -> list[float]:
    return [round(x, 2) for x in os.getloadavg()]


def machine_info() -> dict[str, Any]:
    cpu = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
        mem_kb = int(Path("/proc/meminfo").read_text().split()[1])
    except OSError:
        mem_kb = 0
    return {
        "cpu": cpu or platform.processor(),
        "cores": os.cpu_count(),
        "ram_gb": round(mem_kb / 2**20, 1),
        "load_average": load_average(),
        "date": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "python": platform.python_version(),
        "omp_num_threads": os.environ.get("OMP_NUM_THREADS", ""),
    }


def pct(values: Sequence[float], q: float) -> float:
    """The q-th percentile (0-100), linear interpolation; 0 for no values."""
    if not values:
        return 0.0
    xs = sorted(values)
    pos = (len(xs) - 1) * q / 100
    lo = int(pos)
    hi = min(lo + 1, len(xs) - 1)
    return xs[lo] + (xs[hi] - xs[lo]) * (pos - lo)


def summary(values: Sequence[float], digits: int = 1) -> dict[str, float]:
    return {
        "n": len(values),
        "p50": round(pct(values, 50), digits),
        "p95": round(pct(values, 95), digits),
        "mean": round(statistics.fmean(values), digits) if values else 0.0,
        "max": round(max(values), digits) if values else 0.0,
    }


def proc_status_kb(field: str, pid: int | str = "self") -> int:
    """A ``VmRSS`` / ``VmHWM`` style field of /proc/PID/status, in kB (0 when unreadable)."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith(field + ":"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def tree_rss_kb(pid: int) -> int:
    """RSS of a process plus its direct children (a server may fork workers)."""
    total = proc_status_kb("VmRSS", pid)
    try:
        children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    except OSError:
        children = []
    return total + sum(proc_status_kb("VmRSS", int(c)) for c in children)


def du_bytes(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file()) if path.exists() else 0


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def corpus_files(quick: bool) -> list[Path]:
    seed = sorted((CORPUS / "seed").glob("*"))
    notes = sorted(p for p in (CORPUS / "notes").glob("*") if p.suffix in (".md", ".txt", ".html", ".pdf"))
    return seed + (notes[:QUICK_NOTES] if quick else notes)


def _store_key(files: Sequence[Path]) -> str:
    h = hashlib.sha1()
    for path in sorted(files) + sorted((REPO / "knowledge").glob("*.py")):
        h.update(path.name.encode())
        h.update(path.read_bytes())
    return h.hexdigest()[:16]


def prepare_store(dest: Path, quick: bool, log: Callable[[str], None]) -> dict[str, Any]:
    """A store of seed+notes at ``dest`` (KB_DATA_DIR), built by the real ingest script.

    Built once per corpus/knowledge-code version and cached in bench-results/cache. ``--quick``
    reuses the full cached store when there is one, else builds seed + a few notes only.
    """
    full_key = _store_key(corpus_files(False))
    chosen = CACHE / f"store-{full_key}"
    subset = False
    files = corpus_files(False)
    stale = False
    if not chosen.exists() and quick:
        older = sorted(
            (p for p in CACHE.glob("store-*") if not p.name.endswith(".tmp")),
            key=lambda p: (not p.name.startswith("store-quick"), p.stat().st_mtime),
        )
        if older and not older[-1].name.startswith("store-quick"):
            chosen, stale = older[-1], True  # quick: any earlier build will do (noted in the JSON)
        else:
            files = corpus_files(True)
            chosen, subset = CACHE / f"store-quick-{_store_key(files)}", True
    built_s = None
    if not chosen.exists():
        log(f"indexing {len(files)} corpus files into {chosen} (cached for later runs)")
        tmp = chosen.with_name(chosen.name + ".tmp")
        shutil.rmtree(tmp, ignore_errors=True)
        started = time.perf_counter()
        env = {**os.environ, "KB_DATA_DIR": str(tmp)}
        cmd = [PYTHON, str(REPO / "scripts" / "ingest.py"), "--json", *map(str, files)]
        subprocess.run(cmd, env=env, cwd=REPO, check=True, capture_output=True, text=True)
        built_s = round(time.perf_counter() - started, 1)
        tmp.rename(chosen)
    shutil.rmtree(dest, ignore_errors=True)
    shutil.copytree(chosen, dest)
    return {
        "files": len(files),
        "subset": subset,
        "stale_cache": stale,
        "cache": str(chosen.relative_to(REPO)),
        "build_s": built_s,
    }


def kb_env(data_dir: Path, **extra: str) -> dict[str, str]:
    """The environment for a subprocess using ``data_dir``; ignores any KB_/BOT_ settings around."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("KB_", "BOT_", "TELEGRAM_"))}
    env.update({"KB_DATA_DIR": str(data_dir), "PYTHONPATH": str(REPO), **extra})
    return env


@contextmanager
def profiled(enabled: bool, sink: dict[str, str], name: str, lines: int = 45) -> Iterator[None]:
    """Run the block under pyinstrument and keep the top of its text report in ``sink[name]``."""
    if not enabled:
        yield
        return
    from pyinstrument import Profiler

    profiler = Profiler(interval=0.002)
    profiler.start()
    try:
        yield
    finally:
        profiler.stop()
        text = profiler.output_text(unicode=False, color=False, show_all=False)
        sink[name] = "\n".join(text.splitlines()[:lines])
