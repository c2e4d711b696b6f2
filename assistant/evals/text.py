"""Text normalisation shared by fact matching and the judge (see evals/README.md, Matching)."""

from __future__ import annotations

_CURLY = str.maketrans({"’": "'", "‘": "'", "“": '"', "”": '"'})


def straighten(text: str) -> str:
    """Curly quotes and apostrophes become straight ones."""
    return text.translate(_CURLY)


def normalize(text: str) -> str:
    """Straight quotes, single spaces, trimmed, lower case."""
    return " ".join(straighten(text).split()).lower()
