"""Questions whose answer is a list ("Which countries signed the accord?", "Who were the three
candidates?", "What roads are closed?"), and the sentences that give one.

A review of such questions (12 articles, 42 answerable) found 9 answered with the list: the
sentence that names the set ("with three players forced off injured") shares more of the
question's words than the one that names its members ("Brandt named three: the 4, the 11 and
the 27.") and led, and a short answer gave one member of the list ("Northgate General and
Bramley Children's Hospital" of three hospitals).
"""

from __future__ import annotations

import re
from collections.abc import Collection
from dataclasses import dataclass
from itertools import pairwise

from assistant.answer.candidates import dateline_end
from assistant.search.lexical import content_terms

# Words after "which"/"what" that are not the plural the question asks for: "What did …",
# "What kind of …", "What share of …".
_NOT_A_MODIFIER = (
    r"(?!(?:did|do|does|is|are|was|were|has|have|had|will|would|can|could|should|happened|happens|kinds?|sorts?"
    r"|types?|share|percentage|proportion|number|amount|part|portion|fraction|else|other\s+than)\b)"
)
# "Which countries signed …?", "What roads did the storm close?", "Which two religions …?": a plural
# noun, followed by what a plural subject or object is followed by (an auxiliary, a past tense);
# "Which company supplies …?" is a verb's -s, not a plural.
_WHICH_PLURAL = re.compile(
    r"^\W*(?i:which|what)\s+(?:(?:of\s+)?(?:the|its|their|his|her|these|those)\s+)?"
    rf"(?:{_NOT_A_MODIFIER}[a-z'-]+\s+){{0,3}}?{_NOT_A_MODIFIER}(?P<noun>[a-z-]+[^s'\s]s)\s+"
    r"(?:did|do|does|are|were|have|had|will|would|could|can|may|might|must|should|[a-z]+ed|bid|won|lost|made|took|got"
    r"|went|came|saw|left|met|fought|held|ran|built|bought|sold|beat|paid|set|put|cut|hit|struck|chose|spent|gave"
    r"|kept|brought|sent|led|said|told|face|remain|need|want|stand|make|take|get)\b",
)
# "Who were the three candidates?", "What are the main demands?", "Name the players who …".
_WHO_WERE = re.compile(r"^\W*(?:(?:who|what)\s+(?:are|were)\s+the|(?:name|list)\s+(?:the|all))\b", re.IGNORECASE)
_NOT_PLURAL = frozenset("news series species bus census status campus virus means".split())


def asks_for_a_list(question: str) -> bool:
    """Whether the question asks for several things of a kind: "Which countries signed the
    accord?", "Who were the candidates?"; not "Which company owns the mine?"."""
    if _WHO_WERE.search(question):
        return True
    found = _WHICH_PLURAL.search(question)
    return found is not None and found["noun"].lower() not in _NOT_PLURAL


# "Who are the three officers who …?", "What are the two integer responses to …?": the plural after "the".
_THE_PLURAL = re.compile(r"^\W*(?:who|what)\s+(?:are|were)\s+the\s+(?:[\w'’-]+\s+){0,3}?(?P<noun>[a-z-]+[^s'\s]s)\b", re.IGNORECASE)


def asked_kind(question: str) -> frozenset[str]:
    """The stems of the plural a list question asks for ("countries" of "Which countries …?",
    "officers" of "Who are the three officers …?"), or none."""
    found = _WHICH_PLURAL.search(question) or _THE_PLURAL.search(question)
    return frozenset(content_terms(found["noun"])) if found is not None else frozenset()


@dataclass(frozen=True)
class Listed:
    """Where a sentence lists several things: its span, and the items'."""

    start: int
    end: int
    items: tuple[tuple[int, int], ...]


# The words a subordinate clause opens with.
_SUBORDINATING = "as|when|while|after|before|although|though|if|because"
# A clause, not an item: "…, who took office in May, …", "…, said the mayor", "…, including …".
_CLAUSE_OPENS = re.compile(
    rf"^(?:but|who|whom|whose|which|that|where|{_SUBORDINATING}|so|yet|said|says|told|according|including|with"
    r"|[a-z]+ing)\b",
    re.IGNORECASE,
)
# A subordinate clause that opens a sentence, before its subject: "As France presides over …,".
_OPENS_A_CLAUSE = re.compile(rf"(?:{_SUBORDINATING}|since|once|until|unless)\b", re.IGNORECASE)

# Where the last item ends: "A, B and C were closed", "A, B and C, the union said".
_ITEM_ENDS = re.compile(r"\s+(?:were|was|are|is|have|has|had|will|would|could|said|says|who|which|that|to)\b|[.!?\"”]+$")
_JOINED = re.compile(r"\s+(?:and|or)\s+")
MAX_ITEM_WORDS = 8
MAX_SEMICOLON_ITEM_WORDS = 16


def list_in(sentence: str, asked: Collection[str] = ()) -> Listed | None:
    """The first list the sentence gives, as news writes one ("St. Agnes Hospital, Northgate
    General and Bramley Children's Hospital", "the 4, the 11 and the 27", "Amara Nwosu, a
    chemist; Jonas Lindqvist, a physicist; and Mei Tanaka"): items parted by commas or
    semicolons, the last after "and" or "or", each after the first a few words and no clause;
    three or more, or two names ("Oslo and Bergen"); not one whose items are all the question's
    words (`asked`: its stems)."""
    begin = dateline_end(sentence)
    run: list[tuple[int, int]] = []
    for a, b in _parts(sentence, begin):
        text = sentence[a:b]
        if sentence[:a].rstrip().endswith(":"):  # "Brandt named three: the 4, …"
            run = []
        if run and (joined := re.match(r"(?:and|or)\s+", text)):  # "…, and C"
            last = _item_end(sentence, a + joined.end(), b)
            found = _listed(sentence, [*run, last], asked)
            if found is not None:
                return found
            run = [(a, b)]
            continue
        inner = _JOINED.search(text)
        if run and inner is not None and _short(text[: inner.start()], MAX_SEMICOLON_ITEM_WORDS):  # "…, B and C"
            last = _item_end(sentence, a + inner.end(), b)
            found = _listed(sentence, [*run, (a, a + inner.start()), last], asked)
            if found is not None:
                return found
        if inner is not None and not run and not _OPENS_A_CLAUSE.match(text):  # "Oslo and Bergen"
            found = _listed(sentence, [_first_item(sentence, a, a + inner.start()), _item_end(sentence, a + inner.end(), b)], asked)
            if found is not None:
                return found
        longest = MAX_SEMICOLON_ITEM_WORDS if sentence[:a].rstrip().endswith(";") else MAX_ITEM_WORDS
        if not run and _OPENS_A_CLAUSE.match(text):  # "As France presides over …, Macron and Putin agreed"
            continue
        run = [*run, (a, b)] if run and _short(text, longest) else [(a, b)]
    return None


# A name: capitalised words and the small words within one ("Bank of England", "Juan de la Cruz").
_A_NAME = re.compile(r"(?:the\s+)?[A-Z][\w'’.-]*(?:\s+(?:(?:of|de|la|del|da|van|von|the|and|&)\s+)*[A-Z0-9][\w'’.-]*)*")

# What parts a list's items: a comma (not of "9,000"), a semicolon or a colon.
_PARTED = re.compile(r"[;:]|,(?!\d{3}\b)")


def _parts(sentence: str, begin: int) -> list[tuple[int, int]]:
    """The parts of a sentence between its commas, semicolons and colons, from `begin`, each
    without the spaces around it."""
    bounds = [begin, *(m.start() for m in _PARTED.finditer(sentence, begin)), len(sentence)]
    parts = []
    for a, b in pairwise(bounds):
        a += 1 if a > begin else 0
        text = sentence[a:b]
        a, b = a + len(text) - len(text.lstrip()), b - (len(text) - len(text.rstrip()))
        if b > a:
            parts.append((a, b))
    return parts


def _short(text: str, longest: int = MAX_ITEM_WORDS) -> bool:
    text = text.strip()
    return 0 < len(text.split()) <= longest and not _CLAUSE_OPENS.match(text)


def _item_end(sentence: str, a: int, b: int) -> tuple[int, int]:
    ends = _ITEM_ENDS.search(sentence, a, b)
    return (a, ends.start() if ends else b)


def _first_item(sentence: str, a: int, b: int) -> tuple[int, int]:
    """The last words of a clause that a list begins in: "The walkout would affect St. Agnes
    Hospital" begins with "St. Agnes Hospital" (its capitalised run), else the whole part."""
    names = list(re.finditer(r"(?:[A-Z][\w'’.-]*\s+)*[A-Z][\w'’.-]*$", sentence[a:b].rstrip()))
    return (a + names[-1].start(), b) if names else (a, b)


def _listed(sentence: str, items: list[tuple[int, int]], asked: Collection[str]) -> Listed | None:
    # items parted by semicolons may be longer: "a reduction in the number of late buses from six to two;"
    longest = MAX_SEMICOLON_ITEM_WORDS if ";" in sentence[items[0][1] : items[-1][0]] else MAX_ITEM_WORDS
    if not all(_short(sentence[a:b], longest) for a, b in items[1:]):
        return None
    items = [_first_item(sentence, *items[0]), *items[1:]]  # "The walkout would affect St. Agnes Hospital"
    named = [bool(_A_NAME.fullmatch(sentence[a:b].strip(" ."))) for a, b in items]
    alike = next((i for i in range(len(named) - 1, -1, -1) if named[i] != named[-1]), -1) + 1
    if len(items) - alike >= 2:  # "under two Italian abbots, William of Volpiano and John of Ravenna": the names
        items = items[alike:]
    if len(items) == 2 and not all(_A_NAME.fullmatch(sentence[a:b].strip(" .")) for a, b in items):
        return None  # "A and B" is a list of two names only
    if all(frozenset(content_terms(sentence[a:b])) <= frozenset(asked) for a, b in items):
        return None  # the question's own words
    return Listed(items[0][0], items[-1][1], tuple(items))



# "60 repair crews", "a panel of three judges", "Two of the world's largest container carriers",
# "several companies": a count of a set.
_COUNTED = re.compile(
    r"\b(?:\d[\d,]*|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|several|both|dozens|hundreds)"
    r"(?:\s+of\s+(?:the|its|their|his|her)\b[\w'’\s-]{0,40}?|\s+[\w'’-]+){1,3}",
    re.IGNORECASE,
)


def counts_unnamed(sentence: str, kind: Collection[str], asked: Collection[str]) -> bool:
    """Whether the sentence counts a set of the kind asked for and names none of it: "It has
    brought in 60 repair crews from neighbouring states." of which states they came from, "…
    will go to an arbitration panel of three judges." of who the judges are. It gives no list
    (`list_in`) and no name the question does not (`asked`: its stems)."""
    if not kind or _COUNTED.search(sentence) is None or not frozenset(kind) <= frozenset(content_terms(sentence)):
        return False
    return list_in(sentence, asked) is None and not names_beyond(sentence, asked)


def names_beyond(sentence: str, asked: Collection[str]) -> bool:
    """Whether the sentence names someone or something (capitalised words after its first word
    and its dateline) that the question does not (`asked`: its stems)."""
    begin = dateline_end(sentence)
    first = re.match(r"\W*[\w'’.-]+", sentence[begin:])
    after = begin + (first.end() if first else 0)
    named = re.finditer(r"(?<![\w'’.-])[A-Z][\w'’.-]*(?:\s+(?:of\s+|de\s+|the\s+)?[A-Z][\w'’.-]*)*", sentence[after:])
    return any(frozenset(content_terms(m.group())) - frozenset(asked) for m in named)
