"""What the learned reader sees: numbers describing each retrieved sentence against a question,
and the question's retrieval as a whole against the sentences' scores.

The same functions build the training rows (training/train_reader.py) and the rows the shipped
model scores at answer time, so the two cannot drift apart. Changing a feature means training
the model again.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from itertools import pairwise

import numpy as np

from assistant.answer.answer_types import AnswerType, expected_answer_type
from assistant.answer.candidates import KINDS, CandidateMatch, asks_the_name_of, best_candidate, question_kind
from assistant.answer.changes import CHANGE_WORDS, asks_change
from assistant.answer.evidence import EvidenceSentence, covered_share, term_found, title_terms, written
from assistant.answer.named import NAME_VARIANTS
from assistant.dates import DateMention, month_names
from assistant.relative_time import WRITTEN_IN_REPORTS
from assistant.search.background import rarity
from assistant.search.lexical import Vocabulary, content_terms, question_terms, stems, words

SENTENCE_FEATURES = (
    "coverage",
    "coverage_with_neighbours",
    "matched_share",
    "unmatched_max_idf",
    "cosine",
    "cosine_gap",
    "passage_rank",
    "bm25_relative",
    "fused_relative",
    "sentence_index",
    "words",
    "coverage_gap",
    "bigram_share",
    "typed_candidate",
    "candidate_distance",
    "candidate_count",
    "expected_type",
    "date_match",
    "title_coverage",
    "question_kind",
    "question_terms",
    "context_coverage",
    "neighbour_gain",
    "prior_score",
    "coverage_rarity",
    "unmatched_max_rarity",
    "verified",
)
ANSWER_FEATURES = (
    "p1",
    "p2",
    "p3",
    "p1_minus_p2",
    "above_half",
    "best_coverage",
    "top_coverage",
    "best_cosine",
    "mean_cosine",
    "bm25_max",
    "bm25_per_term",
    "unknown_share",
    "question_terms",
    "question_weight",
    "question_kind",
    "top_typed_candidate",
    "top_candidate_distance",
    "expected_type_anywhere",
    "top_unmatched_max_idf",
    "top_passage_rank",
    "top_articles",
    "best_coverage_rarity",
    "top_coverage_rarity",
    "question_rarity",
    "top_unmatched_max_rarity",
    "best_verified",
    "top_verified",
)
# Answer features whose values move with the index's size, not only with the question and the
# passages: raw BM25 and IDF sums (on a folder of five articles `bm25_max` averages 5.8, on 72
# articles 15.2). A model trained without them refuses the same near misses in a folder and in an
# archive (benchmarks/reader_scale.py); training/train_reader.py leaves them out unless told.
SIZE_BOUND_FEATURES = ("bm25_max", "bm25_per_term", "question_weight")
# The answer verifier's log-odds (assistant/answer/verifier.py): a reader that reads none of them
# never runs it; `verified` is NOT_VERIFIED for the sentences it did not read.
VERIFIER_FEATURES = ("verified", "best_verified", "top_verified")
NOT_VERIFIED = -12.0
# The hand-weighted score the reader replaced, kept as one feature among the others: a sum the
# trees could only approximate step by step from its parts.
PRIOR_NEIGHBOUR_WEIGHT = 0.3
PRIOR_COSINE_WEIGHT = 0.5


# Words of how a state stands or how sure the asker is, which a report need not write.
_UNWRITTEN = frozenset(stems(["still", "already", "actually", "really"]))


@dataclass(frozen=True)
class QuestionView:
    """A question as the features read it."""

    text: str
    weights: dict[str, float]  # its content stems and their IDF
    rarities: dict[str, float]  # the same stems' rarity in English (index-independent)
    context_weights: dict[str, float]  # stems of the questions it follows, not its own
    stems: frozenset[str]
    kind: str
    wanted: AnswerType | None
    bigrams: frozenset[tuple[str, str]]

    @classmethod
    def of(cls, question: str, vocabulary: Vocabulary, context: str = "") -> QuestionView:
        # A letter alone that no article uses is no word to weigh (the "e" and "g" of "e.g."):
        # unseen, it weighed most of all and the answer refused. Nor are the words of a running
        # count ("so far", "to date") or of how a state stands ("still", "already") that no article
        # uses: a report may give the count or the state without them ("Four people remain missing").
        unwritten = _UNWRITTEN | frozenset(stems(words(" ".join(WRITTEN_IN_REPORTS.findall(question)))))
        ordered = [
            t
            for t in question_terms(question)
            if (len(t) > 1 or t.isdigit() or vocabulary.seen(t)) and (t not in unwritten or vocabulary.seen(t))
        ]
        weights = {t: vocabulary.idf(t) for t in dict.fromkeys(ordered)}  # question order: sums the same every run
        context_weights = {t: vocabulary.idf(t) for t in dict.fromkeys(content_terms(context)) if t not in weights}
        return cls(
            text=question,
            weights=weights,
            rarities={t: rarity(t) for t in weights},
            context_weights=context_weights,
            stems=frozenset(weights),
            kind=question_kind(question),
            wanted=expected_answer_type(question),
            bigrams=frozenset(pairwise(ordered)),
        )


@dataclass(frozen=True)
class SentenceRow:
    """A sentence's features and the best candidate answer in it."""

    values: list[float]
    candidate: CandidateMatch
    coverage: float


def _bigram_share(view: QuestionView, sentence: EvidenceSentence) -> float:
    if not view.bigrams:
        return 0.0
    ordered = content_terms(sentence.text)
    return len(view.bigrams & set(pairwise(ordered))) / len(view.bigrams)


def sentence_rows(
    view: QuestionView, sentences: Sequence[EvidenceSentence], date_terms: frozenset[str] = frozenset()
) -> list[SentenceRow]:
    """One row of SENTENCE_FEATURES per sentence, in order."""
    if not sentences:
        return []
    passages = list(dict.fromkeys(s.passage.chunk_id for s in sentences))
    rank = {chunk_id: i for i, chunk_id in enumerate(passages)}
    best_cosine = max(s.passage.cosine for s in sentences)
    best_bm25 = max(s.passage.bm25 for s in sentences) or 1.0
    best_fused = max(s.passage.fused for s in sentences) or 1.0
    max_idf = max(view.weights.values(), default=1.0) or 1.0
    index_in_passage: dict[str, int] = {}
    kind = float(KINDS.index(view.kind))
    found = []
    for sentence in sentences:
        terms = sentence.terms | date_terms if sentence.passage.date_match else sentence.terms
        expected = -1.0
        if view.wanted is not None:
            expected = 0.0
            if view.wanted.found_in(sentence.text):
                terms = terms | view.wanted.covers
                expected = 1.0
        matched = [t for t in view.weights if term_found(t, terms)]
        missing = [t for t in view.weights if t not in matched]
        titled = title_terms(sentence)
        candidate = best_candidate(sentence.text, view.kind, view.stems)
        position = index_in_passage.get(sentence.passage.chunk_id, 0)
        index_in_passage[sentence.passage.chunk_id] = position + 1
        coverage = covered_share(view.weights, terms)
        with_neighbours = covered_share(view.weights, terms | sentence.neighbors)
        found.append(
            SentenceRow(
                [
                    coverage,
                    with_neighbours,
                    len(matched) / len(view.weights) if view.weights else 0.0,
                    max((view.weights[t] for t in missing), default=0.0) / max_idf,
                    sentence.passage.cosine,
                    best_cosine - sentence.passage.cosine,
                    float(rank[sentence.passage.chunk_id]),
                    sentence.passage.bm25 / best_bm25,
                    sentence.passage.fused / best_fused,
                    float(position),
                    float(len(sentence.text.split())),
                    0.0,  # coverage_gap, filled in below
                    _bigram_share(view, sentence),
                    float(candidate.typed),
                    float(min(candidate.distance, 30)),
                    float(candidate.count),
                    expected,
                    float(sentence.passage.date_match),
                    covered_share(view.weights, titled),
                    kind,
                    float(len(view.weights)),
                    covered_share(view.context_weights, sentence.terms) if view.context_weights else 0.0,
                    with_neighbours - coverage,
                    coverage
                    + PRIOR_NEIGHBOUR_WEIGHT * with_neighbours
                    + PRIOR_COSINE_WEIGHT * sentence.passage.cosine,
                    covered_share(view.rarities, terms),
                    max((view.rarities[t] for t in missing), default=0.0),
                    NOT_VERIFIED,  # set by set_verified when the reader reads it
                ],
                candidate,
                coverage,
            )
        )
    best = max(r.coverage for r in found)
    gap = SENTENCE_FEATURES.index("coverage_gap")
    for row in found:
        row.values[gap] = best - row.coverage
    return found


def answer_row(
    view: QuestionView,
    sentences: Sequence[EvidenceSentence],
    rows: Sequence[SentenceRow],
    probabilities: np.ndarray,
    unknown_share: float,
) -> list[float]:
    """ANSWER_FEATURES for a question's retrieval, given its sentences' probabilities."""
    order = np.argsort(-probabilities, kind="stable")
    p = [float(probabilities[i]) for i in order[:3]] + [0.0] * 3
    top = int(order[0]) if len(order) else -1
    cosines = sorted({s.passage.chunk_id: s.passage.cosine for s in sentences}.values(), reverse=True)
    bm25 = max((s.passage.bm25 for s in sentences), default=0.0)
    column = SENTENCE_FEATURES.index
    top_values = rows[top].values if top >= 0 else [0.0] * len(SENTENCE_FEATURES)
    return [
        p[0],
        p[1],
        p[2],
        p[0] - p[1],
        float(np.sum(probabilities >= 0.5)),
        max((r.coverage for r in rows), default=0.0),
        top_values[column("coverage")],
        cosines[0] if cosines else 0.0,
        float(np.mean(cosines)) if cosines else 0.0,
        bm25,
        bm25 / max(len(view.weights), 1),
        unknown_share,
        float(len(view.weights)),
        sum(view.weights.values()),
        float(KINDS.index(view.kind)),
        top_values[column("typed_candidate")],
        top_values[column("candidate_distance")],
        max((r.values[column("expected_type")] for r in rows), default=-1.0),
        top_values[column("unmatched_max_idf")],
        top_values[column("passage_rank")],
        float(len({sentences[i].doc_id for i in order[:5]})),
        max((r.values[column("coverage_rarity")] for r in rows), default=0.0),
        top_values[column("coverage_rarity")],
        sum(view.rarities.values()),
        top_values[column("unmatched_max_rarity")],
        max((r.values[column("verified")] for r in rows), default=NOT_VERIFIED),
        top_values[column("verified")] if top >= 0 else NOT_VERIFIED,
    ]


def set_verified(rows: Sequence[SentenceRow], logits: Sequence[float]) -> None:
    """Write the verifier's log-odds (verifier.verified_logits) into the sentences' rows."""
    column = SENTENCE_FEATURES.index("verified")
    for row, logit in zip(rows, logits, strict=True):
        row.values[column] = float(logit)


def question_date_terms(mention: DateMention | None) -> frozenset[str]:
    """Stems naming the question's date, which a passage of that date covers."""
    if mention is None:
        return frozenset()
    months = month_names(mention.month) if mention.month is not None else []
    parts = [*months, str(mention.day or ""), str(mention.year or ""), mention.weekday_name or ""]
    return frozenset(content_terms(" ".join(parts)))


def unknown_terms(
    weights: dict[str, float],
    vocabulary: Vocabulary,
    date_terms: frozenset[str],
    evidence: frozenset[str],
    question: str = "",
) -> list[str]:
    """The question's stems that no indexed passage uses ("gas", "scholz"), in its order; not the
    measure `question` asks for ("How large are the rebates?": "large"), a name the index writes
    otherwise ("USA" of articles that write "US": `named.NAME_VARIANTS`) nor a letter alone (the
    "e" and "g" of "e.g.", a stray "v": no word an article would be found by)."""
    measures = asked_measures(question)
    return [
        t
        for t in weights
        if t not in date_terms
        and len(t) > 1
        and not t[:1].isdigit()
        and t not in measures
        and not vocabulary.seen(t)
        and not written(t, evidence)
        and not _written_otherwise(t, vocabulary)
    ]


# "How large", "how old": the word asks for a measure, which an answer gives without it.
_MEASURES = frozenset("large big small old young far tall high deep fast heavy wide long often soon early late".split())


# "What was the cause of the fire?", "What caused it?", "the reason for the delay": the word asks
# for why, which a report tells without it ("started in an electrical junction box"; a review of
# questions comparing outlets: "No article uses the word cause").
_ASKS_WHY = frozenset("cause causes caused reason reasons".split())


def asked_measures(question: str) -> frozenset[str]:
    """The words that ask for a kind of answer, which an answer gives without them; of a question
    that asks for a change, its words of change ("By how much did car thefts increase?" of "612
    car thefts, up from 466" was refused: "No article uses the word increase")."""
    found = words(question)
    measures = [w for before, w in pairwise(found) if before == "how" and w in _MEASURES]
    changing = [w for w in found if w in CHANGE_WORDS] if asks_change(question) else []
    naming = [w for w in found if w in _NAME_WORDS] if asks_the_name_of(question) else []
    return frozenset(stems(measures + [w for w in found if w in _ASKS_WHY] + changing + naming))


_NAME_WORDS = frozenset(["name", "names"])  # "What is the name of …?" asks for a name


_ALSO_OF_OTHERS = frozenset(["america"])  # "Latin America" is no United States


@cache
def _variant_stems() -> dict[str, list[list[str]]]:
    """Each one-word name of `NAME_VARIANTS` by its stem: the stems of the group's other names."""
    found: dict[str, list[list[str]]] = {}
    for group in NAME_VARIANTS:
        named = [stems(words(name)) for name in group if name not in _ALSO_OF_OTHERS]
        for one in named:
            if len(one) == 1:
                found.setdefault(one[0], []).extend(other for other in named if other and other != one)
    return found


def _written_otherwise(term: str, vocabulary: Vocabulary) -> bool:
    return any(all(vocabulary.seen(t) for t in other) for other in _variant_stems().get(term, []))


def unknown_share(
    weights: dict[str, float],
    vocabulary: Vocabulary,
    date_terms: frozenset[str],
    evidence: frozenset[str],
) -> float:
    """Share of the question's weight on words no indexed passage uses ("gas", "Scholz")."""
    return weight_share(weights, unknown_terms(weights, vocabulary, date_terms, evidence))


def weight_share(weights: dict[str, float], terms: Sequence[str]) -> float:
    """Share of the question's weight on these of its stems."""
    total = sum(weights.values())
    if not total:
        return 0.0
    return sum(weights[t] for t in terms) / total
