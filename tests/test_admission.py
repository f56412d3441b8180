"""The admission service: per-user rate limit, per-chat caps, follow-up lookup (real SQLite)."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.admission import ADMITTED, Admission, ChatGates, Decision, SlidingWindowLimiter, refusal_notice
from bot.settings import BotSettings
from bot.state import BotState
from knowledge.models import Answer


@pytest.fixture
def state(tmp_path: Path) -> BotState:
    return BotState(tmp_path / "bot.sqlite3")


def test_sliding_window() -> None:
    limiter = SlidingWindowLimiter(2, 60)
    assert limiter.check(1, 0) == 0 and limiter.check(1, 1) == 0
    assert limiter.check(1, 2) == pytest.approx(58)
    assert limiter.check(2, 2) == 0 and limiter.check(1, 60.5) == 0
    with pytest.raises(ValueError):
        SlidingWindowLimiter(0)


def test_gates_cap_chats_and_users_in_groups() -> None:
    gates = ChatGates(1)
    assert gates.try_enter(5, 5) and not gates.try_enter(5, 5) and gates.try_enter(6, 6)
    gates.leave(5, 5)
    assert gates.try_enter(5, 5)
    group = ChatGates(3)  # one user holds at most cap - 1 = 2 slots of a group
    assert group.try_enter(-1, 7) and group.try_enter(-1, 7) and not group.try_enter(-1, 7)
    assert group.try_enter(-1, 8) and not group.try_enter(-1, 9) and group.in_flight(-1) == 3


def test_over_the_rate_limit_says_when_to_ask_again(state: BotState) -> None:
    admission = Admission(rate_limit=3, chat_cap=10, state=state)
    for i in range(3):
        assert admission.enter(100, 100, now=float(i)) == ADMITTED
        admission.leave(100, 100)
    refused = admission.enter(100, 100, now=10.0)
    # the first question leaves the window at 60 s
    assert refused == Decision(admitted=False, wait_seconds=50)
    assert admission.enter(100, 100, now=59.5).wait_seconds == 1  # rounded up, never "0 s"
    assert admission.enter(100, 100, now=60.0) == ADMITTED
    assert admission.enter(200, 200, now=10.0) == ADMITTED  # per user


def test_busy_chat_is_refused_without_using_the_users_quota(state: BotState) -> None:
    admission = Admission(rate_limit=2, chat_cap=1, state=state)
    assert admission.enter(-5, 1, now=0.0).admitted
    assert admission.enter(-5, 2, now=0.0) == Decision(admitted=False, busy=True)
    admission.leave(-5, 1)
    assert admission.enter(-5, 2, now=1.0).admitted


def test_inline_queries_count_against_the_same_limit(state: BotState) -> None:
    admission = Admission(rate_limit=1, chat_cap=1, state=state)
    assert admission.inline(7, now=0.0) == ADMITTED
    refused = admission.inline(7, now=1.0)
    assert not refused.admitted and refused.wait_seconds == 59
    assert not admission.enter(7, 7, now=2.0).admitted


def test_follow_up_finds_the_question_behind_the_bots_answer(state: BotState) -> None:
    admission = Admission(rate_limit=5, chat_cap=2, state=state)
    answer = Answer(question="How long is the railway?", text="It is 523 km long [1].", citations=(),
                    abstained=False, language="en")
    key = state.save_answer(50, answer, "en")
    state.link_message(key, 50, 900, "html")
    assert admission.previous_question(50, 900) == "How long is the railway?"
    assert admission.previous_question(50, None) is None
    assert admission.previous_question(50, 901) is None and admission.previous_question(51, 900) is None


def test_default_rate_limit_lets_a_reader_ask_follow_ups() -> None:
    """Reading answers and asking follow-ups easily makes 6 questions a minute; bursts of quick
    rephrasings double that. The default must not refuse such a person."""
    default = BotSettings.model_fields["bot_rate_limit"].default
    assert default >= 12


def test_notices_say_when_to_ask_again_in_the_users_language() -> None:
    assert "wait 12 s" in refusal_notice(Decision(admitted=False, wait_seconds=12), "en")
    assert "12" in refusal_notice(Decision(admitted=False, wait_seconds=12), "ru")
    assert "12" in refusal_notice(Decision(admitted=False, wait_seconds=12), "zh")
    assert "try again" in refusal_notice(Decision(admitted=False, busy=True), "en")
