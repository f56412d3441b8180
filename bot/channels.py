"""Subscriptions, /fact and the scheduled fact-card job (no repeats per chat until the pool is used)."""

from __future__ import annotations

import asyncio
import logging

from telegram import ChatMember, Message, Update
from telegram.constants import ChatMemberStatus, ChatType, ParseMode
from telegram.error import BadRequest, Forbidden, TelegramError
from telegram.ext import Application, ContextTypes

from bot.handlers import user_lang
from bot.i18n import t
from bot.render import escape, render_card_caption, render_card_text
from bot.services import Services, services
from knowledge.facts import next_card
from knowledge.models import FactCard

log = logging.getLogger(__name__)
Context = ContextTypes.DEFAULT_TYPE
ADMIN_STATUSES = (ChatMemberStatus.ADMINISTRATOR, ChatMemberStatus.OWNER)
JOB_NAME = "fact-cards"


async def send_card(app: Application, svc: Services, chat_id: int, card: FactCard) -> Message:
    """sendPhoto with an HTML caption; when the image cannot be drawn for any reason (no font,
    a Pillow error), the same card as a text message: never an error reply, never a lost round."""
    try:
        png = await asyncio.to_thread(svc.card_renderer, card)
    except Exception:  # any drawing failure: the text of the card still informs
        log.warning("Could not draw fact card %s; posting it as text", card.card_id, exc_info=True)
        return await app.bot.send_message(
            chat_id, render_card_text(card), parse_mode=ParseMode.HTML, disable_web_page_preview=True
        )
    caption = render_card_caption(card)
    return await app.bot.send_photo(chat_id, png, caption=caption, parse_mode=ParseMode.HTML)


async def deliver_card(
    app: Application, svc: Services, chat_id: int, topic: str | None, round_id: int | None = None
) -> bool:
    """Pick the next card for ``chat_id``, send it, then (only after success) record it.

    The SQLite write follows Telegram's answer with no ``await`` in between: if the process is
    killed after Telegram accepted the card but before that write, the card is sent again after
    the restart. That window (microseconds) cannot be closed, because sendPhoto is not idempotent.
    """
    pool = await svc.run_engine(svc.engine.fact_cards, topic)
    delivered = svc.state.delivered(chat_id)
    card, forget = next_card(pool, delivered)
    if card is None:
        return False
    await send_card(app, svc, chat_id, card)
    svc.state.mark_delivered(chat_id, card.card_id, round_id=round_id, forget=forget)
    return True


async def fact_command(update: Update, context: Context) -> None:
    """/fact [topic]: one fact card, no repeats in this chat until the pool is used up."""
    message = update.effective_message
    if message is None:
        return
    svc, lang = services(context), user_lang(update)
    topic = " ".join(context.args or []).strip() or None
    if not await deliver_card(context.application, svc, message.chat_id, topic):
        await message.reply_text(t(lang, "no_facts"))


async def _complete_round(app: Application, svc: Services, round_id: int) -> None:
    """Post round ``round_id`` to every subscribed chat that has not got it yet, then close it.
    A chat failing with a Telegram error is skipped for this round (logged); only a crash leaves
    a round open, and then the next start-up completes it."""
    done = svc.state.round_chats(round_id)
    for sub in svc.state.subscriptions():
        if sub.chat_id in done:
            continue
        try:
            await deliver_card(app, svc, sub.chat_id, None, round_id)
        except Forbidden:
            log.warning("Removed from chat %s; unsubscribing it", sub.chat_id)
            svc.state.unsubscribe(sub.chat_id)
        except TelegramError:
            log.exception("Could not post a fact card to chat %s", sub.chat_id)
    svc.state.finish_round(round_id)


async def resume_rounds(context: Context) -> None:
    """Start-up job: finish a posting round that a crash or kill interrupted."""
    svc = services(context)
    async with svc.round_lock:
        for round_id in svc.state.unfinished_rounds():
            log.info("Completing fact-card round %s interrupted by a restart", round_id)
            await _complete_round(context.application, svc, round_id)


async def post_fact_cards(context: Context) -> None:
    """Scheduled job: one card to every subscribed chat; a failure in one chat does not stop others."""
    svc = services(context)
    async with svc.round_lock:
        for round_id in svc.state.unfinished_rounds():
            await _complete_round(context.application, svc, round_id)
        await _complete_round(context.application, svc, svc.state.start_round())


def schedule_fact_cards(app: Application, svc: Services) -> None:
    """Register the job from BOT_FACT_SCHEDULE (UTC daily times or a fixed interval)."""
    if app.job_queue is None:
        raise RuntimeError("python-telegram-bot was installed without the [job-queue] extra")
    app.job_queue.run_once(resume_rounds, 0, name=f"{JOB_NAME}-resume")
    schedule = svc.settings.schedule
    for time_of_day in schedule.times:
        app.job_queue.run_daily(post_fact_cards, time=time_of_day, name=JOB_NAME)
    if schedule.interval_seconds:
        app.job_queue.run_repeating(post_fact_cards, interval=schedule.interval_seconds, name=JOB_NAME)


async def _is_chat_admin(context: Context, message: Message) -> bool:
    if message.sender_chat is not None and message.sender_chat.id == message.chat_id:
        return True  # an anonymous group administrator
    if message.from_user is None:
        return False
    member = await context.bot.get_chat_member(message.chat_id, message.from_user.id)
    return member.status in ADMIN_STATUSES


async def _channel(context: Context, svc: Services, name: str, lang: str, on: bool) -> str:
    """Subscribe or unsubscribe a channel by @name; the bot must be an admin that can post there."""
    try:
        chat = await context.bot.get_chat(name)
    except (BadRequest, Forbidden):
        return t(lang, "channel_not_found", name=name)
    if on:
        member: ChatMember = await context.bot.get_chat_member(chat.id, context.bot.id)
        can_post = getattr(member, "can_post_messages", None)
        if member.status not in ADMIN_STATUSES or can_post is False:
            return t(lang, "channel_need_admin", name=name)
        svc.state.subscribe(chat.id, chat.title or name, chat.type, lang)
        return t(lang, "channel_subscribed", name=name)
    svc.state.unsubscribe(chat.id)
    return t(lang, "channel_unsubscribed", name=name)


async def _subscription(update: Update, context: Context, on: bool) -> None:
    message, user = update.effective_message, update.effective_user
    if message is None:
        return
    svc, lang = services(context), user_lang(update)
    if message.chat.type == ChatType.PRIVATE:
        if not svc.settings.is_admin(user.id if user else None):
            reply = t(lang, "admin_only")
        elif not context.args:
            reply = t(lang, "channel_usage")
        else:
            reply = await _channel(context, svc, context.args[0], lang, on)
    elif not await _is_chat_admin(context, message):
        reply = t(lang, "group_admin_only")
    elif on:
        new = svc.state.subscribe(message.chat_id, message.chat.title or "", message.chat.type, lang)
        reply = t(lang, "subscribed" if new else "already_subscribed")
    else:
        reply = t(lang, "unsubscribed" if svc.state.unsubscribe(message.chat_id) else "not_subscribed")
    await message.reply_html(escape(reply))


async def subscribe_command(update: Update, context: Context) -> None:
    """/subscribe (group admins) or /subscribe @channel (bot admins, private chat)."""
    await _subscription(update, context, True)


async def unsubscribe_command(update: Update, context: Context) -> None:
    """/unsubscribe (group admins) or /unsubscribe @channel (bot admins, private chat)."""
    await _subscription(update, context, False)
