"""Write the held-out constructed news as an eval dataset: evals/datasets/constructed_news.jsonl
and its articles in evals/datasets/constructed_news/.

    python evals/build_constructed_news.py

The stories are those of training/data/constructed_news that the reader is never trained on
(every 4th, `held_out_topic` in training/build_reader_data.py), indexed together, six stories of
three outlets each. Every answerable question is asked twice, like squad_validation's: as
written, and with every article that reports its answer excluded from retrieval (the near miss:
the other outlets and stories, none of which says it); the written near misses are asked once.
Each is asked on the day of its story's last article (`as_of`), as a reader of that story would:
"last year" in a question means the year before the story, whenever the eval runs.
Rerun it whenever the constructed news changes; tests/test_training_data.py checks it is current.

    python evals/build_constructed_news.py --development DIR

writes the other stories, those the reader is trained on, the same way into DIR (DIR/dev.jsonl and
its articles in DIR/dev/): a development set to try a change of the answer step on before it is
measured on the held-out one. It is not committed.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "training"))
from build_reader_data import held_out_topic, news_file, news_text, news_topics  # noqa: E402

DATASET = REPO / "evals" / "datasets" / "constructed_news.jsonl"
CORPUS = DATASET.with_suffix("")


def rows(corpus: Path = CORPUS, held_out: bool = True) -> tuple[dict[str, str], list[dict[str, Any]]]:
    """The held-out stories' article files (name -> text) and the dataset's rows; the training
    stories' when `held_out` is False."""
    files: dict[str, str] = {}
    found: list[dict[str, Any]] = [{"corpus": f"{corpus.name}/"}]
    for number, topic in news_topics():
        if held_out_topic(number) != held_out:
            continue
        names = {a["id"]: news_file(a) for a in topic["articles"]}
        as_of = max(a["date"] for a in topic["articles"])
        files.update({news_file(a): news_text(a) for a in topic["articles"]})
        for n, qa in enumerate(topic["questions"]):
            question = " ".join(qa["question"].split())
            tags = ["constructed", f"story-{number}"]
            if qa["kind"] != "answerable":
                found.append(
                    {
                        "id": f"cn-{number}-{n}",
                        "question": question,
                        "answerable": False,
                        "expected_facts": [],
                        "gold_sources": [],
                        "reference_answer": f"The articles do not say. {qa.get('why', '')}".strip(),
                        "tags": [*tags, "unanswerable", "near-miss"],
                        "as_of": as_of,
                    }
                )
                continue
            answers = list(dict.fromkeys(qa["answers"]))
            gold = sorted(names[a] for a in qa["articles"])
            found.append(
                {
                    "id": f"cn-{number}-{n}",
                    "question": question,
                    "answerable": True,
                    "expected_facts": [answers],
                    "gold_sources": gold,
                    "reference_answer": answers[0],
                    "tags": tags,
                    "as_of": as_of,
                }
            )
            found.append(
                {
                    "id": f"cn-{number}-{n}-without-gold",
                    "question": question,
                    "answerable": False,
                    "expected_facts": [],
                    "gold_sources": [],
                    "reference_answer": "(every article that reports it is left out)",
                    "tags": [*tags, "unanswerable", "near-miss"],
                    "exclude_sources": gold,
                    "absent_facts": [answers],
                    "as_of": as_of,
                }
            )
    return files, found


def dataset_text(found: list[dict[str, Any]]) -> str:
    return "".join(json.dumps(row, ensure_ascii=False) + "\n" for row in found)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--development", type=Path, metavar="DIR", help="write the training stories into DIR")
    args = parser.parse_args(argv)
    dataset = args.development / "dev.jsonl" if args.development else DATASET
    corpus = dataset.with_suffix("")
    files, found = rows(corpus, held_out=not args.development)
    corpus.mkdir(parents=True, exist_ok=True)
    for stale in set(p.name for p in corpus.glob("*.txt")) - set(files):
        (corpus / stale).unlink()
    for name, text in files.items():
        (corpus / name).write_text(text, encoding="utf-8")
    dataset.write_text(dataset_text(found), encoding="utf-8")
    print(f"wrote {len(files)} articles to {corpus} and {len(found) - 1} questions to {dataset}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
