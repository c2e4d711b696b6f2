"""Running the evals: a fresh index per dataset, every question asked, scored and gated.

`run_evals` does the work and returns an EvalResult; `run_cli` is `assistant eval`:
it writes the reports, prints the threshold table and returns the exit status.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from collections.abc import Sequence
from contextlib import ExitStack
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path, PurePosixPath
from typing import Any, Literal

from assistant.answer.conversation import check_history, checked_question
from assistant.assistant import Assistant
from assistant.config import Settings
from assistant.errors import ConfigError, QuestionError
from assistant.evals import report, squad
from assistant.evals.dataset import (
    DatasetError,
    EvalQuestion,
    declared_corpus,
    load_calibration,
    load_questions,
)
from assistant.evals.judge import Agreement, Judge, LLMJudge, OfflineJudge, agreement
from assistant.evals.metrics import METRICS, QuestionResult, aggregate, score
from assistant.evals.textbook import TextbookScores, run_textbook
from assistant.evals.thresholds import Check, check, check_names, load_targets, load_thresholds, table_name
from assistant.relative_time import day_asked
from assistant.search.embedding import MiniLMEmbedder
from assistant.search.retrieval import Filters
from assistant.shipped import shipped
from assistant.types import IngestReport

EVALS_DIR = shipped("evals")
DATASETS_DIR = EVALS_DIR / "datasets"
DEFAULT_DATASETS = (
    DATASETS_DIR / "sample_news.jsonl",
    DATASETS_DIR / "squad_sample.jsonl",
    DATASETS_DIR / "squad_validation.jsonl",
    DATASETS_DIR / "constructed_news.jsonl",
    DATASETS_DIR / "overviews.jsonl",
)
CALIBRATION = DATASETS_DIR / "judge_calibration.jsonl"
DEFAULT_THRESHOLDS = EVALS_DIR / "thresholds.toml"
SAMPLE_CORPUS = shipped("corpus")
EXIT_OK, EXIT_BELOW_THRESHOLD = 0, 1

Mode = Literal["extractive", "llm"]
JudgeName = Literal["offline", "llm"]


@dataclass
class DatasetResult:
    name: str
    path: Path
    corpus: Path
    results: list[QuestionResult]
    metrics: dict[str, float | None]
    checks: list[Check]
    by_tag: dict[str, dict[str, float | None]]
    ingest: str
    seconds: dict[str, float]  # index, ask, textbook, total
    textbook: TextbookScores | None = None
    targets: list[Check] = field(default_factory=list)  # reported, not gating

    @property
    def passed(self) -> bool:
        return all(c.passed for c in self.checks)


@dataclass
class EvalResult:
    mode: str
    judge: str
    judge_agreement: Agreement
    datasets: list[DatasetResult] = field(default_factory=list)
    started: str = ""
    seconds: float = 0.0

    @property
    def passed(self) -> bool:
        return all(d.passed for d in self.datasets)


def _check_askable(path: Path, questions: Sequence[EvalQuestion], settings: Settings) -> None:
    """Every question as the assistant will take it (its length, words, history and day), told
    by its dataset and id before any corpus is indexed, not by the assistant midway."""
    for q in questions:
        try:
            checked_question(q.question, settings.max_question_chars)
            check_history(q.history, settings)
            day_asked(q.as_of)
        except QuestionError as exc:
            raise DatasetError(f"{path}: question {q.id}: {exc}") from None


def corpus_for(dataset: Path, corpus: Path | None = None) -> Path:
    """The articles `dataset` asks about: `corpus` when given (--corpus), else the folder the
    dataset names (its first line or sidecar, see evals/README.md); else, for the shipped
    datasets, the SQuAD corpus (built on demand) for a file name starting with "squad", and the
    sample news corpus for any other."""
    chosen = corpus or declared_corpus(dataset)
    if chosen is None:
        chosen = squad.ensure_corpus() if dataset.name.startswith("squad") else SAMPLE_CORPUS
        if dataset.resolve().parent != DATASETS_DIR.resolve():  # a user's: the shipped corpus is no guess
            _log(
                f"{dataset.name} names no corpus (a first line {{\"corpus\": \"articles/\"}} or --corpus DIR): "
                f"asked of the shipped articles in {chosen}"
            )
        return chosen
    if not chosen.is_dir():
        what = "is a file, not a folder" if chosen.exists() else "does not exist"
        raise ConfigError(
            f"{dataset}: the corpus folder {chosen} {what}; pass the folder of its articles with --corpus DIR"
        )
    return chosen.resolve()


def _index_settings(settings: Settings, index_dir: Path, mode: Mode) -> Settings:
    values: dict[str, Any] = {**settings.__dict__, "index_dir": index_dir, "chroma_url": None}
    if mode == "extractive":
        values.update(openai_api_key=None, openai_base_url=None)
    return Settings.from_mapping(values)


def _in_corpus(path: str, corpus: Path) -> str:
    """A file's path relative to the corpus folder ("2024/story.txt"); its name when outside it."""
    try:
        return Path(path).resolve().relative_to(corpus).as_posix()
    except ValueError:
        return Path(path).name


def doc_ids_by_file(bot: Assistant, ingested: IngestReport, corpus: Path) -> dict[str, str]:
    """Corpus file -> doc id, the file named by its path relative to `corpus` ("2024/story.txt"),
    and also by its bare name ("story.txt") where no other file of that name has another doc id;
    a file skipped as a twin of another maps to the twin's id."""
    root = corpus.resolve()
    found = {_in_corpus(r.path, root): r.doc_id for r in ingested.results if r.doc_id}
    found.update({_in_corpus(a.path, root): a.doc_id for a in bot.articles()})
    by_name: dict[str, set[str]] = {}
    for key, doc_id in found.items():
        by_name.setdefault(PurePosixPath(key).name, set()).add(doc_id)
    for name, doc_ids in by_name.items():
        if name not in found and len(doc_ids) == 1:
            found[name] = next(iter(doc_ids))
    return found


# The fields of a question that name corpus files, as its error messages call them.
_FILE_FIELDS = (
    ("gold source(s)", "gold_sources"),
    ("exclude_sources file(s)", "exclude_sources"),
    ("cited_together file(s)", "cited_together"),
    ("cited_apart file(s)", "cited_apart"),
)


def check_files(path: Path, questions: Sequence[EvalQuestion], corpus: Path, by_file: dict[str, str]) -> None:
    """Every file a question names is indexed from its corpus: a misspelt name would make its
    check pass or fail for no reason."""
    for label, key in _FILE_FIELDS:
        unknown = sorted({f for q in questions for f in getattr(q, key)} - set(by_file))
        if unknown:
            raise ConfigError(
                f"{path}: {label} not indexed from {corpus}: {', '.join(unknown[:5])}{_shared_names(unknown, by_file)}"
            )


def _shared_names(unknown: list[str], by_file: dict[str, str]) -> str:
    """Why a bare file name is not known when several files of the corpus have it."""
    notes = []
    for name in unknown:
        paths = sorted(k for k in by_file if "/" in k and PurePosixPath(k).name == name)
        if "/" not in name and len(paths) > 1:
            notes.append(f"{name} is {' and '.join(paths)}")
    if not notes:
        return ""
    return f" ({'; '.join(notes)}: name the file by its path in the corpus folder)"


def _refuse_shared_stems(datasets: Sequence[Path]) -> None:
    """Datasets are known by their file's stem (report.json, the thresholds tables): two of one
    name would overwrite each other's figures and share one table."""
    by_stem: dict[str, list[Path]] = {}
    for path in datasets:
        by_stem.setdefault(path.stem, []).append(path)
    for stem, paths in by_stem.items():
        if len(paths) > 1:
            raise ConfigError(
                f"datasets {', '.join(str(p) for p in paths)} share the name {stem!r}: a run knows a "
                f"dataset by its file's stem (report.json, the thresholds table [{stem}]); rename one "
                "or run them apart"
            )


def _make_judge(name: JudgeName, settings: Settings) -> Judge:
    return LLMJudge(settings) if name == "llm" else OfflineJudge()


def _log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


@dataclass
class _Index:
    """A fresh index of one corpus, shared by the datasets that ask about it."""

    bot: Assistant
    ingested: IngestReport
    by_file: dict[str, str]
    seconds: float


def _open_index(
    corpus: Path, settings: Settings, mode: Mode, embedder: MiniLMEmbedder, folder: Path, name: str
) -> _Index:
    started = time.perf_counter()
    bot = Assistant(_index_settings(settings, folder, mode), embedder=embedder)
    _log(f"{name}: indexing {corpus} ...")
    ingested = bot.ingest([corpus])
    return _Index(bot, ingested, doc_ids_by_file(bot, ingested, corpus), time.perf_counter() - started)


def _run_dataset(
    path: Path,
    questions: list[EvalQuestion],
    corpus: Path,
    index: _Index,
    judge: Judge,
    embedder: MiniLMEmbedder,
    thresholds: dict[str, Any],
    targets: dict[str, Any],
    compare_textbook: bool,
) -> DatasetResult:
    started = time.perf_counter()
    name = path.stem
    bot, ingested, by_file = index.bot, index.ingested, index.by_file
    check_files(path, questions, corpus, by_file)
    seconds = {"index": index.seconds}
    _log(f"{name}: asking {len(questions)} questions ...")
    results = []
    for question in questions:
        filters = None
        if question.exclude_sources:
            missing = sorted(set(question.exclude_sources) - set(by_file))
            if missing:
                raise ConfigError(f"{path}: {question.id} excludes files not indexed: {', '.join(missing)}")
            filters = Filters(exclude_doc_ids=frozenset(by_file[f] for f in question.exclude_sources))
        asked = time.perf_counter()
        answer = bot.ask(
            question.question, history=list(question.history) or None, filters=filters, as_of=question.as_of
        )
        latency_ms = (time.perf_counter() - asked) * 1000
        results.append(score(question, answer, latency_ms, by_file, judge))
    seconds["ask"] = time.perf_counter() - started
    textbook = None
    if compare_textbook:
        _log(f"{name}: running the textbook LlamaIndex pipeline ...")
        textbook_started = time.perf_counter()
        textbook = run_textbook(corpus, questions, embedder)
        seconds["textbook"] = time.perf_counter() - textbook_started
    seconds["total"] = time.perf_counter() - started + index.seconds
    metrics = aggregate(results)
    tags = sorted({t for r in results for t in r.tags})
    return DatasetResult(
        name=name,
        path=path,
        corpus=corpus,
        results=results,
        metrics=metrics,
        checks=check(thresholds.get(name, []), metrics, f"thresholds [{name}]"),
        by_tag={t: aggregate([r for r in results if t in r.tags]) for t in tags},
        ingest=ingested.summary(),
        seconds={k: round(v, 1) for k, v in seconds.items()},
        textbook=textbook,
        targets=check(targets.get(name, []), metrics, f"targets [{name}]"),
    )


def run_evals(
    settings: Settings,
    datasets: Sequence[Path] = DEFAULT_DATASETS,
    mode: Mode = "extractive",
    judge: JudgeName = "offline",
    limit: int | None = None,
    thresholds: Path = DEFAULT_THRESHOLDS,
    compare_textbook: bool = False,
    corpus: Path | None = None,
) -> EvalResult:
    """`corpus`: the folder of articles every dataset asks about (default: each its own)."""
    if mode == "llm" and not settings.llm_configured:
        raise ConfigError(
            "--mode llm needs a language model: set OPENAI_BASE_URL (and OPENAI_API_KEY if the server "
            "wants one), or run the evals with --mode extractive"
        )
    if limit is not None and limit < 1:
        raise ConfigError(f"--limit must be at least 1, not {limit}")
    started = time.perf_counter()
    _refuse_shared_stems(datasets)
    gates = load_thresholds(thresholds)
    goals = load_targets(thresholds)
    shipped_stems = sorted(p.stem for p in DATASETS_DIR.glob("*.jsonl"))
    check_names(thresholds, gates, goals, [p.stem for p in datasets], shipped_stems, METRICS)
    loaded = [(path, load_questions(path)[:limit]) for path in datasets]
    for path, questions in loaded:
        _check_askable(path, questions, settings)
    for path, _ in loaded:
        if path.stem not in gates:
            _log(
                f"{path.stem}: no {table_name(path.stem)} thresholds in {thresholds}: its figures are reported, not gated"
            )
    the_judge = _make_judge(judge, settings)
    result = EvalResult(
        mode=mode,
        judge=judge,
        judge_agreement=agreement(the_judge, load_calibration(CALIBRATION)),
        started=datetime.now(UTC).isoformat(timespec="seconds"),
    )
    embedder = MiniLMEmbedder(settings.model_dir, precision=settings.encoder)
    indexes: dict[Path, _Index] = {}  # one fresh index per corpus, shared by its datasets
    with ExitStack() as stack:
        corpora = []
        for path, questions in loaded:  # every corpus indexed, every file named checked, then asked
            chosen = corpus_for(path, corpus)
            if chosen not in indexes:
                folder = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix=f"eval-{path.stem}-")))
                indexes[chosen] = _open_index(chosen, settings, mode, embedder, folder, path.stem)
            check_files(path, questions, chosen, indexes[chosen].by_file)
            corpora.append(chosen)
        for (path, questions), chosen in zip(loaded, corpora):
            result.datasets.append(
                _run_dataset(
                    path, questions, chosen, indexes[chosen], the_judge, embedder, gates, goals, compare_textbook
                )
            )
    result.seconds = time.perf_counter() - started
    return result


def _check_writable(folder: Path, junit: Path | None) -> None:
    """The report folder and the JUnit file can be written: found before the corpus is indexed
    and every question asked, not after."""
    problem = None
    if folder.exists() and not folder.is_dir():
        problem = f"--report {folder} is a file; name a folder for the reports"
    elif junit is not None and junit.is_dir():
        problem = f"--junit {junit} is a folder; name a file such as {junit / 'junit.xml'}"
    else:  # nothing is made yet: the folder the files would be made in is looked at
        for target in (folder, *(() if junit is None else (junit.parent,))):
            existing = next((p for p in (target, *target.parents) if p.exists()), None)
            if existing is not None and not existing.is_dir():
                problem = f"{target} cannot be made: {existing} is a file; name another with --report or --junit"
            elif existing is not None and not os.access(existing, os.W_OK | os.X_OK):
                problem = f"{target} cannot be written (permission denied); name another with --report or --junit"
            if problem:
                break
    if problem is not None:
        raise ConfigError(problem)


def run_cli(args: argparse.Namespace, settings: Settings) -> int:
    """`assistant eval`: 0 when every threshold holds, 1 when one does not."""
    baseline = report.load_baseline(args.baseline) if args.baseline else None  # before the run
    _check_writable(args.report, args.junit)
    result = run_evals(
        settings,
        datasets=list(args.datasets) or list(DEFAULT_DATASETS),
        mode=args.mode,
        judge=args.judge,
        limit=args.limit,
        thresholds=getattr(args, "thresholds", None) or DEFAULT_THRESHOLDS,
        compare_textbook=args.compare_textbook,
        corpus=args.corpus,
    )
    print(report.threshold_table(result))  # first: a file that cannot be written after all loses nothing shown
    written = report.write_reports(result, args.report, baseline)
    if args.junit:
        report.write_junit(result, args.junit)
    print(f"\nreport: {', '.join(str(p) for p in written)}")
    return EXIT_OK if result.passed else EXIT_BELOW_THRESHOLD
