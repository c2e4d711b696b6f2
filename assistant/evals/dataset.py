"""Eval datasets: JSONL questions and judge-calibration pairs, checked line by line.

Formats are described in evals/README.md. A bad line raises DatasetError naming
the file and line, so a typo in a dataset never turns into a silent zero.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any, TypeVar

from assistant.config import read_toml
from assistant.errors import ConfigError

T = TypeVar("T")

QUESTION_REQUIRED = (
    "id",
    "question",
    "answerable",
    "expected_facts",
    "gold_sources",
    "reference_answer",
    "tags",
)
QUESTION_OPTIONAL = ("history", "exclude_sources", "absent_facts", "as_of", "cited_together", "cited_apart")
# A question dataset's optional first line, e.g. {"corpus": "articles/"}: the folder of articles
# it asks about, relative to the dataset's folder. A sidecar <dataset>.toml (corpus = "...")
# says the same; `assistant eval --corpus DIR` overrides both.
HEADER_KEYS = ("corpus",)
PAIR_REQUIRED = ("id", "sentence", "passage", "supported")
PAIR_OPTIONAL = ("note", "source")


class DatasetError(ConfigError):
    """An eval dataset file is missing or a line of it is malformed: like a bad setting, a
    mistake in the run's input (exit status 2), never a gate missed (1)."""


@dataclass(frozen=True)
class EvalQuestion:
    id: str
    question: str
    answerable: bool
    expected_facts: tuple[tuple[str, ...], ...]
    gold_sources: tuple[str, ...]
    reference_answer: str
    tags: tuple[str, ...]
    history: tuple[tuple[str, str], ...] = ()
    # Corpus files left out of retrieval for this question: asked as if never added (a near miss).
    exclude_sources: tuple[str, ...] = ()
    # An unanswerable question's facts (groups of accepted answers, as `expected_facts`) that its
    # passages must lack: a near miss whose passages hold them all after all is not one (another
    # paragraph says it too), and the strict abstention figures leave it out.
    absent_facts: tuple[tuple[str, ...], ...] = ()
    # The day the question is asked (YYYY-MM-DD), for "yesterday", "last week", "the latest";
    # None: the day the eval runs.
    as_of: date | None = None
    # Corpus files that report one claim: one statement of the answer must cite all of them.
    cited_together: tuple[str, ...] = ()
    # Corpus files that report different claims: no statement may cite two of them.
    cited_apart: tuple[str, ...] = ()


@dataclass(frozen=True)
class CalibrationPair:
    id: str
    sentence: str
    passage: str
    supported: bool
    note: str = ""
    source: str | None = None


class _LineError(ValueError):
    """What is wrong with one line; the loader adds the file and line number."""


def _string(row: dict[str, Any], key: str) -> str:
    value = row[key]
    if not isinstance(value, str) or not value.strip():
        raise _LineError(f"{key!r} must be a non-empty string")
    return value


def _text(row: dict[str, Any], key: str) -> str:
    value = row[key]
    if not isinstance(value, str):
        raise _LineError(f"{key!r} must be a string")
    return value


def _bool(row: dict[str, Any], key: str) -> bool:
    value = row[key]
    if not isinstance(value, bool):
        raise _LineError(f"{key!r} must be true or false, not {value!r}")
    return value


def _strings(value: Any, what: str) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise _LineError(f"{what} must be a list of non-empty strings")
    return tuple(value)


def _check_keys(row: Any, required: tuple[str, ...], optional: tuple[str, ...]) -> dict[str, Any]:
    if not isinstance(row, dict):
        raise _LineError("each line must be a JSON object")
    missing = [k for k in required if k not in row]
    if missing:
        raise _LineError(f"missing field(s): {', '.join(missing)}")
    unknown = sorted(set(row) - set(required) - set(optional))
    if unknown:
        raise _LineError(
            f"unknown field(s): {', '.join(unknown)} (allowed: {', '.join(required + optional)})"
        )
    return row


def _day(row: dict[str, Any], key: str) -> date | None:
    value = row.get(key)
    if value is None:
        return None
    if isinstance(value, str):
        try:
            return date.fromisoformat(value)
        except ValueError:
            pass
    raise _LineError(f"{key!r} must be a day like \"2022-02-14\", not {value!r}")


def _fact_groups(raw: Any, key: str) -> tuple[tuple[str, ...], ...]:
    if not isinstance(raw, list):
        raise _LineError(f"{key!r} must be a list of lists of strings")
    groups = tuple(_strings(group, f"each {key} group") for group in raw)
    if any(not group for group in groups):
        raise _LineError(f"an {key} group is empty")
    return groups


def _question(raw: Any) -> EvalQuestion:
    row = _check_keys(raw, QUESTION_REQUIRED, QUESTION_OPTIONAL)
    facts = _fact_groups(row["expected_facts"], "expected_facts")
    absent = _fact_groups(row.get("absent_facts", []), "absent_facts")
    history_raw = row.get("history", [])
    if not isinstance(history_raw, list):
        raise _LineError("'history' must be a list of [question, answer] pairs")
    history = []
    for turn in history_raw:
        pair = _strings(turn, "each history turn")
        if len(pair) != 2:
            raise _LineError("each history turn must be a [question, answer] pair")
        history.append((pair[0], pair[1]))
    question = EvalQuestion(
        id=_string(row, "id"),
        question=_string(row, "question"),
        answerable=_bool(row, "answerable"),
        expected_facts=facts,
        gold_sources=_strings(row["gold_sources"], "'gold_sources'"),
        reference_answer=_text(row, "reference_answer"),
        tags=_strings(row["tags"], "'tags'"),
        history=tuple(history),
        exclude_sources=_strings(row.get("exclude_sources", []), "'exclude_sources'"),
        absent_facts=absent,
        as_of=_day(row, "as_of"),
        cited_together=_strings(row.get("cited_together", []), "'cited_together'"),
        cited_apart=_strings(row.get("cited_apart", []), "'cited_apart'"),
    )
    for key, files in (("cited_together", question.cited_together), ("cited_apart", question.cited_apart)):
        if files and (not question.answerable or len(files) < 2):
            raise _LineError(f"{key!r} needs an answerable question and at least two files")
    if question.answerable and set(question.gold_sources) & set(question.exclude_sources):
        raise _LineError("a gold source of an answerable question cannot be excluded")
    if question.answerable and not (question.expected_facts and question.gold_sources):
        raise _LineError("an answerable question needs expected_facts and gold_sources")
    if not question.answerable and (question.expected_facts or question.gold_sources):
        raise _LineError("an unanswerable question must have empty expected_facts and gold_sources")
    if question.answerable and question.absent_facts:
        raise _LineError("'absent_facts' is for unanswerable questions")
    return question


def _pair(raw: Any) -> CalibrationPair:
    row = _check_keys(raw, PAIR_REQUIRED, PAIR_OPTIONAL)
    source = row.get("source")
    if source is not None and not isinstance(source, str):
        raise _LineError("'source' must be a string")
    return CalibrationPair(
        id=_string(row, "id"),
        sentence=_string(row, "sentence"),
        passage=_string(row, "passage"),
        supported=_bool(row, "supported"),
        note=_text(row, "note") if "note" in row else "",
        source=source,
    )


def _is_header(raw: Any) -> bool:
    return isinstance(raw, dict) and "corpus" in raw and "id" not in raw


def _header(raw: Any) -> str:
    row = _check_keys(raw, HEADER_KEYS, ())
    return _string(row, "corpus")


def _lines(path: Path) -> Iterator[tuple[Any, int]]:
    try:
        # one saved with a byte-order mark (Windows editors) reads the same; lines end at "\n"
        # alone, since a JSON string may hold U+2028 or U+0085, which `splitlines` breaks at
        lines = path.read_text(encoding="utf-8-sig").split("\n")
    except FileNotFoundError:
        raise DatasetError(f"dataset {path} does not exist") from None
    except IsADirectoryError:
        raise DatasetError(f"dataset {path} is a folder; name a JSONL file of questions") from None
    except UnicodeDecodeError as exc:
        raise DatasetError(f"{path}: not UTF-8 ({exc})") from None
    except OSError as exc:
        raise DatasetError(f"dataset {path} cannot be read: {exc.strerror or exc}") from None
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            yield json.loads(line), number
        except json.JSONDecodeError as exc:
            raise DatasetError(f"{path}:{number}: not valid JSON: {exc.msg} (column {exc.colno})") from None


def _rows(path: Path, parse: Callable[[Any], T], header: bool = False) -> Iterator[tuple[T, str]]:
    """Parsed lines; with `header`, a first line that is a dataset header is passed over."""
    for index, (raw, number) in enumerate(_lines(path)):
        if header and index == 0 and _is_header(raw):
            continue
        try:
            item = parse(raw)
        except _LineError as exc:
            raise DatasetError(f"{path}:{number}: {exc}") from None
        yield item, f"{path}:{number}"


def declared_corpus(path: Path) -> Path | None:
    """The corpus folder a question dataset names (first line, else sidecar <dataset>.toml),
    resolved against the dataset's folder; None when it names none."""
    for raw, number in _lines(path):
        if _is_header(raw):
            try:
                return path.parent / _header(raw)
            except _LineError as exc:
                raise DatasetError(f"{path}:{number}: {exc}") from None
        break
    sidecar = path.with_suffix(".toml")
    if not sidecar.is_file():
        return None
    try:
        values = read_toml(sidecar, "corpus sidecar", byte_order_mark=True)
    except ConfigError as exc:
        raise DatasetError(str(exc)) from None
    if "corpus" not in values and values and all(isinstance(v, dict) for v in values.values()):
        return None  # tables alone: a thresholds file that shares the dataset's name, no sidecar
    try:
        return sidecar.parent / _header(values)
    except _LineError as exc:
        raise DatasetError(f"{sidecar}: {exc}") from None


def _unique(items: list[tuple[T, str]], key: Callable[[T], str], path: Path) -> list[T]:
    seen: dict[str, str] = {}
    for item, where in items:
        if key(item) in seen:
            raise DatasetError(f"{where}: duplicate id {key(item)!r} (first at {seen[key(item)]})")
        seen[key(item)] = where
    if not items:
        raise DatasetError(f"dataset {path} has no entries")
    return [item for item, _ in items]


def load_questions(path: Path) -> list[EvalQuestion]:
    return _unique(list(_rows(path, _question, header=True)), lambda q: q.id, path)


def load_calibration(path: Path) -> list[CalibrationPair]:
    return _unique(list(_rows(path, _pair)), lambda p: p.id, path)
