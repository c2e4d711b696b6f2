"""Metric thresholds per dataset (evals/thresholds.toml) and checking metrics against them."""

from __future__ import annotations

import difflib
import math
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any, Literal

from assistant.config import read_toml
from assistant.errors import ConfigError
from assistant.evals.metrics import METRICS

Bound = Literal["min", "max"]


@dataclass(frozen=True)
class Threshold:
    metric: str
    bound: Bound
    limit: float


@dataclass(frozen=True)
class Check:
    metric: str
    bound: Bound
    limit: float
    value: float | None
    passed: bool

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


# Metrics where less is better: a gate on one is a ceiling (`NAME_max`); "false_abstention_rate
# = 0.05" as a floor would pass every run that refuses more.
LOWER_IS_BETTER = frozenset(
    {"false_abstention_rate", "llm_fallback_rate", "confidence_ece", "latency_p50_ms", "latency_p95_ms"}
)
# Metrics that are counts or sizes, not shares from 0 to 1.
UNBOUNDED = frozenset({"questions", "answer_words_p50", "answer_words_p95", "latency_p50_ms", "latency_p95_ms"})
# Metrics that are neither better high nor low: a size, or what a dataset's questions are like.
EITHER_WAY = frozenset({"questions", "answer_words_p50", "answer_words_p95", "near_misses_holding_answer"})


def _parse(key: str, value: Any, where: str) -> Threshold:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ConfigError(f"{where}: {key} must be a number, not {value!r}")
    if not math.isfinite(value):
        raise ConfigError(f"{where}: {key} must be a finite number, not {value!r}")
    bound: Bound = "max" if key.endswith("_max") else "min"
    metric = key.removesuffix("_max") if bound == "max" else key.removesuffix("_min")
    if metric not in METRICS:  # a misspelt name: `check_names` says so, with the nearest
        return Threshold(metric, bound, float(value))
    if bound == "min" and metric in LOWER_IS_BETTER:
        raise ConfigError(
            f"{where}: {key} = {value}: less is better for {metric}, so its gate is a ceiling: "
            f"write {metric}_max = {value}"
        )
    if bound == "max" and metric not in LOWER_IS_BETTER | EITHER_WAY:
        raise ConfigError(
            f"{where}: {key} = {value}: more is better for {metric}, so its gate is a floor: "
            f"write {metric} = {value}"
        )
    if metric not in UNBOUNDED and not 0 <= value <= 1:
        raise ConfigError(f"{where}: {key} = {value}: {metric} is a share from 0 to 1 (0.9, not 90)")
    if metric in UNBOUNDED and value < 0:
        raise ConfigError(f"{where}: {key} = {value} cannot be negative")
    return Threshold(metric, bound, float(value))


def load_thresholds(path: Path) -> dict[str, list[Threshold]]:
    """Thresholds by dataset name (the dataset file's stem)."""
    raw = read_toml(path, "thresholds file", byte_order_mark=True)
    return _tables({k: v for k, v in raw.items() if k != "targets"}, path)


def load_targets(path: Path) -> dict[str, list[Threshold]]:
    """The goals in the file's [targets.<dataset>] tables: reported beside the gates, never gating."""
    targets = read_toml(path, "thresholds file", byte_order_mark=True).get("targets", {})
    if not isinstance(targets, dict):
        raise ConfigError(f"{path}: targets must hold tables such as [targets.sample_news]")
    return _tables(targets, path)


def table_name(dataset: str) -> str:
    """A dataset's table as TOML names it: [ours], or ["ours.v2"] for a name a bare key cannot
    hold (TOML reads [ours.v2] as a table v2 inside [ours])."""
    return f"[{dataset}]" if re.fullmatch(r"[A-Za-z0-9_-]+", dataset) else f'["{dataset}"]'


def _tables(raw: Mapping[str, Any], path: Path) -> dict[str, list[Threshold]]:
    tables: dict[str, list[Threshold]] = {}
    for dataset, table in raw.items():
        if not isinstance(table, dict):
            raise ConfigError(f"{path}: {dataset} must be a table such as {table_name(dataset)}")
        for key, value in table.items():
            if isinstance(value, dict):  # [ours.v2]: a dataset named with a dot, unquoted
                name = f"{dataset}.{key}"
                raise ConfigError(
                    f"{path}: [{name}] is read as a table {key} inside [{dataset}]; "
                    f"a dataset's name with a dot is quoted: {table_name(name)}"
                )
        tables[dataset] = [_parse(k, v, f"{path} {table_name(dataset)}") for k, v in table.items()]
    return tables


def _nearest(name: str, candidates: Iterable[str]) -> str | None:
    found = difflib.get_close_matches(name, list(dict.fromkeys(candidates)), n=1, cutoff=0.6)
    return found[0] if found else None


def check_names(
    path: Path,
    gates: Mapping[str, list[Threshold]],
    targets: Mapping[str, list[Threshold]],
    datasets: Sequence[str],
    shipped: Iterable[str],
    metrics: Sequence[str],
) -> None:
    """Before any question is asked: no table is a misspelling of a dataset of this run that
    has no table of its own (`[minee]` for `mine.jsonl` would leave it ungated), and every key
    is a metric `aggregate` reports (a misspelled metric would be found only after the whole
    run). A table of a dataset this run does not ask (a shared file's others) is left as it is."""
    known = [*datasets, *shipped]
    for prefix, tables in (("", gates), ("targets.", targets)):
        untabled = [d for d in datasets if d not in tables]
        for dataset, thresholds in tables.items():
            if dataset not in known and (nearest := _nearest(dataset, untabled)):
                raise ConfigError(
                    f"{path}: table [{prefix}{dataset}] names no dataset of this run; did you mean "
                    f"[{prefix}{table_name(nearest)[1:-1]}]? A table is named after its dataset file's stem."
                )
            for t in thresholds:
                if t.metric not in metrics:
                    nearest = _nearest(t.metric, metrics)
                    hint = f" (did you mean {nearest!r}?)" if nearest else ""
                    raise ConfigError(
                        f"{path} [{prefix}{dataset}]: unknown metric {t.metric!r}{hint}; "
                        f"known: {', '.join(metrics)}"
                    )


def check(
    thresholds: list[Threshold], metrics: Mapping[str, float | None], where: str = "thresholds"
) -> list[Check]:
    checks = []
    for t in thresholds:
        if t.metric not in metrics:
            raise ConfigError(f"{where}: unknown metric {t.metric!r}; known: {', '.join(metrics)}")
        value = metrics[t.metric]
        if value is None:
            passed = False
        elif t.bound == "min":
            passed = value >= t.limit - 1e-9
        else:
            passed = value <= t.limit + 1e-9
        checks.append(Check(t.metric, t.bound, t.limit, value, passed))
    return checks
