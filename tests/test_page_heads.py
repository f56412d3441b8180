"""The top of a copied page: a headline, a standfirst, a byline (a held-out page of tests/pages)."""

from __future__ import annotations

from pathlib import Path

from knowledge.loaders import load_document
from knowledge.weblines import paragraphs

PAGE = Path(__file__).resolve().parent / "pages" / "en" / "en-h16-sarytobe-tungsten-concentrator.txt"


def test_a_standfirst_without_a_full_stop_is_neither_the_title_nor_a_fragment_of_the_body() -> None:
    doc = load_document(PAGE)
    assert doc.meta.title == "Chinese partner to revive tungsten output at Karaganda-region mine"
    assert doc.meta.author == "Aigerim Dosmukhamedova" and doc.meta.date == "2025-03-20"
    assert doc.text.startswith("A Chinese tungsten processor has agreed")
    assert "with first rail shipments to Jiangxi planned for 2027" not in doc.text


def test_a_two_line_note_below_the_article_is_one_paragraph_but_a_headline_over_a_standfirst_is_not() -> None:
    body = ("The partners signed the shareholder agreement in Astana on March 17 in the presence of\n"
            "officials from the Ministry of Industry and the economic section of the Chinese embassy.\n\n"
            "According to the companies, the project will cost $214 million, of which about $150 million\n"
            "is to come as a loan arranged with two Chinese banks and the rest as equity from both sides.\n")
    note = ("Aigerim Dosmukhamedova covers mining and metals for Steppe Capital Weekly from the\n"
            "Karaganda office.\n")
    paras = paragraphs(f"{body}\n{note}")
    assert paras[-1] == " ".join(note.split("\n")).strip()
    top = ("Chinese partner to revive tungsten output at the Sarytobe deposit in Karaganda region\n"
           "The deal is worth 214 million dollars.\n")
    assert paragraphs(f"{top}\n{body}")[:2] == [top.split("\n")[0], "The deal is worth 214 million dollars."]
