"""Telegram faults (429, 500, dropped connections), restarts and a SIGKILL mid-round.

Every reply must reach the fake server exactly once; polling must go on; a restarted bot must
not answer an update twice, nor post a fact card twice (or miss one) after being killed.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from bot_harness import make_app, running, services_of, settled, until
from bot_stubs import StubEngine
from fake_bot_api import FakeBotAPI

from bot.channels import post_fact_cards
from bot.state import BotState

REPO = Path(__file__).resolve().parents[1]
FAULTS = [pytest.param(429, id="429"), pytest.param(500, id="500"), pytest.param(0, id="drop")]


def _ask(api: FakeBotAPI, user_id: int, text: str = "Where is Khorgos?") -> dict[str, Any]:
    user = api.user(user_id)
    return api.message(api.private_chat(user), user, text)


@pytest.mark.parametrize("status", FAULTS)
def test_send_message_faults_are_retried_and_delivered_once(
    fake_api: FakeBotAPI, tmp_path: Path, status: int
) -> None:
    async def scenario() -> None:
        async with running(make_app(fake_api, StubEngine(), tmp_path)) as app:
            fake_api.fail_next("sendMessage", 2, status=status, retry_after=1)
            _ask(fake_api, 901)
            [reply] = await fake_api.wait_for("sendMessage", timeout=15)
            assert "You asked: Where is Khorgos?" in reply.result["text"]
            await settled(app, fake_api)

    asyncio.run(scenario())
    assert fake_api.delivered("sendMessage", 901) == 1
    assert [c.status for c in fake_api.calls_of("sendMessage", ok=False)] == [status, status]


@pytest.mark.parametrize("status", FAULTS)
def test_send_photo_faults_are_retried_and_delivered_once(
    fake_api: FakeBotAPI, tmp_path: Path, status: int
) -> None:
    async def scenario() -> None:
        async with running(make_app(fake_api, StubEngine(), tmp_path)) as app:
            fake_api.fail_next("sendPhoto", 2, status=status, retry_after=1)
            _ask(fake_api, 902, "/fact")
            await fake_api.wait_for("sendPhoto", timeout=15)
            await settled(app, fake_api)
            assert services_of(app).state.delivered(902) == {"card-0"}

    asyncio.run(scenario())
    assert fake_api.delivered("sendPhoto", 902) == 1
    assert not fake_api.calls_of("sendMessage")  # no error notice either


def test_get_updates_faults_do_not_stop_polling(fake_api: FakeBotAPI, tmp_path: Path) -> None:
    async def scenario() -> None:
        async with running(make_app(fake_api, StubEngine(), tmp_path)) as app:
            for status in (500, 0, 429):
                fake_api.fail_next("getUpdates", 1, status=status, retry_after=1)
            _ask(fake_api, 903, "first")
            await fake_api.wait_for("sendMessage", timeout=20)
            fake_api.fail_next("getUpdates", 2, status=0)
            _ask(fake_api, 903, "second")
            await fake_api.wait_for("sendMessage", 2, timeout=20)
            await settled(app, fake_api)

    asyncio.run(scenario())
    sent = [c.result["text"] for c in fake_api.calls_of("sendMessage")]
    assert len(sent) == 2 and "first" in sent[0] and "second" in sent[1]


def test_restart_does_not_answer_an_update_twice(fake_api: FakeBotAPI, tmp_path: Path) -> None:
    """Graceful stop confirms the offset (PTB's last getUpdates); after a crash the offset is not
    confirmed and Telegram sends the updates again: the ids answered are remembered in SQLite."""

    async def first() -> None:
        async with running(make_app(fake_api, StubEngine(), tmp_path)):
            _ask(fake_api, 904, "one")
            _ask(fake_api, 905, "two")
            await fake_api.wait_for("sendMessage", 2)

    async def again(replayed: list[int]) -> None:
        async with running(make_app(fake_api, StubEngine(), tmp_path)) as app:
            _ask(fake_api, 906, "three")
            await fake_api.wait_for("sendMessage", 3)
            await settled(app, fake_api, [*replayed, fake_api.history[-1]["update_id"]])

    asyncio.run(first())
    assert not fake_api.updates  # PTB confirmed the offset on the way out
    asyncio.run(again([]))  # a graceful restart
    time.sleep(1.5)  # let the stopped app's last long poll (timeout=1) run out in the fake server
    fake_api.replay(fake_api.history[:2])  # as if killed before the offset was confirmed
    asyncio.run(again([u["update_id"] for u in fake_api.history[:2]]))
    for chat in (904, 905):
        assert fake_api.delivered("sendMessage", chat) == 1
    assert fake_api.delivered("sendMessage", 906) == 2  # two different updates, both answered


def test_each_subscribed_chat_gets_one_card_per_round_despite_faults(
    fake_api: FakeBotAPI, tmp_path: Path
) -> None:
    chats = [-100301, -100302, -100303]

    async def scenario() -> None:
        async with running(make_app(fake_api, StubEngine(), tmp_path)) as app:
            for chat_id in chats:
                services_of(app).state.subscribe(chat_id, "g", "supergroup", "en")
            fake_api.fail_next("sendPhoto", 1, status=500)
            fake_api.fail_next("sendPhoto", 1, status=0)
            assert app.job_queue is not None
            app.job_queue.run_once(post_fact_cards, 0)
            await fake_api.wait_for("sendPhoto", 3, timeout=15)
            state = services_of(app).state
            await until(lambda: not state.unfinished_rounds())  # the round is over: no more sends

    asyncio.run(scenario())
    assert [fake_api.delivered("sendPhoto", c) for c in chats] == [1, 1, 1]


# --- SIGKILL in the middle of a round, real `python -m bot run` --------------------------------
CHATS = [-100401, -100402, -100403, -100404, -100405, -100406]


@pytest.fixture
def kb_copy(bot_engine: Any, tmp_path: Path) -> Path:
    """A private copy of the bot fixture's store (the subprocess opens it on its own)."""
    target = tmp_path / "kb"
    shutil.copytree(bot_engine.settings.data_dir, target)
    (target / "bot.sqlite3").unlink(missing_ok=True)
    state = BotState(target / "bot.sqlite3")
    for chat_id in CHATS:
        state.subscribe(chat_id, f"group {chat_id}", "supergroup", "en")
    state.close()
    return target


@pytest.fixture
def bot_process(fake_api: FakeBotAPI, kb_copy: Path, tmp_path: Path) -> Iterator[Any]:
    procs: list[subprocess.Popen[bytes]] = []
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("KB_", "BOT_", "TELEGRAM_"))},
        "TELEGRAM_BOT_TOKEN": fake_api.token,
        "TELEGRAM_BASE_URL": fake_api.base_url,
        "TELEGRAM_BASE_FILE_URL": fake_api.base_file_url,
        "KB_DATA_DIR": str(kb_copy),
        "BOT_FACT_SCHEDULE": "every@10s",
        "BOT_ADMIN_IDS": "42",
        "PYTHONPATH": str(REPO),
    }

    def start() -> subprocess.Popen[bytes]:
        log = (tmp_path / f"bot-{len(procs)}.log").open("wb")
        proc = subprocess.Popen(
            [sys.executable, "-m", "bot", "run"], cwd=tmp_path, env=env, stdout=log, stderr=subprocess.STDOUT
        )
        procs.append(proc)
        return proc

    yield start
    for proc in procs:
        if proc.poll() is None:
            proc.kill()
            proc.wait(10)


def _wait(check: Any, timeout: float, what: str, tmp_path: Path) -> None:
    deadline = time.monotonic() + timeout
    while not check():
        if time.monotonic() > deadline:
            logs = "\n".join(
                p.read_text(errors="replace")[-3000:] for p in sorted(tmp_path.glob("bot-*.log"))
            )
            raise AssertionError(f"timed out waiting for {what}\n{logs}")
        time.sleep(0.05)


def _open_rounds(kb: Path) -> int:
    """Posting rounds the bot process has started but not finished (read-only, beside the bot)."""
    with contextlib.closing(sqlite3.connect(f"file:{kb / 'bot.sqlite3'}?mode=ro", uri=True)) as db:
        return int(db.execute("SELECT count(*) FROM rounds WHERE finished IS NULL").fetchone()[0])


@pytest.mark.slow
def test_sigkill_mid_round_then_restart_completes_the_round_once(
    fake_api: FakeBotAPI, bot_process: Any, kb_copy: Path, tmp_path: Path
) -> None:
    fake_api.slow("sendPhoto", 0.4)
    counts = lambda: [fake_api.delivered("sendPhoto", c) for c in CHATS]  # noqa: E731
    first = bot_process()
    # Kill while the third card is on its way: the bot has by then recorded the first two (it
    # records each right after Telegram confirms, before sending the next). Killing between a
    # confirmation and its record is the one documented window, not what this test is about.
    _wait(
        lambda: sum(counts()) >= 2 and fake_api.in_flight.get("sendPhoto", 0) >= 1,
        40,
        "two cards delivered and a third on its way",
        tmp_path,
    )
    first.send_signal(signal.SIGKILL)
    first.wait(10)
    # the request that was on its way when the bot died is discarded (or, had it gone through,
    # counted) once the fake server has finished with it
    _wait(lambda: fake_api.in_flight.get("sendPhoto", 0) == 0, 10, "the in-flight request to end", tmp_path)
    assert 2 <= sum(counts()) < len(CHATS), counts()

    second = bot_process()
    _wait(lambda: min(counts()) >= 1, 30, "every chat to get its card", tmp_path)
    _wait(lambda: _open_rounds(kb_copy) == 0, 30, "the interrupted round to be closed", tmp_path)
    assert counts() == [1] * len(CHATS)  # the round is closed: a repeat would have been sent by now
    second.send_signal(signal.SIGKILL)
    second.wait(10)
