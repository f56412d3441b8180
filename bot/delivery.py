"""Delivery guarantees around the Bot API: Telegram's flood limits, bounded retries for transient
failures, and at-most-once handling of each update across restarts.

Flood limits. Telegram documents its limits for *messages*: about 30 a second overall, one a
second per chat, 20 a minute per group. PTB's ``AIORateLimiter`` enforces them for every request
that names a chat (a leaky bucket of 30 a second that also lets 30 through at once after a quiet
spell). Chat actions are not messages: counted as one, a "typing" hint cost each answer a second
slot of the 30 a second, which held bursts near 15 answers a second, and in a group it used up the
20-a-minute budget meant for answers. So ``sendChatAction`` has a bucket of its own (30 a second
as well, so hints cannot flood Telegram either) and is sent once, never retried: a hint that
arrives late is worse than none, and a 429 on it must not hold the answers back (``AIORateLimiter``
pauses every request after a 429). ``bot.chat_action`` sends it only when an answer is slow.

Retries (every Bot API call except getUpdates, which PTB's polling loop retries by itself):

* 429 ``RetryAfter``: wait what Telegram asks, up to ``max_retries`` times (AIORateLimiter);
* 5xx answers and connection failures (``NetworkError`` that is neither a ``BadRequest`` nor a
  ``TimedOut``): retry up to ``max_retries`` times with exponential backoff;
* ``TimedOut`` only when the request never left (connect or pool time-out). A read time-out is
  *not* retried: Telegram may already have delivered the message, and ``sendMessage`` has no
  idempotency key, so a retry could show the user the same answer twice.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Coroutine
from typing import Any

import httpx
from aiolimiter import AsyncLimiter
from telegram import Update
from telegram.error import BadRequest, NetworkError, TimedOut
from telegram.ext import AIORateLimiter, ApplicationHandlerStop, ContextTypes

from bot.services import services

log = logging.getLogger(__name__)
CHAT_ACTIONS = frozenset({"sendChatAction"})
ACTION_RATE = 30.0  # chat actions a second, the same as Telegram's overall message rate
_NOT_SENT = (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout)


def is_transient(exc: BaseException) -> bool:
    """True for failures worth retrying: 5xx / dropped connection, or a request that never left."""
    if isinstance(exc, TimedOut):
        return isinstance(exc.__cause__, _NOT_SENT) or "Pool timeout" in exc.message
    return isinstance(exc, NetworkError) and not isinstance(exc, BadRequest)


class RetryingRateLimiter(AIORateLimiter):
    """AIORateLimiter (Telegram's flood limits and 429 handling) plus bounded 5xx/network retries;
    chat actions on their own bucket, outside the message limits."""

    def __init__(
        self, max_retries: int = 3, backoff: float = 0.5, action_rate: float = ACTION_RATE, **kwargs: Any
    ) -> None:
        super().__init__(max_retries=max_retries, **kwargs)
        self.network_retries = max_retries
        self.backoff = backoff
        self.actions = AsyncLimiter(action_rate, 1)

    async def process_request(
        self,
        callback: Callable[..., Coroutine[Any, Any, bool | dict[str, Any] | list[dict[str, Any]]]],
        args: Any,
        kwargs: dict[str, Any],
        endpoint: str,
        data: dict[str, Any],
        rate_limit_args: int | None,
    ) -> bool | dict[str, Any] | list[dict[str, Any]]:
        if endpoint in CHAT_ACTIONS:
            async with self.actions:
                return await callback(*args, **kwargs)
        for attempt in range(self.network_retries + 1):
            try:
                return await super().process_request(callback, args, kwargs, endpoint, data, rate_limit_args)
            except NetworkError as exc:
                if attempt >= self.network_retries or not is_transient(exc):
                    raise
                delay = self.backoff * 2**attempt
                log.warning("%s failed (%s); retry %d in %.1fs", endpoint, exc, attempt + 1, delay)
                await asyncio.sleep(delay)
        raise AssertionError("unreachable")  # pragma: no cover


async def skip_seen_updates(update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Handler group -1: remember each update_id in SQLite before handling it; an update that was
    already handled (Telegram re-sends updates whose offset was not confirmed, e.g. after a crash
    or kill) stops here, so nothing is answered twice."""
    if isinstance(update, Update) and not services(context).state.claim_update(update.update_id):
        log.info("Update %s was already handled before a restart; skipping it", update.update_id)
        raise ApplicationHandlerStop
