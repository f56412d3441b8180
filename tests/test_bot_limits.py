"""Every message gets a reply, over the limits too: the real Application over real HTTP against
the fake Bot API, with the stub engine (the limits, not the answers, are under test)."""

from __future__ import annotations

import asyncio
import re
from pathlib import Path

from bot_harness import make_app, running, texts, until
from bot_stubs import StubEngine
from fake_bot_api import FakeBotAPI

from bot.settings import BotSettings
from knowledge.errors import StoreUnavailable

DEFAULT_LIMIT = int(BotSettings.model_fields["bot_rate_limit"].default)


def test_every_question_over_the_default_limit_gets_a_notice(fake_api: FakeBotAPI, tmp_path: Path) -> None:
    engine = StubEngine()
    user = fake_api.user(1701)
    chat = fake_api.private_chat(user)
    asked = DEFAULT_LIMIT + 3

    async def scenario() -> None:
        async with running(make_app(fake_api, engine, tmp_path, bot_rate_limit=DEFAULT_LIMIT)):
            for n in range(1, asked + 1):
                fake_api.message(chat, user, f"Question number {n}?")
                await fake_api.wait_for("sendMessage", n, where=lambda c: c.params["chat_id"] == user["id"])

    asyncio.run(scenario())
    replies = texts(fake_api, chat["id"])
    assert len(replies) == asked
    assert [r for r in replies if r.startswith("You asked")] == replies[:DEFAULT_LIMIT]
    for notice in replies[DEFAULT_LIMIT:]:
        seconds = re.search(r"wait (\d+) s", notice)
        assert seconds is not None and 1 <= int(seconds.group(1)) <= 60, notice
    assert len(engine.asked) == DEFAULT_LIMIT


def test_inline_query_over_the_limit_gets_one_result_saying_so(fake_api: FakeBotAPI, tmp_path: Path) -> None:
    user = fake_api.user(1702)

    async def scenario() -> None:
        async with running(make_app(fake_api, StubEngine(), tmp_path, bot_rate_limit=1)):
            fake_api.inline(user, "What is the Middle Corridor?")
            await fake_api.wait_for("answerInlineQuery")
            fake_api.inline(user, "And the Khorgos port?")
            await fake_api.wait_for("answerInlineQuery", 2)

    asyncio.run(scenario())
    first, second = fake_api.calls_of("answerInlineQuery")
    assert "You asked" in first.params["results"][0]["input_message_content"]["message_text"]
    [result] = second.params["results"]
    assert re.search(r"wait \d+ s", result["title"]), result
    assert re.search(r"wait \d+ s", result["input_message_content"]["message_text"])


def test_button_is_answered_before_a_failing_edit(fake_api: FakeBotAPI, tmp_path: Path) -> None:
    """The callback query is answered first: an edit that fails does not leave the button spinning."""
    user = fake_api.user(1703)
    chat = fake_api.private_chat(user)

    async def scenario() -> None:
        async with running(make_app(fake_api, StubEngine(), tmp_path)):
            fake_api.message(chat, user, "Where is Khorgos?")
            [answer] = await fake_api.wait_for("sendMessage")
            sources = answer.params["reply_markup"]["inline_keyboard"][0][0]["callback_data"]
            fake_api.fail_next("editMessageText", 1, status=400)
            fake_api.callback(user, answer.result, sources)
            await fake_api.wait_for("answerCallbackQuery")
            await until(lambda: bool(fake_api.calls_of("editMessageText", ok=False)))
            # the failure reached the one error handler, which told the user
            await fake_api.wait_for("sendMessage", 2)

    asyncio.run(scenario())
    [answered] = fake_api.calls_of("answerCallbackQuery")
    [failed] = fake_api.calls_of("editMessageText", ok=False)
    assert answered.at <= failed.at


def test_inline_query_while_the_store_is_down_gets_one_result_saying_so(
    fake_api: FakeBotAPI, tmp_path: Path
) -> None:
    engine = StubEngine(fail_with=StoreUnavailable("the Chroma server at 127.0.0.1:9 is not answering"))

    async def scenario() -> None:
        async with running(make_app(fake_api, engine, tmp_path)):
            fake_api.inline(fake_api.user(1704), "What is the Middle Corridor?")
            await fake_api.wait_for("answerInlineQuery")

    asyncio.run(scenario())
    [call] = fake_api.calls_of("answerInlineQuery")
    [result] = call.params["results"]
    assert "temporarily unavailable" in result["title"] and "127.0.0.1" not in str(result)
