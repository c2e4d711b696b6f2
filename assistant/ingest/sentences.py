"""Sentence boundaries with exact character offsets."""

from __future__ import annotations

import re
from dataclasses import dataclass

_ABBREVIATIONS = frozenset(
    """mr mrs ms dr prof st gen sen rep gov lt col sgt capt cmdr adm pres jr sr vs etc inc ltd
    co corp dept univ est approx no fig jan feb mar apr jun jul aug sep sept oct nov dec
    mt ft e.g i.e u.s u.k u.n a.m p.m""".split()
)
# A boundary: terminal punctuation, optional closing quotes/brackets, whitespace,
# then something that can open a sentence: a capital letter (of any script) or a digit.
_BOUNDARY = re.compile(r"[.!?…]+[\"'”’)\]]*(?=\s+[\"'“‘(\[]?(?P<opening>[^\W_]))")


@dataclass(frozen=True)
class Span:
    start: int
    end: int


def _is_abbreviation(text: str, period_at: int) -> bool:
    if text[period_at] != ".":
        return False
    word_start = period_at
    while word_start > 0 and not text[word_start - 1].isspace():
        word_start -= 1
    word = text[word_start:period_at].lstrip("\"'“‘(").lower()
    if not word:
        return False
    return word in _ABBREVIATIONS or (len(word) == 1 and word.isalpha()) or "." in word


def split_sentences(text: str, start: int = 0, end: int | None = None) -> list[Span]:
    """Sentence spans of text[start:end], without surrounding whitespace."""
    end = len(text) if end is None else end
    spans: list[Span] = []
    cursor = start
    for m in _BOUNDARY.finditer(text, start, end):
        opening = m.group("opening")
        if not (opening.isupper() or opening.isdigit()) or _is_abbreviation(text, m.start()):
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
