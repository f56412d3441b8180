"""Typed data that crosses module boundaries. Imports nothing of ours."""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass(frozen=True, kw_only=True)
class DocumentMeta:
    """What we know about a document besides its text.

    ``source`` is the publisher (e.g. "China.org.cn"); ``date`` is ISO ``YYYY-MM-DD`` or "".
    ``kind`` is free text from front matter ("article", "note", "summary", ...).
    """

    title: str = ""
    source: str = ""
    author: str = ""
    url: str = ""
    date: str = ""
    lang: str = ""
    topics: tuple[str, ...] = ()
    kind: str = ""


@dataclass(frozen=True, kw_only=True)
class Document:
    """One loaded and cleaned document.

    ``doc_id`` is stable for the same source key (path); ``content_hash`` changes with the text.
    """

    doc_id: str
    source_key: str
    text: str
    meta: DocumentMeta
    content_hash: str


@dataclass(frozen=True, kw_only=True)
class Chunk:
    """A piece of a document sized for the embedding model; ``chunk_id`` derives from content."""

    chunk_id: str
    doc_id: str
    position: int
    text: str
    meta: DocumentMeta


@dataclass(frozen=True, kw_only=True)
class Passage:
    """A retrieved chunk: fused score, each retriever's rank (0 = absent), and its dense cosine
    similarity, raw and as a z-score within its document-language pool."""

    chunk: Chunk
    score: float
    dense_rank: int = 0
    lexical_rank: int = 0
    dense_sim: float = 0.0
    dense_z: float = 0.0


@dataclass(frozen=True, kw_only=True)
class Citation:
    """A numbered source shown under an answer."""

    n: int
    title: str
    source: str
    date: str
    url: str
    snippet: str
    chunk_id: str
    doc_id: str

    def publishers(self, quote: str | None = None, most: int = 3) -> str:
        """The publisher as a citation shows it. A compilation lists many ("A; B; C; …"): those
        the quoted text (the snippet by default) names itself ("…, Asia-Plus reported"), else the
        first ``most`` and how many more ("A; B; C (+10)")."""
        names = [n.strip() for n in self.source.split(";") if n.strip()]
        if len(names) <= most:
            return self.source
        quoted = (self.snippet if quote is None else quote).casefold()
        named = [n for n in names if n.casefold() in quoted]
        return "; ".join(named) if named else "; ".join(names[:most]) + f" (+{len(names) - most})"


@dataclass(frozen=True, kw_only=True)
class Answer:
    """The engine's reply to one question.

    ``text`` holds sentences followed by ``[n]`` markers that point into ``citations``.
    When ``abstained`` is true, ``text`` is empty, ``suggestions`` lists covered topics and
    ``closest`` may hold the retrieved sentence that came nearest: what the documents do say,
    offered as such and not as the answer.
    """

    question: str
    text: str
    citations: tuple[Citation, ...]
    abstained: bool
    language: str
    reason: str = ""
    conflict: bool = False
    suggestions: tuple[str, ...] = ()
    closest: Citation | None = None
    timings: dict[str, float] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        """A JSON-ready dict; ``answer`` is the text (the CLI's documented field name)."""
        data = asdict(self)
        data["answer"] = data.pop("text")
        return data


@dataclass(frozen=True, kw_only=True)
class FactCard:
    """A key figure with one self-contained sentence of context and its source."""

    card_id: str
    headline: str
    sentence: str
    tags: tuple[str, ...]
    citation: Citation
    score: float = 0.0

    def to_json(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> FactCard:
        """Inverse of ``to_json``."""
        return cls(
            card_id=str(data["card_id"]),
            headline=str(data["headline"]),
            sentence=str(data["sentence"]),
            tags=tuple(str(t) for t in data.get("tags", ()) or ()),
            citation=Citation(**dict(data["citation"])),
            score=float(data.get("score", 0.0)),
        )


@dataclass(frozen=True, kw_only=True)
class SourceInfo:
    """One document in the knowledge base, as listed by /sources."""

    doc_id: str
    title: str
    source: str
    date: str
    url: str
    chunks: int


class InvalidFilter(ValueError):
    """A search filter that cannot be applied (e.g. a date that is not ISO); ``field`` names it."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field


def _iso_date(field: str, value: str | None) -> str | None:
    """``value`` as given when it is an ISO date (YYYY-MM-DD, YYYY-MM or YYYY), else InvalidFilter."""
    if value is None:
        return None
    text = value.strip()
    formats = {10: "%Y-%m-%d", 7: "%Y-%m", 4: "%Y"}
    try:
        dt.datetime.strptime(text, formats[len(text)])
    except (KeyError, ValueError):
        raise InvalidFilter(field, f"{value!r} is not an ISO date (YYYY-MM-DD, YYYY-MM or YYYY)") from None
    return text


def _padded(iso: str, fill: str) -> str:
    """YYYY or YYYY-MM filled to YYYY-MM-DD with ``fill`` (00 for a start, 99 for an end)."""
    return iso + f"-{fill}" * ((10 - len(iso)) // 3)


@dataclass(frozen=True, kw_only=True)
class SearchFilter:
    """Optional restrictions on what retrieval may return. Dates are validated here, where the
    filter is built: a junk date raises ``InvalidFilter`` instead of silently limiting nothing."""

    doc_ids: tuple[str, ...] = ()
    topic: str | None = None
    date_from: str | None = None  # ISO YYYY-MM-DD (or YYYY-MM, YYYY), inclusive
    date_to: str | None = None
    lang: str | None = None

    def __post_init__(self) -> None:
        start, end = _iso_date("date_from", self.date_from), _iso_date("date_to", self.date_to)
        object.__setattr__(self, "date_from", start)
        object.__setattr__(self, "date_to", end)
        if start and end and _padded(start, "00") > _padded(end, "99"):
            raise InvalidFilter("date_to", f"the end date {end} is before the start date {start}")

    def is_empty(self) -> bool:
        return not (self.doc_ids or self.topic or self.date_from or self.date_to or self.lang)
