"""Which span of the answering sentence is the answer itself: the short answer that leads.

`candidates.py` finds the spans of a sentence that could answer (names, dates, numbers,
amounts, quotations, rough noun phrases). Which of them answers was a fixed rule (the span of the
wanted kind nearest the question's words); on the eval's questions the span it led with held an
accepted answer about half the time: sentence-initial words ("Thus", "However"), nationalities
used as adjectives ("British bacteriologist J. F. D. Shrewsbury": "British") and possessives
("Russia's") passed for names. Here a small gradient-boosted model, trained on SQuAD v1.1 dev
part 1's training articles and the constructed news's training stories (training/train_span.py),
gives each span a probability that it is the answer, from what the span is (its kind, length,
how common its words are in English), where it stands (next to the question's words, first in
the sentence, before a lowercase noun, after "by" or "in") and what the question asks for. The
best span leads the answer only when that probability reaches the model's `lead_at` setting,
chosen in training so that a lead is right at least LEAD_PRECISION of the time on held-out
questions.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np

from assistant.answer.answer_types import COUNT
from assistant.answer.candidates import (
    AFTER_THE_NOUN,
    CLAUSE_MARK,
    CLOCK_TIME,
    COMPATIBLE,
    KINDS,
    Candidate,
    candidates,
    dateline_end,
    placement,
    reported,
    word_positions,
    word_stems,
)
from assistant.answer.evidence import PEOPLE
from assistant.answer.reader import Forest, read_model_file
from assistant.dates import WEEKDAYS
from assistant.search.background import rarity
from assistant.search.lexical import IRREGULAR_FORMS, STOPWORDS, content_terms

MODEL_PATH = Path(__file__).resolve().parent / "models" / "span.json"
MODEL_SHA256 = "90ca6fb65870aa533741acc5d9ab5d369568499d1abb5d293fc6c00d00797e19"
SPAN_KINDS = ("name", "date", "number", "money", "duration", "quoted", "phrase")
_PREPOSITIONS = ("in", "at", "on", "by", "of", "from", "to", "for", "as", "with")
# "Which show ...?", "What principle ...?", "Whose party ...?": the noun the question names.
_TARGET = re.compile(r"\b(?:which|what|whose)\s+([a-z][\w-]*)", re.IGNORECASE)
TARGET_WINDOW = 3  # words either side of a span in which the question's target noun counts
# "How much did the shares fall?", "By how much did exports grow?", "What share (stake) of ...?":
# news reports a change or a share as a percentage, and where the sentence gives one, a sum or a
# count beside it ("61.40 zlotys" a share, "$1.41 billion" of revenue) does not lead.
_CHANGES = (
    r"fall|fell|fallen|drop|dropped|rise|rose|risen|grow|grew|grown|gain|gained|climb|climbed|jump|jumped"
    r"|slide|slid|sink|sank|slump|slumped|surge|surged|soar|soared|increase|increased|decrease|decreased"
    r"|decline|declined|(?:go|gone|went) (?:up|down)|shrink|shrank|shrunk|lose|lost|boost"
)
_ASKS_PERCENT = re.compile(
    r"\b(?:what|which) (?:share|stake|percentage|proportion|percent)\b|\bby how much\b"
    rf"|\bhow (?:much|far|fast|sharply|steeply)\b(?=.*\b(?:{_CHANGES})\b)",
    re.IGNORECASE,
)
# A number with a fraction and no scale ("6.6", "7.0", not "1.2 million"): a measure, never a count
# of people or homes ("How many people died?" led with the "6.6" of "a magnitude 6.6 earthquake").
_FRACTIONAL = re.compile(r"^\D*\d+\.\d+(?!\d)(?!\s*(?:hundred|thousand|million|billion|trillion|bn|mn|m|k)\b)", re.IGNORECASE)
_PERCENT = re.compile(r"%|\bper ?cent\b|\bpercentage points?\b", re.IGNORECASE)
# "What time did the fire break out?" asks for a time of day: a day ("Saturday") does not answer it.
_ASKS_CLOCK = re.compile(r"\b(?:what|which) (?:time|hour)\b(?! (?:of|in) (?:the )?(?:year|day|week|month|life)\b)", re.IGNORECASE)
# "How many of the films ...?" asks for a part: "four of the 14 films" answers it with "four", and
# the whole ("14", after "of the") is not the answer.
_ASKS_PART = re.compile(r"\bhow many of\b", re.IGNORECASE)
_OF_THE_WHOLE = re.compile(
    r"\bof (?:the|its|their|his|her|these|those|all)(?P<owner>\s+[\w-]+(?:'s|’s|s'|s’))?\s+$", re.IGNORECASE
)
# "9 of the 15 trapped miners", "11 of the city's 14 wards": a part, then its whole. "How many
# miners were rescued?" asks for the part; a question that names what makes the whole one (its
# owner, or a word between it and the noun counted: "How many miners were trapped?", "How many
# wards does the city have?") asks for the whole.
_COUNTED = re.compile(r"\bhow many\s+([a-z][\w-]*)", re.IGNORECASE)
# "How many stores does Brenner have?", "How many were there in all?": the whole, whoever owns it.
_ASKS_WHOLE = re.compile(
    r"\b(?:have|has|had|own|owns|operate|operates|run|runs|employ|employs)\W*$|\bin (?:total|all)\b|\baltogether\b"
    r"|\b(?:are|were) there\b",
    re.IGNORECASE,
)
_CLAUSE_JOINS = frozenset("and or but while whereas".split())
_AUXILIARIES = frozenset("had has have was were been is are be".split())
TIED_WORDS = 2  # stopwords between a count (and its noun) and the verb that ties it to what it counts
WHOLE_WORDS = 2  # words between the whole and its noun that may say what makes it one ("15 trapped miners")
# "How many vehicles ...?" asks for a count: a share ("14.6 percent") never leads it, whatever
# else the sentence holds ("How many percent ...?" asks for the share).
_ASKS_COUNT = re.compile(r"\bhow many\b(?!\s+(?:percent|per cent|percentage))", re.IGNORECASE)
# A name that speaks is someone's, not a place: "Museum director Claire Dumas said …", "the Prairie
# Teachers' Pension Fund, said on Wednesday …" (a review of short answers to "where" questions:
# all 6 such leads on the development and eval sets were wrong).
_SPEAKS = re.compile(r",?\s+(?:said|says|told|added|announced|stated|warned|wrote)\b", re.IGNORECASE)
# "How long ...?" asks for a length of time: a day by its name ("Tuesday", "yesterday") says
# when, not how long.
_DAY_BY_NAME = re.compile(
    rf"^(?:(?:last|next|this|on)\s+)?(?:{'|'.join(WEEKDAYS)}|today|tonight|yesterday|tomorrow)$", re.IGNORECASE
)

# Words that make a role another one: "deputy press secretary", "former minister", "vice
# president", "shadow chancellor", "then-governor". A name the sentence gives such a role, where
# the question asks for the role itself ("Who is the White House press secretary?" of "said Hogan
# Gidley, the principal deputy White House press secretary"), is not the answer; "principal",
# "chief" or "senior" may stand between ("principal deputy").
_OTHER_ROLE = frozenset("deputy assistant vice former ex associate under shadow then".split())
_RANK = frozenset("principal chief senior first".split())
APPOSITIVE_WORDS = 3  # "Hogan Gidley, the principal deputy ...": words from a name to its role
_APPOSITION = re.compile(rf"^\s*[,(]\s*(?:(?:the|a|an|his|her|its|their|{'|'.join(sorted(_RANK))})\s+)*$", re.IGNORECASE)


def _other_role_beside(words: list[tuple[int, str]], stems_at: list[str], question: str) -> list[tuple[int, int]]:
    """Where the sentence names a role the question asks for, made another by a word the question
    does not use (`_OTHER_ROLE`): the first and last word of each such phrase."""
    asked = {w.casefold() for w in re.findall(r"[\w'’]+", question)}
    role = set(content_terms(question))
    found = []
    for i, (_, word) in enumerate(words):
        head, *rest = word.casefold().split("-")
        if head not in _OTHER_ROLE or head in asked:
            continue
        if rest:  # "ex-president", "vice-chair"
            if (stems := content_terms(" ".join(rest))) and set(stems) <= role:
                found.append((i, i))
            continue
        j = i + 1
        while j < len(words) and words[j][1].casefold() in _RANK:
            j += 1
        end = j
        while end < len(words) and stems_at[end] and stems_at[end] in role:
            end += 1
        if end > j:
            found.append((i, end - 1))
    return found


FEATURES: tuple[str, ...] = (
    *(f"span_{k}" for k in SPAN_KINDS),
    *(f"asks_{k}" for k in KINDS),
    "compatible",
    "compatible_rank",
    "question_share",
    "distance",
    "before_question_words",
    "words",
    "first_in_sentence",
    "lowercase_after",
    "possessive",
    "rarity_min",
    "rarity_max",
    "rarity_mean",
    "compatible_spans",
    "nearer_compatible_spans",
    "sentence_coverage",
    "has_digit",
    *(f"after_{p}" for p in _PREPOSITIONS),
    "target_before",
    "target_after",
    "target_in_span",
)


@dataclass(frozen=True)
class ScoredSpan:
    candidate: Candidate
    probability: float


def target_noun(question: str) -> str | None:
    """The stem of the noun a "which/what/whose X" question names, if any."""
    for m in _TARGET.finditer(question):
        stems = content_terms(m.group(1))
        if stems:
            return stems[0]
    return None


def span_rows(
    sentence: str, kind: str, question_stems: frozenset[str], target: str | None = None
) -> tuple[list[Candidate], list[list[float]]]:
    """Every candidate span of `sentence` not made of the question's own words, and its FEATURES
    (`target`: the stem of the noun the question names, see `target_noun`)."""
    words = word_positions(sentence)
    stems_at = word_stems(words)
    anchors = [i for i, stem in enumerate(stems_at) if stem in question_stems]
    wanted = COMPATIBLE.get(kind, ())
    spans: list[Candidate] = []
    placed: list[tuple[int, int, int]] = []  # first word, last word, distance
    for cand in candidates(sentence):
        own = content_terms(cand.text)
        if not own or set(own) <= question_stems:
            continue
        spans.append(cand)
        placed.append(placement(words, anchors, cand))
    compatible = [c.kind in wanted for c in spans]
    rows = []
    coverage = len({stems_at[a] for a in anchors}) / max(len(question_stems), 1)
    for cand, (first, last, distance), ok in zip(spans, placed, compatible):
        own = content_terms(cand.text)
        rare = [rarity(t) for t in own]
        after = words[last + 1][1] if last + 1 < len(words) else ""
        before = words[first - 1][1].lower() if first > 0 else ""
        rows.append(
            [
                *(float(cand.kind == k) for k in SPAN_KINDS),
                *(float(kind == k) for k in KINDS),
                float(ok),
                float(wanted.index(cand.kind)) if ok else 9.0,
                sum(t in question_stems for t in own) / len(own),
                float(distance),
                float(bool(anchors) and last < min(anchors)),
                float(len(cand.text.split())),
                float(first == 0),
                float(bool(after) and after[0].islower() and after.isalpha()),
                float(cand.text.endswith(("'s", "’s"))),
                min(rare),
                max(rare),
                sum(rare) / len(rare),
                float(sum(compatible)),
                float(sum(c and d < distance for c, (_, _, d) in zip(compatible, placed))),
                coverage,
                float(any(ch.isdigit() for ch in cand.text)),
                *(float(before == p) for p in _PREPOSITIONS),
                float(target is not None and target in stems_at[max(0, first - TARGET_WINDOW) : first]),
                float(target is not None and target in stems_at[last + 1 : last + 1 + TARGET_WINDOW]),
                float(target is not None and target in own),
            ]
        )
    return spans, rows


@dataclass(frozen=True)
class SpanModel:
    forest: Forest
    lead_at: float  # the one setting: a span leads the answer at this probability or more
    info: dict[str, Any]

    def best(self, sentence: str, question: str, kind: str, question_stems: frozenset[str]) -> ScoredSpan | None:
        """The span most likely to be the answer, and its probability; None without a span."""
        spans, rows = span_rows(sentence, kind, question_stems, target_noun(question))
        if not spans:
            return None
        probabilities = self.forest.probability(np.asarray(rows, dtype=np.float64))
        # A span of the dateline is read (it is part of the sentence the model learnt from) but
        # never leads: where and when a story was filed is not what it reports.
        filed = dateline_end(sentence)
        allowed = [n for n, span in enumerate(spans) if span.start >= filed]
        if _ASKS_PART.search(question):
            parts = [n for n in allowed if not _OF_THE_WHOLE.search(sentence[: spans[n].start])]
            allowed = parts or allowed
        elif _ASKS_COUNT.search(question):
            allowed = _part_or_whole(sentence, spans, allowed, question, question_stems)
            allowed = _tied_to_what_was_asked(sentence, spans, allowed, question, question_stems)
        if _ASKS_PERCENT.search(question):
            percent = [n for n in allowed if _PERCENT.search(spans[n].text)]
            allowed = percent or allowed
        elif _ASKS_COUNT.search(question):  # a count is no share, nor a fraction ("a magnitude 6.6 earthquake")
            allowed = [n for n in allowed if not _PERCENT.search(spans[n].text) and not _a_fraction(spans[n], question)]
            counts = [n for n in allowed if not _no_count(sentence, spans[n])]  # "Velkrin, 24,", "OR-90"
            allowed = counts or allowed
            if counted := counted_thing(question):  # "about 40 surgeries", not "two operating theatres"
                allowed = _counting_it(sentence, spans, allowed, counted)
        if kind == "duration":
            allowed = [n for n in allowed if not _DAY_BY_NAME.match(spans[n].text.strip())]
        if kind == "place":  # "Where was the director arrested?" is not "Claire Dumas" of "Claire Dumas said …"
            allowed = [n for n in allowed if not _SPEAKS.match(sentence, spans[n].end)]
        if _ASKS_CLOCK.search(question):
            allowed = [n for n in allowed if CLOCK_TIME.fullmatch(spans[n].text)]
        if named := _named_in(question):  # "Who did Markovic beat?" is not "Elena Markovic of Serbia"
            allowed = [n for n in allowed if not any(name <= set(content_terms(spans[n].text)) for name in named)]
        if other := _other_role_beside(words := word_positions(sentence), word_stems(words), question):
            allowed = [n for n in allowed if not _given_other_role(sentence, spans[n], words, other)]
        if not allowed:
            return None
        best = max(allowed, key=lambda n: probabilities[n])
        return ScoredSpan(spans[best], float(probabilities[best]))


# A name the question writes past its first word ("Who did Markovic beat?"), unless it offers a
# choice ("Who won, Markovic or Dubois?"): a span that holds all of it is what the question asks
# about, not its answer (a review of questions as people type them). One that shares a word of it
# may answer: "European Court of Justice" developed "European Union law".
_NAME_IN_QUESTION = re.compile(r"(?<=\S)\s+((?:[A-Z][\w'’-]*\s*)+)")


def _named_in(question: str) -> list[frozenset[str]]:
    """The content stems of each name the question writes past its first word; none where it
    offers a choice."""
    if re.search(r"\bor\b", question, re.IGNORECASE):
        return []
    return [name for m in _NAME_IN_QUESTION.finditer(question) if (name := frozenset(content_terms(m.group(1))))]


# "How many people were killed …?": the verb after the noun counted and its auxiliaries.
_COUNTED_VERB = re.compile(
    r"\bhow many\s+[a-z][\w-]*\s+(?:(?:were|was|are|is|have|has|had|been|be|got|get|will|would|did|do)\s+)*"
    r"(?P<verb>[a-z]+)",
    re.IGNORECASE,
)


def counted_verb(question: str) -> list[str]:
    """The stem of the verb a "how many" question counts by ("kill" of "How many people were
    killed …?"); none where the words after the noun are no verb it can read."""
    asked = _COUNTED_VERB.search(question)
    return content_terms(asked["verb"]) if asked else []


# What a "how many" question counts that articles count without naming it: people ("The quake
# killed 42"), and units of time, measure and turns, which a count may be written without ("a
# decade", "twice").
_COUNTED_UNNAMED = frozenset(
    content_terms(
        "people persons men women times years months weeks days hours minutes seconds percent points degrees "
        "kilometres kilometers miles metres meters feet tonnes tons pounds kilograms litres liters gallons "
        "acres hectares dollars euros yen crowns types kinds forms sorts ways reasons grounds "
        "teenagers youths pupils members"
    )
) | PEOPLE  # "How many workers?" of "38,000 employees", "How many teenagers?" of "people aged 16 and 17"


def counted_thing(question: str) -> str | None:
    """The thing a "how many" question counts that an answer names, of the words after "how many"
    before a verb or a preposition the last plural (not a name in capitals: "US troops") or else the
    last word, not `_COUNTED_UNNAMED`: "jobs" of "How many jobs will the expansion create?",
    "cases" of "How many measles cases …?"; none where it counts no noun ("How many were
    killed?")."""
    words = []
    found = re.search(r"\bhow many\b", question, re.IGNORECASE)
    if found is None:
        return None
    for word in re.findall(r"[A-Za-z][\w'’-]*", question[found.end() :])[:4]:
        if word.lower() in AFTER_THE_NOUN or (word.lower().endswith("ed") and "-" not in word):
            break
        words.append(word)
    if not words or len(words) == 4 or any(set(content_terms(w)) <= _COUNTED_UNNAMED for w in words):
        return None  # "How many people work for …?" counts people
    plural = [w for w in words if w.lower().endswith("s") and not w.lower().endswith("ss") and not w.isupper()]
    return plural[-1] if plural else words[-1]  # "How many members sit on …?": members; "measles cases": cases


_AFTER_A_NUMBER = re.compile(r"[A-Za-z][\w'’]*(?:-[A-Za-z][\w'’]*)*|\S")
_BEFORE_THE_THING = frozenset("the its their his her our a an".split())  # "12 of its 38 stores"
MAX_COUNTING_WORDS = 3  # the words after a number that may name what it counts: "11 large hydropower dams"
_TURNS = frozenset(content_terms("times occasions"))


def counted_after(sentence: str, end: int) -> tuple[str, ...] | None:
    """The words that name what the number ending at `end` counts: "residents" of "about 2,300
    residents to leave their homes", "member jury" of "a seven-member jury", "stores" of "12 of
    its 38 stores"; None where they name nothing or nothing can be told of it: "rose to 12 on
    Monday", "40 injured", "four of them", "17.5 per cent", "27 times" (turns, which a count of
    anything may be written in)."""
    rest = sentence[end : end + 120]
    if rest.startswith("-"):  # "seven-member"
        rest = " " + rest[1:]
    elif not rest.startswith(" "):  # "12,", "12%"
        return None
    tokens = _AFTER_A_NUMBER.findall(rest)
    if tokens[:1] == ["of"]:  # "212 of the carrier's 340 scheduled flights": what follows "of"
        tokens = tokens[1:]
        while tokens and (tokens[0].lower() in _BEFORE_THE_THING or tokens[0].lower().endswith(("'s", "’s")) or tokens[0][0].isdigit()):
            tokens = tokens[1:]
    taken: list[str] = []
    for token in tokens[:MAX_COUNTING_WORDS]:
        if not token[0].isalpha() or token.lower() in STOPWORDS:
            break
        if token[0].isupper():
            return None  # "39 of the 43 previous Super Bowl Most Valuable Players": a name's words
        taken.append(token.lower())
    if all(w.endswith("ed") for w in taken) or set(content_terms(taken[0])) <= _TURNS:
        return None  # nothing taken, "40 injured", "27 times"; not "340 scheduled flights"
    return tuple(taken)


def counts_of(sentence: str, span: Candidate, counted: str) -> bool | None:
    """Whether a count question's span counts `counted` (`counted_thing` of the question), as the
    words after its number tell: True of "about 40 surgeries" for "How many surgeries were
    postponed?", False of "two operating theatres"; None where they tell nothing ("injuring 210")."""
    number = next(iter(reported(COUNT, span.text)), None)
    thing = None if number is None else counted_after(sentence, span.start + number[1])
    return None if thing is None else names_the_thing(thing, frozenset(content_terms(counted)))


def names_the_thing(thing: tuple[str, ...], wanted: frozenset[str]) -> bool:
    """Whether the words after a number (`counted_after`) write a form of the thing of the stems
    `wanted`: "about 40 surgeries" of surgeries, not "two operating theatres"."""
    return any(frozenset(content_terms(w)) & wanted for w in thing)


def _counting_it(sentence: str, spans: list[Candidate], allowed: list[int], counted: str) -> list[int]:
    """Of several counts, not those of another thing where one counts the thing asked in its own
    words: "about 40 surgeries", not "two operating theatres". Where none does, a count of another
    thing may count it in other words ("5,800 shots" of vaccinations), and a count that tells
    nothing of what it counts may too ("Of 22 economists polled, only four had forecast a cut")."""
    counts = {n: counts_of(sentence, spans[n], counted) for n in allowed}
    if not any(counts.values()):
        return allowed
    return [n for n in allowed if counts[n] is not False]


def _counted_noun(question: str) -> set[str]:
    """The stems of the noun a "how many" question counts ("flights" of "How many flights …?");
    none where it counts none."""
    counted = _COUNTED.search(question)
    return set(content_terms(counted.group(1))) if counted else set()


def _a_fraction(span: Candidate, question: str) -> bool:
    """A number with a fraction, not of the unit the question counts in ("7.2 tonnes" answers
    "How many tonnes …?"; "6.6" does not answer "How many people …?")."""
    return _FRACTIONAL.search(span.text) is not None and not _counted_noun(question) & set(content_terms(span.text))


def counts_the_noun(sentence: str, span: Candidate, question: str) -> bool:
    """Whether a count question's span counts the noun it asks about: "1,120 flights", "nine
    people" for "How many flights (people) ...?", the noun in the span or among the WHOLE_WORDS
    words after it ("860 cancelled flights")."""
    noun = _counted_noun(question)
    if not noun:
        return False
    after = [w for _, w in word_positions(sentence[span.end :])][:WHOLE_WORDS]
    return bool(noun & set(content_terms(" ".join([span.text, *after]))))


def _tied_to_what_was_asked(
    sentence: str, spans: list[Candidate], allowed: list[int], question: str, question_stems: frozenset[str]
) -> list[int]:
    """Of several counts, the one a verb the question asks with is beside, where the one beside
    the noun it counts is not: "How many people were injured?" of "killing nine people and
    injuring 210" is 210, not the nine beside "people"; "How many economists forecast a cut?" of
    "Of 22 economists polled, only four had forecast a half-point cut" is four (a review of many
    similar stories). A noun the question names does not tie a count ("the largest party with
    29" is not what "How many seats did the survey give the party?" asks)."""
    noun = _counted_noun(question)
    asked = question_stems - noun
    counts = [n for n in allowed if spans[n].kind == "number"]
    if len(counts) < 2 or not asked or not noun:
        return allowed
    words = word_positions(sentence)
    stems_at = word_stems(words)

    def verb(i: int) -> bool:  # "injuring", "killed", "sold", "had forecast"
        word = words[i][1].casefold()
        after_auxiliary = i > 0 and words[i - 1][1].casefold() in _AUXILIARIES
        return word.endswith(("ing", "ed")) or word in IRREGULAR_FORMS or after_auxiliary

    def nearest(steps: range, start: int) -> int | None:  # the nearest content word of its clause
        before = start
        for taken, i in enumerate(steps):
            between = sentence[min(before, words[i][0]) : max(before, words[i][0])]
            if taken > TIED_WORDS or words[i][1].casefold() in _CLAUSE_JOINS or CLAUSE_MARK.search(between):
                return None
            if stems_at[i] and stems_at[i] not in noun:
                return i
            before = words[i][0]
        return None

    def placed(span: Candidate) -> tuple[int, int, bool]:  # first word, last word past its noun, noun beside
        first, last, _ = placement(words, [], span)
        beside_noun = bool(set(content_terms(span.text)) & noun)
        while last + 1 < len(words) and stems_at[last + 1] in noun:  # "nine people ...": past the noun counted
            last, beside_noun = last + 1, True
        return first, last, beside_noun

    tied, of_the_noun = set(), set()
    for n in counts:
        first, last, beside_noun = placed(spans[n])
        if last >= len(words):  # begun inside the last word ("20s" of "1920s"): beside nothing
            continue
        end = words[last][0] + len(words[last][1])
        near = [
            i
            for i in (nearest(range(first - 1, -1, -1), spans[n].start), nearest(range(last + 1, len(words)), end))
            if i is not None
        ]
        if any(stems_at[i] in asked and verb(i) for i in near):
            tied.add(n)
        elif beside_noun:
            of_the_noun.add(n)
    if not tied or not of_the_noun:
        return allowed
    return [n for n in allowed if n not in counts or n in tied]


# A number that counts nothing: a person's age beside the name ("Velkrin, 24, scored 23 goals"),
# or the digits of a name or code ("40 of its OR-90 regional jets", "F-35", "COVID-19").
_AGE_AFTER = re.compile(r"\b[A-Z][\w'’.-]*,\s*$")
_CODE_BEFORE = re.compile(r"[A-Za-z]-$")


def _no_count(sentence: str, span: Candidate) -> bool:
    """Whether a number span is an age beside a name or part of a code, not a count."""
    if _CODE_BEFORE.search(sentence[: span.start]):
        return True
    return span.text.isdigit() and _AGE_AFTER.search(sentence[: span.start]) is not None and sentence[span.end :].lstrip().startswith(",")


def _part_or_whole(
    sentence: str, spans: list[Candidate], allowed: list[int], question: str, question_stems: frozenset[str]
) -> list[int]:
    """Of a part and its whole ("9 of the 15 trapped miners"), the one a count question asks
    for: the whole where the question names its owner or a word before its noun, or asks what
    something has or how many in all; else the part."""
    noun = _counted_noun(question)
    for whole in allowed:
        of = _OF_THE_WHOLE.search(sentence[: spans[whole].start])
        if of is None or spans[whole].kind != "number":
            continue
        part_end = len(sentence[: of.start()].rstrip())
        parts = [n for n in allowed if spans[n].kind == "number" and spans[n].end == part_end]
        if not parts:
            continue
        after = [w for _, w in word_positions(sentence[spans[whole].end :])][: WHOLE_WORDS + 1]
        counted_at = next((i for i, w in enumerate(after) if set(content_terms(w)) & noun), 0)
        named = set(content_terms(" ".join([of["owner"] or "", *after[:counted_at]]))) - noun
        drop = set(parts) if named & question_stems or _ASKS_WHOLE.search(question) else {whole}
        return [n for n in allowed if n not in drop]
    return allowed


def _given_other_role(
    sentence: str, span: Candidate, words: list[tuple[int, str]], roles: list[tuple[int, int]]
) -> bool:
    """Whether a span holds one of `roles`, stands right after one ("deputy press secretary Hogan
    Gidley") or has one in apposition after it ("Hogan Gidley, the principal deputy ...")."""
    first, last, _ = placement(words, [], span)
    return any(
        (start <= last and first <= end)
        or end in (first - 1, first - 2)
        or (last < start <= last + APPOSITIVE_WORDS and _APPOSITION.match(sentence[span.end : words[start][0]]))
        for start, end in roles
    )


def span_model_from_dict(data: dict[str, Any]) -> SpanModel:
    return SpanModel(Forest.from_dict(data["spans"], FEATURES), float(data["lead_at"]), dict(data.get("info", {})))


@lru_cache(maxsize=2)
def load_span_model(path: Path = MODEL_PATH, sha256: str | None = MODEL_SHA256) -> SpanModel:
    """The shipped span model, checked against its sha256 (None: any file)."""
    return read_model_file(path, sha256, "span model", "training/train_span.py", span_model_from_dict)
