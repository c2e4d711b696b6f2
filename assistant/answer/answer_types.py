"""The kind of answer a question's wording asks for: "how long" a duration or length,
"how much money" or "what salary" an amount of money, "how many" a number, "what year" a year, "what
date" a date, "what time" a time of day, "what percentage" a share, "how old" an age, "how did X
react" something X said or did in response.

A passage sentence of that kind covers the question's words for it ("long", "money"); when no
retrieved sentence is of that kind, the articles cannot answer, however close they come.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from assistant.dates import MONTHS, WEEKDAYS
from assistant.search.lexical import content_terms

_NUMBER_WORDS = (
    r"zero|none|single|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen"
    r"|sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety"
    r"|hundred|hundreds|thousand|thousands|million|millions|billion|billions|dozen|dozens|several|a few"
)
_NUMBER = rf"(?:\d[\d,.]*|{_NUMBER_WORDS}|an?|half an?)"
DURATION_UNITS = r"seconds?|minutes?|hours?|days?|weeks?|months?|years?|decades?|centuries|century"
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
    r"|dirhams?|riyals?|rials?|nairas?|shillings?|baht|ringgit|bolivianos?|dong|taka|kwacha|birr|tenge"
    r"|kyats?|riels?|korunas?|koruny"
)
CURRENCY_NAMES = rf"{MONEY_ONLY_NAMES}|pounds?|pence|cents?"
CURRENCY_CODES = (  # as written: "5 pen" is not 5 Peruvian soles
    r"(?-i:USD|EUR|GBP|RUB|CNY|JPY|CHF|INR|BRL|ARS|CLP|MXN|COP|PEN|UYU|BOB|NOK|SEK|DKK|ISK|PLN|CZK"
    r"|HUF|RON|TRY|UAH|ZAR|NGN|KES|EGP|SAR|AED|ILS|KRW|IDR|THB|VND|MYR|PHP|SGD|HKD|TWD|AUD|NZD|CAD"
    r"|K?Sh|TSh|USh|Rs\.?|RM|Tk)"  # East African shillings ("Sh2.4 billion"), rupees, ringgit, taka
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

    # What the pattern finds that is not of the kind: a count is no sum, day or year.
    not_of: re.Pattern[str] | None = None

    def found_in(self, text: str) -> bool:
        return next(self.matches(text), None) is not None

    def matches(self, text: str) -> Iterator[re.Match[str]]:
        """Where the kind stands in `text` (offsets in `text`)."""
        if self.not_of is not None:
            text = self.not_of.sub(lambda m: " " * len(m.group()), text)
        return self.pattern.finditer(text)


DURATION_OR_LENGTH = AnswerType(
    "duration or length",
    re.compile(
        rf"\b{_NUMBER}[\s-]+(?:{DURATION_UNITS}|{_LENGTH_UNITS})\b|\b\d[\d,.]*\s?(?:km|m|ft|h|min)\b",
        re.IGNORECASE,
    ),
    frozenset(content_terms("long")),
)
# whose money: "4.8 billion Canadian dollars", "50 million US dollars", "2 billion Hong Kong dollars"
WHOSE = r"(?-i:[A-Z][A-Za-z.]+\s+){0,2}"
# Crowns, as English reports name the kroner, kronor and koruny: only with their country ("210 million
# Danish crowns"), since "won three crowns" is no money.
CROWNS = r"(?-i:Danish|Swedish|Norwegian|Icelandic|Czech|Slovak|Estonian)\s+crowns?"
# ... or alone where the sum is one no trophy count is: news names the country once and then
# writes "a fine of 50 million crowns", "12,000 crowns" (a review of questions comparing outlets).
LARGE_CROWNS = r"\b\d[\d,.]*\s?(?:thousand|million|billion|trillion|bn|mn)\s+crowns?\b|\b\d{1,3}(?:,\d{3})+(?:\.\d+)?\s+crowns?\b"
MONEY = AnswerType(
    "amount of money",
    re.compile(
        rf"[{CURRENCY_SYMBOLS}]\s?\d|\b\d[\d,.]*{SCALE}\s*{WHOSE}(?:{CURRENCY_NAMES})\b|\b\d[\d,.]*{SCALE}\s*{CROWNS}\b|{LARGE_CROWNS}"
        rf"|\b(?:{CURRENCY_CODES})\s?\d|\b\d[\d,.]*{SCALE}\s?(?:{CURRENCY_CODES})\b"
        # a sum in words: "fifty thousand dollars", "a million euros"
        rf"|\b(?:{_NUMBER_WORDS})(?:[\s-]+(?:{_NUMBER_WORDS}|and))*\s+{WHOSE}(?:{CURRENCY_NAMES})\b",
        re.IGNORECASE,
    ),
    # the words of a question that any sum answers ("How much money …?", "What was he earning?"),
    # not those that say what it is for: a fine is no prize money, a transfer fee no salary
    frozenset(content_terms("money cost price funding funds pay paid spend spent worth budget earn earned earning earnings")),
    complete=True,
)
_MONTH_NAMES = "|".join(sorted((m.capitalize() for m in MONTHS), key=len, reverse=True))
_MONTH_DAY = rf"(?-i:{_MONTH_NAMES})\.?\s+\d{{1,2}}(?:st|nd|rd|th)?|\d{{1,2}}(?:st|nd|rd|th)?\s+(?-i:{_MONTH_NAMES})"
# A year, unless a noun follows it ("2000 guests" is a count; "in 2019, it" and "2019 and" are years).
_FUNCTION_WORDS = "the|a|an|and|or|but|to|in|on|at|for|of|was|were|is|are|when|after|before|as|with|by|from|until|that|it"
_A_YEAR = rf"(?<![\d,.$€£])(?:1[89]|20)\d\d(?!\d|[,.]\d|\s*(?:%|percent)|\s+(?-i:(?!(?:{_FUNCTION_WORDS})\b)[a-z]+\b))"
# A number word written with a capital inside a sentence is part of a name ("Take-Two
# Interactive", "Formula One", "Channel Four"), not a count; at the sentence's start it may be one.
# Nor is a sum, a day of a month, a year or "no one" a count: "How many workers?" is not answered
# by "$5,000", "March 3" or "in 2019".
COUNT = AnswerType(
    "number",
    re.compile(rf"\b(?:\d[\d,.]*[½¼¾]?|{_NUMBER_WORDS})(?!\w)|^\W*(?i:{_NUMBER_WORDS})\b"),
    frozenset(),
    complete=True,
    not_of=re.compile(
        rf"(?:{MONEY.pattern.pattern})[\d,.]*{SCALE}|\b(?:{_MONTH_DAY})\b|\bno one\b|\bone another\b|{_A_YEAR}",
        re.IGNORECASE,
    ),
)

# A year as written, also glued to "c" for circa ("c1180"), a century, "'98", or an era.
_YEAR = r"(?<![\d,.$€£])(?:1\d{3}|2[01]\d{2})s?\b|\b\d{1,2}(?:st|nd|rd|th)[\s-]century\b|'\d\d\b|\b(?-i:BCE?|AD|CE)\b"
YEAR = AnswerType(
    "year",
    re.compile(_YEAR, re.IGNORECASE),
    frozenset(content_terms("year")),
    complete=True,
)
# A date as written: a month or weekday by its name (capitalised: "may" is a verb), "5th",
# 2022-02-12, 12/02, "yesterday", or a year.
_WEEKDAY_NAMES = "|".join(d.capitalize() for d in WEEKDAYS)
DATE = AnswerType(
    "date",
    re.compile(
        rf"\b(?:{_MONTH_NAMES}|{_WEEKDAY_NAMES})\b|\b(?i:today|tonight|yesterday|tomorrow)\b"
        rf"|\b\d{{1,2}}(?:st|nd|rd|th)\b|\b\d{{4}}-\d\d-\d\d\b|\b\d{{1,2}}/\d{{1,2}}(?:/\d{{2,4}})?\b|{_YEAR}"
    ),
    frozenset(content_terms("date day")),
    complete=True,
)
# A time of day as news writes one: "11:17 p.m.", "3 a.m.", "16:47", "noon", "shortly before
# dawn", "at 4 o'clock". Not complete: "late on Tuesday night" answers too, in words that also
# name the day of an event ("Tuesday night's earthquake").
CLOCK_TIME = re.compile(
    r"\b(?:[01]?\d|2[0-3])(?::[0-5]\d|\.[0-5]\d(?=\s?[ap]\.?m\b))(?:\s?(?:[ap]\.m\.|[ap]m\b))?"
    r"|\b(?:1[0-2]|0?[1-9])\s?(?:[ap]\.m\.|[ap]m\b)|\b(?:noon|midday|midnight)\b",
    re.IGNORECASE,
)
TIME_OF_DAY = AnswerType(
    "time of day",
    re.compile(rf"{CLOCK_TIME.pattern}|\b(?:dawn|daybreak|sunrise|dusk|sunset|o'clock)\b", re.IGNORECASE),
    frozenset(content_terms("time hour")),
)
# A share is written as a percentage or a fraction ("56.2%", "25 percent", "a third", "one in
# five", "the majority").
PERCENTAGE = AnswerType(
    "percentage",
    re.compile(
        r"\d\s?%|\bper\s?cent|\bpercent|\b(?:half|halves|thirds?|quarters?|fifths?|tenths?)\b|\bone in \w+"
        r"|\bmajority\b",
        re.IGNORECASE,
    ),
    frozenset(content_terms("percent percentage")),
    complete=True,
)
# An age in the ways news and reference text write one: "Patrick Carlineo Jr., 55, of Addison",
# "a 42-year-old", "aged 30", "at the age of seven", "seven months old", "in her sixties",
# "(39)", "turned 40", "at 39"; or the year a person was born or a thing built ("a chapel built
# in 1674").
_DECADES = r"teens|twenties|thirties|forties|fifties|sixties|seventies|eighties|nineties"
AGE = AnswerType(
    "age",
    re.compile(
        rf"\b{_NUMBER}[\s-]+(?:years?|months?|weeks?|days?)[\s-]+old\b|\b{_NUMBER}-year-old"
        rf"|\baged?\s+(?:of\s+)?\d|\bage of {_NUMBER}\b|,\s\d{{1,3}},|\(\d{{1,3}}\)"
        rf"|\b(?:in|into) (?:his|her|their) (?:early |mid-?|late )?(?:\d0s|{_DECADES})\b"
        rf"|\bturn(?:ed|s|ing)? \d{{1,3}}\b|\bat \d{{1,3}}\b"
        rf"|\b(?:born|built|founded|established|constructed|erected|opened|dating|dates|dated)\W+"
        rf"(?:\w+\W+){{0,3}}?(?:{_YEAR})",
        re.IGNORECASE,
    ),
    frozenset(content_terms("old age")),
    complete=True,
)
# "How much" asks for money when the question names money, or something only money measures:
# a price, a wage, a fine, what was paid, earned, owed, given or lent. Words that also measure a
# change ("raise", "rise", "tuition", "fees" can go up by a percentage) or a quantity ("sell",
# "buy") are left out.
_MONEY_WORDS = (
    r"money|cash|funding|funds|aid|cost|costs|price|pay|paid|spend|spent|worth|budget"
    r"|fine|fined|penalty|salary|salaries|wages?|bonus(?:es)?|severance|compensation|settlement|bail"
    r"|reward|ransom|earn|earns|earned|owe|owes|owed|donate|donated|invest|invested|lend|lent"
    r"|borrow|borrowed|charge|charged|paying|lending|lends|profits?|revenues?|insured"
)

# "How much of" asks for a share, and "by how much", "how much did the price rise?" or "how much
# does it raise wages?" for a change, which either a sum or a percentage answers; unless the
# question names the currency.
_CHANGE = (
    r"increases?|increased|rises?|rose|risen|grows?|grew|grown|falls?|fell|fallen|drops?|dropped"
    r"|exceeds?|exceeded|declines?|declined|jumps?|jumped|climbs?|climbed|raises?|raised|cuts?"
    r"|reduces?|reduced|lowers?|lowered|boosts?|boosted|growth"
)
# Things that only money measures, asked for without "how much": "how large a fine", "how big
# was his bonus", "what was the price of oil", "what is the average cost of an ad", "what salary
# was he earning", "what revenue range did it forecast"; not when the question is of their change
# ("what was the price increase", "what wage increase": a percentage answers) or of something
# they name ("consumer price inflation", "the cost overruns").
_PRICED = (
    r"(?:prices?|costs?|fines?|prizes?|salary|salaries|wages?|bonus(?:es)?|fees?|budgets?|ransom|bail|grants?|loans?"
    r"|revenues?|profits?)"
    r"(?![\w-]|\s+(?:inflation|index|indices|growth|changes?|wars?|overruns?|savings?|shares?|streams?|sources?|margins?"
    r"|warnings?)\b)"
)
_PRICE_OF = (
    rf"\bhow (?:large|big|high)\b(?:\s+[\w'’-]+){{0,4}}?\s+{_PRICED}"
    rf"|\bwhat\s+(?:(?!of\b)[\w'’-]+\s+){{0,2}}?{_PRICED}(?:\s+(?!(?:{_CHANGE})\b)[\w-]+)?"
    r"\s+(?:is|was|are|were|will|would|did|does|do|has|have|had|could|can)\b"
    rf"|\bwhat (?:is|was|are|were|will be|would be)\s+(?:the|its|his|her|their|a|(?:[\w-]+\s+){{0,3}}?[\w-]+['’]s)\s+(?:[\w'’-]+\s+){{0,2}}?{_PRICED}"
    # "What did the expedition cost?", "What would it cost to run the Games?", "What was the tram
    # supposed to cost?"
    r"|\bwhat\s+(?:did|does|do|will|would|could|might|should|is|was|are|were)\s+(?:[\w'’-]+\s+){1,10}?cost"
    r"(?=\s*(?:[?,.]|$)|\s+(?:to|in|the|them|him|her|it|us|taxpayers)\b)"
)

_HOW_MUCH = re.compile(r"\bhow much\b", re.IGNORECASE)
_HOW_MUCH_MONEY = re.compile(
    r"\bhow much (?:more |less |extra )?(?:money|cash|funding|funds)\b"  # "... did they raise?" too
    rf"|(?:{_PRICE_OF})(?!.*\b(?:{_CHANGE})\b)",
    re.IGNORECASE,
)
_NAMES_MONEY = re.compile(rf"\b(?:{MONEY_ONLY_NAMES})\b", re.IGNORECASE)
_MONEY_WORD = re.compile(rf"\b(?:{_MONEY_WORDS})\b", re.IGNORECASE)
_CHANGE_WORD = re.compile(rf"\b(?:{_CHANGE})\b", re.IGNORECASE)
_OF = re.compile(r"\s+of\b", re.IGNORECASE)
_BY = re.compile(r"\bby $", re.IGNORECASE)


def _last_start(words: re.Pattern[str], line: str) -> int:
    return max((found.start() for found in words.finditer(line)), default=-1)


def _asks_for_money(question: str) -> bool:
    """Whether `question` asks for an amount of money: "how much" with a currency named after it,
    or "how much (more) money", or "how much" followed by a word of money (and not a share, "how
    much of", nor a change, "by how much", "how much did the price rise"), or a price asked for
    without a change ("what was the price of oil"). Each line is read in one pass: "how much"
    repeated to the length limit does not rescan the rest of the question for each."""
    if _HOW_MUCH_MONEY.search(question):
        return True
    start = 0
    for line in question.split("\n"):  # the patterns' ".*" stops at a line's end
        asks = list(_HOW_MUCH.finditer(line))
        if asks and _NAMES_MONEY.search(line, asks[0].end()):
            return True
        money, change = (_last_start(_MONEY_WORD, line), _last_start(_CHANGE_WORD, line)) if asks else (-1, -1)
        for ask in asks:
            if money < ask.end():
                break
            of_or_change = change >= ask.end() or _OF.match(question, start + ask.end())
            if not of_or_change and not _BY.search(line[max(0, ask.start() - 4) : ask.start()]):
                return True
        start += len(line) + 1
    return False


_ASKS_FOR: list[tuple[re.Pattern[str] | Callable[[str], bool], AnswerType]] = [
    (re.compile(r"\bhow long\b", re.IGNORECASE), DURATION_OR_LENGTH),
    (_asks_for_money, MONEY),
    (re.compile(r"\bhow many\b(?!\s+percent)", re.IGNORECASE), COUNT),
    (re.compile(r"\b(?:what|which) year\b", re.IGNORECASE), YEAR),
    (re.compile(r"\b(?:what|which) (?:date|day)\b", re.IGNORECASE), DATE),
    (re.compile(r"\bwhat (?:time|hour)\b(?!\s+(?:frame|limit|period|span|scale|zone|slot)s?\b)", re.IGNORECASE), TIME_OF_DAY),
    (
        re.compile(
            r"\bwhat (?:percent|percentage|share|proportion|fraction)\b|\bhow many percent\b"
            # "What sell-on percentage did the club keep?", "What was the percentage of people …?"
            r"|\bwhat\s+(?:(?!of\b)[\w'’-]+\s+){1,2}?(?:percent|percentage|proportion)\b"
            r"|\bwhat (?:is|was|are|were) the (?:percent|percentage|proportion)\b",
            re.IGNORECASE,
        ),
        PERCENTAGE,
    ),
    (re.compile(r"\bhow old\b|\b(?:what|which) age\b", re.IGNORECASE), AGE),
]


_REACTION_QUESTION = re.compile(
    r"\bhow\s+(?:did|does|do|will|would|has|have|could)\s+(?:the\s+)?(?P<actor>.+?)\s+"
    r"(?:react|respond|reply|answer)\b",
    re.IGNORECASE,
)
# Any word ending in "ed" counts (reacted, welcomed, refused, was shocked ...); these are the rest,
# the irregular pasts too: "Brill Brewing shares sank 6 percent", "Mayor Ines Falk took the
# decision" were no reaction (a review of why and how questions), and markets move in the present
# in headlines ("shares fall").
_REACTION_VERBS = (
    r"reacts|reaction|responds|response|replies|said|says|told|tells|welcomes|condemns|wrote|was|were"
    r"|rose|rises|fell|falls|sank|sinks|slid|slides|took|went|cut|hit|sold|gave|made|spoke|sent|held|kept"
    r"|led|left|quit|stood|struck|threw|fought|won|lost|met|ran|shut|put|paid|bought|brought|began|chose"
    r"|drew|froze|sought|swore|withdrew|upheld|stuck|\w+ed"
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
        if asks(question) if callable(asks) else asks.search(question):
            return kind
    reaction = _REACTION_QUESTION.search(question)
    if reaction:
        return reaction_of(reaction.group("actor"))
    return None
