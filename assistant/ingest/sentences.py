"""Sentence boundaries with exact character offsets."""

from __future__ import annotations

import re
from dataclasses import dataclass

_ABBREVIATIONS = frozenset(
    """mr mrs ms dr prof st gen sen rep gov lt col sgt capt cmdr adm pres jr sr vs etc inc ltd
    co corp dept univ est approx no fig jan feb mar apr jun jul aug sep sept oct nov dec
    mt ft e.g i.e u.s u.k u.n""".split()
)
# Abbreviations only before a number: "No. 10", "Fig. 3"; "said no." ends a sentence.
_NUMBER_ABBREVIATIONS = frozenset("no nos vol fig art pp".split())
# a.m./p.m. end a sentence unless a time zone, a day or "... time" follows: "5 p.m. GMT", "5 p.m. Moscow time".
_TIMES_OF_DAY = frozenset("a.m p.m".split())
_TIME_FOLLOWERS = frozenset(
    """gmt utc est edt cet cest bst pst pdt cst cdt mst mdt msk eet eest ist jst aest et pt ct local
    monday tuesday wednesday thursday friday saturday sunday mon tue wed thu fri sat sun
    january february march april may june july august september october november december""".split()
)
_CLOSING_QUOTES = frozenset("\"'”’»")
# A boundary: terminal punctuation, optional closing quotes/brackets, whitespace, then something
# that can open a sentence: a capital letter (of any script) or a digit, perhaps after an opening
# quote or mark (« „ ¿ ¡ too: « Nous verrons », a-t-il dit; ¿Cuándo...?); or, in Chinese and
# Japanese, which put no space between sentences, 。！？ and what closes after them.
_BOUNDARY = re.compile(
    r"[.!?…]+(?:\s?»|[\"'”’)\]])*(?=\s+(?:[\"'“‘(\[«„¿¡]\s?)?(?P<opening>[^\W_]))"
    r"|[。！？]+[」』）”’\"']*(?=\s*(?P<unspaced>\S))"
)
# German and Nordic write a day as an ordinal: "am 7. Februar", "1. januar": no sentence ends there.
_ORDINAL_MONTHS = frozenset(
    """januar jänner februar feber märz april mai juni juli august september oktober november
    dezember mars desember""".split()
)
# Text that ends as a sentence ends: terminal punctuation, optional closing quotes or brackets.
SENTENCE_END = re.compile(r"[.!?…。！？][\"'”’»)\]」』）]*\s*$")


@dataclass(frozen=True)
class Span:
    start: int
    end: int


def _is_abbreviation(text: str, period_at: int, after: str) -> bool:
    """Whether the period at `period_at` ends an abbreviation rather than a sentence.

    `after` is the text that follows the boundary (its first words decide a.m./p.m. and "No.").
    """
    if text[period_at] != ".":
        return False
    word_start = period_at
    while word_start > 0 and not text[word_start - 1].isspace():
        word_start -= 1
    word = text[word_start:period_at].lstrip("\"'“‘(").lower()
    if not word:
        return False
    following = after.split(None, 2)
    if word in _TIMES_OF_DAY:
        first = following[0].strip("\"'“‘(,.").lower() if following else ""
        second = following[1].strip(",.").lower() if len(following) > 1 else ""
        return first in _TIME_FOLLOWERS or second == "time"
    if word in _NUMBER_ABBREVIATIONS:
        return bool(following) and following[0][:1].isdigit()
    return word in _ABBREVIATIONS or (len(word) == 1 and word.isalpha()) or "." in word


def _ordinal_day(text: str, period_at: int, after: str) -> bool:
    """Whether the period at `period_at` makes a day of the month an ordinal: "am 7. Februar"."""
    if text[period_at] != "." or not text[max(period_at - 2, 0) : period_at].strip().isdigit():
        return False
    if period_at >= 3 and text[period_at - 3].isdigit():
        return False  # "2022." ends a sentence
    following = after.split(None, 1)
    return bool(following) and following[0].strip(",.").lower() in _ORDINAL_MONTHS


def split_sentences(text: str, start: int = 0, end: int | None = None) -> list[Span]:
    """Sentence spans of text[start:end], without surrounding whitespace."""
    end = len(text) if end is None else end
    spans: list[Span] = []
    cursor = start
    for m in _BOUNDARY.finditer(text, start, end):
        if m.group("unspaced") is not None:
            spans.append(Span(cursor, m.end()))
            cursor = m.end()
            continue
        opening = m.group("opening")
        if not (opening.isupper() or opening.isdigit()):
            continue
        if _ordinal_day(text, m.start(), text[m.end() : min(end, m.end() + 30)]):
            continue
        closed_quote = any(ch in _CLOSING_QUOTES for ch in m.group())  # `said "No." Then`
        if not closed_quote and _is_abbreviation(text, m.start(), text[m.end() : min(end, m.end() + 60)]):
            continue
        spans.append(Span(cursor, m.end()))
        cursor = m.end()
    spans.append(Span(cursor, end))
    stripped = []
    for span in spans:
        piece = text[span.start : span.end]
        left = len(piece) - len(piece.lstrip())
        right = len(piece) - len(piece.rstrip())
        if piece.strip():
            stripped.append(Span(span.start + left, span.end - right))
    return stripped
