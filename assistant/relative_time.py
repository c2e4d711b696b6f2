"""Time relative to when a question is asked: "yesterday", "last week", "the latest".

`time_frame(question, as_of)` reads the words of relative time in a question and turns them
into what retrieval can use, given the day the question is asked (`as_of`):

- an explicit window ("yesterday", "today", "this week", "last week", "the week before last",
  "this month", "last month", "this year", "last year", "the past 3 days", "the past 48 hours",
  "two days ago", "a few days ago", "last Monday"): the days it names, and the days an article reporting it may
  be published (those days and the next one, never after `as_of`: a report of an event appears
  that day or the next, and of the next day's paper only a sentence that names no day of its
  own, "on Wednesday" of Wednesday's paper, is read; a month or a year is
  also reported after it ends, "last year's net loss" in March's results, "last month's
  inflation" in this month's figures, so an article of any day from its first to `as_of` may);
- recency ("recently", "lately", "the latest", "newest", "most recent", "currently", "so far",
  "to date", "as of today", "at the moment"): newer articles are preferred, none published after
  `as_of` is read, older ones are not excluded;
- a bare weekday ("on Monday", "the Tuesday call"): the last such day on or before `as_of` is
  preferred, on top of what a weekday already means (assistant/dates.py: a day of that name).

"Today" inside a name ("Russia Today", "USA Today", "the Today programme") is no time.

A question without any of these words, asked as of a day before today (`asked_on`), reads no
article published after that day: it did not exist yet ("When did the strike end?" asked the day
before it ended is not answered from the next week's report). Asked as of today, it has no time
frame: an article dated later than today (a wrong date, a time zone ahead) is still read.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache
from typing import Literal

from assistant.dates import WEEKDAYS, given_day, month_names, month_reported, weekdays_named
from assistant.errors import QuestionError

FrameKind = Literal["window", "recent", "weekday", "asked"]

_NUMBERS = {
    "one": 1,
    "a": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "a couple of": 2,
    "a few": 3,
    "several": 5,
}
# What a vague count of days may mean, fewest to most: "a few days ago" is two to four days back.
_VAGUE = {"a couple of": (1, 3), "a few": (2, 4), "several": (3, 7)}
_COUNT = r"(?P<count>\d{1,3}|" + "|".join(sorted(_NUMBERS, key=len, reverse=True)) + r")"
_WEEKDAY = r"(?P<weekday>" + "|".join(WEEKDAYS) + r")"
_UNIT_DAYS = {"day": 1, "week": 7, "month": 30}
_HOURS_A_DAY = 24

# Longer phrases first: "the day before yesterday" before "yesterday", "last week" before "week".
_WINDOWS: list[tuple[str, re.Pattern[str]]] = [
    (name, re.compile(pattern, re.IGNORECASE))
    for name, pattern in [
        ("day_before_yesterday", r"\bthe day before yesterday\b"),
        ("yesterday", r"\b(?:yesterday|yday)(?:'s)?\b|\blast\s+night(?:'s)?\b"),
        ("week_before_last", r"\bthe\s+week\s+before\s+last\b"),
        # "as of today", "up to today": so far, not today alone (recency, below)
        ("today", r"(?<!\bas of )(?<!\bup to )(?<!\buntil )\b(?:today(?:'s)?|tonight|this (?:morning|afternoon|evening))\b"),
        ("ago", rf"\b{_COUNT}\s+(?P<unit>day|week|month|year)s?\s+ago\b"),
        # "over the past year", "in the past six months" say over what a change was measured
        # ("prices gained 70% over the past year") more often than when it was reported: they
        # are no window (one held-out question was lost when they were)
        ("past", rf"\b(?:the\s+)?(?:past|last)\s+{_COUNT}\s+(?P<unit>hour|day|week)s?\b"),
        ("past_unit", r"\b(?:the\s+)?past\s+(?P<unit>day|week|month)\b"),
        ("last_weekend", r"\blast\s+weekend(?:'s)?\b"),
        ("weekend", r"\b(?:over|at|during)\s+the\s+weekend\b|\bthis\s+(?:past\s+)?weekend(?:'s)?\b|\bthe\s+past\s+weekend\b"),
        ("last_weekday", rf"\blast\s+{_WEEKDAY}\b"),
        ("this_week", r"\bthis\s+week(?:'s)?\b"),
        ("last_week", r"\blast\s+week(?:'s)?\b"),
        ("this_month", r"\bthis\s+month(?:'s)?\b"),
        ("last_month", r"\blast\s+month(?:'s)?\b"),
        ("this_year", r"\bthis\s+year(?:'s)?\b"),
        ("last_year", r"\blast\s+year(?:'s)?\b"),
    ]
]
_PERIOD = re.compile(r"\b(?:months?|years?)\b", re.IGNORECASE)
_YEAR_BEFORE = re.compile(r"\b(?:last|previous|past) year\b|\ba year (?:earlier|ago|before)\b|\bthe year before\b", re.IGNORECASE)
_THIS_YEAR = re.compile(r"\bthis year\b|\byear to date\b", re.IGNORECASE)
_MONTH_BEFORE = re.compile(r"\b(?:last|previous|past) month\b|\ba month (?:earlier|ago|before)\b", re.IGNORECASE)
_THIS_MONTH = re.compile(r"\bthis month\b", re.IGNORECASE)
_RECENT = re.compile(
    r"\b(?:most\s+recent(?:ly)?|recent(?:ly)?|lately|latest|newest|currently|these\s+days|right\s+now"
    r"|the\s+last\s+time|so\s+far|to\s+date|as\s+of\s+(?:today|now)|up\s+to\s+(?:today|now)|at\s+present"
    r"|at\s+the\s+moment)\b",
    re.IGNORECASE,
)
# The words of recency a report writes of a running count ("120 tonnes had been recovered so far").
WRITTEN_IN_REPORTS = re.compile(r"\bso\s+far\b|\bto\s+date\b", re.IGNORECASE)
_PREPOSITION_BEFORE = re.compile(r"\b(?:in|on|over|during|from|since|of|for|the)\s*$", re.IGNORECASE)
_BARE_WEEKDAY = re.compile(rf"\b{_WEEKDAY}(?:'s)?\b", re.IGNORECASE)


@dataclass(frozen=True)
class TimeFrame:
    """The time a question refers to, as of the day it is asked.

    `first`..`last`: the days an explicit window names (a weekday: that one day; recency: none).
    `published_from`..`published_to`: the days an article reporting it may be published.
    """

    kind: FrameKind
    said: str  # the question's own words: "last week"
    as_of: date
    first: date | None = None
    last: date | None = None
    start: int = 0  # where `said` is in the question
    end: int = 0

    @property
    def published_from(self) -> date | None:
        return self.first

    @property
    def published_to(self) -> date:
        """A report appears the day of the event or the next, a month's or a year's also after it
        ends; nothing after `as_of` exists yet."""
        if self.last is None or self.said_of_a_period:
            return self.as_of
        return min(self.last + timedelta(days=1), self.as_of)

    @property
    def said_of_a_period(self) -> bool:
        """The window is a calendar month or year ("last month", "last year")."""
        return _PERIOD.search(self.said) is not None

    def reads(self, text: str, published: date | None) -> bool:
        """Whether a sentence of an article published on `published` may answer for this frame:
        any sentence of an article published in the window; of one published the day after, a
        sentence that names no day of its own but one in the window ("rose to nine on Wednesday"
        in Wednesday's paper is Wednesday's news, not Tuesday's: a review of news time
        questions); of a later one (read for "last month" or "last year", `published_to`) only a
        sentence that names the period."""
        if self.kind != "window" or self.last is None or published is None or published <= self.last:
            return True
        if self.said_of_a_period:
            return published <= self.last + timedelta(days=1) or self.named_in(text, published)
        assert self.first is not None
        days = days_named(text, published)
        return not days or any(self.first <= day <= self.last for day in days)

    def reports_another_month(self, passage: str, published: date | None) -> bool:
        """Whether a passage of an article published on `published` reports another month than
        the one "last month" names: the first month its text names as a period
        (`dates.month_reported`). "What was inflation last month?", asked on June 20, was answered
        with April's 2.7% from the report published on May 13 (a review of many similar
        stories): May's figures are published in June."""
        if self.kind != "window" or self.first is None or not self.said_of_a_period or "month" not in self.said.lower():
            return False
        reported = month_reported(passage, published)
        return reported is not None and reported != self.first.month

    def reported_on(self, published: date | None) -> bool:
        """Whether an article published on `published` reports this frame's day (the day or the
        next; a weekday's, a window's one day)."""
        return published is not None and self.first is not None and self.first <= published <= self.first + timedelta(days=1)

    def names_another_day(self, text: str, published: date | None) -> bool:
        """Whether `text`, of an article published on `published`, names only days other than
        this frame's ("on Monday" of a Monday a month before)."""
        if published is None or self.first is None:
            return False
        days = days_named(text, published)
        return bool(days) and self.first not in days

    def named_in(self, text: str, published: date | None) -> bool:
        """Whether `text`, of an article published on `published`, names this window's month or
        year: by its number or name ("2025", "in February"), or in the article's own relative
        words ("last year" in an article of the year after, "this month" in one of that month).
        What an article published after a period says answers a question about the period only
        when it says it of that period."""
        assert self.first is not None
        if "year" in self.said.lower():
            year = self.first.year
            if re.search(rf"\b{year}\b", text):
                return True
            if published is None:
                return False
            return bool(
                (published.year - 1 == year and _YEAR_BEFORE.search(text))
                or (published.year == year and _THIS_YEAR.search(text))
            )
        month, year = self.first.month, self.first.year
        names = "|".join(name.capitalize() for name in month_names(month))  # "May", not "may"
        if re.search(rf"\b(?:{names})\b\.?(?!\s*,?\s*\d{{4}})|\b(?:{names})\b\.?\s*,?\s*{year}\b", text):
            return True
        if published is None:
            return False
        month_before = (published.replace(day=1) - timedelta(days=1)).replace(day=1)
        return bool(
            (month_before == self.first.replace(day=1) and _MONTH_BEFORE.search(text))
            or ((published.year, published.month) == (year, month) and _THIS_MONTH.search(text))
        )

    def without_words(self, question: str) -> str:
        """The question without its words of relative time (with a preposition before them), once
        they have become a filter or a prior: "What did he say last week?" -> "What did he say?".
        A bare weekday stays: it also names the day of the week an article may print; so do the
        words of recency a report writes of a running count ("so far", "to date": "120 tonnes
        had been recovered so far")."""
        if (
            self.kind in ("weekday", "asked")
            or question[self.start : self.end] != self.said
            or WRITTEN_IN_REPORTS.fullmatch(self.said)
        ):
            return question
        head = _PREPOSITION_BEFORE.sub("", question[: self.start])
        return " ".join(f"{head} {question[self.end :]}".split()).replace(" ?", "?")

    def describe(self) -> str:
        """The frame in words for the answer: 'last week is 2022-02-07 to 2022-02-13'."""
        if self.kind == "recent":
            return "newer articles, up to that day, were preferred"
        if self.kind == "asked":
            return "articles published after it were not read"
        assert self.first is not None and self.last is not None
        span = self.first.isoformat() if self.first == self.last else f"{self.first} to {self.last}"
        return f'"{self.said}" is {span}'

    def note(self) -> str:
        """The short note an answer ends with when it depended on the assumed day."""
        return f"(Assuming today is {self.as_of.isoformat()}: {self.describe()}.)"


_TODAY_IN_A_REPORT = re.compile(r"\b(?:today|tonight|this\s+(?:morning|afternoon|evening))\b", re.IGNORECASE)
_YESTERDAY_IN_A_REPORT = re.compile(r"\b(?:yesterday|last\s+night)\b", re.IGNORECASE)


def days_named(text: str, published: date) -> set[date]:
    """The days a sentence of an article published on `published` names in the words of its own
    week: "on Wednesday" (the last Wednesday on or before the day it was published), "today",
    "yesterday"."""
    days = {_last_weekday(published, weekday, strictly_before=False) for weekday in weekdays_named(text)}
    if _TODAY_IN_A_REPORT.search(text):
        days.add(published)
    if _YESTERDAY_IN_A_REPORT.search(text):
        days.add(published - timedelta(days=1))
    return days


# A day by its name alone, as a short answer gives it ("Monday", "last Thursday").
_A_DAY_BY_NAME = re.compile(rf"^(?:(?:on|last)\s+)?({'|'.join(WEEKDAYS)})$", re.IGNORECASE)
# A sentence that looks ahead: its weekday may be the next one ("will reopen on Monday").
LOOKS_AHEAD = re.compile(
    r"\b(?:next|will|won't|'ll|would|shall|due|scheduled|expected|plans?|planned|going to|coming|upcoming|until|from)\b",
    re.IGNORECASE,
)


# "When will the bridge reopen?", "When is the vote expected to …?": a day still to come.
_ASKS_AHEAD = re.compile(
    r"\bwhen\s+(?:will|shall|'ll)\b|\bwhen\s+(?:is|are)\b.*\b(?:expected|due|scheduled|set|going)\s+to\b",
    re.IGNORECASE,
)


def asks_ahead(question: str) -> bool:
    """Whether a question asks when something is still to happen."""
    return _ASKS_AHEAD.search(question) is not None


# "What did the council decide?", "What was agreed at the review meeting?", "What did the tests
# show?", "What came out of the meeting?": what came of an event, asked of the past. What someone
# said of it is words, not its outcome ("What did Kralj say had happened to the plan?").
_ASKS_AN_OUTCOME = re.compile(
    r"^\W*(?:\w+\s+){0,4}?(?:did|was|were|had)\b.*\b(?:agreed?|decided?|recommend(?:ed)?|find|found|ruled?"
    r"|conclude[d]?|voted?|approved?|rejected?|happen(?:ed)?|discuss(?:ed)?|resolved?|show(?:ed|n)?|reveal(?:ed)?)\b"
    r"|^\W*did\b.*\b(?:find|found)\b"
    r"|^\W*what\s+(?:came|has\s+come)\s+(?:out\s+)?of\b|^\W*what\s+(?:was|were)\s+the\s+(?:outcome|results?|upshot)\s+of\b"
    # "Who won the by-election?", "Which team won the final?"
    r"|^\W*(?:who|which\s+\w+(?:\s+\w+)?)\s+(?:won|lost)\b|^\W*did\b.*\b(?:win|lose)\b",
    re.IGNORECASE,
)
_ASKS_AN_AMOUNT = re.compile(r"\bhow\s+(?:much|many)\b", re.IGNORECASE)
_WORDS_OF_IT = re.compile(r"\b(?:say|said|says|tell|told|tells)\b", re.IGNORECASE)
# A sentence that tells of an event as still to come: "are scheduled to hold their first review
# meeting in Hanoi in November", "will meet again on Thursday", "would be examined", "with first
# results expected in the spring", "Results for arsenic were still pending".
_STILL_TO_COME = re.compile(
    r"\b(?:will|would|'ll|shall|(?:is|are|was|were)\s+(?:due|scheduled|expected|set|going)\s+to"
    r"|expected\s+(?:in|by|on|next|later|within|before|after)|(?:is|are|was|were|remains?|remained)\s+(?:still\s+)?pending"
    r"|(?:is|are|was|were)\s+due\b|plans?\s+to|planned\s+to|intends?\s+to|(?:is|are|was|were)\s+to\b"
    r"|next\s+(?:week|month|year)|in\s+the\s+coming\s+(?:days|weeks|months))\b",
    re.IGNORECASE,
)


def asks_an_outcome(question: str) -> bool:
    """Whether a question asks what came of an event ("What did the bureau decide?"). Not how much
    or how many: a sum still to be paid answers ("approved 15 million euros, which it will pay")."""
    return (
        _ASKS_AN_OUTCOME.search(question) is not None
        and _WORDS_OF_IT.search(question) is None
        and _ASKS_AN_AMOUNT.search(question) is None
    )


def tells_of_it_ahead(sentence: str) -> bool:
    """Whether a sentence tells of something as still to come ("The cabinet will meet again on
    Thursday")."""
    return _STILL_TO_COME.search(sentence) is not None


def day_of_weekday(span: str, sentence: str, published: date) -> date | None:
    """The day a weekday given alone ("Monday", "last Thursday") is, in a sentence of an article
    published on `published`: the last such day on or before it ("last": before it). None for
    another span, or a sentence that looks ahead ("will reopen on Monday")."""
    m = _A_DAY_BY_NAME.match(span.strip())
    if m is None or LOOKS_AHEAD.search(sentence):
        return None
    last = span.strip().lower().startswith("last")
    return _last_weekday(published, WEEKDAYS.index(m.group(1).lower()), strictly_before=last)


def _count(text: str) -> int:
    return int(text) if text.isdigit() else _NUMBERS[text.lower()]


def _month_start(day: date) -> date:
    return day.replace(day=1)


def _last_weekday(as_of: date, weekday: int, strictly_before: bool) -> date:
    back = (as_of.weekday() - weekday) % 7
    if back == 0 and strictly_before:
        back = 7
    return as_of - timedelta(days=back)


def _window(name: str, m: re.Match[str], as_of: date) -> tuple[date, date] | None:
    """The days `name` (one of _WINDOWS) covers, as of `as_of`; None when it makes no sense."""
    if name == "day_before_yesterday":
        day = as_of - timedelta(days=2)
        return day, day
    if name == "yesterday":
        day = as_of - timedelta(days=1)
        return day, day
    if name == "today":
        return as_of, as_of
    if name == "ago" and m["unit"].lower() in ("month", "year"):
        # "two months ago", "a year ago": that calendar month or year
        back = _count(m["count"])
        if m["unit"].lower() == "year":
            return (date(as_of.year - back, 1, 1), date(as_of.year - back, 12, 31)) if 1 <= back <= 10 else None
        if not 1 <= back <= 120:
            return None
        months = as_of.year * 12 + as_of.month - 1 - back
        start = date(months // 12, months % 12 + 1, 1)
        return start, _month_start(start + timedelta(days=31)) - timedelta(days=1)
    if name == "ago" and m["unit"].lower() == "day" and m["count"].lower() in _VAGUE:
        # "a few days ago": any of the days it may mean, not exactly three
        fewest, most = _VAGUE[m["count"].lower()]
        return as_of - timedelta(days=most), as_of - timedelta(days=fewest)
    if name == "ago":
        days = _count(m["count"]) * _UNIT_DAYS[m["unit"].lower()]
        if not 1 <= days <= 3660:
            return None
        day = as_of - timedelta(days=days)
        # "two weeks ago": that week (Monday to Sunday); "two days ago": that day.
        if m["unit"].lower() == "week":
            start = day - timedelta(days=day.weekday())
            return start, start + timedelta(days=6)
        return day, day
    if name == "past" and m["unit"].lower() == "hour":  # "the past 48 hours": today and the days they reach back to
        hours = _count(m["count"])
        return (as_of - timedelta(days=-(-hours // _HOURS_A_DAY)), as_of) if 1 <= hours <= 240 else None
    if name == "past":
        days = _count(m["count"]) * _UNIT_DAYS[m["unit"].lower()]
        if not 1 <= days <= 3660:
            return None
        return as_of - timedelta(days=days), as_of
    if name == "past_unit":
        return as_of - timedelta(days=_UNIT_DAYS[m["unit"].lower()]), as_of
    if name == "last_weekend":  # the Saturday and Sunday before the day asked (on a Sunday, the week's before)
        sunday = _last_weekday(as_of, 6, strictly_before=True)
        return sunday - timedelta(days=1), sunday
    if name == "weekend":  # the weekend just gone, or this one when asked on it
        sunday = _last_weekday(as_of, 6, strictly_before=False) if as_of.weekday() != 5 else as_of + timedelta(days=1)
        return sunday - timedelta(days=1), min(sunday, as_of)
    if name == "last_weekday":
        day = _last_weekday(as_of, WEEKDAYS.index(m["weekday"].lower()), strictly_before=True)
        return day, day
    if name == "week_before_last":
        start = as_of - timedelta(days=as_of.weekday() + 14)
        return start, start + timedelta(days=6)
    if name == "this_week":
        return as_of - timedelta(days=as_of.weekday()), as_of
    if name == "last_week":
        start = as_of - timedelta(days=as_of.weekday() + 7)
        return start, start + timedelta(days=6)
    if name == "this_month":
        return _month_start(as_of), as_of
    if name == "last_month":
        end = _month_start(as_of) - timedelta(days=1)
        return _month_start(end), end
    if name == "this_year":
        return date(as_of.year, 1, 1), as_of
    if name == "last_year":
        return date(as_of.year - 1, 1, 1), date(as_of.year - 1, 12, 31)
    raise ValueError(f"unknown window {name!r}")


def time_frame(question: str, as_of: date, names: Iterable[str] = ()) -> TimeFrame | None:
    """The time frame `question` refers to, asked on `as_of`; None when it says no relative time.

    An explicit window wins over recency ("the latest news from last week" is last week), and
    both over a bare weekday. Words of a name in `names` (the outlets: "USA Today", "The Sunday
    Times") are not time."""
    question = _without_the_askers_story(_without_today_of_a_name(_without_names(question, names)))
    for name, pattern in _WINDOWS:
        m = pattern.search(question)
        if m is None:
            continue
        days = _window(name, m, as_of)
        if days is not None:
            return TimeFrame("window", m[0], as_of, days[0], days[1], m.start(), m.end())
    m = _RECENT.search(question)
    if m is not None:
        return TimeFrame("recent", m[0], as_of, start=m.start(), end=m.end())
    m = _BARE_WEEKDAY.search(question)
    if m is not None:
        day = _last_weekday(as_of, WEEKDAYS.index(m["weekday"].lower()), strictly_before=False)
        return TimeFrame("weekday", m["weekday"], as_of, day, day, m.start(), m.end())
    return None


def asked_on(as_of: date) -> TimeFrame | None:
    """The frame of a question with no words of time asked as of `as_of`: none published after it
    is read, when `as_of` is before today; None asked as of today or later (module docstring)."""
    return TimeFrame("asked", "", as_of) if as_of < date.today() else None


# A time the question sets against the one before it: "And the day before?", "the week after",
# "the previous day", "the following week".
_SHIFT = re.compile(
    r"\bthe\s+(?P<unit>day|week|month)\s+(?P<way>before|after|earlier|later)\b(?!\s+last\b)"
    r"|\bthe\s+(?P<way2>previous|next|following)\s+(?P<unit2>day|week|month)\b",
    re.IGNORECASE,
)


def sets_against(said: str) -> bool:
    """Whether a frame's words set a time against the question before ("the day before")."""
    return _SHIFT.fullmatch(said.strip()) is not None


def shifted(frame: TimeFrame, question: str) -> TimeFrame | None:
    """The window before or after `frame` (an earlier question's) that `question` asks about
    ("And the day before?" after "What did Putin tell Macron yesterday?": the day before
    yesterday); None when the question sets no such time or `frame` has no days."""
    m = _SHIFT.search(question)
    if m is None or frame.first is None or frame.last is None:
        return None
    unit = (m["unit"] or m["unit2"]).lower()
    back = (m["way"] or m["way2"]).lower() in ("before", "earlier", "previous")
    if unit == "month":
        first = _month_start(frame.first - timedelta(days=1)) if back else _month_start(frame.last.replace(day=1) + timedelta(days=32))
        last = _month_start(first + timedelta(days=32)) - timedelta(days=1)
    elif unit == "day":  # the one day before the window's first, or after its last
        first = last = frame.first - timedelta(days=1) if back else frame.last + timedelta(days=1)
    else:
        step = timedelta(days=-7 if back else 7)
        first, last = frame.first + step, frame.last + step
    return TimeFrame("window", m[0], frame.as_of, first, last, m.start(), m.end())


def _without_names(question: str, names: Iterable[str]) -> str:
    """`question` with every name of `names` that reads as time blanked out, its other words in
    their places."""
    folded = question.casefold()
    for name in names:
        if _reads_as_time(name) and name.casefold() in folded:
            pattern = re.compile(rf"(?<!\w){re.escape(name)}(?!\w)", re.IGNORECASE)
            question = pattern.sub(lambda m: " " * len(m[0]), question)
    return question


# "Today" written inside a name: "Russia Today", "USA Today", "the Today programme"; after a
# word of the question's own ("What Today ...") or alone at its start it is the day.
_TODAY_OF_A_NAME = re.compile(
    r"\b(?:[Tt]he|(?!(?:What|Who|Whom|Whose|When|Where|Why|How|Which|Did|Does|Do|Is|Are|Was|Were|Has|Have|Had"
    r"|Will|Can|Could|Would|Should|And|But|So|Then|Also)\b)[A-Z][\w.&-]*)\s+(?P<today>Today)\b"
)


# Where the question proper begins after a clause of its own: a comma, a colon, a dash, a full
# stop, "but" or "so" before a question word ("…, how many passengers were on board?").
ASKING_STARTS = re.compile(
    r"(?:[,;:…]|\.\.\.|\.\s|\s-\s|—|\bbut\b|\bso\b)\s*"
    r"(?=(?:who|whom|whose|what|when|where|which|why|how|did|does|do|is|was|were|are|has|have|had|can|could|will|would)\b)",
    re.IGNORECASE,
)
# A clause that tells how the asker came to ask: in the first person, or "(Just) saw/heard/read …".
_ASKERS_STORY = re.compile(
    r"\b(?:I|I'm|I've|I'd|my|me|we|our|us)\b|^\W*(?:just\s+)?(?:saw|heard|read|seen|watched)\b", re.IGNORECASE
)


def _without_the_askers_story(question: str) -> str:
    """`question` with the clause before its asking blanked out where that clause tells the
    asker's own story ("Yesterday my brother said a train derailed near Lyon, how many …?"): its
    time is when the asker heard, not a time the question asks about."""
    starts = list(ASKING_STARTS.finditer(question))
    if not starts or not _ASKERS_STORY.search(question[: starts[-1].start()]):
        return question
    return " " * starts[-1].end() + question[starts[-1].end() :]


def _without_today_of_a_name(question: str) -> str:
    return _TODAY_OF_A_NAME.sub(lambda m: m[0][: m.start("today") - m.start()] + " " * len("Today"), question)


@lru_cache(maxsize=4096)
def _reads_as_time(name: str) -> bool:
    return time_frame(name, date(2000, 1, 1)) is not None


# The days a question may be asked as of: far enough from the calendar's ends that "999 weeks
# ago", "last year" and "the day after" are days too.
EARLIEST_DAY = date(100, 1, 1)
LATEST_DAY = date(9998, 12, 31)


def day_asked(as_of: date | str | None) -> date:
    """The day a question is asked: `as_of` (a date, a datetime's day or an ISO day such as
    "2026-06-13"), today when None; QuestionError for anything else, or a day too near the
    calendar's ends to count back or on from."""
    if as_of is None:
        return date.today()
    day = given_day(as_of)
    if day is None:
        raise QuestionError(f"as_of must be a date or an ISO day such as 2026-06-13, not {as_of!r}")
    if not EARLIEST_DAY <= day <= LATEST_DAY:
        raise QuestionError(f"as_of must be a day from {EARLIEST_DAY} to {LATEST_DAY}, not {day}")
    return day
