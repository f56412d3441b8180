"""Who may do what: bot admins (ingest, /stats, channels), group admins checked at the time of
/subscribe, uploads checked before download with names that never become paths, the token kept out
of logs and replies, and one flooding user unable to starve another."""

from __future__ import annotations

import asyncio
import logging
from pathlib import Path
from typing import Any

from bot_harness import ADMIN_ID, make_app, running, services_of, settled, until
from bot_stubs import StubEngine, debug_log_capture
from fake_bot_api import FakeBotAPI

from bot.app import RedactToken, install_redaction
from bot.settings import load_bot_settings

REFUSED = "only the bot's administrators"
CHANNEL: dict[str, Any] = {"id": -1009002, "type": "channel", "title": "Facts", "username": "factschan"}


def _texts(api: FakeBotAPI, chat_id: int) -> list[str]:
    return [
        str(c.result.get("text", "")) for c in api.calls_of("sendMessage") if c.params["chat_id"] == chat_id
    ]


def test_only_bot_admins_ingest_see_stats_or_subscribe_channels(fake_api: FakeBotAPI, tmp_path: Path) -> None:
    engine = StubEngine()
    file_id, size = fake_api.add_file(b"# Note\n\nText.", "note.md")
    document = {"file_id": file_id, "file_unique_id": "n1", "file_name": "note.md", "file_size": size}
    fake_api.add_chat(CHANNEL)
    fake_api.set_member(CHANNEL["id"], fake_api.bot_user["id"], "administrator")
    stranger = fake_api.user(1501)
    chat = fake_api.private_chat(stranger)

    async def scenario() -> None:
        async with running(make_app(fake_api, engine, tmp_path)) as app:
            fake_api.message(chat, stranger, document=document)
            fake_api.message(chat, stranger, "/stats")
            fake_api.message(chat, stranger, "/subscribe @factschan")
            fake_api.message(chat, stranger, "/unsubscribe @factschan")
            await fake_api.wait_for("sendMessage", 4, where=lambda c: REFUSED in c.result["text"])
            await settled(app, fake_api)
            assert not services_of(app).state.subscriptions()

    asyncio.run(scenario())
    assert len(_texts(fake_api, stranger["id"])) == 4
    for method in ("getFile", "download", "getChat", "getChatMember"):
        assert not fake_api.calls_of(method, ok=None), method
    assert engine.ingested == [] and not (tmp_path / "uploads").exists()


def test_group_subscribe_checks_admin_rights_every_time(fake_api: FakeBotAPI, tmp_path: Path) -> None:
    group = fake_api.group_chat(-100881, "Demotion club")
    user = fake_api.user(1502)

    async def scenario() -> None:
        async with running(make_app(fake_api, StubEngine(), tmp_path)) as app:
            state = services_of(app).state
            fake_api.set_member(group["id"], user["id"], "administrator")
            fake_api.message(group, user, "/subscribe")
            await fake_api.wait_for("sendMessage", where=lambda c: c.result["text"].startswith("Subscribed"))
            fake_api.set_member(group["id"], user["id"], "member")  # demoted
            fake_api.message(group, user, "/unsubscribe")
            fake_api.message(group, user, "/subscribe")
            await fake_api.wait_for(
                "sendMessage", 2, where=lambda c: "Only an administrator" in c.result["text"]
            )
            assert [s.chat_id for s in state.subscriptions()] == [group["id"]]
            fake_api.set_member(group["id"], user["id"], "creator")
            fake_api.message(group, user, "/unsubscribe")
            await fake_api.wait_for("sendMessage", 4)
            await settled(app, fake_api)
            assert not state.subscriptions()

    asyncio.run(scenario())
    assert len(fake_api.calls_of("getChatMember")) == 4  # asked Telegram each time, nothing cached


HOSTILE_NAMES = [
    "../../x.md",
    "..\\..\\evil.md",
    "/etc/passwd",
    "..",
    ".",
    "",
    ".hidden.md",
    "a" * 300 + ".md",
    "nul\x00byte.md",
    "new\nline\r.md",
    "rtl\u202egpj.md",
    "Ã©Ã¨ Ð¸Ð¼Ñ\ufffd.md",
    "CON.md",
    "x.md/../../../y.md",
]


def test_upload_size_is_checked_before_download_and_names_never_become_paths(
    fake_api: FakeBotAPI, tmp_path: Path
) -> None:
    engine = StubEngine()
    admin = fake_api.user(ADMIN_ID)
    chat = fake_api.private_chat(admin)
    uploads = (tmp_path / "uploads").resolve()

    async def scenario() -> None:
        async with running(make_app(fake_api, engine, tmp_path, bot_max_upload_mb=1)):
            file_id, _ = fake_api.add_file(b"x" * (2 * 1024 * 1024), "big.md")
            for size in (2 * 1024 * 1024, None):  # too big, and unknown size
                doc = {"file_id": file_id, "file_unique_id": "b", "file_name": "big.md"}
                fake_api.message(chat, admin, document={**doc, "file_size": size} if size else doc)
            await fake_api.wait_for("sendMessage", 2, where=lambda c: "the limit is 1 MB" in c.result["text"])
            assert not fake_api.calls_of("getFile", ok=None) and not fake_api.calls_of("download", ok=None)
            for i, name in enumerate(HOSTILE_NAMES):
                fid, size = fake_api.add_file(f"# Doc {i}\n\nBody.".encode(), f"f{i}.md")
                fake_api.message(
                    chat,
                    admin,
                    document={
                        "file_id": fid,
                        "file_unique_id": f"h{i}",
                        "file_name": name,
                        "file_size": size,
                    },
                )
                await fake_api.wait_for("sendMessage", 2 + 2 * (i + 1), timeout=10)

    asyncio.run(scenario())
    assert len(engine.ingested) == len(HOSTILE_NAMES)
    for path in engine.ingested:
        assert path.resolve().parent == uploads, path
    for path in tmp_path.rglob("*"):
        assert path.resolve().is_relative_to(tmp_path.resolve())
    saved = list(uploads.iterdir())
    assert all(len(p.name) <= 100 and "\x00" not in p.name and "\n" not in p.name for p in saved)
    assert not any(p.name.startswith(".") for p in saved)  # no hidden files, no leftover .part


def test_upload_bigger_than_its_metadata_says_is_discarded(fake_api: FakeBotAPI, tmp_path: Path) -> None:
    engine = StubEngine()
    admin = fake_api.user(ADMIN_ID)
    chat = fake_api.private_chat(admin)

    async def scenario() -> None:
        async with running(make_app(fake_api, engine, tmp_path, bot_max_upload_mb=1)):
            file_id, _ = fake_api.add_file(b"x" * (2 * 1024 * 1024), "liar.md")
            doc = {"file_id": file_id, "file_unique_id": "l", "file_name": "liar.md", "file_size": 10}
            fake_api.message(chat, admin, document=doc)
            await fake_api.wait_for("sendMessage", 1, where=lambda c: "the limit is 1 MB" in c.result["text"])

    asyncio.run(scenario())
    assert not engine.ingested
    uploads = tmp_path / "uploads"
    assert not uploads.exists() or not any(uploads.iterdir())


def test_token_never_in_logs_replies_or_errors(fake_api: FakeBotAPI, tmp_path: Path) -> None:
    token = fake_api.token
    secret = token.split(":", 1)[1]
    engine = StubEngine(fail_with=RuntimeError(f"engine exploded calling https://x/bot{token}/getMe"))
    user = fake_api.user(1503)
    chat = fake_api.private_chat(user)

    async def scenario() -> None:
        install_redaction(load_bot_settings(telegram_bot_token=token))  # as cmd_run: before building
        async with running(make_app(fake_api, engine, tmp_path)) as app:
            fake_api.message(chat, user, "/start")
            fake_api.fail_next("sendMessage", 1, status=500)
            fake_api.fail_next("getUpdates", 1, status=0)
            await fake_api.wait_for("sendMessage")
            fake_api.message(chat, user, "/fact")
            await fake_api.wait_for("sendPhoto")
            fake_api.message(chat, user, "Where is Khorgos?")  # the engine raises with the token inside
            await fake_api.wait_for("sendMessage", 2)
            await settled(app, fake_api)

    with debug_log_capture() as logs:
        try:
            asyncio.run(scenario())
        finally:
            for handler in logging.getLogger().handlers:
                for f in [f for f in handler.filters if isinstance(f, RedactToken)]:
                    handler.removeFilter(f)
    text = logs.getvalue()
    assert "HTTP Request: POST" in text and "engine exploded" in text  # the capture saw it all
    assert token not in text and secret not in text
    replies = " ".join(_texts(fake_api, user["id"]))
    assert "something went wrong" in replies
    assert secret not in replies and "exploded" not in replies


def test_one_flooding_user_cannot_starve_another(fake_api: FakeBotAPI, tmp_path: Path) -> None:
    engine = StubEngine(delay=0.8)
    group = fake_api.group_chat(-100882, "Busy group")
    flooder, other = fake_api.user(1504), fake_api.user(1505)

    async def scenario() -> None:
        app = make_app(fake_api, engine, tmp_path, bot_rate_limit=6, bot_max_concurrent_per_chat=2)
        async with running(app):
            for i in range(15):
                fake_api.message(group, flooder, f"/ask flood {i}")
            await until(lambda: bool(engine.asked))  # the flood holds its slots
            fake_api.message(group, other, "/ask my real question")
            await fake_api.wait_for(
                "sendMessage", where=lambda c: "my real question" in c.result["text"], timeout=15
            )
            # every flood message gets a reply too: its answer, or a notice saying when to ask again
            await fake_api.wait_for("sendMessage", 16, timeout=15)

    asyncio.run(scenario())
    replies = [c.result["text"] for c in fake_api.calls_of("sendMessage")]
    assert len(replies) == 16
    answered = [r for r in replies if "You asked: flood" in r]
    notices = [r for r in replies if "flood" not in r and "real" not in r]
    assert len(answered) + len(notices) == 15 and 1 <= len(answered) <= 6
    assert all("wait" in r or "try again" in r for r in notices), notices
