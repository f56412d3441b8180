"""Bursts through the real Application over real HTTP against the fake Bot API (stub engine):
engine calls run in BOT_ENGINE_THREADS threads of their own, the "typing" action only shows when
an answer is slow and stays off the message budget."""

from __future__ import annotations

import asyncio
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from bot_harness import make_app, running, settled, texts
from bot_stubs import StubEngine
from fake_bot_api import FakeBotAPI

from bot.delivery import RetryingRateLimiter
from bot.settings import BotSettings
from knowledge.models import Answer

DEFAULT_THREADS = int(BotSettings.model_fields["bot_engine_threads"].default)


@dataclass
class GatedEngine(StubEngine):
    """Every ``ask`` waits until ``parties`` asks are inside the engine at the same time."""

    parties: int = 1
    threads: set[str] = field(default_factory=set)

    def __post_init__(self) -> None:
        self._gate = threading.Barrier(self.parties)

    def ask(self, question: str, *, previous: str | None = None) -> Answer:
        self.threads.add(threading.current_thread().name)
        self._gate.wait(timeout=15)  # BrokenBarrierError if fewer calls can run at once
        return super().ask(question, previous=previous)


@dataclass
class CountingEngine(StubEngine):
    """Records how many ``ask`` calls ran at the same time."""

    running: int = 0
    most: int = 0
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def ask(self, question: str, *, previous: str | None = None) -> Answer:
        with self._lock:
            self.running += 1
            self.most = max(self.most, self.running)
        try:
            return super().ask(question, previous=previous)
        finally:
            with self._lock:
                self.running -= 1


def ask_from_users(api: FakeBotAPI, first_id: int, users: int, per_user: int = 1) -> list[int]:
    """``users`` private chats, each sending ``per_user`` questions at once; their chat ids."""
    chats = []
    for uid in range(first_id, first_id + users):
        user = api.user(uid)
        chat = api.private_chat(user)
        for n in range(per_user):
            api.message(chat, user, f"Question {n} from {uid}?")
        chats.append(chat["id"])
    return chats


def test_a_burst_reaches_the_engine_at_once_in_its_own_threads(fake_api: FakeBotAPI, tmp_path: Path) -> None:
    """BOT_ENGINE_THREADS (16) questions inside the engine together: asyncio's default executor
    (cores + 4 threads) would break the gate; the engine threads are the bot's own."""
    engine = GatedEngine(parties=DEFAULT_THREADS)

    async def scenario() -> None:
        async with running(make_app(fake_api, engine, tmp_path)) as app:
            chats = ask_from_users(fake_api, 3000, DEFAULT_THREADS)
            await fake_api.wait_for("sendMessage", DEFAULT_THREADS)
            await settled(app, fake_api)
            for chat_id in chats:
                assert [r[:9] for r in texts(fake_api, chat_id)] == ["You asked"]

    asyncio.run(scenario())
    assert len(engine.threads) == DEFAULT_THREADS and all(n.startswith("engine") for n in engine.threads)


def test_engine_threads_cap_the_questions_in_the_engine(fake_api: FakeBotAPI, tmp_path: Path) -> None:
    engine = CountingEngine(delay=0.2)

    async def scenario() -> None:
        async with running(make_app(fake_api, engine, tmp_path, bot_engine_threads=3)):
            ask_from_users(fake_api, 3100, 12)
            await fake_api.wait_for("sendMessage", 12)

    asyncio.run(scenario())
    assert len(engine.asked) == 12 and 1 <= engine.most <= 3


def typing_calls(api: FakeBotAPI, chat_id: int) -> list[Any]:
    return [c for c in api.calls_of("sendChatAction", ok=None) if c.params["chat_id"] == chat_id]


def test_a_quick_answer_comes_without_the_typing_action(fake_api: FakeBotAPI, tmp_path: Path) -> None:
    async def scenario() -> None:
        async with running(make_app(fake_api, StubEngine(), tmp_path, bot_typing_after_s=30)) as app:
            [chat_id] = ask_from_users(fake_api, 3200, 1)
            await fake_api.wait_for("sendMessage")
            await settled(app, fake_api)
            assert typing_calls(fake_api, chat_id) == []

    asyncio.run(scenario())


def test_a_slow_answer_shows_typing_once_per_chat_before_the_answers(
    fake_api: FakeBotAPI, tmp_path: Path
) -> None:
    """Three slow questions from one chat share one indicator, sent before any answer."""
    engine = StubEngine(delay=1.5)

    async def scenario() -> None:
        app = make_app(fake_api, engine, tmp_path, bot_typing_after_s=0.1, bot_max_concurrent_per_chat=3)
        async with running(app):
            [chat_id] = ask_from_users(fake_api, 3300, 1, per_user=3)
            await fake_api.wait_for("sendMessage", 3)
            await settled(app, fake_api)
            [typing] = typing_calls(fake_api, chat_id)
            assert typing.params["action"] == "typing"
            answers = [c for c in fake_api.calls_of("sendMessage") if c.params["chat_id"] == chat_id]
            assert fake_api.calls.index(typing) < min(fake_api.calls.index(c) for c in answers)

    asyncio.run(scenario())


def test_a_failed_typing_action_is_not_retried_and_the_answer_comes(
    fake_api: FakeBotAPI, tmp_path: Path
) -> None:
    engine = StubEngine(delay=0.6)

    async def scenario() -> None:
        async with running(make_app(fake_api, engine, tmp_path, bot_typing_after_s=0.1)) as app:
            fake_api.fail_next("sendChatAction", 1, status=429, retry_after=30)
            [chat_id] = ask_from_users(fake_api, 3400, 1)
            await fake_api.wait_for("sendMessage")
            await settled(app, fake_api)
            assert [c.status for c in typing_calls(fake_api, chat_id)] == [429]
            assert [r[:9] for r in texts(fake_api, chat_id)] == ["You asked"]

    asyncio.run(scenario())


def test_chat_actions_do_not_use_the_message_budget() -> None:
    """A budget of one message an hour: after one message the next one waits, chat actions do not."""
    limiter = RetryingRateLimiter(overall_max_rate=1, overall_time_period=3600)
    sent: list[str] = []

    async def call(endpoint: str, data: dict[str, Any]) -> bool:
        sent.append(endpoint)
        return True

    def request(endpoint: str) -> Any:
        data = {"chat_id": 7}
        return limiter.process_request(call, (endpoint, data), {}, endpoint, data, None)

    async def scenario() -> None:
        await request("sendMessage")
        for _ in range(5):
            await asyncio.wait_for(request("sendChatAction"), timeout=10)
        with pytest.raises(TimeoutError):
            await asyncio.wait_for(request("sendMessage"), timeout=0.3)

    asyncio.run(scenario())
    assert sent == ["sendMessage"] + ["sendChatAction"] * 5
