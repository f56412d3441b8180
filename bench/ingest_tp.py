"""Goal 3: ingestion throughput vs raw encoding with the same embedder in the same process.

Documents are recombined paragraphs of the shared corpus (fixed seed). The real ``Ingester`` runs
in-process with an embedder wrapper that records every text it encodes and the time spent, so
both ratios use exactly the texts ingestion needed: chunks alone, and chunks + their sentences.
"""

from __future__ import annotations

import random
import re
import time
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from bench.common import CORPUS, profiled

GOAL_RATIO = 0.85
SEED = 20240518


def paragraphs() -> list[tuple[str, str]]:
    """(lang, paragraph) from the shared corpus, front matter dropped, short lines skipped."""
    found = []
    for path in sorted(CORPUS.rglob("*")):
        if path.suffix not in (".md", ".txt"):
            continue
        text = path.read_text(encoding="utf-8", errors="replace")
        lang = "en"
        if text.startswith("---"):
            head, _, text = text[3:].partition("\n---")
            m = re.search(r"^lang:\s*(\w+)", head, re.MULTILINE)
            lang = m.group(1) if m else "en"
        for para in re.split(r"\n\s*\n", text):
            para = " ".join(para.split())
            if len(para.split()) >= 20 or (lang == "zh" and len(para) >= 40):
                found.append((lang, para))
    return found


def generate(dest: Path, n_docs: int, per_doc: int) -> int:
    """Write ``n_docs`` Markdown documents of ``per_doc`` random paragraphs; returns bytes written."""
    rng = random.Random(SEED)
    pool = paragraphs()
    dest.mkdir(parents=True, exist_ok=True)
    total = 0
    for i in range(n_docs):
        picked = rng.sample(pool, per_doc)
        body = "\n\n".join(p for _, p in picked)
        doc = (
            f"---\ntitle: Synthetic digest {i:04d}\nsource: Bench\ndate: 2024-{1 + i % 12:02d}-15\n"
            f"lang: {picked[0][0]}\n---\n\n# Digest {i}\n\n{body}\n"
        )
        (dest / f"doc-{i:04d}.md").write_text(doc, encoding="utf-8")
        total += len(doc.encode())
    return total


class Recording:
    """Wraps an embedder: every ``embed_documents`` call's texts and seconds are recorded."""

    def __init__(self, inner: Any) -> None:
        self.inner = inner
        self.calls: list[tuple[list[str], float]] = []

    def __getattr__(self, name: str) -> Any:
        return getattr(self.inner, name)

    def embed_documents(self, texts: Sequence[str]) -> np.ndarray:
        t = time.perf_counter()
        out = self.inner.embed_documents(texts)
        self.calls.append((list(texts), time.perf_counter() - t))
        return out


def run(work: Path, *, n_docs: int, per_doc: int, profile: bool, profiles: dict[str, str]) -> dict[str, Any]:
    import knowledge.ingest as ingest_module
    from knowledge.embeddings import make_embedder
    from knowledge.ingest import Ingester
    from knowledge.settings import KnowledgeSettings

    docs_dir = work / "ingest-docs"
    size = generate(docs_dir, n_docs, per_doc)
    settings = KnowledgeSettings(_env_file=None, data_dir=work / "ingest-kb")  # type: ignore[call-arg]
    inner = make_embedder(settings.embedding_model)
    inner.warm_up()
    embedder = Recording(inner)
    chunk_texts: list[str] = []
    real_chunker = ingest_module.chunk_document

    def counting_chunker(*args: Any, **kwargs: Any) -> Any:
        found = real_chunker(*args, **kwargs)
        chunk_texts.extend(c.text for c in found)
        return found

    ingest_module.chunk_document = counting_chunker
    try:
        with profiled(profile, profiles, "ingest"):
            t = time.perf_counter()
            report = Ingester(settings, embedder).run([docs_dir])  # type: ignore[arg-type]
            ingest_s = time.perf_counter() - t
    finally:
        ingest_module.chunk_document = real_chunker
    chunks = report.chunks_written
    # ingestion embeds several documents per call: what was embedded besides the chunks are
    # the sentence vectors
    sentence_texts = list(
        (Counter(t for texts, _ in embedder.calls for t in texts) - Counter(chunk_texts)).elements()
    )
    embed_in_ingest_s = sum(s for _, s in embedder.calls)
    t = time.perf_counter()
    inner.embed_documents(chunk_texts)
    raw_chunks_s = time.perf_counter() - t
    t = time.perf_counter()
    inner.embed_documents(chunk_texts + sentence_texts)
    raw_all_s = time.perf_counter() - t
    ingest_rate = chunks / ingest_s
    res: dict[str, Any] = {
        "docs": n_docs,
        "paragraphs_per_doc": per_doc,
        "bytes": size,
        "failed": len(report.failed),
        "chunks": chunks,
        "sentences": len(sentence_texts),
        "ingest_s": round(ingest_s, 2),
        "embed_inside_ingest_s": round(embed_in_ingest_s, 2),
        "ingest_chunks_per_s": round(ingest_rate, 2),
        "raw_chunks_per_s": round(len(chunk_texts) / raw_chunks_s, 2),
        "raw_chunks_plus_sentences_s": round(raw_all_s, 2),
        "ratio_vs_chunks_only": round(ingest_rate / (len(chunk_texts) / raw_chunks_s), 3),
        "ratio_vs_chunks_plus_sentences": round(ingest_rate / (chunks / raw_all_s), 3),
        "non_embedding_share": round(1 - embed_in_ingest_s / ingest_s, 3),
    }
    res["goal"] = {"ratio": GOAL_RATIO, "met": res["ratio_vs_chunks_plus_sentences"] >= GOAL_RATIO}
    if profile and res["goal"]["met"]:
        profiles.pop("ingest", None)
    return res


def rows(res: dict[str, Any]) -> list[tuple[str, str, str, str]]:
    status = "met" if res["goal"]["met"] else "MISSED"
    return [
        (
            "ingest chunks/s (docs, chunks, sentences)",
            f"{res['ingest_chunks_per_s']} ({res['docs']}, {res['chunks']}, {res['sentences']})",
            "",
            "",
        ),
        ("ingest / raw encode (chunks only)", f"{res['ratio_vs_chunks_only']}", "", "info"),
        (
            "ingest / raw encode (chunks + sentences)",
            f"{res['ratio_vs_chunks_plus_sentences']}",
            f"≥ {GOAL_RATIO}",
            status,
        ),
    ]
