"""Edge cases of the ingestion flags: a dry-run rebuild, and pruning a file given by name."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from knowledge.ingest import Ingester
from knowledge.settings import KnowledgeSettings

pytestmark = pytest.mark.slow

DOC = (
    "---\ntitle: {title}\ndate: 2024-01-0{n}\n---\n\n"
    "Kazakhstan and China trade grew by {n}0 percent in 2024 according to note {n}.\n"
)


def _docs(root: Path, n: int) -> list[Path]:
    root.mkdir(parents=True, exist_ok=True)
    paths = []
    for i in range(1, n + 1):
        path = root / f"note-{i}.md"
        path.write_text(DOC.format(title=f"Note {i}", n=i), encoding="utf-8")
        paths.append(path)
    return paths


def test_dry_run_rebuild_reports_everything_as_added(tmp_path: Path, kb_embedder: Any) -> None:
    settings = KnowledgeSettings(_env_file=None, data_dir=tmp_path / "kb")  # type: ignore[call-arg]
    docs = _docs(tmp_path / "docs", 2)
    Ingester(settings, kb_embedder).run(docs)
    report = Ingester(settings, kb_embedder).run(docs, dry_run=True, rebuild=True)
    assert (report.added, report.unchanged) == (2, 0)
    again = Ingester(settings, kb_embedder).run(docs)
    assert again.unchanged == 2  # the dry run wrote nothing


def test_prune_removes_a_deleted_file_named_on_the_command_line(tmp_path: Path, kb_embedder: Any) -> None:
    settings = KnowledgeSettings(_env_file=None, data_dir=tmp_path / "kb")  # type: ignore[call-arg]
    first, second = _docs(tmp_path / "docs", 2)
    ingester = Ingester(settings, kb_embedder)
    ingester.run([first, second])
    first.unlink()
    report = Ingester(settings, kb_embedder).run([first], prune=True)
    assert report.removed == 1 and report.ok, report
    store = Ingester(settings, kb_embedder).store
    store.open(create=False)
    titles = {c.meta.title for c in store.iter_chunks()}
    assert titles == {"Note 2"}
