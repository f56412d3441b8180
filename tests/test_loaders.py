"""Loaders on real files: the shared corpus, generated HTML/PDF, and every way a file can be bad."""

from __future__ import annotations

import csv
import hashlib
import os
import random
from pathlib import Path

import pytest

from knowledge.errors import DocumentError, UnsupportedFile
from knowledge.loaders import SUPPORTED_EXTENSIONS, content_hash, iter_files, load_document

SEED = "corpus/seed/china-central-asia-cooperation-2024.txt"


def make_pdf(lines: list[str], title: str = "Khorgos Report", author: str = "Jane Doe") -> bytes:
    """A minimal valid one-page PDF with Helvetica text and an info dictionary."""
    content = "BT /F1 12 Tf 72 720 Td 14 TL " + " ".join(f"({line}) Tj T*" for line in lines) + " ET"
    objects = [
        "<< /Type /Catalog /Pages 2 0 R >>",
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        "/Resources << /Font << /F1 5 0 R >> >> >>",
        f"<< /Length {len(content)} >>\nstream\n{content}\nendstream",
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        f"<< /Title ({title}) /Author ({author}) /CreationDate (D:20240724120000Z) >>",
    ]
    out = b"%PDF-1.4\n"
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n{body}\nendobj\n".encode("latin-1")
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{offset:010d} 00000 n \n".encode() for offset in offsets)
    trailer = f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R /Info 6 0 R >>"
    out += f"{trailer}\nstartxref\n{xref}\n%%EOF\n".encode()
    return out


HTML = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<title>Khorgos dry port doubles its throughput | Silk Road Times</title>
<meta property="og:title" content="Khorgos dry port doubles its throughput">
<meta property="og:site_name" content="Silk Road Times">
<meta name="author" content="Aigerim Nurlanova">
<meta property="article:published_time" content="2024-07-24T10:00:00Z">
</head><body>
<header><nav><ul><li><a href="/">Home</a></li><li><a href="/world">World News Section</a></li>
<li><a href="/sport">Sport Pages Menu</a></li></ul></nav></header>
<main><article>
<h1>Khorgos dry port doubles its throughput</h1>
<p>The Khorgos Gateway dry port on the border between Kazakhstan and China handled more than 500,000
containers in the first half of the year, its operator said on Wednesday. That is twice the volume
recorded in the same period a year earlier.</p>
<p>Officials attributed the growth to new rail services linking Chinese manufacturing centres with
European markets through Central Asia. Trains now take about twelve days to cross the continent.</p>
<p>The port is part of the Khorgos special economic zone, which also includes a free trade area where
visitors from both countries can shop without visas for up to thirty days.</p>
</article>
<section class="comments"><h3>Comments</h3>
<div class="comment"><p>Great news for our region, first reader comment here!</p></div></section>
</main>
<footer><p>Copyright 2024 Silk Road Times. All rights reserved. Contact the editorial board.</p></footer>
</body></html>
"""


def write(tmp_path: Path, name: str, data: bytes | str) -> Path:
    path = tmp_path / name
    if isinstance(data, str):
        path.write_text(data, encoding="utf-8")
    else:
        path.write_bytes(data)
    return path


def test_seed_loads_clean_with_recovered_metadata(shared_dir: Path) -> None:
    doc = load_document(shared_dir / SEED)
    assert doc.meta.title == "China-Central Asia cooperation shows no signs of slowing"
    assert doc.meta.author == "Hannan Hussain"
    assert doc.meta.source == "China.org.cn"
    assert doc.meta.date == "2024-07-24"
    assert doc.meta.lang == "en"
    for junk in ("分享缩略图", "Comment(s)", "Adjust font size", "App Download", "User Name", "moderator"):
        assert junk not in doc.text
    assert "An aerial view of the container terminal of Lianyungang port" in doc.text
    assert "The author is a foreign affairs commentator" in doc.text


def test_every_note_loads_with_front_matter_metadata(shared_dir: Path) -> None:
    notes = shared_dir / "corpus" / "notes"
    with (notes / "INDEX.tsv").open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle, delimiter="\t"))
    assert len(rows) == 40
    for row in rows:
        doc = load_document(notes / row["file"])
        assert (doc.meta.title, doc.meta.source, doc.meta.date, doc.meta.lang) == (
            row["title"],
            row["source"],
            row["date"],
            row["lang"],
        ), row["file"]
        assert doc.meta.kind == "note"
        assert doc.meta.url.startswith("http")
        assert not doc.text.startswith("---") and "\n\n\n" not in doc.text
        assert doc.text == doc.text.strip()


def test_front_matter_fields_and_fallbacks(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "my_note-file.md",
        "---\npublisher: Xinhua\nauthor: Li Wei\ndate: 19 May 2023\ntopics: [energy, gas]\n---\n"
        "Газопровод Центральная Азия – Китай работает с 2009 года.\u00a0\n\n\n\nВторой абзац.\n",
    )
    doc = load_document(path)
    assert doc.meta.title == "my note file"
    assert doc.meta.source == "Xinhua"
    assert doc.meta.author == "Li Wei"
    assert doc.meta.date == "2023-05-19"
    assert doc.meta.topics == ("energy", "gas")
    assert doc.meta.lang == "ru"
    assert doc.text == "Газопровод Центральная Азия – Китай работает с 2009 года.\n\nВторой абзац."


def test_ids_and_hashes(tmp_path: Path) -> None:
    path = write(tmp_path, "a.md", "---\ntitle: One\n---\nSome text about trade.\n")
    doc = load_document(path)
    key = path.resolve().as_posix()
    assert doc.source_key == key
    assert doc.doc_id == hashlib.sha1(key.encode()).hexdigest()[:16]
    assert doc.content_hash == content_hash(doc.text, doc.meta)
    assert (
        load_document(path, source_key="bundled/a.md").doc_id
        == hashlib.sha1(b"bundled/a.md").hexdigest()[:16]
    )
    assert load_document(path).content_hash == doc.content_hash
    path.write_text("---\ntitle: Two\n---\nSome text about trade.\n", encoding="utf-8")
    retitled = load_document(path)
    assert retitled.doc_id == doc.doc_id and retitled.content_hash != doc.content_hash


def test_html_via_trafilatura(tmp_path: Path) -> None:
    doc = load_document(write(tmp_path, "page.html", HTML))
    assert "handled more than 500,000 containers" in doc.text
    assert "shop without visas for up to thirty days." in doc.text
    for junk in ("World News Section", "Sport Pages Menu", "first reader comment", "All rights reserved"):
        assert junk not in doc.text
    assert doc.meta.title == "Khorgos dry port doubles its throughput"
    assert doc.meta.source == "Silk Road Times"
    assert doc.meta.author == "Aigerim Nurlanova"
    assert doc.meta.date == "2024-07-24"


def test_pdf_loads_text_and_info(tmp_path: Path) -> None:
    lines = ["Khorgos is a dry port on the China-Kazakhstan border.", "It opened in 2015."]
    doc = load_document(write(tmp_path, "report.pdf", make_pdf(lines)))
    assert "Khorgos is a dry port on the China-Kazakhstan border." in doc.text
    assert "It opened in 2015." in doc.text
    assert (doc.meta.title, doc.meta.author, doc.meta.date) == ("Khorgos Report", "Jane Doe", "2024-07-24")


@pytest.mark.parametrize(
    ("name", "data", "reason"),
    [
        ("empty.txt", b"", "empty file"),
        ("blank.md", b" \n\t\n\xc2\xa0\n\n", "no text left"),
        ("furniture.txt", b"Print E-mail Bookmark and Share\nNo comments.\n", "no text left"),
        ("fm-only.md", b"---\ntitle: x\n---\n\n", "no text left"),
        ("junk.txt", random.Random(7).randbytes(4096), "binary data"),
        ("ctrl.txt", b"abc\x01\x02\x03\x04\x05\x06\x07\x08" * 20, "binary data"),
        ("cp1251.txt", "Торговля между Китаем и Казахстаном".encode("cp1251"), "not UTF-8 text"),
        (
            "corrupt.pdf",
            b"%PDF-1.4\n1 0 obj << /Type /Catalog >>\ngarbage" + bytes(range(256)),
            "corrupt or unreadable PDF",
        ),
        ("fake.pdf", b"this is not a pdf at all", "corrupt or unreadable PDF"),
        ("truncated.pdf", make_pdf(["Hello there."])[:200], "corrupt or unreadable PDF"),
        ("blank.pdf", make_pdf([]), "no extractable text"),
        ("junk.html", b"\x00\x01binary" * 50, "binary data"),
    ],
)
def test_bad_files_raise_clear_errors(tmp_path: Path, name: str, data: bytes, reason: str) -> None:
    path = write(tmp_path, name, data)
    with pytest.raises(DocumentError) as caught:
        load_document(path)
    assert reason in caught.value.reason
    assert caught.value.path == str(path)
    assert str(caught.value).startswith(str(path))


def test_unknown_extension_is_unsupported(tmp_path: Path) -> None:
    with pytest.raises(UnsupportedFile, match=r"unsupported file type '\.docx'"):
        load_document(write(tmp_path, "report.docx", b"PK\x03\x04 zip"))
    assert ".docx" not in SUPPORTED_EXTENSIONS


def test_oversized_file_is_rejected_before_reading(tmp_path: Path) -> None:
    path = write(tmp_path, "big.txt", "word " * 1000)
    with pytest.raises(DocumentError, match="too large") as caught:
        load_document(path, max_bytes=1000)
    assert "5000 bytes exceeds the 1000 bytes limit" in caught.value.reason


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(DocumentError, match="no such file"):
        load_document(tmp_path / "nope.md")


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="root ignores file permissions")
def test_unreadable_file(tmp_path: Path) -> None:
    path = write(tmp_path, "secret.md", "Some text.")
    path.chmod(0)
    try:
        with pytest.raises(DocumentError, match="permission denied"):
            load_document(path)
    finally:
        path.chmod(0o644)


def test_iter_files_walks_sorted_skipping_hidden(tmp_path: Path) -> None:
    for name in ["b/z.md", "b/a.txt", "a.pdf", "c.docx", ".hidden.md", ".git/config.md", "b/.x/y.md"]:
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("x", encoding="utf-8")
    single = tmp_path / "b" / "z.md"
    found = [p.relative_to(tmp_path).as_posix() for p in iter_files([tmp_path, single])]
    assert found == ["a.pdf", "b/a.txt", "b/z.md", "c.docx", "b/z.md"]


def test_directory_is_not_a_regular_file(tmp_path: Path) -> None:
    (tmp_path / "folder.md").mkdir()
    with pytest.raises(DocumentError, match="not a regular file"):
        load_document(tmp_path / "folder.md")
