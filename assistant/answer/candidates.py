"""What could answer a question in a sentence: the kind of thing the question asks for
(who: a name, when: a date, where: a place, how many: a number ...) and the spans of a
sentence that are of that kind, found by patterns (capitalised phrases, numbers, dates,
amounts, quotations), never by a model.

The reader uses them twice: whether a sentence holds a span of the wanted kind near the
question's words is a feature of its score, and the best span of the best sentence leads the
answer ("Squid Game [1]").
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from assistant.answer.answer_types import (
    CLOCK_TIME,
    CROWNS,
    CURRENCY_CODES,
    CURRENCY_NAMES,
    CURRENCY_SYMBOLS,
    DURATION_UNITS,
    LARGE_CROWNS,
    MONEY_ONLY_NAMES,
    WHOSE,
    AnswerType,
)
from assistant.dates import MONTHS, month_names
from assistant.relative_time import LOOKS_AHEAD
from assistant.search.lexical import STOPWORDS, content_terms

KINDS = (
    "person",
    "date",
    "place",
    "number",
    "money",
    "duration",
    "thing",
    "reason",
    "manner",
    "other",
    "statement",
)

# A month as written, capitalised ("may" is a verb); an abbreviation with or without its dot.
_MONTHS = "|".join(
    name.capitalize() + (r"\.?" if any(len(other) > len(name) for other in month_names(number)) else "")
    for name, number in sorted(MONTHS.items(), key=lambda item: len(item[0]), reverse=True)
)
_MONTHS_ALONE = r"(?:January|February|March|April|June|July|August|September|October|November|December)"
_NUMBER_WORDS = (
    r"one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen"
    r"|sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety"
    r"|hundred|thousand|million|billion|dozen|half"
)
# A number's scale as a candidate span reads it: a word after a space ("5 million"), or "bn"/"mn"
# with or without one. answer_types.SCALE, which only asks whether a sentence holds the kind, also
# reads "5million"; here that would widen the candidates the span model was trained on.
_SCALE = r"(?:\s(?:hundred|thousand|million|billion|trillion)|\s?(?:bn|mn)\b)?"
_UNITS = (
    r"seconds?|minutes?|hours?|days?|weeks?|months?|years?|decades?|centuries|century"
    r"|km|kilomet(?:er|re)s?|met(?:er|re)s?|miles?|feet|foot|inch(?:es)?|yards?|acres?|square \w+"
    r"|percent|per cent|%|kg|kilograms?|pounds?|tons?|tonnes?|degrees?|people|points?|times"
)
_PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    (
        "money",
        re.compile(
            # a dollar of a country ("C$190 million", "US$5", "HK$1.2bn") is read whole
            rf"(?:\b(?-i:[A-Z]{{1,3}}))?[{CURRENCY_SYMBOLS}]\s?\d[\d,.]*{_SCALE}|\b{CURRENCY_CODES}\s?\d[\d,.]*{_SCALE}"
            rf"|\b\d[\d,.]*{_SCALE}\s{WHOSE}(?:{CURRENCY_NAMES}|{CURRENCY_CODES})\b|\b\d[\d,.]*{_SCALE}\s{CROWNS}\b|{LARGE_CROWNS}",
            re.IGNORECASE,
        ),
    ),
    # a time of day ("3:15 a.m.", "11.30pm", "6 p.m.", "noon"), read as a date: it says when
    ("date", CLOCK_TIME),
    (
        "date",
        re.compile(
            rf"\b(?:\d{{4}}-\d{{2}}-\d{{2}}|\d{{1,2}}/\d{{1,2}}/\d{{2,4}}"  # 2022-02-12, 12/02/2022
            # "the 17th of last December", "17th of March 2021"
            rf"|(?:the\s)?\d{{1,2}}(?:st|nd|rd|th)\sof\s(?:(?:last|next|this)\s)?(?:{_MONTHS})(?:,?\s\d{{4}})?"
            rf"|(?:{_MONTHS})\s\d{{1,2}}(?:st|nd|rd|th)?(?:,?\s\d{{4}})?|\d{{1,2}}\s(?:{_MONTHS})(?:\s\d{{4}})?"
            rf"|(?:{_MONTHS})\s\d{{4}}|(?:(?:early|mid|late)[\s-]?)?\d{{4}}s?|\d{{1,2}}(?:st|nd|rd|th)\scentury"
            r"|(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"
            # a month alone ("in March", "mid-October"); not "May", a name and a verb as often
            rf"|(?:(?:early|mid|late)[\s-])?{_MONTHS_ALONE})\b"
        ),
    ),
    (
        "duration",
        re.compile(
            # an age is read whole: "71-year-old", not "71-year"
            rf"\b(?:\d[\d,.]*{_SCALE}|{_NUMBER_WORDS}|several)[\s-]+(?:{DURATION_UNITS})(?:-old)?\b",
            re.IGNORECASE,
        ),
    ),
    (
        "number",
        re.compile(
            rf"\b(?:\d[\d,.]*{_SCALE}|(?:{_NUMBER_WORDS})(?:[\s-](?:{_NUMBER_WORDS}))*)(?:\s?(?:{_UNITS}))?(?![\w])",
            re.IGNORECASE,
        ),
    ),
    ("quoted", re.compile(r"[\"“]([^\"”]{2,60})[\"”]")),
]
_CAPITALISED = re.compile(
    r"\b[A-Z][\w'’.-]*(?:\s+(?:(?:of|the|de|del|da|van|von|du|la|and|for|&)\s+)*[A-Z0-9][\w'’.-]*)*"
)
_CONTENT_RUN = re.compile(r"[A-Za-z0-9][\w'’-]*(?: [A-Za-z0-9][\w'’-]*)*")

# Candidate kinds that can answer each question kind.
COMPATIBLE = {
    "person": ("name",),
    "place": ("name",),
    "date": ("date",),
    "number": ("number", "money", "duration"),
    "money": ("money", "number"),
    "duration": ("duration", "date", "number"),
    "thing": ("name", "quoted", "phrase", "number", "date"),
    "other": ("name", "quoted", "phrase", "number", "date"),
    "reason": ("phrase",),
    "manner": ("phrase",),
    "statement": ("quoted", "phrase"),
}
_SAYING = re.compile(
    r"\bwhat (?:did|does|do|has|have|had|will|would|was|were|is|are)\b.*\b(?:say|said|tell|told|think|thought"
    r"|want|wanted|ask|asked|stress|stressed|warn|warned|propose|proposed|mean|claim|claimed|believe|describe"
    r"|agree|agreed|discuss|discussed|call for|point out|note|noted|insist|react|do)\b",
    re.IGNORECASE,
)


def question_kind(question: str) -> str:
    """The kind of thing a question asks for, from its wh-words."""
    q = question.lower()
    if re.search(r"\bhow (?:long|old)\b", q):
        return "duration"
    if re.search(r"\bhow much\b", q):
        money = rf"\b(?:money|cost|costs|price|pay|paid|spend|spent|worth|budget|fund|funds|funding|{MONEY_ONLY_NAMES})\b"
        return "money" if re.search(money, q) else "number"
    if re.search(r"\bhow (?:many|far|big|large|tall|high|fast|often)\b|\bwhat (?:percentage|percent|number)\b", q):
        return "number"
    if re.search(r"\bwhen\b|\bwhat (?:year|date|day|month|century|decade|time)\b|\bwhich (?:year|date|day|month)\b", q):
        return "date"
    if re.search(r"\bwhere\b|\b(?:what|which) (?:country|city|state|place|region|town|county|continent)\b", q):
        return "place"
    if re.search(r"\bwho(?:m|se)?\b|\b(?:what|which) (?:person|man|woman|team|company|group|organi[sz]ation)\b", q):
        return "person"
    if _SAYING.search(q):
        return "statement"  # "What did Putin say NATO ignored?": a clause, not a name
    if re.search(r"\bwhy\b", q):
        return "reason"
    if re.search(r"\bhow\b", q):
        return "manner"
    if re.search(r"\b(?:what|which)\b", q):
        return "thing"
    return "other"


_NAMES_A_THING = re.compile(
    r"\b(?:which|what)\s+(?!(?:is|was|are|were|happened|happens|happen|did|does|do|has|have|had|can|could"
    r"|would|will|should|may|might|about|else|kind|sort|type)\b)[a-z]+",
    re.IGNORECASE,
)
_ASKS_WHEN = re.compile(
    r"^\W*(?:since |until )?when\b|\bwhen (?:did|was|is|were|will|does|do|had|has|have|are|would|could)\b"
    r"|\b(?:what|which) (?:year|date|day|month|century|decade|time)\b",
    re.IGNORECASE,
)


def names_a_thing(question: str) -> bool:
    """"Which show ...?", "What team ...?": the question names the kind of thing it wants, so a
    name can answer it; "What happened ...?" or "What was ...?" want more than a name."""
    return _NAMES_A_THING.search(question) is not None


_ASKS_YES_OR_NO = re.compile(
    r"^\W*(?:did|does|do|is|are|was|were|will|would|has|have|had|can|could|should|shall|may|might|must)\b",
    re.IGNORECASE,
)


def asks_yes_or_no(question: str) -> bool:
    """"Did China sign the accord?", "Will the plant close?": a claim to confirm or deny."""
    return _ASKS_YES_OR_NO.search(question) is not None


# A yes-or-no question in the present ("Has the Harlow bridge reopened?", "Is the mine still
# closed?") asks how things stand now: the newest report that answers settles it.
_ASKS_HOW_IT_STANDS = re.compile(r"^\W*(?:is|are|has|have)\b", re.IGNORECASE)


def asks_how_it_stands(question: str) -> bool:
    """"Has the Harlow bridge reopened?", "Is the port strike over?": a yes-or-no question of how
    things stand now."""
    return _ASKS_HOW_IT_STANDS.search(question) is not None


# "When will the bridge reopen?", "When is the report expected?", "When does Kestrel plan to …?":
# when something still to come will happen
_ASKS_WHEN_AHEAD = re.compile(
    r"^\W*when\s+(?:will|would|is|are|does|do)\b(?:(?!\?).)*?\b(?:will|expected|due|scheduled|set|plans?|planned|going\s+to|next|now|reopen|restart|resume)\b"
    r"|^\W*when\s+will\b",
    re.IGNORECASE,
)


def asks_when_ahead(question: str) -> bool:
    """"When will the bridge reopen?", "When is the ruling expected?": a question about when
    something still to come will happen, answered by a day, a month or a time ahead ("next
    week", "by the end of the year")."""
    return _ASKS_WHEN_AHEAD.search(question) is not None


# A time ahead as news writes it without a date: "next week", "by the end of the year", "within
# two weeks", "in the coming months", "later this year", "soon", "in the spring".
_TIME_AHEAD = re.compile(
    r"\b(?:next|this|coming|later\s+this|early\s+next|late\s+next|end\s+of\s+(?:the|this|next))\s+"
    r"(?:week|weekend|month|year|spring|summer|autumn|fall|winter|season|quarter|decade)\b"
    r"|\bby\s+the\s+end\s+of\b|\b(?:within|in|after)\s+(?:the\s+)?(?:coming\s+|next\s+)?(?:\w+\s+)?(?:days?|weeks?|months?|years?|hours?)\b"
    r"|\b(?:soon|shortly|imminently|tomorrow|tonight)\b|\b(?:spring|summer|autumn|winter)\b|\bmid-\w+",
    re.IGNORECASE,
)


# A date written as a time something waits for: "set a sentencing hearing for Feb. 9", "remain
# closed until March", "by Friday", "products to be available in 2016".
_WAITED_FOR = re.compile(
    r"(?:\b(?:for|until|till|by|before)|\bto\s+be\s+\w+\s+(?:in|on|by|from|at))\s+(?:the\s+)?$", re.IGNORECASE
)


def dated(sentence: str, near: frozenset[str] | None = None, ahead: bool = False) -> bool:
    """Whether a sentence, past its dateline, writes a day, a month, a year, a time of day or a
    time ahead ("next week", "within two weeks"); with `near`, one that has a word of these
    stems within DATED_NEAR words ("will go to a vote in the municipal assembly on Oct. 21");
    `ahead`, only a date still to come: a time ahead, or a date in a sentence that looks ahead
    ("will reopen on Monday", "is due to be sentenced on Feb. 9") or that is waited for ("set a
    hearing for Feb. 9"); not "Residents were allowed home on Wednesday"."""
    after = dateline_end(sentence)
    spans = [m.span() for m in _TIME_AHEAD.finditer(sentence, after)]
    looks_ahead = not ahead or LOOKS_AHEAD.search(sentence, after) is not None
    spans += [
        (c.start, c.end)
        for c in candidates(sentence)
        if c.kind == "date" and c.start >= after and (looks_ahead or _WAITED_FOR.search(sentence, after, c.start))
    ]
    return bool(spans) if near is None else beside(sentence, spans, near, DATED_NEAR)


def names_given(sentence: str, asked: frozenset[str]) -> list[Candidate]:
    """The names a sentence writes past its dateline that are not all of the stems `asked` (a
    question's): "Ernesto Quiroga" of "Who discovered the fossil?", not "the Axarquia Growers'
    Union" of "Who heads the Axarquia Growers' Union?"."""
    after = dateline_end(sentence)
    found = []
    for c in candidates(sentence):
        own = set(content_terms(c.text))
        if c.kind == "name" and c.start >= after and own and not own <= asked:
            found.append(c)
    return found


def gives_a_name(sentence: str, asked: frozenset[str], near: frozenset[str] | None = None) -> bool:
    """Whether a sentence writes a name that is not all of the stems `asked` (`names_given`); with
    `near`, one within DATED_NEAR words of a word of these stems ("the driver, Jan Novak")."""
    spans = [(c.start, c.end) for c in names_given(sentence, asked)]
    return bool(spans) if near is None else beside(sentence, spans, near, DATED_NEAR)


def beside(sentence: str, spans: Iterable[tuple[int, int]], near: frozenset[str], within: int) -> bool:
    """Whether a word of the stems `near` stands within `within` words of one of the spans (offsets
    in the sentence)."""
    words = word_positions(sentence)
    stems_at = word_stems(words)
    for start, end in spans:
        first = next((i for i, (at, _) in enumerate(words) if at >= start), len(words))
        last = next((i for i, (at, _) in enumerate(words) if at >= end), len(words))
        if near & set(stems_at[max(0, first - within) : last + within]):
            return True
    return False


# The marks that end a clause: a comma, semicolon, colon, bracket or dash.
CLAUSE_MARK = re.compile(r"[,;:()\u2013\u2014]")
DATED_NEAR = 6  # words on either side of a date in which a word of what it dates stands


_WRITTEN_WORD = re.compile(r"[\w'’.-]+")


def uncapitalised(text: str) -> str:
    """The words of `text` not written with a capital: what it asks or tells of, not whom or what
    it names ("ticket prices" of "Northgate Athletic's ticket prices")."""
    return " ".join(w for w in _WRITTEN_WORD.findall(text) if not w[:1].isupper())


def uncapitalised_terms(question: str) -> frozenset[str]:
    """The stems of the words a question does not capitalise: what it asks, not whom or what it
    names ("vote", "assembly" of "When will the municipal assembly vote on Ferraz's plan?")."""
    return frozenset(content_terms(uncapitalised(question)))


# "Who heads the union?", "Whom did she marry?", "Whose complaint set off the inquiry?"
_ASKS_WHO = re.compile(r"^\W*who(?:m|se)?\b", re.IGNORECASE)


def asks_who(question: str) -> bool:
    """"Who heads the union?": a question that asks for someone; not one that asks who only later
    ("According to Tesla, what had the spies who …?")."""
    return _ASKS_WHO.search(question) is not None


# "What is the name of the driver of the derailed train?", "What were the names of the couple
# killed …?": what is named is described up to the first word that says more of it (a relative
# word, a preposition, a verb, or a name after the description: "the app Orbweave makes").
_NAME_OF = re.compile(
    r"^\W*what\s+(?:is|was|are|were)\s+(?:the\s+)?(?:(?:full|first|last|real)\s+)?names?\s+of\s+"
    r"(?:(?:the|a|an|its|his|her|their)\s+)?(.+)$",
    re.IGNORECASE,
)
# The words that end a description of a thing and say more of it: a relative word, a preposition,
# a verb ("the driver of the derailed train", "How many jobs will the expansion create?").
AFTER_THE_NOUN = frozenset(
    """who whose whom that which where when of in at on from for with by to near over about after before
    during since between among than is are was were be been has have had do does did will would can could
    should may might must""".split()
)


def asks_the_name_of(question: str) -> bool:
    """"What is the name of the driver …?": a question whose word "name" asks for a name, which an
    answer gives without the word ("The train's driver, Jan Novak, …")."""
    return _NAME_OF.match(question) is not None


def named_thing(question: str) -> frozenset[str]:
    """The stems of the words that describe what a "What is the name of …?" question asks the
    name of, not its names (the story's): {"driver"} of "What is the name of the driver of the
    derailed Adamov train?", {"roof", "subcontractor"} of "… of the roofing subcontractor one
    suspect worked for?"; none for other questions."""
    asked = _NAME_OF.match(question)
    if asked is None:
        return frozenset()
    described: list[str] = []
    for word in _WRITTEN_WORD.findall(asked.group(1)):
        lower = word.lower()
        if lower in AFTER_THE_NOUN:
            break
        if described and lower.endswith(("ing", "ed")) and "-" not in lower and len(lower) > 4:
            break  # "the elderly couple killed in …", not "the roofing subcontractor"
        if word[:1].isupper() and described and not described[-1][:1].isupper():
            break  # "the app Orbweave makes"
        described.append(word)
    return frozenset(
        t for w in described if not w[:1].isupper() and not any(c.isdigit() for c in w) for t in content_terms(w)
    )


# "How did the strike affect school breakfast programs?", "How will the takeover change mortgage
# rates?": what the question asks the effect on is what follows the verb; not "How did the
# checks change after the seizure?", where what changed comes first.
_ASKS_AN_EFFECT = re.compile(
    r"^\W*how\s+(?:did|will|would|could|might|has|have|does|do|is|was)\s+.+?\s+"
    r"(?:affect|affected|impact|impacted|change|changed|hit|hurt|alter|altered)\s+"
    r"(?!(?:after|before|between|once|since|when|while|from|over|during|in|on|at|by|as|if)\b)(.+?)\??$",
    re.IGNORECASE,
)


def effect_on(question: str) -> list[str]:
    """The words, not names, of what a question asks an event's effect on: "school", "breakfast",
    "programs" of "How did the teachers' strike affect school breakfast programs in New
    Brunswick?"; none for other questions."""
    asked = _ASKS_AN_EFFECT.match(question)
    if asked is None:
        return []
    return [w for w in _WRITTEN_WORD.findall(asked.group(1)) if w[:1].islower() and content_terms(w)]


def asks_when(question: str) -> bool:
    """"When was ...?", "In what year ...?"; not "What happened when ...?"."""
    return _ASKS_WHEN.search(question) is not None


@dataclass(frozen=True)
class Candidate:
    text: str
    start: int  # character offsets in the sentence
    end: int
    kind: str  # name, date, number, money, duration, quoted, phrase


def _strip_stopwords(text: str, start: int) -> tuple[str, int] | None:
    """`text` (found at `start`) without its leading stopwords ("The", "In")."""
    for m in re.finditer(r"[\w'’.-]+", text):
        if m.group().lower() not in STOPWORDS:
            return text[m.start() :], start + m.start()
    return None


# A wire story's dateline: where and when it was filed, not what it reports ("LEEDS, Aug 26 —",
# "MONCTON, New Brunswick, Oct. 21 (ECN) -", "MOSCOW, Feb. 12 (Xinhua) --", "SAO PAULO -"). Its
# city and date answered none of the questions whose short answer they were (12 of 12 in the
# constructed news, 2026-12-04), so no span of it leads an answer (spans.py).
_DATELINE = re.compile(
    r"^\W*[A-Z][A-Z'’.-]+(?:\s[A-Z][A-Z'’.-]+)*"  # the city, in capitals
    r"(?:,\s[A-Z][\w'’.-]*(?:\s[A-Z][\w'’.-]*)*)?"  # its region or country
    rf"(?:,?\s(?:{_MONTHS})\s\d{{1,2}}(?:,\s\d{{4}})?)?"  # the day
    r"\s*(?:\([^()]{1,40}\)\s*)?(?:--|[-–—])\s+(?=[A-Z\"“‘'])"  # the agency, the dash, the story
)


def dateline_end(sentence: str) -> int:
    """Where the sentence's dateline ends (0: it has none)."""
    m = _DATELINE.match(sentence)
    return m.end() if m else 0


def reported(wanted: AnswerType, sentence: str) -> Iterator[tuple[int, int]]:
    """Where the sentence reports something of the kind asked for (offsets in the sentence). Its
    dateline does not count: where and when a story was filed ("LISBON, June 18 -") is not what
    it reports, and its day is no answer to "how many"."""
    start = dateline_end(sentence)
    return ((m.start() + start, m.end() + start) for m in wanted.matches(sentence[start:]))


# A reference mark a page copied from an encyclopaedia keeps: "330 metres tall [2]".
_FOOTNOTE = re.compile(r"\[\d{1,3}\]|\[(?:citation|clarification) needed\]", re.IGNORECASE)


def candidates(sentence: str) -> list[Candidate]:
    """Spans of `sentence` that could be an answer, of every kind, in order, overlaps kept; a
    footnote's mark ("[2]") is none."""
    found: list[Candidate] = []
    taken: set[int] = {i for m in _FOOTNOTE.finditer(sentence) for i in range(m.start(), m.end())}
    for kind, pattern in _PATTERNS:
        for m in pattern.finditer(sentence):
            start, end = m.span(1) if kind == "quoted" else m.span()
            raw = sentence[start:end]
            text = raw.strip(" ,.;:")
            if text[-3:].lower() in ("a.m", "p.m") and raw.rstrip(" ,;:").endswith("."):
                text += "."  # "3:15 a.m." keeps its last dot
            start += len(raw) - len(raw.lstrip(" ,.;:"))  # the span is where its text is
            if not text or any(i in taken for i in range(start, end)):
                continue
            if kind == "number" and not re.search(r"\d|[a-z]{3}", text, re.IGNORECASE):
                continue
            taken.update(range(start, end))
            found.append(Candidate(text, start, start + len(text), kind))
    for m in _CAPITALISED.finditer(sentence):
        trimmed = _strip_stopwords(m.group(), m.start())
        if trimmed is None or any(i in taken for i in range(m.start(), m.end())):
            continue
        text, start = trimmed
        found.append(Candidate(text.rstrip(".,;:'’"), start, start + len(text.rstrip(".,;:'’")), "name"))
    for m in _CONTENT_RUN.finditer(_mask_stopwords(sentence)):
        text = m.group()
        if any(i in taken for i in range(m.start(), m.end())) or len(text) < 3:
            continue
        found.append(Candidate(text, m.start(), m.end(), "phrase"))
    return sorted(found, key=lambda c: c.start)


def _mask_stopwords(sentence: str) -> str:
    """The sentence with stopwords and punctuation blanked (same length), so runs of the rest
    are rough noun phrases."""
    masked = re.sub(r"[^\w\s'’-]", "|", sentence)
    return re.sub(
        r"[\w'’-]+", lambda m: "|" * len(m.group()) if m.group().lower() in STOPWORDS else m.group(), masked
    )


def word_positions(sentence: str) -> list[tuple[int, str]]:
    """The sentence's words and where each starts."""
    return [(m.start(), m.group()) for m in re.finditer(r"[\w'’-]+", sentence)]


def word_stems(words: list[tuple[int, str]]) -> list[str]:
    """Each word's stem ("" for a stopword), so question words are found by position."""
    return [(content_terms(w) or [""])[0] for _, w in words]


def placement(words: list[tuple[int, str]], anchors: list[int], candidate: Candidate) -> tuple[int, int, int]:
    """The candidate's first and last word, and how many words lie between it and the nearest
    anchor (a question word of the sentence; 99: none)."""
    first = next((i for i, (start, _) in enumerate(words) if start >= candidate.start), len(words))
    last = max(first, next((i for i, (start, _) in enumerate(words) if start >= candidate.end), len(words)) - 1)
    return first, last, min((max(a - last, first - a, 0) for a in anchors), default=99)


@dataclass(frozen=True)
class CandidateMatch:
    """The best span of a sentence for a question, and how it stands."""

    candidate: Candidate | None
    typed: bool  # of a kind the question asks for
    distance: int  # words between it and the nearest question word in the sentence (99: none)
    count: int  # spans of the wanted kind that are not question words


def best_candidate(sentence: str, kind: str, question_stems: frozenset[str]) -> CandidateMatch:
    """The span of a kind the question wants, not made of the question's own words, closest
    to the question words the sentence repeats."""
    words = word_positions(sentence)
    anchors = [i for i, stem in enumerate(word_stems(words)) if stem in question_stems]
    wanted = COMPATIBLE.get(kind, ())
    best: tuple[tuple[int, int], Candidate] | None = None
    count = 0
    for cand in candidates(sentence):
        if cand.kind not in wanted:
            continue
        own = set(content_terms(cand.text))
        if not own or own & question_stems:
            continue  # "Vladimir Putin" does not answer a question about Putin
        count += 1
        _, _, distance = placement(words, anchors, cand)
        rank = (wanted.index(cand.kind), distance)
        if best is None or rank < best[0]:
            best = (rank, cand)
    if best is None:
        return CandidateMatch(None, False, 99, 0)
    return CandidateMatch(best[1], True, best[0][1], count)
