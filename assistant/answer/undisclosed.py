"""What news says was not made known: the buyer it does not name, the terms not disclosed, the
date not yet set, the toll not given.

News reports such gaps in a handful of set phrases ("an unnamed German club", "the terms were not
disclosed", "did not say when", "has not identified the customer", "no date has been set"). A
question that asks for exactly that thing ("Which German club approached Quintela?") is then best
refused: the sentence that names the question's words best is the one that says the answer is not
known, and the reader, which weighs words and not what they say, answers with it.
"""

from __future__ import annotations

import re

from assistant.answer.candidates import (
    best_candidate,
    dateline_end,
    names_a_thing,
    question_kind,
    uncapitalised_terms,
)
from assistant.search.lexical import content_terms

# What a question asks that news may withhold, by the kind of its answer (candidates.question_kind).
_UNKNOWN_OF_KIND = {"person": "identity", "money": "amount", "number": "number", "date": "time", "place": "place"}

# The wh-words of "did not say who", "it is not clear when", by what they ask.
_WH = {"who": "identity", "whom": "identity", "which": "identity", "when": "time", "where": "place", "how much": "amount", "how many": "number"}
_SAID = r"say|said|disclose|disclosed|reveal|revealed|specify|specified|confirm|confirmed|announce|announced|indicate|indicated|explain|explained|know|knew"
_WH_WITHHELD = re.compile(
    rf"\b(?:(?:did|does|do|would|could|will|has|have|had)\s+not\s+(?:yet\s+)?(?:{_SAID})"
    rf"|(?:declined|refused|would\s+not\s+(?:say|be\s+drawn)|yet)\s+to\s+(?:{_SAID}|discuss|comment\s+on)"
    rf"|without\s+(?:saying|disclosing|revealing|specifying|indicating)"
    r"|(?:not|un)\s*(?:clear|known|certain|immediately\s+(?:clear|known))|unsure|uncertain|no\s+word\s+on)"
    r"\s+(?P<wh>who|whom|which|when|where|how\s+much|how\s+many)\b",
    re.IGNORECASE,
)

# "Where Ferrante was held has not been disclosed", "Who ordered the attack remains unclear"
_WH_UNKNOWN = re.compile(
    r"(?:^|[,;:]\s+|\b(?:and|but)\s+)(?P<wh>who|whom|which|when|where|how\s+much|how\s+many)\b[^,;.]{0,80}?"
    r"\b(?:has|have|had|was|were|is|are|remains?|remained)\s+(?:still\s+)?(?:unclear|unknown|a\s+mystery|not\s+(?:yet\s+)?(?:been\s+)?"
    r"(?:disclosed|revealed|released|made\s+public|announced|known|clear|confirmed|established|determined))\b",
    re.IGNORECASE,
)

# The nouns that say which thing was withheld ("the price was not disclosed", "did not give a date").
_NOUN_KIND = [
    (
        "identity",
        r"names?|identity|identities|buyers?|sellers?|bidders?|investors?|clients?|customers?|suspects?|victims?|sources?"
        r"|successors?|replacements?|culprits?|perpetrators?|attackers?|assailants?|gunm[ae]n",
    ),
    ("amount", r"terms|price|prices|value|cost|costs|amount|fee|fees|sum|financial\s+(?:terms|details)|(?:purchase|sale|deal|transaction)\s+price"),
    ("number", r"number|numbers|toll|count|tally|figures?|estimates?"),
    ("time", r"date|dates|timing|timeline|timetable|time\s*frame|schedule"),
    ("place", r"location|locations|whereabouts|venue|site"),
]
_NOUN = "|".join(f"(?P<{kind}>{nouns})" for kind, nouns in _NOUN_KIND)
_NOUN_WITHHELD = [
    re.compile(pattern, re.IGNORECASE)
    for pattern in (
        # "did not disclose the terms", "declined to give a figure", "has yet to set a date"
        r"\b(?:(?:did|does|do|would|could|will|has|have|had)\s+not\s+(?:yet\s+)?|(?:declined|refused|yet)\s+to\s+|without\s+)"
        r"(?:disclos\w*|reveal\w*|releas\w*|announc\w*|giv\w*|gave|provid\w*|specif\w*|set|setting|name|named|naming|fix\w*|publish\w*|confirm\w*|identif\w*)"
        rf"\s+(?:the\s+|a\s+|an\s+|any\s+|its\s+|their\s+|his\s+|her\s+)?(?:\w+\s+)?(?:{_NOUN})\b",
        # "the terms of the deal were not disclosed", "the victims have not been named"
        rf"\b(?:{_NOUN})\s+(?:of\s+(?:the\s+)?\w+(?:\s+\w+)?\s+)?(?:was|were|is|are|has|have|had|remains?|remained)\s+(?:not|yet\s+to\s+be|still\s+not)\s+"
        r"(?:yet\s+)?(?:been\s+)?(?:disclosed|revealed|released|made\s+public|announced|given|set|named|identified|confirmed|published|known|fixed"
        r"|decided|determined|agreed|finali[sz]ed)\b",
        # "the names of the dead are being withheld", "whose identity is protected"
        rf"\b(?:{_NOUN})\s+(?:of\s+(?:the\s+)?\w+(?:\s+\w+)?\s+)?(?:was|were|is|are|has\s+been|have\s+been|had\s+been)\s+(?:being\s+)?(?:withheld|protected|kept\s+secret|kept\s+confidential)\b",
        # "gave no figure"
        rf"\b(?:gave|give|gives|giving|offered|provided|released|set)\s+no\s+(?:\w+\s+)?(?:{_NOUN})\b",
        # "there is no timeline for reopening it"
        rf"\bno\s+(?:\w+\s+)?(?:{_NOUN})\s+for\b",
        # "no date has been set", "no figure was given"
        rf"\bno\s+(?:\w+\s+)?(?:{_NOUN})\s+(?:was|were|has|have|had|is)\s+(?:yet\s+)?(?:been\s+)?(?:disclosed|revealed|released|made\s+public|announced|given|set|fixed|agreed|published)\b",
    )
]

# "an unnamed German club", "an undisclosed sum", "at an unspecified date", "on condition of anonymity"
_UNNAMED = re.compile(
    r"\b(?:(?P<identity>unnamed|unidentified|anonymous|anonymity|(?:asked|spoke|speaking)\s+not\s+to\s+be\s+(?:named|identified)"
    r"|without\s+(?:naming|identifying)|(?:declined|refused)\s+to\s+(?:name|identify)"
    r"|(?:did|does|do|would|could|has|have|had)\s+not\s+(?:yet\s+)?(?:name|named|identify|identified)"
    r"|(?:has|have|had)\s+yet\s+to\s+(?:name|identify)|(?:not\s+(?:yet\s+)?been|yet\s+to\s+be|cannot\s+be|could\s+not\s+be)\s+(?:named|identified)"
    # "No group has claimed responsibility for the attack", "has not attributed the attack to any group"
    r"|no\s+(?:one|group|organi[sz]ation|individual|faction)\s+(?:has\s+|had\s+)?(?:yet\s+|immediately\s+)?claimed\s+(?:responsibility|the\s+attack)"
    r"|(?:has|have|had|did)\s+not\s+(?:yet\s+)?(?:attributed|blamed)\s+(?:\w+\s+){1,3}?(?:to|on)\s+any(?:one|\s+\w+)?)"
    r"|(?:undisclosed|unspecified|unknown|unannounced)\s+(?:(?P<amount>sum|amount|fee|price|figure)|(?P<number>number)"
    r"|(?P<time>date|time|day)|(?P<place>location|site|place|destination|venue)|(?P<someone>\w+))"
    r"|(?:a\s+|an\s+)?later\s+(?P<later>date|stage))\b",
    re.IGNORECASE,
)


# "What share of …?", "What percentage …?", "What price …?": a measure, not a name
_MEASURES = re.compile(
    r"\b(?:what|which)\s+(?:share|proportion|percentage|percent|portion|fraction|part|rate|level|amount|sum|price|cost|value"
    r"|size|age|score|total|figure|fee|salary|number|margin|speed|distance|height|weight|temperature)\b",
    re.IGNORECASE,
)
_WORD = re.compile(r"[\w'’.-]+")
_CLAUSE_BREAK = re.compile(r"[,;:.!?()\"“”]|\s[-–—]+\s")
# The words that only say something was withheld, and of what kind, not which thing it was
_WITHHOLDING_WORDS = frozenset(
    content_terms(
        """unnamed unidentified anonymous anonymity undisclosed unspecified unknown unannounced later
        name named naming names identity identities identify identified disclose disclosed reveal revealed
        release released announce announced give given gave provide provided specify specified set fix fixed
        publish published confirm confirmed say said declined refused yet clear unclear known immediately
        spoke speaking asked condition public made without anyone someone who whom which when where how many much
        terms financial details price value amount sum fee figure figures number date timing location whereabouts
        toll count estimate deal transaction agreement purchase sale"""
    )
)
_RELATIVE = re.compile(r"\s*(?:who|whom|whose|which|that)\b", re.IGNORECASE)
_AROUND = 5  # words before a withholding phrase and after it that say what it withholds
# What answers a question of each kind (candidates.COMPATIBLE, as best_candidate reads it)
_CANDIDATE_KIND = {"identity": "person", "amount": "money", "number": "number", "time": "date", "place": "place"}


def asked_unknown(question: str) -> str | None:
    """What a question asks that news may say it does not know: "identity" (who, which club),
    "amount" (how much money), "number" (how many), "time" (when), "place" (where); None for
    the rest ("Why …?", "What happened …?", a yes-or-no question)."""
    kind = question_kind(question)
    if kind == "thing" and names_a_thing(question) and not _MEASURES.search(question):  # "Which German club …?"
        return "identity"
    return _UNKNOWN_OF_KIND.get(kind)


def withholds(sentence: str, unknown: str, question: str, by_name: bool = True) -> frozenset[str] | None:
    """The question's words that a phrase of `sentence` says are of a thing of the kind `unknown`
    (asked_unknown) not made known, or None where it withholds no such thing: "Quintela had
    turned down an approach from an unnamed German club" (identity) of "Which German club
    approached Quintela?" gives {german, club}; "The financial terms were not disclosed"
    (amount) gives no words, and still withholds what was asked; "Police did not say how many
    people were hurt" (number), "No date has been set for the hearing" (time), "held at an
    undisclosed location" (place).

    The words around the phrase say what it withholds: where they are the question's ("the
    customer whose delayed orders …" of "Which customer delayed its orders?"; not its names
    alone unless `by_name`), it withholds what was asked; where they say nothing of their own
    ("The terms were not disclosed."), it does unless the sentence gives an answer of the kind
    elsewhere; where they are other words ("but she declined to say how many would be shut" of
    "How many branches will be reviewed?"), it withholds something else."""
    asked = frozenset(content_terms(question))
    common = asked if by_name else uncapitalised_terms(question)
    for found in _withheld(sentence, unknown):
        around = frozenset(content_terms(_around(sentence, found.start(), found.end()))) - _WITHHOLDING_WORDS
        if around & common:
            return around & asked
        if not around and not gives(sentence[: found.start()] + " " * len(found[0]) + sentence[found.end() :], unknown, question):
            return frozenset()
    return None


def gives(sentence: str, unknown: str, question: str, within: int = 99) -> bool:
    """Whether `sentence` holds a span that could answer a question asking for a thing of the
    kind `unknown` (a name for who, a sum for how much, …), not of the question's own words nor
    of its dateline, at most `within` words from the question's words it repeats."""
    filed = dateline_end(sentence)
    told = " " * filed + sentence[filed:]  # not "AUSTIN, Texas, Oct. 29 -"
    found = best_candidate(told, _CANDIDATE_KIND[unknown], frozenset(content_terms(question)))
    return found.count > 0 and found.distance <= within


def _withheld(sentence: str, unknown: str) -> list[re.Match[str]]:
    """The phrases of `sentence` that say a thing of the kind `unknown` was not made known."""
    found = [m for wh in (_WH_WITHHELD, _WH_UNKNOWN) for m in wh.finditer(sentence) if _withholds_kind(m["wh"], unknown)]
    found += [m for pattern in _NOUN_WITHHELD for m in pattern.finditer(sentence) if m[unknown] is not None]
    for m in _UNNAMED.finditer(sentence):
        named = m["identity"] or m["someone"] if unknown == "identity" else m[unknown] or (unknown == "time" and m["later"] == "date")
        if named:
            found.append(m)
    return found


def _withholds_kind(wh: str, unknown: str) -> bool:
    """Whether "did not say <wh>" withholds a thing of the kind `unknown`: "how much" withholds a
    sum, and a quantity too ("TeleNova did not say how much it had offered for the rights" of "How
    much did TeleNova offer?", a question of no money word, read as a number)."""
    said = _WH[re.sub(r"\s+", " ", wh.lower())]
    return said == unknown or (said == "amount" and unknown == "number")


def _around(sentence: str, start: int, end: int) -> str:
    """The phrase at start:end with up to _AROUND words on each side, within its clause; a
    relative clause with the clause before it, whose last words name what it tells of ("A second
    person, who cannot be named for legal reasons, …")."""
    clauses = _CLAUSE_BREAK.split(sentence[:start])
    before = clauses[-1]
    if len(clauses) > 1 and _RELATIVE.match(before):
        before = f"{clauses[-2]} {before}"
    after = _CLAUSE_BREAK.split(sentence[end:])[0]
    return " ".join([*_WORD.findall(before)[-_AROUND:], sentence[start:end], *_WORD.findall(after)[:_AROUND]])

