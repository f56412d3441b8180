"""Micro-batching of concurrent questions, with a deterministic fake embedder (fast, no model).

Batches are forced with Events, never with sleeps or wall-time asserts: the first caller's batch
blocks inside the fake encoder until the others are seen queued, so they must share the next one.
"""

from __future__ import annotations

import threading
import zlib
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor

import numpy as np
import pytest

from knowledge.batching import Failed, MicroBatcher, share
from knowledge.embeddings import Embedder
from knowledge.querybatch import DenseRequest, QueryBatching, dense_batch, fetch_batch, group_requests
from knowledge.store import SearchFilter

DIM = 8


def fake_vector(text: str) -> np.ndarray:
    """A deterministic unit vector per text."""
    rng = np.random.default_rng(zlib.crc32(text.encode()))
    v = rng.standard_normal(DIM).astype(np.float32)
    return v / np.linalg.norm(v)


class GatedEmbedder(Embedder):
    """Counts encoder calls; the first call waits on ``gate`` (set from the start when not gated)."""

    name = "fake"
    dim = DIM
    exact_query_batches = True

    def __init__(self, gated: bool = False) -> None:
        super().__init__()
        self.gate = threading.Event()
        if not gated:
            self.gate.set()
        self.entered = threading.Event()
        self.calls: list[list[str]] = []
        self.threads: list[int] = []
        self.fail_on: set[str] = set()

    def _load(self) -> None:
        pass

    def _encode(self, texts: list[str], is_query: bool) -> np.ndarray:
        self.calls.append(list(texts))
        self.threads.append(threading.get_ident())
        self.entered.set()
        assert self.gate.wait(30), "test gate never opened"
        if self.fail_on & set(texts):
            raise ValueError(f"cannot encode {sorted(self.fail_on & set(texts))}")
        return np.stack([fake_vector(t) * 3.0 for t in texts])  # unnormalised on purpose


def alone(text: str) -> np.ndarray:
    """The vector a question gets without batching: ``embed_query`` on a fresh embedder."""
    return GatedEmbedder().embed_query(text)


def wait_until(predicate: Callable[[], bool]) -> None:
    """Block until ``predicate`` holds (an event-style wait on state, bounded so a bug fails)."""
    done = threading.Event()
    for _ in range(30_000):
        if predicate():
            return
        done.wait(0.001)
    raise AssertionError("condition never became true")


def batching(embedder: Embedder, enabled: bool = True) -> QueryBatching:
    def no_store() -> object:
        raise AssertionError("the store is not used here")

    return QueryBatching(embedder=embedder, store=no_store, enabled=enabled)  # type: ignore[arg-type]


def forced_batch(emb: GatedEmbedder, qb: QueryBatching, texts: list[str]) -> list[Future[np.ndarray]]:
    """texts[0] leads and blocks in the encoder; the rest queue, then the gate opens."""
    pool = ThreadPoolExecutor(max_workers=len(texts))
    first = pool.submit(qb.embed_query, texts[0])
    assert emb.entered.wait(30)
    rest = [pool.submit(qb.embed_query, t) for t in texts[1:]]
    wait_until(lambda: qb._encoder.pending == len(texts) - 1)
    emb.gate.set()
    pool.shutdown(wait=True)
    return [first, *rest]


def test_lone_question_runs_at_once_in_its_own_thread() -> None:
    emb = GatedEmbedder()
    qb = batching(emb)
    for text in ("first question", "second question"):
        assert np.array_equal(qb.embed_query(text), alone(text))
    # each lone call was its own batch, encoded by the caller itself: nobody waited for company
    assert emb.calls == [["first question"], ["second question"]]
    assert set(emb.threads) == {threading.get_ident()}
    assert qb._encoder.stats.calls == 2 and qb._encoder.stats.largest == 1


def test_concurrent_questions_share_one_encoder_call_and_get_their_own_vectors() -> None:
    emb = GatedEmbedder(gated=True)
    qb = batching(emb)
    texts = [f"question number {i}" for i in range(12)]
    futures = forced_batch(emb, qb, texts)
    assert emb.calls == [texts[:1], texts[1:]]  # 12 questions, 2 encoder calls, arrival order kept
    for text, fut in zip(texts, futures, strict=True):
        got = fut.result()
        assert np.array_equal(got, alone(text))
    stats = qb.stats()["encode"]
    assert (stats.calls, stats.items, stats.largest) == (2, 12, 11)


def test_an_error_reaches_every_waiter_of_its_batch_and_only_them() -> None:
    emb = GatedEmbedder(gated=True)
    emb.fail_on = {"bad one"}
    qb = batching(emb)
    texts = ["leader is fine", "ok a", "bad one", "ok b"]
    first, *rest = forced_batch(emb, qb, texts)
    assert np.array_equal(first.result(), alone("leader is fine"))
    for fut in rest:
        with pytest.raises(ValueError, match="bad one"):
            fut.result()
    # the batcher is usable afterwards
    assert np.array_equal(qb.embed_query("later"), alone("later"))


def test_a_failing_leader_does_not_fail_the_next_batch() -> None:
    emb = GatedEmbedder(gated=True)
    emb.fail_on = {"bad leader"}
    qb = batching(emb)
    first, *rest = forced_batch(emb, qb, ["bad leader", "x", "y"])
    with pytest.raises(ValueError):
        first.result()
    assert [np.array_equal(f.result(), alone(t)) for f, t in zip(rest, "xy", strict=True)] == [True, True]


def test_wrong_number_of_results_fails_the_batch() -> None:
    batcher: MicroBatcher[int, int] = MicroBatcher(lambda items: items[:-1])
    with pytest.raises(RuntimeError, match="0 results for 1 items"):
        batcher.submit(1)


def test_max_batch_splits_a_long_queue() -> None:
    gate, entered = threading.Event(), threading.Event()
    sizes: list[int] = []

    def run(items: list[int]) -> list[int]:
        sizes.append(len(items))
        entered.set()
        gate.wait(30)
        return [i * 2 for i in items]

    batcher: MicroBatcher[int, int] = MicroBatcher(run, max_batch=3)
    with ThreadPoolExecutor(max_workers=8) as pool:
        first = pool.submit(batcher.submit, 0)
        entered.wait(30)
        rest = [pool.submit(batcher.submit, i) for i in range(1, 8)]
        wait_until(lambda: batcher.pending == 7)
        gate.set()
    assert [f.result() for f in [first, *rest]] == [i * 2 for i in range(8)]
    assert sizes[0] == 1 and max(sizes) == 3 and sum(sizes) == 8


def test_two_lanes_run_two_batches_at_once_and_no_lane_idles_while_items_wait() -> None:
    """Batches 1+2 and then 3+4 must be inside ``run`` together (a barrier of two), so a lane
    that frees up is taken by the queue at once; items beyond ``max_batch`` lead in the other."""
    together = threading.Barrier(2, timeout=30)
    go = threading.Event()
    sizes: list[int] = []
    lock = threading.Lock()

    def run(items: list[int]) -> list[int]:
        with lock:
            sizes.append(len(items))
            n = len(sizes)
        if n <= 4:
            together.wait()
        assert go.wait(30)
        return [i * 2 for i in items]

    batcher: MicroBatcher[int, int] = MicroBatcher(run, max_batch=2, lanes=2)
    with ThreadPoolExecutor(max_workers=8) as pool:
        leaders = [pool.submit(batcher.submit, i) for i in (0, 1)]
        wait_until(lambda: batcher.running == 2)
        rest = [pool.submit(batcher.submit, i) for i in range(2, 8)]
        wait_until(lambda: batcher.pending == 6)
        go.set()
    assert [f.result() for f in [*leaders, *rest]] == [i * 2 for i in range(8)]
    assert sizes == [1, 1, 2, 2, 1, 1]  # the last two split between the lanes
    assert batcher.stats.calls == 6 and batcher.running == 0


def test_a_batch_takes_an_even_share_per_lane() -> None:
    assert share(3, 2, 32) == 2 and share(1, 2, 32) == 1 and share(150, 2, 32) == 32
    assert share(5, 1, 32) == 5 and share(7, 3, 2) == 2


def test_lanes_must_be_positive() -> None:
    with pytest.raises(ValueError, match="lanes"):
        MicroBatcher(lambda items: items, lanes=0)


def test_disabled_or_inexact_embedders_encode_one_question_per_call() -> None:
    for emb, enabled in ((GatedEmbedder(), False), (GatedEmbedder(), True)):
        if enabled:
            emb.exact_query_batches = False
        qb = batching(emb, enabled=enabled)
        with ThreadPoolExecutor(max_workers=4) as pool:
            vectors = list(pool.map(qb.embed_query, ["a", "b", "c", "d"]))
        assert all(len(c) == 1 for c in emb.calls)
        assert all(np.array_equal(v, alone(t)) for v, t in zip(vectors, "abcd", strict=True))


def test_dense_requests_are_grouped_by_k_and_filter() -> None:
    zh = SearchFilter(lang="zh")
    reqs = [
        DenseRequest(vector=fake_vector("a"), k=90),
        DenseRequest(vector=fake_vector("b"), k=30, flt=zh),
        DenseRequest(vector=fake_vector("c"), k=90),
        DenseRequest(vector=fake_vector("d"), k=30, flt=SearchFilter(lang="zh")),
    ]
    assert group_requests(reqs) == {(90, None): [0, 2], (30, zh): [1, 3]}
    calls: list[tuple[int, int, SearchFilter | None]] = []

    def query_many(
        vectors: list[np.ndarray], k: int, flt: SearchFilter | None
    ) -> list[list[tuple[str, float]]]:
        calls.append((len(vectors), k, flt))
        return [[(f"k{k}", float(v[0]))] for v in vectors]

    out = dense_batch(query_many, reqs)
    assert calls == [(2, 90, None), (2, 30, zh)]
    assert out == [[(f"k{r.k}", float(r.vector[0]))] for r in reqs]


def test_fetch_rereads_the_union_once_and_drops_what_is_gone() -> None:
    calls: list[list[str]] = []

    def get(ids: list[str]) -> dict[str, str]:
        calls.append(ids)
        return {i: i.upper() for i in ids if i != "gone"}

    out = fetch_batch(get, [["a", "b"], ["b", "gone", "c"], []])  # type: ignore[arg-type]
    assert calls == [["a", "b", "gone", "c"]]
    assert out == [{"a": "A", "b": "B"}, {"b": "B", "c": "C"}, {}]


def test_a_failing_filter_group_fails_only_its_own_requests() -> None:
    bad = SearchFilter(lang="xx")

    def query_many(
        vectors: list[np.ndarray], k: int, flt: SearchFilter | None
    ) -> list[list[tuple[str, float]]]:
        if flt == bad:
            raise ValueError("bad filter")
        return [[("ok", float(k))] for _ in vectors]

    reqs = [
        DenseRequest(vector=fake_vector("a"), k=5, flt=bad),
        DenseRequest(vector=fake_vector("b"), k=5),
    ]
    out = dense_batch(query_many, reqs)
    assert isinstance(out[0], Failed) and isinstance(out[0].error, ValueError)
    assert out[1] == [("ok", 5.0)]
    batcher: MicroBatcher[DenseRequest, object] = MicroBatcher(lambda rs: dense_batch(query_many, rs))
    with pytest.raises(ValueError, match="bad filter"):
        batcher.submit(reqs[0])
    assert batcher.submit(reqs[1]) == [("ok", 5.0)]
