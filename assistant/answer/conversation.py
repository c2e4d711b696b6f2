"""Reading a follow-up question in the light of the conversation before it."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from assistant.dates import DateMention, mentioned_date

History = Sequence[tuple[str, str]]
_REFERS_BACK = re.compile(
    r"\b(?:they|them|their|he|him|his|she|her|it|its|that|this|those|these|also|too|else|either"
    r"|same|then|there|the call|the conversation|what about|how about|and)\b",
    re.IGNORECASE,
)
_MAX_WORDS_ALONE = 6


@dataclass(frozen=True)
class Turn:
    """A question made ready for retrieval: its own words plus what it refers back to."""

    question: str
    context: str = ""
    date: DateMention | None = None

    @property
    def search_text(self) -> str:
        """What retrieval looks for: the question, weighted over the turns it refers to."""
        if not self.context:
            return self.question
        return f"{self.question} {self.question} {self.context}"


def read_turn(question: str, history: History | None = None) -> Turn:
    own_date = mentioned_date(question)
    if not history:
        return Turn(question, date=own_date)
    refers_back = bool(_REFERS_BACK.search(question)) or len(question.split()) <= _MAX_WORDS_ALONE
    if not refers_back:
        return Turn(question, date=own_date)
    previous = [q for q, _ in history][-2:]
    date = own_date
    for earlier in reversed(previous):
        date = date or mentioned_date(earlier)
    return Turn(question, context=" ".join(previous), date=date)
