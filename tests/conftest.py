"""Shared pytest fixtures."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    """The shared read-only directory next to the repository (corpus, design notes)."""
    path = Path(__file__).resolve().parents[1].parent / "shared"
    if not path.is_dir():
        message = f"../shared is absent: {path} (the shared corpus lives next to the repository)"
        if os.environ.get("REQUIRE_SHARED") == "1":
            pytest.fail(message)
        pytest.skip(message)
    return path


# --- bot fixtures (real engine, fake Bot API) -------------------------------------------------
BOT_EXTRA_DOC = """---
title: Bot test note on the Middle Corridor
source: Test Desk
date: 2024-05-01
url: https://example.org/middle-corridor?a=1&b=<2>
lang: en
---

# Middle Corridor

The Trans-Caspian International Transport Route, also called the Middle Corridor, links China
through Kazakhstan, the Caspian Sea, Azerbaijan and Georgia to Europe. In 2023 cargo volumes on
the route reached 2.76 million tonnes, a rise of 86 percent compared with 2022.

Container trains from Xi'an reach the Caspian port of Aktau in about ten days.
"""


@pytest.fixture(scope="session")
def bot_engine(tmp_path_factory: pytest.TempPathFactory, shared_dir: Path) -> object:
    """A real Engine over a small real store (seed article + a trade note + a test note)."""
    from knowledge.engine import Engine
    from knowledge.settings import KnowledgeSettings

    data = tmp_path_factory.mktemp("bot-kb")
    extra = data / "docs" / "middle-corridor.md"
    extra.parent.mkdir()
    extra.write_text(BOT_EXTRA_DOC, encoding="utf-8")
    seed = next((shared_dir / "corpus" / "seed").glob("*"))
    trade = shared_dir / "corpus" / "notes" / "013-china-central-asia-trade-2022-astanatimes.md"
    engine = Engine(KnowledgeSettings(data_dir=data / "store"))
    report = engine.ingest([seed, trade, extra])
    assert report.ok, report.failed
    engine.warm_up()
    return engine


@pytest.fixture
def fake_api() -> Iterator[object]:
    """A fake Telegram Bot API server on 127.0.0.1 (see tests/fake_bot_api.py)."""
    from fake_bot_api import FakeBotAPI

    api = FakeBotAPI().start()
    yield api
    api.stop()
