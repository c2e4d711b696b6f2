"""The checks that find an answer only circles the question, and the confidence each refusal has.

The learned reader's confidence refuses most questions the articles do not answer. A near miss,
same people, same story, another fact, often reads as well as an answer: the sentences name
everything the question names and lack only what it asks for. Each check here reads the
sentences an answer would state (or the articles it would cite) for one sign of that: a "how
many" answer that counts nothing beside what was asked (`uncounted_beside`) or only other things
beside it (`counts_another`), a "who" answer that names no one (`unnamed`), a date still to come
that none writes (`undated`), an outcome told only as still to come (`outcome_still_ahead`), a
reason no sentence gives (`no_reason`), a fact the articles say was not made known
(`told_otherwise`), a word of a yes-or-no question no article tells (`unsaid_words`).
synthesis.py runs them in turn and refuses with the first that holds, its confidence capped at
the rate at which such refusals were right on the development sets (each constant below says how
many there were and how many were right).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

import numpy as np

from assistant.answer.answer_types import COUNT, AnswerType
from assistant.answer.as_typed import nearest_spellings
from assistant.answer.candidates import DATED_NEAR, beside, dated, gives_a_name, reported, uncapitalised_terms
from assistant.answer.corroboration import NUMBER_WORDS, SentenceVectors
from assistant.answer.draft import Draft, DraftStatement
from assistant.answer.evidence import EvidenceSentence, term_found, title_terms
from assistant.answer.named import ArticleWords, AskedName, unmentioned, unmentioned_roles
from assistant.answer.reasons import gives_cause, withholds_reason
from assistant.answer.spans import counted_after, names_the_thing
from assistant.answer.undisclosed import gives, withholds
from assistant.relative_time import tells_of_it_ahead
from assistant.search.background import rarity
from assistant.search.lexical import STOPWORDS, Vocabulary, content_terms, stems
from assistant.search.lexical import words as lexical_words
from assistant.search.retrieval import Passage

# How often an answer is right when the articles it would cite never mention a name the question
# asks about (named.py): 3 of the 137 that check refused on the development sets (the constructed
# news's training stories, questions of the SQuAD training articles; 2026-12-04), 1 of the 39 it
# refused more once it looked for names no article uses (2026-12-05), none of the 4 it refused
# more once a body is named whole and an acronym that spells a word is a name (2026-12-07), with
# one more of each as a prior. The confidence of such a refusal is at most this.
UNMENTIONED_CONFIDENCE = 0.03

# A yes-or-no question asks whether a claim about what it names holds; an answer whose sentences,
# read with the passages around them and their articles' titles and outlets, never mention one
# of those names (named.py's rules) neither confirms nor denies it. Of the answers this refuses on
# the development news (the constructed news's training stories, 2026-12-05), none was right (28
# near misses, 2 wrong answers): with one more of each as a prior, the confidence of such a
# refusal is at most this.
UNSTATED_CONFIDENCE = 0.03

# How often an answer is right when a "What did <name> say?" question's statements never give
# that name as the one speaking, or none of theirs names what it asks about (speakers.py): 2 of
# the 38 such refusals on the development sets would have been (34 near misses, 2 answerable
# questions answered wrongly before; 2026-12-06), with one more of each as a prior.
UNSAID_CONFIDENCE = 0.07

# How often an answer is right when the articles it would cite never write a number the question
# writes (named.py, `unmentioned_numbers`): 3 of the 21 such refusals on the development sets
# (the constructed news's training stories: 10 near misses; SQuAD's training articles: 8 near
# misses, and 3 right answers, two of "the 2015 season" an article calls "the season", one a
# misspelt year; 2026-12-05), with one more of each as a prior.
UNMENTIONED_NUMBER_CONFIDENCE = 0.17

# How often an answer is right when the articles it would cite never name the thing a "how many"
# question counts (`uncounted`): 1 of the 11 such refusals on the development sets (10 near
# misses; "How many ACL injuries has Thomas Davis had?" of "three ACL tears"; 2026-12-07), with
# one more of each as a prior.
UNCOUNTED_CONFIDENCE = 0.15

# How often an answer is right when nothing it would state is of a kind every answer is written
# in ("how many": a number, "what year": a year; answer_types.py, `complete`): none of the 33
# such refusals on the development sets would have been (3 were of answerable questions, each
# answered wrongly without the check; 2026-12-04), with one more of each as a prior.
UNTYPED_CONFIDENCE = 0.03

# How often an answer is right when a question asks what came of an event ("What did the bureau
# decide?") and the sentences it would state tell of the event only as still to come
# (`outcome_still_ahead`): 1 of the 13 such answers on the development sets (the constructed
# news's training stories, the SQuAD training articles; 12 near misses; 2026-12-06), none of the 5
# more once the sentences that tell of other things no longer count (all near misses;
# 2026-12-08), with one more of each as a prior.
AHEAD_CONFIDENCE = 0.1

# How often an answer is right when a question asks by how much something rose or fell and no
# sentence it would state writes a change or gives its two ends (changes.py): 0 of the 4 such
# answers on the development sets (2 near misses; 2026-12-07), with one more of each as a prior.
UNCHANGED_CONFIDENCE = 0.17

# How often an answer is right when the sentence of the event asked why, or the one after it,
# says no reason was given, and no statement writes a cause (reasons.py): none of the 3 such
# refusals on the review of why questions that built the rule (none on the development sets;
# 2026-12-07), with one more of each as a prior.
REASONLESS_CONFIDENCE = 0.2

# How often an answer is right when a yes-or-no question writes a word no sentence read of the
# articles it would cite uses, and none of the stated sentences' words is near it in meaning
# (`unsaid_words`): none of the 44 such refusals on the development sets would have been (the
# constructed news's training stories and SQuAD's training articles: 40 near misses, 4 answerable
# questions answered wrongly before; 2026-12-07), with one more of each as a prior.
UNSAID_WORDS_CONFIDENCE = 0.02

# How often an answer is right when a question asks for several things and the sentence it would
# lead with counts them without naming them ("marches planned in at least 12 cities"; lists.py,
# `counts_unnamed`): none of the 4 such refusals on the development sets, the eval sets' development
# news and the review of list questions that built the rule (4 near misses; 2026-12-07), with one
# more of each as a prior.
UNLISTED_CONFIDENCE = 0.17

# How often an answer is right when the sentence it would lead with, or one read after it in the
# question's words the lead lacks, says that what was asked was not made known ("an unnamed German
# club", "The value of the deal was not disclosed"; undisclosed.py): none of the 17 such refusals
# on the development sets and the review of withheld facts that built the rule (all near misses;
# 2026-12-07), with one more of each as a prior.
WITHHELD_CONFIDENCE = 0.05

# How often an answer is right when a question asks when something still to come will happen
# and the sentence it would lead with writes no day, month, year or time ahead, nor any statement
# one beside the question's words (`undated`): none of the 15 such refusals on the development
# sets (all near misses: 5 first, 10 more once a date of the past no longer counted, session 55;
# 2026-12-07), with one more of each as a prior (0.14 with the first 5). Refusing wherever the
# lead writes none also lost a right answer whose date is in the third statement ("The proposal
# will go to a vote in the municipal assembly on Oct. 21.").
UNDATED_CONFIDENCE = 0.06

# How often an answer is right when a "how many" question's answer writes no number beside the
# question's words (`uncounted_beside`): none of the 12 such refusals on the development sets (11
# near misses, 1 answerable question answered wrongly before; 2026-12-07), with one more of each as
# a prior.
UNCOUNTED_BESIDE_CONFIDENCE = 0.07

# How often an answer is right when the sentences a "how many" question's answer would state write
# the thing it counts and every number in them counts another (`counts_another`): none of the 1
# such refusal on the development sets (a near miss, "How many elephants did the ivory come from?"
# of "460 kilograms of elephant ivory"; 2026-12-08), with one more of each as a prior.
COUNTS_ANOTHER_CONFIDENCE = 0.33

# Words on either side of a number in which a word of what it counts stands, as for a date
# (DATED_NEAR): at 4, a first version refused 4 more development near misses and lost 5 right
# answers.
COUNTED_NEAR = DATED_NEAR

# How often an answer is right when a "who" question's answer writes no name but the question's
# own (`unnamed`): none of the 6 such refusals on the development sets (3 near misses, 3
# answerable questions answered wrongly before; 2026-12-07), with one more of each as a prior.
# Requiring the name beside the question's words, as a count is, refused 10 more development near
# misses and lost no right answer there, but on the eval sets it lost 6 right answers for 2 near
# misses ("The fossil was discovered in 2022 by a local rancher, Ernesto Quiroga, …"; "Its
# president, Alvaro Mendes, said …").
UNNAMED_CONFIDENCE = 0.12

# How often an answer is right when a "What is the name of …?" question's answer writes no name
# beside what the question describes (`nameless_beside`): 1 of the 12 such refusals on the
# development sets (11 news near misses, "What is the name of the driver of the derailed train?"
# of "A crowded morning commuter train derailed …", and one SQuAD answer whose stated sentence
# writes "the greater Southern California Megaregion" of "the name of the region"; 2026-12-07),
# with one more of each as a prior.
NAMELESS_BESIDE_CONFIDENCE = 0.14


def untyped(wanted: AnswerType, confidence: float, scored: list[EvidenceSentence]) -> Draft:
    """The refusal when nothing the answer would say is of the kind asked for: certain when every
    answer of that kind is written so that it would be found (`AnswerType.complete`)."""
    capped = min(confidence, UNTYPED_CONFIDENCE) if wanted.complete else confidence
    return Draft([], True, capped, scored, lacking=wanted.name)


def undated(question: str, statements: list[DraftStatement]) -> bool:
    """Whether a question about when something still to come will happen is answered by a lead
    that writes no day, month, year or time ahead, and by no statement that writes one beside
    the question's words ("The proposal will go to a vote in the municipal assembly on Oct. 21."
    of "When will the assembly vote …?"); not its names alone, which are the story's. A date of
    the past is none ("Residents of four of the six villages were allowed home on Wednesday" of
    "When will residents of the other two be allowed home?")."""
    if any(dated(s.text, ahead=True) for s in statements[0].sentences):
        return False
    asked = uncapitalised_terms(question)
    return not any(dated(s.text, asked, ahead=True) for st in statements[1:] for s in st.sentences)


_QUESTION_WORD = re.compile(r"\d[\d,.]*\d|[\w'’-]+")


def uncounted_beside(question: str, stated: list[str]) -> bool:
    """Whether no sentence an answer to a "how many" question states writes a number, not one the
    question writes ("How many of the 112 pupils …?"), within COUNTED_NEAR words of the question's
    words (not its names, which are the story's): "Kestrel employs about 14,800 people" counts
    what "How many people does Kestrel employ?" asks; "Quintela, the league's top scorer last
    season, scored many of his goals from the penalty spot, and the club sold 40,000 replica
    shirts" counts no goals."""
    near = uncapitalised_terms(question)
    written = frozenset(w.lower() for w in _QUESTION_WORD.findall(question))
    for sentence in stated:
        spans = [(a, b) for a, b in reported(COUNT, sentence) if sentence[a:b].lower() not in written]
        # a word written with a hyphen is read as one ("the on-field introduction of 39") and as
        # its parts ("the three-tier model")
        if beside(sentence, spans, near, COUNTED_NEAR) or beside(sentence.replace("-", " "), spans, near, COUNTED_NEAR):
            return False
    return True


def unnamed(question: str, stated: list[str]) -> bool:
    """Whether no sentence an answer to a "who" question states writes a name but the question's
    own ("The Axarquia Growers' Union has confirmed its tractor protest …" of "Who heads the
    Axarquia Growers' Union?")."""
    asked = frozenset(content_terms(question))
    return not any(gives_a_name(sentence, asked) for sentence in stated)


def nameless_beside(question: str, described: frozenset[str], stated: list[str]) -> bool:
    """Whether no sentence an answer to "What is the name of …?" states writes a name, not the
    question's own, within DATED_NEAR words of the words that describe what is named (`described`,
    candidates.named_thing): "the driver, Jan Novak, …" names the driver; "Police said the body of
    a 71-year-old resident of Lasko … was found" names no man from Lasko, and "Engineers from
    Mostoprojekt Pomorze … have begun fitting sensors" no spokesman."""
    asked = frozenset(content_terms(question))
    return not any(gives_a_name(sentence, asked, described) for sentence in stated)


# How often an answer is right when a question asks an event's effect on something and no
# sentence it would state writes half the words of that something (`untold_effect`): none of
# the 9 such refusals on the development sets (all near misses: "How will the Halvern deal
# affect Northgate's credit card business?" of sentences on branches and jobs; 2026-12-07), with
# one more of each as a prior.
UNTOLD_EFFECT_CONFIDENCE = 0.09


def untold_effect(affected: list[str], stated: list[str]) -> list[str]:
    """The words of what a question asks an event's effect on (`affected`, candidates.effect_on)
    when no sentence the answer would state writes half of them: those none writes ("How did the
    ransomware attack affect maternity wards?" of sentences on patient files and surgeries);
    none where one does."""
    wanted = {w: frozenset(content_terms(w)) for w in affected}
    every = frozenset().union(*wanted.values())
    if not every:
        return []
    written = [frozenset(content_terms(sentence)) for sentence in stated]
    if any(2 * len(every & terms) >= len(every) for terms in written):
        return []
    unwritten = [w for w, terms in wanted.items() if not any(terms & t for t in written)]
    return unwritten or list(wanted)


# The words with which a sentence that names what the one before it told of opens ("The
# Liberian-flagged Silver Merope, carrying …" after "A loaded oil tanker ran aground …").
OPENING_WORDS = 4


def names_it_next(question: str, described: frozenset[str], lead: str, then: str) -> bool:
    """Whether `then`, the sentence after the lead, names what a "What is the name of …?" question
    describes: beside its words ("This is becoming known as the Advanced Steam movement."), or,
    where the lead tells of it ("A loaded oil tanker ran aground …"), by a name that opens the
    next sentence ("The Liberian-flagged Silver Merope, carrying …"), not a first word alone
    ("Police said …")."""
    asked = frozenset(content_terms(question))
    if gives_a_name(then, asked, described):
        return True
    if not described & frozenset(content_terms(lead)):
        return False
    opening = list(_QUESTION_WORD.finditer(then))[1:OPENING_WORDS]  # past a first word, capital in any sentence
    return bool(opening) and gives_a_name(then[opening[0].start() : opening[-1].end()], asked)


def no_reason(statements: list[DraftStatement], why: EvidenceSentence | None) -> bool:
    """Whether the event's own sentence or the one after it says that no reason was given ("It
    gave no further details.", "The agency has not explained that delay."), and no statement
    writes a cause: asked why, 21 of 21 questions whose articles give no reason were answered
    with the event (a review of why questions), some of them citing such a sentence. A statement
    without any word of a reason is no such sign: news tells reasons in too many ways ("would hurt
    Thai companies", "when a back injury pushed him towards spin"); refused for that, 13 of 61
    answerable development questions were lost."""
    near = [statements[0].lead.text, *([why.text] if why is not None else [])]
    return any(withholds_reason(text) for text in near) and not any(gives_cause(text) for text in stated_texts(statements))


def told_otherwise(
    question: str, unknown: str, statements: list[DraftStatement], scored: list[EvidenceSentence]
) -> tuple[EvidenceSentence | None, EvidenceSentence | None]:
    """Where the articles say that what a question asks was not made known (undisclosed.py): the
    sentence of another article that gives it, to lead instead; or the sentence that says it was
    not made known, to refuse with.

    The lead withholds it ("… from an investor it did not name"): another article's sentence
    among the first read that covers the question nearly as well and holds an answer of the kind
    leads instead ("Brannvik Capital has sold its 30 percent holding …"); without one, refused.
    A sentence read after the lead withholds it in the question's words that the lead lacks
    ("Authorities have not released a figure for the injured" of "How many people were
    injured?", led by "… killed two workers"): the lead tells of something else, refused; not
    where the lead writes some of those words and gives an answer of the kind ("The company did
    not say when deliveries would begin", of a lead "… will be delivered starting in 2028")."""
    lead = statements[0].lead
    read = scored[:WITHHELD_READ]
    if withholds(lead.text, unknown, question) is not None:
        others = (s for s in read if s.doc_id != lead.doc_id and s.coverage >= GIVEN_COVERAGE_SHARE * lead.coverage)
        told = next((s for s in others if withholds(s.text, unknown, question) is None and gives(s.text, unknown, question, GIVEN_WITHIN)), None)
        return told, lead if told is None else None
    for sentence in read:
        named = withholds(sentence.text, unknown, question, by_name=False) or frozenset()  # its names are the story's
        lacked = {term for term in named if not term_found(term, lead.terms)}
        if lacked and (lacked == named or not gives(lead.text, unknown, question)):
            return None, sentence  # not where the lead tells of it too and gives an answer: "… will be delivered starting in 2028"
    return None, None


# How many of the sentences read first, best first, are searched for one that says what a question
# asks was not made known, or for another article's that gives it (told_otherwise).
WITHHELD_READ = 8

# The share of the question's words (coverage) that another article's sentence must cover, of those
# the lead that withholds it covers, to give what the lead withholds.
GIVEN_COVERAGE_SHARE = 0.8

# How many words from the question's words that sentence repeats its answer may stand, about a
# clause ("Pellham Insurance is the sponsor behind the naming-rights agreement for Caldbeck …": 6,
# of "Which company has bought the naming rights to Caldbeck's ground?"; not "… slightly ahead of
# Wall Street estimates, but warned … because a large cloud customer had delayed orders": 16).
GIVEN_WITHIN = 8

# A thing an article counts (a word or two after a number: "150 soldiers", "Fourteen cars") is the
# thing a question counts in other words when their embeddings are this near: troops and
# soldiers 0.89, planes and aircraft 0.87, wagons and cars 0.60, against jobs and firefighters
# 0.49, evictions and apartments 0.40 (MiniLM, one word each; a held-out check of 2026-12-07
# found the first three refused as never mentioned).
COUNTED_CLOSENESS = 0.55

MAX_COUNTED = 64  # the things counted that are compared, at most (a long article counts many)


_COUNTED_IN_TEXT = re.compile(
    rf"(?<![\w.,])(?:\d[\d,.]*|{'|'.join(sorted(NUMBER_WORDS, key=len, reverse=True))})\s+([a-z][a-z-]{{2,}})(?:\s+([a-z]{{3,}}))?\b",
    re.IGNORECASE,
)


def uncounted(word: str | None, articles: Sequence[ArticleWords], words: SentenceVectors | None = None) -> list[str]:
    """`word` (`spans.counted_thing`) where none of `articles` writes it in any of its forms
    (`evidence.term_found`) and, with `words`, none of the things they count is near it in
    meaning (COUNTED_CLOSENESS): asked how many jobs the Dunmore industrial park's expansion would
    create, an answer stated how many firefighters fought a fire there (a review of news
    formats). A count of a thing no cited article names is no count of it."""
    if word is None:
        return []
    wanted = content_terms(word)
    if any(all(term_found(t, frozenset(a.stems)) for t in wanted) for a in articles):
        return []
    if words is not None:
        found_after = (w.lower() for a in articles for m in _COUNTED_IN_TEXT.finditer(a.text) for w in m.groups() if w)
        counted = sorted(set(found_after))[:MAX_COUNTED]  # "12,000 fans", "14 freight cars": a word or two after it
        if counted:
            found = words.vectors([word.lower(), *counted])
            asked = found[word.lower()]
            if any(_cosine(asked, found[c]) >= COUNTED_CLOSENESS for c in counted):
                return []
    return [word]


def counts_another(counted: str, stated: Sequence[str], words: SentenceVectors | None = None) -> bool:
    """Whether the sentences an answer would state write the thing a "how many" question counts
    and every number they write counts another: "forcing about 2,300 residents to leave their
    homes" of "How many homes in Celje were flooded?", "460 kilograms of elephant ivory" of "How
    many elephants did the ivory come from?". A number counts the thing asked where a word after it
    is a form of it, or with `words` near it in meaning (COUNTED_CLOSENESS: "troops" of
    "soldiers"); a number whose words tell nothing of what it counts ("rose to 12", "four of
    them") may count it. A sentence that counts without writing the thing may count it in other
    words ("cut 500 positions" of "How many jobs …?"); the thing is written in small letters, not
    inside a name ("unit" of "the United States"). `counted` is `spans.counted_thing` of the
    question."""
    wanted = frozenset(content_terms(counted))
    if not wanted:
        return False
    things = []
    for sentence in stated:
        counts = [counted_after(sentence, end) for _, end in reported(COUNT, sentence)]
        if not counts:
            continue
        if not wanted <= uncapitalised_terms(sentence):
            return False  # "The chain will shut 12 of its 38 outlets" of "How many stores …?"
        for thing in counts:
            if thing is None or names_the_thing(thing, wanted):
                return False
            things.append(thing)
    if not things:
        return False  # nothing counted: `uncounted_beside` tells that
    if words is not None:
        found = words.vectors([counted.lower(), *(w for thing in things for w in thing)])
        asked = found[counted.lower()]
        if any(_cosine(asked, found[w]) >= COUNTED_CLOSENESS for thing in things for w in thing):
            return False
    return True


# A sentence that tells what came of an event: "scans on Sunday showed a side strain".
_TELLS_AN_OUTCOME = re.compile(
    r"\b(?:agreed|decided|recommended|found|ruled|concluded|voted|approved|rejected|resolved|showed|shown|revealed)\b",
    re.IGNORECASE,
)
_ASKED_OUTCOME = frozenset(
    content_terms("agree decide recommend find found rule conclude vote approve reject happen discuss resolve show reveal win lost")
)


def outcome_still_ahead(question: str, leads: Sequence[str]) -> bool:
    """Whether the sentences an answer would lead its statements with tell of what a question asks
    the outcome of only as still to come: all of them do (`relative_time.tells_of_it_ahead`) and
    tell no outcome, or those that write a word of the event ("report", "inspections") do and the
    others write no word the question writes in small letters (what it asks, not whom it names):
    "Kucera is due to present a report … on March 3" of "What did Kucera's report to the government
    on March 3 conclude?", beside a sentence on the train's speed. The articles were written before
    it happened. Not "Tollemache will now miss the series after scans on Sunday showed a side
    strain", which tells both."""
    if all(_told_ahead(lead) for lead in leads):
        return True
    event = uncapitalised_terms(question) - _ASKED_OUTCOME
    telling = [lead for lead in leads if event & uncapitalised_terms(lead)]
    if not telling or not all(_told_ahead(lead) for lead in telling):
        return False
    asked = uncapitalised_terms(question)
    return not any(asked & uncapitalised_terms(lead) for lead in leads if lead not in telling)


def _told_ahead(sentence: str) -> bool:
    return tells_of_it_ahead(sentence) and _TELLS_AN_OUTCOME.search(sentence) is None


def _cosine(a: np.ndarray, b: np.ndarray) -> float:
    return float(np.dot(a, b) / (np.linalg.norm(a) * np.linalg.norm(b) or 1.0))


# Words of a yes-or-no question that ask about an action in the most general terms, which a
# report tells in its own verb ("Did the talks go well?"), or about how things stand.
_GENERAL_WORDS = frozenset(
    "go goes went gone going get gets got getting make makes made making take takes took taken taking do done "
    "happen happened happening still already yet again ever anyone anybody anything someone somebody something "
    "now really actually able unable possible likely way part despite onto into upon toward towards besides".split()
)


def unsaid_words(
    question: str, read: Sequence[EvidenceSentence], statements: Sequence[DraftStatement], words: SentenceVectors
) -> list[str]:
    """The words of a yes-or-no question that no sentence read of the articles it would cite
    writes in any form, and that no word of the sentences it would state is near in meaning
    (TOLD_CLOSENESS): what it asks whether happened is not
    told ("Has the ceasefire been broken?" of the sentence that tells of its signing; "Has Derek
    Falconer lodged an appeal?" of his conviction; a review of yes-or-no questions: 3 of 20 near
    misses refused). Names are read by `unmentioned`; "die" of "There were no deaths" is near."""
    # not a word of manner ("formally notified"): what happened is told without it
    asked = [w for w in dict.fromkeys(re.findall(r"\b[a-z][a-z'-]+\b", question)) if w not in _GENERAL_WORDS and not w.endswith("ly")]
    asked = [w for w in asked if (terms := content_terms(w)) and len(terms) == 1]
    cited = {s.doc_id for st in statements for s in st.members}
    of_theirs = [s for s in read if s.doc_id in cited]
    seen = frozenset().union(*(s.terms for s in of_theirs), *(title_terms(s) for s in of_theirs))
    unseen = [w for w in asked if not term_found(content_terms(w)[0], seen)]
    if not unseen:
        return []
    written = {w.lower() for st in statements for s in st.sentences for w in re.findall(r"[A-Za-z][a-z'-]+", s.text)}
    kept = sorted(written - STOPWORDS)[:MAX_STATED_WORDS]
    stated = sorted({*kept, *stems(kept)})  # "discuss" of "discussed": a verb's vector is nearest its synonyms' base
    found = words.vectors([*unseen, *stated])
    untold = [w for w in unseen if not any(_cosine(found[w], found[o]) >= TOLD_CLOSENESS for o in stated)]
    # one word as common as "allowed" or "speak" is often told in words far from it ("could start",
    # "had not spoken"): it alone is no sign
    return untold if len(untold) > 1 or any(rarity(content_terms(w)[0]) >= UNTOLD_RARITY for w in untold) else []


MAX_STATED_WORDS = 120  # words of the stated sentences compared with a question's unsaid word

# How near in meaning (MiniLM, one word each, a stated word or its stem) a word of the stated
# sentences must be to a yes-or-no question's word to tell it. Single words' vectors put verbs and
# their synonyms far apart ("shut" and "closed" 0.54, "seize" and "confiscate" 0.47, "talk" and
# "discussed" 0.40 but "discuss" 0.68), little nearer than near misses' best matches ("lodged" and
# "convicted" 0.49, "broken" and "back" 0.42, "reversed" and "decision" 0.37): chosen on the review
# of yes-or-no questions (74 questions; at 0.55, 12 of 20 near misses refused and 6 of 54
# answerable questions; at this value 12 and 3, two of them answered wrongly before), not on the
# held-out check.
TOLD_CLOSENESS = 0.45

# How rare in English (background.rarity: -log10 of its frequency) a yes-or-no question's one untold
# word must be to refuse: on the development sets, of the refusals for one word, those rarer than
# this were 12 near misses and 1 answerable question answered wrongly before; the commoner ones
# ("allowed", "speak", "attack", "contact") 14 near misses and 5 answerable questions, 4 of them
# answered rightly before; of those for two words or more, 28 near misses and 3 answerable
# questions, none answered rightly before (2026-12-07).
UNTOLD_RARITY = 4.0


def one_names_all(
    roles: Sequence[str], names: Sequence[AskedName], articles: Iterable[ArticleWords], vocabulary: Vocabulary | None
) -> bool:
    """Whether one of `articles` writes the offices and mentions the names the question asks about."""
    return any(not unmentioned_roles(roles, [a]) and not unmentioned(names, [a], vocabulary) for a in articles)


def stated_texts(statements: Sequence[DraftStatement]) -> list[str]:
    """The sentences an answer would state, each statement's own and the other outlets' merged
    into it."""
    return [s.text for st in statements for s in st.sentences]


def stated_words(statements: Sequence[DraftStatement]) -> ArticleWords:
    """The words of the passages the sentences an answer would state were read in, where a name
    stands that "he" or "the heads of state" in them refers to, and the title and outlet of each
    one's article, which its citation shows ("Putin and Macron discussed Ukraine and security —
    Korrespondent.net")."""
    passages = {id(s.passage): s.passage for st in statements for s in st.members}.values()
    about = {str(p.metadata.get(key) or "") for p in passages for key in ("title", "outlet")}
    return ArticleWords("\n".join([*(p.text for p in passages), *sorted(about)]))


_WRITTEN_WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)?")


def words_of_stems(text: str, found: Sequence[str]) -> tuple[str, ...]:
    """The words of `text` as written for these stems ("prices" for "price", "Scholz" for
    "scholz"), in the stems' order."""
    wanted = set(found)
    said: dict[str, str] = {}
    for match in _WRITTEN_WORD.finditer(text):
        word = match.group().replace("’", "'").partition("'")[0]
        stem = next(iter(stems(lexical_words(word))), "")
        if stem in wanted:
            said.setdefault(stem, word)
    return tuple(said[s] for s in dict.fromkeys(found) if s in said)


def spelt_otherwise(names: Sequence[str], passages: Sequence[Passage]) -> tuple[str, ...]:
    """For each word of `names` that no passage writes in any form ("West Germny": Germny), the
    word of the passages spelt nearest, if near enough (`as_typed.nearest_spellings`): the name may be a typo
    ("Putn", "Macorn", "Melony")."""
    texts = texts_of(passages)
    written = {w.casefold() for text in texts for w in _WRITTEN_WORD.findall(text)}
    unwritten = [w for name in names for w in name.split() if w.casefold() not in written]
    return nearest_spellings([w for w in unwritten if not _a_form_of_one(w.casefold(), written)], texts)


def _a_form_of_one(word: str, written: set[str]) -> bool:
    """Whether `word` is one of `written` with an ending more or less ("Prairie" of "Prairies"):
    another form of it, no typo to offer a spelling for."""
    return any(
        (w.startswith(word) or word.startswith(w)) and min(len(w), len(word)) >= 4 and abs(len(w) - len(word)) <= 3
        for w in written
    )


def texts_of(passages: Sequence[Passage]) -> list[str]:
    """The passages' texts and their articles' titles."""
    return [*(p.text for p in passages), *{str(p.metadata.get("title", "")) for p in passages}]
