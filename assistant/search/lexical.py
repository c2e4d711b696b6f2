"""Words as the answer step weighs them: stemmed content words with corpus IDF."""

from __future__ import annotations

import math
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable
from functools import lru_cache
from typing import Protocol

import Stemmer

# Letters and digits of any script. Han and kana are written without spaces: each of their
# characters is a word of its own (as search engines index them), not one run per phrase.
_IDEOGRAPHS = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_WORD = re.compile(rf"[{_IDEOGRAPHS}]|(?:(?![{_IDEOGRAPHS}])[^\W_])+(?:['’](?:(?![{_IDEOGRAPHS}])[^\W_])+)?")
# NFKC spells "½" as "1⁄2": a space before it keeps "6½" from becoming "61".
_FRACTIONS = {c: " " + chr(c) for c in [*range(0xBC, 0xBF), *range(0x2150, 0x2160), 0x2189]}
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


# Snowball stemmers for the scripts whose words they know; other scripts' words are kept whole.
_SCRIPT_STEMMERS = (
    ("\u0400", "\u04ff", "russian"),
    ("\u0370", "\u03ff", "greek"),
    ("\u0600", "\u06ff", "arabic"),
)


@lru_cache(maxsize=8)
def _stemmer(language: str = "english") -> Stemmer.Stemmer:
    return Stemmer.Stemmer(language)


def _language(word: str) -> str | None:
    """The stemmer for a word by its first letter's script: English for Latin, None for a
    script no stemmer knows (the word is kept as it is)."""
    first = word[0]
    if first <= "\u024f" or "\u1e00" <= first <= "\u1eff":  # Latin, with its extended letters
        return "english"
    for low, high, language in _SCRIPT_STEMMERS:
        if low <= first <= high:
            return language
    return None


def stems(kept: list[str]) -> list[str]:
    """Stems of casefolded words, each by the stemmer of its script."""
    if all(w.isascii() for w in kept):
        return list(_stemmer().stemWords(kept))
    found = []
    for word in kept:
        language = _language(word)
        found.append(_stemmer(language).stemWord(word) if language else word)
    return found


def words(text: str) -> list[str]:
    """The words of `text` in any script, NFKC-normalised and casefolded, in order.

    An apostrophe's lowercase tail is dropped ("Russia's", "don't": "russia", "don"); one that
    begins a capitalised word is a word of its own ("O'Brien": "o", "brien").
    """
    found = []
    for match in _WORD.findall(unicodedata.normalize("NFKC", text.translate(_FRACTIONS))):
        head, _, tail = match.replace("’", "'").partition("'")
        found.append(head.casefold())
        if tail and not tail[0].islower():
            found.append(tail.casefold())
    return found


def content_terms(text: str) -> list[str]:
    """Stems of the words that carry meaning, in order, repeats kept."""
    return stems([w for w in words(text) if w not in STOPWORDS])


def question_terms(text: str) -> list[str]:
    """Content stems of a question, without the words that only frame it."""
    return stems([w for w in words(text) if w not in STOPWORDS and w not in FRAMING_WORDS])


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
