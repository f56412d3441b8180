"""``python -m bot [run | ask | chat | fact]`` — argparse, then one call into bot.cli."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from bot import cli
from knowledge.models import InvalidFilter, SearchFilter


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bot", description="China–Central Asia knowledge bot.")
    sub = parser.add_subparsers(dest="command")
    sub.add_parser("run", help="start the Telegram bot (polling; webhook if BOT_WEBHOOK_URL is set)")
    ask = sub.add_parser("ask", help="answer a question and print it with its sources")
    ask.add_argument("question", nargs="?", help="the question")
    ask.add_argument("--json", action="store_true", help="print Answer.to_json()")
    ask.add_argument(
        "--questions",
        type=Path,
        metavar="FILE.jsonl",
        help="answer each line's 'question', keep its 'id'; one JSON object per line",
    )
    ask.add_argument("--topic", help="only passages about this topic (tag, title or text)")
    ask.add_argument("--doc", action="append", default=[], metavar="DOC_ID", help="only this document")
    ask.add_argument("--since", metavar="YYYY-MM-DD", help="only documents dated on or after")
    ask.add_argument("--until", metavar="YYYY-MM-DD", help="only documents dated on or before")
    sub.add_parser("chat", help="interactive console with the bot's answers")
    fact = sub.add_parser("fact", help="print one fact card (no repeats across runs)")
    fact.add_argument("topic", nargs="*", help="optional topic, e.g. rail or trade")
    fact.add_argument("--png", type=Path, metavar="FILE", help="also write the card image")
    args = parser.parse_args(argv)

    if args.command == "run":
        return cli.cmd_run()
    if args.command == "ask":
        try:
            flt = SearchFilter(
                doc_ids=tuple(args.doc), topic=args.topic, date_from=args.since, date_to=args.until
            )
        except InvalidFilter as exc:
            flag = {"date_from": "--since", "date_to": "--until"}.get(exc.field, exc.field)
            print(f"python -m bot ask: {flag}: {exc}", file=sys.stderr)
            return 2
        return cli.cmd_ask(
            args.question,
            as_json=args.json,
            questions_file=args.questions,
            flt=None if flt.is_empty() else flt,
        )
    if args.command == "chat":
        return cli.cmd_chat()
    if args.command == "fact":
        return cli.cmd_fact(" ".join(args.topic) or None, args.png)
    return cli.cmd_default()


if __name__ == "__main__":
    sys.exit(main())
