"""Micro-batching of concurrent calls: a leader/follower queue with no timer.

Callers in several threads ``submit`` one item each. A caller that finds a lane free (``lanes``
batch calls may run at once, one by default) becomes a leader: it takes the queue oldest first
(itself included), up to ``max_batch`` and, with several lanes, only an even share per lane
(``share``: a batch runs on one core, so three queued questions go as two and one on two cores,
not as three on one), runs one batch call outside the lock and hands each waiter its own result.
Callers arriving while every lane is busy queue up and go together in a next batch, led by the
oldest of them. A lone caller therefore never waits for company: its batch closes at once because
a lane is free. Only the callers whose results are ready, and the next leaders, are woken (not
every waiter at each batch, which with 150 waiting threads meant 150 wake-ups wanting the GIL).

An exception raised by a batch call reaches every caller of that batch, and only them; the next
batch runs as usual. A batch call that can fail for some items only returns ``Failed(error=...)`` in
their places: those callers get the error, the others their results.
"""

from __future__ import annotations

import itertools
import threading
import time
from collections import deque
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from typing import Generic, TypeVar

T = TypeVar("T")
R = TypeVar("R")


@dataclass(frozen=True, kw_only=True)
class BatchStats:
    """How many batch calls ran and how many items they carried."""

    calls: int = 0
    items: int = 0
    largest: int = 0
    busy_s: float = 0.0  # wall time inside batch calls, summed over lanes

    @property
    def mean_size(self) -> float:
        return self.items / self.calls if self.calls else 0.0

    def minus(self, earlier: BatchStats) -> BatchStats:
        """The calls and items since ``earlier`` (``largest`` stays the overall largest)."""
        return BatchStats(
            calls=self.calls - earlier.calls,
            items=self.items - earlier.items,
            largest=self.largest,
            busy_s=self.busy_s - earlier.busy_s,
        )


@dataclass(frozen=True, kw_only=True)
class Failed:
    """A batch call's result for an item that failed on its own: its caller raises ``error``."""

    error: BaseException


@dataclass(kw_only=True)
class _Slot(Generic[T, R]):
    item: T
    wake: threading.Condition  # on the batcher's lock: this caller's turn to lead, or its result
    taken: bool = False  # in a batch that runs
    done: bool = False
    result: R | None = None
    error: BaseException | None = None


def share(queued: int, lanes: int, max_batch: int) -> int:
    """How many queued items a new batch takes: an even share per lane, at most ``max_batch``.
    A batch runs on one core; leaving the rest to the next free lane keeps every core busy."""
    return min(max_batch, -(-queued // lanes))


class MicroBatcher(Generic[T, R]):
    """Runs ``run(items)`` for items submitted concurrently; ``run`` returns one result per item."""

    def __init__(
        self, run: Callable[[list[T]], Sequence[R | Failed]], *, max_batch: int = 64, lanes: int = 1
    ) -> None:
        if max_batch < 1 or lanes < 1:
            raise ValueError("max_batch and lanes must be at least 1")
        self._run = run
        self._max = max_batch
        self._lanes = lanes
        self._queue: deque[_Slot[T, R]] = deque()  # waiting, not yet in a batch; oldest first
        self._running = 0  # batch calls under way
        self._lock = threading.Lock()
        self._stats = BatchStats()

    @property
    def stats(self) -> BatchStats:
        with self._lock:
            return self._stats

    @property
    def pending(self) -> int:
        """Items queued and not yet taken by a batch."""
        with self._lock:
            return len(self._queue)

    @property
    def running(self) -> int:
        """Batch calls under way."""
        with self._lock:
            return self._running

    def submit(self, item: T) -> R:
        """The result for ``item``; blocks while earlier batches fill every lane, never on a timer."""
        with self._lock:
            slot: _Slot[T, R] = _Slot(item=item, wake=threading.Condition(self._lock))
            self._queue.append(slot)
            while not slot.done:
                if slot.taken or self._running >= self._lanes:
                    slot.wake.wait()
                    continue
                batch = self._take()
                self._lock.release()
                started = time.perf_counter()
                try:
                    self._lead(batch)
                finally:
                    self._lock.acquire()
                    self._finish(batch, time.perf_counter() - started)
        if slot.error is not None:
            raise slot.error
        return slot.result  # type: ignore[return-value]

    def _take(self) -> list[_Slot[T, R]]:
        """Under the lock: claim a lane and up to ``max_batch`` queued slots, oldest first."""
        self._running += 1
        batch = [self._queue.popleft() for _ in range(share(len(self._queue), self._lanes, self._max))]
        for slot in batch:
            slot.taken = True
        st = self._stats
        self._stats = replace(
            st, calls=st.calls + 1, items=st.items + len(batch), largest=max(st.largest, len(batch))
        )
        self._wake_leaders()  # items beyond max_batch may lead in another free lane
        return batch

    def _finish(self, batch: list[_Slot[T, R]], took_s: float) -> None:
        """Under the lock: free the lane, wake the batch's callers and, for each free lane, the
        oldest caller still queued (it leads the next batch)."""
        self._running -= 1
        self._stats = replace(self._stats, busy_s=self._stats.busy_s + took_s)
        for slot in batch:
            slot.done = True
            slot.wake.notify()
        self._wake_leaders()

    def _wake_leaders(self) -> None:
        """Under the lock: wake the oldest queued caller for each free lane."""
        for slot in itertools.islice(self._queue, max(0, self._lanes - self._running)):
            slot.wake.notify()

    def _lead(self, batch: list[_Slot[T, R]]) -> None:
        """Outside the lock: one call for the whole batch, then each slot gets its own outcome."""
        try:
            results = list(self._run([s.item for s in batch]))
            if len(results) != len(batch):
                raise RuntimeError(f"batch call returned {len(results)} results for {len(batch)} items")
        except BaseException as exc:  # every waiter of this batch sees the failure, and only they
            for s in batch:
                s.error = exc
        else:
            for s, r in zip(batch, results, strict=True):
                if isinstance(r, Failed):
                    s.error = r.error
                else:
                    s.result = r
