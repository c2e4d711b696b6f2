"""Does the reader's abstention hold when the news sit in a bigger index?

The eval sets index their articles alone: the sample news are 5 articles, the constructed news
18. A user's archive holds them among thousands of others, and the reader reads numbers that
move with the index (IDF, BM25). This asks the same two datasets twice through the whole
assistant, of their own folder and of one archive that also holds the 1,048 SQuAD paragraphs
(Wikipedia, no news: nothing they say answers a news question, so every right answer and every
right refusal stays right), and writes each dataset's figures for both and how far they moved.
A reader whose confidence means the same in both refuses the same near misses in both.

    .venv/bin/python benchmarks/reader_scale.py [--reader FILE] --out benchmarks/reader_scale_results.json

`--reader FILE` measures a reader model trained with training/train_reader.py beside the
shipped one, in the same run.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")

from readers import (  # benchmarks/readers.py
    READER_METRICS,
    add_reader_option,
    figures,
    readers,
    write_results,
)

from assistant.evals import squad
from assistant.evals.runner import corpus_for, run_evals

REPO = Path(__file__).resolve().parent.parent
DATASETS = [REPO / "evals" / "datasets" / "sample_news.jsonl", REPO / "evals" / "datasets" / "constructed_news.jsonl"]


def build_archive(folder: Path) -> int:
    """The datasets' own articles and the SQuAD paragraphs in one folder; the files copied."""
    sources = [corpus_for(path) for path in DATASETS] + [squad.ensure_corpus()]
    copied = 0
    for source in sources:
        for file in sorted(source.iterdir()):
            if file.is_file() and not file.name.startswith("."):
                if (folder / file.name).exists():
                    raise SystemExit(f"two corpora hold a file named {file.name}")
                shutil.copy2(file, folder / file.name)
                copied += 1
    return copied


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", type=Path, default=REPO / "benchmarks" / "reader_scale_results.json")
    add_reader_option(parser)
    args = parser.parse_args(argv)
    started = time.perf_counter()
    results: dict[str, Any] = {"when": datetime.now(UTC).isoformat(timespec="seconds"), "readers": {}}
    with tempfile.TemporaryDirectory(prefix="reader-scale-") as tmp:
        archive = Path(tmp) / "archive"
        archive.mkdir()
        results["archive_files"] = build_archive(archive)
        for label, settings, sha256 in readers(args.reader, args.verifier):
            alone = {d.name: d for d in run_evals(settings, datasets=DATASETS).datasets}
            inside = {d.name: d for d in run_evals(settings, datasets=DATASETS, corpus=archive).datasets}
            entry: dict[str, Any] = {"sha256": sha256}
            for name, own in alone.items():
                a, b = figures(own, READER_METRICS), figures(inside[name], READER_METRICS)
                moved = {m: None if a[m] is None or b[m] is None else round(b[m] - a[m], 3) for m in READER_METRICS}  # type: ignore[operator]
                entry[name] = {"own_folder": a, "in_archive": b, "moved": moved}
                line = ", ".join(f"{m} {a[m]} -> {b[m]}" for m in READER_METRICS)
                print(f"{label} {name}: {line}", file=sys.stderr)
            results["readers"][label] = entry
    write_results(args.out, results, started)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
