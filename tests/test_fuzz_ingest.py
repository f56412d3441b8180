"""Fuzzed and hostile inputs: every file is ingested or rejected with a reason, in bounded time
and memory, and the store stays consistent. FUZZ_EXAMPLES=N runs longer fuzzing."""

from __future__ import annotations

import io
import os
import resource
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from knowledge.embeddings import Embedder
from knowledge.errors import DocumentError
from knowledge.ingest import Ingester, Manifest, manifest_path
from knowledge.loaders import SUPPORTED_EXTENSIONS, load_document
from knowledge.settings import KnowledgeSettings
from knowledge.store import ChunkStore

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "60"))
PREFIXES = [b"", b"%PDF-1.7\n", b"<html><body>", b"---\ntitle: x\n---\n", b"\xef\xbb\xbf"]


def rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def load_bounded(path: Path, seconds: float = 30.0) -> str:
    """'ok' or the rejection reason; fails on any other exception or when too slow."""
    started = time.monotonic()
    try:
        doc = load_document(path)
        outcome = "ok" if doc.text.strip() else "empty"
    except DocumentError as exc:
        assert exc.reason and "Traceback" not in exc.reason
        outcome = exc.reason
    assert time.monotonic() - started < seconds, f"{path.name} took too long"
    return outcome


@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck))
@given(
    ext=st.sampled_from(sorted(SUPPORTED_EXTENSIONS)),
    prefix=st.sampled_from(PREFIXES),
    body=st.binary(max_size=4096),
)
def test_random_bytes_with_each_extension(
    tmp_path_factory: pytest.TempPathFactory, ext: str, prefix: bytes, body: bytes
) -> None:
    path = tmp_path_factory.mktemp("fuzz") / f"f{ext}"
    path.write_bytes(prefix + body)
    load_bounded(path, 10.0)


def _pdf(pages: int, text_every: int = 0) -> bytes:
    from pypdf import PdfWriter
    from pypdf.generic import DecodedStreamObject, DictionaryObject, NameObject

    writer = PdfWriter()
    font = DictionaryObject(
        {
            NameObject("/Type"): NameObject("/Font"),
            NameObject("/Subtype"): NameObject("/Type1"),
            NameObject("/BaseFont"): NameObject("/Helvetica"),
        }
    )
    resources = DictionaryObject(
        {NameObject("/Font"): DictionaryObject({NameObject("/F1"): writer._add_object(font)})}
    )
    for i in range(pages):
        page = writer.add_blank_page(72, 72)
        page[NameObject("/Resources")] = resources
        if text_every and i % text_every == 0:
            stream = DecodedStreamObject()
            stream.set_data(f"BT /F1 8 Tf 5 30 Td (Page {i} Khorgos) Tj ET".encode())
            page[NameObject("/Contents")] = writer._add_object(stream)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def test_malformed_pdf_and_html(tmp_path: Path) -> None:
    good = _pdf(3, 1)
    cases = {
        "trunc.pdf": good[: len(good) // 2],
        "header.pdf": b"%PDF-1.4\n" + b"\x00" * 200,
        "trunc.html": b"<html><head><title>x</title></head><body><p>Khorgos port opened in 2015 and",
        "tags.html": b"<" * 5000 + b">" * 5000,
        "line.md": b"Khorgos " * 400_000,  # 3.2 MB on one line
    }
    for name, data in cases.items():
        (tmp_path / name).write_bytes(data)
        load_bounded(tmp_path / name, 60.0)


@pytest.mark.slow
def test_thousands_of_pages_and_deep_nesting(tmp_path: Path) -> None:
    before = rss_mb()
    (tmp_path / "big.pdf").write_bytes(_pdf(3000, 50))
    assert load_bounded(tmp_path / "big.pdf", 120.0) == "ok"
    html = (
        "<html><body>"
        + "<div>" * 10_000
        + "<p>Khorgos opened in 2015.</p>"
        + "</div>" * 10_000
        + "</body></html>"
    )
    (tmp_path / "deep.html").write_text(html)
    load_bounded(tmp_path / "deep.html", 60.0)
    assert rss_mb() - before < 1500, "memory grew by more than 1.5 GB"


HOSTILE_NAMES = ["new\nline.md", "x" * 240 + ".md", "tab\tand space .txt", "-rf .md"]


@pytest.mark.slow
def test_hostile_names_ingest_and_store_stays_consistent(
    tmp_path: Path, kb_embedder: Embedder, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    docs = tmp_path / "docs"
    docs.mkdir()
    for i, name in enumerate(HOSTILE_NAMES):
        (docs / name).write_text(f"Khorgos note {i}: trains crossed in 20{10 + i}.\n")
    raw = os.fsencode(str(docs)) + b"/bad-\xff\xfe.md"
    with open(raw, "wb") as fh:
        fh.write(b"Aktau note: ferries crossed the Caspian in 2019.\n")
    (docs / "junk.pdf").write_bytes(b"%PDF-1.7\n" + os.urandom(3000))
    settings_ = KnowledgeSettings(_env_file=None, data_dir=tmp_path / "data")  # type: ignore[call-arg]
    report = Ingester(settings_, kb_embedder).run([docs])
    assert report.added == len(HOSTILE_NAMES), report
    failed = {Path(p).name: reason for p, reason in report.failed}
    assert "junk.pdf" in failed and len(failed) == 2, failed
    assert any("not valid UTF-8" in r for r in failed.values()), failed
    store = ChunkStore(settings_, kb_embedder.name, kb_embedder.dim)
    store.open(create=False)
    manifest = Manifest(manifest_path(settings_))
    assert {c.doc_id for c in store.iter_chunks()} == {e.doc_id for e in manifest.entries.values()}
    again = Ingester(settings_, kb_embedder).run([docs])
    assert (again.added, again.updated, again.unchanged) == (0, 0, len(HOSTILE_NAMES))
