"""Running the real Application against the fake Bot API (helpers for tests/test_bot_*.py)."""

from __future__ import annotations

import asyncio
import dataclasses
import time
from collections.abc import AsyncIterator, Callable, Iterable, Sequence
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from fake_bot_api import FakeBotAPI
from telegram import Update
from telegram.ext import Application, TypeHandler

from bot.app import build_application
from bot.services import SERVICES_KEY, Services
from bot.settings import BotSettings
from knowledge.errors import StoreUnavailable
from knowledge.models import Answer, FactCard, SourceInfo
from knowledge.settings import load_knowledge_settings

ADMIN_ID = 42
STARTED_KEY, FIRST_UPDATE_KEY = "test-started-updates", "test-first-update"
FIRST_GROUP = -1_000_000


def make_app(api: FakeBotAPI, engine: Any, data_dir: Path, **overrides: Any) -> Application:
    values: dict[str, Any] = {
        "telegram_bot_token": api.token,
        "telegram_base_url": api.base_url,
        "telegram_base_file_url": api.base_file_url,
        "bot_admin_ids": (ADMIN_ID,),
        "bot_fact_schedule": "off",
        "bot_rate_limit": 30,
    }
    values.update(overrides)
    settings = BotSettings(**values)
    app = build_application(settings, load_knowledge_settings(data_dir=data_dir), engine)
    started: set[int] = set()

    async def record(update: Update, _context: object) -> None:
        started.add(update.update_id)

    # the first handler group: every update passes here, duplicates that group -1 stops included
    app.add_handler(TypeHandler(Update, record), group=FIRST_GROUP)
    app.bot_data[STARTED_KEY] = started
    app.bot_data[FIRST_UPDATE_KEY] = len(api.history)
    return app


async def settled(
    app: Application, api: FakeBotAPI, update_ids: Iterable[int] | None = None, timeout: float = 20.0
) -> None:
    """Wait until the updates pushed since ``app`` was made (or ``update_ids``) have been handled
    completely, so that a test asserting that something did *not* happen would see it if it had:
    each has entered processing, and no update is being processed any more."""
    if update_ids is None:
        update_ids = [u["update_id"] for u in api.history[app.bot_data[FIRST_UPDATE_KEY] :]]
    wanted = set(update_ids)
    started: set[int] = app.bot_data[STARTED_KEY]
    processor = app.update_processor
    await until(lambda: wanted <= started and processor.current_concurrent_updates == 0, timeout)


def services_of(app: Application) -> Services:
    svc = app.bot_data[SERVICES_KEY]
    assert isinstance(svc, Services)
    return svc


async def until(condition: Callable[[], bool], timeout: float = 20.0) -> None:
    """Wait (without blocking the event loop) until ``condition()`` holds; fail after ``timeout``."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"condition not met within {timeout} s")
        await asyncio.sleep(0.02)


@asynccontextmanager
async def running(app: Application) -> AsyncIterator[Application]:
    """What run_polling does, minus signal handling: initialize, post_init, start, poll."""
    await app.initialize()
    assert app.post_init is not None and app.updater is not None
    await app.post_init(app)
    await app.start()
    await app.updater.start_polling(poll_interval=0.0, timeout=1)
    try:
        yield app
    finally:
        await app.updater.stop()
        await app.stop()
        if app.post_shutdown is not None:
            await app.post_shutdown(app)
        await app.shutdown()


class SpyEngine:
    """Delegates to the real engine and records the ``ask`` calls (question, previous)."""

    def __init__(
        self, real: Any, *, long_answer: bool = False, unavailable: bool = False, delay: float = 0.0
    ) -> None:
        self.real = real
        self.delay = delay
        self.asked: list[tuple[str, str | None]] = []
        self.long_answer = long_answer
        self.unavailable = unavailable

    def warm_up(self) -> None:
        self.real.warm_up()

    def ask(self, question: str, *, previous: str | None = None) -> Answer:
        self.asked.append((question, previous))
        time.sleep(self.delay)  # runs in a worker thread, like the real engine
        if self.unavailable:
            raise StoreUnavailable("the Chroma server at 127.0.0.1:9 is not answering")
        answer: Answer = self.real.ask(question, previous=previous)
        if self.long_answer and answer.text:
            text = "\n\n".join(f"{answer.text} <&> paragraph {i}." for i in range(40))
            answer = dataclasses.replace(answer, text=text)
        return answer

    def fact_cards(self, topic: str | None = None) -> list[FactCard]:
        cards: list[FactCard] = self.real.fact_cards(topic)
        return cards

    def sources(self) -> list[SourceInfo]:
        found: list[SourceInfo] = self.real.sources()
        return found

    def counts(self) -> tuple[int, int]:
        found: tuple[int, int] = self.real.counts()
        return found

    def ingest(self, paths: Sequence[Path]) -> Any:
        return self.real.ingest(paths)


def texts(api: FakeBotAPI, chat_id: int) -> list[str]:
    return [
        str(c.result.get("text", "")) for c in api.calls_of("sendMessage") if c.params["chat_id"] == chat_id
    ]
