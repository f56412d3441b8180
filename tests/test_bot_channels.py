"""Subscriptions, scheduled fact cards (no repeats, survive restarts), /fact, admin uploads."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import pytest
from bot_harness import ADMIN_ID, make_app, running, services_of, until
from fake_bot_api import FakeBotAPI

from bot.channels import post_fact_cards
from knowledge.fonts import FontNotFound
from knowledge.models import FactCard

pytestmark = pytest.mark.slow

CHANNEL: dict[str, Any] = {"id": -1009001, "type": "channel", "title": "CCA Facts", "username": "ccafacts"}
UPLOAD = """---
title: Upload test about the Khorgos dry port
source: Upload Desk
date: 2024-03-03
---

The Khorgos Gateway dry port on the China-Kazakhstan border handled 500,000 containers in 2023,
according to the operator. The port opened in 2015 as part of the Belt and Road Initiative.
"""


async def _trigger(app: Any) -> None:
    app.job_queue.run_once(post_fact_cards, 0)


def _photos(api: FakeBotAPI, chat_id: int) -> list[str]:
    return [c.params["caption"] for c in api.calls_of("sendPhoto") if c.params["chat_id"] == chat_id]


def test_subscriptions_post_cards_without_repeats_and_survive_restart(
    fake_api: FakeBotAPI, bot_engine: Any, tmp_path: Path
) -> None:
    group = fake_api.group_chat(-100555, "Rail club")
    fake_api.add_chat(group)
    fake_api.add_chat(CHANNEL)
    owner, member, admin = fake_api.user(801), fake_api.user(802), fake_api.user(ADMIN_ID)
    fake_api.set_member(group["id"], owner["id"], "creator")
    fake_api.set_member(CHANNEL["id"], fake_api.bot_user["id"], "administrator")
    pool = bot_engine.fact_cards()
    assert len(pool) >= 3

    async def first_run() -> None:
        async with running(make_app(fake_api, bot_engine, tmp_path)) as app:
            fake_api.message(group, member, "/subscribe")
            await fake_api.wait_for(
                "sendMessage", where=lambda c: "Only an administrator" in c.result["text"]
            )
            fake_api.message(group, owner, "/subscribe")
            await fake_api.wait_for("sendMessage", where=lambda c: c.result["text"].startswith("Subscribed"))
            fake_api.message(fake_api.private_chat(member), member, "/subscribe @ccafacts")
            await fake_api.wait_for(
                "sendMessage", where=lambda c: "only the bot's administrators" in c.result["text"]
            )
            fake_api.message(fake_api.private_chat(admin), admin, "/subscribe @nosuchchannel")
            await fake_api.wait_for("sendMessage", where=lambda c: "could not find" in c.result["text"])
            fake_api.message(fake_api.private_chat(admin), admin, "/subscribe @ccafacts")
            await fake_api.wait_for("sendMessage", where=lambda c: "Subscribed @ccafacts" in c.result["text"])
            assert len(services_of(app).state.subscriptions()) == 2
            await _trigger(app)
            await fake_api.wait_for("sendPhoto", 2)
            await _trigger(app)
            await fake_api.wait_for("sendPhoto", 4)

    asyncio.run(first_run())
    for chat_id in (group["id"], CHANNEL["id"]):
        captions = _photos(fake_api, chat_id)
        assert len(captions) == 2 and len(set(captions)) == 2
    photo = fake_api.calls_of("sendPhoto")[0]
    assert photo.files["photo"].startswith(b"\x89PNG")

    async def after_restart() -> None:
        fake_api.fail_next("sendPhoto", 1, status=500)  # a failed send must not count as delivered
        async with running(make_app(fake_api, bot_engine, tmp_path)) as app:
            assert {s.chat_id for s in services_of(app).state.subscriptions()} == {group["id"], CHANNEL["id"]}
            await _trigger(app)
            await fake_api.wait_for("sendPhoto", 5)
            state = services_of(app).state
            await until(lambda: not state.unfinished_rounds())
            await _trigger(app)
            await fake_api.wait_for("sendPhoto", 7)

    asyncio.run(after_restart())
    for chat_id in (group["id"], CHANNEL["id"]):
        captions = _photos(fake_api, chat_id)
        assert len(captions) >= 3
        assert len(set(captions[: len(pool)])) == len(captions[: len(pool)]), "a card repeated too early"


def test_fact_command_no_repeats_and_topic(fake_api: FakeBotAPI, bot_engine: Any, tmp_path: Path) -> None:
    async def scenario() -> None:
        async with running(make_app(fake_api, bot_engine, tmp_path)):
            user = fake_api.user(803)
            chat = fake_api.private_chat(user)
            for n in range(1, 4):
                fake_api.message(chat, user, "/fact")
                photos = await fake_api.wait_for("sendPhoto", n)
            assert len({c.params["caption"] for c in photos}) == 3
            # Telegram's caption limit: 1024 UTF-16 units of the text after entity parsing
            assert all(len(c.result["caption"].encode("utf-16-le")) // 2 <= 1024 for c in photos)
            fake_api.message(chat, user, "/fact zzzunknowntopic")
            await fake_api.wait_for("sendMessage", where=lambda c: "no fact cards" in c.result["text"])

    asyncio.run(scenario())


def test_admin_upload_is_ingested_and_others_refused(
    fake_api: FakeBotAPI, bot_engine: Any, tmp_path: Path
) -> None:
    data = UPLOAD.encode()
    file_id, size = fake_api.add_file(data, "khorgos.md")
    document = {
        "file_id": file_id,
        "file_unique_id": "k1",
        "file_name": "../../etc/Khorgos port (v2).md",
        "file_size": size,
        "mime_type": "text/markdown",
    }
    uploads = tmp_path / "uploads"

    async def scenario() -> None:
        async with running(make_app(fake_api, bot_engine, tmp_path, bot_max_upload_mb=1)):
            stranger = fake_api.user(804)
            fake_api.message(fake_api.private_chat(stranger), stranger, document=document)
            await fake_api.wait_for(
                "sendMessage", where=lambda c: "only the bot's administrators" in c.result["text"]
            )
            assert not fake_api.calls_of("getFile") and not uploads.exists()
            admin = fake_api.user(ADMIN_ID)
            big = {**document, "file_size": 5 * 1024 * 1024}
            fake_api.message(fake_api.private_chat(admin), admin, document=big)
            await fake_api.wait_for("sendMessage", where=lambda c: "the limit is 1 MB" in c.result["text"])
            assert not fake_api.calls_of("getFile")
            fake_api.message(fake_api.private_chat(admin), admin, document=document)
            await fake_api.wait_for("sendMessage", where=lambda c: "1 added" in c.result["text"], timeout=60)

    asyncio.run(scenario())
    assert [p.name for p in uploads.iterdir()] == ["Khorgos_port_v2.md"]
    assert (uploads / "Khorgos_port_v2.md").read_bytes() == data
    assert any(s.title == "Upload test about the Khorgos dry port" for s in bot_engine.sources())


def test_card_that_cannot_be_drawn_is_posted_as_text(
    fake_api: FakeBotAPI, bot_engine: Any, tmp_path: Path
) -> None:
    """No font, a Pillow error: /fact and the scheduled round still post the card, as text."""
    group = fake_api.group_chat(-100556, "Text cards")
    fake_api.add_chat(group)
    user = fake_api.user(805)

    def broken(card: FactCard) -> bytes:
        raise FontNotFound("no font covering Latin, Cyrillic and CJK")

    async def scenario() -> None:
        app = make_app(fake_api, bot_engine, tmp_path)
        services_of(app).card_renderer = broken
        async with running(app):
            state = services_of(app).state
            state.subscribe(group["id"], "Text cards", "supergroup", "en")
            fake_api.message(fake_api.private_chat(user), user, "/fact")
            await fake_api.wait_for("sendMessage", where=lambda c: c.params["chat_id"] == user["id"])
            await _trigger(app)
            await fake_api.wait_for("sendMessage", where=lambda c: c.params["chat_id"] == group["id"])
            await until(lambda: not state.unfinished_rounds())

    asyncio.run(scenario())
    assert not fake_api.calls_of("sendPhoto")
    headlines = {c.headline for c in bot_engine.fact_cards()}
    for chat_id in (user["id"], group["id"]):
        [call] = [c for c in fake_api.calls_of("sendMessage") if c.params["chat_id"] == chat_id]
        text = call.result["text"]
        assert any(text.startswith(h) for h in headlines), text
        assert "went wrong" not in text and call.params["parse_mode"] == "HTML"
