"""Text normalisation shared by fact matching and the judge (see evals/README.md, Matching)."""

from __future__ import annotations

import string
from collections import Counter
from collections.abc import Iterable

_CURLY = str.maketrans({"’": "'", "‘": "'", "“": '"', "”": '"'})


def straighten(text: str) -> str:
    """Curly quotes and apostrophes become straight ones."""
    return text.translate(_CURLY)


def normalize(text: str) -> str:
    """Straight quotes, single spaces, trimmed, lower case."""
    return " ".join(straighten(text).split()).lower()


_PUNCTUATION = frozenset(string.punctuation + "“”‘’")


def answer_tokens(text: str) -> list[str]:
    """SQuAD's answer normalisation: lower case, no punctuation, no articles."""
    kept = "".join(ch for ch in text.lower() if ch not in _PUNCTUATION)
    return [w for w in kept.split() if w not in ("a", "an", "the")]


def token_f1(span: str, answer: str) -> float:
    """SQuAD's token F1 of a span against an accepted answer."""
    a, b = answer_tokens(span), answer_tokens(answer)
    common = sum((Counter(a) & Counter(b)).values())
    if not common:
        return 0.0
    precision, recall = common / len(a), common / len(b)
    return 2 * precision * recall / (precision + recall)


def short_answer_right(span: str, answers: Iterable[str]) -> bool:
    """A short answer is right when it and an accepted answer overlap with token F1 >= 0.5
    ("French" for "the French side", "1859" for "1859 and 1865"; not "British" for
    "J. F. D. Shrewsbury")."""
    return max((token_f1(span, a) for a in answers), default=0.0) >= 0.5
