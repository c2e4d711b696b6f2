"""What reading a question's wording costs at the longest question a user may ask: the kind of
answer it asks for (`expected_answer_type`), for questions that repeat a phrase the patterns look
at ("how much", "by how much", "what is the price") up to `max_question_chars`, against a
question of ordinary words of the same length in the same run (the ratio is the figure; the
machine's load cancels out).

    python benchmarks/question_patterns.py [--out benchmarks/question_patterns_results.json]
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

from assistant.answer.answer_types import expected_answer_type
from assistant.config import Settings

PHRASES = {
    "ordinary words": "the council met on tuesday ",
    "how much": "how much ",
    "how much of": "how much of ",
    "by how much": "by how much ",
    "how much ... rose": "how much money rose ",
    "what is the price": "what is the price rose ",
    "how high the fee": "how high the fee cut ",
}


def _ms(read: Callable[[str], object], question: str, repeats: int) -> float:
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        read(question)
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", type=Path, default=Path(__file__).with_name("question_patterns_results.json"))
    parser.add_argument("--repeats", type=int, default=21)
    args = parser.parse_args(argv)
    limit = Settings().max_question_chars
    figures = {}
    for name, phrase in PHRASES.items():
        question = (phrase * (limit // len(phrase) + 1))[:limit]
        figures[name] = {"chars": len(question), "median_ms": round(_ms(expected_answer_type, question, args.repeats), 3)}
    baseline = figures["ordinary words"]["median_ms"]
    for row in figures.values():
        row["ratio_to_ordinary_words"] = round(row["median_ms"] / baseline, 2)
    result = {"measured": datetime.now(UTC).isoformat(timespec="seconds"), "function": "expected_answer_type", "questions": figures}
    args.out.write_text(json.dumps(result, indent=2) + "\n")
    for name, row in figures.items():
        print(f"{name:20s} {row['chars']:5d} chars {row['median_ms']:8.3f} ms  x{row['ratio_to_ordinary_words']}")
    print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
