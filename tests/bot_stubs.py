"""Fast stand-ins for the fault/hostile-input/permission tests: a stub engine (no model), an
Application running in a background thread (for hypothesis), DEBUG log capture, and the fuzz budget."""

from __future__ import annotations

import asyncio
import io
import logging
import os
import threading
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bot_harness import running
from fake_bot_api import Call, FakeBotAPI
from telegram.ext import Application

from knowledge.models import Answer, Citation, FactCard, SourceInfo

LOGGERS = ("", "httpx", "httpcore", "telegram", "bot", "apscheduler", "asyncio")


def fuzz_examples(default: int) -> int:
    """The hypothesis budget: FUZZ_EXAMPLES=500 in the environment for a longer run."""
    value = os.environ.get("FUZZ_EXAMPLES", "").strip()
    return max(default, int(value)) if value.isdigit() else default


def stub_citation(
    n: int = 1, title: str = "Stub source", url: str = "https://example.org/a?b=1&c=2"
) -> Citation:
    return Citation(n=n, title=title, source="Stub Desk", date="2024-01-01", url=url,
                    snippet=f"Snippet {n} <b>&amp;</b>", chunk_id=f"c{n}", doc_id=f"d{n}")


@dataclass(kw_only=True)
class StubEngine:
    """Echoes the question inside the answer (the worst case for escaping); no model, no store."""

    delay: float = 0.0
    fail_with: BaseException | None = None
    n_cards: int = 3
    asked: list[str] = field(default_factory=list)
    ingested: list[Path] = field(default_factory=list)

    def warm_up(self) -> None:
        pass

    def ask(self, question: str, *, previous: str | None = None) -> Answer:
        self.asked.append(question)
        time.sleep(self.delay)  # a worker thread, like the real engine
        if self.fail_with is not None:
            raise self.fail_with
        cites = (stub_citation(1, title=question[:200]), stub_citation(2, url="javascript:alert(1)"))
        return Answer(question=question, text=f"You asked: {question} [1][2]", citations=cites,
                      abstained=False, language="en")

    def fact_cards(self, topic: str | None = None) -> list[FactCard]:
        return [
            FactCard(card_id=f"card-{i}", headline=f"Fact {i}", sentence=f"Sentence {i} about trade.",
                     tags=("trade",), citation=stub_citation(i))
            for i in range(self.n_cards)
        ]

    def sources(self) -> list[SourceInfo]:
        return [SourceInfo(doc_id="d1", title="Stub source", source="Stub Desk", date="2024-01-01",
                           url="https://example.org", chunks=3)]

    def counts(self) -> tuple[int, int]:
        return 1, 3

    def ingest(self, paths: Sequence[Path]) -> Any:
        self.ingested.extend(paths)
        from types import SimpleNamespace

        return SimpleNamespace(
            added=1, updated=0, unchanged=0, removed=0, failed=[], chunks_written=1, seconds=0.0
        )


class ThreadedApp:
    """Runs ``running(app)`` on its own event loop in a thread, so sync code (hypothesis) can drive it."""

    def __init__(self, app: Application) -> None:
        self.app = app
        self._ready = threading.Event()
        self._stop: asyncio.Event | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._main, daemon=True)

    def _main(self) -> None:
        async def body() -> None:
            self._loop, self._stop = asyncio.get_running_loop(), asyncio.Event()
            async with running(self.app):
                self._ready.set()
                await self._stop.wait()

        try:
            asyncio.run(body())
        except BaseException as exc:  # surfaced by start()/stop()
            self._error = exc
            self._ready.set()

    def start(self) -> ThreadedApp:
        self._thread.start()
        self._ready.wait(30)
        if self._error is not None:
            raise self._error
        return self

    def stop(self) -> None:
        if self._loop is not None and self._stop is not None:
            self._loop.call_soon_threadsafe(self._stop.set)
        self._thread.join(30)
        if self._error is not None:
            raise self._error


def wait_calls(api: FakeBotAPI, method: str, n: int, where: Any = None, timeout: float = 20.0) -> list[Call]:
    """The synchronous twin of ``FakeBotAPI.wait_for``."""
    deadline = time.monotonic() + timeout
    while True:
        found = api.matching(method, where)
        if len(found) >= n:
            return found
        if time.monotonic() > deadline:
            raise AssertionError(f"waited for {n} x {method}; have {len(found)}")
        time.sleep(0.01)


@contextmanager
def debug_log_capture() -> Iterator[io.StringIO]:
    """Every record from every logger at DEBUG (httpx, httpcore, telegram included), formatted
    with tracebacks, through a root handler installed *before* the bot's redaction is set up."""
    buffer = io.StringIO()
    handler = logging.StreamHandler(buffer)
    handler.setFormatter(logging.Formatter("%(levelname)s %(name)s: %(message)s"))
    handler.setLevel(logging.DEBUG)
    saved = {name: logging.getLogger(name).level for name in LOGGERS}
    root = logging.getLogger()
    root.addHandler(handler)
    for name in LOGGERS:
        logging.getLogger(name).setLevel(logging.DEBUG)
    try:
        yield buffer
    finally:
        root.removeHandler(handler)
        for name, level in saved.items():
            logging.getLogger(name).setLevel(level)
