"""bot.state: SQLite state survives reopening; feedback, counters, subscriptions, delivered cards."""

from __future__ import annotations

import signal
import subprocess
import sys
from pathlib import Path

from bot.state import BotState
from knowledge.models import Answer, Citation

REPO = Path(__file__).resolve().parents[1]


def _answer() -> Answer:
    cite = Citation(n=1, title="T", source="S", date="2024-01-01", url="https://e.org", snippet="snip",
                    chunk_id="c1", doc_id="d1")
    return Answer(question="When?", text="In 1992 [1].", citations=(cite,), abstained=False, language="en",
                  suggestions=("rail",))


def test_answers_round_trip_and_follow_up_lookup(tmp_path: Path) -> None:
    state = BotState(tmp_path / "bot.sqlite3")
    key = state.save_answer(-5, _answer(), "ru")
    assert len(f"s:{key}".encode()) <= 64
    state.link_message(key, -5, 77, "<b>x</b>")
    state.close()
    again = BotState(tmp_path / "bot.sqlite3")
    stored = again.answer_for_message(-5, 77)
    assert stored is not None and stored.answer == _answer() and stored.lang == "ru"
    assert stored.base_html == "<b>x</b>" and again.answer_for_message(-5, 78) is None


def test_a_decline_with_its_nearest_passage_round_trips(tmp_path: Path) -> None:
    near = _answer().citations[0]
    declined = Answer(question="How long?", text="", citations=(), abstained=True, language="en",
                      reason="not stated", suggestions=("rail",), closest=near)
    state = BotState(tmp_path / "bot.sqlite3")
    key = state.save_answer(3, declined, "en")
    state.link_message(key, 3, 9, "<i>no</i>")
    stored = state.answer_for_message(3, 9)
    assert stored is not None and stored.answer == declined and stored.answer.closest == near


def test_feedback_one_vote_per_user_and_counters(tmp_path: Path) -> None:
    state = BotState(tmp_path / "bot.sqlite3")
    key = state.save_answer(1, _answer(), "en")
    assert state.record_feedback(key, 10, 1) and state.record_feedback(key, 10, -1)
    assert state.record_feedback(key, 11, 1)
    assert not state.record_feedback("nope", 10, 1)
    assert state.feedback_counts() == (1, 1)
    state.bump("questions")
    state.bump("questions")
    assert state.counter("questions") == 2 and state.counter("other") == 0


def test_subscriptions_and_delivered_persist(tmp_path: Path) -> None:
    state = BotState(tmp_path / "bot.sqlite3")
    assert state.subscribe(-1, "G", "supergroup") and not state.subscribe(-1, "G", "supergroup")
    state.subscribe(-2, "C", "channel", "zh")
    state.mark_delivered(-1, "a")
    state.mark_delivered(-1, "b")
    state.close()
    state = BotState(tmp_path / "bot.sqlite3")
    assert [s.chat_id for s in state.subscriptions()] == [-1, -2]
    assert state.delivered(-1) == {"a", "b"} and state.delivered(-2) == set()
    state.mark_delivered(-1, "c", forget={"a", "b"})  # a new round starts with "c"
    assert state.delivered(-1) == {"c"}
    assert state.unsubscribe(-1) and not state.unsubscribe(-1)


def test_commits_survive_a_sigkill_without_close(tmp_path: Path) -> None:
    """synchronous=NORMAL (no fsync per commit) keeps every commit across a killed process."""
    path = tmp_path / "bot.sqlite3"
    child = (
        "import os, signal, sys; from pathlib import Path; from bot.state import BotState; "
        "s = BotState(Path(sys.argv[1])); [s.claim_update(i) for i in range(1, 51)]; s.bump('questions', 7); "
        "os.kill(os.getpid(), signal.SIGKILL)"
    )
    done = subprocess.run([sys.executable, "-c", child, str(path)], cwd=REPO, check=False)
    assert done.returncode == -signal.SIGKILL
    state = BotState(path)
    assert not any(state.claim_update(i) for i in range(1, 51)) and state.claim_update(51)
    assert state.counter("questions") == 7
    assert state._query("PRAGMA synchronous") == [(1,)]  # NORMAL
