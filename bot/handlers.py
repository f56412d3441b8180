"""Question handlers: parse -> the engine in its own threads (``Services.run_engine``) -> render -> reply."""

from __future__ import annotations

import logging
import uuid
from functools import partial
from typing import Any

from telegram import (
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    InlineQueryResultArticle,
    InputTextMessageContent,
    Message,
    MessageEntity,
    Update,
)
from telegram.constants import ChatAction, ParseMode
from telegram.error import BadRequest
from telegram.ext import ContextTypes

from bot.admission import refusal_notice
from bot.i18n import pick_language, t
from bot.render import (
    escape,
    render_answer,
    render_answer_messages,
    render_help,
    render_sources,
    truncate_html,
    visible_text,
    with_quotes,
)
from bot.services import Services, services
from knowledge.errors import StoreCorrupt, StoreMissing, StoreUnavailable
from knowledge.models import Answer

log = logging.getLogger(__name__)

# The store can disappear under a running bot (server down, data directory being rebuilt): the
# user is told it is temporarily unavailable, the maintainer sees the warning in the log.
STORE_DOWN = (StoreUnavailable, StoreCorrupt, StoreMissing)
Context = ContextTypes.DEFAULT_TYPE


def user_lang(update: Update) -> str:
    user = update.effective_user
    return pick_language(user.language_code if user else None)


def answer_keyboard(key: str, lang: str, *, showing: bool, has_sources: bool) -> InlineKeyboardMarkup:
    """Sources toggle plus 👍/👎; callback data is ``<action>:<key>`` (well under 64 bytes)."""
    row = []
    if has_sources:
        label = t(lang, "btn_hide" if showing else "btn_sources")
        row.append(InlineKeyboardButton(label, callback_data=f"{'h' if showing else 's'}:{key}"))
    row += [
        InlineKeyboardButton("👍", callback_data=f"u:{key}"),
        InlineKeyboardButton("👎", callback_data=f"d:{key}"),
    ]
    return InlineKeyboardMarkup([row])


async def reply_parts(message: Message, parts: list[str], **last: Any) -> list[Message]:
    """The one send loop: HTML parts as replies (quoting the question in groups, PTB's default);
    ``last`` (e.g. reply_markup) goes on the last part."""
    sent = []
    for i, part in enumerate(parts):
        extra = last if i == len(parts) - 1 else {}
        sent.append(await message.reply_html(part, disable_web_page_preview=True, **extra))
    return sent


async def start(update: Update, context: Context) -> None:
    """/start and /help: what the bot knows, how to ask, examples."""
    svc, lang = services(context), user_lang(update)
    if update.effective_message is None:
        return
    sources = await svc.run_engine(svc.engine.sources)
    counts = await svc.run_engine(svc.engine.counts)
    await reply_parts(update.effective_message, [truncate_html(render_help(lang, sources, counts), 4096)])


async def sources_command(update: Update, context: Context) -> None:
    """/sources: the documents with their dates."""
    svc, lang = services(context), user_lang(update)
    if update.effective_message is None:
        return
    sources = await svc.run_engine(svc.engine.sources)
    await reply_parts(update.effective_message, render_sources(sources, lang))


async def stats_command(update: Update, context: Context) -> None:
    """/stats (bot admins only): usage, feedback and store size."""
    svc, lang = services(context), user_lang(update)
    message, user = update.effective_message, update.effective_user
    if message is None:
        return
    if not svc.settings.is_admin(user.id if user else None):
        await message.reply_text(t(lang, "admin_only"))
        return
    docs, chunks = await svc.run_engine(svc.engine.counts)
    up, down = svc.state.feedback_counts()
    text = t(
        lang,
        "stats",
        questions=svc.state.counter("questions"),
        abstained=svc.state.counter("abstentions"),
        up=up,
        down=down,
        docs=docs,
        chunks=chunks,
        subs=len(svc.state.subscriptions()),
    )
    await message.reply_html(escape(text))


async def ask_command(update: Update, context: Context) -> None:
    """/ask <question> (works in groups under privacy mode, also as /ask@botname)."""
    message = update.effective_message
    if message is None:
        return
    question = " ".join(context.args or []).strip()
    reply = message.reply_to_message
    if (
        not question
        and reply is not None
        and (reply.from_user is None or reply.from_user.id != context.bot.id)
    ):
        question = reply.text or ""  # "/ask" in reply to someone's message asks that message
    if not question:
        lang = user_lang(update)
        await message.reply_text(t(lang, "ask_usage", example=t(lang, "example_1")))
        return
    await answer_question(update, context, question)


async def private_text(update: Update, context: Context) -> None:
    """Any text in a private chat is a question."""
    message = update.effective_message
    if message is not None and message.text:
        await answer_question(update, context, message.text)


def addressed_text(message: Message, bot_id: int, username: str) -> str | None:
    """The question if a group message is addressed to the bot (mention or reply), else None."""
    text = message.text or ""
    reply = message.reply_to_message
    if reply is not None and reply.from_user is not None and reply.from_user.id == bot_id:
        return text
    handle = f"@{username}".casefold()
    for entity, value in message.parse_entities([MessageEntity.MENTION, MessageEntity.TEXT_MENTION]).items():
        is_me = entity.type == MessageEntity.MENTION and value.casefold() == handle
        is_me = is_me or (entity.user is not None and entity.user.id == bot_id)
        if is_me:
            return text.replace(value, " ").strip()
    return None


async def group_text(update: Update, context: Context) -> None:
    """In groups, answer only messages that mention the bot or reply to it."""
    message = update.effective_message
    if message is None or not message.text:
        return
    question = addressed_text(message, context.bot.id, context.bot.username or "")
    if question is not None:
        await answer_question(update, context, question)


def replied_to_bot(message: Message, bot_id: int) -> int | None:
    """The id of the bot's message this one replies to (a follow-up), else None."""
    reply = message.reply_to_message
    if reply is None or reply.from_user is None or reply.from_user.id != bot_id:
        return None
    return reply.message_id


async def ask_engine(svc: Services, question: str, previous: str | None) -> Answer:
    answer = await svc.run_engine(svc.engine.ask, question, previous=previous)
    svc.state.bump("questions")
    if answer.abstained:
        svc.state.bump("abstentions")
    return answer


async def answer_question(update: Update, context: Context, question: str) -> None:
    """Admit, ask the engine in a thread, render, reply (keyboard on the last part); a question
    that is not admitted gets a notice saying when to ask again."""
    svc, lang = services(context), user_lang(update)
    message, user = update.effective_message, update.effective_user
    if message is None:
        return
    if not question.strip():
        await message.reply_text(t(lang, "ask_usage", example=t(lang, "example_1")))
        return
    who = user.id if user else message.chat_id
    decision = svc.admission.enter(message.chat_id, who)
    if not decision.admitted:
        await message.reply_text(refusal_notice(decision, lang))
        return
    try:
        previous = svc.admission.previous_question(message.chat_id, replied_to_bot(message, context.bot.id))
        try:
            typing = partial(context.bot.send_chat_action, action=ChatAction.TYPING)
            async with svc.typing.while_waiting(message.chat_id, typing):
                answer = await ask_engine(svc, question, previous)
        except STORE_DOWN:
            log.warning("Store unavailable while answering", exc_info=True)
            await message.reply_text(t(lang, "unavailable"))
            return
        key = svc.state.save_answer(message.chat_id, answer, lang)
        parts = render_answer_messages(answer, lang)
        keyboard = answer_keyboard(key, lang, showing=False, has_sources=bool(answer.citations))
        sent = await reply_parts(message, parts, reply_markup=keyboard)
        for i, msg in enumerate(sent):
            svc.state.link_message(key, msg.chat_id, msg.message_id, parts[i] if i == len(sent) - 1 else "")
    finally:
        svc.admission.leave(message.chat_id, who)


async def on_button(update: Update, context: Context) -> None:
    """Sources toggle (edits the message in place) and 👍/👎 feedback. The callback query is
    answered first, so a failure afterwards never leaves the user's button spinning."""
    query = update.callback_query
    if query is None or not query.data or ":" not in query.data:
        return
    svc, lang = services(context), user_lang(update)
    action, key = query.data.split(":", 1)
    stored = svc.state.get_answer(key)
    feedback = action in ("u", "d")
    notice = t(lang, "feedback_gone") if stored is None else t(lang, "thanks") if feedback else None
    await query.answer(notice)
    if stored is None:
        return
    if feedback:
        svc.state.record_feedback(key, query.from_user.id, 1 if action == "u" else -1)
        return
    showing = action == "s"
    base = stored.base_html or render_answer_messages(stored.answer, stored.lang)[-1]
    text = with_quotes(base, stored.answer, stored.lang) if showing else base
    keyboard = answer_keyboard(key, stored.lang, showing=showing, has_sources=True)
    try:
        await query.edit_message_text(
            text, parse_mode=ParseMode.HTML, reply_markup=keyboard, disable_web_page_preview=True
        )
    except BadRequest as exc:
        if "not modified" not in str(exc).lower():
            raise


async def inline_query(update: Update, context: Context) -> None:
    """``@bot question`` anywhere: one article carrying the HTML answer."""
    query = update.inline_query
    if query is None:
        return
    svc, lang = services(context), user_lang(update)
    question = query.query.strip()
    if not question:
        await query.answer([], cache_time=5)
        return
    decision = svc.admission.inline(query.from_user.id)
    if not decision.admitted:  # one result that says so, never an empty list
        await query.answer([notice_article(refusal_notice(decision, lang))], cache_time=1, is_personal=True)
        return
    try:
        answer = await ask_engine(svc, question, None)
    except STORE_DOWN:  # one result saying so, as for a chat message
        log.warning("Store unavailable while answering an inline query", exc_info=True)
        await query.answer([notice_article(t(lang, "unavailable"))], cache_time=1, is_personal=True)
        return
    markup = truncate_html(render_answer(answer, lang), 4096)
    title = t(lang, "inline_nothing") if answer.abstained else t(lang, "inline_title", question=question)
    result = InlineQueryResultArticle(
        id=uuid.uuid4().hex,
        title=title[:256],
        description=" ".join(visible_text(markup).split())[:200],
        input_message_content=InputTextMessageContent(
            markup, parse_mode=ParseMode.HTML, disable_web_page_preview=True
        ),
    )
    await query.answer([result], cache_time=30, is_personal=True)


def notice_article(text: str) -> InlineQueryResultArticle:
    """An inline result carrying a plain notice (e.g. over the rate limit)."""
    return InlineQueryResultArticle(
        id=uuid.uuid4().hex,
        title=text[:256],
        description=text[:200],
        input_message_content=InputTextMessageContent(text),
    )


async def on_error(update: object, context: Context) -> None:
    """Log with the traceback; tell the user something went wrong, without internals."""
    log.error("Error while handling an update", exc_info=context.error)
    if isinstance(update, Update) and update.effective_message is not None:
        try:
            await update.effective_message.reply_text(t(user_lang(update), "error"))
        except Exception:  # the reply itself failed: nothing more to do than log
            log.warning("Could not send the error notice", exc_info=True)
