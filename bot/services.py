"""What handlers share, kept in ``application.bot_data`` (no module-level singletons)."""

from __future__ import annotations

import asyncio
import time
from collections import deque
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from bot.settings import BotSettings
from bot.state import BotState
from knowledge.models import Answer, FactCard, SourceInfo
from knowledge.settings import KnowledgeSettings
from knowledge.store import SearchFilter

if TYPE_CHECKING:  # keeps `python -m bot ask` from importing telegram (0.3 s of cold start)
    from telegram.ext import CallbackContext

SERVICES_KEY = "services"


def draw_card(card: FactCard) -> bytes:
    """The card as PNG (Pillow imported on first use, not at start-up)."""
    from knowledge.cards import render_card_png

    return render_card_png(card)


class EngineLike(Protocol):
    """The part of knowledge.engine.Engine the bot uses."""

    def warm_up(self) -> None: ...
    def ask(
        self, question: str, *, previous: str | None = None, flt: SearchFilter | None = None
    ) -> Answer: ...
    def fact_cards(self, topic: str | None = None) -> list[FactCard]: ...
    def sources(self) -> list[SourceInfo]: ...
    def counts(self) -> tuple[int, int]: ...
    def ingest(self, paths: Sequence[Path]) -> Any: ...


class SlidingWindowLimiter:
    """At most ``limit`` events per ``window`` seconds per key (a sliding window)."""

    def __init__(self, limit: int, window: float = 60.0) -> None:
        self.limit = limit
        self.window = window
        self._events: dict[int, deque[float]] = {}

    def check(self, key: int, now: float | None = None) -> float:
        """Record an event and return 0, or return the seconds to wait (nothing recorded)."""
        now = time.monotonic() if now is None else now
        events = self._events.setdefault(key, deque())
        while events and events[0] <= now - self.window:
            events.popleft()
        if len(events) >= self.limit:
            return max(0.1, events[0] + self.window - now)
        events.append(now)
        return 0.0


class ChatGates:
    """A cap on questions in flight per chat, and per user inside a chat: one user holds at most
    ``cap - 1`` of a group's slots (when ``cap`` >= 2), so a flood cannot lock others out.
    Single event loop, so plain counters suffice."""

    def __init__(self, cap: int) -> None:
        self.cap = cap
        self.per_user = max(1, cap - 1)
        self._busy: dict[int, int] = {}
        self._users: dict[tuple[int, int], int] = {}

    def try_enter(self, chat_id: int, user_id: int | None = None) -> bool:
        key = (chat_id, chat_id if user_id is None else user_id)
        shared = key[1] != chat_id  # a group; in a private chat (id = user id) the user is alone
        if self._busy.get(chat_id, 0) >= self.cap or (shared and self._users.get(key, 0) >= self.per_user):
            return False
        self._busy[chat_id] = self._busy.get(chat_id, 0) + 1
        self._users[key] = self._users.get(key, 0) + 1
        return True

    @staticmethod
    def _dec(counts: dict[Any, int], key: Any) -> None:
        left = counts.get(key, 1) - 1
        if left > 0:
            counts[key] = left
        else:
            counts.pop(key, None)

    def leave(self, chat_id: int, user_id: int | None = None) -> None:
        self._dec(self._busy, chat_id)
        self._dec(self._users, (chat_id, chat_id if user_id is None else user_id))


@dataclass
class Services:
    settings: BotSettings
    kb: KnowledgeSettings
    engine: EngineLike
    state: BotState
    limiter: SlidingWindowLimiter
    gates: ChatGates
    notices: SlidingWindowLimiter = field(default_factory=lambda: SlidingWindowLimiter(1, 30.0))
    card_renderer: Callable[[FactCard], bytes] = draw_card
    round_lock: asyncio.Lock = field(default_factory=asyncio.Lock)  # one fact-card round at a time

    @property
    def uploads_dir(self) -> Path:
        return self.kb.data_dir / "uploads"


def services(context: CallbackContext[Any, Any, Any, Any]) -> Services:
    found = context.application.bot_data[SERVICES_KEY]
    assert isinstance(found, Services)
    return found
