"""A question as people type it, read as if written out: before it is searched or read.

Found by reviews that asked the sample and development questions as people type them
(2026-12-05):
- the words of a chat around it ("hey, …", "… thanks!") are no part of it: left in, "Hey" was
  taken for its first word's place ("hey, Roughly how many …": "Roughly" a name) and "hey, Did …"
  for no yes-or-no question;
- a typo of a common word ("ingored", "univresity") is the word the index holds spelt one edit
  otherwise, written so in the question the search, the reader and the checks all read; never in
  a word the question capitalises past its first: a name is looked for as written ("Zelenska" is
  not "Zelensky"). In a question typed without any capital, or in capitals only, nothing tells a
  name ("drava") from a typo ("drama"): only a slip of the fingers is mended there, two letters
  swapped or one left out ("verdcit", "firefighers"; 2026-12-06), not the edits that make most
  absent names present ones ("zelenska", "markovich");
- a clause before the question that speaks only of the asking ("Sorry if this is a dumb question
  but", "Apologies for the basic question,") is no part of it, and a request put as an order
  ("Give me the number of jobs cut") is asked as its question ("how many jobs cut"): their words
  were words no article uses, and the question was refused (2026-12-06);
- a name no article uses may be its country's or its people's word that they do use ("Iran" of
  articles that write "the Iranian nuclear program", "Israeli" of ones that write "Israel",
  "France" of "French"): it is read as that word, the one most chunks hold (2026-12-06);
- a word no article of the index uses, which the answer refuses for, may be a typo the rules
  above leave (a name: "Putn"): the refusal then asks whether the asker meant the word of the
  passages read that is spelt nearest (`nearest_spellings`), so the next try is a retype away.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from difflib import get_close_matches

from assistant.answer.named import PEOPLE_OF, ROLES, without_own_capitals
from assistant.relative_time import ASKING_STARTS
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


# A clause before the question that speaks only of the asking ("Sorry if this is a dumb question
# but", "Apologies for the basic question,", "I keep forgetting this,"): its words are the asker's,
# none of the articles', and left in they were read as words no article uses, and refused.
_ASKER_WORDS = frozenset(
    """sorry apologies apologise apologize apology excuse pardon dumb stupid silly basic simple naive
    quick one question questions wondering wonder wondered curious forgetting forget forgot remember
    keep sure know knew idea mind random honestly really actually maybe probably covered cover
    wanted want need needed help anyway long story short just real""".split()
)
# A request put as an order ("Give me the number of jobs cut", "Provide the date of the vote",
# "Please list the countries"): asked as the question it is ("how many jobs cut"), whose words
# and kind the answer reads. "Tell me", "show me" are stopwords and need no reading.
_REQUEST = re.compile(
    r"^(?:(?:please|pls|plz|kindly)\s+)?(?:(?:can|could|would|will)\s+you\s+(?:please\s+)?)?"
    r"(?:(?P<give>give|provide|get|send|share|find)(?:\s+(?:me|us))?(?:\s+with)?\s+(?:the|a|an)\s+"
    r"(?P<what>number|numbers|date|day|amount|figure|figures|total|name|names)\s+(?:of|for|on|when|that)?\s*"
    r"|(?P<list>list)\s+(?:(?:the|all)\s+)?)",
    re.IGNORECASE,
)
_ASKED_AS = {"number": "how many ", "numbers": "how many ", "date": "when ", "day": "when ", "amount": "how much ",
             "figure": "what is ", "figures": "what are ", "total": "how many ", "name": "what is the name of ",
             "names": "what are the names of "}


# Words of a chat alone, with no question: a greeting, thanks, a call for help.
_ONLY_CHAT = re.compile(
    r"^\W*(?:(?:hey|hi|hiya|hello|ok|okay|thanks|thank you|thank|thx|ty|cheers|bye|goodbye|help|please|pls|lol"
    r"|great|cool|nice|good (?:morning|afternoon|evening))\b\W*)+$",
    re.IGNORECASE,
)


def only_chat(question: str) -> bool:
    """Whether the question is words of a chat alone ("hello", "thanks!", "help"): answered as a
    question, "help" was answered with a sentence on rescue teams and "hello" refused."""
    return _ONLY_CHAT.match(question) is not None


def without_chat(question: str) -> str:
    """The question without the words of a chat before and after it, nor a clause before it that
    speaks only of the asking; as it is if nothing else is left."""
    inner = _CHAT_AFTER.sub("", _CHAT_BEFORE.sub("", question)).strip()
    for start in ASKING_STARTS.finditer(inner):
        before = _WORD.findall(inner[: start.start()])
        asker = [w.lower() in _ASKER_WORDS for w in before]
        if any(asker) and all(a or w.lower() in STOPWORDS for a, w in zip(asker, before)):
            inner = inner[start.end() :]
            break
    inner = _as_question(inner)
    return inner if any(ch.isalnum() for ch in inner) else question


def _as_question(request: str) -> str:
    """A request put as an order as the question it is (`_REQUEST`); any other text as it is."""
    found = _REQUEST.match(request)
    if found is None or not request[found.end() :].strip():
        return request
    asked = "what are the " if found["list"] else _ASKED_AS[found["what"].lower()]
    return asked + request[found.end() :]


def spelt_as_indexed(question: str, vocabulary: Vocabulary) -> str:
    """The question with each typo of a common word written as the index's word, and each name no
    article uses written as its country's or people's word that articles do use (module docstring)."""
    if without_own_capitals(question):  # no name is told by its capital: only slips are mended
        return _WORD.sub(lambda m: _unnamed_spelling(m.group(), vocabulary), question)
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
    if (office := _office_as_written(word, vocabulary)) != word:
        return office
    if not first and word[0].isupper():  # a name: looked for as written, or as its people's word
        return word if in_a_name else _as_named_in_articles(word, vocabulary)
    return _typo_mended(word, vocabulary)


def _unnamed_spelling(word: str, vocabulary: Vocabulary) -> str:
    """`_spelling` of a word of a question without capitals of its own: a slip mended, an office
    as the articles write it, in capitals where the question is in capitals."""
    mended = _typo_mended(word, vocabulary, _slips)
    office = _office_as_written(mended, vocabulary)
    return office.upper() if office != mended and word.isupper() else office


def _office_as_written(word: str, vocabulary: Vocabulary) -> str:
    """An office written short that no article writes so, as the words it stands for that they
    use (`named.ROLES`: "CEO" of articles that write "chief executive", "PM" of "prime minister",
    "DA" of "district attorney": words whose initials begin it); as it is otherwise. Read as "CEO",
    the question was refused ("No article uses the word CEO") or answered without the sentence on
    the chief executive. Not another office ("Chancellor" is no "prime minister")."""
    office = word.casefold()
    if office not in ROLES or len(office) > 4 or vocabulary.seen(stems([office])[0]):
        return word
    for other in ROLES[office]:
        spelt = other.split()
        initials = "".join(w[0] for w in spelt)
        if len(spelt) > 1 and office.startswith(initials) and all(map(vocabulary.seen, stems(spelt))):
            return other
    return word


def _slips(term: str) -> set[str]:
    """The words `term` may be a slip of the fingers of: two neighbours swapped ("verdcit"), a
    letter left out ("firefighers"). Not a letter changed or one too many: most names no article
    uses that are one edit from one it does use are so ("zelenska", "markovich")."""
    return one_edit(term, slips_only=True)


def _typo_mended(word: str, vocabulary: Vocabulary, edits: Callable[[str], set[str]] = one_edit) -> str:
    """The word, or the common word of the index `edits` from it when it is no word of English
    and the index lacks it (module docstring), written in the word's case."""
    low = word.lower()
    if not MISSPELT_LETTERS[0] <= len(low) <= MISSPELT_LETTERS[1] or low in STOPWORDS or low in FRAMING_WORDS:
        return word
    [stem] = stems([low])
    if rarity(stem) < MISSPELT_MIN_RARITY or vocabulary.seen(stem):
        return word
    candidates = sorted(edits(low))
    found = []
    for candidate, candidate_stem in zip(candidates, stems(candidates), strict=True):
        if low.startswith(candidate_stem):
            continue  # a form of the word, no typo of it: "baltica" is not "baltical" (stem "baltic")
        if rarity(candidate_stem) <= CORRECTED_MAX_RARITY and vocabulary.seen(candidate_stem):
            found.append((vocabulary.idf(candidate_stem), candidate))
    if not found:
        return word
    spelt = min(found)[1]  # the one most chunks hold
    if word.isupper() and len(word) > 1:
        return spelt.upper()  # a question in capitals only
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
