"""The real Application over real HTTP against the fake Bot API, with the real engine."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import pytest
from bot_harness import ADMIN_ID, SpyEngine, make_app, running, settled, texts
from fake_bot_api import FakeBotAPI

pytestmark = pytest.mark.slow

QUESTION = "When were diplomatic relations between China and Central Asia established?"


def run(coro: Any) -> None:
    asyncio.run(coro)


def test_private_question_gets_cited_answer_with_buttons(
    fake_api: FakeBotAPI, bot_engine: Any, tmp_path: Path
) -> None:
    async def scenario() -> None:
        async with running(make_app(fake_api, bot_engine, tmp_path)):
            user = fake_api.user(501)
            fake_api.message(fake_api.private_chat(user), user, QUESTION)
            [call] = await fake_api.wait_for("sendMessage")
            assert call.params["parse_mode"] == "HTML"
            assert "1992" in call.result["text"] and "[1]" in call.result["text"]
            assert "Sources" in call.result["text"]
            assert "China-Central Asia cooperation shows no signs of slowing" in call.result["text"]
            buttons = call.params["reply_markup"]["inline_keyboard"][0]
            assert [b["text"] for b in buttons][1:] == ["👍", "👎"]
            assert all(len(b["callback_data"].encode()) <= 64 for b in buttons)
            assert fake_api.calls_of("setMyCommands")

    run(scenario())


def test_group_answers_only_when_addressed(fake_api: FakeBotAPI, bot_engine: Any, tmp_path: Path) -> None:
    async def scenario() -> None:
        async with running(make_app(fake_api, bot_engine, tmp_path)) as app:
            group, user = fake_api.group_chat(), fake_api.user(502)
            fake_api.message(group, user, "What is the Middle Corridor? (just chatting)")
            await settled(app, fake_api)
            assert not fake_api.calls_of("sendMessage")
            fake_api.message(group, user, f"/ask@{fake_api.username} What is the Middle Corridor?")
            [first] = await fake_api.wait_for("sendMessage")
            assert "Caspian" in first.result["text"]
            fake_api.message(group, user, f"@{fake_api.username} what did cargo volumes reach in 2023?")
            calls = await fake_api.wait_for("sendMessage", 2)
            assert "2.76" in calls[1].result["text"]
            fake_api.message(group, user, "thanks!", reply_to=calls[1].result)
            await fake_api.wait_for("sendMessage", 3)
            fake_api.message(group, user, "/ask")
            calls = await fake_api.wait_for("sendMessage", 4)
            assert "Send /ask followed by your question" in calls[3].result["text"]
            await settled(app, fake_api)
            assert len(fake_api.calls_of("sendMessage")) == 4

    run(scenario())


def test_long_answer_is_split_cleanly(fake_api: FakeBotAPI, bot_engine: Any, tmp_path: Path) -> None:
    async def scenario() -> None:
        async with running(make_app(fake_api, SpyEngine(bot_engine, long_answer=True), tmp_path)) as app:
            user = fake_api.user(503)
            fake_api.message(fake_api.private_chat(user), user, QUESTION)
            await settled(app, fake_api)  # every part sent
            calls = fake_api.calls_of("sendMessage")
            assert len(calls) >= 2
            assert not fake_api.calls_of("sendMessage", ok=False)  # the fake rejects bad HTML / >4096
            assert "reply_markup" in calls[-1].params and "reply_markup" not in calls[0].params
            joined = "".join(c.result["text"] for c in calls)
            assert joined.count("paragraph") == 40 and "<&>" in joined

    run(scenario())


def test_sources_button_and_feedback_in_stats(fake_api: FakeBotAPI, bot_engine: Any, tmp_path: Path) -> None:
    async def scenario() -> None:
        async with running(make_app(fake_api, bot_engine, tmp_path)):
            user = fake_api.user(ADMIN_ID)
            chat = fake_api.private_chat(user)
            fake_api.message(chat, user, QUESTION)
            [answer] = await fake_api.wait_for("sendMessage")
            buttons = answer.params["reply_markup"]["inline_keyboard"][0]
            fake_api.callback(user, answer.result, buttons[0]["callback_data"])
            [edit] = await fake_api.wait_for("editMessageText")
            assert "Quoted evidence" in edit.result["text"] and "<blockquote>" in edit.params["text"]
            hide = edit.params["reply_markup"]["inline_keyboard"][0][0]
            fake_api.callback(user, edit.result, hide["callback_data"])
            edits = await fake_api.wait_for("editMessageText", 2)
            assert edits[1].result["text"] == answer.result["text"]
            fake_api.callback(user, answer.result, buttons[1]["callback_data"])
            await fake_api.wait_for(
                "answerCallbackQuery", where=lambda c: "Thanks" in c.params.get("text", "")
            )
            fake_api.message(chat, user, "/stats")
            calls = await fake_api.wait_for("sendMessage", 2)
            stats = calls[1].result["text"]
            assert "👍 1 / 👎 0" in stats and "Questions answered: 1" in stats and "Documents: " in stats
            other = fake_api.user(777)
            fake_api.message(fake_api.private_chat(other), other, "/stats")
            await fake_api.wait_for(
                "sendMessage", where=lambda c: "only the bot's administrators" in c.result["text"]
            )

    run(scenario())


def test_reply_to_answer_is_a_follow_up(fake_api: FakeBotAPI, bot_engine: Any, tmp_path: Path) -> None:
    spy = SpyEngine(bot_engine)

    async def scenario() -> None:
        async with running(make_app(fake_api, spy, tmp_path)):
            user = fake_api.user(504)
            chat = fake_api.private_chat(user)
            fake_api.message(chat, user, "What were the cargo volumes on the Middle Corridor?")
            [first] = await fake_api.wait_for("sendMessage")
            fake_api.message(chat, user, "and in 2023?", reply_to=first.result)
            await fake_api.wait_for("sendMessage", 2)

    run(scenario())
    assert spy.asked[1] == ("and in 2023?", "What were the cargo volumes on the Middle Corridor?")
    assert spy.asked[0][1] is None


def test_inline_query_answers_with_html_article(
    fake_api: FakeBotAPI, bot_engine: Any, tmp_path: Path
) -> None:
    async def scenario() -> None:
        async with running(make_app(fake_api, bot_engine, tmp_path)):
            fake_api.inline(fake_api.user(505), "What is the Middle Corridor?")
            [call] = await fake_api.wait_for("answerInlineQuery")
            [result] = call.params["results"]
            assert result["type"] == "article"
            content = result["input_message_content"]
            assert content["parse_mode"] == "HTML" and "Caspian" in content["message_text"]

    run(scenario())


def test_429_is_retried_and_the_reply_sent_once(
    fake_api: FakeBotAPI, bot_engine: Any, tmp_path: Path
) -> None:
    async def scenario() -> None:
        async with running(make_app(fake_api, bot_engine, tmp_path)) as app:
            fake_api.fail_next("sendMessage", 1, status=429, retry_after=1)
            user = fake_api.user(506)
            fake_api.message(fake_api.private_chat(user), user, QUESTION)
            await fake_api.wait_for("sendMessage")
            await settled(app, fake_api)
            assert len(fake_api.calls_of("sendMessage")) == 1
            assert [c.status for c in fake_api.calls_of("sendMessage", ok=False)] == [429]

    run(scenario())


def test_interface_language_follows_language_code(
    fake_api: FakeBotAPI, bot_engine: Any, tmp_path: Path
) -> None:
    async def scenario() -> None:
        async with running(make_app(fake_api, bot_engine, tmp_path)):
            for uid, lang in ((601, "ru"), (602, "zh-hans"), (603, "de")):
                user = fake_api.user(uid, lang)
                fake_api.message(fake_api.private_chat(user), user, "/start")
            for uid, needle in (
                (601, "Просто пришлите вопрос"),
                (602, "直接发送问题"),
                (603, "Just send me"),
            ):
                await fake_api.wait_for(
                    "sendMessage",
                    where=lambda c, u=uid, n=needle: c.params["chat_id"] == u and n in c.result["text"],
                )
            ru = texts(fake_api, 601)[0]
            assert "China-Central Asia cooperation shows no signs of slowing" in ru  # titles stay as written

    run(scenario())


def test_rate_limit_and_unavailable_store(fake_api: FakeBotAPI, bot_engine: Any, tmp_path: Path) -> None:
    async def scenario() -> None:
        async with running(
            make_app(fake_api, SpyEngine(bot_engine, unavailable=True), tmp_path, bot_rate_limit=2)
        ):
            user = fake_api.user(507)
            chat = fake_api.private_chat(user)
            for _ in range(3):
                fake_api.message(chat, user, "Where is Khorgos?")
            calls = await fake_api.wait_for("sendMessage", 3)
            replies = sorted(c.result["text"] for c in calls)
            assert sum("temporarily unavailable" in r for r in replies) == 2
            assert sum("asking very quickly" in r for r in replies) == 1
            assert not any("Chroma" in r or "127.0.0.1" in r for r in replies)

    run(scenario())


def test_concurrent_questions_per_chat_are_capped(
    fake_api: FakeBotAPI, bot_engine: Any, tmp_path: Path
) -> None:
    engine = SpyEngine(bot_engine, delay=1.5)

    async def scenario() -> None:
        async with running(make_app(fake_api, engine, tmp_path, bot_max_concurrent_per_chat=1)):
            group = fake_api.group_chat(-100999)
            for uid in (511, 512):
                fake_api.message(group, fake_api.user(uid), "/ask What is the Middle Corridor?")
            calls = await fake_api.wait_for("sendMessage", 2)
            texts_sent = [c.result["text"] for c in calls]
            assert sum("still answering other questions" in t for t in texts_sent) == 1
            assert sum("Caspian" in t for t in texts_sent) == 1

    run(scenario())
    assert len(engine.asked) == 1
