"""The names a question asks about that the articles an answer would cite never mention.

"What was agreed at the accord's review meeting in Hanoi?", answered from articles about an
accord signed in Vientiane that never name Hanoi, is the near miss of news search: the same
story, another fact. The sentences the reader picks cover most of the question's words, so
their probability can be high; but a place, person or body the question names that appears
nowhere in the articles those sentences come from is a fact they do not report. The answer then
refuses, and says which name it did not find.

What counts as a name, and as mentioned (derived on the constructed news's training stories and
the SQuAD training articles, never on an eval set):

- a word written with a capital after the question's first word ("Hanoi", "World Bank"), each
  part of a hyphenated one; not a word that only frames the question, a month or a weekday
  (dates are read elsewhere), a single letter or a word with digits ("Philip I", "T1"), nor a
  title before a name ("Prince" of "Prince Andrew": the articles may write "Andrew");
- an adjective of a people or a language ("Irish", "Chinese", "French", "Swiss", "Greek") is
  not looked for: askers add them as context ("What Irish cities had Huguenot mayors?");
- a word is mentioned where an article holds its stem, or a word that begins with it or with
  which it begins, of four letters or more ("Vietnamese": "Vietnam"; "Iraq": "Iraqi");
- an acronym is mentioned where an article holds it (also with dots: "U.S.") or words whose
  initials spell it ("EU": "European Union"; "CFO": "chief financial officer"), and a run of
  capitalised words where an article holds an acronym that begins with their initials ("European
  Union": "EU"; "United States": "USA"); a run written as one word is mentioned too ("Sky
  Drive": "SkyDrive"), and so is a word spelt a little otherwise ("Center": "Centre");
- letters are compared without their accents ("Gospic": "Gospić");
- a name no article of the index uses at all is missing too: on the development sets such names
  were near misses ("What did UNESCO say about the tram?" of a city's articles that never name
  UNESCO: 36 of the constructed news's, none of its answerable questions) or misspellings too
  far from the article's word to be read as one ("Tom" for "Tomb"); the refusal names the word,
  so the asker knows what to write otherwise; a name and the others of its group in
  corroboration.ALIASES mention each other ("Kyiv", "Kiev", "Ukraine"; "Kremlin", "Russia");
- a yes-or-no question's names, every one, are looked for in the passages its answer would state
  (synthesis.py, `UNSTATED_CONFIDENCE`): what they say of others does not settle its claim;
- a number the question writes in digits ("the 2038 Winter Games", "contracts above $250,000")
  is mentioned where an article writes it in digits or in words, in its date ("in 2024" of an
  article of 2024 that says "this year"), as a year's last two digits ("1973-74" for 1974), or as
  a Roman numeral ("Super Bowl LI" for 51, "Grade I" for 1).
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_left
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from difflib import get_close_matches
from functools import cached_property

from assistant.answer.corroboration import ALIASES, Reading
from assistant.dates import WEEKDAYS, month_names
from assistant.search.lexical import FRAMING_WORDS, STOPWORDS, Vocabulary, stems, words

_TOKEN = re.compile(r"[^\W_][\w'’\-]*")
_MONTHS = frozenset(month_names(month)[0] for month in range(1, 13))  # written out: "Jan" may be a name
_NOT_NAMES = STOPWORDS | FRAMING_WORDS | _MONTHS | frozenset(WEEKDAYS)
_OF_A_PEOPLE = re.compile(r"(?:ish|ese|ch|ss|ek)$")  # Irish, Chinese, French, Swiss, Greek
_ACRONYM = re.compile(r"^[A-Z]{2,6}$")
_JOINING = r"(?:(?:of|the|and|for|on|&)\s+)*"  # "Food and Agriculture Organization": FAO
# A title before a name ("Prince Andrew", "President Biden", "Sen. Warren") is how the asker
# addresses the person, not a name the articles must repeat: "the royal Andrew" is the same man.
_TITLES = frozenset(
    """mr mrs ms miss dr sir dame lord lady prince princess king queen emperor empress president
    vice premier chancellor senator sen representative rep congressman congresswoman governor gov
    mayor pope cardinal bishop archbishop rabbi imam general gen colonel col captain capt admiral
    sergeant sgt lieutenant lt judge justice secretary minister ambassador professor prof coach
    sheikh""".split()
)
MIN_PREFIX = 4
CLOSE_SPELLING = 0.85  # difflib ratio: "centre" and "center" are 0.91 (by stem)
# A name no article of the index uses is a misspelling more often than a name spelt otherwise, and
# is looked for more loosely. On the development sets the near misses' names no article uses
# were at most 0.75 from the closest word of the articles the answer would cite (the constructed
# news's training stories: 36 names, "Gates": "rate", "Peru": "oper"); of the 38 misspelt or
# run-together names of five letters or more in the SQuAD training articles' questions, 35 were
# 0.80 or more from their article's word ("Mnafeld": "Mansfeld", 2 of them under CLOSE_SPELLING),
# 3 at 0.71-0.77 ("Superbowl"): a cutoff between the two (2026-12-05).
CLOSE_SPELLING_UNSEEN = 0.78
CLOSE_MIN_LETTERS = 5
_PLURAL_ACRONYM = re.compile(r"^[A-Z]{2,6}s$")  # "MVPs", "TDs"


@dataclass(frozen=True)
class AskedName:
    word: str  # as the question writes it
    run: tuple[str, ...]  # the capitalised words it stands among ("European", "Union")


def asked_names(question: str) -> list[AskedName]:
    """The words of `question` that name something, in order (see the module's rules)."""
    tokens = list(_TOKEN.finditer(question))
    runs: list[list[str]] = []  # capitalised words one space apart, after the first word
    previous = -2  # the index of the last capitalised word
    for i, token in enumerate(tokens):
        if i == 0 or not token.group()[0].isupper():
            continue
        if previous == i - 1 and question[tokens[i - 1].end() : token.start()] == " ":
            runs[-1].append(token.group())
        else:
            runs.append([token.group()])
        previous = i
    found: list[AskedName] = []
    for run in runs:
        for n, word in enumerate(run):
            if n + 1 < len(run) and word.rstrip(".").lower() in _TITLES:
                continue  # "Prince" of "Prince Andrew"
            for part in re.sub(r"['’].*$", "", word).split("-"):
                if len(part) < 2 or not part[0].isupper() or any(c.isdigit() for c in part):
                    continue
                if part.lower() in _NOT_NAMES or (not _ACRONYM.match(part) and _OF_A_PEOPLE.search(part.lower())):
                    continue
                found.append(AskedName(part, tuple(re.sub(r"['’]s$", "", w) for w in run)))
    return found


class ArticleWords:
    """What an article's text holds, for telling whether it mentions a name."""

    def __init__(self, text: str) -> None:
        found = set(stems(words(text)))
        if not text.isascii():
            found.update(stems(words(unaccented(text))))
        self.stems = sorted(found)
        self._stem_set = frozenset(self.stems)
        dotted = (m.replace(".", "") for m in re.findall(r"\b(?:[A-Z]\.){2,6}", text))  # U.S., U.K.
        plural = re.findall(r"\b([A-Z]{2,6})s\b", text)  # MVPs, CEOs
        self.acronyms = frozenset(re.findall(r"\b[A-Z]{2,6}\b", text)) | frozenset(dotted) | frozenset(plural)
        self.folded = text.casefold()
        self._text = text

    @cached_property
    def numbers(self) -> frozenset[str]:
        return written_numbers(self._text)

    def has_stem(self, stem: str) -> bool:
        if stem in self._stem_set:
            return True
        if len(stem) < MIN_PREFIX:
            return False
        at = bisect_left(self.stems, stem)  # a word that begins with it
        if at < len(self.stems) and self.stems[at].startswith(stem):
            return True
        return any(stem[:k] in self._stem_set for k in range(MIN_PREFIX, len(stem)))  # one it begins with

    def has_close(self, stem: str, cutoff: float = CLOSE_SPELLING) -> bool:
        """A stem spelt a little otherwise ("centre": "center"; "zelenskyy": "zelensky")."""
        return len(stem) >= CLOSE_MIN_LETTERS and bool(get_close_matches(stem, self.stems, n=1, cutoff=cutoff))

    def has_joined(self, name: AskedName) -> bool:
        """The name written as one word with its neighbour in the run ("Sky Drive": "SkyDrive")."""
        run = name.run
        pairs = [run[i : i + 2] for i in range(len(run) - 1) if name.word in run[i : i + 2]]
        return any(sep.join(pair).casefold() in self.folded for pair in pairs for sep in ("", "-"))

    def has_acronym(self, initials: str) -> bool:
        """An acronym that begins with these initials ("United States": "US", "USA")."""
        return any(acronym.startswith(initials) for acronym in self.acronyms)

    def spells(self, acronym: str) -> bool:
        """Words whose initials spell `acronym`, in any case."""
        letters = [re.escape(c) for c in acronym.casefold()]
        pattern = r"\b" + (r"\w*\s+" + _JOINING).join(letters) + r"\w*"
        return re.search(pattern, self.folded) is not None


# Letters that are not a letter and an accent, written without one as English writes them.
_UNACCENTED = str.maketrans(
    {"ø": "o", "Ø": "O", "ł": "l", "Ł": "L", "đ": "d", "Đ": "D", "æ": "ae", "Æ": "Ae"}
    | {"œ": "oe", "Œ": "Oe", "ı": "i", "þ": "th", "Þ": "Th", "ß": "ss"}
)


_DIGITS = re.compile(r"\d+(?:[.,]\d+)*")
_ROMAN = re.compile(r"M{0,3}(?:C[MD]|D?C{0,3})(?:X[CL]|L?X{0,3})(?:I[XV]|V?I{0,3})")
_WORD_BEFORE = re.compile(r"(\S+)\s+$")
_ROMAN_VALUES = {"M": 1000, "D": 500, "C": 100, "L": 50, "X": 10, "V": 5, "I": 1}


def _roman(numeral: str) -> int:
    values = [_ROMAN_VALUES[c] for c in numeral]
    return sum(-v if i + 1 < len(values) and v < values[i + 1] else v for i, v in enumerate(values))


def written_numbers(text: str) -> frozenset[str]:
    """The numbers `text` writes: in digits (without thousands commas, each part of "2022-01-28"
    and "1973-74" too, without leading zeros), in words ("three": "3") and as Roman numerals of
    two letters or more, or of one after a capitalised word ("Grade I")."""
    numbers = set(Reading.of(text).numbers)
    for number in list(numbers):
        numbers.update(part.lstrip("0") or "0" for part in re.split(r"[-./–]", number) if part)
    for token in re.finditer(r"\b[MDCLXVI]+\b", text):
        numeral = token.group()
        if not _ROMAN.fullmatch(numeral):
            continue
        before = _WORD_BEFORE.search(text[max(0, token.start() - 30) : token.start()])
        word = before.group(1) if before else ""
        after_a_name = word.istitle() and word.isalpha() and word.casefold() not in STOPWORDS
        if len(numeral) > 1 or after_a_name:
            numbers.add(str(_roman(numeral)))
    return frozenset(numbers)


def asked_numbers(question: str) -> list[str]:
    """The numbers `question` writes in digits, in order, without thousands commas or leading
    zeros."""
    found = (m.group().replace(",", "").rstrip(".") for m in _DIGITS.finditer(question))
    return list(dict.fromkeys(n.lstrip("0") or "0" for n in found))


def unmentioned_numbers(numbers: Sequence[str], articles: Iterable[ArticleWords]) -> list[str]:
    """The numbers that none of `articles` writes (`written_numbers`); a year also counts where
    an article writes its last two digits ("1973-74")."""
    read = list(articles)

    def written(number: str) -> bool:
        short = number[2:].lstrip("0") if len(number) == 4 and number.isdigit() else None
        return any(number in a.numbers or (short is not None and short in a.numbers) for a in read)

    return [n for n in numbers if not written(n)]


def unaccented(text: str) -> str:
    """`text` without the accents of its letters ("Gospić": "Gospic", "Ørsted": "Orsted")."""
    decomposed = unicodedata.normalize("NFKD", text.translate(_UNACCENTED))
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def _mentioned(name: AskedName, read: Sequence[ArticleWords], vocabulary: Vocabulary | None) -> bool:
    """Whether any of `read` mentions the name (the module's rules)."""
    word = unaccented(name.word)
    if _PLURAL_ACRONYM.match(word):
        word = word[:-1]
    if _ACRONYM.match(word):
        return any(word in a.acronyms or a.spells(word) for a in read)
    initials = "".join(w[0] for w in name.run)
    if len(name.run) > 1 and any(a.has_acronym(initials) for a in read):
        return True
    stem = stems(words(word))
    if not stem:
        return True
    written = stems(words(name.word))  # as the question writes it: the index keeps the accents
    unseen = vocabulary is not None and not any(vocabulary.seen(w[0]) for w in (stem, written) if w)
    cutoff = CLOSE_SPELLING_UNSEEN if unseen else CLOSE_SPELLING
    if any(a.has_stem(stem[0]) or a.has_joined(name) or a.has_close(stem[0], cutoff) for a in read):
        return True
    others = [alias for group in ALIASES if word.casefold() in group for alias in group]
    return any(re.search(rf"\b{re.escape(alias)}\b", a.folded) for alias in others for a in read)


def unmentioned(
    names: Sequence[AskedName], articles: Iterable[ArticleWords], vocabulary: Vocabulary | None = None
) -> list[str]:
    """The names that none of `articles` mentions, each as the question writes the words it
    stands among ("World Series"); with the index's `vocabulary`, a name it never uses is looked
    for at CLOSE_SPELLING_UNSEEN."""
    read = list(articles)
    return list(dict.fromkeys(" ".join(n.run) for n in names if not _mentioned(n, read, vocabulary)))

