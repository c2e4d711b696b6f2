"""The kind of answer a question's wording asks for: "how long" a duration or length,
"how much money" an amount of money, "how many" a number, "how did X react" something X said
or did in response.

A passage sentence of that kind covers the question's words for it ("long", "money"); when no
retrieved sentence is of that kind, the articles cannot answer, however close they come.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from assistant.search.lexical import content_terms

_NUMBER_WORDS = (
    r"one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty|thirty|forty|fifty"
    r"|hundred|hundreds|thousand|thousands|million|millions|billion|billions|dozen|dozens|several|a few"
)
_NUMBER = rf"(?:\d[\d,.]*|{_NUMBER_WORDS}|an?|half an?)"
_DURATION_UNITS = r"seconds?|minutes?|hours?|days?|weeks?|months?|years?|decades?|centuries|century"
_LENGTH_UNITS = (
    r"km|kilomet(?:er|re)s?|met(?:er|re)s?|miles?|feet|foot|ft|inch(?:es)?|yards?|cm|centimet(?:er|re)s?"
)
# Money in any currency news reports in: a sum in pesos or kroner is as much an answer to "how
# much did it cost?" as one in dollars. Names that are also everyday words after a number ("won",
# "real", "rand") are left out; their symbols and codes still count. "Pounds" also weigh, so a
# question that names them is not asking for money by that alone.
CURRENCY_SYMBOLS = "$€£¥₹₽₩₪₺₴₦₱฿₫₸₼₾₡"
MONEY_ONLY_NAMES = (
    r"dollars?|euros?|sterling|rubles?|roubles?|kopecks?|yuan|renminbi|yen|hryvnias?|pesos?|reais"
    r"|rupees?|rupiah|francs?|kron(?:a|or|er|ur)|krone|zloty|zlotys|forints?|liras?|shekels?|dinars?"
    r"|dirhams?|riyals?|rials?|nairas?|shillings?|baht|ringgit|bolivianos?"
)
CURRENCY_NAMES = rf"{MONEY_ONLY_NAMES}|pounds?|pence|cents?"
CURRENCY_CODES = (  # as written: "5 pen" is not 5 Peruvian soles
    r"(?-i:USD|EUR|GBP|RUB|CNY|JPY|CHF|INR|BRL|ARS|CLP|MXN|COP|PEN|UYU|BOB|NOK|SEK|DKK|ISK|PLN|CZK"
    r"|HUF|RON|TRY|UAH|ZAR|NGN|KES|EGP|SAR|AED|ILS|KRW|IDR|THB|VND|MYR|PHP|SGD|HKD|TWD|AUD|NZD|CAD)"
)
SCALE = r"(?:\s?(?:hundred|thousand|million|billion|trillion|bn|mn)\b)?"


@dataclass(frozen=True)
class AnswerType:
    name: str
    pattern: re.Pattern[str]  # finds an answer of this kind in a sentence
    covers: frozenset[str]  # question stems that such an answer satisfies
    # Whether a match is itself the answer ("$35" to "how much money"), so that the question's
    # words for it ("money") need not be in the articles; a reaction is found by the actor's last
    # word and a verb near it, too loose for that.
    is_the_answer: bool = True
    # Whether every answer of the kind matches the pattern, so that a sentence with no match
    # holds none: a count or a sum is written with a number, a duration often is not ("months,
    # not weeks", "until the spring"), nor is a reaction by the few words the pattern reads.
    complete: bool = False

    def found_in(self, text: str) -> bool:
        return self.pattern.search(text) is not None


DURATION_OR_LENGTH = AnswerType(
    "duration or length",
    re.compile(
        rf"\b{_NUMBER}[\s-]+(?:{_DURATION_UNITS}|{_LENGTH_UNITS})\b|\b\d[\d,.]*\s?(?:km|m|ft|h|min)\b",
        re.IGNORECASE,
    ),
    frozenset(content_terms("long")),
)
MONEY = AnswerType(
    "amount of money",
    re.compile(
        rf"[{CURRENCY_SYMBOLS}]\s?\d|\b\d[\d,.]*{SCALE}\s*(?:{CURRENCY_NAMES})\b"
        rf"|\b(?:{CURRENCY_CODES})\s?\d|\b\d[\d,.]*{SCALE}\s?(?:{CURRENCY_CODES})\b",
        re.IGNORECASE,
    ),
    frozenset(content_terms("money cost price funding funds pay paid spend spent worth budget")),
    complete=True,
)
# A number word written with a capital inside a sentence is part of a name ("Take-Two
# Interactive", "Formula One", "Channel Four"), not a count; at the sentence's start it may be one.
COUNT = AnswerType(
    "number",
    re.compile(rf"\b(?:\d[\d,.]*|{_NUMBER_WORDS})\b|^\W*(?i:{_NUMBER_WORDS})\b"),
    frozenset(),
    complete=True,
)

_ASKS_FOR = [
    (re.compile(r"\bhow long\b", re.IGNORECASE), DURATION_OR_LENGTH),
    (
        re.compile(
            r"\bhow much\b(?=.*\b(?:money|cash|funding|funds|aid|cost|costs|price|pay|paid|spend|spent|"
            rf"worth|budget|{MONEY_ONLY_NAMES})\b)",
            re.IGNORECASE,
        ),
        MONEY,
    ),
    (re.compile(r"\bhow many\b", re.IGNORECASE), COUNT),
]


_REACTION_QUESTION = re.compile(
    r"\bhow\s+(?:did|does|do|will|would|has|have|could)\s+(?:the\s+)?(?P<actor>.+?)\s+"
    r"(?:react|respond|reply|answer)\b",
    re.IGNORECASE,
)
# Any word ending in "ed" counts (reacted, welcomed, refused, was shocked ...); these are the rest.
_REACTION_VERBS = (
    r"reacts|reaction|responds|response|replies|said|says|told|tells|welcomes|condemns|wrote|was|were"
    r"|\w+ed"
)


def reaction_of(actor: str) -> AnswerType:
    """Something `actor` said or did in response: the actor's name (its last word, so "Joe Biden"
    is found as "Biden") then, within a few words, a verb of speaking or reacting or any verb in
    the past ("Morgan was shocked", "Luther confirmed"), or "X's reaction". A sentence that only
    mentions the actor ("talks with Joe Biden") is not one."""
    name = re.escape(actor.split()[-1].removesuffix("'s"))
    return AnswerType(
        f"reaction of {actor}",
        re.compile(
            rf"\b{name}\b(?:'s)?(?:\W+\w+){{0,4}}?\W+(?:{_REACTION_VERBS})\b",
            re.IGNORECASE,
        ),
        frozenset(content_terms("react reacted reaction respond responded response reply answer")),
        is_the_answer=False,
    )


def expected_answer_type(question: str) -> AnswerType | None:
    """The kind of answer `question` asks for, when its wording says so; None otherwise."""
    for asks, kind in _ASKS_FOR:
        if asks.search(question):
            return kind
    reaction = _REACTION_QUESTION.search(question)
    if reaction:
        return reaction_of(reaction.group("actor"))
    return None
