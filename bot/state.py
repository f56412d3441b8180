"""The bot's own SQLite state (KB_DATA_DIR/bot.sqlite3): answers behind buttons, follow-up links,
feedback, counters, subscriptions, the fact cards delivered to each chat, the posting rounds (so an
interrupted round is completed after a restart) and the update ids already handled. Survives restarts."""

from __future__ import annotations

import json
import secrets
import sqlite3
import threading
import time
from collections.abc import Iterator, Set
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from knowledge.models import Answer, Citation

_SCHEMA = """
CREATE TABLE IF NOT EXISTS answers (
    key TEXT PRIMARY KEY, chat_id INTEGER NOT NULL, question TEXT NOT NULL, lang TEXT NOT NULL,
    answer_json TEXT NOT NULL, base_html TEXT NOT NULL DEFAULT '', created REAL NOT NULL);
CREATE TABLE IF NOT EXISTS answer_messages (
    chat_id INTEGER NOT NULL, message_id INTEGER NOT NULL, key TEXT NOT NULL,
    PRIMARY KEY (chat_id, message_id));
CREATE TABLE IF NOT EXISTS feedback (
    key TEXT NOT NULL, user_id INTEGER NOT NULL, vote INTEGER NOT NULL, at REAL NOT NULL,
    PRIMARY KEY (key, user_id));
CREATE TABLE IF NOT EXISTS counters (name TEXT PRIMARY KEY, value INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS subscriptions (
    chat_id INTEGER PRIMARY KEY, title TEXT NOT NULL DEFAULT '', kind TEXT NOT NULL DEFAULT '',
    lang TEXT NOT NULL DEFAULT 'en', created REAL NOT NULL);
CREATE TABLE IF NOT EXISTS delivered (
    chat_id INTEGER NOT NULL, card_id TEXT NOT NULL, at REAL NOT NULL,
    PRIMARY KEY (chat_id, card_id));
CREATE TABLE IF NOT EXISTS handled_updates (update_id INTEGER PRIMARY KEY, at REAL NOT NULL);
CREATE TABLE IF NOT EXISTS rounds (
    round_id INTEGER PRIMARY KEY AUTOINCREMENT, started REAL NOT NULL, finished REAL);
CREATE TABLE IF NOT EXISTS round_sent (
    round_id INTEGER NOT NULL, chat_id INTEGER NOT NULL, card_id TEXT NOT NULL, at REAL NOT NULL,
    PRIMARY KEY (round_id, chat_id));
"""
UPDATE_MEMORY_SECONDS = 3 * 24 * 3600  # Telegram keeps undelivered updates for 24 hours


@dataclass(frozen=True)
class StoredAnswer:
    """An answer kept so that buttons and follow-ups can find it again."""

    key: str
    chat_id: int
    question: str
    lang: str
    answer: Answer
    base_html: str


@dataclass(frozen=True)
class Subscription:
    chat_id: int
    title: str
    kind: str
    lang: str


def answer_from_json(data: dict[str, Any]) -> Answer:
    """Inverse of ``Answer.to_json``."""
    return Answer(
        question=data["question"],
        text=data["answer"],
        citations=tuple(Citation(**c) for c in data.get("citations", ())),
        abstained=bool(data["abstained"]),
        language=data.get("language", ""),
        reason=data.get("reason", ""),
        conflict=bool(data.get("conflict", False)),
        suggestions=tuple(data.get("suggestions", ())),
        closest=Citation(**data["closest"]) if data.get("closest") else None,
        timings=dict(data.get("timings", {})),
    )


class BotState:
    """A small thread-safe wrapper around one SQLite file."""

    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        self._lock = threading.Lock()
        self._db = sqlite3.connect(str(path), check_same_thread=False, isolation_level=None)
        self._db.execute("PRAGMA journal_mode=WAL")
        # A commit in WAL mode is durable against the process being killed at any point without
        # an fsync: what the at-most-once and no-repeat guarantees are tested against (SIGKILL).
        # Only an OS crash or power cut could lose the last commits (an update answered twice).
        # With fsync (synchronous=FULL) each commit took 2.8 ms of the event loop here, four or
        # five per answer: 2.5 s of a 180-question burst spent waiting for the disk.
        self._db.execute("PRAGMA synchronous=NORMAL")
        self._db.executescript(_SCHEMA)

    def close(self) -> None:
        with self._lock:
            self._db.close()

    @contextmanager
    def _tx(self) -> Iterator[sqlite3.Connection]:
        with self._lock:
            self._db.execute("BEGIN IMMEDIATE")
            try:
                yield self._db
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
            self._db.execute("COMMIT")

    def _query(self, sql: str, *args: object) -> list[tuple[Any, ...]]:
        with self._lock:
            return self._db.execute(sql, args).fetchall()

    # answers, follow-ups and feedback
    def save_answer(self, chat_id: int, answer: Answer, lang: str) -> str:
        """Store an answer; returns the short key used in callback data."""
        key = secrets.token_urlsafe(6)
        payload = json.dumps(answer.to_json(), ensure_ascii=False)
        with self._tx() as db:
            db.execute(
                "INSERT INTO answers (key, chat_id, question, lang, answer_json, created) "
                "VALUES (?, ?, ?, ?, ?, ?)",
                (key, chat_id, answer.question, lang, payload, time.time()),
            )
        return key

    def link_message(self, key: str, chat_id: int, message_id: int, base_html: str) -> None:
        """Remember that ``message_id`` shows answer ``key`` (the last part carries the keyboard)."""
        with self._tx() as db:
            db.execute(
                "INSERT OR REPLACE INTO answer_messages (chat_id, message_id, key) VALUES (?, ?, ?)",
                (chat_id, message_id, key),
            )
            if base_html:
                db.execute("UPDATE answers SET base_html = ? WHERE key = ?", (base_html, key))

    def _load(self, rows: list[tuple[Any, ...]]) -> StoredAnswer | None:
        if not rows:
            return None
        key, chat_id, question, lang, payload, base_html = rows[0]
        return StoredAnswer(key, chat_id, question, lang, answer_from_json(json.loads(payload)), base_html)

    def get_answer(self, key: str) -> StoredAnswer | None:
        return self._load(
            self._query(
                "SELECT key, chat_id, question, lang, answer_json, base_html FROM answers WHERE key = ?", key
            )
        )

    def answer_for_message(self, chat_id: int, message_id: int) -> StoredAnswer | None:
        return self._load(
            self._query(
                "SELECT a.key, a.chat_id, a.question, a.lang, a.answer_json, a.base_html FROM answers a "
                "JOIN answer_messages m ON m.key = a.key WHERE m.chat_id = ? AND m.message_id = ?",
                chat_id,
                message_id,
            )
        )

    def record_feedback(self, key: str, user_id: int, vote: int) -> bool:
        """Record +1 / -1 (one vote per user per answer, the latest wins); False if key unknown."""
        with self._tx() as db:
            if db.execute("SELECT 1 FROM answers WHERE key = ?", (key,)).fetchone() is None:
                return False
            db.execute(
                "INSERT OR REPLACE INTO feedback (key, user_id, vote, at) VALUES (?, ?, ?, ?)",
                (key, user_id, 1 if vote > 0 else -1, time.time()),
            )
        return True

    def feedback_counts(self) -> tuple[int, int]:
        rows = self._query("SELECT vote, COUNT(*) FROM feedback GROUP BY vote")
        counts = dict(rows)
        return int(counts.get(1, 0)), int(counts.get(-1, 0))

    def bump(self, name: str, by: int = 1) -> None:
        with self._tx() as db:
            db.execute(
                "INSERT INTO counters (name, value) VALUES (?, ?) "
                "ON CONFLICT(name) DO UPDATE SET value = value + excluded.value",
                (name, by),
            )

    def counter(self, name: str) -> int:
        rows = self._query("SELECT value FROM counters WHERE name = ?", name)
        return int(rows[0][0]) if rows else 0

    # subscriptions and delivered cards
    def subscribe(self, chat_id: int, title: str = "", kind: str = "", lang: str = "en") -> bool:
        """True if newly subscribed, False if it already was."""
        with self._tx() as db:
            cur = db.execute(
                "INSERT OR IGNORE INTO subscriptions (chat_id, title, kind, lang, created) "
                "VALUES (?, ?, ?, ?, ?)",
                (chat_id, title, kind, lang, time.time()),
            )
            return cur.rowcount > 0

    def unsubscribe(self, chat_id: int) -> bool:
        with self._tx() as db:
            return db.execute("DELETE FROM subscriptions WHERE chat_id = ?", (chat_id,)).rowcount > 0

    def subscriptions(self) -> list[Subscription]:
        rows = self._query("SELECT chat_id, title, kind, lang FROM subscriptions ORDER BY created")
        return [Subscription(*row) for row in rows]

    def delivered(self, chat_id: int) -> set[str]:
        return {row[0] for row in self._query("SELECT card_id FROM delivered WHERE chat_id = ?", chat_id)}

    def mark_delivered(
        self, chat_id: int, card_id: str, *, round_id: int | None = None, forget: Set[str] = frozenset()
    ) -> None:
        """Record one delivered card in one transaction: (when the pool was used up) start the
        chat's new no-repeat round, mark the card, and tick the chat off posting round ``round_id``."""
        now = time.time()
        with self._tx() as db:
            if forget:
                db.executemany(
                    "DELETE FROM delivered WHERE chat_id = ? AND card_id = ?", [(chat_id, c) for c in forget]
                )
            db.execute(
                "INSERT OR REPLACE INTO delivered (chat_id, card_id, at) VALUES (?, ?, ?)",
                (chat_id, card_id, now),
            )
            if round_id is not None:
                db.execute(
                    "INSERT OR REPLACE INTO round_sent (round_id, chat_id, card_id, at) VALUES (?, ?, ?, ?)",
                    (round_id, chat_id, card_id, now),
                )

    # posting rounds: a scheduled post to every subscribed chat
    def start_round(self) -> int:
        with self._tx() as db:
            cur = db.execute("INSERT INTO rounds (started) VALUES (?)", (time.time(),))
            return int(cur.lastrowid or 0)

    def unfinished_rounds(self) -> list[int]:
        return [int(r[0]) for r in self._query("SELECT round_id FROM rounds WHERE finished IS NULL")]

    def round_chats(self, round_id: int) -> set[int]:
        """The chats that already got their card in round ``round_id``."""
        return {int(r[0]) for r in self._query("SELECT chat_id FROM round_sent WHERE round_id = ?", round_id)}

    def finish_round(self, round_id: int) -> None:
        with self._tx() as db:
            db.execute("UPDATE rounds SET finished = ? WHERE round_id = ?", (time.time(), round_id))
            db.execute("DELETE FROM round_sent WHERE round_id < ?", (round_id,))

    # updates already handled (at-most-once across restarts)
    def claim_update(self, update_id: int) -> bool:
        """True the first time ``update_id`` is seen; False if it was handled before."""
        now = time.time()
        with self._tx() as db:
            cur = db.execute(
                "INSERT OR IGNORE INTO handled_updates (update_id, at) VALUES (?, ?)", (update_id, now)
            )
            if update_id % 100 == 0:
                db.execute("DELETE FROM handled_updates WHERE at < ?", (now - UPDATE_MEMORY_SECONDS,))
            return cur.rowcount > 0
