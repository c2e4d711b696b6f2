"""Scoring one answer against its eval question, and a dataset's scores in aggregate.

Definitions (also in evals/README.md, "Metrics and judge rules"):
retrieval hit@k and reciprocal rank use the answer's ranked article ids; facts use
the README's matching rules; citation recall and precision follow ALCE (Gao et
al., 2023) with the support judge in place of their NLI model.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import asdict, dataclass, field, replace
from functools import lru_cache
from pathlib import Path
from typing import Any

from assistant.evals.dataset import EvalQuestion
from assistant.evals.judge import Judge
from assistant.evals.text import normalize, short_answer_right
from assistant.ingest.loading import read_text
from assistant.types import Answer, Citation, Statement

HIT_KS = (1, 5)
_MARKER = re.compile(r"\[(\d+)\]")
# Every metric `aggregate` reports, in its order (None where a dataset has nothing to measure):
# the names a thresholds file may gate, checked before any question is asked.
METRICS: tuple[str, ...] = (
    "questions",
    *(f"hit_at_{k}" for k in HIT_KS),
    "mrr",
    "fact_recall",
    "fact_group_recall",
    "citation_validity",
    "citation_recall",
    "citation_precision",
    "abstention_recall",
    "false_abstention_rate",
    "llm_fallback_rate",
    "corroboration",
    "claims_kept_apart",
    "reader_accuracy",
    "abstention_auroc",
    "near_misses_holding_answer",
    "abstention_recall_strict",
    "abstention_auroc_strict",
    "confidence_ece",
    "short_answer_rate",
    "short_answer_precision",
    "answer_words_p50",
    "answer_words_p95",
    "latency_p50_ms",
    "latency_p95_ms",
)


@dataclass(frozen=True)
class StatementScore:
    text: str
    markers: tuple[int, ...]
    supported: bool  # by the concatenation of its cited quotes (citation recall)
    relevant: tuple[bool, ...]  # per marker (citation precision)


@dataclass(frozen=True)
class QuestionResult:
    """Everything measured for one question; `failures` says why it failed, empty when it passed."""

    id: str
    question: str
    tags: tuple[str, ...]
    answerable: bool
    gold_sources: tuple[str, ...]
    answer: str
    abstained: bool
    mode: str  # who wrote the answer: extractive, llm, llm-fallback
    latency_ms: float
    citations: tuple[dict[str, Any], ...]
    gold_rank: int | None  # 1-based rank of the first gold article; None when none was retrieved
    fact_groups: tuple[bool, ...]
    citations_valid: bool
    citation_problems: tuple[str, ...]
    statements: tuple[StatementScore, ...]
    failures: tuple[str, ...] = field(default=())
    confidence: float | None = None
    passages_hold_answer: bool | None = None  # answerable: every fact group is in the passages read
    # unanswerable with absent_facts: they are all in the passages read (not a near miss after all)
    passages_hold_absent: bool | None = None
    cited_together: bool | None = None  # one statement cites every file of `cited_together`
    cited_apart: bool | None = None  # no statement cites two files of `cited_apart`
    short_answer: str | None = None  # the span the answer led with
    short_answer_right: bool | None = None  # it matches an accepted answer (False: unanswerable)

    @property
    def right(self) -> bool:
        """An answer that is right: answerable and every fact found (the confidence's event)."""
        return self.facts_found

    @property
    def answered(self) -> bool:
        return not self.abstained

    @property
    def facts_found(self) -> bool:
        return self.answerable and self.answered and all(self.fact_groups)

    @property
    def citation_recall(self) -> float | None:
        if not self.answered or not self.statements:
            return None
        return sum(s.supported for s in self.statements) / len(self.statements)

    @property
    def citation_precision(self) -> float | None:
        flags = [flag for s in self.statements for flag in s.relevant]
        if not self.answered or not flags:
            return None
        return sum(flags) / len(flags)

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data.update(
            passed=not self.failures,
            facts_found=self.facts_found,
            citation_recall=self.citation_recall,
            citation_precision=self.citation_precision,
        )
        return data


def fact_groups(answer_text: str, expected: Sequence[Sequence[str]]) -> tuple[bool, ...]:
    """For each group: does any alternative occur in the answer (normalised substring)?"""
    text = normalize(answer_text)
    return tuple(any(normalize(alt) in text for alt in group) for group in expected)


@lru_cache(maxsize=4096)
def _file_text(path: str) -> str:
    return read_text(Path(path))


def citation_problems(answer: Answer) -> tuple[str, ...]:
    """Quotes that are not the exact slice of their file, and markers with no citation. The
    markers are its statements' where the answer has statements (a quoted sentence may hold a
    footnote such as "[3]", which is no marker); else those written in its text."""
    problems = []
    for c in answer.citations:
        try:
            actual = _file_text(c.path)[c.char_start : c.char_end]
        except OSError as exc:
            problems.append(f"[{c.marker}] cannot read {c.path}: {exc.strerror or exc}")
            continue
        if actual != c.quote:
            problems.append(
                f"[{c.marker}] quote differs from {Path(c.path).name}[{c.char_start}:{c.char_end}]"
            )
    known = {c.marker for c in answer.citations}
    if answer.statements:
        used = {m for s in answer.statements for m in s.markers}
    else:
        used = {int(m) for m in _MARKER.findall(answer.text)}
    problems.extend(f"marker [{m}] has no citation" for m in sorted(used - known))
    return tuple(problems)


def score_statement(statement: Statement, citations: Mapping[int, Citation], judge: Judge) -> StatementScore:
    """ALCE: recall = the cited quotes together support the statement; a citation is
    irrelevant when it alone does not support it and the others support it without it."""
    quotes = [citations[m].text for m in statement.markers if m in citations]
    if not quotes:
        return StatementScore(
            statement.text, statement.markers, False, tuple(False for _ in statement.markers)
        )
    joint = judge.supports(statement.text, " ".join(quotes))
    if not joint or len(quotes) == 1:
        relevant = tuple(joint and m in citations for m in statement.markers)
        return StatementScore(statement.text, statement.markers, joint, relevant)
    flags = []
    for marker in statement.markers:
        if marker not in citations:
            flags.append(False)
            continue
        alone = judge.supports(statement.text, citations[marker].text)
        others = [citations[m].text for m in statement.markers if m in citations and m != marker]
        flags.append(alone or not judge.supports(statement.text, " ".join(others)))
    return StatementScore(statement.text, statement.markers, True, tuple(flags))


def _failures(question: EvalQuestion, result: QuestionResult) -> tuple[str, ...]:
    reasons = []
    if question.answerable and result.abstained:
        reasons.append("abstained on an answerable question")
    if not question.answerable and result.answered:
        reasons.append("answered a question the articles do not answer")
    if question.answerable and result.answered:
        missing = [g for g, ok in zip(question.expected_facts, result.fact_groups) if not ok]
        if missing:
            reasons.append("missing fact(s): " + "; ".join(" | ".join(g) for g in missing))
    if question.answerable and question.gold_sources and (result.gold_rank is None or result.gold_rank > 5):
        where = "not retrieved" if result.gold_rank is None else f"ranked {result.gold_rank}"
        reasons.append(f"gold article {where} (wanted top 5)")
    if result.cited_together is False:
        reasons.append("no statement cites all of " + ", ".join(question.cited_together))
    if result.cited_apart is False:
        reasons.append("a statement cites two of " + ", ".join(question.cited_apart) + " (different claims merged)")
    reasons.extend(f"invalid citation: {p}" for p in result.citation_problems)
    for s in result.statements:
        if not s.supported:
            reasons.append(f"statement not supported by its citations: {s.text[:120]!r}")
        elif not all(s.relevant):
            idle = [m for m, ok in zip(s.markers, s.relevant) if not ok]
            reasons.append(f"irrelevant citation(s) {idle} for: {s.text[:80]!r}")
    return tuple(reasons)


def score(
    question: EvalQuestion,
    answer: Answer,
    latency_ms: float,
    doc_ids_by_file: Mapping[str, str],
    judge: Judge,
) -> QuestionResult:
    gold = {doc_ids_by_file[name] for name in question.gold_sources if name in doc_ids_by_file}
    ranks = [i + 1 for i, doc_id in enumerate(answer.retrieved_doc_ids) if doc_id in gold]
    by_marker = {c.marker: c for c in answer.citations}
    problems = citation_problems(answer)
    statements = tuple(score_statement(s, by_marker, judge) for s in answer.statements)
    groups = fact_groups(answer.text, question.expected_facts)
    held = None
    if question.answerable and answer.passages:
        held = all(fact_groups(" ".join(answer.passages), question.expected_facts))
    spoiled = None
    if not question.answerable and question.absent_facts:
        spoiled = bool(answer.passages) and all(fact_groups(" ".join(answer.passages), question.absent_facts))
    if answer.abstained:
        groups = tuple(False for _ in groups)
    # Which articles each statement cites, by doc id: the dataset names files as the runner's
    # mapping does (a path in the corpus folder, or a bare name); one it lacks matches nothing.
    cited = [{by_marker[m].doc_id for m in s.markers if m in by_marker} for s in answer.statements]

    def doc_ids(files: Sequence[str]) -> set[str]:
        return {doc_ids_by_file.get(f, f"unknown file {f}") for f in files}

    together = apart = None
    if question.cited_together:
        wanted = doc_ids(question.cited_together)
        together = not answer.abstained and any(wanted <= ids for ids in cited)
    if question.cited_apart:
        kept = doc_ids(question.cited_apart)
        apart = not answer.abstained and all(len(ids & kept) <= 1 for ids in cited)
    result = QuestionResult(
        id=question.id,
        question=question.question,
        tags=question.tags,
        answerable=question.answerable,
        gold_sources=question.gold_sources,
        answer=answer.text,
        abstained=answer.abstained,
        mode=answer.mode,
        latency_ms=latency_ms,
        citations=tuple(
            {
                "marker": c.marker,
                "file": Path(c.path).name,
                "span": [c.char_start, c.char_end],
                "quote": c.quote,
                "text": c.text,
            }
            for c in answer.citations
        ),
        gold_rank=ranks[0] if ranks else None,
        fact_groups=groups,
        citations_valid=not problems,
        citation_problems=problems,
        statements=statements,
        confidence=answer.confidence,
        passages_hold_answer=held,
        passages_hold_absent=spoiled,
        cited_together=together,
        cited_apart=apart,
        short_answer=answer.short_answer,
        short_answer_right=None
        if answer.short_answer is None
        else question.answerable
        and short_answer_right(answer.short_answer, [a for group in question.expected_facts for a in group]),
    )
    return replace(result, failures=_failures(question, result))


def answer_words(text: str) -> int:
    """Words of an answer's text, its citation markers left out: how short the answer is."""
    return sum(1 for word in _MARKER.sub(" ", text).split() if any(c.isalnum() for c in word))


def percentile(values: Sequence[float], q: float) -> float | None:
    """Linear interpolation between closest ranks (numpy's default)."""
    if not values:
        return None
    ordered = sorted(values)
    position = (len(ordered) - 1) * q / 100
    low, high = math.floor(position), math.ceil(position)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


def auroc(positives: Sequence[float], negatives: Sequence[float]) -> float | None:
    """Probability that a positive scores above a negative (ties count half): how well the
    confidence tells answerable questions from the rest, whatever the threshold."""
    if not positives or not negatives:
        return None
    ordered = sorted([(v, 1) for v in positives] + [(v, 0) for v in negatives])
    rank_sum, i = 0.0, 0
    while i < len(ordered):
        j = i
        while j < len(ordered) and ordered[j][0] == ordered[i][0]:
            j += 1
        mean_rank = (i + j + 1) / 2  # 1-based ranks i+1 .. j
        rank_sum += mean_rank * sum(label for _, label in ordered[i:j])
        i = j
    n_pos, n_neg = len(positives), len(negatives)
    return (rank_sum - n_pos * (n_pos + 1) / 2) / (n_pos * n_neg)


def expected_calibration_error(confidences: Sequence[float], right: Sequence[bool], bins: int = 10) -> float:
    """Mean gap between confidence and accuracy over ten equal-width confidence bins, weighted
    by the answers in each."""
    gaps = 0.0
    for b in range(bins):
        members = [
            (c, r) for c, r in zip(confidences, right) if min(int(c * bins), bins - 1) == b
        ]
        if members:
            accuracy = sum(r for _, r in members) / len(members)
            gaps += len(members) * abs(sum(c for c, _ in members) / len(members) - accuracy)
    return gaps / len(confidences)


def _mean(values: Sequence[float]) -> float | None:
    return sum(values) / len(values) if values else None


def _rate(items: Sequence[QuestionResult], keep: Callable[[QuestionResult], bool]) -> float | None:
    return _mean([1.0 if keep(r) else 0.0 for r in items])


def aggregate(results: Sequence[QuestionResult]) -> dict[str, float | None]:
    """Dataset-level metrics; None where a metric has nothing to measure (e.g. no unanswerable questions)."""
    answerable = [r for r in results if r.answerable]
    unanswerable = [r for r in results if not r.answerable]
    answered = [r for r in results if r.answered]
    with_gold = [r for r in answerable if r.gold_sources]
    metrics: dict[str, float | None] = {"questions": float(len(results))}
    ranks = [r.gold_rank for r in with_gold]
    for k in HIT_KS:
        metrics[f"hit_at_{k}"] = _mean([1.0 if rank is not None and rank <= k else 0.0 for rank in ranks])
    metrics["mrr"] = _mean([1.0 / rank if rank else 0.0 for rank in ranks])
    metrics["fact_recall"] = _rate(answerable, lambda r: r.facts_found)
    groups = [ok for r in answerable for ok in r.fact_groups]
    metrics["fact_group_recall"] = _mean([1.0 if ok else 0.0 for ok in groups])
    metrics["citation_validity"] = _rate(answered, lambda r: r.citations_valid)
    metrics["citation_recall"] = _mean([v for r in answered if (v := r.citation_recall) is not None])
    metrics["citation_precision"] = _mean([v for r in answered if (v := r.citation_precision) is not None])
    metrics["abstention_recall"] = _rate(unanswerable, lambda r: r.abstained)
    metrics["false_abstention_rate"] = _rate(answerable, lambda r: r.abstained)
    metrics["llm_fallback_rate"] = _rate(results, lambda r: r.mode == "llm-fallback")
    metrics["corroboration"] = _rate([r for r in results if r.cited_together is not None], lambda r: bool(r.cited_together))
    metrics["claims_kept_apart"] = _rate([r for r in results if r.cited_apart is not None], lambda r: bool(r.cited_apart))
    held = [r for r in answerable if r.passages_hold_answer]
    metrics["reader_accuracy"] = _rate(held, lambda r: r.facts_found)
    scored = [r for r in results if r.confidence is not None]
    answerable_confidence = [r.confidence for r in scored if r.answerable]
    metrics["abstention_auroc"] = auroc(
        answerable_confidence,  # type: ignore[arg-type]
        [r.confidence for r in scored if not r.answerable],  # type: ignore[misc]
    )
    # Strict: near misses whose passages hold every accepted answer after all are left out.
    # Without `absent_facts` there is nothing to leave out or not: not measured (None).
    checked = [r for r in unanswerable if r.passages_hold_absent is not None]
    metrics["near_misses_holding_answer"] = metrics["abstention_recall_strict"] = None
    metrics["abstention_auroc_strict"] = None
    if checked:
        strict = [r for r in unanswerable if not r.passages_hold_absent]
        metrics["near_misses_holding_answer"] = _rate(checked, lambda r: bool(r.passages_hold_absent))
        metrics["abstention_recall_strict"] = _rate(strict, lambda r: r.abstained)
        metrics["abstention_auroc_strict"] = auroc(
            answerable_confidence,  # type: ignore[arg-type]
            [r.confidence for r in strict if r.confidence is not None],
        )
    given = [r for r in scored if r.answered]
    metrics["confidence_ece"] = (
        expected_calibration_error([r.confidence for r in given], [r.right for r in given])  # type: ignore[misc]
        if given
        else None
    )
    # The span an answer leads with: how often an answered question gets one, and how often it is right.
    led = [r for r in answered if r.short_answer is not None]
    metrics["short_answer_rate"] = _rate([r for r in answered if r.answerable], lambda r: r.short_answer is not None)
    metrics["short_answer_precision"] = _rate(led, lambda r: bool(r.short_answer_right))
    words = [float(answer_words(r.answer)) for r in answered]
    metrics["answer_words_p50"] = percentile(words, 50)
    metrics["answer_words_p95"] = percentile(words, 95)
    latencies = [r.latency_ms for r in results]
    metrics["latency_p50_ms"] = percentile(latencies, 50)
    metrics["latency_p95_ms"] = percentile(latencies, 95)
    return metrics
