"""``python -m bot``: ask (text, --json, --questions), chat, fact, and start-up failures."""

from __future__ import annotations

import io
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from bot import cli
from bot.state import BotState

ROOT = Path(__file__).resolve().parents[1]
QUESTION = "When were diplomatic relations between China and Central Asia established?"


def _run(args: list[str], tmp_path: Path, stdin: str = "", **env: str) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("TELEGRAM_", "BOT_", "KB_"))}
    clean.update({"PYTHONPATH": str(ROOT), "TELEGRAM_BOT_TOKEN": "", **env})
    return subprocess.run(
        [sys.executable, "-m", "bot", *args],
        cwd=tmp_path,
        env=clean,
        input=stdin,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_run_without_token_explains_botfather(tmp_path: Path) -> None:
    done = _run(["run"], tmp_path)
    assert done.returncode == 2
    assert "@BotFather" in done.stderr and "/newbot" in done.stderr and "Traceback" not in done.stderr


def test_bad_setting_fails_at_start_naming_the_variable(tmp_path: Path) -> None:
    done = _run(["run"], tmp_path, BOT_RATE_LIMIT="lots")
    assert done.returncode == 2 and "BOT_RATE_LIMIT" in done.stderr and "Traceback" not in done.stderr


@pytest.mark.slow
def test_empty_store_refuses_without_traceback(tmp_path: Path) -> None:
    done = _run(["ask", "hello?"], tmp_path, KB_DATA_DIR=str(tmp_path / "empty"))
    assert done.returncode == 1
    assert "empty or missing" in done.stderr and "Traceback" not in done.stderr


@pytest.mark.slow
def test_no_args_no_token_falls_back_to_console_chat(tmp_path: Path, bot_engine: Any) -> None:
    done = _run([], tmp_path, stdin=QUESTION + "\n\n", KB_DATA_DIR=str(bot_engine.settings.data_dir))
    assert done.returncode == 0, done.stderr
    assert "console chat" in done.stdout and "1992" in done.stdout and "Sources" in done.stdout
    assert "<b>" not in done.stdout


@pytest.mark.slow
def test_ask_text_and_json(bot_engine: Any, capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.cmd_ask(QUESTION, factory=lambda kb: bot_engine) == 0
    out = capsys.readouterr().out
    assert "1992" in out and "[1] China-Central Asia cooperation shows no signs of slowing" in out
    assert cli.cmd_ask(QUESTION, as_json=True, factory=lambda kb: bot_engine) == 0
    data = json.loads(capsys.readouterr().out)
    assert {"answer", "abstained", "language", "citations"} <= set(data)
    assert set(data["citations"][0]) >= {
        "n",
        "title",
        "source",
        "date",
        "url",
        "snippet",
        "chunk_id",
        "doc_id",
    }


@pytest.mark.slow
def test_ask_questions_file_keeps_ids(bot_engine: Any, tmp_path: Path) -> None:
    path = tmp_path / "q.jsonl"
    path.write_text(
        json.dumps({"id": "a1", "question": QUESTION})
        + "\n\n"
        + json.dumps({"id": "a2", "question": "What is the Middle Corridor?"})
        + "\n",
        encoding="utf-8",
    )
    out = io.StringIO()
    assert cli.cmd_ask(None, questions_file=path, factory=lambda kb: bot_engine, out=out) == 0
    rows = [json.loads(line) for line in out.getvalue().splitlines()]
    assert [r["id"] for r in rows] == ["a1", "a2"] and "1992" in rows[0]["answer"]


@pytest.mark.slow
def test_chat_follow_up_and_fact(
    bot_engine: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    out = io.StringIO()
    inp = io.StringIO("What were cargo volumes on the Middle Corridor?\nand in 2023?\n\n")
    assert cli.cmd_chat(factory=lambda kb: bot_engine, inp=inp, out=out) == 0
    assert out.getvalue().count("> ") >= 3
    monkeypatch.setenv("KB_DATA_DIR", str(tmp_path))
    png = tmp_path / "card.png"
    assert cli.cmd_fact(None, png, factory=lambda kb: bot_engine) == 0
    first = capsys.readouterr().out
    assert png.read_bytes().startswith(b"\x89PNG")
    assert cli.cmd_fact(None, factory=lambda kb: bot_engine) == 0
    second = capsys.readouterr().out
    assert first.split("\n")[0] != second.split("\n")[0]
    assert not (tmp_path / "fact_deck.json").exists()  # one policy: the bot's SQLite history
    state = BotState(tmp_path / "bot.sqlite3")
    assert len(state.delivered(cli.CONSOLE_CHAT)) == 2
    state.close()


def _fake_env(api: Any) -> dict[str, str]:
    return {
        "TELEGRAM_BOT_TOKEN": api.token,
        "TELEGRAM_BASE_URL": api.base_url,
        "TELEGRAM_BASE_FILE_URL": api.base_file_url,
    }


@pytest.mark.slow
def test_run_with_empty_store_refuses_to_start(tmp_path: Path, fake_api: Any) -> None:
    done = _run(["run"], tmp_path, KB_DATA_DIR=str(tmp_path / "empty"), **_fake_env(fake_api))
    assert done.returncode == 1, done.stderr
    assert "Not starting: The knowledge base" in done.stderr and "Traceback" not in done.stderr
    assert fake_api.token not in done.stderr + done.stdout


@pytest.mark.slow
def test_webhook_mode_with_secret_token(tmp_path: Path, fake_api: Any, bot_engine: Any) -> None:
    pytest.importorskip("tornado")
    import socket
    import time
    import urllib.error
    import urllib.request

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    data_dir = tmp_path / "kb"
    shutil.copytree(bot_engine.settings.data_dir, data_dir)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TELEGRAM_", "BOT_", "KB_"))}
    env.update(
        PYTHONPATH=str(ROOT),
        KB_DATA_DIR=str(data_dir),
        BOT_WEBHOOK_URL=f"http://127.0.0.1:{port}/hook",
        BOT_WEBHOOK_LISTEN="127.0.0.1",
        BOT_WEBHOOK_PORT=str(port),
        BOT_WEBHOOK_SECRET="s3cret-Token",
        BOT_FACT_SCHEDULE="off",
        **_fake_env(fake_api),
    )
    proc = subprocess.Popen(
        [sys.executable, "-m", "bot", "run"],
        cwd=tmp_path,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        deadline = time.monotonic() + 90
        while not fake_api.calls_of("setWebhook") and time.monotonic() < deadline and proc.poll() is None:
            time.sleep(0.1)
        [hook] = fake_api.calls_of("setWebhook")
        assert (
            hook.params["url"] == f"http://127.0.0.1:{port}/hook"
            and hook.params["secret_token"] == "s3cret-Token"
        )
        user = fake_api.user(901)
        update = {
            "update_id": 1,
            "message": {
                "message_id": 1,
                "date": int(time.time()),
                "text": "/start",
                "chat": fake_api.private_chat(user),
                "from": user,
                "entities": [{"type": "bot_command", "offset": 0, "length": 6}],
            },
        }

        def post(secret: str) -> int:
            request = urllib.request.Request(
                f"http://127.0.0.1:{port}/hook",
                data=json.dumps(update).encode(),
                method="POST",
                headers={"Content-Type": "application/json", "X-Telegram-Bot-Api-Secret-Token": secret},
            )
            try:
                with urllib.request.urlopen(request, timeout=10) as response:
                    return int(response.status)
            except urllib.error.HTTPError as err:
                return err.code

        time.sleep(0.5)
        assert post("wrong") == 403
        assert post("s3cret-Token") == 200
        while not fake_api.calls_of("sendMessage") and time.monotonic() < deadline:
            time.sleep(0.1)
        assert "Just send me a question" in fake_api.calls_of("sendMessage")[0].result["text"]
    finally:
        proc.terminate()
        _, err = proc.communicate(timeout=30)
    assert fake_api.token not in err
