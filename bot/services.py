"""What handlers share, kept in ``application.bot_data`` (no module-level singletons)."""

from __future__ import annotations

import asyncio
import functools
from collections.abc import Callable, Sequence
from concurrent.futures import Executor
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol, TypeVar

from bot.admission import Admission
from bot.chat_action import TypingIndicator
from bot.settings import BotSettings
from bot.state import BotState
from knowledge.models import Answer, FactCard, SearchFilter, SourceInfo
from knowledge.settings import KnowledgeSettings

if TYPE_CHECKING:  # keeps `python -m bot ask` from importing telegram (0.3 s of cold start)
    from telegram.ext import CallbackContext

SERVICES_KEY = "services"
T = TypeVar("T")


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


@dataclass(kw_only=True)
class Services:
    settings: BotSettings
    kb: KnowledgeSettings
    engine: EngineLike
    state: BotState
    admission: Admission
    engine_pool: Executor  # engine calls run here (BOT_ENGINE_THREADS), not in asyncio's default
    typing: TypingIndicator
    card_renderer: Callable[[FactCard], bytes] = draw_card
    round_lock: asyncio.Lock = field(default_factory=asyncio.Lock)  # one fact-card round at a time

    async def run_engine(self, fn: Callable[..., T], /, *args: Any, **kwargs: Any) -> T:
        """``fn(*args, **kwargs)`` (a blocking engine call) in the engine's threads."""
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self.engine_pool, functools.partial(fn, *args, **kwargs))

    @property
    def uploads_dir(self) -> Path:
        return self.kb.data_dir / "uploads"


def services(context: CallbackContext[Any, Any, Any, Any]) -> Services:
    found = context.application.bot_data[SERVICES_KEY]
    assert isinstance(found, Services)
    return found
