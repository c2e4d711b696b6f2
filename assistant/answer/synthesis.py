"""The offline answer: the sentences of the retrieved passages that answer the question.

The learned reader (assistant/answer/reader.py, features in features.py) gives every sentence
a probability that it holds the answer, and the answer as a whole a calibrated confidence that
it is right. The best sentences become statements; sentences of other articles that say the
same thing are merged into the statement and cited with it: in nearly the same words always,
in other words when sentence vectors are given (`corroborate`; assistant/answer/corroboration.py
says when two sentences report one claim). The span of the best sentence that
is of the kind the question asks for ("Which show ...?": a name) leads the answer, cited by that
sentence and by the sentences of other articles that state the same answer (`_also_stating`). The answer
abstains when its confidence is under the model's one abstention setting, when none of the sentences
read, or none of those it would state, is of the kind the question asks for ("how much money": an
amount; sentences about a sale that give no price only circle the question), when most of the
question's weight is on words no indexed article uses, when a name the question asks about
appears in none of the articles it would cite (named.py), or when one of the checks of
near_misses.py finds that what it would state only circles the question. The draft it returns
(draft.py) is written out by compose.py.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Sequence
from contextlib import suppress
from dataclasses import dataclass, replace
from datetime import date

import numpy as np

from assistant.answer.answer_types import COUNT, AnswerType
from assistant.answer.as_typed import nearest_spellings
from assistant.answer.candidates import (
    Candidate,
    asks_how_it_stands,
    asks_when,
    asks_when_ahead,
    asks_who,
    asks_yes_or_no,
    effect_on,
    named_thing,
    names_a_thing,
    reported,
    uncapitalised,
    uncapitalised_terms,
)
from assistant.answer.changes import (
    CHANGE_WORDS,
    Change,
    Found,
    asks_change,
    asks_rise_or_fall,
    changed_to,
    changes_in,
    the_way_asked,
)
from assistant.answer.corroboration import (
    MAX_EMBEDDED,
    NUMBER_WORDS,
    SAME_CLAIM_CLOSENESS,
    SentenceVectors,
    closeness,
    disagreement,
    same_claim,
    word_overlap,
    worth_embedding,
)
from assistant.answer.draft import Draft, DraftStatement, ShortAnswer
from assistant.answer.evidence import (
    EvidenceSentence,
    article_terms,
    covered_share,
    evidence_sentences,
    evidence_terms,
    term_found,
    title_terms,
)
from assistant.answer.features import (
    SENTENCE_FEATURES,
    QuestionView,
    SentenceRow,
    answer_row,
    question_date_terms,
    sentence_rows,
    set_verified,
    unknown_terms,
    weight_share,
)
from assistant.answer.leaders import UNLED_CONFIDENCE, asked_leader, leader_sentence, names_a_leader
from assistant.answer.lists import asked_kind, asks_for_a_list, counts_unnamed, list_in, names_beyond
from assistant.answer.named import (
    ArticleWords,
    asked_names,
    asked_numbers,
    asked_roles,
    recased,
    unmentioned,
    unmentioned_numbers,
    unmentioned_roles,
)
from assistant.answer.near_misses import (
    AHEAD_CONFIDENCE,
    COUNTS_ANOTHER_CONFIDENCE,
    NAMELESS_BESIDE_CONFIDENCE,
    REASONLESS_CONFIDENCE,
    UNCHANGED_CONFIDENCE,
    UNCOUNTED_BESIDE_CONFIDENCE,
    UNCOUNTED_CONFIDENCE,
    UNDATED_CONFIDENCE,
    UNLISTED_CONFIDENCE,
    UNMENTIONED_CONFIDENCE,
    UNMENTIONED_NUMBER_CONFIDENCE,
    UNNAMED_CONFIDENCE,
    UNSAID_CONFIDENCE,
    UNSAID_WORDS_CONFIDENCE,
    UNSTATED_CONFIDENCE,
    UNTOLD_EFFECT_CONFIDENCE,
    WITHHELD_CONFIDENCE,
    counts_another,
    nameless_beside,
    names_it_next,
    no_reason,
    one_names_all,
    outcome_still_ahead,
    spelt_otherwise,
    stated_texts,
    stated_words,
    texts_of,
    told_otherwise,
    uncounted,
    uncounted_beside,
    undated,
    unnamed,
    unsaid_words,
    untold_effect,
    untyped,
    words_of_stems,
)
from assistant.answer.periods import AskedPeriod, asked_periods, unmentioned_periods, writes_period
from assistant.answer.reader import ReaderModel, load_model
from assistant.answer.reasons import (
    asks_why,
    cause_after,
    cause_before,
    gives_cause,
    reason_after,
)
from assistant.answer.spans import SpanModel, counted_thing, counted_verb, counts_the_noun, load_span_model
from assistant.answer.speakers import (
    asked_office,
    asked_speakers,
    asks_only_what_was_said,
    asks_who_said,
    attribution_of,
    narrated_before,
    office_holders,
    quoted_after,
    quotes,
    speaks,
)
from assistant.answer.undisclosed import asked_unknown
from assistant.answer.verifier import Verifier, verified_logits
from assistant.dates import DateMention, days_without_year, find_dates, given_day, month_reported
from assistant.relative_time import asks_ahead, asks_an_outcome, day_of_weekday
from assistant.search.lexical import STOPWORDS, Vocabulary, content_terms, question_terms, stems
from assistant.search.lexical import words as lexical_words
from assistant.search.outlets import name_words
from assistant.search.retrieval import Passage, published_date

MAX_UNKNOWN_SHARE = 0.5
# The share of the topic's weighted words ("about the US and NATO response") a speaker's sentence
# must name to speak of it (`_names_topic`).
TOPIC_SHARE = 0.5
RELATIVE_TO_BEST = 0.5  # a further statement needs this share of the best sentence's probability
# A sentence the answer would not state leads, asked of a month alone (`_of_the_month`) or how
# things stand (`_how_it_stands`), when it covers this share of what the best one covers.
NEAR_COVERAGE = 0.5
# A question the article asks itself answers this one when it holds this share of its weight.
REPLIED_COVERAGE = 0.5
# "The latest": an article whose passage is at most this much less near the question (cosine) than
# the most likely article's, with a sentence covering at least this share of the question's
# weighted words and a span of the kind asked for, answers too (`_newest_answering`). Chosen on
# the development news (the constructed news's training stories, 2026-12-06): of the other
# articles retrieved beside an answering one, those this admits besides the confidence rule report
# the answer as often as those the confidence rule admits (precision 0.58 either way), and the
# articles found that report it go from 18 % to 43 %.
LATEST_COSINE_GAP = 0.1
LATEST_COVERAGE = 0.6
# ... or this share of the best hand-weighted score (see prior_score), with these weights.
PRIOR_RELATIVE_TO_BEST = 0.6
PRIOR_CONTEXT_WEIGHT = 0.3
PRIOR_DATE_BONUS = 0.1
MAX_STATEMENTS = 3
# A sentence of fewer words is no further statement (a heading or a fragment the splitter left).
MIN_FURTHER_WORDS = 4
_WORDS = re.compile(r"[^\W_]+")
_CHANGE_STEMS = frozenset(stems(sorted(CHANGE_WORDS)))
# Question kinds whose best span leads the answer: a name, a date, a number or amount.
SHORT_ANSWER_KINDS = frozenset({"person", "place", "date", "number", "money", "duration", "thing"})
SHORT_ANSWER_MAX_WORDS = 8
SHORT_ANSWER_MIN_CONFIDENCE = 0.5  # lead with a span only when the answer is more likely right than not
# Another article's sentence that holds the short answer cites it too when it covers the question
# at least this share as well as the sentence the answer was found in (`_also_stating`; the
# smallest share with precision >= 0.95 on the constructed news's training stories and SQuAD's
# training articles, benchmarks/answer_corroboration.py).
SAME_ANSWER_COVERAGE = 0.5
# What a question asks about: "What did Putin tell Macron about Iran on January 28?" asks of
# Iran; the day, the people and the verb are around it.
_ABOUT = re.compile(
    r"\babout\s+(?!(?:what|which|who|whom|whose|when|where|why|how)\b|\d)(?P<topic>.+?)"
    r"(?=\s+(?:on|in|at|during|after|before|since|until|between|from|to|with|when|while|last|this"
    r"|yesterday|today)\b|[?!.,;:]|$)",
    re.IGNORECASE,
)


def says_the_same(a: EvidenceSentence, b: EvidenceSentence) -> bool:
    """Two sentences of different articles reporting one statement in nearly the same words:
    most of the sparser one's words are in the other, nothing they state disagrees (see
    assistant/answer/corroboration.py), and the articles were not published on different days.
    (`corroborate` then finds those that say it in other words.)"""
    if a.doc_id == b.doc_id or not a.terms or not b.terms or _different_days(a, b):
        return False
    return same_claim(a.text, b.text, None, a.terms, b.terms)


def _different_days(a: EvidenceSentence, b: EvidenceSentence) -> bool:
    day_a, day_b = a.passage.metadata.get("published"), b.passage.metadata.get("published")
    return bool(day_a and day_b and day_a != day_b)


def _repeats(a: EvidenceSentence, b: EvidenceSentence) -> bool:
    """The same article saying the same thing twice (a lead repeated in the body), or the same
    outlet word for word in another of its articles (`_reprinted`)."""
    return (a.doc_id == b.doc_id and word_overlap(a.terms, b.terms)[0] >= 0.8) or _reprinted(a, b)


def _reprinted(a: EvidenceSentence, b: EvidenceSentence) -> bool:
    """One outlet's sentence word for word in two of its articles (a story and its update, saved a
    day apart): one report, stated and cited once, not two that agree (a review of stories that
    change found "About 1,200 [1][2]" and the sentence stated twice)."""
    outlet = a.passage.metadata.get("outlet")
    return (
        a.doc_id != b.doc_id
        and bool(outlet)
        and outlet == b.passage.metadata.get("outlet")
        and " ".join(a.text.split()) == " ".join(b.text.split())
    )


def chosen_sentences(sentences: Sequence[EvidenceSentence], probabilities: np.ndarray) -> list[int]:
    """Indices of the sentences an answer states, before merging: the best, and the next best
    with at least RELATIVE_TO_BEST of its probability, at most MAX_STATEMENTS."""
    order = [int(i) for i in np.argsort(-probabilities, kind="stable")]
    if not order:
        return []
    best = probabilities[order[0]]
    return [i for i in order if probabilities[i] >= RELATIVE_TO_BEST * best][:MAX_STATEMENTS]


@dataclass
class _Reading:
    """What the reader made of the sentences of the passages: each one's probability of holding
    the answer, the answer's confidence, and what of the question no sentence holds."""

    view: QuestionView
    asked: str  # the question, read with the questions it follows
    scored: list[EvidenceSentence]  # best first, led by those stated whatever else is
    prior: dict[int, float]  # each sentence's hand-weighted prior, by id
    confidence: float
    missing: list[str]  # the question's stems no sentence read holds
    reporting: set[str]  # the sentences (by text) that report something of the kind asked for
    first: list[EvidenceSentence] | None  # "the latest": the newest answering article's sentences
    topical: EvidenceSentence | None  # the best sentence that names what is asked about
    none: EvidenceSentence | None  # "No one was killed", asked how many

    @property
    def unanswered(self) -> float:
        """The share of the question's weight on words no sentence read holds."""
        return weight_share(self.view.weights, self.missing)


def _read(
    question: str,
    passages: list[Passage],
    vocabulary: Vocabulary,
    context: str,
    date: DateMention | None,
    model: ReaderModel,
    readable: Callable[[EvidenceSentence], bool] | None,
    verifier: Verifier | None,
    latest: bool,
) -> _Reading | None:
    """The reader's probabilities and confidence, and the order the sentences are considered in;
    None when no sentence is read."""
    view = QuestionView.of(question, vocabulary, context)
    asked = f"{context} {question}" if context else question  # a follow-up read with what it refers back to
    dates = question_date_terms(date)
    sentences = [s for s in evidence_sentences(passages) if readable is None or readable(s)]
    if not sentences:
        return None
    rows = sentence_rows(view, sentences, dates)
    priors = [prior_score(r) for r in rows]
    if model.reads_verifier:
        if verifier is None:
            raise ValueError("this reader model reads the answer verifier's scores: pass its verifier")
        set_verified(rows, verified_logits(verifier, asked, [s.text for s in sentences], priors))
    probabilities = model.sentence_probabilities([r.values for r in rows])
    evidence = evidence_terms(sentences, passages)
    missing = unknown_terms(view.weights, vocabulary, dates, evidence, question)
    unknown = weight_share(view.weights, missing)  # a feature of the model
    confidence = model.confidence(answer_row(view, sentences, rows, probabilities, unknown))
    # the sentences that report something of the kind asked for (by text: `scored` holds copies)
    reporting = set() if view.wanted is None else {s.text for s in sentences if _reports(view.wanted, s.text)}
    # the words the refusal reads: "$35" is what "how much money" asks for
    if view.wanted is not None and view.wanted.is_the_answer and reporting:
        missing = unknown_terms(view.weights, vocabulary, dates, evidence | view.wanted.covers, question)
    scored = [
        replace(s, score=float(p), coverage=r.coverage) for s, r, p in zip(sentences, rows, probabilities)
    ]
    prior = {id(s): p for s, p in zip(scored, priors)}
    scored.sort(key=lambda s: s.score, reverse=True)
    newest = _newest_answering(view, sentences, rows, probabilities, unknown, model) if latest else None
    first = [s for s in scored if s.doc_id == newest] if newest is not None else None
    if first is not None:  # what the newest article that answers says, first: only it is stated
        scored = [*first, *(s for s in scored if s.doc_id != newest)]
    topical = _on_topic(question, view, first or scored)  # the best sentence that names what is asked about
    scored = _led_by(topical, scored)  # stated, whatever else is
    if first is None:  # "Why are drivers striking?" and its answer
        scored = _led_by(_reply_to_it(view, scored, prior), scored)
    scored = _led_by(_of_the_month(date, scored, prior), scored)  # "in March" of a report of April's rise
    scored = _led_by(_how_it_stands(question, scored, prior), scored)  # "Has the bridge reopened?": May's report
    later = _told_later(view, scored, passages)  # a live blog's "now says 31 people have died"
    if later is not None:  # what it revises is not stated
        scored = _led_by(later, scored[1:])
    none = _counted_none(question, scored, prior) if view.wanted is COUNT else None  # "No one was killed"
    if none is not None:
        scored = _led_by(none, scored)
        reporting.add(none.text)
    return _Reading(view, asked, scored, prior, confidence, missing, reporting, first, topical, none)


def _statements(reading: _Reading) -> tuple[list[EvidenceSentence], list[DraftStatement]]:
    """Every sentence in the order the answer considers them, and the statements it would make:
    the best sentences, each with the other articles' sentences that say the same in nearly the
    same words; asked for a kind of thing, none unless one reports such a thing, and asked for a
    number ("How many troops?"), only those that do."""
    view, scored = reading.view, reading.scored
    statements: list[DraftStatement] = []
    order, eligible = _statement_order(scored, reading.prior)
    if reading.first is not None:  # only they are stated; the others may still corroborate them
        eligible &= {id(s) for s in reading.first}
    if reading.topical is not None:
        eligible.add(id(reading.topical))
    for sentence in order:
        twin = next((st for st in statements if says_the_same(st.lead, sentence)), None)
        if twin is not None:
            if sentence.doc_id not in {s.doc_id for s in twin.members}:
                _merge(twin, sentence, view.weights)
            continue
        if any(_repeats(st.lead, sentence) for st in statements):
            continue
        if statements and len(_WORDS.findall(sentence.text)) < MIN_FURTHER_WORDS:
            continue  # "Normandy Quartet.": a heading or a fragment says nothing of its own
        if len(statements) < MAX_STATEMENTS and id(sentence) in eligible:
            statements.append(DraftStatement(sentence))
    if view.wanted is not None:
        holding = [st for st in statements if any(s.text in reading.reporting for s in st.members)]
        if not holding:  # what it would say is not of the kind asked for, unless the sentence after says it
            told = _of_the_kind_next(statements, scored, reading)
            return order, [] if told is None else [DraftStatement(told[1]), told[0]]
        if view.wanted.complete:
            return order, holding
    return order, statements


def _of_the_kind_next(
    statements: Sequence[DraftStatement], read: Sequence[EvidenceSentence], reading: _Reading
) -> tuple[DraftStatement, EvidenceSentence] | None:
    """A statement whose lead is followed in its article by a sentence read that reports the kind
    asked for and writes a word the question writes in small letters (what it asks): "The regional
    government has agreed to pay for a temporary desalination unit at the port of Malaga", then "The
    mobile plant, which will cost 9.5 million euros, …" of "What will the temporary desalination
    unit at the port of Malaga cost?" (development news: three such questions refused as naming no
    sum). The two sentences write every name the question writes: not of "the desalination plant
    near Velez-Malaga". The statement and the sentence after it; None where no statement has one."""
    question = reading.view.text
    asked = uncapitalised_terms(question)
    named = frozenset(content_terms(question)) - asked  # every capitalised word; `_named_terms` reads fewer ("Corliss")
    for statement in statements:
        after = _told_next(statement.lead, read)
        if after is None or after.text not in reading.reporting or not asked & uncapitalised_terms(after.text):
            continue
        if named <= frozenset(content_terms(f"{statement.lead.text} {after.text}")):  # not the plant "near Velez-Malaga"
            return statement, after
    return None


def _not_in_the_articles(
    question: str,
    as_named: str,
    statements: list[DraftStatement],
    reading: _Reading,
    passages: list[Passage],
    vocabulary: Vocabulary,
    date: DateMention | None,
    articles: Callable[[Sequence[str]], Sequence[ArticleWords]] | None,
    words: SentenceVectors | None,
    outlets: Sequence[str],
) -> Draft | None:
    """The refusal, where what the question names or asks whether happened is not in the articles
    the answer would cite: a name, number, office, period or counted thing none of them mentions
    (named.py), an office and a name no one article gives together, a name or word of a yes-or-no
    question the stated sentences never tell, an outcome they tell of as still to come."""
    scored, confidence = reading.scored, reading.confidence
    cited = list(dict.fromkeys(s.doc_id for st in statements for s in st.members))
    names = [n for n in asked_names(as_named) if not _of_an_outlet(n.run, outlets)] if cited else []
    numbers = asked_numbers(question) if cited else []
    roles = asked_roles(as_named) if cited else []
    periods = asked_periods(question, date) if cited else []  # "the fourth quarter", "in August"
    counted = counted_thing(question) if cited else None  # "jobs" of "How many jobs …?"
    read = [_read_of(passages, cited)] if names or numbers or roles or periods or counted else []
    if articles is not None and (
        unmentioned(names, read, vocabulary)
        or unmentioned_numbers(numbers, read)
        or unmentioned_roles(roles, read)
        or unmentioned_periods(periods, read)
        or uncounted(counted, read, words)
    ):
        whole = articles(cited)  # the store is read only where the passages leave a doubt
        missing = unmentioned(names, whole, vocabulary) or unmentioned_roles(roles, whole)
        if missing:  # the same story, another fact: "the review meeting in Hanoi"
            capped = min(confidence, UNMENTIONED_CONFIDENCE)
            spellings = spelt_otherwise(missing, passages)  # or a typo: "Putn"
            return Draft([], True, capped, scored, unmentioned=tuple(missing), spellings=spellings)
        missing = unmentioned_numbers(numbers, whole) or unmentioned_periods(periods, whole)
        if missing:  # "the 2038 Winter Games" of articles on the 2030 bid; "the fourth quarter" of the third's
            capped = min(confidence, UNMENTIONED_NUMBER_CONFIDENCE)
            return Draft([], True, capped, scored, unmentioned=tuple(missing))
        if missing := uncounted(counted, whole, words):  # "How many jobs …?" of an article on a fire
            return Draft([], True, min(confidence, UNCOUNTED_CONFIDENCE), scored, unmentioned=tuple(missing))
    # "Who is the CEO of Duramax?": one article names both, in its passages or else in its whole
    if roles and names and articles is not None:
        passages_of = [_read_of(passages, [d]) for d in cited]
        if not one_names_all(roles, names, passages_of, vocabulary) and not one_names_all(roles, names, articles(cited), vocabulary):
            capped = min(confidence, UNMENTIONED_CONFIDENCE)  # named as of the question's first name
            return Draft([], True, capped, scored, unmentioned=(f"the {roles[0]} of {' '.join(names[0].run)}",))
    if names and asks_yes_or_no(question):  # "Did China sign the accord?", answered by who signed it
        missing = unmentioned(names, [stated_words(statements)])
        if missing:
            capped = min(confidence, UNSTATED_CONFIDENCE)
            return Draft([], True, capped, scored, unstated=tuple(missing), spellings=spelt_otherwise(missing, passages))
    if statements and words is not None and asks_yes_or_no(question):  # "Has the ceasefire been broken?"
        untold = unsaid_words(question, scored, statements, words)
        if untold:
            return Draft([], True, min(confidence, UNSAID_WORDS_CONFIDENCE), scored, unstated=tuple(untold))
    if statements and asks_an_outcome(question) and outcome_still_ahead(question, [st.lead.text for st in statements]):
        # "What was agreed at the review meeting in Hanoi in November?" of articles that say it is
        # "scheduled to" be held: they were written before it
        return Draft([], True, min(confidence, AHEAD_CONFIDENCE), scored, ahead=True)
    return None


@dataclass(frozen=True)
class _Speaker:
    """Whom a "What did <name> say?" question asks to hear (speakers.py): people by name, or an
    office ("Norway's prime minister") with the names the passages give its holders."""

    names: list[str]
    office: str | None
    holders: list[str]

    @property
    def asked(self) -> bool:
        return bool(self.names or self.office)

    def said(self, sentence: EvidenceSentence) -> bool:
        """Whether `sentence` gives the one asked about as its speaker."""
        if not self.office:
            return speaks(self.names, sentence)
        return speaks(self.holders, sentence) or speaks([], sentence, self.office)


def _asked_speaker(as_named: str, outlets: Sequence[str], passages: Sequence[Passage]) -> _Speaker:
    names = [p for p in asked_speakers(as_named) if not _of_an_outlet(p.split(), outlets)]  # "What did Macron say?"
    office = asked_office(as_named) if not names else None  # "… Norway's prime minister …"
    holders = office_holders(office, [p.text for p in passages]) if office else []  # "Foreign Minister Rosa Quispe"
    return _Speaker(names, office, holders)


def _their_words(
    question: str,
    as_named: str,
    speaker: _Speaker,
    statements: list[DraftStatement],
    reading: _Reading,
    passages: list[Passage],
) -> Draft | list[DraftStatement]:
    """The statements of what the asked speaker said, and of that only what names what the
    question asks about ("What did Macron say about the talks?"), with their quotations; the
    refusal where they say nothing, or nothing on it."""
    view, scored = reading.view, reading.scored
    theirs = [st for st in statements if any(speaker.said(s) for s in st.members)]
    if not theirs and asks_only_what_was_said(as_named):
        own = next((s for s in scored if speaker.said(s)), None)
        theirs = [DraftStatement(own)] if own is not None else []  # not the sentence that names them best
    topic = _topic_words(question, view)
    if topic and not any(_names_topic(topic, view, s) for st in theirs for s in st.members):
        theirs = _said_on_topic(topic, view, scored, speaker.said) or theirs  # "Boudreau has been on his players …"
    if not theirs or (topic and not any(_names_topic(topic, view, s) for st in theirs for s in st.members)):
        spellings = () if theirs or speaker.office else spelt_otherwise(speaker.names, passages)  # "Melony": Meloni
        capped = min(reading.confidence, UNSAID_CONFIDENCE)
        unsaid = tuple(speaker.names) if speaker.names else (f"the {speaker.office}",)
        return Draft([], True, capped, scored, unsaid=unsaid, unsaid_of=bool(theirs), spellings=spellings)
    return _with_their_quotes(theirs, scored, speaker.said)


def _leading_span(
    view: QuestionView,
    best: EvidenceSentence,
    statements: list[DraftStatement],
    scored: list[EvidenceSentence],
    span_model: SpanModel,
    speaker: _Speaker,
    asks_a_reason: bool,
    listing: bool,
) -> ShortAnswer | None:
    """The short answer that leads, the best sentence's span of the kind asked for
    (`_short_answer`), where nothing the answer states disputes it and it is not the speaker
    asked about, a place beside the cause asked for, or one name of a list; with the other
    sentences that state it."""
    short = _short_answer(view, best, span_model)
    if short is None or _disputed(short, statements, view, span_model):
        return None
    if _names_the_speaker(short.text, [*speaker.names, *speaker.holders], speaker.office):
        return None  # "What did the sheriff say …?" is not answered by "Coyle County"
    if asks_a_reason and not cause_before(short.sentence.text, short.text):
        return None  # "What started the Cedar Hollow fire?" is not "Pinecrest" of the fire near it
    if listing and (not statements or short.sentence is not statements[0].lead or _part_of_a_list(short)):
        return None  # "Which hospitals …?" is not "Northgate General" of three, nor a name beside the list
    return _also_stating(short, scored)


def draft_answer(
    question: str,
    passages: list[Passage],
    vocabulary: Vocabulary,
    context: str = "",
    date: DateMention | None = None,
    model: ReaderModel | None = None,
    vectors: SentenceVectors | None = None,
    spans: SpanModel | None = None,
    readable: Callable[[EvidenceSentence], bool] | None = None,
    verifier: Verifier | None = None,
    articles: Callable[[Sequence[str]], Sequence[ArticleWords]] | None = None,
    latest: bool = False,
    words: SentenceVectors | None = None,
    outlets: Sequence[str] = (),
) -> Draft:
    """The answer's statements, short answer and confidence. With `vectors` (sentence
    embeddings), other articles' sentences that report a statement in other words join it;
    with `readable`, only the sentences it admits are read; `verifier` is the answer verifier of
    a reader model trained with one (assistant/answer/verifier.py; the shipped reader reads none);
    with `articles` (the words of the articles of these ids), an answer whose articles never
    mention a name the question asks about refuses (assistant/answer/named.py); `latest` (the
    question asks for "the latest"): what the newest article that answers says comes first; with
    `words` (word embeddings), a count of a thing no cited article names is refused only where
    nothing they count is near it in meaning; `outlets`: the outlets the question names, when it
    names more than one ("How did the Gazette's and the Voice's accounts differ?"): their names
    are no names to find in the articles or speakers to quote, and each is stated.

    In turn: the reader reads the sentences (`_read`); the answer refuses where its confidence is
    low or no sentence is of the kind asked for; the statements are chosen (`_statements`); then
    each check of what they would say may refuse (`_not_in_the_articles`, `_their_words`, and the
    checks of near_misses.py below) or reorder them; last, the short answer that leads."""
    model = model or load_model()
    reading = _read(question, passages, vocabulary, context, date, model, readable, verifier, latest)
    if reading is None:
        return Draft([], True, 0.0)
    view, scored, confidence, none = reading.view, reading.scored, reading.confidence, reading.none
    if view.wanted is not None and not reading.reporting:  # no sentence read is of the kind asked for
        return untyped(view.wanted, confidence, scored)
    if confidence < model.abstain_below or reading.unanswered >= MAX_UNKNOWN_SHARE:
        unused = words_of_stems(reading.asked, reading.missing if reading.unanswered >= MAX_UNKNOWN_SHARE else [])
        spellings = nearest_spellings(unused, texts_of(passages))
        return Draft([], True, confidence, scored, unused=unused, spellings=spellings)
    order, statements = _statements(reading)
    if view.wanted is not None and not statements:  # what it would say is not of the kind asked for
        return untyped(view.wanted, confidence, scored)
    as_named = recased(question, [p.text for p in passages]) if statements else question  # "did macron …": Macron
    refused = _not_in_the_articles(question, as_named, statements, reading, passages, vocabulary, date, articles, words, outlets)
    if refused is not None:
        return refused
    speaker = _asked_speaker(as_named, outlets, passages) if statements else _Speaker([], None, [])
    if speaker.asked:  # only their words are stated, and those on what was asked about
        theirs = _their_words(question, as_named, speaker, statements, reading, passages)
        if isinstance(theirs, Draft):
            return theirs
        statements = theirs
    listing = asks_for_a_list(question) and bool(statements)  # "Which hospitals would the walkout affect?"
    if listing:
        kind = asked_kind(question)  # "hospitals"
        statements = _the_list_first(statements, scored, view, kind)
        if counts_unnamed(statements[0].lead.text, kind, view.stems):  # "marches planned in at least 12 cities"
            return Draft([], True, min(confidence, UNLISTED_CONFIDENCE), scored, lacking="names of them")
    then = _list_goes_on(statements[0].lead, scored, view) if listing else None  # "… were also shut"
    if then is not None and not any(then in st.members for st in statements):
        statements = [statements[0], DraftStatement(then), *statements[1:]]
    why = None
    asks_a_reason = asks_why(question)  # "Why …?", "What caused …?"
    if asks_a_reason and statements:
        statements = _the_cause_first(statements, scored, view.stems)
        event = statements[0].lead  # news tells the event, then why, where the event's sentence does not
        why = None if gives_cause(event.text) else _told_next(event, scored)
        if why is not None and not any(why in st.members for st in statements):
            statements = [statements[0], DraftStatement(why), *statements[1:]]  # one more: the others may hold it
        if no_reason(statements, why):
            return Draft([], True, min(confidence, REASONLESS_CONFIDENCE), scored, lacking="reason")
    if statements and asks_when_ahead(question) and undated(question, statements):
        # "When will the two closed operating theatres reopen?" of "… two operating theatres remained closed …"
        return Draft([], True, min(confidence, UNDATED_CONFIDENCE), scored, lacking="date")
    withheld = asked_unknown(question) if statements else None  # "Which German club …?"
    if withheld is not None:
        told, unknown_in = told_otherwise(question, withheld, statements, scored)
        if unknown_in is not None:  # "… from an unnamed German club …"
            return Draft([], True, min(confidence, WITHHELD_CONFIDENCE), scored, withheld=unknown_in)
        if told is not None:  # "Swedish private-equity firm Brannvik Capital has sold its 30 percent holding …"
            statements = [DraftStatement(told), *(st for st in statements if told not in st.members)]
    if statements and view.wanted is COUNT and none is None:
        stated, counted = stated_texts(statements), counted_thing(question)
        lacking = f"number of {counted.lower()}" if counted else "such number"
        if uncounted_beside(question, stated):
            # "How many goals did Quintela score last season?" of "… the club sold 40,000 replica shirts …"
            return Draft([], True, min(confidence, UNCOUNTED_BESIDE_CONFIDENCE), scored, lacking=lacking)
        if counted and counts_another(counted, stated, words):
            # "How many homes in Celje were flooded?" of "… forcing about 2,300 residents to leave their homes …"
            return Draft([], True, min(confidence, COUNTS_ANOTHER_CONFIDENCE), scored, lacking=lacking)
    statements = _of_the_outlets(outlets, statements, scored)  # "... the Gazette's and the Voice's accounts ...": both
    if len(outlets) > 1 and not statements:  # nothing of theirs: another outlet's words are no account of theirs
        return Draft([], True, confidence, scored, silent=tuple(outlets))
    if vectors is not None:
        statements = corroborate(statements, order, vectors, view.weights)
    best = scored[0]
    if asks_who_said(question) and statements and (named := attribution_of(best, scored)) is not None:
        # "Who said the victory is a gift?": the quotation alone names no one; the sentence before does
        statements = [DraftStatement(named), *(st for st in statements if st.lead is not named)]
        best = named
    leader = asked_leader(question) if statements else None
    if leader is not None and not names_a_leader(leader, question, [s for st in statements for s in st.sentences]):
        told = leader_sentence(leader, question, scored)  # "Chairwoman Maeve Dunne said …", read lower
        if told is None:
            # "Who leads Labour Centre?" of "The Green Baltic Alliance, led by Rasmus Kuusk, won 10 seats, and Labour Centre took 7."
            return Draft([], True, min(confidence, UNLED_CONFIDENCE), scored, lacking=leader.wanted)
        statements = [DraftStatement(told), *(st for st in statements if told not in st.members)]
        best = told
    if statements and asks_who(question) and unnamed(question, stated_texts(statements)):
        # "Who raised the alarm at the Lyon museum?" of sentences that name the museum and no one
        return Draft([], True, min(confidence, UNNAMED_CONFIDENCE), scored, lacking="name")
    described = named_thing(question)
    if statements and described:
        # news tells of one and names it next: "A loaded oil tanker ran aground …" then "The
        # Liberian-flagged Silver Merope, carrying …"; "… a renewed interest in steam …" then "This
        # is becoming known as the Advanced Steam movement."
        lead = statements[0].lead
        then = _told_next(lead, scored)
        named_next = then is not None and names_it_next(question, described, lead.text, then.text)
        if then is not None and named_next and not any(then in st.members for st in statements):
            statements = [statements[0], DraftStatement(then), *statements[1:]]
        if not named_next and nameless_beside(question, described, stated_texts(statements)):
            # "What is the name of the driver?" of "A crowded morning commuter train derailed …"
            return Draft([], True, min(confidence, NAMELESS_BESIDE_CONFIDENCE), scored, lacking="name")
    untold = untold_effect(effect_on(question), stated_texts(statements)) if statements else []
    if untold:  # "How will the Halvern deal affect Northgate's credit card business?" of branches and jobs
        return Draft([], True, min(confidence, UNTOLD_EFFECT_CONFIDENCE), scored, unstated=tuple(untold))
    short = None  # nor one for outlets compared: each is stated ("How long will it stay closed, according to the Gazette and the Voice?")
    if confidence >= SHORT_ANSWER_MIN_CONFIDENCE and (none is None or best is not none) and len(outlets) < 2:
        short = _leading_span(view, best, statements, scored, spans or load_span_model(), speaker, asks_a_reason, listing)
    changed = None
    if asks_change(question):  # "By how much did car thefts rise?": "Up 146, from 466 to 612", not "612"
        if asks_rise_or_fall(question) and not any(_a_change(question, st.lead) for st in statements):
            return Draft([], True, min(confidence, UNCHANGED_CONFIDENCE), scored, lacking="figure of a change")
        statements, short, changed = _of_the_change(question, statements, short, confidence, view)
    said = {s.passage.metadata.get("outlet") for st in statements for s in st.sentences}
    silent = tuple(o for o in outlets if o not in said) if len(outlets) > 1 else ()  # "Compare the Herald's and the Voice's ..."
    return Draft(_reading_order(statements, why or then), False, confidence, scored, short, silent=silent, changed=changed)


def _a_change(question: str, sentence: EvidenceSentence) -> bool:
    """Whether a sentence gives some answer to how much something rose or fell: the change, its
    two ends, or what it changed to."""
    return bool(changes_in(sentence.text, question)) or changed_to(sentence.text)


def _of_the_change(
    question: str, statements: list[DraftStatement], short: ShortAnswer | None, confidence: float, view: QuestionView
) -> tuple[list[DraftStatement], ShortAnswer | None, Change | None]:
    """Asked how much something rose or fell: of the changes the statements that name what changed
    give (half its words by weight, with their article's title: `_names_topic`), written out
    ("rose 4 percent to $3.10", "two fewer than in 2023", "doubled") or by their two ends ("612,
    up from 466"; changes.changes_in), going the way asked where any does, the one whose clause
    and sentence name it best leads: asked how many fewer homicides the city recorded, not its car thefts' rise; asked
    how many fewer teachers, not "enrolment rose to 5,430 from 5,000, while the number of teachers
    fell …". Its written change is the short answer, or the change is worked out from the ends:
    "612" of "612 car thefts, up from 466" is not by how much they rose. Where none does, the
    answer is as the reader drafted it."""
    subject = [t for t in view.weights if t not in _CHANGE_STEMS]  # "bulk cargo", not "percentage change"
    if not subject:
        return statements, short, None
    named = {t: view.weights[t] for t in subject}
    candidates = [
        (statement, found)
        for statement in statements
        if _names_topic(subject, view, statement.lead)
        for found in changes_in(statement.lead.text, question)
        if found.written is None or found.written in statement.lead.quote
    ]
    going = the_way_asked([f for _, f in candidates], question)  # "fewer": not the car thefts' rise beside them
    candidates = [(st, f) for st, f in candidates if f in going]
    if not candidates:
        return statements, short, None

    def rank(candidate: tuple[DraftStatement, Found]) -> float:  # its clause's words and its sentence's
        lead = candidate[0].lead
        clause = frozenset(content_terms(candidate[1].clause))
        return covered_share(named, clause) + covered_share(named, lead.terms | title_terms(lead))

    statement, found = max(candidates, key=rank)  # the first of equals
    first = [statement, *(st for st in statements if st is not statement)]
    if found.written is not None:
        return first, ShortAnswer(found.written, statement.lead) if confidence >= SHORT_ANSWER_MIN_CONFIDENCE else None, None
    return first, None, found.change


def _how_it_stands(question: str, ranked: list[EvidenceSentence], prior: dict[int, float]) -> EvidenceSentence | None:
    """Asked a yes-or-no question of how things stand now (`candidates.asks_how_it_stands`), the
    best sentence of the newest article among those the answer may state or that cover the
    question about as well as the best one (NEAR_COVERAGE) and name, or whose article's title
    names, what the question names, where they were published on more than one day: asked "Has
    the Harlow bridge reopened?", the answer led with March's report that the reopening was
    postponed and stated May's, that the bridge opened, third (a review of yes-or-no questions)."""
    if not asks_how_it_stands(question):
        return None
    named = _named_terms(question)
    near = [s for s in _near_the_best(ranked, prior) if all(term_found(t, s.terms | title_terms(s)) for t in named)]
    days = {day for s in near if (day := published_date(s.passage.metadata)) is not None}
    if len(days) < 2:
        return None
    newest = max(days)
    return next(s for s in near if published_date(s.passage.metadata) == newest)


def _near_the_best(ranked: list[EvidenceSentence], prior: dict[int, float]) -> list[EvidenceSentence]:
    """The sentences the answer may state (`_statement_order`) or that cover the question about as
    well as the best one (NEAR_COVERAGE of its coverage), best first."""
    best = ranked[0]
    order, eligible = _statement_order(_by_score(ranked), prior)
    return [s for s in order if id(s) in eligible or s.coverage >= NEAR_COVERAGE * best.coverage]


def _disputed(short: ShortAnswer, statements: Sequence[DraftStatement], view: QuestionView, spans: SpanModel) -> bool:
    """Whether another article's statement gives another count of what a "how many" question
    counts: one the span model would lead with as surely, of the noun asked ("860 flights" beside
    "1,120 flights"; `spans.counts_the_noun`), in a sentence that covers the question as well and
    whose numbers differ (`corroboration.disagreement`).
    Asked how many flights the Frankfurt airport strike cancelled, of two strikes a year apart, the
    answer led with one strike's "1,120" as if it were the only figure; asked how many died in
    the earthquake, of three, with one's (a review of many similar stories). The statements
    still give each figure, cited; no one of them leads."""
    if view.wanted is None or not view.wanted.complete:
        return False
    if not counts_the_noun(short.sentence.text, _candidate_of(short), view.text):
        return False
    for statement in statements:
        other = statement.lead
        if other.doc_id == short.sentence.doc_id or disagreement(short.sentence.text, other.text) != "numbers differ":
            continue
        if other.coverage < short.sentence.coverage:  # of another thing the story counts, not this one
            continue
        found = spans.best(other.text, view.text, view.kind, view.stems)
        if (
            found is not None
            and found.probability >= spans.lead_at
            and found.candidate.text != short.text
            and counts_the_noun(other.text, found.candidate, view.text)
        ):
            return True
    return False


def _candidate_of(short: ShortAnswer) -> Candidate:
    """The short answer as a span of its sentence (its first place there)."""
    start = short.sentence.text.find(short.text)
    return Candidate(short.text, max(start, 0), max(start, 0) + len(short.text), "number")


def _of_an_outlet(words: Sequence[str], outlets: Sequence[str]) -> bool:
    """Whether these words of a question (a name's run: "Harbor", "Gazette") name one of the
    `outlets` it names: the articles' source, not a name their text must write or a speaker."""
    return any({w.casefold() for w in words} <= {w.casefold() for w in name_words(o)} for o in outlets)


def _of_the_outlets(outlets: Sequence[str], statements: list[DraftStatement], scored: Sequence[EvidenceSentence]) -> list[DraftStatement]:
    """For a question that names several outlets, the statements of those outlets (another's led
    "How did the Gazette and the Courier cover the fire?"), and the best sentence of each that no
    statement is of yet, where it names something the question does (the question is read without the
    outlets' names: assistant.search.outlets.without_comparison): "How did the Gazette's and the
    Voice's accounts of the fire differ?" was answered from one of them (a review of questions
    comparing outlets); an outlet that never wrote of it is not quoted on another story (a
    held-out check: its library story was given as its account of a ski race); no other outlet
    is quoted (in an archive of 1,095 files, "How did Xinhua's and Korrespondent's accounts of the
    call differ?" was answered with an encyclopedia's "they are called anticlines")."""
    if len(outlets) < 2:
        return statements
    of_them = [st for st in statements if st.lead.passage.metadata.get("outlet") in outlets]
    stated = {str(s.passage.metadata.get("outlet") or "") for st in of_them for s in st.members}
    added = []
    for outlet in outlets:
        theirs = (s for s in scored if s.passage.metadata.get("outlet") == outlet and s.coverage > 0)
        best = next(theirs, None) if outlet not in stated else None
        if best is not None:
            added.append(DraftStatement(best))
    return of_them + added


def _topic_words(question: str, view: QuestionView) -> list[str]:
    """The words that name what the question asks about, without the names of whose it is ("about
    the US and NATO response": respons; "about NATO": nato), rarest in the index (then in English)
    first; none when it asks about nothing."""
    found = _ABOUT.search(question)
    if found is None:
        return []
    # what it is about, not whose: "Northgate Athletic's ticket prices" are prices, of a story
    # whose every sentence may name Northgate Athletic; a topic of names alone is its names
    asked = found["topic"]
    topic = [t for t in (question_terms(uncapitalised(asked)) or question_terms(asked)) if t in view.weights]
    return sorted(topic, key=lambda t: (view.weights[t], view.rarities[t]), reverse=True)


def _names_topic(topic: Sequence[str], view: QuestionView, sentence: EvidenceSentence) -> bool:
    """Whether a sentence, with its article's title, names at least half of the topic by its
    words' weights: "the plan", in an article headlined "Teachers threaten strike over reform
    plan", speaks of the reform; "Inflation is coming down" does not speak of "the first cut
    coming". (Not the sentences beside it: those are often another speaker's on the topic.)"""
    return _names_it(topic, view, sentence.terms | title_terms(sentence))


def _names_it(topic: Sequence[str], view: QuestionView, terms: frozenset[str]) -> bool:
    return covered_share({word: view.weights[word] for word in topic}, terms) >= TOPIC_SHARE


def _said_on_topic(
    topic: Sequence[str], view: QuestionView, ranked: Sequence[EvidenceSentence], theirs: Callable[[EvidenceSentence], bool]
) -> list[DraftStatement]:
    """Asked what someone said about a topic, where the statements give their words on nothing
    it names: the best sentence of theirs that names it itself (not by its article's title: of
    every sentence of theirs, most are on something else), or else the best quotation of theirs
    whose article names all of it just before, in its own words (`narrated_before`), with that
    sentence (all: half of "the power play" is "players").
    Asked "What did Ryan Suter say about looking at the standings?", the answer refused ("never
    quote Ryan Suter on it") where the article says "Boudreau has been on his players to avoid
    looking at the standings." and then "“It's hard not to, though,” Suter acknowledged." (a
    review of real news pages). Not another speaker's words before it: those are theirs on it."""
    said = [s for s in ranked if theirs(s)]
    own = next((s for s in said if _names_it(topic, view, s.terms)), None)
    if own is not None:
        return [DraftStatement(own)]
    for sentence in said:
        if not quotes(sentence):
            continue
        context = next((s for s in narrated_before(sentence, ranked) if all(term_found(t, s.terms) for t in topic)), None)
        if context is not None:
            return [DraftStatement(context), DraftStatement(sentence)]
    return []


def _names_the_speaker(span: str, names: Sequence[str], office: str | None) -> bool:
    """Whether a span names the one a question asks what they said (by surname, or the office it
    names): "Climate and Environment Minister Ingvild Rosseland" is no answer to "What did the
    environment minister say about who would pay for the clean-up?", nor "Coyle County" to "What
    did the sheriff say about the campers?" (a held-out check of quotes; the development sets)."""
    words = {w.casefold() for w in _WORDS.findall(span)}
    if any(name.split()[-1].casefold() in words for name in names):
        return True
    return office is not None and any(w.casefold() in words for w in _WORDS.findall(office))


def _with_their_quotes(
    statements: list[DraftStatement], ranked: Sequence[EvidenceSentence], theirs: Callable[[EvidenceSentence], bool]
) -> list[DraftStatement]:
    """The statements of the asked speaker's words, each that is no quotation followed by the
    quotation of theirs that comes right after it (`quoted_after`), where it is not stated
    already. Asked what Marcus Lind said of the festival weekend's revenue, the answer stated
    "owner Marcus Lind estimates the weekend brings in a tenth of his yearly revenue" and not
    "“It's our Christmas,” Lind said." after it (a held-out check of quotes: 4 of 18 so)."""
    stated = {(s.doc_id, s.source_start) for st in statements for s in st.members}
    extended: list[DraftStatement] = []
    for statement in statements:
        extended.append(statement)
        if quotes(statement.lead) or len(extended) >= MAX_STATEMENTS:
            continue
        quoted = quoted_after(statement.lead, ranked)
        if quoted is not None and (quoted.doc_id, quoted.source_start) not in stated and theirs(quoted):
            extended.append(DraftStatement(quoted))
            stated.add((quoted.doc_id, quoted.source_start))
    return extended[:MAX_STATEMENTS]


def _on_topic(question: str, view: QuestionView, ranked: Sequence[EvidenceSentence]) -> EvidenceSentence | None:
    """The best sentence that names what the question asks about by its rarest word
    (`_topic_words`; "Iranian" as well as "Iran"); None when it asks about nothing or no sentence
    names it. Asked what Putin told Macron about Iran on January 28, the answer stated sentences
    of that day that name them and not Iran."""
    topic = _topic_words(question, view)
    return next((s for s in ranked if term_found(topic[0], s.terms)), None) if topic else None


def _led_by(sentence: EvidenceSentence | None, ranked: list[EvidenceSentence]) -> list[EvidenceSentence]:
    """`ranked` with `sentence` first, where a rule chose one."""
    return ranked if sentence is None else [sentence, *(s for s in ranked if s is not sentence)]


def _named_terms(question: str) -> frozenset[str]:
    """The stems of what the question names ("Harlow", "Veldt copper mine": its capitalised runs)."""
    return frozenset(content_terms(" ".join(" ".join(n.run) for n in asked_names(question))))


def _by_score(ranked: Sequence[EvidenceSentence]) -> list[EvidenceSentence]:
    """The sentences by the reader's probability, best first: what `_statement_order` reads, once
    a rule has put another sentence first."""
    return sorted(ranked, key=lambda s: s.score, reverse=True)


def _reply_to_it(view: QuestionView, ranked: list[EvidenceSentence], prior: dict[int, float]) -> EvidenceSentence | None:
    """The sentence that replies to a question the article asks itself, an interviewer's or an
    explainer's heading, when that question is most of this one (REPLIED_COVERAGE of its weight)
    and the reply is among those the answer may state (`_statement_order`): the article says what
    it answers. Asked "Why are the train drivers striking?", the answer led with "Train drivers
    across the country will walk out this week." and stated the paragraph under the explainer's
    "Why are drivers striking?" second (a review of news formats)."""
    if not any(s.replies_to for s in ranked):  # most articles ask themselves nothing
        return None
    order, eligible = _statement_order(_by_score(ranked), prior)
    return next(
        (
            s
            for s in order
            if id(s) in eligible and s.replies_to and covered_share(view.weights, s.replies_to) >= REPLIED_COVERAGE
        ),
        None,
    )


def _newest_answering(
    view: QuestionView,
    sentences: Sequence[EvidenceSentence],
    rows: Sequence[SentenceRow],
    probabilities: np.ndarray,
    unknown: float,
    model: ReaderModel,
) -> str | None:
    """The newest dated article among those that answer about as well as the best one; None when
    none of them is dated. The reader weighs what a sentence says, not when: asked what Putin and
    Macron discussed most recently, it stated an undated report and one of January 28 before the
    call of February 12.

    An article answers about as well when its sentences alone answer about as likely as the best
    article's (the answer model's confidence, at least RELATIVE_TO_BEST of the best), or when it
    is about as near the question in meaning (`LATEST_COSINE_GAP`) and one of its sentences covers
    most of the question (`LATEST_COVERAGE`) with a span of the kind asked for: a later report
    words the same fact otherwise ("the number killed reached 12" after "the death toll rose to
    nine"), and the reader's confidence, trained on one paragraph's wording, falls far more than
    its meaning does."""
    by_article: dict[str, list[int]] = {}
    for i, sentence in enumerate(sentences):
        by_article.setdefault(sentence.doc_id, []).append(i)
    likely: dict[str, float] = {}
    for doc_id, at in by_article.items():
        row = answer_row(view, [sentences[i] for i in at], [rows[i] for i in at], probabilities[at], unknown)
        likely[doc_id] = model.confidence(row)
    if not likely:
        return None
    top = max(likely, key=lambda doc_id: likely[doc_id])
    cosine = {doc_id: max(sentences[i].passage.cosine for i in at) for doc_id, at in by_article.items()}

    def answers(doc_id: str) -> bool:
        if likely[doc_id] >= RELATIVE_TO_BEST * likely[top]:
            return True
        return cosine[top] - cosine[doc_id] <= LATEST_COSINE_GAP and any(
            rows[i].coverage >= LATEST_COVERAGE and rows[i].candidate.typed for i in by_article[doc_id]
        )

    dated = [
        (day, doc_id)
        for doc_id, at in by_article.items()
        if answers(doc_id) and (day := str(sentences[at[0]].passage.metadata.get("published") or ""))
    ]
    return max(dated)[1] if dated else None


_WHO_IS = re.compile(r"^\W*who\s+(?:is|was|are|were)\s+(?P<subject>[^?!.]+?)\W*$", re.IGNORECASE)


def _asks_who_someone_is(question: str, sentence: str) -> bool:
    """Whether the question asks who a person it names is ("Who is Vladimir Putin?", "who is
    vladimir putin", the name as the sentence writes it), not who holds a role ("Who is the US
    ambassador?", "Who is Davi Quintela's agent?"). A bare title the sentence capitalises reads
    as a name ("who was president" of "President Macron"): it gets no short answer."""
    found = _WHO_IS.match(question)
    if found is None:
        return False
    words = found["subject"].split()
    if len(words) > 4 or any("'" in w or "’" in w for w in words):  # "Who is Davi Quintela's agent?"
        return False
    if all(w[0].isupper() for w in words):
        return True
    return re.search(r"\b" + r"\s+".join(re.escape(w.capitalize()) for w in words) + r"\b", sentence) is not None


# A count of none: "No one was killed", "There were no casualties", "Police made no arrests".
_NONE = re.compile(r"\b(?:no[ -]one|nobody|none|no\s+(?:(?:[a-z]+\s+)?(?P<noun>[a-z]+)))\b", re.IGNORECASE)
_DEAD = frozenset(content_terms("killed dead"))
_CLAUSE = re.compile(r"[,;:]|\s(?:but|and|while|whereas)\s", re.IGNORECASE)


# A later entry answers instead of the best sentence when it covers this share of the question as
# well as the article's sentence that covers it best, each read with the title: "Overnight
# mapping puts the Pine Ridge fire at 11,450 acres" does not say "burned" (0.75 of the best).
LATER_COVERAGE = 0.6
# An article told as it happens: entries under times of day ("06:10 GMT — …", "13:30 — …") or an
# update added to it ("UPDATE, 6:40 pm: Councillors voted …").
_ENTRY = re.compile(
    r"^[ \t]*(?:(?:mon|tues|wednes|thurs|fri|satur|sun)day,?\s+)?(?:\d{1,2}[:.]\d{2}\b|update\b)",
    re.IGNORECASE | re.MULTILINE,
)


def _told_later(view: QuestionView, ranked: Sequence[EvidenceSentence], passages: Sequence[Passage]) -> EvidenceSentence | None:
    """In an article told as it happens (`_ENTRY`: two entries or an update), the latest of its
    sentences read after the best one that says otherwise (`corroboration.disagreement`), covers
    the question about as well as any of its sentences (LATER_COVERAGE), each read with the
    article's title (an entry says "the blaze", "it"), names something the question asks of
    itself, and, asked for a kind of answer, gives one. Asked the magnitude of an earthquake, a live blog's answer was its first
    entry's 6.2, never the 6.4 it was revised to; a wildfire's "about 1,200 hectares" of its
    morning, not the 9,800 of its evening (a review of news formats)."""
    best = ranked[0]
    text = "\n".join(p.text for p in passages if p.doc_id == best.doc_id)
    entries = _ENTRY.findall(text)
    if len(entries) < 2 and not any(e.strip().lower().endswith("update") for e in entries):
        return None
    named = _named_terms(view.text)
    asked = [t for t in view.weights if t not in named]  # what is asked of what the question names
    title = title_terms(best)
    own = [s for s in ranked if s.doc_id == best.doc_id]
    covers = {id(s): covered_share(view.weights, s.terms | title) for s in own}
    most = max(covers.values())
    when = _entry_time(best)
    later = [
        s
        for s in own
        if _after(s, best, when)
        and covers[id(s)] >= LATER_COVERAGE * most
        and any(term_found(t, s.terms) for t in asked)
        and (view.wanted is None or _reports(view.wanted, s.text))
        and disagreement(best.text, s.text) is not None
    ]
    return max(later, key=lambda s: (_entry_time(s) or 0, s.source_start), default=None)


# The time an entry of a live blog is told at, at the start of a line: "06:10 GMT —", "8:55 p.m.",
# "Thursday, 9:15 a.m.:", "UPDATE, 10:47 p.m. —".
_WEEKDAY_NAMES = ("mon", "tues", "wednes", "thurs", "fri", "satur", "sun")
_STAMP = re.compile(
    rf"^[ \t]*(?:update\W{{1,3}})?(?:(?P<day>{'|'.join(_WEEKDAY_NAMES)})day,?\s+)?"
    r"(?P<hour>\d{1,2})[:.](?P<minute>\d{2})\b(?:\s*(?P<half>[ap])\.?m\b\.?)?",
    re.IGNORECASE | re.MULTILINE,
)


def _entry_time(sentence: EvidenceSentence) -> int | None:
    """The minute of the week of the entry a sentence of a live blog is in (the last time of day
    at a line's start in its passage, up to the sentence, on its weekday if it names one), if its
    passage shows one."""
    passage = sentence.passage
    local = next((start for start, _, source, _ in passage.sentence_spans() if source == sentence.source_start), None)
    if local is None:
        return None
    stamps = [m for m in _STAMP.finditer(passage.text) if m.start() <= local]
    if not stamps:
        return None
    stamp = stamps[-1]
    hour, minute, half = int(stamp["hour"]) % 24, int(stamp["minute"]), (stamp["half"] or "").lower()
    if half:
        hour = hour % 12 + (12 if half == "p" else 0)
    day = _WEEKDAY_NAMES.index(stamp["day"].lower()) if stamp["day"] else 0  # "Friday, 7:30 a.m." after Thursday's
    return (day * 24 + hour) * 60 + minute


def _after(sentence: EvidenceSentence, best: EvidenceSentence, when: int | None) -> bool:
    """Whether `sentence` was told after `best`: in a later entry where both show their entry's
    time (a live blog may put its newest entry first), else further down the article."""
    then = _entry_time(sentence)
    if then is not None and when is not None:
        return then > when
    return sentence.source_start > best.source_start


def _of_the_month(date: DateMention | None, ranked: list[EvidenceSentence], prior: dict[int, float]) -> EvidenceSentence | None:
    """Asked of a month alone ("Why did the central bank raise rates in March?"), the first
    sentence the answer may state (`_statement_order`) or that covers the question about as well
    as the best one (`_near_the_best`) that reports that month (names it, or names no month and
    was published in it), where the best one does not: the answer led with April's rise, and
    March's hold came third (a review of why and yes-or-no questions)."""
    month = date.only_month if date is not None else None
    if month is None:
        return None
    period = AskedPeriod("", month=month)

    def reports_it(sentence: EvidenceSentence) -> bool:
        if writes_period(period, sentence.text):  # "are expected to meet in Santiago in September"
            return True
        published = published_date(sentence.passage.metadata)
        reported = month_reported(sentence.text, published)
        return (reported if reported is not None else published.month if published else None) == month

    if reports_it(ranked[0]):
        return None
    return next((s for s in _near_the_best(ranked, prior) if reports_it(s)), None)


def _told_next(sentence: EvidenceSentence, read: Sequence[EvidenceSentence]) -> EvidenceSentence | None:
    """The sentence after `sentence` in its article, among those read, in its passage or at the
    start of the next: news tells an event, then why ("Brill Brewing recalled 40,000 bottles of
    its Golden Lager on Wednesday. Tests had found small fragments of glass in one batch, the
    company said."). Asked why, the answer stated the event alone, at 0.72–0.83 confidence, five
    times in five (a review of why questions); a second review found the reason in the next
    passage ("... Ridgeline Power had not cut electricity ..." ending its passage)."""
    starts = [start for _, _, start, _ in sentence.passage.sentence_spans()]
    at = starts.index(sentence.source_start) if sentence.source_start in starts else len(starts)
    if at + 1 < len(starts):
        after = next((s for s in read if s.doc_id == sentence.doc_id and s.source_start == starts[at + 1]), None)
    else:  # its passage ends with it: the next begins within a paragraph break of it
        after = next(
            (s for s in read if s.doc_id == sentence.doc_id and 0 < s.source_start - sentence.source_end <= _PARAGRAPH_BREAK),
            None,
        )
    return after if after is not None and len(_WORDS.findall(after.text)) >= MIN_FURTHER_WORDS else None  # not "Certainly!"


_PARAGRAPH_BREAK = 4  # characters between one sentence and the next: a space, or "\r\n\r\n"


def _the_cause_first(
    statements: list[DraftStatement], read: Sequence[EvidenceSentence], asked: Collection[str]
) -> list[DraftStatement]:
    """Asked why, a sentence that writes a cause or motive after the question's words leads
    ("Organisers said the decision was made to cancel because ...", "... called home for
    consultations because ..."), where neither the one ranked first (after the question's words:
    "postponed 200 operations after a ransomware attack") nor the sentence after it gives a reason:
    of the statements, else of the three sentences after the lead. The event's own sentence names the question's
    words best; its reason is often told in another, which names fewer of them (a review of why
    questions: 1 of 13 such reasons stated first, some never stated)."""
    lead = statements[0].lead
    if gives_cause(lead.text) or reason_after(lead.text, asked):
        return statements
    if (after := _told_next(lead, read)) is not None and gives_cause(after.text):
        return statements
    return _first_that(statements, read, lambda s: cause_after(s.text, asked), after=3) or statements


def _the_list_first(
    statements: list[DraftStatement], read: Sequence[EvidenceSentence], view: QuestionView, kind: frozenset[str]
) -> list[DraftStatement]:
    """Asked for several things ("Which hospitals would the walkout affect?"), a sentence that
    lists them leads ("The walkout would affect St. Agnes Hospital, Northgate General and …"),
    where the one ranked first lists none: of the statements, else of the two sentences after
    it (the one that names the set is often followed by its members: "Brandt named three: the 4,
    the 11 and the 27."); one that names the kind asked for (`kind`: "hospitals"), or whose
    neighbours do. The sentence that names the set shares more of the question's words and led
    (a review of list questions: 9 of 42 answered with the list)."""
    lead = statements[0].lead

    def of_the_kind(sentence: EvidenceSentence, near: bool) -> bool:
        terms = sentence.terms | sentence.neighbors if near else sentence.terms
        return list_in(sentence.text, view.stems) is not None and all(term_found(t, terms) for t in kind)

    if of_the_kind(lead, True):  # not "… shares for mackerel, blue whiting and herring" of which governments signed
        return statements

    return (  # a list that names the kind first ("The cuts include …; …; and …")
        _first_that(statements, read, lambda s: of_the_kind(s, False), after=2)
        or _first_that(statements, read, lambda s: of_the_kind(s, True), after=2)
        or statements
    )


def _first_that(
    statements: list[DraftStatement], read: Sequence[EvidenceSentence], fits: Callable[[EvidenceSentence], bool], after: int
) -> list[DraftStatement] | None:
    """The statements led by the first of them after the lead that `fits`, else by the first of
    the `after` sentences after the lead in its article that does; None where none does."""
    fitting = next((st for st in statements[1:] if fits(st.lead)), None)
    if fitting is not None:
        return [fitting, *(st for st in statements if st is not fitting)]
    told = next((s for s in _told_after(statements[0].lead, read, after) if fits(s)), None)
    return None if told is None else [DraftStatement(told), *statements]


# "Pine Pass and Old Quarry Road were also shut", "Its other members are …", "… as well": a
# sentence that adds to a list before it.
_ADDS_TO_IT = re.compile(r"\b(?:also|other|others|too|as\s+well|further|another)\b", re.IGNORECASE)


def _list_goes_on(lead: EvidenceSentence, read: Sequence[EvidenceSentence], view: QuestionView) -> EvidenceSentence | None:
    """The sentence after a lead that lists what was asked for, where it adds to the list: it
    says so ("also", "other") and lists more, or names someone or something the question does not
    ("State Route 9, Highway 14 and Mill Creek Road were closed …" then "Pine Pass and Old Quarry
    Road were also shut …": the review of list questions found the second stated third, after
    the story's opening sentence, or not at all)."""
    if list_in(lead.text, view.stems) is None:
        return None
    after = _told_next(lead, read)
    if after is None or _ADDS_TO_IT.search(after.text) is None:
        return None
    return after if list_in(after.text, view.stems) is not None or names_beyond(after.text, view.stems) else None


def _part_of_a_list(short: ShortAnswer) -> bool:
    """Whether a short answer is some, not all, of the list its sentence gives."""
    found = list_in(short.sentence.text)
    at = short.sentence.text.find(short.text)
    if found is None or at < 0:
        return False
    end = at + len(short.text)
    inside = found.start <= at < found.end or found.start < end <= found.end
    return inside and not (at <= found.items[0][0] and found.items[-1][1] <= end)


def _told_after(sentence: EvidenceSentence, read: Sequence[EvidenceSentence], count: int) -> list[EvidenceSentence]:
    """The `count` sentences after `sentence` in its article, as far as they were read."""
    after: list[EvidenceSentence] = []
    while len(after) < count and (following := _told_next(after[-1] if after else sentence, read)) is not None:
        after.append(following)
    return after


def _counted_none(question: str, ranked: list[EvidenceSentence], prior: dict[int, float]) -> EvidenceSentence | None:
    """The sentence among those the answer may state (`_statement_order`) that counts none of what a
    "how many" question asks, by the question's verb in the same clause ("No one was killed, but
    12 passengers were treated in hospital") or a noun of it ("Police made no arrests", "There
    were no casualties": `evidence.term_found`). Asked how many died when a coach carrying 38
    tourists overturned, the answer led with "38"; asked how many were arrested at a march, with
    the 8,000 who marched (a review of questions with a false premise)."""
    verb = counted_verb(question)
    if not verb:
        return None
    order, eligible = _statement_order(_by_score(ranked), prior)
    for sentence in (s for s in order if id(s) in eligible):
        for clause in _CLAUSE.split(sentence.text):
            found = _NONE.search(clause or "")
            if found is None:
                continue
            said = frozenset(content_terms(clause)) if found["noun"] is None else frozenset(content_terms(found["noun"]))
            if term_found(verb[0], said) or (term_found(verb[0], _DEAD) and term_found("hurt", said)):
                return sentence  # none hurt is none dead: "No one was hurt" of how many died
    return None


def _reports(wanted: AnswerType, sentence: str) -> bool:
    return next(reported(wanted, sentence), None) is not None


def _of_kind(wanted: AnswerType, sentence: str, span: Candidate) -> bool:
    """Whether the span is (part of) something of the kind asked for, read in its sentence: "55"
    is an age in "Patrick Carlineo Jr., 55, of Addison"."""
    return any(start < span.end and span.start < end for start, end in reported(wanted, sentence))


def _read_of(passages: Sequence[Passage], doc_ids: Sequence[str]) -> ArticleWords:
    """The words of the passages read from these articles, with their titles and dates: where the
    names and numbers a question asks about usually are, so that whole articles are fetched only
    for one not among them."""
    wanted = set(doc_ids)
    read = [p for p in passages if p.doc_id in wanted]
    dated = {f"{p.metadata.get('title', '')} {p.metadata.get('published', '')}" for p in read}
    return ArticleWords("\n".join([*(p.text for p in read), *sorted(dated)]))


def prior_score(row: SentenceRow) -> float:
    """The hand-weighted score the reader replaced as the judge of the best sentence, with a
    follow-up's earlier questions and a named date: it still proposes the further statements of
    answers that list several things ("what topics ...?"), which one SQuAD sentence never does."""
    column = SENTENCE_FEATURES.index
    return (
        row.values[column("prior_score")]
        + PRIOR_CONTEXT_WEIGHT * row.values[column("context_coverage")]
        + PRIOR_DATE_BONUS * row.values[column("date_match")]
    )


def _statement_order(
    ranked: list[EvidenceSentence], prior: dict[int, float]
) -> tuple[list[EvidenceSentence], set[int]]:
    """Every sentence in the order the answer considers them, and those that may be stated: first
    the reader's best (at least RELATIVE_TO_BEST of the best probability), then the best by the
    hand-weighted score (at least PRIOR_RELATIVE_TO_BEST of its best); the rest only merge."""
    best = ranked[0].score
    stated = [s for s in ranked if s.score >= RELATIVE_TO_BEST * best]
    taken = {id(s) for s in stated}
    by_prior = sorted(ranked, key=lambda s: prior[id(s)], reverse=True)
    best_prior = prior[id(by_prior[0])]
    further = [s for s in by_prior if id(s) not in taken and prior[id(s)] >= PRIOR_RELATIVE_TO_BEST * best_prior]
    eligible = taken | {id(s) for s in further}
    return [*stated, *further, *(s for s in ranked if id(s) not in eligible)], eligible


# A number joined to the word after it names a kind of thing, not how many ("a three-alarm fire",
# "a four-day week"), unless that word is what is counted ("a 12-member board") or people ("the
# two-man Project Gemini", "a 300-strong crowd").
_JOINED = re.compile(r"-(?!(?:man|men|woman|women|person|people|strong)\b)[A-Za-z]", re.IGNORECASE)


def _short_answer(view: QuestionView, best: EvidenceSentence, spans: SpanModel) -> ShortAnswer | None:
    """The best sentence's span that the span model finds likely enough to be the answer
    (assistant/answer/spans.py), when the question asks for a name, a place, a date, a number or
    an amount, and the span is short and quoted verbatim."""
    if view.kind not in SHORT_ANSWER_KINDS:
        return None
    if view.kind == "thing" and not names_a_thing(view.text):
        return None  # "What happened ...?" wants more than a name
    if view.kind == "date" and not asks_when(view.text):
        return None  # "What happened when ...?" does not ask for a date
    if view.kind == "person" and _asks_who_someone_is(view.text, best.text):
        return None  # "Who is Vladimir Putin?" wants what he is, not another name of his sentence
    found = spans.best(best.text, view.text, view.kind, view.stems)
    if found is None or found.probability < spans.lead_at:
        return None
    text = found.candidate.text
    joined = found.candidate.kind == "number" and _JOINED.match(best.text, found.candidate.end) is not None
    if joined and not counts_the_noun(best.text, found.candidate, view.text):
        return None  # "three" of "A three-alarm fire" is no count of the people who died
    published = given_day(best.passage.metadata.get("published"))
    day = None if published is None else day_of_weekday(text, best.text, published)
    if asks_ahead(view.text) and (day is not None or _shortly_before(text, published)):
        # "When will they go home?" is not "Monday" of "were allowed home on Monday", nor "When will
        # they sign the deal?" the "Oct. 11" of an article of November 15 (a review of real news pages)
        return None
    if len(text.split()) > SHORT_ANSWER_MAX_WORDS or text not in best.quote:
        return None
    if view.wanted is not None and view.wanted.complete and not _of_kind(view.wanted, best.text, found.candidate):
        return None  # "50" of "Super Bowl 50" is no sum of money
    if found.candidate.kind in _QUALIFIED_KINDS and (qualifier := _QUALIFIER.search(best.text, 0, found.candidate.start)):
        qualified = best.text[qualifier.start() : found.candidate.end]
        if qualified in best.quote:  # "more than 100,000", not "100,000", where the article says so
            text = qualified
    return ShortAnswer(text, best, day=day if text == found.candidate.text else None)


# A day named without its year this many days or fewer before its article was printed is of the
# past; further before, it may be of the next year ("on Jan. 5", printed on December 20).
PAST_WITHOUT_YEAR_DAYS = 90


def _shortly_before(span: str, published: date | None) -> bool:
    """Whether a date span ("Oct. 11", "October 11, 2019") is a day before its article was printed
    (`published`): a full date before it, or a month and day at most PAST_WITHOUT_YEAR_DAYS before."""
    if published is None:
        return False
    if full := find_dates(span):
        return full[0].value < published
    for month, day in days_without_year(span):
        with suppress(ValueError):
            if 0 < (published - date(published.year, month, day)).days <= PAST_WITHOUT_YEAR_DAYS:
                return True
    return False


# What a number's sentence says of it just before it: the short answer keeps it ("more than
# 100,000 troops" does not say 100,000).
_QUALIFIED_KINDS = frozenset({"number", "money", "duration"})
_QUALIFIER = re.compile(
    r"\b(?:(?:more|less|fewer|greater|higher|lower)\s+than|(?:just\s+)?(?:over|under)|about|around|nearly|almost"
    r"|approximately|roughly|some|at\s+least|at\s+most|up\s+to|as\s+(?:many|much|few|little)\s+as|close\s+to"
    r"|an\s+estimated|upwards\s+of|in\s+excess\s+of)\s+$",
    re.IGNORECASE,
)


def _also_stating(short: ShortAnswer, ranked: Sequence[EvidenceSentence]) -> ShortAnswer:
    """The short answer, also cited by the sentences of other articles that state it: of those
    `stating_the_answer` finds, the ones that cover the question at least SAME_ANSWER_COVERAGE as
    well as the sentence it was found in (IDF-weighted share of the question's words)."""
    floor = SAME_ANSWER_COVERAGE * short.sentence.coverage
    return replace(short, also=tuple(s for s in stating_the_answer(short, ranked) if s.coverage >= floor))


def stating_the_answer(short: ShortAnswer, ranked: Sequence[EvidenceSentence]) -> list[EvidenceSentence]:
    """The sentences of other articles that could state the short answer: each holds its words
    verbatim (whole words, any case) and states nothing against the sentence the answer was found
    in (`corroboration.disagreement`: other numbers, months or weekdays, a negation, the other
    direction, another name in its place); of each article the one that covers the question best.
    Unlike statements, articles of other days may state an answer: the question names the event,
    and outlets report it on the days after.

    A question's answer, not a sentence's whole claim: "indivisibility of security" is what
    Korrespondent's "Putin told Macron that the United States and NATO ... ignored the issue of
    the principle of indivisibility of security" and Xinhua's "a key concept was also ignored in
    the responses, namely the 'indivisibility of security'" both answer, in words too different
    for the two to be merged as one statement. (Not the reader's probability: trained to find
    the one paragraph a SQuAD question was written from, it gives another outlet's report of the
    same answer little, 0.02 against 0.94 there.)"""
    if not _names_something(short.text):
        return []
    words = re.compile(r"(?<!\w)" + re.escape(short.text) + r"(?!\w)", re.IGNORECASE)
    best = short.sentence
    found: dict[str, EvidenceSentence] = {}
    for sentence in ranked:
        if sentence.doc_id == best.doc_id or _reprinted(best, sentence):
            continue
        if all(_inside_longer_name(sentence.quote, m.start(), m.end()) for m in words.finditer(sentence.quote)):
            continue  # not there, or only inside longer names
        if disagreement(best.text, sentence.text) is not None:
            continue
        kept = found.get(sentence.doc_id)
        if kept is None or sentence.coverage > kept.coverage:
            found[sentence.doc_id] = sentence
    return sorted(found.values(), key=lambda s: s.coverage, reverse=True)


def _names_something(text: str) -> bool:
    """Whether a short answer is specific enough for the same words in another sentence to be the
    same answer: it holds a word that is not a stopword or a number word ("Santiago", "percent"),
    or a number of two digits or more ("1596"). "two" or "5" is in many sentences that say other
    things ("two later astronaut groups" for "How many people were on the project ...?")."""
    for token in lexical_words(text):  # the words STOPWORDS is a list of
        if token.isdigit():
            if len(token) >= 2:
                return True
        elif token not in STOPWORDS and token not in NUMBER_WORDS:
            return True
    return False


_WORD_BEFORE = re.compile(r"([^\W\d_][\w.'’]*)[ -]$")
_WORD_AFTER = re.compile(r"^[ -]([^\W\d_]\w*)")
# Capitalised words that stand before a name without being part of it.
_TITLES = frozenset(
    """president prime minister chancellor king queen prince princess pope general gen mr mrs ms dr
    prof professor judge justice senator governor mayor chief the""".split()
)


def _inside_longer_name(text: str, start: int, end: int) -> bool:
    """Whether a name found at text[start:end] is part of a longer one: "California" in "Southern
    California", "Warsaw" in "Warsaw Uprising" (a capitalised word beside it that is not a title)."""
    if not text[start:end][:1].isupper():
        return False
    before = _WORD_BEFORE.search(text[max(0, start - 40) : start])
    after = _WORD_AFTER.search(text[end : end + 40])
    return bool(
        (before and before.group(1)[0].isupper() and before.group(1).lower().rstrip(".") not in _TITLES)
        or (after and after.group(1)[0].isupper())
    )


def corroborate(
    statements: list[DraftStatement],
    sentences: Sequence[EvidenceSentence],
    vectors: SentenceVectors,
    weights: dict[str, float],
) -> list[DraftStatement]:
    """The statements, each joined by the sentences of other articles that report it in other
    words (sentences not stated or merged already). Only sentences that share words with a
    statement and state nothing against it are embedded, at most MAX_EMBEDDED, best first."""
    if not statements:
        return statements
    taken = {id(m) for st in statements for m in st.members}
    anchor = {id(st): st.lead for st in statements}  # what a statement is compared by
    pairs = [
        (statement, sentence)
        for sentence in sentences
        if id(sentence) not in taken
        for statement in statements
        if worth_embedding(statement.lead.terms, sentence.terms) and _may_join(statement, sentence)
    ]
    if not pairs:
        return statements
    texts = list(dict.fromkeys([*(st.lead.text for st in statements), *(s.text for _, s in pairs)]))
    found = vectors.vectors(texts[: len(statements) + MAX_EMBEDDED])
    for statement, sentence in pairs:
        lead = anchor[id(statement)]
        if not any(st is statement for st in statements):
            continue  # folded into another statement below
        if id(sentence) in taken or sentence.text not in found or not _may_join(statement, sentence):
            continue
        cosine = float(np.dot(found[lead.text], found[sentence.text]))
        if closeness(cosine, lead.terms, sentence.terms) < SAME_CLAIM_CLOSENESS:
            continue
        taken.add(id(sentence))
        # A sentence that an article repeats from one of the answer's other statements (a lead
        # said again in the body): that statement reports this one's claim, and the two are one.
        repeated = next(
            (st for st in statements if st is not statement and any(_repeats(m, sentence) for m in st.members)),
            None,
        )
        if repeated is None or not all(_may_join(statement, m) for m in repeated.members):
            # (When the other statement's sentences disagree with this one, "Putin said" and "the
            # Kremlin said", the two stay apart and the repeat corroborates this one.)
            _merge(statement, sentence, weights)
        else:
            for member in repeated.members:
                _merge(statement, member, weights)
            # The two are one statement, in the place of the better ranked.
            first = min(_index(statements, statement), _index(statements, repeated))
            rest = [st for st in statements if st is not statement and st is not repeated]
            statements = [*rest[:first], statement, *rest[first:]]
    return statements


def _index(statements: list[DraftStatement], statement: DraftStatement) -> int:
    return next(i for i, st in enumerate(statements) if st is statement)


def _may_join(statement: DraftStatement, sentence: EvidenceSentence) -> bool:
    """Of an article the statement does not cite yet, of the same day, and stating nothing that
    disagrees with any of the statement's sentences."""
    if sentence.doc_id in {m.doc_id for m in statement.members}:
        return False
    return not any(_different_days(m, sentence) or disagreement(m.text, sentence.text) for m in statement.members)


def _merge(statement: DraftStatement, sentence: EvidenceSentence, weights: dict[str, float]) -> None:
    """Fold another outlet's report of the same statement into it. The statement is the wording
    of the outlet the question names, else the sparest; only sentences saying at least as much
    as the statement are cited for it."""
    members = [*statement.members, sentence]
    lead = max(members, key=lambda m: _lead_preference(m, weights))
    statement.lead = lead
    statement.support = [m for m in members if m is not lead and len(m.terms) >= len(lead.terms)]
    statement.unquoted = [m for m in members if m is not lead and len(m.terms) < len(lead.terms)]


def _lead_preference(sentence: EvidenceSentence, question_weights: dict[str, float]) -> tuple[bool, int]:
    named = bool(article_terms(sentence.passage) & question_weights.keys())
    return named, -len(sentence.terms)


def _reading_order(statements: list[DraftStatement], why: EvidenceSentence | None = None) -> list[DraftStatement]:
    """The statement the reader ranks first leads (the answer, not the article's opening sentence
    before it), then the one that tells why, where asked; then articles in order of their best
    statement, within one the article's own order."""
    if not statements:
        return statements
    lead, *rest = statements
    first_seen: dict[str, int] = {}
    for rank, statement in enumerate(statements):
        first_seen.setdefault(statement.lead.doc_id, rank)
    then = [st for st in rest if st.lead is why]
    rest = [st for st in rest if st.lead is not why]
    return [lead, *then, *sorted(rest, key=lambda st: (first_seen[st.lead.doc_id], st.lead.source_start))]
