"""The top of a copied page: a headline, a standfirst, a byline (a held-out page of tests/pages)."""

from __future__ import annotations

from pathlib import Path

from knowledge.loaders import load_document

PAGE = Path(__file__).resolve().parent / "pages" / "en" / "en-h16-sarytobe-tungsten-concentrator.txt"


def test_a_standfirst_without_a_full_stop_is_neither_the_title_nor_a_fragment_of_the_body() -> None:
    doc = load_document(PAGE)
    assert doc.meta.title == "Chinese partner to revive tungsten output at Karaganda-region mine"
    assert doc.meta.author == "Aigerim Dosmukhamedova" and doc.meta.date == "2025-03-20"
    assert doc.text.startswith("A Chinese tungsten processor has agreed")
    assert "with first rail shipments to Jiangxi planned for 2027" not in doc.text
