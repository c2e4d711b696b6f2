"""What the reader benchmarks share: the readers a run measures and their figures.

`reader_scale.py` and `real_pages.py` measure the shipped reader and, with `--reader FILE`, a
retrained one beside it in the same run, through `assistant eval`'s runner.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
import time
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from assistant import Settings
from assistant.answer.reader import MODEL_SHA256
from assistant.evals.runner import DatasetResult

# The reader's figures, as `assistant eval` names them, in the order the benchmarks print them.
READER_METRICS = (
    "fact_recall",
    "reader_accuracy",
    "abstention_recall",
    "false_abstention_rate",
    "abstention_auroc",
    "confidence_ece",
    "short_answer_rate",
    "short_answer_precision",
)


def add_reader_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--reader", type=Path, help="a reader model file to measure beside the shipped one")
    parser.add_argument("--verifier", type=Path, help="the answer verifier that --reader was trained with, if any")


def readers(extra: Path | None, verifier: Path | None = None) -> Iterator[tuple[str, Settings, str]]:
    """(label, settings, model sha256): the shipped reader, then `extra` (with the answer
    `verifier` it was trained with, if any) when given."""
    yield "shipped", Settings.from_mapping({}), MODEL_SHA256
    if extra is not None:
        chosen: dict[str, object] = {"reader_file": extra}
        if verifier is not None:
            chosen["verifier_file"] = verifier
        yield str(extra), Settings.from_mapping(chosen), hashlib.sha256(extra.read_bytes()).hexdigest()


def write_results(path: Path, results: dict[str, Any], started: float) -> None:
    """The run's figures as JSON at `path`, with its duration since `started` (perf_counter)."""
    results["seconds"] = round(time.perf_counter() - started, 1)
    path.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    print(f"wrote {path}", file=sys.stderr)


def figures(result: DatasetResult, metrics: Sequence[str]) -> dict[str, float | None]:
    """The dataset's `metrics`, rounded to three places; None where it has no value."""
    return {m: None if result.metrics.get(m) is None else round(float(result.metrics[m] or 0.0), 3) for m in metrics}
