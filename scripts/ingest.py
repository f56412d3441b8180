"""Ingest documents into the knowledge base: `python scripts/ingest.py [PATH...]`.

With no PATH the bundled knowledge (knowledge/corpus) is ingested. Exit code 0 when every file
was ingested or unchanged, 1 when any file failed, 2 on a configuration or store error.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from knowledge.embeddings import make_embedder
from knowledge.errors import KnowledgeError
from knowledge.ingest import BUNDLED_DIR, Ingester, IngestReport
from knowledge.loaders import iter_files
from knowledge.settings import load_knowledge_settings


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "paths", nargs="*", type=Path, help="files or directories (default: bundled knowledge)"
    )
    parser.add_argument("--dry-run", action="store_true", help="report what would change, write nothing")
    parser.add_argument(
        "--rebuild", action="store_true", help="drop the collection and index everything anew"
    )
    parser.add_argument(
        "--prune", action="store_true", help="remove documents under PATHs that no longer exist"
    )
    parser.add_argument("--json", action="store_true", help="print a machine-readable summary only")
    return parser.parse_args(argv)


def print_table(report: IngestReport) -> None:
    from rich.console import Console
    from rich.table import Table

    console = Console(stderr=False)
    for path, reason in report.failed:
        console.print(f"[red]failed[/red] {path}: {reason}", markup=True, highlight=False)
    for path, reason in report.skipped:
        console.print(f"[yellow]skipped[/yellow] {path}: {reason}", markup=True, highlight=False)
    table = Table(title="Ingestion" + (" (dry run)" if report.dry_run else ""))
    columns = ("added", "updated", "unchanged", "removed", "failed", "skipped", "chunks written", "seconds")
    for name in columns:
        table.add_column(name, justify="right")
    table.add_row(
        *(
            str(v)
            for v in (
                report.added,
                report.updated,
                report.unchanged,
                report.removed,
                len(report.failed),
                len(report.skipped),
                report.chunks_written,
                report.seconds,
            )
        )
    )
    console.print(table)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    paths = args.paths or [BUNDLED_DIR]
    try:
        settings = load_knowledge_settings()
        embedder = make_embedder(settings.embedding_model)
        ingester = Ingester(settings, embedder)
        if args.json:
            report = ingester.run(paths, dry_run=args.dry_run, rebuild=args.rebuild, prune=args.prune)
        else:
            from rich.progress import Progress

            total = sum(1 for _ in iter_files([p.resolve() for p in paths]))
            with Progress(transient=True) as bar:
                task = bar.add_task("Ingesting", total=total)

                def step(path: str, status: str) -> None:
                    if status != "removed":
                        bar.advance(task)
                    bar.update(task, description=f"{status:9} {Path(path).name[:40]}")

                report = ingester.run(
                    paths, dry_run=args.dry_run, rebuild=args.rebuild, prune=args.prune, progress=step
                )
    except KnowledgeError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    if args.json:
        print(json.dumps(report.to_json(), ensure_ascii=False))
    else:
        print_table(report)
    return 0 if report.ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
