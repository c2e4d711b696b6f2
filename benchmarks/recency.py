"""Which recency prior answers "the latest ..." best: a sweep on constructed dated news.

`benchmarks/recency/articles/` is a small made-up local paper (12 dated articles, four stories
that move on over January-February 2022, and two newer articles on other things) and
`benchmarks/recency/questions.jsonl` asks "the latest" of each story as of several days (18
questions; the right answer changes with the day). It is kept apart from the shipped eval sets:
the prior is chosen here, sample_news only checks it.

For each prior (assistant.search.retrieval.RecencyPrior) every question is asked through the
whole pipeline; the figures are the share whose answer contains the expected fact, and whose
first-ranked article is the gold one. Weight 0 is the baseline: articles after the day asked
left out, no preference among the rest.

    .venv/bin/python benchmarks/recency.py --out benchmarks/recency_results.json
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")

from assistant import Assistant, Settings
from assistant.evals.dataset import load_questions
from assistant.evals.metrics import fact_groups
from assistant.search.retrieval import RecencyPrior

HERE = Path(__file__).resolve().parent / "recency"
PRIORS = [
    RecencyPrior("rank", 0.0),
    *(RecencyPrior("rank", w) for w in (0.5, 1.0, 2.0, 4.0)),
    *(RecencyPrior("age", w, h) for w in (1.0, 2.0) for h in (3.0, 7.0, 30.0)),
]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, help="write the figures here as JSON")
    args = parser.parse_args()
    questions = load_questions(HERE / "questions.jsonl")
    with tempfile.TemporaryDirectory(prefix="recency-") as folder:
        bot = Assistant(Settings.from_mapping({"index_dir": Path(folder), "openai_api_key": None, "openai_base_url": None}))
        report = bot.ingest([HERE / "articles"])
        by_file = {Path(a.path).name: a.doc_id for a in bot.articles()}
        assert not report.skipped, report.summary()
        rows = []
        for prior in PRIORS:
            bot._retriever.recency = prior  # the benchmark's one reach inside: the prior under test
            facts = first = 0
            misses = []
            for q in questions:
                answer = bot.ask(q.question, as_of=q.as_of)
                found = not answer.abstained and all(fact_groups(answer.text, q.expected_facts))
                top = bool(answer.retrieved_doc_ids) and answer.retrieved_doc_ids[0] == by_file[q.gold_sources[0]]
                facts += found
                first += top
                if not found:
                    misses.append(q.id)
            row = {
                "form": prior.form,
                "weight": prior.weight,
                "half_life_days": prior.half_life_days if prior.form == "age" else None,
                "fact_recall": round(facts / len(questions), 3),
                "gold_first": round(first / len(questions), 3),
                "missed": misses,
            }
            rows.append(row)
            print(json.dumps(row), flush=True)
    if args.out:
        args.out.write_text(json.dumps({"questions": len(questions), "priors": rows}, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
