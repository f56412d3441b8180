"""The commands behind ``python -m bot``: run, ask, chat, fact. Each returns an exit code."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TextIO

from bot.i18n import pick_language
from bot.render import html_to_text, render_answer, render_card_text
from bot.services import EngineLike
from bot.settings import BotConfigError, BotSettings, load_bot_settings
from knowledge.errors import KnowledgeError
from knowledge.models import SearchFilter
from knowledge.settings import KnowledgeSettings, load_knowledge_settings

NO_TOKEN = """\
TELEGRAM_BOT_TOKEN is not set, so the Telegram bot cannot start.

To get a token:
  1. Open Telegram and talk to @BotFather (https://t.me/BotFather).
  2. Send /newbot, choose a display name and a username ending in "bot".
  3. Copy the token it gives you into .env as TELEGRAM_BOT_TOKEN=123456:ABC...
  4. Run `python -m bot run` again.

Meanwhile you can try the same answers in the terminal: `python -m bot chat`.
"""

EngineFactory = Callable[[KnowledgeSettings], EngineLike]
CONSOLE_CHAT = 0  # the console's "chat" in the bot's delivery history (Telegram never uses id 0)


def default_engine(kb: KnowledgeSettings) -> EngineLike:
    from knowledge.engine import Engine

    return Engine(kb)


def load_settings(err: TextIO | None = None) -> tuple[BotSettings, KnowledgeSettings] | None:
    try:
        return load_bot_settings(), load_knowledge_settings()
    except (BotConfigError, KnowledgeError) as exc:
        print(exc, file=err or sys.stderr)
        return None


def ready_engine(kb: KnowledgeSettings, factory: EngineFactory, err: TextIO) -> EngineLike | None:
    """A warmed-up engine, or None after printing why not (no traceback)."""
    try:
        engine = factory(kb)
        engine.warm_up()
    except KnowledgeError as exc:
        print(exc, file=err)
        return None
    return engine


def cmd_run(factory: EngineFactory = default_engine) -> int:
    """Start the Telegram bot (long polling, or webhook when BOT_WEBHOOK_URL is set)."""
    from bot.app import build_application, configure_logging, run

    loaded = load_settings()
    if loaded is None:
        return 2
    settings, kb = loaded
    if not settings.token:
        print(NO_TOKEN, file=sys.stderr)
        return 2
    configure_logging(settings)
    try:
        engine = factory(kb)
        run(build_application(settings, kb, engine), settings)
    except (KnowledgeError, BotConfigError) as exc:
        print(f"Not starting: {exc}", file=sys.stderr)
        return 1
    return 0


def _print_answer(
    engine: EngineLike, question: str, previous: str | None, out: TextIO, flt: SearchFilter | None = None
) -> str:
    answer = engine.ask(question, previous=previous, flt=flt)
    lang = pick_language(answer.language)
    print(html_to_text(render_answer(answer, lang)), file=out)
    return answer.question


def cmd_ask(
    question: str | None,
    *,
    as_json: bool = False,
    questions_file: Path | None = None,
    factory: EngineFactory = default_engine,
    out: TextIO | None = None,
    err: TextIO | None = None,
    flt: SearchFilter | None = None,
) -> int:
    """Answer one question (text or --json), or every line of a JSONL file (one JSON per line);
    ``flt`` restricts the passages (documents, topic, date range)."""
    out, err = out or sys.stdout, err or sys.stderr
    loaded = load_settings(err)
    if loaded is None:
        return 2
    engine = ready_engine(loaded[1], factory, err)
    if engine is None:
        return 1
    try:
        return _ask(engine, question, as_json, questions_file, out, err, flt)
    except KnowledgeError as exc:  # e.g. the store went away after start-up
        print(exc, file=err)
        return 1


def _ask(
    engine: EngineLike,
    question: str | None,
    as_json: bool,
    questions_file: Path | None,
    out: TextIO,
    err: TextIO,
    flt: SearchFilter | None,
) -> int:
    if questions_file is not None:
        with questions_file.open(encoding="utf-8") as lines:
            for number, line in enumerate(lines, 1):
                if not line.strip():
                    continue
                try:
                    item = json.loads(line)
                    answer = engine.ask(str(item.get("question", "")), flt=flt)
                    row = {"id": item.get("id"), **answer.to_json()}
                except (ValueError, AttributeError) as exc:
                    row = {"id": None, "line": number, "error": f"invalid JSON line: {exc}"}
                print(json.dumps(row, ensure_ascii=False), file=out, flush=True)
        return 0
    if not question:
        print('Give a question, e.g. python -m bot ask "What is the Middle Corridor?"', file=err)
        return 2
    if as_json:
        print(json.dumps(engine.ask(question, flt=flt).to_json(), ensure_ascii=False, indent=2), file=out)
    else:
        _print_answer(engine, question, None, out, flt)
    return 0


def cmd_chat(
    factory: EngineFactory = default_engine, inp: TextIO | None = None, out: TextIO | None = None
) -> int:
    """Interactive console with the bot's output as terminal text; follow-ups use the last question."""
    inp, out = inp or sys.stdin, out or sys.stdout
    loaded = load_settings()
    if loaded is None:
        return 2
    engine = ready_engine(loaded[1], factory, sys.stderr)
    if engine is None:
        return 1
    docs, chunks = engine.counts()
    print(
        f"Knowledge base: {docs} documents, {chunks} passages. Ask a question (empty line or Ctrl-D quits).",
        file=out,
    )
    previous: str | None = None
    while True:
        print("> ", end="", file=out, flush=True)
        line = inp.readline()
        if not line or not line.strip():
            return 0
        previous = _print_answer(engine, line.strip(), previous, out)
        print(file=out)


def cmd_fact(topic: str | None, png: Path | None = None, factory: EngineFactory = default_engine) -> int:
    """Print one fact card and optionally write its PNG; no repeats across runs, by the bot's own
    policy and SQLite history (the console is chat ``CONSOLE_CHAT``)."""
    from bot.state import BotState
    from knowledge.facts import next_card

    loaded = load_settings()
    if loaded is None:
        return 2
    kb = loaded[1]
    engine = ready_engine(kb, factory, sys.stderr)
    if engine is None:
        return 1
    state = BotState(kb.data_dir / "bot.sqlite3")
    try:
        card, forget = next_card(engine.fact_cards(topic), state.delivered(CONSOLE_CHAT))
        if card is None:
            print("No fact cards" + (f" about {topic!r}." if topic else "."), file=sys.stderr)
            return 1
        state.mark_delivered(CONSOLE_CHAT, card.card_id, forget=forget)
    finally:
        state.close()
    print(html_to_text(render_card_text(card)))
    if png is not None:
        from knowledge.cards import render_card_png

        try:
            png.write_bytes(render_card_png(card))
        except KnowledgeError as exc:  # e.g. FontNotFound: the text above is the card
            print(f"Cannot draw the card: {exc}", file=sys.stderr)
            return 1
        print(f"Wrote {png}")
    return 0


def cmd_default() -> int:
    """No sub-command: the bot when a token is set, else the console chat."""
    loaded = load_settings()
    if loaded is None:
        return 2
    if loaded[0].token:
        return cmd_run()
    print("TELEGRAM_BOT_TOKEN is not set: starting the console chat instead (see `python -m bot run`).")
    return cmd_chat()
