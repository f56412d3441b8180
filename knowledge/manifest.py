"""Where an ingested store keeps its bookkeeping: the manifest of document hashes (and fact
cards), and the file names of the derived indexes, tagged per store."""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from knowledge.errors import StoreCorrupt
from knowledge.models import Document, FactCard, SourceInfo
from knowledge.settings import KnowledgeSettings

BUNDLED_DIR = Path(__file__).resolve().parent / "corpus"


@dataclass(frozen=True, kw_only=True)
class ManifestEntry:
    """What the manifest records per ingested document: its content hash (to skip it when
    unchanged), its metadata (for /sources), its chunk count and its fact cards."""

    doc_id: str
    content_hash: str
    title: str = ""
    source: str = ""
    date: str = ""
    url: str = ""
    lang: str = ""
    chunks: int = 0
    facts: tuple[FactCard, ...] = ()

    @classmethod
    def for_document(cls, doc: Document, n_chunks: int, facts: Sequence[FactCard]) -> ManifestEntry:
        m = doc.meta
        return cls(doc_id=doc.doc_id, content_hash=doc.content_hash, title=m.title, source=m.source,
                   date=m.date, url=m.url, lang=m.lang, chunks=n_chunks, facts=tuple(facts))

    def to_json(self) -> dict[str, Any]:
        return {
            "doc_id": self.doc_id,
            "hash": self.content_hash,
            "title": self.title,
            "source": self.source,
            "date": self.date,
            "url": self.url,
            "lang": self.lang,
            "chunks": self.chunks,
            "facts": [card.to_json() for card in self.facts],
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> ManifestEntry:
        """Inverse of ``to_json``; KeyError/TypeError/ValueError on a malformed entry."""
        return cls(
            doc_id=str(data["doc_id"]),
            content_hash=str(data["hash"]),
            title=str(data.get("title", "")),
            source=str(data.get("source", "")),
            date=str(data.get("date", "")),
            url=str(data.get("url", "")),
            lang=str(data.get("lang", "")),
            chunks=int(data.get("chunks", 0)),
            facts=tuple(FactCard.from_json(card) for card in data.get("facts", ())),
        )

    def source_info(self) -> SourceInfo:
        return SourceInfo(doc_id=self.doc_id, title=self.title, source=self.source, date=self.date,
                          url=self.url, chunks=self.chunks)


class Manifest:
    """Document hashes and fact cards per source key, written atomically (temp file + rename)."""

    def __init__(self, path: Path, *, discard_corrupt: bool = False) -> None:
        self.path = path
        self.entries: dict[str, ManifestEntry] = {}
        self.generation = 0
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            self.entries = {str(k): ManifestEntry.from_json(v) for k, v in dict(data["documents"]).items()}
            self.generation = int(data["generation"])
        except FileNotFoundError:
            pass
        except (OSError, ValueError, TypeError, KeyError, AttributeError) as exc:
            # Hashes of the source files cannot be recovered from the store: only a rebuild can
            # make the manifest trustworthy again, and --rebuild starts from an empty one.
            if not discard_corrupt:
                raise StoreCorrupt(
                    f"The ingestion manifest {path} is unreadable ({type(exc).__name__}: {exc}). "
                    "Re-index with `python scripts/ingest.py --rebuild PATH...` (the store is rebuilt "
                    "from your files; nothing else is lost)."
                ) from None
            self.entries, self.generation = {}, 0

    def save(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        tmp = self.path.with_suffix(".tmp")
        documents = {key: entry.to_json() for key, entry in self.entries.items()}
        payload = {"generation": self.generation, "documents": documents}
        with tmp.open("w", encoding="utf-8") as fh:
            json.dump(payload, fh, ensure_ascii=False)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, self.path)


def _store_tag(settings: KnowledgeSettings) -> str:
    """Names the store in file names, so that an embedded and a server store sharing KB_DATA_DIR
    never share a manifest or a derived index."""
    s = settings
    suffix = f"{s.chroma_host}-{s.chroma_port}-" if s.uses_server else ""
    return f"{suffix}{s.collection}"


def manifest_path(settings: KnowledgeSettings) -> Path:
    return settings.data_dir / f"manifest-{_store_tag(settings)}.json"


def lexical_dir(settings: KnowledgeSettings) -> Path:
    return settings.data_dir / f"bm25-{_store_tag(settings)}"


def lock_path(settings: KnowledgeSettings) -> Path:
    return settings.data_dir / f"ingest-{_store_tag(settings)}.lock"


def langstats_path(settings: KnowledgeSettings, sentences: bool = False) -> Path:
    kind = "sentences" if sentences else "chunks"
    return settings.data_dir / f"langstats-{_store_tag(settings)}-{kind}.npz"


def sentence_id(doc_id: str, sentence: str) -> str:
    """Content-derived id of a sentence vector within its document."""
    return hashlib.sha1(f"{doc_id}\x00{sentence}".encode()).hexdigest()[:24]


def source_key_for(path: Path) -> str:
    """Stable identity of a file: bundled documents by name, others by absolute path."""
    resolved = path.resolve()
    if resolved.is_relative_to(BUNDLED_DIR):
        return "bundled/" + resolved.relative_to(BUNDLED_DIR).as_posix()
    return resolved.as_posix()
