"""Who gets a question answered now: the per-user rate limit, the per-chat caps, and which earlier
question a reply follows up. No Telegram imports: handlers ask, then reply with what they are told.

Every message gets a reply: an admitted question its answer, a refused one a short notice saying
when to ask again (``Decision.wait_seconds``) or that the chat is busy.
"""

from __future__ import annotations

import math
import time
from collections import deque
from dataclasses import dataclass
from typing import Any

from bot.i18n import t
from bot.state import BotState


class SlidingWindowLimiter:
    """At most ``limit`` events per ``window`` seconds per key (a sliding window)."""

    def __init__(self, limit: int, window: float = 60.0) -> None:
        if limit < 1 or window <= 0:
            raise ValueError("limit must be >= 1 and window > 0")
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
        if cap < 1:
            raise ValueError("cap must be >= 1")
        self.cap = cap
        self.per_user = max(1, cap - 1)
        self._busy: dict[int, int] = {}
        self._users: dict[tuple[int, int], int] = {}

    def try_enter(self, chat_id: int, user_id: int) -> bool:
        key = (chat_id, user_id)
        shared = user_id != chat_id  # a group; in a private chat (id = user id) the user is alone
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

    def leave(self, chat_id: int, user_id: int) -> None:
        self._dec(self._busy, chat_id)
        self._dec(self._users, (chat_id, user_id))

    def in_flight(self, chat_id: int) -> int:
        return self._busy.get(chat_id, 0)


@dataclass(frozen=True, kw_only=True)
class Decision:
    """Answer now (``admitted``), or tell the sender: over the rate limit, ask again in
    ``wait_seconds``; or (``busy``) the chat already has its cap of questions in flight."""

    admitted: bool
    wait_seconds: int = 0
    busy: bool = False


ADMITTED = Decision(admitted=True)


def refusal_notice(decision: Decision, lang: str) -> str:
    """The short notice for a question that is not answered now: when to ask again."""
    if decision.busy:
        return t(lang, "busy")
    return t(lang, "rate_limited", seconds=decision.wait_seconds)


class Admission:
    """The service handlers consult before asking the engine."""

    def __init__(self, *, rate_limit: int, chat_cap: int, state: BotState, window: float = 60.0) -> None:
        self.limiter = SlidingWindowLimiter(rate_limit, window)
        self.gates = ChatGates(chat_cap)
        self.state = state

    def _rate(self, user_id: int, now: float | None) -> Decision | None:
        wait = self.limiter.check(user_id, now)
        return Decision(admitted=False, wait_seconds=max(1, math.ceil(wait))) if wait else None

    def enter(self, chat_id: int, user_id: int, now: float | None = None) -> Decision:
        """Admit a chat question (then ``leave`` when it is answered) or say why not."""
        refused = self._rate(user_id, now)
        if refused is not None:
            return refused
        if not self.gates.try_enter(chat_id, user_id):
            return Decision(admitted=False, busy=True)
        return ADMITTED

    def leave(self, chat_id: int, user_id: int) -> None:
        self.gates.leave(chat_id, user_id)

    def inline(self, user_id: int, now: float | None = None) -> Decision:
        """An inline query: only the user's rate limit applies (there is no chat)."""
        return self._rate(user_id, now) or ADMITTED

    def previous_question(self, chat_id: int, replied_to: int | None) -> str | None:
        """The question behind the bot's answer ``replied_to`` (a message id), for a follow-up."""
        if replied_to is None:
            return None
        stored = self.state.answer_for_message(chat_id, replied_to)
        return stored.question if stored else None
