"""Multi-part questions: "how long is the tunnel and how much did it cost?" asks two things.

``question_parts`` splits a question into the questions it asks (pure; en/ru/zh):
- separate questions in one message ("海拔多高？离奥什有多远？");
- two questions joined by "and" / "и" / "а" before a question word, or by a comma in Chinese
  ("一期多少兆瓦，计划什么时候投运？"), when both sides ask something.

Each part is read on its own (``part_profile``: its own kind of answer and document question, the
rest inherited from the whole question), so that every part gets its answer or is named as missing.
"""

from __future__ import annotations

import re
from dataclasses import replace

from knowledge.askedkinds import question_kinds
from knowledge.signals import QuestionProfile, follow_up_profile, profile_question
from knowledge.text import cjk_count, words

MAX_PARTS = 3

_WH = re.compile(
    r"\b(?:what|which|who|whom|where|when|why|how)\b"
    r"|\b(?:что|какой|какая|какое|какие|каков\w*|кто|где|когда|почему|зачем|сколько|как)\b"
    r"|什么|哪|谁|何时|为什么|如何|怎么|多少|几|多高|多远|多长|多大|多久",
    re.IGNORECASE,
)
_JOINS = (
    re.compile(r",?\s+and\s+(?=(?:how|what|when|where|who|which|why|in which|by how much|at what)\b)",
               re.IGNORECASE),
    re.compile(r",?\s+(?:и|а|а также)\s+(?=(?:сколько|когда|где|кто|как|почему"
               r"|как(?:ой|ая|ое|ие|ую|им|их|ого|ом)|каков\w*"
               r"|(?:в|во|на|за|с|со|из|до|у|о|об|по|от|при)\s+как\w+)\b)", re.IGNORECASE),
    re.compile(r"\s*[，、；]\s*"),  # Chinese punctuation only: "When it opens, how long…" stays whole
)
_QUESTION_END = re.compile(r"(?<=[?？])\s*")


def asks(text: str) -> bool:
    """Whether the text asks something (a question word or a cue for a kind of answer)."""
    return bool(_WH.search(text) or question_kinds(text))


def _is_question(text: str) -> bool:
    """A side of a split that is a question of its own: it asks something and says about what
    ("When and where …" stays whole)."""
    return asks(text) and (cjk_count(text) >= 4 or len(words(text)) >= 3)


def question_parts(question: str) -> list[str]:
    """The questions one message asks, in order (the message itself when it asks one thing)."""
    text = question.strip()
    pieces = [p.strip() for p in _QUESTION_END.split(text) if p.strip()]
    if len(pieces) > 1 and all(_is_question(p) for p in pieces):
        return pieces[:MAX_PARTS]
    for join in _JOINS:
        for match in join.finditer(text):
            left, right = text[: match.start()].strip(), text[match.end():].strip()
            if _is_question(left) and _is_question(right):
                return [left, *question_parts(right)][:MAX_PARTS]
    return [text]


def part_profile(part: str, whole: QuestionProfile) -> QuestionProfile:
    """A part's profile: what it asks for (its kind of answer, a question about the document) is
    its own; places, years, concepts and words it leaves out come from the whole question."""
    own = profile_question(part)
    merged = follow_up_profile(own, whole)
    # a question about the document ("which newspaper printed it?") asks no figure of the whole
    return replace(merged, meta=own.meta, kinds=own.kinds) if own.meta else replace(merged, meta="")
