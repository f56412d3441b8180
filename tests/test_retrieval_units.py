"""Pure parts of retrieval and answering: fusion, tokenizer, language statistics, conflicts."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from knowledge.answer import build_answer, figures
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


def test_figures_normalise_units() -> None:
    assert ("523", "km") in figures("roughly 523 kilometers, 213 of them inside China")
    assert ("4,7", "billion") in figures("оценивается в 4,7 млрд долларов") or ("4.7", "billion") in figures(
        "оценивается в 4.7 млрд долларов"
    )
    assert ("18", "%") in figures("up 18 percent")


def _passage(doc: str, text: str, n: int = 0) -> Passage:
    meta = DocumentMeta(title=f"T{doc}", source="Pub", date="2024-01-01", url="https://x.org")
    chunk = Chunk(chunk_id=f"c{doc}{n}", doc_id=doc, position=n, text=text, meta=meta)
    return Passage(chunk=chunk, score=1.0)


def test_build_answer_numbers_citations_by_chunk() -> None:
    from knowledge.features import Candidate

    p1, p2 = _passage("1", "A one. A two."), _passage("2", "B one.")
    cands = [
        Candidate(passage=p1, sentence="A one.", rank=0, features=np.zeros(1)),
        Candidate(passage=p2, sentence="B one.", rank=1, features=np.zeros(1)),
        Candidate(passage=p1, sentence="A two.", rank=0, features=np.zeros(1)),
    ]
    answer = build_answer(question="q", language="en", chosen=cands, conflict=False)
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


def test_later_passages_of_the_leading_documents_are_read_too() -> None:
    from knowledge.retrieval import _with_same_doc

    fused = [_passage("a", "lead", 0), _passage("b", "other", 0), _passage("c", "third", 0),
             _passage("d", "far", 0), _passage("a", "figure", 1), _passage("d", "far 2", 1),
             _passage("b", "more", 1), _passage("a", "tail", 2)]
    out = _with_same_doc(fused, 3, 2, 2)
    assert [p.chunk.text for p in out] == ["lead", "other", "third", "figure", "more"]
    assert _with_same_doc(fused, 3, 2, 0) == fused[:3]


def test_changed_answers_compares_text_citations_and_declining() -> None:
    from knowledge.evaluation import changed_answers

    def row(i: str, answer: str = "a", cites: tuple[str, ...] = ("c1",), declined: bool = False
            ) -> dict[str, object]:
        return {"id": i, "answer": answer, "citations": list(cites), "abstained": declined, "found_at": [1]}

    before = [row("q1"), row("q2"), row("q3"), row("q4"), row("gone")]
    after = [row("q1"), row("q2", answer="b"), row("q3", cites=("c2",)), row("q4", declined=True), row("new")]
    assert changed_answers(before, after) == ["q2", "q3", "q4", "gone", "new"]
    assert changed_answers(before, before) == []
