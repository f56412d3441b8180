"""Errors the engine raises; every message says what went wrong and what to do."""

from __future__ import annotations


class KnowledgeError(Exception):
    """Base class for every error the knowledge engine raises on purpose."""


class StoreMissing(KnowledgeError):
    """The store does not exist or holds no documents."""

    def __init__(self, where: str) -> None:
        super().__init__(
            f"The knowledge base at {where} is empty or missing. "
            "Run `python scripts/ingest.py` (bundled knowledge) or "
            "`python scripts/ingest.py PATH...` to build it."
        )


class ModelMismatch(KnowledgeError):
    """The collection was built by another embedding model than the configured one."""

    def __init__(self, built_with: str, built_dim: int, configured: str, dim: int) -> None:
        super().__init__(
            f"The knowledge base was built with embedding model {built_with!r} ({built_dim}-d) "
            f"but KB_EMBEDDING_MODEL is {configured!r} ({dim}-d). Set KB_EMBEDDING_MODEL back, "
            "or re-index with `python scripts/ingest.py --rebuild PATH...`."
        )


class IndexOutdated(KnowledgeError):
    """The collection was written by another version of the indexer."""

    def __init__(self, where: str) -> None:
        super().__init__(
            f"The knowledge base at {where} was built by another version of this software. "
            "Re-index it with `python scripts/ingest.py --rebuild PATH...`."
        )


class StoreUnavailable(KnowledgeError):
    """The store (usually a Chroma server) cannot be reached right now."""


class StoreCorrupt(KnowledgeError):
    """The store on disk cannot be opened (corrupted, or written by an incompatible version)."""


class DocumentError(KnowledgeError):
    """A single file could not be ingested; the message is the reason shown to the user."""

    def __init__(self, path: str, reason: str) -> None:
        super().__init__(f"{path}: {reason}")
        self.path = path
        self.reason = reason


class UnsupportedFile(DocumentError):
    """The file extension is not one we can read."""
