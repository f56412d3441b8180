"""Path -> Document for Markdown/text (front matter or web copy), HTML (trafilatura) and PDF (pypdf).

Every failure is a ``DocumentError(path, reason)`` with a reason a person can act on.
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Iterator, Sequence
from dataclasses import asdict, replace
from pathlib import Path

from knowledge.cleaning import drop_reference_sections, normalise_whitespace, parse_front_matter
from knowledge.errors import DocumentError, UnsupportedFile
from knowledge.models import Document, DocumentMeta
from knowledge.text import detect_language, find_date
from knowledge.webpage import clean_web_text

log = logging.getLogger(__name__)

TEXT_EXTENSIONS = frozenset({".md", ".markdown", ".txt"})
HTML_EXTENSIONS = frozenset({".html", ".htm"})
PDF_EXTENSIONS = frozenset({".pdf"})
SUPPORTED_EXTENSIONS = TEXT_EXTENSIONS | HTML_EXTENSIONS | PDF_EXTENSIONS
MAX_PDF_PAGES = 2000
DEFAULT_MAX_BYTES = 20 * 2**20


def is_supported(path: Path) -> bool:
    return path.suffix.lower() in SUPPORTED_EXTENSIONS


def unsupported_reason(path: Path) -> str:
    kinds = ", ".join(sorted(SUPPORTED_EXTENSIONS))
    return f"unsupported file type {path.suffix.lower() or '(no extension)'!r}; use {kinds}"


def iter_files(paths: Sequence[Path]) -> Iterator[Path]:
    """Every non-hidden regular file under ``paths``, directories walked recursively in sorted order.

    Unsupported files are yielded too, so the caller can report them; paths given explicitly are
    yielded as they are (even if missing, so that loading reports the problem).
    """
    for path in paths:
        if path.is_dir():
            yield from _walk(path)
        else:
            yield path


def _walk(directory: Path) -> Iterator[Path]:
    try:
        entries = sorted(directory.iterdir(), key=lambda p: p.name)
    except OSError as exc:
        log.warning("cannot list %s: %s", directory, exc)
        return
    for entry in entries:
        if entry.name.startswith("."):
            continue
        if entry.is_dir():
            yield from _walk(entry)
        elif entry.is_file():
            yield entry


def load_document(path: Path, source_key: str | None = None, max_bytes: int = DEFAULT_MAX_BYTES) -> Document:
    """Load and clean one file.

    ``doc_id`` is the first 16 hex chars of sha1(source_key), the key defaulting to the resolved
    absolute POSIX path; ``content_hash`` is sha256 over the cleaned text and the metadata.
    """
    where = str(path)
    try:
        str(path.resolve()).encode("utf-8")
    except UnicodeEncodeError:  # undecodable bytes in the name: keys, titles and JSON need text
        where = where.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
        raise DocumentError(where, "the file name is not valid UTF-8; rename the file") from None
    suffix = path.suffix.lower()
    if not is_supported(path):
        raise UnsupportedFile(where, unsupported_reason(path))
    data = _read_bytes(path, max_bytes)
    try:
        if suffix in PDF_EXTENSIONS:
            text, meta = _load_pdf(path, data)
        elif suffix in HTML_EXTENSIONS:
            text, meta = _load_html(where, data)
        else:
            text, meta = _load_text(where, data)
    except DocumentError:
        raise
    except Exception as exc:  # a parser bug must not escape as a traceback
        raise DocumentError(where, f"could not be read ({type(exc).__name__}: {exc})") from exc
    if not text.strip():
        raise DocumentError(
            where, "no text left after cleaning (the file holds only whitespace or furniture)"
        )
    meta = _finish_meta(meta, text, path)
    key = source_key if source_key is not None else path.resolve().as_posix()
    return Document(
        doc_id=hashlib.sha1(key.encode("utf-8")).hexdigest()[:16],
        source_key=key,
        text=text,
        meta=meta,
        content_hash=content_hash(text, meta),
    )


def content_hash(text: str, meta: DocumentMeta) -> str:
    """sha256 of the text and the metadata, so that a metadata edit counts as a change."""
    digest = hashlib.sha256(text.encode("utf-8"))
    digest.update(b"\x00")
    digest.update(json.dumps(asdict(meta), sort_keys=True, ensure_ascii=False).encode("utf-8"))
    return digest.hexdigest()


def _read_bytes(path: Path, max_bytes: int) -> bytes:
    where = str(path)
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        raise DocumentError(where, "no such file") from None
    except OSError as exc:
        raise DocumentError(where, f"cannot access the file ({exc.strerror or exc})") from None
    if not path.is_file():
        raise DocumentError(where, "not a regular file")
    if size == 0:
        raise DocumentError(where, "empty file (0 bytes)")
    if size > max_bytes:
        raise DocumentError(
            where,
            f"file too large: {_mb(size)} exceeds the {_mb(max_bytes)} limit; split it or raise the limit",
        )
    try:
        return path.read_bytes()
    except PermissionError:
        raise DocumentError(where, "cannot read the file: permission denied") from None
    except OSError as exc:
        raise DocumentError(where, f"cannot read the file ({exc.strerror or exc})") from None


def _mb(n: int) -> str:
    return f"{n / 2**20:.1f} MB" if n >= 2**20 else f"{n} bytes"


_CONTROL_BYTES = bytes([*range(0, 9), 11, *range(14, 32), 127])


def _looks_binary(data: bytes) -> str:
    """A reason when ``data`` is not text: NUL bytes or more than 2% control bytes."""
    sample = data[:65536]
    if b"\x00" in sample:
        return "binary data, not text (contains NUL bytes)"
    if len(sample) - len(sample.translate(None, _CONTROL_BYTES)) > max(2, len(sample) // 50):
        return "binary data, not text (too many control characters)"
    return ""


def _decode_text(where: str, data: bytes) -> str:
    reason = _looks_binary(data)
    if reason:
        raise DocumentError(where, reason)
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise DocumentError(
            where,
            f"not UTF-8 text (invalid byte 0x{data[exc.start]:02x} at offset {exc.start}); save it as UTF-8",
        ) from None


def _load_text(where: str, data: bytes) -> tuple[str, DocumentMeta]:
    raw = _decode_text(where, data)
    front, body = parse_front_matter(raw)
    if not front:
        return clean_web_text(raw)

    def field(*keys: str) -> str:
        for key in keys:
            value = front.get(key)
            if isinstance(value, list):
                value = ", ".join(value)
            if value:
                return str(value).strip()
        return ""

    topics = front.get("topics") or front.get("tags") or []
    date = field("date")
    meta = DocumentMeta(
        title=field("title"),
        source=field("source", "publisher", "sitename"),
        author=field("author", "authors"),
        url=field("url", "link"),
        date=find_date(date)[0] or date,
        lang=field("lang", "language").lower(),
        topics=tuple(topics) if isinstance(topics, list) else (topics,),
        kind=field("kind", "type"),
    )
    return normalise_whitespace(drop_reference_sections(body)), meta


def _load_html(where: str, data: bytes) -> tuple[str, DocumentMeta]:
    import trafilatura  # deferred: pulls in lxml, htmldate, justext

    reason = _looks_binary(data)
    if reason:
        raise DocumentError(where, reason.replace("not text", "not HTML"))
    text = trafilatura.extract(
        data, output_format="txt", include_comments=False, include_tables=True, with_metadata=False
    )
    tree = trafilatura.load_html(data)
    if tree is None:
        raise DocumentError(where, "not parseable as HTML")
    if not text:
        text = trafilatura.html2txt(tree)
    found = trafilatura.extract_metadata(tree)
    meta = DocumentMeta()
    if found is not None:
        meta = DocumentMeta(
            title=found.title or "",
            source=found.sitename or "",
            author=found.author or "",
            url=found.url or "",
            date=find_date(found.date or "")[0],
            topics=tuple(found.tags or ()),
        )
    # trafilatura puts one block per line: make each a paragraph for the chunker
    body = normalise_whitespace((text or "").replace("\n", "\n\n"))
    if not body:
        raise DocumentError(where, "no readable article text found in the HTML")
    return body, meta


def _load_pdf(path: Path, data: bytes) -> tuple[str, DocumentMeta]:
    import io

    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    where = str(path)
    if not data.lstrip()[:5].startswith(b"%PDF"):
        raise DocumentError(where, "corrupt or unreadable PDF: no %PDF header")
    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted and not reader.decrypt(""):
            raise DocumentError(where, "PDF is encrypted with a password; save an unprotected copy")
        pages = reader.pages
        n_pages = len(pages)
    except DocumentError:
        raise
    except (PyPdfError, ValueError, KeyError, TypeError, AttributeError, OSError, RecursionError) as exc:
        raise DocumentError(where, f"corrupt or unreadable PDF: {exc or type(exc).__name__}") from None
    if n_pages > MAX_PDF_PAGES:
        log.warning("%s: %d pages, only the first %d are read", where, n_pages, MAX_PDF_PAGES)
    texts: list[str] = []
    failed = 0
    for i in range(min(n_pages, MAX_PDF_PAGES)):
        try:
            texts.append(pages[i].extract_text() or "")
        except Exception:  # one broken page should not lose the rest
            failed += 1
    if n_pages and failed == min(n_pages, MAX_PDF_PAGES):
        raise DocumentError(where, "corrupt or unreadable PDF: no page could be decoded")
    body = normalise_whitespace("\n\n".join(texts))
    if not body:
        raise DocumentError(where, "PDF has no extractable text (scanned images? run OCR first)")
    meta = DocumentMeta()
    try:
        info = reader.metadata
        if info is not None:
            created = info.creation_date
            meta = DocumentMeta(
                title=str(info.title or "").strip(),
                author=str(info.author or "").strip(),
                date=created.date().isoformat() if created else "",
            )
    except Exception:  # broken info dictionaries are common and harmless
        log.debug("%s: unreadable PDF metadata", where)
    return body, meta


def _finish_meta(meta: DocumentMeta, text: str, path: Path) -> DocumentMeta:
    """Fill what the file did not say: title from the file name, language from the text."""
    title = meta.title or path.stem.replace("_", " ").replace("-", " ").strip()
    return replace(meta, title=title, lang=meta.lang or detect_language(text))
