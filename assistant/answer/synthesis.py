"""The offline answer: the sentences of the retrieved passages that answer the question.

Each candidate sentence is scored by how much of the question it covers
(IDF-weighted stems) and how close its passage is in meaning (embedding
cosine). The best sentences become statements; sentences of other articles
that say the same thing are merged into the statement and cited with it. When
the best evidence covers too little of the question, or none of it is the kind of answer the
question asks for ("how long": a duration), the answer abstains.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from assistant.answer.answer_types import expected_answer_type
from assistant.answer.evidence import (
    EvidenceSentence,
    article_terms,
    covered_share,
    evidence_sentences,
    term_found,
)
from assistant.dates import DateMention, month_names
from assistant.search.lexical import Vocabulary, content_terms, question_terms
from assistant.search.retrieval import Passage

NOT_IN_ARTICLES = "The articles don't say."

# Calibrated on evals/datasets/sample_news.jsonl and the SQuAD set (see evals/README.md).
MIN_COVERAGE = 0.4
MIN_COSINE_IF_WEAK = 0.65
MAX_UNKNOWN_SHARE = 0.5
RELATIVE_TO_BEST = 0.6
MAX_STATEMENTS = 3
SAME_STATEMENT_OVERLAP = 0.7
SAME_STATEMENT_JACCARD = 0.35
COSINE_WEIGHT = 0.5
CONTEXT_WEIGHT = 0.3
NEIGHBOR_WEIGHT = 0.3  # '"We do not need this panic," he said.' is about the Zelensky of the sentence before


@dataclass
class DraftStatement:
    lead: EvidenceSentence
    support: list[EvidenceSentence] = field(default_factory=list)
    unquoted: list[EvidenceSentence] = field(default_factory=list)  # same report, too sparse to support

    @property
    def sentences(self) -> list[EvidenceSentence]:
        return [self.lead, *self.support]


@dataclass(frozen=True)
class Draft:
    statements: list[DraftStatement]
    abstained: bool
    best_coverage: float
    best_cosine: float
    ranked: list[EvidenceSentence] = field(default_factory=list)  # every sentence, best first


def says_the_same(a: EvidenceSentence, b: EvidenceSentence) -> bool:
    """Two sentences of different articles reporting one statement.

    Most of the shorter one's words are in the longer one, their vocabularies
    overlap broadly, and the articles were not published on different days.
    """
    if a.doc_id == b.doc_id or not a.terms or not b.terms:
        return False
    shared = len(a.terms & b.terms)
    if shared / min(len(a.terms), len(b.terms)) < SAME_STATEMENT_OVERLAP:
        return False
    if shared / len(a.terms | b.terms) < SAME_STATEMENT_JACCARD:
        return False
    day_a, day_b = a.passage.metadata.get("published"), b.passage.metadata.get("published")
    return not (day_a and day_b and day_a != day_b)


def _date_terms(mention: DateMention | None) -> frozenset[str]:
    """Stems naming the question's date, which a passage of that date covers."""
    if mention is None:
        return frozenset()
    months = month_names(mention.month) if mention.month is not None else []
    parts = [*months, str(mention.day or ""), str(mention.year or ""), mention.weekday_name or ""]
    return frozenset(content_terms(" ".join(parts)))


def _repeats(a: EvidenceSentence, b: EvidenceSentence) -> bool:
    """The same article saying the same thing twice (a lead repeated in the body)."""
    if a.doc_id != b.doc_id or not a.terms or not b.terms:
        return False
    return len(a.terms & b.terms) / min(len(a.terms), len(b.terms)) >= 0.8


def _unknown_share(
    weights: dict[str, float],
    vocabulary: Vocabulary,
    date_terms: frozenset[str],
    evidence: frozenset[str],
) -> float:
    """Share of the question's weight on words no indexed passage uses ("gas", "Scholz")."""
    total = sum(weights.values())
    if not total:
        return 0.0
    unknown = [
        t
        for t in weights
        if t not in date_terms
        and not t[:1].isdigit()
        and not vocabulary.seen(t)
        and not term_found(t, evidence)
    ]
    return sum(weights[t] for t in unknown) / total


def draft_answer(
    question: str,
    passages: list[Passage],
    vocabulary: Vocabulary,
    context: str = "",
    date: DateMention | None = None,
) -> Draft:
    weights = {t: vocabulary.idf(t) for t in set(question_terms(question))}
    date_terms = _date_terms(date)
    context_weights = {t: vocabulary.idf(t) for t in set(content_terms(context)) if t not in weights}
    wanted = expected_answer_type(question)
    wanted_found = False
    scored = []
    for sentence in evidence_sentences(passages):
        terms = sentence.terms | date_terms if sentence.passage.date_match else sentence.terms
        if wanted is not None and wanted.found_in(sentence.text):
            terms = terms | wanted.covers
            wanted_found = True
        coverage = covered_share(weights, terms)
        in_context = covered_share(weights, terms | sentence.neighbors)
        context_cover = covered_share(context_weights, sentence.terms) if context_weights else 0.0
        score = (
            coverage
            + NEIGHBOR_WEIGHT * in_context
            + COSINE_WEIGHT * sentence.passage.cosine
            + CONTEXT_WEIGHT * context_cover
        )
        if sentence.passage.date_match:
            score += 0.1
        scored.append(EvidenceSentence(**{**sentence.__dict__, "score": score, "coverage": coverage}))
    scored.sort(key=lambda s: s.score, reverse=True)
    best_cosine = max((p.cosine for p in passages), default=0.0)
    best_coverage = max((s.coverage for s in scored), default=0.0)
    evidence = frozenset().union(*(s.terms for s in scored))
    unknown = _unknown_share(weights, vocabulary, date_terms, evidence)
    weak = best_coverage < MIN_COVERAGE and best_cosine < MIN_COSINE_IF_WEAK
    untyped = wanted is not None and not wanted_found
    if not scored or weak or untyped or unknown >= MAX_UNKNOWN_SHARE:
        return Draft([], True, best_coverage, best_cosine, scored)
    statements: list[DraftStatement] = []
    best = scored[0].score
    for sentence in scored:
        twin = next((st for st in statements if says_the_same(st.lead, sentence)), None)
        if twin is not None:
            if sentence.doc_id not in {s.doc_id for s in [*twin.sentences, *twin.unquoted]}:
                _merge(twin, sentence, weights)
            continue
        if any(_repeats(st.lead, sentence) for st in statements):
            continue
        if len(statements) < MAX_STATEMENTS and sentence.score >= RELATIVE_TO_BEST * best:
            statements.append(DraftStatement(sentence))
    return Draft(_reading_order(statements), False, best_coverage, best_cosine, scored)


def _merge(statement: DraftStatement, sentence: EvidenceSentence, weights: dict[str, float]) -> None:
    """Fold another outlet's report of the same statement into it. The statement is the wording
    of the outlet the question names, else the sparest; only sentences saying at least as much
    as the statement are cited for it."""
    members = [*statement.sentences, *statement.unquoted, sentence]
    lead = max(members, key=lambda m: _lead_preference(m, weights))
    statement.lead = lead
    statement.support = [m for m in members if m is not lead and len(m.terms) >= len(lead.terms)]
    statement.unquoted = [m for m in members if m is not lead and len(m.terms) < len(lead.terms)]


def _lead_preference(sentence: EvidenceSentence, question_weights: dict[str, float]) -> tuple[bool, int]:
    named = bool(article_terms(sentence.passage) & question_weights.keys())
    return named, -len(sentence.terms)


def _reading_order(statements: list[DraftStatement]) -> list[DraftStatement]:
    """Articles in order of their best statement; within one, the article's own order."""
    first_seen: dict[str, int] = {}
    for rank, statement in enumerate(statements):
        first_seen.setdefault(statement.lead.doc_id, rank)
    return sorted(statements, key=lambda st: (first_seen[st.lead.doc_id], st.lead.source_start))
