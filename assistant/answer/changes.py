"""How much something rose or fell, from the two values a sentence gives it.

News writes a change as its two ends more often than as the change: "There were 612 car thefts
in 2024, up from 466", "the rate rose to 4.1 percent from 3.8 percent", "fares went from $2.50
to $2.75". Asked "By how much did car thefts increase?", the answer led with "612", the new
level, and left the subtraction to the reader (a review of questions on changes: 0 of 10 such
questions answered with the change). A question that asks for a change (`asks_change`) is
answered, where a sentence it states gives both ends, with the difference worked out and both
ends: "Up 146 (31.3 percent), from 466 to 612 [1]."; where the sentence writes the change itself ("rose 4
percent", "up 18 cents", "a rise of $400,000"), that span leads (`changes_in`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from assistant.answer.corroboration import NUMBER_WORDS

# "By how much did car thefts rise?", "How much did unemployment fall?", "What was the rise in fares?"
_ASKS_RISE_OR_FALL = re.compile(
    r"\bby\s+how\s+much\b|\bby\s+what\s+(?:amount|percentage)\b"
    r"|\bhow\s+(?:much|many|far)\s+(?:did|has|have|had|does|do|was|were|is|are)\b[^?]*?\b(?:rise|risen|fall|fallen"
    r"|increase|increased|decrease|decreased|grow|grown|drop|dropped|decline|declined|climb|climbed|jump|jumped"
    r"|change|changed|go\s+up|gone\s+up|go\s+down|gone\s+down|shrink|shrunk|slip|slipped|swell|swelled"
    r"|rise\s+by|fall\s+by)\b"
    r"|\bwhat\s+(?:was|is|were|are)\s+the\s+(?:\w+\s+){0,2}?(?:increase|rise|drop|fall|decline|change|growth|jump"
    r"|decrease|reduction|cut|gain|loss)\s+(?:in|of)\b",
    re.IGNORECASE,
)
# "How many more students …?", "How much higher …?": a difference, written in more ways ("an extra $212")
_ASKS_DIFFERENCE = re.compile(
    r"\bhow\s+many\s+(?:more|fewer)\b|\bhow\s+much\s+(?:more|less|higher|lower|bigger|smaller|larger)\b", re.IGNORECASE
)

# A quantity as news writes one: "612", "$2.3 million", "4.1 percent", "18 cents", "3.1 million tonnes".
_CURRENCY = r"(?:US\$|C\$|A\$|NZ\$|HK\$|\$|€|£|¥)"
_NUMBER = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
_QUANTITY = (
    rf"(?P<PFXcur>{_CURRENCY})?(?P<PFXnum>{_NUMBER})"
    r"(?P<PFXscale>\s?(?:thousand|million|billion|trillion|bn|mn)\b|(?<=\d)(?:m|k|bn)\b)?"
    r"(?P<PFXunit>\s?%|\s(?:percent|per\s+cent|percentage\s+points?|points?|cents?|degrees?|pence|euros?"
    r"|dollars?|pounds?)\b)?"
)
_OLD, _NEW = _QUANTITY.replace("PFX", "old"), _QUANTITY.replace("PFX", "new")
_CHANGE_VERB = (
    r"rose|risen|rise|rises|rising|fell|fallen|fall|falls|falling|increased|increase|increases|increasing"
    r"|decreased|decrease|decreases|grew|grown|grow|grows|dropped|drop|drops|declined|decline|declines"
    r"|climbed|climb|climbs|jumped|jump|jumps|slipped|slid|soared|surged|plunged|plummeted|tumbled|dipped"
    r"|edged|went\s+up|gone\s+up|went\s+down|gone\s+down|raised|raising|lowered|lowering|cut|reduced|reducing"
    r"|boosted|shrank|shrunk|swelled|ballooned|narrowed|widened|doubled|halved|went|changed|moved|up|down"
)
_ROUGHLY = r"(?:about\s+|around\s+|roughly\s+|nearly\s+|some\s+)?"
_BETWEEN_ENDS = r"(?:\s+(?:in|at|on|during|for|last|this|a|an|the|per|each|[a-z]+s?)\b[^.;:0-9$€£¥]{0,30}?)?"
# "rose from 466 in 2023 to 612", "went from $2.50 to $2.75"
_FROM_TO = re.compile(
    rf"\b(?:{_CHANGE_VERB})\b[^.;:]{{0,60}}?\bfrom\s+{_ROUGHLY}{_OLD}"
    rf"{_BETWEEN_ENDS}\s+to\s+{_ROUGHLY}{_NEW}",
    re.IGNORECASE,
)
# "rose to 4.1 percent from 3.8 percent"
_TO_FROM = re.compile(
    rf"\b(?:{_CHANGE_VERB})\b[^.;:]{{0,60}}?\bto\s+{_ROUGHLY}{_NEW}"
    rf"{_BETWEEN_ENDS}\s+from\s+{_ROUGHLY}{_OLD}",
    re.IGNORECASE,
)
# "612 car thefts in 2024, up from 466", "31,000 visitors, compared with 28,500 a year earlier"
_UP_FROM = re.compile(
    rf"(?:,|\s-|\s–|\s—|\()\s*(?:(?:up|down|rising|falling|climbing|dropping)\s+from|compared\s+(?:with|to))\s+"
    rf"{_ROUGHLY}{_OLD}",
    re.IGNORECASE,
)
_ANY_QUANTITY = re.compile(_NEW, re.IGNORECASE)
# The change written out: "rose 4 percent", "up 18 cents", "increased by 120", "a 12 percent rise",
# "a rise of $400,000", "would add 4 percent to earnings".
_APPROXIMATELY = r"(?P<approx>about\s+|around\s+|roughly\s+|nearly\s+|almost\s+|some\s+|more\s+than\s+|over\s+)?"
_UP_WORDS = (
    r"rose|risen|rise|rises|rising|increased|increase|increases|increasing|grew|grown|grow|grows|climbed|climb|climbs"
    r"|jumped|jump|jumps|soared|surged|edged\s+up|went\s+up|gone\s+up|raised|raising|raises|raise|boosted|boost"
    r"|boosts|swelled|ballooned|widened|added|add|adds|gained|gain|gains|lifted|lift|lifts|up|more|higher|above|hike"
    r"|rally|rallied|doubled|tripled|trebled|quadrupled"
)
_DOWN_WORDS = (
    r"fell|fallen|fall|falls|falling|decreased|decrease|decreases|dropped|drop|drops|declined|decline|declines"
    r"|slipped|slid|plunged|plummeted|tumbled|dipped|went\s+down|gone\s+down|lowered|lowering|cut|cuts|reduced"
    r"|reducing|reduction|shrank|shrunk|narrowed|lost|loss|down|fewer|less|lower|below|halved"
)
_STATED = (
    re.compile(rf"\b(?P<verb>{_CHANGE_VERB}|added|adds|add|gained|gains|lost|boost|boosts)\s+(?:by\s+)?{_APPROXIMATELY}{_NEW}", re.IGNORECASE),
    re.compile(
        rf"\b(?P<verb>{_CHANGE_VERB}|raises|raise|cuts|lifts|lifted|lift)\b[^.;:]{{0,60}}?\bby\s+{_APPROXIMATELY}{_NEW}", re.IGNORECASE
    ),
    re.compile(
        rf"\b(?:an?\s+)?{_APPROXIMATELY}{_NEW}\s+(?P<verb>rise|increase|drop|fall|decline|jump|cut|gain|loss|reduction|decrease|hike)\b",
        re.IGNORECASE,
    ),
    re.compile(
        rf"\b(?P<verb>rise|increase|drop|fall|decline|jump|cut|gain|reduction|decrease|hike)\s+of\s+{_APPROXIMATELY}{_NEW}",
        re.IGNORECASE,
    ),
    # "doubled", "rose fourfold", "fell by a third", "more than twice"
    re.compile(r"\b(?P<verb>(?P<times>doubled|tripled|trebled|quadrupled|halved))\b", re.IGNORECASE),
    re.compile(
        rf"\b(?P<verb>{_CHANGE_VERB})\s+(?P<times>(?:two|three|four|five|six|seven|eight|nine|ten|\d+)-?fold"
        r"|by\s+(?:a|one|two)[\s-](?:third|quarter|half|fifth)s?)\b",
        re.IGNORECASE,
    ),
    # "14 homicides, two fewer than in 2023", "about 14 percent higher than", "40 percent less in fees"
    re.compile(
        rf"(?<![\w$€£¥]){_APPROXIMATELY}(?P<newcount>(?:{_CURRENCY})?(?:{_NUMBER})(?:\s?(?:thousand|million|billion|bn|mn))?"
        rf"(?:\s?%|\s(?:percent|per\s+cent|percentage\s+points?))?|\b(?:{'|'.join(NUMBER_WORDS)}|a\s+dozen))"
        r"\s+(?P<verb>more|fewer|less|higher|lower|above|below)\b",
        re.IGNORECASE,
    ),
)
_UP = re.compile(rf"^(?:{_UP_WORDS})$", re.IGNORECASE)
_DOWN = re.compile(rf"^(?:{_DOWN_WORDS})$", re.IGNORECASE)
_ASKS_UP = re.compile(rf"\b(?:{_UP_WORDS})\b", re.IGNORECASE)
_ASKS_DOWN = re.compile(rf"\b(?:{_DOWN_WORDS})\b", re.IGNORECASE)
_SCALES = {
    "thousand": Decimal(1_000), "k": Decimal(1_000), "million": Decimal(1_000_000), "mn": Decimal(1_000_000),
    "m": Decimal(1_000_000), "billion": Decimal(1_000_000_000), "bn": Decimal(1_000_000_000),
    "trillion": Decimal(1_000_000_000_000),
}


# The words a question asks for a change with, or its time, not what changed ("car thefts" of "By how
# much did car thefts rise this year?").
CHANGE_WORDS = frozenset(
    "much many more fewer less higher lower rise risen rose fall fallen fell increase increased decrease decreased "
    "grow grew grown growth drop dropped decline declined climb climbed jump jumped change changed go went gone up "
    "down shrink shrunk slip slipped swell swelled percentage percent amount margin than"
    # ... nor when: "this year" names no quantity
    " year years month months week weeks day days today yesterday quarter since last ago earlier before".split()
)


def asks_change(question: str) -> bool:
    """Whether a question asks how much something rose or fell ("By how much did car thefts
    increase?", "How much did unemployment fall?", "What was the rise in fares?") or how many
    more ("How many fewer homicides …?")."""
    return asks_rise_or_fall(question) or _ASKS_DIFFERENCE.search(question) is not None


def asks_rise_or_fall(question: str) -> bool:
    """Whether a question asks how much something rose or fell: the ways news writes an answer to
    it are those `changes_in` reads (not "an extra $212" of "How much more
    …?", nor "6-3" of "By what margin …?")."""
    return _ASKS_RISE_OR_FALL.search(question) is not None


@dataclass(frozen=True)
class Quantity:
    """One end of a change, as its sentence writes it."""

    text: str
    number: Decimal
    currency: str
    scale: str
    unit: str

    @property
    def value(self) -> Decimal:
        return self.number * _SCALES.get(self.scale.strip().lower(), Decimal(1))

    def like(self, other: Quantity) -> Quantity:
        """This quantity with what it leaves unwritten taken from `other` ("from 3.8 to 4.1 percent")."""
        return Quantity(self.text, self.number, self.currency or other.currency, self.scale or other.scale, self.unit or other.unit)


@dataclass(frozen=True)
class Change:
    """A change a sentence gives by its two ends."""

    old: Quantity
    new: Quantity

    def told(self) -> str:
        """"Up 146, from 466 to 612", "Down $0.4 million, from $2.3 million to $1.9 million",
        "Up 0.3 percentage points, from 3.8 percent to 4.1 percent"."""
        old, new = self.old, self.new
        difference = new.value - old.value
        way = "Up" if difference > 0 else "Down" if difference < 0 else "Unchanged"
        if not difference:
            return f"Unchanged, at {new.text}"
        places = max(_places(old.number), _places(new.number))
        share = "" if _percent(new) or not old.value else f" ({abs(difference) / old.value * 100:.1f}".removesuffix(".0") + " percent)"
        return f"{way} {_written(abs(difference), new, places)}{share}, from {old.text} to {new.text}"


def _places(number: Decimal) -> int:
    exponent = number.as_tuple().exponent
    return -exponent if isinstance(exponent, int) and exponent < 0 else 0


def _percent(quantity: Quantity) -> bool:
    return quantity.unit.strip().lower() in ("%", "percent", "per cent")


def _written(amount: Decimal, like: Quantity, places: int) -> str:
    """`amount` written as `like` writes its quantity: its currency, scale and unit (percent
    differences in percentage points), to the decimal places of the ends (`places`): "$2.70"."""
    scale = like.scale.strip()
    number = amount / _SCALES[scale.lower()] if scale else amount
    digits = f"{number:,.{places}f}"
    unit = like.unit.strip()
    if unit.lower() in ("%", "percent", "per cent"):
        unit = "percentage points"
    spaced_scale = f" {scale}" if scale and like.scale.startswith(" ") else scale
    return f"{like.currency}{digits}{spaced_scale}{' ' + unit if unit else ''}"


def _quantity(match: re.Match[str], prefix: str) -> Quantity | None:
    number = match[f"{prefix}num"]
    try:
        value = Decimal(number.replace(",", ""))
    except InvalidOperation:
        return None
    currency, scale, unit = match[f"{prefix}cur"] or "", match[f"{prefix}scale"] or "", match[f"{prefix}unit"] or ""
    if not (currency or scale or unit or "," in number) and re.fullmatch(r"(?:19|20)\d\d", number):
        return None  # a year: "from 2019 to 2023"
    start, end = match.start(f"{prefix}cur") if currency else match.start(f"{prefix}num"), match.end(f"{prefix}num")
    end = max(end, match.end(f"{prefix}scale") if scale else end, match.end(f"{prefix}unit") if unit else end)
    return Quantity(match.string[start:end], value, currency, scale, unit)


def _alike(old: Quantity, new: Quantity) -> bool:
    """Whether two ends measure the same way: the same currency and percent-ness where both write one."""
    if old.currency and new.currency and old.currency != new.currency:
        return False
    return _percent(old) == _percent(new) or not (old.unit and new.unit)


_TO_LEVEL = re.compile(rf"\b(?:{_CHANGE_VERB})\b[^.;:]{{0,60}}?\bto\s+{_APPROXIMATELY}{_NEW}", re.IGNORECASE)


def changed_to(sentence: str) -> bool:
    """Whether `sentence` gives what something changed to, without what from ("The first stage
    increased the thrust to 1,600,000 pounds-force"): the level is some answer to how much it
    rose (a SQuAD question, "How much did the second stage increase thrust by …?", is answered
    by it)."""
    return any(_quantity(m, "new") is not None for m in _TO_LEVEL.finditer(sentence))


@dataclass(frozen=True)
class Found:
    """A change a sentence gives: written out (`written`: "4 percent", "two fewer", "doubled") or
    by its two ends (`change`), the way it goes ("up", "down" or ""), and the clause it is told in
    ("while the number of teachers fell to 300 from 353": the teachers', not the pupils')."""

    written: str | None
    change: Change | None
    way: str
    clause: str
    start: int
    begin: int  # where its clause begins in the sentence


# Where a clause of a sentence ends: what is told after it may be of another quantity.
_CLAUSE_END = re.compile(r"[;:]|,\s+(?:while|and|but|whereas|as|with)\b|\s+(?:while|whereas)\b|,", re.IGNORECASE)


def _clause_of(sentence: str, start: int, end: int) -> tuple[int, str]:
    """Where the clause of `sentence` from `start` to `end` begins, and its text: from the last
    boundary before `start` (or the one before that, where the change opens its clause: "14
    homicides, two fewer than in 2023" is of the homicides) to the next after `end`."""
    begins = [0, *(m.end() for m in _CLAUSE_END.finditer(sentence, 0, start))]
    begin = begins[-1]
    if not re.search(r"[^\W\d_]{2,}", sentence[begin:start]) and len(begins) > 1:
        begin = begins[-2]
    after = _CLAUSE_END.search(sentence, end)
    return begin, sentence[begin : after.start() if after else len(sentence)]


def _way(verb: str) -> str:
    verb = re.sub(r"\s+", " ", verb)
    return "up" if _UP.match(verb) else "down" if _DOWN.match(verb) else ""


def changes_in(sentence: str, question: str = "") -> list[Found]:
    """Every change `sentence` gives, in its order: written out ("rose 4 percent", "a rise of
    about $400,000", "two fewer than in 2023", "doubled"), or by two ends where it writes none
    of them ("612, up from 466", "rose to 4.1 percent from 3.8 percent"); of a question that asks
    which way ("rise"), those that go that way, where any does (the stock's "17 percent jump", not
    its "fell 1.8 percent" the next day)."""
    found: list[Found] = []
    for pattern in _STATED:
        for match in pattern.finditer(sentence):
            if match.groupdict().get("newcount"):  # "two fewer": the count and its comparison
                start, end = match.start("approx") if match["approx"] else match.start("newcount"), match.end("verb")
            elif match.groupdict().get("times"):  # "doubled", "rose fourfold", "fell by a third"
                start, end = match.start("times"), match.end("times")
            elif (quantity := _quantity(match, "new")) is not None:
                end = sentence.find(quantity.text, match.start("newnum") - len(quantity.currency)) + len(quantity.text)
                start = match.start("approx") if match["approx"] else end - len(quantity.text)
            else:
                continue
            begin, clause = _clause_of(sentence, min(start, match.start()), end)  # "up 7.5 percent" opens its clause
            found.append(Found(sentence[start:end], None, _way(match["verb"] or ""), clause, start, begin))
    written = [f.start for f in found]
    for pattern in (_FROM_TO, _TO_FROM):
        for match in pattern.finditer(sentence):
            old, new = _quantity(match, "old"), _quantity(match, "new")
            if old is not None and new is not None and _alike(old, new):
                first = min(match.start("oldnum"), match.start("newnum"))  # not its verb: "fell by a third, while … fell to"
                found.append(_by_ends(sentence, old.like(new), new.like(old), first, match.end()))
    for match in _UP_FROM.finditer(sentence):
        old = _quantity(match, "old")
        before = [(m, q) for m in _ANY_QUANTITY.finditer(sentence, 0, match.start()) if (q := _quantity(m, "new")) is not None]
        if old is not None and before and _alike(old, before[-1][1]):
            at, new = before[-1]
            found.append(_by_ends(sentence, old.like(new), new.like(old), at.start(), match.end()))
    # not two ends of a clause that writes its change out ("rose 4 percent to $3.10 from $2.98")
    found = [f for f in found if f.written is not None or not any(f.begin <= w < f.begin + len(f.clause) for w in written)]
    return the_way_asked(sorted(found, key=lambda f: f.start), question)


def the_way_asked(found: list[Found], question: str) -> list[Found]:
    """Of these changes, those that go the way `question` asks ("rise", "fewer"), where any does."""
    up, down = _ASKS_UP.search(question) is not None, _ASKS_DOWN.search(question) is not None
    if up != down:
        going = [f for f in found if f.way == ("up" if up else "down")]
        return going or found
    return found


def _by_ends(sentence: str, old: Quantity, new: Quantity, start: int, end: int) -> Found:
    way = "up" if new.value > old.value else "down" if new.value < old.value else ""
    begin, clause = _clause_of(sentence, start, end)
    return Found(None, Change(old, new), way, clause, start, begin)
