"""Metadata filters (document, topic, date range) through the real engine, and the CLI flags."""

from __future__ import annotations

from typing import Any

import pytest

from bot.__main__ import main
from knowledge.models import SearchFilter

pytestmark = pytest.mark.slow

QUESTION = "How is the Trans-Caspian route linked to Kazakhstan and the Caspian Sea?"


def _dates(answer: Any) -> list[str]:
    return [c.date for c in answer.citations]


def test_date_range_filters_citations(bot_engine: Any) -> None:
    unfiltered = bot_engine.ask(QUESTION)
    assert not unfiltered.abstained
    since = bot_engine.ask(QUESTION, flt=SearchFilter(date_from="2024-06-01"))
    assert since.citations and all(d >= "2024-06-01" for d in _dates(since))
    until = bot_engine.ask(QUESTION, flt=SearchFilter(date_to="2024-06-01"))
    assert not until.abstained and until.citations  # all() over no citations would prove nothing
    assert all(d and d <= "2024-06-01" for d in _dates(until))


def test_document_filter_keeps_one_document(bot_engine: Any) -> None:
    first = bot_engine.ask(QUESTION)
    assert not first.abstained and first.citations
    doc_id = first.citations[0].doc_id
    only = bot_engine.ask(QUESTION, flt=SearchFilter(doc_ids=(doc_id,)))
    assert not only.abstained and only.citations  # a subset of no citations would prove nothing
    assert {c.doc_id for c in only.citations} == {doc_id}


def test_topic_filter_excluding_everything_abstains(bot_engine: Any) -> None:
    answer = bot_engine.ask(QUESTION, flt=SearchFilter(topic="zzz-no-such-topic"))
    assert answer.abstained and not answer.citations


@pytest.mark.parametrize(
    ("argv", "needle"),
    [
        (["--since", "last week"], "--since: 'last week' is not an ISO date"),
        (["--until", "2024-13-01"], "--until: '2024-13-01' is not an ISO date"),
        (["--since", "2024-06-01", "--until", "2024-01-01"], "--until: the end date 2024-01-01 is before"),
    ],
)
def test_cli_rejects_junk_dates_with_a_clear_message(
    argv: list[str], needle: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["ask", QUESTION, *argv]) == 2
    assert needle in capsys.readouterr().err
