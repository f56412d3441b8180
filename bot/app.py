"""Wiring only: build the Application, register handlers, load the engine once in post_init."""

from __future__ import annotations

import logging
from concurrent.futures import ThreadPoolExecutor
from urllib.parse import urlsplit

from telegram import BotCommand, Update
from telegram.ext import (
    Application,
    ApplicationBuilder,
    CallbackQueryHandler,
    CommandHandler,
    InlineQueryHandler,
    MessageHandler,
    TypeHandler,
    filters,
)

from bot import admin, channels, handlers
from bot.admission import Admission
from bot.chat_action import TypingIndicator
from bot.delivery import RetryingRateLimiter, skip_seen_updates
from bot.services import SERVICES_KEY, EngineLike, Services
from bot.settings import BotConfigError, BotSettings
from bot.state import BotState
from knowledge.settings import KnowledgeSettings

log = logging.getLogger(__name__)
REDACTED = "[REDACTED]"
COMMANDS = [
    BotCommand("ask", "Ask a question"),
    BotCommand("fact", "A fact card [topic]"),
    BotCommand("sources", "The documents I know"),
    BotCommand("help", "How to use this bot"),
]


class RedactToken(logging.Filter):
    """Replace the bot token anywhere in a log record (message, arguments, traceback)."""

    def __init__(self, secret: str) -> None:
        super().__init__()
        self.secret = secret

    def filter(self, record: logging.LogRecord) -> bool:
        if not self.secret:
            return True
        message = record.getMessage()
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        record.msg, record.args = message.replace(self.secret, REDACTED), None
        if record.exc_text:
            record.exc_text = record.exc_text.replace(self.secret, REDACTED)
        return True


def configure_logging(settings: BotSettings, level: int = logging.INFO) -> None:
    """Basic logging; httpx quieted to WARNING (its URLs contain the token) and the token redacted."""
    logging.basicConfig(format="%(asctime)s %(levelname)s %(name)s: %(message)s", level=level)
    logging.getLogger("httpx").setLevel(logging.WARNING)
    install_redaction(settings)


def install_redaction(settings: BotSettings) -> None:
    token = settings.token
    if not token:
        return
    for handler in logging.getLogger().handlers:
        if not any(isinstance(f, RedactToken) for f in handler.filters):
            handler.addFilter(RedactToken(token))


async def _post_init(app: Application) -> None:
    """Load the engine once (in a thread), publish the command menu, schedule fact cards."""
    svc: Services = app.bot_data[SERVICES_KEY]
    await svc.run_engine(svc.engine.warm_up)
    docs, chunks = await svc.run_engine(svc.engine.counts)
    log.info("Knowledge base ready: %d documents, %d passages; bot @%s", docs, chunks, app.bot.username)
    await app.bot.set_my_commands(COMMANDS)
    channels.schedule_fact_cards(app, svc)


async def _post_shutdown(app: Application) -> None:
    svc: Services = app.bot_data[SERVICES_KEY]
    svc.engine_pool.shutdown(wait=False, cancel_futures=True)
    svc.state.close()


def build_application(settings: BotSettings, kb: KnowledgeSettings, engine: EngineLike) -> Application:
    """The configured Application (not started). Raises BotConfigError without a token."""
    token = settings.token
    if not token:
        raise BotConfigError("TELEGRAM_BOT_TOKEN is not set.")
    app = (
        ApplicationBuilder()
        .token(token)
        .base_url(settings.telegram_base_url)
        .base_file_url(settings.telegram_base_file_url)
        .rate_limiter(RetryingRateLimiter(max_retries=3))
        .concurrent_updates(True)
        .post_init(_post_init)
        .post_shutdown(_post_shutdown)
        .build()
    )
    state = BotState(kb.data_dir / "bot.sqlite3")
    admission = Admission(
        rate_limit=settings.bot_rate_limit, chat_cap=settings.bot_max_concurrent_per_chat, state=state
    )
    app.bot_data[SERVICES_KEY] = Services(
        settings=settings,
        kb=kb,
        engine=engine,
        state=state,
        admission=admission,
        engine_pool=ThreadPoolExecutor(settings.bot_engine_threads, thread_name_prefix="engine"),
        typing=TypingIndicator(after_s=settings.bot_typing_after_s),
    )
    private, groups = filters.ChatType.PRIVATE, filters.ChatType.GROUPS
    app.add_handler(TypeHandler(Update, skip_seen_updates), group=-1)
    app.add_handler(CommandHandler(["start", "help"], handlers.start))
    app.add_handler(CommandHandler("ask", handlers.ask_command))
    app.add_handler(CommandHandler("sources", handlers.sources_command))
    app.add_handler(CommandHandler("stats", handlers.stats_command))
    app.add_handler(CommandHandler("fact", channels.fact_command))
    app.add_handler(CommandHandler("subscribe", channels.subscribe_command))
    app.add_handler(CommandHandler("unsubscribe", channels.unsubscribe_command))
    app.add_handler(MessageHandler(private & filters.TEXT & ~filters.COMMAND, handlers.private_text))
    app.add_handler(MessageHandler(groups & filters.TEXT & ~filters.COMMAND, handlers.group_text))
    app.add_handler(MessageHandler(private & filters.Document.ALL, admin.document_upload))
    app.add_handler(CallbackQueryHandler(handlers.on_button, pattern=r"^[shud]:"))
    app.add_handler(InlineQueryHandler(handlers.inline_query))
    app.add_error_handler(handlers.on_error)
    return app


def run(app: Application, settings: BotSettings) -> None:
    """Long polling, or a webhook server when BOT_WEBHOOK_URL is set."""
    if settings.bot_webhook_url:
        try:
            import tornado  # noqa: F401 - PTB's webhook server
        except ImportError as exc:
            raise BotConfigError(
                "BOT_WEBHOOK_URL is set but webhook support is not installed: "
                "pip install 'python-telegram-bot[webhooks]' (or unset BOT_WEBHOOK_URL to use polling)."
            ) from exc
        secret = settings.bot_webhook_secret.get_secret_value() if settings.bot_webhook_secret else None
        app.run_webhook(
            listen=settings.bot_webhook_listen,
            port=settings.bot_webhook_port,
            url_path=urlsplit(settings.bot_webhook_url).path.lstrip("/"),
            webhook_url=settings.bot_webhook_url,
            secret_token=secret,
            allowed_updates=Update.ALL_TYPES,
        )
    else:
        app.run_polling(allowed_updates=Update.ALL_TYPES)
