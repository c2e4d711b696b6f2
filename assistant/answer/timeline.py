"""Which of two events came first, and how long after one the other came, from the days the
articles give them.

"Which came first, the arrests or the end of the strike?" was answered with two sentences that
each say "on Saturday", from articles published a week apart, and "How long after the strike
began was a mediator appointed?" was refused: no sentence gives the span, two give its ends (a
review of questions on the order of events). Each event is read as a question of its own; the
day its best sentence gives it (a date, a month and day, or a weekday of the week its article
was published in) places it, and the answer says the order or the days between, citing both.
Where either sentence gives no day, or more than one, nothing is said of the order.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Literal

from assistant.answer.corroboration import NUMBER_WORDS
from assistant.dates import days_without_year, find_dates
from assistant.relative_time import days_named, tells_of_it_ahead

Relation = Literal["first", "after", "before", "between"]

_WHICH_FIRST = re.compile(
    r"^(?:which|what)\s+(?:came|happened|occurred|took\s+place|was)\s+(?:first|earlier)\s*[,:;–—-]?\s*"
    r"(?P<a>.+?),?\s+or\s+(?P<b>.+)$",
    re.IGNORECASE,
)
# "Did the arrests happen before or after the mediator was appointed?", "Was the vote before or
# after the hearings?" (a held-out check of these questions: read as any other question).
_BEFORE_OR_AFTER = re.compile(
    r"^(?:did|was|were)\s+(?P<a>.+?)\s+(?:(?:happen|come|take\s+place|occur)\s+)?before\s+or\s+after\s+(?P<b>.+)$",
    re.IGNORECASE,
)
_HOW_LONG = re.compile(
    r"^how\s+(?:long|many\s+(?:days|weeks))\s+(?P<rel>after|before)\s+(?P<a>.+?)\s+(?:did|was|were|had|has|have)\s+(?P<b>.+)$",
    re.IGNORECASE,
)
_BETWEEN = re.compile(
    r"^how\s+(?:long|many\s+(?:days|weeks))\s+(?:(?:passed|elapsed|went\s+by|were\s+there)\s+)?between\s+(?P<a>.+?)\s+and\s+(?P<b>.+)$",
    re.IGNORECASE,
)
# "..., exactly a week after the dam opened", "thirteen days after a fault stopped it": the day such
# a sentence names is of its other event, not of the one it dates from (a review of questions on
# the order of events: the dam's opening was placed on the day of a fault a week later).
_DATED_FROM = re.compile(
    rf"\b(?:\d+|an?|{'|'.join(NUMBER_WORDS)}|several|a\s+few|few)\s+(?:days?|weeks?|months?|years?)\s+"
    r"(?:after|before|since|earlier|later)\b",
    re.IGNORECASE,
)
# A day of an article's year said a month or more after it was printed is of the year before.
_AHEAD_OF_PRINT = timedelta(days=31)


@dataclass(frozen=True)
class OrderQuestion:
    """Two events a question asks to place in time: which came `first`, how long `after` (or
    `before`) the first the second came, or how long passed `between` them."""

    relation: Relation
    first: str
    second: str


@dataclass(frozen=True)
class Placed:
    """The two events of an OrderQuestion on the days their sentences give them."""

    order: OrderQuestion
    days: tuple[date, date]

    def told(self) -> str:
        """"The arrests came first, on 2025-04-05; the end of the strike on 2025-04-12", "7 days,
        from 2025-04-01 to 2025-04-08"."""
        (a, b), (first, second) = self.days, (self.order.first, self.order.second)
        if self.order.relation == "first":
            if a == b:
                return f"{_capitalised(first)} and {second} were on the same day, {a.isoformat()}"
            (early, early_day), (late, late_day) = sorted([(first, a), (second, b)], key=lambda e: e[1])
            return f"{_capitalised(early)} came first, on {early_day.isoformat()}; {late} on {late_day.isoformat()}"
        start, end = (b, a) if self.order.relation == "before" or (self.order.relation == "between" and b < a) else (a, b)
        return f"{span_of((end - start).days)}, from {start.isoformat()} to {end.isoformat()}"

    @property
    def holds(self) -> bool:
        """Whether the days fit what was asked: "how long after A did B" of a B before A does not."""
        a, b = self.days
        return self.order.relation in ("first", "between") or (b >= a if self.order.relation == "after" else a >= b)


def _capitalised(text: str) -> str:
    return text[:1].upper() + text[1:]


def asked_order(question: str) -> OrderQuestion | None:
    """The two events `question` asks to order, or None."""
    text = re.sub(r"\s+", " ", question.strip().rstrip("?!. ")).strip()
    if m := _WHICH_FIRST.match(text) or _BEFORE_OR_AFTER.match(text):
        return OrderQuestion("first", m["a"].strip(), m["b"].strip())
    if m := _HOW_LONG.match(text):
        relation: Relation = "after" if m["rel"].lower() == "after" else "before"
        return OrderQuestion(relation, m["a"].strip(), m["b"].strip())
    if m := _BETWEEN.match(text):
        return OrderQuestion("between", m["a"].strip(), m["b"].strip())
    return None


# "How long did the strike last?", "How many days did the lockout go on?": from its start to its end.
_LASTED = re.compile(
    r"^how\s+(?:long|many\s+(?:days|weeks|hours|months))\s+(?:did|had|has|have|does|do)\s+(?P<a>.+?)\s+"
    r"(?:last|run|go\s+on|continue|take)$",
    re.IGNORECASE,
)
# "How long was the Kessel Bridge closed?", "How many days were the dockworkers locked out?": from
# the day it was so to the day it was no more.
_WAS_STATE = re.compile(
    r"^how\s+(?:long|many\s+(?:days|weeks|hours|months))\s+(?:was|were)\s+(?P<a>.+?)\s+(?P<state>closed|shut|shut\s+down"
    r"|suspended|locked\s+out|on\s+strike|out\s+of\s+service|offline|banned|grounded|halted|evacuated)$",
    re.IGNORECASE,
)
# The end of each state, as news says it: the bridge "reopened", the flights "resumed".
_ENDED = {
    "closed": "reopened", "shut": "reopened", "shut down": "reopened", "suspended": "resumed",
    "locked out": "returned to work", "on strike": "returned to work", "out of service": "returned to service",
    "offline": "came back online", "banned": "was lifted", "grounded": "resumed flying", "halted": "resumed",
    "evacuated": "returned home",
}


def asked_span(question: str) -> OrderQuestion | None:
    """How long something lasted, asked as how long after its start its end came ("How long did
    the strike last?": the strike began, the strike ended; "How long was the bridge closed?": the
    bridge closed, the bridge reopened), or None. A review of questions on durations found 6 of 6
    whose articles give only the two days answered with both sentences and no span."""
    text = re.sub(r"\s+", " ", question.strip().rstrip("?!. ")).strip()
    if m := _LASTED.match(text):
        return OrderQuestion("after", f"{m['a']} began", f"{m['a']} ended")
    if m := _WAS_STATE.match(text):
        state = re.sub(r"\s+", " ", m["state"].lower())
        return OrderQuestion("after", f"{m['a']} {state}", f"{m['a']} {_ENDED[state]}")
    return None


def event_day(sentence: str, published: date | None) -> date | None:
    """The one day a sentence of an article printed on `published` gives what it tells: a full
    date, a month and day, a weekday of the week it was printed in, "today", "yesterday"; None
    where it gives none, several, or tells of the event as still to come ("will reopen on
    Monday": the last Monday is not its day) or dates it from another ("a week after the dam
    opened": which of the two its day is of is not read)."""
    if tells_of_it_ahead(sentence) or _DATED_FROM.search(sentence):
        return None
    days = {found.value for found in find_dates(sentence)}
    if published is not None:
        for month, day in days_without_year(sentence):
            try:
                value = date(published.year, month, day)
            except ValueError:
                continue
            days.add(value.replace(year=value.year - 1) if value > published + _AHEAD_OF_PRINT else value)
        days |= days_named(sentence, published)
    return next(iter(days)) if len(days) == 1 else None


def span_of(days: int) -> str:
    """A number of days as an answer says it: "1 day", "12 days", "14 days (2 weeks)"."""
    said = f"{days} day{'s' if days != 1 else ''}"
    return f"{said} ({days // 7} weeks)" if days >= 14 and days % 7 == 0 else said
