"""What the learned reader costs per question: `draft_answer` alone (features, both tree models,
composition) over passages already retrieved, so retrieval's share and the machine's other load
stay out of it.

    python training/build_reader_data.py          # once: the cached SQuAD retrievals
    python benchmarks/reader_bench.py [--questions 500] [--out benchmarks/reader_results.json]

Reads build/reader/retrieval.jsonl and the SQuAD index in build/reader/ (for the vocabulary),
reads each question's first `top_k` passages through `draft_answer` and writes the percentiles.
"""

from __future__ import annotations

import os

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")

import argparse
import json
import statistics
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

from assistant.answer.reader import load_model
from assistant.answer.synthesis import draft_answer
from assistant.config import Settings
from assistant.dates import mentioned_date
from assistant.search.retrieval import Passage

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "training"))
from build_reader_data import DEFAULT_OUT, open_index


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", type=Path, default=DEFAULT_OUT)
    parser.add_argument("--questions", type=int, default=500)
    parser.add_argument("--out", type=Path, default=Path("benchmarks/reader_results.json"))
    args = parser.parse_args(argv)
    settings = Settings.load()
    vocabulary = open_index(settings)._vocabulary
    model = load_model()
    rows = []
    with args.data.open(encoding="utf-8") as handle:
        for line in handle:
            rows.append(json.loads(line))
            if len(rows) == args.questions:
                break
    timings = []
    for row in rows:
        passages = [Passage(**p) for p in row["passages"][: settings.top_k]]
        started = time.perf_counter()
        draft_answer(row["question"], passages, vocabulary, date=mentioned_date(row["question"]), model=model)
        timings.append((time.perf_counter() - started) * 1000)
    ordered = sorted(timings)
    result = {
        "measured": datetime.now(UTC).isoformat(timespec="seconds"),
        "questions": len(timings),
        "draft_answer_ms": {
            "p50": round(statistics.median(ordered), 2),
            "p95": round(ordered[int(0.95 * (len(ordered) - 1))], 2),
            "mean": round(statistics.fmean(ordered), 2),
        },
        "load_average": os.getloadavg()[0],
        "cpus": os.cpu_count(),
    }
    args.out.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(result, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
