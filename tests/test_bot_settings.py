"""BotSettings: env parsing, errors naming the variable, schedule format, token never echoed."""

from __future__ import annotations

import datetime as dt
import logging

import pytest

from bot.app import RedactToken
from bot.settings import BotConfigError, load_bot_settings, parse_schedule

TOKEN = "999:SECRET-token-value"


def test_defaults_and_lists(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BOT_ADMIN_IDS", " 1, 22 ,333")
    monkeypatch.setenv("TELEGRAM_BOT_TOKEN", TOKEN)
    s = load_bot_settings(_env_file=None)
    assert s.bot_admin_ids == (1, 22, 333) and s.is_admin(22) and not s.is_admin(4)
    assert s.telegram_base_url == "https://api.telegram.org/bot"
    assert s.telegram_base_file_url == "https://api.telegram.org/file/bot"
    assert s.token == TOKEN and TOKEN not in repr(s)


@pytest.mark.parametrize(
    ("var", "value"),
    [
        ("BOT_ADMIN_IDS", "12,abc"),
        ("BOT_RATE_LIMIT", "0"),
        ("BOT_FACT_SCHEDULE", "weekly"),
        ("BOT_MAX_UPLOAD_MB", "-1"),
        ("TELEGRAM_BASE_URL", "ftp://x"),
        ("BOT_WEBHOOK_PORT", "70000"),
        ("BOT_ENGINE_THREADS", "0"),
        ("BOT_TYPING_AFTER_S", "-1"),
    ],
)
def test_bad_values_name_the_variable(monkeypatch: pytest.MonkeyPatch, var: str, value: str) -> None:
    monkeypatch.setenv(var, value)
    with pytest.raises(BotConfigError, match=var):
        load_bot_settings(_env_file=None)


def test_secret_values_are_not_echoed(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BOT_WEBHOOK_SECRET", "bad secret with spaces")
    with pytest.raises(BotConfigError) as info:
        load_bot_settings(_env_file=None)
    assert "BOT_WEBHOOK_SECRET" in str(info.value) and "spaces" not in str(info.value)


def test_schedule_format() -> None:
    assert parse_schedule("daily@09:00").times == (dt.time(9, 0, tzinfo=dt.UTC),)
    assert len(parse_schedule("daily@09:00, 18:30").times) == 2
    assert parse_schedule("every@2h").interval_seconds == 7200
    assert not parse_schedule("off").enabled and not parse_schedule("").enabled
    for bad in ("daily@25:00", "every@1s", "hourly"):
        with pytest.raises(ValueError):
            parse_schedule(bad)


def test_token_is_redacted_in_logs(caplog: pytest.LogCaptureFixture) -> None:
    logger = logging.getLogger("test.redact")
    caplog.handler.addFilter(RedactToken(TOKEN))
    try:
        raise RuntimeError(f"POST https://api.telegram.org/bot{TOKEN}/getMe failed")
    except RuntimeError:
        logger.exception("HTTP Request: %s", f"https://api.telegram.org/bot{TOKEN}/getUpdates")
    assert TOKEN not in caplog.text and "[REDACTED]" in caplog.text
