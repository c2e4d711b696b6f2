"""Does every article cited for a short answer state that answer? And are the articles that do cited?

    python benchmarks/answer_corroboration.py [--out benchmarks/answer_corroboration_results.json]

The short answer ("indivisibility of security [1][2].") is cited by the sentence it was found in
and by the sentences of other articles that hold the same words and cover the question at least
`SAME_ANSWER_COVERAGE` as well (assistant/answer/synthesis.py, `_also_stating`). This measures that
rule on the constructed news (training/data/constructed_news: 24 fictional stories, three outlets
each; every answerable question lists the articles that report its answer), all 72 articles in one
index, each question asked on its story's last day as the eval does:

- a cited article is right when it is one of the question's reporting articles (precision);
- recall: of the reporting articles other than the one the answer was found in, the share cited.

Only questions whose short answer is right (SQuAD token F1 >= 0.5 against an accepted answer)
count: an article that states a wrong answer is not evidence for the right one. Beside the news,
600 SQuAD questions of its training articles are asked of the 1,048 paragraphs (one file each),
where the same words in another paragraph are often another fact; those candidates are labelled by
hand in data/answer_corroboration_labels.jsonl (one not labelled counts as false and is listed).
The setting is chosen on the training stories and the SQuAD questions together (the smallest
share with precision >= 0.95); the held-out stories (every 4th, never used to choose anything)
are what it is reported by. The sample news's three questions tagged "corroborated" are shown as
they come out.

Every candidate sentence `stating_the_answer` finds is recorded as the answer is composed (the
assistant's own function, called through a recording wrapper), with the share of the question it
covers relative to the answer's sentence, so every share is measured in one pass.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from datetime import date
from pathlib import Path
from typing import Any

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "training"))
from build_reader_data import held_out_topic, news_file, news_text, news_topics  # noqa: E402

from assistant import Assistant, Settings  # noqa: E402
from assistant.answer import synthesis  # noqa: E402
from assistant.evals import squad  # noqa: E402
from assistant.evals.dataset import load_questions  # noqa: E402
from assistant.evals.text import short_answer_right  # noqa: E402

LABELS = REPO / "benchmarks" / "data" / "answer_corroboration_labels.jsonl"
SHARES = (0.0, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9)
TARGET_PRECISION = 0.95


class Recorder:
    """Records, for each answer composed, the short answer and every candidate sentence."""

    def __init__(self) -> None:
        self.calls: list[tuple[synthesis.ShortAnswer, list[tuple[str, float, str]]]] = []
        self._original = synthesis.stating_the_answer

    def __call__(self, short: synthesis.ShortAnswer, ranked: Any) -> list[Any]:
        found = self._original(short, ranked)
        best = short.sentence.coverage or 1e-9
        self.calls.append(
            (short, [(Path(str(s.passage.metadata.get("path", ""))).name, s.coverage / best, s.text) for s in found])
        )
        return found


def ask_constructed(bot: Assistant, recorder: Recorder) -> list[dict[str, Any]]:
    rows = []
    for number, topic in news_topics():
        names = {a["id"]: news_file(a) for a in topic["articles"]}
        as_of = date.fromisoformat(max(a["date"] for a in topic["articles"]))
        for qa in topic["questions"]:
            if qa["kind"] != "answerable":
                continue
            before = len(recorder.calls)
            answer = bot.ask(" ".join(qa["question"].split()), as_of=as_of)
            if answer.short_answer is None or len(recorder.calls) == before:
                continue
            short, candidates = recorder.calls[-1]
            own = Path(str(short.sentence.passage.metadata.get("path", ""))).name
            reporting = sorted(names[a] for a in qa["articles"])
            rows.append(
                {
                    "story": number,
                    "held_out": held_out_topic(number),
                    "question": qa["question"],
                    "short_answer": short.text,
                    "right": short_answer_right(short.text, list(qa["answers"])),
                    "found_in": own,
                    "reporting": reporting,
                    "candidates": [
                        {"file": f, "share": round(share, 3), "reports": f in reporting, "sentence": text}
                        for f, share, text in candidates
                    ],
                }
            )
    return rows


def ask_squad(bot: Assistant, recorder: Recorder, count: int) -> list[dict[str, Any]]:
    """SQuAD questions of the training articles (one paragraph a file). A sentence of another
    paragraph that holds the short answer's words often states another fact of the article
    ("1598" in "the Wars of Religion, fought from 1562 to 1598" for "When did Henry issue the Edict
    of Nantes?"), sometimes the same one: each was read by hand
    (data/answer_corroboration_labels.jsonl); one not read counts as false."""
    import random

    asked = [
        (p, qa)
        for p in squad.paragraphs()
        if p.article_index not in squad.VALIDATION_ARTICLES
        for qa in p.questions
    ]
    rows = []
    for paragraph, qa in random.Random(20261202).sample(asked, count):
        before = len(recorder.calls)
        answer = bot.ask(qa["question"])
        if answer.short_answer is None or len(recorder.calls) == before:
            continue
        short, candidates = recorder.calls[-1]
        answers = [a["text"] for a in qa["answers"]]
        rows.append(
            {
                "question": qa["question"],
                "short_answer": short.text,
                "right": short_answer_right(short.text, answers),
                "found_in": Path(str(short.sentence.passage.metadata.get("path", ""))).name,
                "gold": paragraph.file_name,
                "candidates": [{"file": f, "share": round(x, 3), "sentence": t} for f, x, t in candidates],
            }
        )
    return rows


def squad_labels() -> dict[tuple[str, str], bool]:
    """(question, file) -> whether that paragraph's sentence states the answer, read by hand."""
    rows = [json.loads(line) for line in LABELS.read_text(encoding="utf-8").splitlines() if line.strip()]
    return {(r["question"], r["file"]): bool(r["states_the_answer"]) for r in rows}


def label_squad(rows: list[dict[str, Any]]) -> None:
    """Each candidate's `reports` from the hand labels; one never read counts as false."""
    labels = squad_labels()
    for row in rows:
        for candidate in row["candidates"]:
            candidate["reports"] = labels.get((row["question"], candidate["file"]), False)
            candidate["labelled"] = (row["question"], candidate["file"]) in labels


def figures(rows: list[dict[str, Any]], share: float) -> dict[str, Any]:
    right = [r for r in rows if r["right"]]
    cited = [c for r in right for c in r["candidates"] if c["share"] >= share]
    others = sum(len([f for f in r.get("reporting", []) if f != r["found_in"]]) for r in right)
    correct = sum(c["reports"] for c in cited)
    return {
        "share": share,
        "short_answers_right": len(right),
        "cited": len(cited),
        "precision": round(correct / len(cited), 3) if cited else None,
        "recall": round(correct / others, 3) if others else None,
        "answers_cited_by_more_than_one_article": sum(any(c["share"] >= share for c in r["candidates"]) for r in right),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--out", type=Path, default=REPO / "benchmarks" / "answer_corroboration_results.json")
    parser.add_argument("--squad", type=int, default=600, help="SQuAD training-article questions to ask (0: none)")
    args = parser.parse_args(argv)
    recorder = Recorder()
    synthesis.stating_the_answer = recorder  # type: ignore[assignment]
    started = time.perf_counter()
    with tempfile.TemporaryDirectory() as work:
        corpus = Path(work) / "corpus"
        corpus.mkdir()
        for _, topic in news_topics():
            for article in topic["articles"]:
                (corpus / news_file(article)).write_text(news_text(article), encoding="utf-8")
        bot = Assistant(Settings.from_mapping({"index_dir": str(Path(work) / "index")}))
        bot.ingest([corpus])
        rows = ask_constructed(bot, recorder)
        sample = Assistant(Settings.from_mapping({"index_dir": str(Path(work) / "sample")}))
        sample.ingest([REPO / "corpus"])
        squad_rows: list[dict[str, Any]] = []
        if args.squad:
            wiki = Assistant(Settings.from_mapping({"index_dir": str(Path(work) / "squad")}))
            wiki.ingest([squad.ensure_corpus()])
            squad_rows = ask_squad(wiki, recorder, args.squad)
        shown = []
        for question in load_questions(REPO / "evals" / "datasets" / "sample_news.jsonl"):
            if "corroborated" in question.tags:
                answer = sample.ask(question.question, as_of=question.as_of)
                files = {c.marker: Path(c.path).name for c in answer.citations}
                shown.append(
                    {
                        "question": question.question,
                        "short_answer": answer.short_answer,
                        "short_answer_cites": [files[m] for m in answer.statements[0].markers]
                        if answer.short_answer
                        else [],
                        "reporting": list(question.gold_sources),
                    }
                )
    training = [r for r in rows if not r["held_out"]]
    held_out = [r for r in rows if r["held_out"]]
    by_share = {"training": [figures(training, s) for s in SHARES], "held_out": [figures(held_out, s) for s in SHARES]}
    label_squad(squad_rows)
    squad_by_share = [figures(squad_rows, s) for s in SHARES]
    by_share["squad_training_articles"] = squad_by_share
    by_share["training_and_squad"] = [figures(training + squad_rows, s) for s in SHARES]
    unlabelled = [
        {"question": r["question"], "file": c["file"], "short_answer": r["short_answer"], "sentence": c["sentence"]}
        for r in squad_rows
        if r["right"]
        for c in r["candidates"]
        if not c["labelled"]
    ]
    chosen = next(
        (f["share"] for f in by_share["training_and_squad"] if f["precision"] is not None and f["precision"] >= TARGET_PRECISION),
        None,
    )
    results = {
        "measured": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
        "seconds": round(time.perf_counter() - started, 1),
        "shipped_share": synthesis.SAME_ANSWER_COVERAGE,
        "chosen_on_training_stories": chosen,
        "target_precision": TARGET_PRECISION,
        "by_share": by_share,
        "squad_unlabelled_candidates": unlabelled,
        "squad_candidates": [
            {k: r[k] for k in ("question", "short_answer", "found_in", "gold")}
            | {"candidates": r["candidates"]}
            for r in squad_rows
            if r["right"] and r["candidates"]
        ],
        "sample_news_corroborated": shown,
        "training_candidates": [
            {k: r[k] for k in ("question", "short_answer", "found_in", "reporting", "candidates")}
            for r in training
            if r["right"] and r["candidates"]
        ],
        "held_out_cited": [
            {k: r[k] for k in ("question", "short_answer", "found_in", "reporting")}
            | {"cited": [c for c in r["candidates"] if c["share"] >= synthesis.SAME_ANSWER_COVERAGE]}
            for r in held_out
            if r["right"]
        ],
        "wrong_short_answers": [
            {k: r[k] for k in ("story", "held_out", "question", "short_answer", "found_in")} for r in rows if not r["right"]
        ],
    }
    args.out.write_text(json.dumps(results, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    for split, table in by_share.items():
        print(split)
        for f in table:
            print(
                f"  share {f['share']:.1f}: precision {f['precision']}, recall {f['recall']}, cited {f['cited']}"
                f" (right short answers {f['short_answers_right']})"
            )
    if unlabelled:
        print(f"{len(unlabelled)} SQuAD citations not labelled by hand (counted as false): see the JSON")
    print(f"chosen on the training stories and SQuAD: {chosen} (shipped {synthesis.SAME_ANSWER_COVERAGE})")
    for item in shown:
        print(item)
    print(f"results written to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
