"""The period a question asks about, a quarter, a month or the nth day or round of an event, and
whether an article writes it.

Results, prices and jobs are reported period by period, and the near miss of such news is the
sibling period: asked for Northwind's fourth-quarter profit of articles on its second and third,
the answer stated both (a review of many similar stories); asked for Halvorsen's second-quarter
profit, it stated the first quarter's (a review of near misses). An answer whose articles never
write the period asked about refuses, as one whose articles never write a number it asks about
does (named.py, `unmentioned_numbers`).

A quarter is written many ways: "the second quarter", "second-quarter", "Q2", "2Q", "April-June",
"the three months to June 30", "the quarter ended June"; the first and the last also "the first
three months of the year", "the final quarter". A month is written by its name, or is the month
an article was published in.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from assistant.answer.named import ArticleWords
from assistant.dates import LAST_MONTH, DateMention, month_names

# An ordinal in words and in digits ("second", "2nd"); "final" is the last, of any number.
_ORDINALS = {"first": 1, "1st": 1, "second": 2, "2nd": 2, "third": 3, "3rd": 3, "fourth": 4, "4th": 4, "fifth": 5, "5th": 5}


def _spellings(number: int) -> list[str]:
    return [word for word, n in _ORDINALS.items() if n == number]


_ASKED_QUARTER = re.compile(
    rf"\b(?P<ordinal>{'|'.join(w for w, n in _ORDINALS.items() if n <= 4)})[\s-]+(?:fiscal[\s-]+)?quarter\b"
    r"|\b(?:Q(?P<q>[1-4])|(?P<nq>[1-4])Q)\b",
    re.IGNORECASE,
)
# The nth day of a strike, round of a vote, leg of a tie: "How many flights were cancelled on the
# second day of the strike?" of articles on its first day stated the first day's 310 (a review of
# near misses). Ordinals past the fifth, and "last", "next", "previous", name no period an
# article writes as such.
_UNITS = "day|night|week|round|leg|stage|reading|session|game|match|set|half|term"
_ASKED_ORDINAL = re.compile(
    rf"\b(?P<ordinal>{'|'.join([*_ORDINALS, 'final'])})[\s-]+(?P<unit>{_UNITS})\b", re.IGNORECASE
)
# The first day of a strike is the day it began ("walked off the job on Monday, grounding 212
# flights"): articles rarely call it so (two answered questions of the development sets).
_BEGUN_WITHOUT_IT = frozenset(["day", "night", "week", "session"])
_COUNTED_AS = {1: "one", 2: "two", 3: "three", 4: "four", 5: "five"}


@dataclass(frozen=True)
class AskedPeriod:
    """A quarter (`quarter` 1-4), a month (`month` 1-12) or the nth of a unit (`ordinal`, 0 for
    the final one, and `unit`: "the second day") a question asks about, as named."""

    said: str
    quarter: int | None = None
    month: int | None = None
    ordinal: int | None = None
    unit: str = ""


def asked_periods(question: str, mention: DateMention | None = None) -> list[AskedPeriod]:
    """The quarters the question names ("the second quarter", "Q2"), the nth of a unit ("the
    second day"), and the month its date names when it names no day ("What was inflation in
    August?")."""
    found = []
    for m in _ASKED_QUARTER.finditer(question):
        number = _ORDINALS[m["ordinal"].casefold()] if m["ordinal"] else int(m["q"] or m["nq"])
        found.append(AskedPeriod(f"the {_spellings(number)[0]} quarter", quarter=number))
    for m in _ASKED_ORDINAL.finditer(question):
        word, unit = m["ordinal"].casefold(), m["unit"].casefold()
        number = _ORDINALS.get(word, 0)  # "final": 0
        if number == 1 and unit in _BEGUN_WITHOUT_IT:
            continue
        found.append(AskedPeriod(f"the {m['ordinal'].casefold()} {unit}", ordinal=number, unit=unit))
    if mention is not None and (month := mention.only_month) is not None:
        found.append(AskedPeriod(month_names(month)[0].capitalize(), month=month))
    return list(dict.fromkeys(found))


def _month(number: int) -> str:
    """A month by its names as an article writes them: "(?:September|Sep|Sept)\\.?"."""
    return "(?:" + "|".join(name.capitalize() for name in month_names(number)) + r")\.?"


def _quarter_forms(quarter: int) -> re.Pattern[str]:
    first, last = _month(3 * quarter - 2), _month(3 * quarter)
    ordinal = "|".join(_spellings(quarter))
    forms = [
        rf"\b(?i:{ordinal})[\s-]+(?i:fiscal[\s-]+)?(?i:quarter)",
        rf"\bQ{quarter}\b|\b{quarter}Q\b",
        rf"\b{first}\s*(?:-|–|—|/|\bto\b|\bthrough\b)\s*{last}",
        rf"\b(?i:quarter|three months|3 months|period)\s+(?i:to|ended|ending|through|until)\s+(?:(?i:the end of)\s+)?{last}",
    ]
    if quarter == 1:
        forms.append(r"\b(?i:first three months of)\b")
    if quarter == 4:
        forms.append(r"\b(?i:final quarter|last three months of the year|final three months of the year)\b")
    return re.compile("|".join(forms))


def _ordinal_forms(ordinal: int, unit: str) -> re.Pattern[str]:
    """"the second day", "second-day", "2nd day", "day two", "day 2"; the final one also "the
    last day"."""
    if ordinal == 0:
        return re.compile(rf"\b(?:final|last|closing)[\s-]+{unit}s?\b", re.IGNORECASE)
    forms = [rf"\b(?:{'|'.join(_spellings(ordinal))})[\s-]+{unit}s?\b", rf"\b{unit}\s+(?:{_COUNTED_AS[ordinal]}|{ordinal})\b"]
    forms.extend(_OTHERWISE.get((ordinal, unit), []))
    return re.compile("|".join(forms), re.IGNORECASE)


# The nth of a unit as news also writes it: a second round is a runoff, a half of a year its six months.
_OTHERWISE = {
    (2, "round"): [r"\brun-?offs?\b"],
    (1, "half"): [r"\bfirst six months\b", r"\bH1\b", r"\bJanuary\s*(?:-|–|to|through)\s*June\b"],
    (2, "half"): [r"\b(?:second|last|final) six months\b", r"\bH2\b", r"\bJuly\s*(?:-|–|to|through)\s*December\b"],
}


def writes_period(period: AskedPeriod, text: str) -> bool:
    """Whether an article's words (its text, title and day of publication, as
    `named.ArticleWords` holds them) write the period in any of its forms; a month also where
    the article was published in it (an ISO day of that month), or in the next and says "last
    month"."""
    if period.quarter is not None:
        return _quarter_forms(period.quarter).search(text) is not None
    if period.ordinal is not None:
        return _ordinal_forms(period.ordinal, period.unit).search(text) is not None
    assert period.month is not None
    if re.search(rf"\b{_month(period.month)}(?![a-z])|\b\d{{4}}-{period.month:02d}-\d{{2}}\b", text):
        return True
    # "Consumer prices rose 3.1% last month", published in the month after
    return LAST_MONTH.search(text) is not None and re.search(rf"\b\d{{4}}-{period.month % 12 + 1:02d}-\d{{2}}\b", text) is not None


def unmentioned_periods(periods: Sequence[AskedPeriod], articles: Iterable[ArticleWords]) -> list[str]:
    """The periods none of `articles` writes, as the question names them."""
    read = list(articles)
    return [p.said for p in periods if not any(writes_period(p, a.text) for a in read)]
