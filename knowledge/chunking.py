"""Pure: sentences and Document -> [Chunk] with stable, content-derived ids.

Chunks are exact slices of the document text (whole sentences, with paragraph breaks kept when a
chunk spans paragraphs), so a chunk can always be found again in its document; in a document with
per-fact source notes (``knowledge.sourcenotes``) the notes are removed first, chunks never cross a
note, and each chunk carries its section's source instead of the document's.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable
from dataclasses import dataclass

from knowledge.embeddings import approx_tokens
from knowledge.models import Chunk, Document
from knowledge.sourcenotes import split_by_source
from knowledge.text import CJK_CHARS, word_count

Counter = Callable[[str], int]

_ABBREVIATIONS = frozenset(
    """mr mrs ms dr prof st jr sr vs etc e.g i.e cf al no nos fig figs inc ltd co corp gen gov sen rep
    col lt sgt capt adm pres dept est approx jan feb mar apr jun jul aug sep sept oct nov dec mt ft
    г гг т.е т.д т.п т.к см им ул млн млрд тыс руб долл др пр стр н.э проф акад""".split()  # noqa: SIM905
)
_CJK_END = re.compile(r"[。！？]+[”」』）)\"'’]*")
_LATIN_END = re.compile(r"[.!?…]+[”\"'’»)\]]*(?=\s)")
_SENTENCE_START = re.compile(f"[\"'“‘«(\\[\\d{CJK_CHARS}]|[^\\W\\d_]")
_PARAGRAPH_BREAK = re.compile(r"\n[ \t]*\n")
_LINE_START = re.compile(r"\n[ \t]*(?:[-*•+]\s|#{1,6}\s|\d{1,3}[.)]\s)")
_INITIALS = re.compile(r"(?:[^\W\d_]{1,2}\.)*[^\W\d_]")
_CLAUSE = re.compile(r"[,;:，、；：—]+\s*")


def _is_boundary(text: str, start: int, match: re.Match[str]) -> bool:
    """Whether a Latin/Cyrillic terminator at ``match`` really ends the sentence."""
    rest = text[match.end() :].lstrip()
    if rest and not (_SENTENCE_START.match(rest) and (not rest[0].isalpha() or not rest[0].islower())):
        return False
    if not match.group(0).startswith("."):
        return True
    token = text[start : match.start()].split()[-1:] or [""]
    word = token[0].lstrip("\"'“‘«([")
    if word.lower() in _ABBREVIATIONS:
        return False
    return not (_INITIALS.fullmatch(word) and any(c.isupper() for c in word))


def _sentence_spans(text: str, offset: int = 0) -> list[tuple[int, int]]:
    """(start, end) of each sentence in ``text``, shifted by ``offset``; whitespace excluded."""
    cuts: list[int] = []
    start = 0
    candidates = sorted(
        [(m.end(), m) for m in _CJK_END.finditer(text)]
        + [(m.end(), m) for m in _LATIN_END.finditer(text)]
        + [(m.start(), None) for m in _LINE_START.finditer(text)]
        + [(m.start(), None) for m in _PARAGRAPH_BREAK.finditer(text)],
        key=lambda item: item[0],  # ties would compare a Match with None
    )
    for end, match in candidates:
        if end <= start:
            continue
        if match is None or match.re is _CJK_END or _is_boundary(text, start, match):
            cuts.append(end)
            start = end
    spans: list[tuple[int, int]] = []
    for a, b in zip([0, *cuts], [*cuts, len(text)], strict=True):
        piece = text[a:b]
        if piece.strip():
            lead = len(piece) - len(piece.lstrip())
            spans.append((offset + a + lead, offset + a + len(piece.rstrip())))
    return spans


def split_sentences(text: str) -> list[str]:
    """Split English, Russian or Chinese text into sentences (abbreviations, initials, decimals kept)."""
    return [text[a:b] for a, b in _sentence_spans(text)]


def sentence_windows(text: str) -> list[tuple[str, str]]:
    """(sentence, window) pairs: the window adds the previous sentence of the same paragraph, so
    the composer can quote a sentence together with the neighbour that names its subject
    ("Silk Road News gives 523 km" after "The sources disagree on the railway's length.")."""
    out: list[tuple[str, str]] = []
    for paragraph in _PARAGRAPH_BREAK.split(text):
        previous = ""
        for sentence in split_sentences(paragraph):
            out.append((sentence, f"{previous} {sentence}" if previous else sentence))
            previous = sentence
    return out


@dataclass(frozen=True)
class _Unit:
    start: int
    end: int
    paragraph: int


_SPLITTERS: tuple[re.Pattern[str] | None, ...] = (_CLAUSE, re.compile(r"\s+"), None)


def _split_long(
    text: str, start: int, end: int, max_tokens: int, count: Counter, level: int = 0
) -> list[tuple[int, int]]:
    """Cut an over-long span at clause marks, then whitespace, then characters; each piece <= max."""
    if level >= len(_SPLITTERS):
        return [(start, end)]
    pattern = _SPLITTERS[level]
    if pattern is None:
        cuts = list(range(start + 1, end + 1))
    else:
        cuts = [m.end() for m in pattern.finditer(text, start, end) if start < m.end() < end] + [end]
    pieces: list[tuple[int, int]] = []
    piece_start, i, n = start, 0, len(cuts)

    def fits(j: int) -> bool:
        return count(text[piece_start : cuts[j]]) <= max_tokens

    while i < n:
        if not fits(i):  # one segment alone is too long: keep it whole here, split it finer below
            pieces.append((piece_start, cuts[i]))
            piece_start, i = cuts[i], i + 1
            continue
        lo, hi, step = i, n, 1  # gallop, then bisect, for the last cut that still fits
        while lo + step < n:
            if not fits(lo + step):
                hi = lo + step
                break
            lo, step = lo + step, step * 2
        while hi - lo > 1:
            mid = (lo + hi) // 2
            lo, hi = (mid, hi) if fits(mid) else (lo, mid)
        pieces.append((piece_start, cuts[lo]))
        piece_start, i = cuts[lo], lo + 1
    result: list[tuple[int, int]] = []
    for a, b in pieces:
        segment = text[a:b]
        a, b = a + len(segment) - len(segment.lstrip()), a + len(segment.rstrip())
        if b <= a:
            continue
        if count(text[a:b]) > max_tokens:
            result.extend(_split_long(text, a, b, max_tokens, count, level + 1))
        else:
            result.append((a, b))
    return result


def _paragraphs(text: str) -> list[tuple[int, int]]:
    """(start, end) of blank-line separated blocks."""
    spans: list[tuple[int, int]] = []
    start = 0
    for sep in [*re.finditer(r"\n[ \t]*\n\s*", text), None]:
        end = sep.start() if sep else len(text)
        if text[start:end].strip():
            spans.append((start, end))
        start = sep.end() if sep else end
    return spans


def _units(text: str, max_tokens: int, count: Counter) -> list[_Unit]:
    units: list[_Unit] = []
    for p_index, (p_start, p_end) in enumerate(_paragraphs(text)):
        for a, b in _sentence_spans(text[p_start:p_end], p_start):
            if count(text[a:b]) <= max_tokens:
                units.append(_Unit(a, b, p_index))
            else:
                units.extend(_Unit(x, y, p_index) for x, y in _split_long(text, a, b, max_tokens, count))
    return units


def _pack(text: str, units: list[_Unit], max_tokens: int, count: Counter, overlap: int) -> list[str]:
    chunks: list[str] = []
    current: list[_Unit] = []

    def span(group: list[_Unit]) -> str:
        return text[group[0].start : group[-1].end]

    for unit in units:
        if current:
            used = count(span(current))
            if unit.paragraph != current[-1].paragraph and used * 2 >= max_tokens:
                chunks.append(span(current))
                current = []
            elif count(text[current[0].start : unit.end]) > max_tokens:
                chunks.append(span(current))
                carried = [
                    u
                    for u in (current[-overlap:] if overlap else [])
                    if u.paragraph == unit.paragraph and count(text[u.start : u.end]) * 4 <= max_tokens
                ]
                while carried and count(text[carried[0].start : unit.end]) > max_tokens:
                    carried = carried[1:]
                current = carried
        current.append(unit)
    if current:
        chunks.append(span(current))
    return chunks


def chunk_id(doc_id: str, text: str) -> str:
    """First 24 hex chars of sha1(doc_id + NUL + text)."""
    return hashlib.sha1(f"{doc_id}\x00{text}".encode()).hexdigest()[:24]


def chunk_document(
    doc: Document,
    max_tokens: int = 200,
    count_tokens: Counter = approx_tokens,
    overlap_sentences: int = 1,
) -> list[Chunk]:
    """Pack whole sentences into chunks of at most ``max_tokens`` (as measured by ``count_tokens``).

    A chunk ends at a paragraph break once it is at least half full; ``overlap_sentences`` short
    trailing sentences of a chunk are repeated at the start of the next one within a paragraph.
    Repeated texts in one document get ``-1``, ``-2`` ... id suffixes, in order of position.
    """
    if max_tokens < 1:
        raise ValueError(f"max_tokens must be positive, got {max_tokens}")
    if overlap_sentences < 0:
        raise ValueError(f"overlap_sentences must be >= 0, got {overlap_sentences}")
    texts = [
        (text, section.meta)
        for section in split_by_source(doc.text, doc.meta)
        for text in _pack(
            section.text,
            _units(section.text, max_tokens, count_tokens),
            max_tokens,
            count_tokens,
            overlap_sentences,
        )
    ]
    substantial = [(t, m) for t, m in texts if word_count(t) >= 3 or any(c.isdigit() for c in t)]
    if substantial or len(texts) > 1:
        texts = substantial
    seen: dict[str, int] = {}
    chunks: list[Chunk] = []
    for position, (text, meta) in enumerate(texts):
        base = chunk_id(doc.doc_id, text)
        repeat = seen.get(base, 0)
        seen[base] = repeat + 1
        chunks.append(
            Chunk(
                chunk_id=f"{base}-{repeat}" if repeat else base,
                doc_id=doc.doc_id,
                position=position,
                text=text,
                meta=meta,
            )
        )
    return chunks
