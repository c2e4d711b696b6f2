"""A question as people type it, read as if written out: before it is searched or read.

Found by reviews that asked the sample and development questions as people type them
(2026-12-05):
- the words of a chat around it ("hey, …", "… thanks!") are no part of it: left in, "Hey" was
  taken for its first word's place ("hey, Roughly how many …": "Roughly" a name) and "hey, Did …"
  for no yes-or-no question;
- a typo of a common word ("ingored", "univresity") is the word the index holds spelt one edit
  otherwise, written so in the question the search, the reader and the checks all read. Only in a
  question written with capitals, and never in a word it capitalises past its first: a name is
  looked for as written ("Zelenska" is not "Zelensky"), and in a question typed without any
  capital, or in capitals only, nothing tells a name ("drava") from a typo ("drama");
- a name no article uses may be its country's or its people's word that they do use ("Iran" of
  articles that write "the Iranian nuclear program", "Israeli" of ones that write "Israel",
  "France" of "French"): it is read as that word, the one most chunks hold (2026-12-06);
- a word no article of the index uses, which the answer refuses for, may be a typo the rules
  above leave (a name: "Putn"): the refusal then asks whether the asker meant the word of the
  passages read that is spelt nearest (`nearest_spellings`), so the next try is a retype away.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from difflib import get_close_matches

from assistant.answer.named import PEOPLE_OF, without_own_capitals
from assistant.search.background import rarity
from assistant.search.lexical import FRAMING_WORDS, STOPWORDS, Vocabulary, one_edit, stems

_CHAT_BEFORE = re.compile(
    r"^\s*(?:(?:hey|hi|hello|ok|okay|so|um+|uh+|please|pls|plz|quick question)\b[\s,!.:;-]*)+", re.IGNORECASE
)
_CHAT_AFTER = re.compile(r"[\s,;-]*\b(?:thanks?(?: you)?|thx|ty|please|pls|plz)\b[\s!.]*$", re.IGNORECASE)
# A word in any alphabet ("dernière", "Süddeutsche" whole: "[A-Za-z]+" cut them at the accent and
# "corrected" the piece, "derni" to "deni", "Südeutsche").
_WORD = re.compile(r"[^\W\d_]+")
# A word of 5 to 20 letters rarer in English than one word in ten million (`background.rarity`:
# "ingor" of "ingored", "dicuss", 7.5-8.5; "tower", "plane", "sweden" 4-5) that no chunk holds is
# a typo of the common word (more common than one in a million: "ignored" 4.1, "university" 3.9)
# one edit from it whose stem the index holds, the one most chunks hold. A word of English the
# index lacks stays a word the articles do not use.
MISSPELT_LETTERS = (5, 20)
# How near a word of the passages must be spelt to be offered for one no article uses (difflib's
# ratio: "putn": "putin" 0.89, "maccron": "macron" 0.92; "hanoi": "hue" 0.5).
SUGGESTED_SPELLING = 0.8
MISSPELT_MIN_RARITY = 7.0
CORRECTED_MAX_RARITY = 6.0


def without_chat(question: str) -> str:
    """The question without the words of a chat before and after it; as it is if nothing else is left."""
    inner = _CHAT_AFTER.sub("", _CHAT_BEFORE.sub("", question)).strip()
    return inner if any(ch.isalnum() for ch in inner) else question


def spelt_as_indexed(question: str, vocabulary: Vocabulary) -> str:
    """The question with each typo of a common word written as the index's word, and each name no
    article uses written as its country's or people's word that articles do use (module docstring)."""
    if without_own_capitals(question):
        return question  # nothing tells a name from a typo
    return _WORD.sub(lambda m: _spelling(m.group(), m.start() == 0, vocabulary, _in_a_longer_name(question, m)), question)


def _in_a_longer_name(question: str, word: re.Match[str]) -> bool:
    """Whether the word is one of a name of several capitalised words ("Celje Castle", "Coppa
    Italia"): none of them is a country's."""
    before = re.search(r"([^\W\d_]+)\W*$", question[: word.start()])
    after = re.match(r"\W*([^\W\d_]+)", question[word.end() :])
    return bool(
        (before and before.group(1)[0].isupper() and before.start(1) > 0) or (after and after.group(1)[0].isupper())
    )


# A country's people's word that begins with its name, and the name in it: Iran, Iranian; Israel,
# Israeli; Japan, Japanese; Kenya, Kenyan; Ukraine, Ukrainian; Europe, European (its final "e"
# dropped first where it has one). The others are `named.PEOPLE_OF`'s (France, French).
_PEOPLE_ENDINGS = ("ian", "ean", "an", "n", "i", "ese", "ish")


def _name_forms(word: str) -> list[str]:
    """The country or people's words a name may be written as in articles (lowercase)."""
    low = word.lower()
    forms = []
    forms += [low + ending for ending in _PEOPLE_ENDINGS]
    if low.endswith("e"):
        forms += [low[:-1] + ending for ending in ("ian", "ean", "an")]
    forms += [low[: -len(ending)] for ending in _PEOPLE_ENDINGS if low.endswith(ending) and len(low) - len(ending) >= 4]
    forms += [low[: -len(ending)] + "e" for ending in ("ian", "ean") if low.endswith(ending) and len(low) > 7]
    forms += [people.lower() for country, peoples in PEOPLE_OF.items() if country == low for people in peoples]
    forms += [country for country, peoples in PEOPLE_OF.items() if low in (p.lower() for p in peoples)]
    return [form for form in dict.fromkeys(forms) if form != low and " " not in form]


def _as_named_in_articles(word: str, vocabulary: Vocabulary) -> str:
    """A name no article uses ("Iran") as the country's or people's word they use ("Iranian"),
    the one most chunks hold; as it is when they use it, or use none of those."""
    if len(word) < 4 or vocabulary.seen(stems([word.lower()])[0]):
        return word
    forms = _name_forms(word)
    found = [(vocabulary.idf(stem), form) for form, stem in zip(forms, stems(forms), strict=True) if vocabulary.seen(stem)]
    return min(found)[1].capitalize() if found else word


def _spelling(word: str, first: bool, vocabulary: Vocabulary, in_a_name: bool = False) -> str:
    if not first and word[0].isupper():  # a name: looked for as written, or as its people's word
        return word if in_a_name else _as_named_in_articles(word, vocabulary)
    low = word.lower()
    if not MISSPELT_LETTERS[0] <= len(low) <= MISSPELT_LETTERS[1] or low in STOPWORDS or low in FRAMING_WORDS:
        return word
    [stem] = stems([low])
    if rarity(stem) < MISSPELT_MIN_RARITY or vocabulary.seen(stem):
        return word
    candidates = sorted(one_edit(low))
    found = []
    for candidate, candidate_stem in zip(candidates, stems(candidates), strict=True):
        if rarity(candidate_stem) <= CORRECTED_MAX_RARITY and vocabulary.seen(candidate_stem):
            found.append((vocabulary.idf(candidate_stem), candidate))
    if not found:
        return word
    spelt = min(found)[1]  # the one most chunks hold
    return spelt.capitalize() if word[0].isupper() else spelt


def nearest_spellings(written: Sequence[str], texts: Iterable[str]) -> tuple[str, ...]:
    """For each word of `written` (words no article uses, as the question writes them) rarer in
    English than MISSPELT_MIN_RARITY, the word of `texts` spelt nearest to it (SUGGESTED_SPELLING
    or nearer, in any case but capitalised when it is), in order; one with none is left out."""
    if not written:
        return ()
    known: dict[str, str] = {}
    for text in texts:
        for word in _WORD.findall(text):
            if len(word) >= 3:
                known.setdefault(word.casefold(), word)
    found: list[str] = []
    for word in written:
        folded = word.casefold()
        pool = [k for k, w in known.items() if k != folded and (w[0].isupper() or not word[0].isupper())]
        if rarity(next(iter(stems([folded])), folded)) < MISSPELT_MIN_RARITY:
            # a word of English ("tower"), or a name English writes ("Hanoi"): no typo, unless a
            # name one letter from a name of the passages ("Puttin", a word of slang: "Putin")
            if not word[0].isupper() or not (near := _one_letter_from(folded, pool)):
                continue
        else:
            near = get_close_matches(folded, pool, n=1, cutoff=SUGGESTED_SPELLING)
        if near and known[near[0]] not in found:
            found.append(known[near[0]])
    return tuple(found)


def _one_letter_from(word: str, pool: Sequence[str]) -> list[str]:
    """The word of `pool` one letter added, dropped or changed from `word` (five letters or more),
    but not its people's or country's word."""
    if len(word) < 5:
        return []
    edits = one_edit(word) - set(_name_forms(word))  # "Italian" is no typo of "Italia"
    return [k for k in pool if k in edits][:1]


def as_asked(text: str, asked: str, read: str) -> str:
    """`text` (what the answer says of the question as read) with each country's or people's word
    the reading put for a name of the question written as the question wrote it: "never mention
    Belgium", not "Belgian"."""
    for written, put in _renamed(asked, read):
        text = re.sub(rf"\b{re.escape(put)}\b", written, text)
    return text


def _renamed(asked: str, read: str) -> list[tuple[str, str]]:
    said, put = _WORD.findall(asked), _WORD.findall(read)
    if len(said) != len(put):
        return []
    return [(a, b) for a, b in zip(said, put) if a != b and b.lower() in _name_forms(a)]
