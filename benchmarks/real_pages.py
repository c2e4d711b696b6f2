"""How the assistant answers questions about real news pages it was never tuned on.

The eval's news sets are the five sample articles and news written for this project. This asks
47 questions written on 2026-12-03 (`data/real_pages_questions.jsonl`: 32 answerable, their
accepted answers copied from the articles' text; 15 near misses, on the people and events of an
article but about a fact none of the 60 pages gives) of the 60 real web pages of the extraction
benchmark (`../shared/data/extraction-dev/pages`, saved pages of news sites and blogs of
November 2019, a few not in English), ingested as a user's folder of saved pages is: HTML,
extracted by the assistant. The pages belong to their publishers and are not in the repository,
so this runs only where that folder is.

It is a held-out measurement: nothing is chosen on it. Run it after a change to retrieval or the
reader, next to `assistant eval`, and with `--reader FILE` to measure a retrained reader beside
the shipped one in the same run; `--compare-textbook` adds the textbook LlamaIndex pipeline.

    .venv/bin/python benchmarks/real_pages.py [--reader FILE] [--compare-textbook] --out benchmarks/real_pages_results.json
"""

from __future__ import annotations

import argparse
import gzip
import os
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

from assistant.evals.runner import DatasetResult, run_evals

REPO = Path(__file__).resolve().parent.parent
PAGES = REPO.parent / "shared" / "data" / "extraction-dev" / "pages"
QUESTIONS = REPO / "benchmarks" / "data" / "real_pages_questions.jsonl"
METRICS = ("hit_at_1", "hit_at_5", "mrr", *READER_METRICS, "citation_validity", "latency_p50_ms")


def unpack(pages: Path, folder: Path) -> int:
    """The saved pages as a user's folder holds them: KEY.html."""
    files = sorted(pages.glob("*.html.gz"))
    for file in files:
        (folder / file.name.removesuffix(".gz")).write_bytes(gzip.decompress(file.read_bytes()))
    return len(files)


def outcome(result: DatasetResult) -> dict[str, Any]:
    return {
        "metrics": figures(result, METRICS),
        "failed": [r.id for r in result.results if r.failures],
        "textbook": None if result.textbook is None else result.textbook.to_dict(),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", type=Path, default=REPO / "benchmarks" / "real_pages_results.json")
    parser.add_argument("--pages", type=Path, default=PAGES, help="folder of the saved pages (KEY.html.gz)")
    add_reader_option(parser)
    parser.add_argument("--compare-textbook", action="store_true", help="also run the textbook LlamaIndex pipeline")
    args = parser.parse_args(argv)
    if not args.pages.is_dir():
        print(f"no saved pages at {args.pages}: this benchmark needs the extraction benchmark's pages", file=sys.stderr)
        return 2
    started = time.perf_counter()
    results: dict[str, Any] = {"when": datetime.now(UTC).isoformat(timespec="seconds"), "readers": {}}
    with tempfile.TemporaryDirectory(prefix="real-pages-") as tmp:
        folder = Path(tmp) / "pages"
        folder.mkdir()
        results["pages"] = unpack(args.pages, folder)
        dataset = Path(tmp) / "real_pages.jsonl"
        dataset.write_text(QUESTIONS.read_text(encoding="utf-8"), encoding="utf-8")
        for label, settings, sha256 in readers(args.reader, args.verifier):
            (result,) = run_evals(
                settings, datasets=[dataset], corpus=folder, compare_textbook=args.compare_textbook
            ).datasets
            entry = outcome(result)
            entry["sha256"] = sha256
            results["readers"][label] = entry
            line = ", ".join(f"{m} {v}" for m, v in entry["metrics"].items())
            print(f"{label}: {line}", file=sys.stderr)
            if entry["textbook"]:
                print(f"  textbook: {entry['textbook']}", file=sys.stderr)
    write_results(args.out, results, started)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
