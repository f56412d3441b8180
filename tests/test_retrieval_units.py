"""Pure parts of retrieval and answering: fusion, tokenizer, language statistics, conflicts."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from knowledge.answer import build_answer, figures, has_conflict
from knowledge.evaluation import evidence_ranks, norm
from knowledge.langstats import LangStats
from knowledge.lexical import LexicalIndex, tokenize
from knowledge.models import Chunk, DocumentMeta, Passage
from knowledge.retrieval import rrf


def test_rrf_rewards_agreement() -> None:
    fused = rrf([(1.0, ["a", "b", "c"]), (1.0, ["b", "a"])])
    assert max(fused, key=fused.__getitem__) in {"a", "b"}
    assert fused["c"] < fused["a"]
    assert rrf([(0.0, ["x"])])["x"] == 0.0


def test_tokenizer_splits_chinese_and_stems_russian_and_english() -> None:
    zh = tokenize("农业技术交流示范基地")
    assert "农业" in zh and "基地" in zh and "农" in zh
    assert tokenize("дипломатические отношения") == tokenize("дипломатических отношений")
    assert tokenize("railways") == tokenize("railway")
    assert tokenize("the of и 的") == []


def test_lexical_index_finds_chinese_and_round_trips(tmp_path: Path) -> None:
    index = LexicalIndex.build(
        [("a", "中国在陕西建立了农业技术交流示范基地"), ("b", "Trade with Kazakhstan")], 7
    )
    assert index.search("农业示范基地在哪里？", 5)[0][0] == "a"
    assert index.search("kazakhstan trade", 5)[0][0] == "b"
    assert index.search("", 5) == [] and index.search("zzzz", 5) == []
    index.save(tmp_path / "bm25")
    loaded = LexicalIndex.load(tmp_path / "bm25")
    assert loaded is not None and loaded.generation == 7
    assert loaded.search("农业示范基地", 5)[0][0] == "a"
    assert LexicalIndex.load(tmp_path / "missing") is None


def test_langstats_z_scores_match_brute_force(tmp_path: Path) -> None:
    rng = np.random.default_rng(0)
    vecs = rng.normal(size=(200, 16)).astype(np.float32)
    vecs /= np.linalg.norm(vecs, axis=1, keepdims=True)
    langs = ["en"] * 150 + ["ru"] * 50
    stats = LangStats.build(zip(langs, vecs, strict=True), generation=3)
    q = vecs[0]
    for lang, block in (("en", vecs[:150]), ("ru", vecs[150:])):
        sims = block @ q
        expected = (sims - sims.mean()) / sims.std()
        assert np.allclose(stats.normalise(q, lang, sims), expected, atol=1e-4)
    assert stats.share("en") == 0.75
    stats.save(tmp_path / "s.npz")
    loaded = LangStats.load(tmp_path / "s.npz")
    assert loaded is not None and loaded.generation == 3 and loaded.counts == {"en": 150, "ru": 50}


def test_conflicting_figures_between_documents() -> None:
    a = "The Kyrgyzstan-Uzbekistan railway is given as roughly 523 kilometers, 213 of them inside China."
    b = "The railway to Kyrgyzstan and Uzbekistan is described as 486 kilometers long."
    assert ("523", "km") in figures(a)
    assert has_conflict([a, b], ["d1", "d2"])
    assert not has_conflict([a, b], ["d1", "d1"])
    assert not has_conflict([a, "Trade reached $90 billion."], ["d1", "d2"])
    # same unit, different subjects or years: not a conflict
    assert not has_conflict(
        [
            "Kazakhstan trade came close to $90 billion in 2023.",
            "Kazakhstan farm trade was $1.4 billion in 2024.",
        ],
        ["d1", "d2"],
    )


def _passage(doc: str, text: str, n: int = 0) -> Passage:
    meta = DocumentMeta(title=f"T{doc}", source="Pub", date="2024-01-01", url="https://x.org")
    return Passage(Chunk(f"c{doc}{n}", doc, n, text, meta), 1.0)


def test_build_answer_numbers_citations_by_chunk() -> None:
    from knowledge.answer import Candidate

    p1, p2 = _passage("1", "A one. A two."), _passage("2", "B one.")
    cands = [
        Candidate(p1, "A one.", 3, 0.9, 0, True, 1, False, 1),
        Candidate(p2, "B one.", 3, 0.9, 0, True, 1, False, 1),
        Candidate(p1, "A two.", 3, 0.9, 0, True, 1, False, 1),
    ]
    answer = build_answer("q", "en", cands, conflict=False)
    assert answer.text == "A one. [1] B one. [2] A two. [1]"
    assert [c.n for c in answer.citations] == [1, 2]
    assert answer.citations[0].snippet == "A one. … A two."
    assert answer.to_json()["answer"] == answer.text


def test_evidence_ranks_normalise_quotes_and_spaces() -> None:
    passages = [_passage("1", "nothing"), _passage("2", "the  Xi’an   Declaration")]
    assert evidence_ranks(["Xi'an Declaration"], passages) == [2]
    assert norm("A\u00a0B") == "a b"


def test_sentence_split_with_a_list_line_after_a_full_stop() -> None:
    """Regression: a sentence end and a line start at the same offset crashed the splitter."""
    from knowledge.chunking import split_sentences

    assert split_sentences("Trade rose.\n- A list item.\nNext") == ["Trade rose.", "- A list item.", "Next"]


def test_only_statements_are_quoted() -> None:
    from knowledge.answer import is_statement

    assert is_statement("The Middle Corridor runs from China through Kazakhstan to Europe.")
    assert is_statement("中国在陕西建立了农业技术交流示范基地。")
    assert not is_statement("## China-Kyrgyzstan-Uzbekistan railway: history")
    assert not is_statement("Trade figures")
    assert not is_statement('- "Cargo grows fivefold", Trend News Agency, undated, https://www.trend.az/x.html')
