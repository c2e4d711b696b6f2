"""Calendar dates as articles print them and as questions mention them."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime

MONTHS = {
    name: number
    for number, names in enumerate(
        [
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ],
        start=1,
    )
    for name in names
}
_MONTH = r"(?P<month>" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\.?"
_DAY = r"(?P<day>[0-3]?\d)(?:st|nd|rd|th)?"
_YEAR = r"(?P<year>(?:19|20)\d\d)"
WEEKDAY = re.compile(
    r"\b(?:mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun)(?:day|nesday|urday|sday)?\b\.?",
    re.IGNORECASE,
)

# Months as French, German, Spanish, Italian, Portuguese, Dutch and Russian (genitive) news write
# them in a full date ("28 janvier 2022", "28. Januar 2022", "3 de febrero de 2022", "28 января
# 2022 г."): read only with a day and a year beside them, never alone ("Mars", "Mayo" are names).
FOREIGN_MONTHS = {
    name: number
    for number, names in enumerate(
        [
            "janvier januar jänner enero gennaio janeiro januari января",
            "février fevrier févr februar feber febrero febbraio fevereiro februari февраля",
            "mars märz maerz marzo março marco maart марта",
            "avril abril aprile апреля",
            "mai mayo maggio maio mei мая",
            "juin juni junio giugno junho июня",
            "juillet juli julio luglio julho июля",
            "août aout augustus agosto августа",
            "septembre septiembre setiembre settembre setembro сентября",
            "octobre oktober octubre ottobre outubro октября",
            "novembre noviembre novembro ноября",
            "décembre decembre dezember diciembre dicembre dezembro декабря",
        ],
        start=1,
    )
    for name in names.split()
}
_FOREIGN_MONTH = r"(?P<month>" + "|".join(sorted(FOREIGN_MONTHS, key=len, reverse=True)) + r")"

_FULL_DATE_PATTERNS = [
    re.compile(rf"\b{_MONTH}\s+{_DAY},?\s+{_YEAR}\b", re.IGNORECASE),
    re.compile(rf"\b{_DAY}\s+{_MONTH},?\s+{_YEAR}\b", re.IGNORECASE),
    re.compile(r"\b(?P<year>(?:19|20)\d\d)-(?P<month>\d\d)-(?P<day>\d\d)(?:\b|(?=T\d))"),  # 2024-03-03T10:15Z too
    re.compile(r"\b(?P<month>\d{1,2})/(?P<day>\d{1,2})/(?P<year>(?:19|20)\d\d)\b"),
    re.compile(r"\b(?P<day>\d{1,2})\.(?P<month>\d{1,2})\.(?P<year>(?:19|20)\d\d)\b"),  # 12.02.2022: day first
    # "28 janvier 2022", "1er février 2022", "28. Januar 2022", "3 de febrero de 2022"
    re.compile(
        rf"\b(?P<day>[0-3]?\d)(?:er|º|°|\.)?\s+(?:de\s+)?{_FOREIGN_MONTH}\.?,?\s+(?:de\s+|del\s+)?{_YEAR}(?!\d)",
        re.IGNORECASE,
    ),
    # 2022年1月28日: Chinese and Japanese
    re.compile(r"(?P<year>(?:19|20)\d\d)\s*年\s*(?P<month>\d{1,2})\s*月\s*(?P<day>\d{1,2})\s*日"),
]
_PARTIAL_PATTERNS = [
    re.compile(rf"\b{_MONTH}\s+{_DAY}\b(?!\s*(?:,\s*)?(?:19|20)\d\d)", re.IGNORECASE),
    re.compile(rf"\b{_DAY}\s+(?:of\s+)?{_MONTH}\b", re.IGNORECASE),
    re.compile(rf"\b(?:in|during|since|early|late|mid-?)\s+{_MONTH}\b", re.IGNORECASE),
    # "the 2/12 call", "on 28/1"; not "open 24/7", "1/2 of them"
    re.compile(r"\b(?:the|on|of|since|from|until|by|before|after)\s+(?P<month>\d{1,2})/(?P<day>\d{1,2})\b(?![/.]?\d)", re.IGNORECASE),
    re.compile(
        rf"\b(?:the|their|its|this|that)\s+{_MONTH}(?:'s)?\s+(?:call|talks?|conversation|meeting)\b",
        re.IGNORECASE,
    ),
]


# A year written after a month the question names ("in January 2022", "January of 2022"): the
# mention's year, not a number to look for in the passages (it made the answer refuse).
_YEAR_AFTER = re.compile(r"(?:\s*,\s*|\s+of\s+|\s+)((?:19|20)\d\d)\b", re.IGNORECASE)


@dataclass(frozen=True)
class FoundDate:
    value: date
    start: int
    end: int


WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_WEEKDAY_NAME = re.compile(r"\b(" + "|".join(WEEKDAYS) + r")\b", re.IGNORECASE)


@dataclass(frozen=True)
class DateMention:
    """A date a question refers to: a month with perhaps a day and year, or only a weekday
    ("the Tuesday call"), as news reports name the day of an event in the week they print it."""

    month: int | None = None
    day: int | None = None
    year: int | None = None
    weekday: int | None = None  # Monday is 0, as in date.weekday()

    def matches(self, value: date) -> bool:
        return (
            (self.month is None or value.month == self.month)
            and (self.day is None or value.day == self.day)
            and (self.year is None or value.year == self.year)
            and (self.weekday is None or value.weekday() == self.weekday)
        )

    @property
    def only_month(self) -> int | None:
        """The month, where it is named without a day ("What was inflation in April?"): a month a
        report gives figures for, not a day an event was reported."""
        return self.month if self.day is None and self.weekday is None else None

    @property
    def weekday_name(self) -> str | None:
        return None if self.weekday is None else WEEKDAYS[self.weekday]


def given_day(given: object) -> date | None:
    """The day a caller gave: a date, a datetime's day, or an ISO day as text ("2022-01-28");
    None for anything else (the caller says what it wanted)."""
    if isinstance(given, datetime):
        return given.date()
    if isinstance(given, date):
        return given
    if isinstance(given, str):
        try:
            return date.fromisoformat(given.strip())
        except ValueError:
            return None
    return None


def weekdays_named(text: str) -> frozenset[int]:
    """The weekdays `text` names in full ("on Tuesday"), as date.weekday() numbers."""
    return frozenset(WEEKDAYS.index(m.lower()) for m in _WEEKDAY_NAME.findall(text))


# A month named as a period ("in April", "April's"), not as a day ("May 13", "on January 18").
_PERIOD_MONTH = re.compile(
    r"\b(January|February|March|April|May|June|July|August|September|October|November|December)\b"
    r"(?!\.?\s*\d{1,2}\b)"
)


# A month's figures are reported within this many months after it (a quarter's in the next two).
REPORTED_WITHIN_MONTHS = 3


# The month before the one an article was published in, as its lead says it ("the previous month"
# and "the month before" are mostly the one before the month reported: "up from 2.4% the month before").
LAST_MONTH = re.compile(r"\blast month\b", re.IGNORECASE)


def month_reported(text: str, published: date | None = None) -> int | None:
    """The first month `text` names as a period, capitalised ("inflation rose to 2.7% in April";
    not "may" the verb, nor the day of a dateline or an event, "LISBON, May 13"), or as "last
    month" of the month it was published in: the month an article's lead reports. Of an article
    published on `published`, only a month up to REPORTED_WITHIN_MONTHS before it: one after it,
    or long before, is a plan or a memory ("are expected to meet in Santiago in September", in
    June)."""
    found = _PERIOD_MONTH.search(text)
    before = LAST_MONTH.search(text) if published is not None else None
    if before is not None and (found is None or before.start() < found.start()):
        assert published is not None
        return (published.month - 2) % 12 + 1  # "Prices rose 3.1% last month", on March 12: February
    if found is None:
        return None
    month = MONTHS[found.group(1).lower()]
    if published is not None and (published.month - month) % 12 > REPORTED_WITHIN_MONTHS:
        return None
    return month


def month_names(month: int) -> list[str]:
    """Every way MONTHS spells a month: "january", "jan"."""
    return [name for name, number in MONTHS.items() if number == month]


def _month_number(text: str) -> int:
    if text.isdigit():
        return int(text)
    name = text.lower().rstrip(".")
    return MONTHS.get(name) or FOREIGN_MONTHS[name]


def month_and_day(first: int, second: int, day_first: bool) -> tuple[int, int]:
    """The month and day of a date in figures that writes `first` before `second`: month first
    (3/1/2024 is March 1, as American writing has it) unless `day_first` (3/1/2024 in London is 3
    January) or only day first makes it a date (28/1/2022)."""
    if first > 12 >= second or (day_first and second <= 12):
        return second, first
    return first, second


def find_dates(text: str, day_first: bool = False) -> list[FoundDate]:
    """Complete dates (day, month and year) printed in `text`, in order. A date in figures
    with slashes is read month first ("3/1/2024" is March 1, as American writing has it)
    unless `day_first` (the text's language writes the day first: British English, French,
    German, ...) or only day first makes it a date ("28/1/2022")."""
    found: list[FoundDate] = []
    for pattern in _FULL_DATE_PATTERNS:
        for m in pattern.finditer(text):
            month, day = _month_number(m["month"]), int(m["day"])
            if m["month"].isdigit():
                month, day = month_and_day(month, day, day_first and "/" in m[0])
            try:
                value = date(int(m["year"]), month, day)
            except ValueError:
                continue
            if not any(f.start <= m.start() < f.end for f in found):
                found.append(FoundDate(value, m.start(), m.end()))
    return sorted(found, key=lambda f: f.start)


def days_without_year(text: str) -> list[tuple[int, int]]:
    """The (month, day) of each date `text` prints without a year: "on April 8", "8 April"."""
    found = []
    for pattern in _PARTIAL_PATTERNS[:2]:
        for m in pattern.finditer(text):
            month, day = _month_number(m["month"]), int(m["day"])
            if 1 <= day <= 31 and 1 <= month <= 12:
                found.append((month, day))
    return found


def mentioned_date(question: str) -> DateMention | None:
    """The date a question names, if any: "on January 28", "in February", "2/12/2022",
    or else a weekday: "in their Tuesday call"."""
    full = find_dates(question)
    if full:
        v = full[0].value
        return DateMention(v.month, v.day, v.year)
    for pattern in _PARTIAL_PATTERNS:
        m = pattern.search(question)
        if not m:
            continue
        if m["month"] == "may" and not m.groupdict().get("day"):
            continue  # lower-case "may" without a day is the verb
        day = int(m["day"]) if m.groupdict().get("day") else None
        month = _month_number(m["month"])
        if day is not None and m["month"].isdigit() and month > 12 >= day:
            month, day = day, month  # "28/1": day first
        if (day is not None and not 1 <= day <= 31) or not 1 <= month <= 12:
            continue
        year = _YEAR_AFTER.match(question, m.end()) if not m["month"].isdigit() else None
        return DateMention(month, day, int(year[1]) if year else None)  # "in January 2022": of that year
    weekday = _WEEKDAY_NAME.search(question)
    return DateMention(weekday=WEEKDAYS.index(weekday[1].lower())) if weekday else None
