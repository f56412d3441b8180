"""Bursts through the real Application over real HTTP against the fake Bot API (stub engine):
engine calls run in BOT_ENGINE_THREADS threads of their own."""

from __future__ import annotations

import asyncio
import threading
from dataclasses import dataclass, field
from pathlib import Path

from bot_harness import make_app, running, settled, texts
from bot_stubs import StubEngine
from fake_bot_api import FakeBotAPI

from knowledge.models import Answer


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
    """20 questions inside the engine together: asyncio's default executor (cores + 4 threads)
    would break the gate; the engine threads are the bot's own."""
    engine = GatedEngine(parties=20)

    async def scenario() -> None:
        async with running(make_app(fake_api, engine, tmp_path)) as app:
            chats = ask_from_users(fake_api, 3000, 20)
            await fake_api.wait_for("sendMessage", 20)
            await settled(app, fake_api)
            for chat_id in chats:
                assert [r[:9] for r in texts(fake_api, chat_id)] == ["You asked"]

    asyncio.run(scenario())
    assert len(engine.threads) == 20 and all(name.startswith("engine") for name in engine.threads)


def test_engine_threads_cap_the_questions_in_the_engine(fake_api: FakeBotAPI, tmp_path: Path) -> None:
    engine = CountingEngine(delay=0.2)

    async def scenario() -> None:
        async with running(make_app(fake_api, engine, tmp_path, bot_engine_threads=3)):
            ask_from_users(fake_api, 3100, 12)
            await fake_api.wait_for("sendMessage", 12)

    asyncio.run(scenario())
    assert len(engine.asked) == 12 and 1 <= engine.most <= 3
