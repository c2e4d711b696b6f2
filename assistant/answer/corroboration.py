"""Sentences of different articles that report one claim, found by meaning.

Two outlets rarely word a statement alike: "Putin told Macron that the United States and NATO
... ignored the issue of the principle of indivisibility of security" (Korrespondent.net) and
"a key concept was also ignored in the responses, namely the 'indivisibility of security'"
(Xinhua) share few words, but their all-MiniLM-L6-v2 sentence embeddings are close. Closeness
alone also joins sentences that differ in the one thing that matters ("rose 5%" and "fell 5%",
"on Tuesday" and "on Friday", "Lagarde said" and "Nagel said"), so two sentences report the
same claim only when:

1. they are of different articles, not published on different days;
2. they mean the same: the cosine of their embeddings, plus OVERLAP_WEIGHT times the share of
   the sparser one's stems found in the other, is at least SAME_CLAIM_CLOSENESS (both chosen on
   the calibration part of benchmarks/data/corroboration_pairs.jsonl; benchmarks/corroboration.py
   measures them on the held-out part), or they share most words (the rule this one extends:
   SAME_STATEMENT_OVERLAP of the sparser one's stems and SAME_STATEMENT_JACCARD of all);
3. nothing they state disagrees (`disagreement`): the numbers of one are among the other's
   (one may say less, not something else); they name no different month, weekday or year;
   both or neither are negative ("not", "never", "failed", "ignored", "rejected" ...); neither
   says up where the other says down ("rose"/"fell", "raised"/"cut") or won where the other
   lost; and no name of one stands where the other has another name ("Lagarde said" /
   "Nagel said": a name of each that the other lacks, with the same word beside it).

Embeddings are computed at ask time for the few sentences that could merge with a statement
(those sharing at least MIN_SHARED_TERMS stems and MIN_WORD_OVERLAP of the sparser one's with
it, at most MAX_EMBEDDED per answer) and cached by text, so a sentence is embedded once per
process.
"""

from __future__ import annotations

import re
from collections import OrderedDict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from difflib import SequenceMatcher

import numpy as np

from assistant.dates import MONTHS, WEEKDAY
from assistant.search.lexical import STOPWORDS, content_terms

# Closeness = cosine + OVERLAP_WEIGHT * the share of the sparser sentence's stems in the other;
# both numbers chosen on the calibration pairs by benchmarks/corroboration.py.
SAME_CLAIM_CLOSENESS = 0.99
OVERLAP_WEIGHT = 0.5
SAME_STATEMENT_OVERLAP = 0.7
SAME_STATEMENT_JACCARD = 0.35
# A sentence is embedded for a statement only when they share at least MIN_SHARED_TERMS stems and
# MIN_WORD_OVERLAP of the sparser one's: every calibration pair the setting merges shares 0.29
# or more, so the answer skips embeddings that could not merge (and stays fast).
MIN_SHARED_TERMS = 2
MIN_WORD_OVERLAP = 0.25
MAX_EMBEDDED = 8  # sentences embedded for one answer, best first
CACHE_SIZE = 4096

Embed = Callable[[Sequence[str]], np.ndarray]

NUMBER_WORDS = {
    w: str(n)
    for n, w in enumerate(
        "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen "
        "sixteen seventeen eighteen nineteen twenty".split()
    )
}
NUMBER_WORDS.update(
    {"thirty": "30", "forty": "40", "fifty": "50", "sixty": "60", "seventy": "70", "eighty": "80", "ninety": "90"}
)
DIGITS = re.compile(r"\d+(?:[.,]\d+)*")  # a number in digits, its thousands commas and decimals too
NEGATIVE_WORDS = frozenset(
    """not no never neither nor none nothing nobody cannot without lack lacked lacking lacks absence
    absent fail failed fails failing failure refuse refused refuses refusal reject rejected rejects
    rejection deny denied denies ignore ignored ignores ignoring""".split()
)
# Words that say which way something went; a sentence of one side and one of the other disagree.
# ("add" but not "added" or "adds", which report speech: "he added".)
UP_WORDS = frozenset(
    """rise rises rising rose risen raise raised raises raising increase increased increases
    increasing climb climbed climbs gain gained gains grow grew grown grows jump jumped jumps soar
    soared soars lift lifted lifts hike hiked hikes higher add""".split()
)
DOWN_WORDS = frozenset(
    """fall falls falling fell fallen drop dropped drops decline declined declines decrease
    decreased decreases cut cuts cutting lower lowered lowers reduce reduced reduces reducing slump
    slumped plunge plunged shed sheds""".split()
)
WON_WORDS = frozenset("win wins won winning victory victorious".split())
LOST_WORDS = frozenset("lose loses lost losing defeat defeated conceded concede concedes".split())
_POLES = ((UP_WORDS, DOWN_WORDS), (WON_WORDS, LOST_WORDS))
_TOKEN = re.compile(r"[^\W_]+(?:['’.-][^\W_]+)*")
_WEAK_NEIGHBOURS = frozenset({"the", "a", "an", "and", "of", "or", ""})
# Names that news text uses for one another.
ALIASES = (
    ("united states", "us", "u.s", "usa", "america", "american", "americans", "washington"),
    ("united kingdom", "uk", "britain", "british", "london"),
    ("russia", "russian", "russians", "moscow", "kremlin"),
    ("ukraine", "ukrainian", "ukrainians", "kyiv", "kiev"),
    ("france", "french", "paris"),
    ("european union", "eu", "brussels"),
)


@dataclass(frozen=True)
class Reading:
    """What of a sentence the disagreement checks look at."""

    numbers: frozenset[str]
    months: frozenset[int]
    weekdays: frozenset[str]
    negative: bool
    poles: tuple[frozenset[str], ...]  # per pair of _POLES: "a" (first side), "b", both or none
    names: tuple[tuple[str, str, str], ...]  # (name key, word before, word after)

    @classmethod
    def of(cls, text: str) -> Reading:
        lowered = [w.lower() for w in _TOKEN.findall(text)]
        numbers = set(digit_numbers(text))
        numbers |= {NUMBER_WORDS[part] for w in lowered for part in w.split("-") if part in NUMBER_WORDS}
        months = {MONTHS[w] for w in lowered if w in MONTHS and len(w) > 3 and w != "march"}
        months |= {MONTHS[w.lower()] for w in _TOKEN.findall(text) if w in ("March", "May")}
        poles = tuple(
            frozenset(side for side, vocabulary in (("a", first), ("b", second)) if vocabulary & set(lowered))
            for first, second in _POLES
        )
        return cls(
            numbers=frozenset(numbers),
            months=frozenset(months),
            weekdays=frozenset(m.group().lower()[:3] for m in WEEKDAY.finditer(text) if m.group()[0].isupper()),
            negative=any(w in NEGATIVE_WORDS or w.endswith("n't") for w in lowered),
            poles=poles,
            names=_names(text),
        )


def digit_numbers(text: str) -> frozenset[str]:
    """The numbers the text writes in digits, without thousands commas ("100,000": "100000")."""
    return frozenset(m.group().replace(",", "").rstrip(".") for m in DIGITS.finditer(text))


def _alias(word: str) -> str:
    """One key for the names of one thing: "kiev" and "kyiv" are "ukraine"; a compound's parts
    in order ("russian-french" is "french-russian")."""
    if "-" in word:
        return "-".join(sorted(_alias(part) for part in word.split("-")))
    for group in ALIASES:
        if word in group:
            return group[0]
    return word


def _names(text: str) -> tuple[tuple[str, str, str], ...]:
    """Each capitalised word, with its neighbours (lowercased); the sentence's first word too
    ("Scania reported ..."), unless it is a stopword ("The", "In")."""
    tokens = _TOKEN.findall(text.replace("U.S.", "US"))
    found = []
    for i, token in enumerate(tokens):
        if not token[0].isupper() or token.lower() in STOPWORDS:
            continue
        before = tokens[i - 1].lower() if i > 0 else ""
        after = tokens[i + 1].lower() if i + 1 < len(tokens) else ""
        found.append((_alias(token.lower()), before, after))
    return tuple(found)


def _name_matches(name: str, others: Iterable[str]) -> bool:
    """Same word, one a prefix of the other ("Chile"/"Chilean") of at least four letters, or
    one misspelt ("Vladmir"/"Vladimir")."""
    return any(
        name == other
        or (min(len(name), len(other)) >= 4 and (name.startswith(other) or other.startswith(name)))
        or (min(len(name), len(other)) >= 5 and _similar(name, other))
        for other in others
    )


def _similar(a: str, b: str) -> bool:
    """difflib's ratio of at least 0.85; its cheap upper bounds rule out most pairs first."""
    matcher = SequenceMatcher(None, a, b)
    return matcher.real_quick_ratio() >= 0.85 and matcher.quick_ratio() >= 0.85 and matcher.ratio() >= 0.85


def _swapped_name(a: Reading, b: Reading) -> bool:
    """A name of each sentence that the other lacks, standing beside the same word."""
    keys_a, keys_b = [n for n, _, _ in a.names], [n for n, _, _ in b.names]
    only_a = [n for n in a.names if not _name_matches(n[0], keys_b)]
    only_b = [n for n in b.names if not _name_matches(n[0], keys_a)]
    for _, before_a, after_a in only_a:
        for _, before_b, after_b in only_b:
            if (before_a == before_b and before_a not in _WEAK_NEIGHBOURS) or (
                after_a == after_b and after_a not in _WEAK_NEIGHBOURS
            ):
                return True
    return False


def disagreement(a: str, b: str) -> str | None:
    """Why two sentences cannot report one claim, or None when nothing they state disagrees."""
    ra, rb = Reading.of(a), Reading.of(b)
    if not (ra.numbers <= rb.numbers or rb.numbers <= ra.numbers):
        return "numbers differ"
    if ra.months and rb.months and not (ra.months & rb.months):
        return "months differ"
    if ra.weekdays and rb.weekdays and not (ra.weekdays & rb.weekdays):
        return "weekdays differ"
    if ra.negative != rb.negative:
        return "one is negative"
    for pole_a, pole_b in zip(ra.poles, rb.poles):
        if len(pole_a) == 1 and len(pole_b) == 1 and pole_a != pole_b:
            return "opposite directions"
    if _swapped_name(ra, rb):
        return "another name in the same place"
    return None


def word_overlap(a: frozenset[str], b: frozenset[str]) -> tuple[float, float]:
    """Share of the sparser one's stems found in the other, and Jaccard."""
    if not a or not b:
        return 0.0, 0.0
    shared = len(a & b)
    return shared / min(len(a), len(b)), shared / len(a | b)


def same_words(a: frozenset[str], b: frozenset[str]) -> bool:
    overlap, jaccard = word_overlap(a, b)
    return overlap >= SAME_STATEMENT_OVERLAP and jaccard >= SAME_STATEMENT_JACCARD


def closeness(cosine: float, terms_a: frozenset[str], terms_b: frozenset[str], weight: float = OVERLAP_WEIGHT) -> float:
    """The cosine of two sentences' embeddings, raised by the words they share: in a cluster of
    reports of one event every sentence is close in meaning to every other, and what tells one
    claim from the next is mostly the particular words it is made of."""
    return cosine + weight * word_overlap(terms_a, terms_b)[0]


def same_claim(
    a: str,
    b: str,
    cosine: float | None,
    terms_a: frozenset[str] | None = None,
    terms_b: frozenset[str] | None = None,
    threshold: float = SAME_CLAIM_CLOSENESS,
    weight: float = OVERLAP_WEIGHT,
) -> bool:
    """Whether two sentences (of different articles of one day) report one claim: close in
    meaning and words, or sharing most words, and nothing they state disagrees. `cosine` None:
    not embedded (only the word rule applies)."""
    terms_a = frozenset(content_terms(a)) if terms_a is None else terms_a
    terms_b = frozenset(content_terms(b)) if terms_b is None else terms_b
    close = same_words(terms_a, terms_b) or (
        cosine is not None
        and worth_embedding(terms_a, terms_b)
        and closeness(cosine, terms_a, terms_b, weight) >= threshold
    )
    return close and disagreement(a, b) is None


def worth_embedding(terms_a: frozenset[str], terms_b: frozenset[str]) -> bool:
    """Whether two sentences share enough words to be compared by meaning at all (the answer
    embeds only those, to stay fast)."""
    return len(terms_a & terms_b) >= MIN_SHARED_TERMS and word_overlap(terms_a, terms_b)[0] >= MIN_WORD_OVERLAP


class SentenceVectors:
    """MiniLM sentence embeddings, cached by text (least recently used out first)."""

    def __init__(self, embed: Embed, size: int = CACHE_SIZE) -> None:
        self._embed = embed
        self._size = size
        self._cache: OrderedDict[str, np.ndarray] = OrderedDict()

    def vectors(self, texts: Sequence[str]) -> dict[str, np.ndarray]:
        """The vector of each text, embedding in one batch those not cached."""
        missing = list(dict.fromkeys(t for t in texts if t not in self._cache))
        if missing:
            for text, vector in zip(missing, self._embed(missing)):
                self._cache[text] = vector
        found = {}
        for text in texts:
            self._cache.move_to_end(text)
            found[text] = self._cache[text]
        while len(self._cache) > self._size:
            self._cache.popitem(last=False)
        return found
