"""Micro-batching of concurrent calls: a leader/follower queue with no timer.

Callers in several threads ``submit`` one item each. A caller that finds the worker idle becomes
the leader: it takes everything queued so far (itself included, up to ``max_batch``), runs one
batch call outside the lock and hands each waiter its own result. Callers arriving while a batch
runs queue up and go together in the next one, led by whichever of them wakes first. A lone
caller therefore never waits for company: its batch closes at once because the worker is free.

An exception raised by a batch call reaches every caller of that batch, and only them; the next
batch runs as usual. A batch call that can fail for some items only returns ``Failed(error)`` in
their places: those callers get the error, the others their results.
"""

from __future__ import annotations

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
    busy_s: float = 0.0  # wall time inside batch calls

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


@dataclass(frozen=True)
class Failed:
    """A batch call's result for an item that failed on its own: its caller raises ``error``."""

    error: BaseException


@dataclass(kw_only=True)
class _Slot(Generic[T, R]):
    item: T
    done: bool = False
    result: R | None = None
    error: BaseException | None = None


class MicroBatcher(Generic[T, R]):
    """Runs ``run(items)`` for items submitted concurrently; ``run`` returns one result per item."""

    def __init__(self, run: Callable[[list[T]], Sequence[R | Failed]], *, max_batch: int = 64) -> None:
        if max_batch < 1:
            raise ValueError("max_batch must be at least 1")
        self._run = run
        self._max = max_batch
        self._queue: deque[_Slot[T, R]] = deque()
        self._busy = False
        self._cond = threading.Condition(threading.Lock())
        self._stats = BatchStats()

    @property
    def stats(self) -> BatchStats:
        with self._cond:
            return self._stats

    @property
    def pending(self) -> int:
        """Items queued and not yet taken by a batch."""
        with self._cond:
            return len(self._queue)

    def submit(self, item: T) -> R:
        """The result for ``item``; blocks while an earlier batch runs, never on a timer."""
        slot: _Slot[T, R] = _Slot(item=item)
        with self._cond:
            self._queue.append(slot)
            while not slot.done:
                if self._busy:
                    self._cond.wait()
                    continue
                batch = self._take()
                self._cond.release()
                started = time.perf_counter()
                try:
                    self._lead(batch)
                finally:
                    self._cond.acquire()
                    for s in batch:
                        s.done = True
                    self._stats = replace(
                        self._stats, busy_s=self._stats.busy_s + time.perf_counter() - started
                    )
                    self._busy = False
                    self._cond.notify_all()
        if slot.error is not None:
            raise slot.error
        return slot.result  # type: ignore[return-value]

    def _take(self) -> list[_Slot[T, R]]:
        """Under the lock: claim the worker and up to ``max_batch`` queued slots, oldest first."""
        self._busy = True
        batch = [self._queue.popleft() for _ in range(min(self._max, len(self._queue)))]
        s = self._stats
        self._stats = replace(
            s, calls=s.calls + 1, items=s.items + len(batch), largest=max(s.largest, len(batch))
        )
        return batch

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
