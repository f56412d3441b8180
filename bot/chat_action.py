"""The "typing…" indicator, shown only while an answer is slow in coming.

Why not at once, for every question: the Bot API recommends ``sendChatAction`` only "when a
response from the bot will take a noticeable amount of time to arrive", and a client clears the
indicator as soon as the bot's message arrives, so for an answer ready within about a second it
shows nothing the user would see. Sent for every question it doubled the Bot API requests of a
burst. So the indicator starts ``after_s`` (``BOT_TYPING_AFTER_S``, 1 s) into the wait, at most
once per chat per ``refresh_s`` (the status lasts 5 s; several questions from one chat share it),
and is renewed while the wait lasts. It is a hint: a failure to send it is logged and dropped,
never retried, and never reaches the user (``bot.delivery`` keeps it off the message budget).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass, field

from telegram.error import TelegramError

log = logging.getLogger(__name__)
REFRESH_S = 4.5  # Telegram shows a chat action for 5 s at most
KEEP = 1024  # chats remembered before stale ones are dropped

SendTyping = Callable[[int], Awaitable[object]]


@dataclass(kw_only=True)
class TypingIndicator:
    """When to show "typing…" in which chat; one per bot (kept in ``Services``)."""

    after_s: float
    refresh_s: float = REFRESH_S
    _shown: dict[int, float] = field(default_factory=dict)  # chat id -> loop time last shown

    def claim(self, chat_id: int, now: float) -> bool:
        """True (and remembered) when ``chat_id`` shows no indicator at ``now``."""
        if now - self._shown.get(chat_id, -self.refresh_s) < self.refresh_s:
            return False
        if len(self._shown) >= KEEP:
            self._shown = {c: t for c, t in self._shown.items() if now - t < self.refresh_s}
        self._shown[chat_id] = now
        return True

    def release(self, chat_id: int) -> None:
        """An answer is on its way, which clears the indicator: another wait in the chat shows it anew."""
        self._shown.pop(chat_id, None)

    async def _show(self, chat_id: int, send: SendTyping) -> None:
        loop = asyncio.get_running_loop()
        await asyncio.sleep(self.after_s)
        while True:
            if self.claim(chat_id, loop.time()):
                try:
                    await send(chat_id)
                except TelegramError as exc:  # a hint: dropped, the answer still comes
                    log.info("Typing action for chat %s not sent: %s", chat_id, exc.message)
            await asyncio.sleep(self.refresh_s)

    @contextlib.asynccontextmanager
    async def while_waiting(self, chat_id: int, send: SendTyping) -> AsyncIterator[None]:
        """Shows the indicator in ``chat_id`` from ``after_s`` into the block until it ends."""
        task = asyncio.create_task(self._show(chat_id, send))
        try:
            yield
        finally:
            task.cancel()  # before the answer is sent, so no indicator follows it
            self.release(chat_id)
