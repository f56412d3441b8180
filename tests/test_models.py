"""Typed models: the search filter validates its dates where it is built."""

from __future__ import annotations

import pytest

from knowledge.models import Citation, InvalidFilter, SearchFilter


@pytest.mark.parametrize("good", ["2024-06-01", "2024-06", "2024", " 2024-02-29 "])
def test_iso_dates_are_accepted(good: str) -> None:
    flt = SearchFilter(date_from=good, date_to=good)
    assert flt.date_from == good.strip() and not flt.is_empty()


@pytest.mark.parametrize("junk", ["", "yesterday", "2024-13-01", "2023-02-29", "24-06-01", "2024/06/01",
                                  "2024-6-1", "2024-06-01T00:00"])
def test_junk_dates_raise_invalid_filter(junk: str) -> None:
    with pytest.raises(InvalidFilter) as info:
        SearchFilter(date_from=junk)
    assert info.value.field == "date_from" and "ISO date" in str(info.value)
    with pytest.raises(InvalidFilter) as info:
        SearchFilter(date_to=junk)
    assert info.value.field == "date_to"


def test_end_before_start_is_refused() -> None:
    with pytest.raises(InvalidFilter, match="before the start date"):
        SearchFilter(date_from="2024-06-01", date_to="2024-01-01")
    assert SearchFilter(date_from="2024-06", date_to="2024-06-30").date_to == "2024-06-30"
    assert SearchFilter(date_from="2024-06-15", date_to="2024-06").date_to == "2024-06"  # through June
    assert SearchFilter(date_from="2024-03-01", date_to="2024").date_from == "2024-03-01"


def test_built_by_keyword_only() -> None:
    with pytest.raises(TypeError):
        SearchFilter(("doc",))  # type: ignore[call-arg]


def _cite(source: str, snippet: str) -> Citation:
    return Citation(n=1, title="T", source=source, date="", url="", snippet=snippet, chunk_id="c", doc_id="d")


def test_a_compilation_cites_the_publishers_its_quote_names_else_the_first_few() -> None:
    many = "Trend News Agency; Silk Road News; Geo Live; China Daily; AKIpress; Asia-Plus"
    assert _cite(many, "The tunnel opened in 2012, Asia-Plus reported.").publishers() == "Asia-Plus"
    quote = "Silk Road News gives 523 km, while Trend News Agency gives 486 km."
    assert _cite(many, quote).publishers() == "Trend News Agency; Silk Road News"
    first = "Trend News Agency; Silk Road News; Geo Live (+3)"
    assert _cite(many, "No outlet named here.").publishers() == first
    # another quote (a fact card's sentence) can be given; a short list is shown as it is
    assert _cite(many, "x").publishers("Geo Live said so.") == "Geo Live"
    assert _cite("Xinhua; CGTN", "x").publishers() == "Xinhua; CGTN"
