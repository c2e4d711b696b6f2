"""Words as the answer step weighs them: stemmed content words with corpus IDF."""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable
from functools import lru_cache
from typing import Protocol

import Stemmer

_WORD = re.compile(r"[A-Za-z0-9]+(?:['’][a-z]+)?")
STOPWORDS = frozenset(
    """a about above after again against all also am an and any are as at be because been before
    being below between both but by can could did do does doing down during each either else ever
    few for from further had has have having he her here hers herself him himself his how i if in
    into is it its itself just let me more most my myself no nor not now of off on once only or
    other ought our ours ourselves out over own per same shall she should so some such than that
    the their theirs them themselves then there these they this those through to too under until
    up upon very via was we were what when where which while who whom whose why will with within
    without would yet you your yours yourself yourselves s t d ll m re ve y
    say says said tell told according also did does
    """.split()
)
# Words that frame a question rather than name what it is about.
FRAMING_WORDS = frozenset(
    """much many kind kinds type types sort describe described describes define defined defines
    characterise characterised characterize characterized besides anything something exactly
    specifically mention mentioned mentions outlet outlets article articles report reported
    reports cite cited cites happen happened happens ask asked asks asking""".split()
)


@lru_cache(maxsize=1)
def _stemmer() -> Stemmer.Stemmer:
    return Stemmer.Stemmer("english")


def words(text: str) -> list[str]:
    return [w.lower().replace("’", "'").split("'")[0] for w in _WORD.findall(text)]


def content_terms(text: str) -> list[str]:
    """Stems of the words that carry meaning, in order, repeats kept."""
    kept = [w for w in words(text) if w not in STOPWORDS]
    return list(_stemmer().stemWords(kept))


def question_terms(text: str) -> list[str]:
    """Content stems of a question, without the words that only frame it."""
    kept = [w for w in words(text) if w not in STOPWORDS and w not in FRAMING_WORDS]
    return list(_stemmer().stemWords(kept))


class Vocabulary(Protocol):
    """Inverse document frequencies of stems over the indexed chunks."""

    def seen(self, term: str) -> bool: ...

    def idf(self, term: str) -> float: ...


def bm25_idf(document_frequency: int, count: int) -> float:
    return math.log(1.0 + (count - document_frequency + 0.5) / (document_frequency + 0.5))


class TextVocabulary:
    """A Vocabulary counted from texts held in memory (small sets: tests, evals)."""

    def __init__(self, texts: Iterable[str]) -> None:
        frequency: Counter[str] = Counter()
        count = 0
        for text in texts:
            count += 1
            frequency.update(set(content_terms(text)))
        self._count = count
        self._frequency = frequency

    def seen(self, term: str) -> bool:
        return term in self._frequency

    def idf(self, term: str) -> float:
        return bm25_idf(self._frequency.get(term, 0), self._count)
